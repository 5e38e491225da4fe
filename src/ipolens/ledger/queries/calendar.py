"""Named query behind the IPO calendar: the resolved date facts of listings that fall in a window, and the other
calendar fields (A-share subscription terms, offer price) of those listings, each with its source."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["calendar_rows", "COLUMNS"]

COLUMNS = ["entity", "code", "market", "name_en", "name_zh", "field", "value_num", "value_text", "currency",
           "qualifier", "source_id", "quote"]


def calendar_rows(led: Ledger, date_fields: list[str], other_fields: list[str], start: str, end: str,
                  markets: list[str] | None = None) -> pd.DataFrame:
    """Rows of ``best`` (one winner per entity and field) for listings with at least one of ``date_fields`` in
    [start, end] (ISO dates): those date facts, whatever their date, and ``other_fields``. ``markets`` limits the
    listings' market (entities.market)."""
    market_sql = "AND list_contains(?::VARCHAR[], e.market)" if markets else ""
    params: list = [list(date_fields), start, end, *([list(markets)] if markets else []),
                    list(date_fields) + list(other_fields)]
    df = led.query(f"""
        WITH hits AS (
            SELECT DISTINCT b.entity FROM best b JOIN entities e ON e.key = b.entity AND e.kind = 'listing'
            WHERE list_contains(?::VARCHAR[], b.field)
              AND TRY_CAST(b.value_text AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) {market_sql})
        SELECT b.entity, e.code, e.market, e.name_en, e.name_zh, b.field, b.value_num, b.value_text, b.currency,
               b.qualifier, b.source_id, b.quote
        FROM best b JOIN hits h ON h.entity = b.entity JOIN entities e ON e.key = b.entity
        WHERE list_contains(?::VARCHAR[], b.field)
        ORDER BY b.entity, b.field""", params)
    df = df.reindex(columns=COLUMNS)
    return df.astype(object).where(df.notna(), None)
