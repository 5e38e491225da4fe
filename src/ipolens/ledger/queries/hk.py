"""What the HK mechanics read: one listing's resolved row, the IPO table of a market, a resolved fact's source."""
from __future__ import annotations

import pandas as pd

from ..store import EntityNotFound, Ledger
from .ledger import ipo_rows

__all__ = ["listing", "market_ipos", "resolved_source", "last_closes", "deal_inputs", "undated_listings"]


def listing(led: Ledger, entity: str) -> dict:
    """The resolved ``listings`` row of ``entity`` with empty values dropped."""
    df = led.query("SELECT * FROM listings WHERE entity = ?", [entity])
    if df.empty:
        raise EntityNotFound(f"{entity} has no listing facts")
    return {k: v for k, v in df.iloc[0].to_dict().items() if not _missing(v)}


def market_ipos(led: Ledger, market: str) -> pd.DataFrame:
    """Listings of ``market`` with a listing date, joined with their first day and company names."""
    return ipo_rows(led, market)


def resolved_source(led: Ledger, entity: str, field: str) -> tuple[str | None, str | None]:
    """(source id, note) of the resolved value of ``field`` for ``entity``; (None, None) when there is none."""
    row = led.con.execute("""SELECT source_id, note FROM fact_rank
                             WHERE entity = ? AND field = ? AND rank_in_date = 1
                             ORDER BY date_key LIMIT 1""", [entity, field]).fetchone()
    return (None, None) if row is None else (row[0], row[1])


def deal_inputs(led: Ledger, entity: str, fields: tuple[str, ...]) -> dict[str, dict]:
    """The resolved value of each of ``fields`` for ``entity`` with its currency, date and source:
    {field: {"value", "currency", "as_of", "source_id"}}; fields without a value are absent."""
    df = led.query(f"""SELECT field, value_num, value_text,
                              currency, as_of, source_id
                       FROM best WHERE entity = ? AND field IN ({", ".join("?" for _ in fields)})""",
                   [entity, *fields])
    out = {}
    for r in df.itertuples(index=False):
        value = r.value_text if _missing(r.value_num) else float(r.value_num)
        out[r.field] = {"value": value, "currency": None if _missing(r.currency) else r.currency,
                        "as_of": None if _missing(r.as_of) else pd.Timestamp(r.as_of).date(),
                        "source_id": r.source_id}
    return out


def undated_listings(led: Ledger, market: str) -> pd.DataFrame:
    """Listings of ``market`` without a listing date (code, entity): they have no lock-up calendar."""
    return led.query("""SELECT entity, code FROM listings WHERE market = ? AND listing_date IS NULL
                        ORDER BY code, entity""", [market])


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def last_closes(led: Ledger, entities: list[str]) -> pd.DataFrame:
    """The latest unadjusted close of each listing in the prices table: entity, close, date (none without bars)."""
    if not entities:
        return pd.DataFrame(columns=["entity", "close", "date"])
    return led.query("""SELECT code AS entity, arg_max(close, date) AS close, max(date) AS date FROM prices
                        WHERE NOT adjusted AND close IS NOT NULL AND list_contains(?::VARCHAR[], code)
                        GROUP BY code ORDER BY code""", [list(entities)])

