"""DuckDB schema of the ledger: sources, entities, aliases and facts. Typed views live in views.py."""
from __future__ import annotations

from .offerings import DDL_OFFERINGS
from .parties import DDL_PARTIES
from .pipeline_schema import DDL_PIPELINE
from .qualifiers import NOISE_DIGITS, TEXT_KINDS

# Version of the rule that turns a value into lo/hi (ledger/qualifiers.py); bump it to re-run the migration below.
INTERVAL_RULE = "precision-by-source-kind-1"
# qualifiers.noise_resolution in SQL: half a unit of the value's 12th significant digit.
_NOISE = f"0.5 * pow(10, floor(log10(abs(value_num))) - {NOISE_DIGITS - 1})"
# Kinds whose facts the migration leaves alone: text (read as written) and recomputations (rebuilt on every write).
_AS_GIVEN_EXCEPT = ", ".join(repr(k) for k in (*TEXT_KINDS, "derived"))

SOURCE_KINDS = ("exchange_filing", "prospectus", "dataset", "news", "derived", "user")

# Precedence of source kinds when resolving one value per field (lower wins). A user's own import ranks with
# datasets: both are curated tables, and between equals the newer one wins.
KIND_RANK = {"exchange_filing": 1, "prospectus": 2, "dataset": 3, "user": 3, "news": 4, "derived": 5}
# Among sources of one kind, a precisely stated value beats a hedged one.
QUALIFIER_RANK = {"exact": 0, "about": 1, "nearly": 2, "range": 2, "at_least": 3, "more_than": 3, "at_most": 3,
                  "order_of_magnitude": 4}

# Companies and the listings they link (ledger/companies.py): one row per listing and source says which company the
# listing belongs to (NULL: none, after `ipolens unlink`), its share class and whether it is a primary listing.
SHARE_CLASSES = ("A", "B", "H", "ADS", "ordinary")
COMPANY_ROLES = ("primary", "secondary")
DDL_COMPANIES = [
    f"""CREATE TABLE IF NOT EXISTS company_links (
        listing VARCHAR NOT NULL,
        company VARCHAR,
        share_class VARCHAR CHECK (share_class IS NULL OR share_class IN ({", ".join(map(repr, SHARE_CLASSES))})),
        role VARCHAR CHECK (role IS NULL OR role IN ({", ".join(map(repr, COMPANY_ROLES))})),
        source_id VARCHAR NOT NULL,
        note VARCHAR,
        written TIMESTAMP NOT NULL DEFAULT current_timestamp,
        PRIMARY KEY (listing, source_id)
    )""",
    """CREATE INDEX IF NOT EXISTS company_links_company ON company_links (company)""",
]

# Upgrades of an existing ledger, run after the tables exist; each is idempotent.
MIGRATIONS = [
    # A fact's stated rounding step (ledger.model.Fact.precision).
    "ALTER TABLE facts ADD COLUMN IF NOT EXISTS precision DOUBLE",
    # Precision by kind of source (ledger/qualifiers.py): facts written before it read every exact figure's rounding
    # from its digits. Those of non-text sources (no quote, no stated precision) become exact as given: half a unit
    # of the 12th significant digit. Runs once per ledger (meta 'interval_rule'); text facts keep their intervals,
    # and the derived facts and the embedded dataset are rebuilt by their own writers.
    f"""UPDATE facts SET lo = value_num - {_NOISE}, hi = value_num + {_NOISE}
        WHERE qualifier = 'exact' AND value_num IS NOT NULL AND value_num <> 0 AND precision IS NULL
          AND (quote IS NULL OR quote = '')
          AND source_id IN (SELECT id FROM sources WHERE kind NOT IN ({_AS_GIVEN_EXCEPT}))
          AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'interval_rule' AND value = '{INTERVAL_RULE}')""",
    f"INSERT OR REPLACE INTO meta VALUES ('interval_rule', '{INTERVAL_RULE}')",
]

