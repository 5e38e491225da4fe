"""The pipeline's tables (ledger/pipeline.py writes them). Apart from the writer because the schema includes them
and the writer imports the model and the store, which import the schema: this module imports nothing."""
from __future__ import annotations

__all__ = ["DDL_PIPELINE"]

# deal_stages: one row per deal, stage, date and source (two sources dating a stage differently are two rows).
# deals: per source, the deal's display name and what it links to (the listing its code names, the company its
# name names).
DDL_PIPELINE = [
    """CREATE TABLE IF NOT EXISTS deal_stages (
        deal VARCHAR NOT NULL,
        stage VARCHAR NOT NULL,
        date DATE NOT NULL,
        source_id VARCHAR NOT NULL,
        doc_ref VARCHAR,
        quote VARCHAR CHECK (quote IS NULL OR length(quote) <= 80),
        note VARCHAR
    )""",
    """CREATE INDEX IF NOT EXISTS deal_stages_deal ON deal_stages (deal)""",
    """CREATE TABLE IF NOT EXISTS deals (
        deal VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        market VARCHAR NOT NULL,
        listing VARCHAR,
        company VARCHAR,
        source_id VARCHAR NOT NULL
    )""",
]
