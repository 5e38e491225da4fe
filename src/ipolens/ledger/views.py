"""Resolved views over the facts table, generated from the field registry.

``fact_rank`` orders the competing values of one (entity, field, date_key) by the documented precedence:
source kind (exchange_filing > prospectus > dataset|user > news), a derivation ranking just after the kind of its
weakest input (``derived_from.input_rank``; last if unknown), reported before forecast before a source's own
derivation (its in-text conversions),
exact before hedged, then the newest (as_of, then the source's publication date, then insertion order).
``resolved`` keeps the winner per date; ``best`` keeps one winner per (entity, field) across dates.
The losers stay in ``facts``.
"""
from __future__ import annotations

from .fields import FIELDS, fields_of
from .schema import KIND_RANK, QUALIFIER_RANK


def _case(column: str, ranks: dict[str, int], default: int) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in ranks.items())
    return f"CASE {column} {whens} ELSE {default} END"


ORDER = (
    f"CASE WHEN s.kind = 'derived' THEN coalesce(TRY_CAST(json_extract_string(f.derived_from, '$.input_rank') "
    f"AS DOUBLE) + 0.5, {KIND_RANK['derived']}) ELSE {_case('s.kind', KIND_RANK, 9)} END, "
    # a source's own conversion or recomputation (约70亿美元 from 约512亿港元) ranks after the figure it came from
    "CASE WHEN f.claim_type = 'forecast' THEN 1 "
    "WHEN f.claim_type = 'derived_in_text' OR f.derived_from IS NOT NULL THEN 2 ELSE 0 END, "
    f"{_case('f.qualifier', QUALIFIER_RANK, 9)}, "
    "coalesce(f.as_of, s.published) DESC NULLS LAST, s.published DESC NULLS LAST, f.id DESC"
)


def _pivot_column(name: str) -> str:
    f = FIELDS[name]
    if f.kind == "date":
        return f"TRY_CAST(max(CASE WHEN field = '{name}' THEN value_text END) AS DATE) AS {name}"
    if f.is_text:
        return f"max(CASE WHEN field = '{name}' THEN value_text END) AS {name}"
    return f"max(CASE WHEN field = '{name}' THEN value_num END) AS {name}"


def view_sql() -> list[str]:
    out = [
        f"""CREATE OR REPLACE VIEW fact_rank AS
        SELECT f.*, s.kind AS source_kind, s.title AS source_title, s.publisher AS source_publisher,
               s.published AS source_published,
               row_number() OVER (PARTITION BY f.entity, f.field, f.date_key ORDER BY {ORDER}) AS rank_in_date,
               count(*) OVER (PARTITION BY f.entity, f.field, f.date_key) AS n_values
        FROM facts f JOIN sources s ON s.id = f.source_id
        WHERE f.value_num IS NOT NULL OR f.value_text IS NOT NULL""",
        "CREATE OR REPLACE VIEW resolved AS SELECT * FROM fact_rank WHERE rank_in_date = 1",
        f"""CREATE OR REPLACE VIEW best AS
        SELECT * FROM (
            SELECT f.*, row_number() OVER (PARTITION BY f.entity, f.field ORDER BY {ORDER}) AS rank_overall
            FROM (SELECT * EXCLUDE (source_kind, source_title, source_publisher, source_published)
                  FROM resolved) f JOIN sources s ON s.id = f.source_id)
        WHERE rank_overall = 1""",
    ]
    for view in ("companies", "listings", "first_day", "aftermarket"):
        cols = ",\n  ".join(_pivot_column(f.name) for f in fields_of(view))
        extra = ""
        if view == "listings":
            extra = (",\n  max(CASE WHEN field = 'offer_price' THEN currency END) AS currency"
                     ",\n  max(CASE WHEN field = 'market_cap' THEN CAST(as_of AS VARCHAR) END) AS market_cap_as_of")
        out.append(f"""CREATE OR REPLACE VIEW {view} AS
        SELECT b.entity, e.code, e.market, e.name_en AS entity_name_en, e.name_zh AS entity_name_zh,
          {cols}{extra}
        FROM best b LEFT JOIN entities e ON e.key = b.entity
        WHERE coalesce(e.kind, '') <> 'deal'  -- a pipeline deal is not a listing (ledger/pipeline.py)
          AND b.field IN ({", ".join(repr(f.name) for f in fields_of(view))})
        GROUP BY b.entity, e.code, e.market, e.name_en, e.name_zh""")
    fin = ",\n  ".join(
        f"max(CASE WHEN field = '{f.name}' THEN value_num END) AS {f.name}" for f in fields_of("financials"))
    out.append(f"""CREATE OR REPLACE VIEW financials AS
        SELECT r.entity, e.code, r.date_key AS period,
          -- one currency for every money value of the period (the ledger keeps each one's; 'mixed' if they differ)
          CASE WHEN count(DISTINCT currency) > 1 THEN 'mixed' ELSE max(currency) END AS currency,
          -- hedged values keep their meaning in the wide table: 'backlog: about; revenue_growth_yoy: nearly'
          string_agg(CASE WHEN qualifier <> 'exact' THEN field || ': ' || qualifier END, '; ' ORDER BY field)
            AS qualifiers,
          {fin}
        FROM resolved r LEFT JOIN entities e ON e.key = r.entity
        WHERE r.field IN ({", ".join(repr(f.name) for f in fields_of("financials"))})
        GROUP BY r.entity, e.code, r.date_key""")
    out.append(f"""CREATE OR REPLACE VIEW market_stats AS
        SELECT r.entity, e.name_en AS entity_name, r.field, r.date_key AS period, r.value_num AS value,
               r.value_high, r.unit, r.currency, r.qualifier, r.claim_type, r.source_id, r.quote
        FROM resolved r LEFT JOIN entities e ON e.key = r.entity
        WHERE r.field IN ({", ".join(repr(f.name) for f in fields_of("market_stats"))})""")
    out.append("""CREATE OR REPLACE VIEW conflicts AS
        SELECT a.entity, a.field, a.date_key,
               a.id AS id_a, a.value_num AS value_a, a.value_text AS text_a, a.qualifier AS qualifier_a,
               a.source_id AS source_a, a.quote AS quote_a,
               b.id AS id_b, b.value_num AS value_b, b.value_text AS text_b, b.qualifier AS qualifier_b,
               b.source_id AS source_b, b.quote AS quote_b,
               coalesce(a.currency, b.currency, a.unit) AS unit
        FROM facts a JOIN facts b
          ON a.entity = b.entity AND a.field = b.field AND a.date_key = b.date_key AND a.id < b.id
         AND a.currency IS NOT DISTINCT FROM b.currency
         AND a.claim_type <> 'forecast' AND b.claim_type <> 'forecast'
        WHERE (a.value_num IS NOT NULL AND b.value_num IS NOT NULL AND (a.hi < b.lo OR b.hi < a.lo))
           OR (a.value_num IS NULL AND b.value_num IS NULL
               AND a.value_text IS NOT NULL AND b.value_text IS NOT NULL AND a.value_text <> b.value_text)""")
    return out