DDL = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS sources (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL CHECK (kind IN ({", ".join(repr(k) for k in SOURCE_KINDS)})),
        title VARCHAR NOT NULL,
        publisher VARCHAR,
        url VARCHAR,
        published DATE,
        date_note VARCHAR,
        licence VARCHAR,
        retrieved TIMESTAMP,
        note VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS entities (
        key VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        market VARCHAR,
        code VARCHAR,
        name_en VARCHAR,
        name_zh VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS aliases (
        alias VARCHAR NOT NULL,
        entity VARCHAR NOT NULL,
        PRIMARY KEY (alias, entity)
    )""",
    """CREATE SEQUENCE IF NOT EXISTS fact_id_seq START 1""",
    """CREATE TABLE IF NOT EXISTS facts (
        id BIGINT PRIMARY KEY DEFAULT nextval('fact_id_seq'),
        entity VARCHAR NOT NULL,
        field VARCHAR NOT NULL,
        value_num DOUBLE,
        value_high DOUBLE,
        value_text VARCHAR,
        unit VARCHAR,
        currency VARCHAR CHECK (currency IS NULL OR currency IN ('HKD', 'CNY', 'USD')),
        qualifier VARCHAR NOT NULL DEFAULT 'exact',
        as_of DATE,
        period VARCHAR,
        date_key VARCHAR NOT NULL DEFAULT '',
        lo DOUBLE,
        hi DOUBLE,
        source_id VARCHAR NOT NULL,
        quote VARCHAR CHECK (quote IS NULL OR length(quote) <= 80),
        derived_from VARCHAR,
        claim_type VARCHAR NOT NULL DEFAULT 'reported',
        note VARCHAR,
        ext_id VARCHAR,
        precision DOUBLE CHECK (precision IS NULL OR precision > 0),
        CHECK (value_num IS NOT NULL OR value_text IS NOT NULL OR claim_type IN ('qualitative', 'qualitative_dated', 'unresolved'))
    )""",
    """CREATE INDEX IF NOT EXISTS facts_entity_field ON facts (entity, field)""",
    """CREATE TABLE IF NOT EXISTS fx_rates (
        date DATE NOT NULL,
        base VARCHAR NOT NULL,
        quote VARCHAR NOT NULL,
        rate DOUBLE NOT NULL CHECK (rate > 0),
        source_id VARCHAR NOT NULL,
        note VARCHAR,
        PRIMARY KEY (date, base, quote, source_id)
    )""",
    """CREATE TABLE IF NOT EXISTS prices (
        code VARCHAR NOT NULL,
        date DATE NOT NULL,
        open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE,
        volume DOUBLE, turnover DOUBLE,
        adjusted BOOLEAN NOT NULL DEFAULT FALSE,
        source_id VARCHAR NOT NULL
    )""",
    # A-share lock-up releases fetched from providers (Eastmoney via AKShare), one row per listing, date and class.
    """CREATE TABLE IF NOT EXISTS lockup_releases (
        code VARCHAR NOT NULL, release_date DATE NOT NULL, share_type VARCHAR NOT NULL DEFAULT '',
        name VARCHAR, shares DOUBLE, actual_shares DOUBLE, market_value DOUBLE, float_pct DOUBLE,
        source_id VARCHAR NOT NULL,
        PRIMARY KEY (code, release_date, share_type, source_id)
    )""",
    # (code, date, adjusted, source_id) is unique, kept so by the writers (replace-then-insert in one transaction)
    # rather than by a primary-key index, which doubles the cost of a 10-million-row import.
    *DDL_PARTIES,  # sponsors and cornerstone investors as entities (ledger/parties.py)
    # companies and the listings they link (ledger/companies.py); a new table changes SCHEMA_VERSION (a hash of
    # this list), so open_store migrates an older ledger on its next open
    *DDL_COMPANIES,
    *DDL_PIPELINE,  # pipeline deals and their stages (ledger/pipeline.py)
    *DDL_OFFERINGS,  # follow-on offerings (ledger/offerings.py)
    *MIGRATIONS,
]
