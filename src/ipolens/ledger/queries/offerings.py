"""Named queries behind follow-on offerings: the offering rows of some listings with their sources."""
from __future__ import annotations

import pandas as pd

from ..offerings import COLUMNS, has_schema
from ..schema import KIND_RANK
from ..store import Ledger

__all__ = ["offering_rows"]


def offering_rows(led: Ledger, listings: list[str]) -> pd.DataFrame:
    """Every offering row of ``listings`` (one per offering and source), with the source's title, kind, url and
    publication date, ordered by announcement date, then source strength (exchange filings first); none on a ledger
    built before the table."""
    cols = [*COLUMNS, "source_title", "source_kind", "source_url", "source_published", "source_rank"]
    if not listings or not has_schema(led):
        return pd.DataFrame(columns=cols)
    rank = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_RANK.items())
    df = led.query(f"""
        SELECT o.{", o.".join(COLUMNS)}, s.title AS source_title, s.kind AS source_kind, s.url AS source_url,
               CAST(s.published AS VARCHAR) AS source_published, CASE s.kind {rank} ELSE 9 END AS source_rank
        FROM offerings o LEFT JOIN sources s ON s.id = o.source_id
        WHERE list_contains(?::VARCHAR[], o.listing)
        ORDER BY o.announced, o.key, source_rank, o.written DESC""", [list(listings)])
    return df.astype(object).where(df.notna(), None)
