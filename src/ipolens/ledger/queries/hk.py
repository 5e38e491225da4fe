"""What the HK mechanics read: one listing's resolved row, the IPO table of a market, a resolved fact's source."""
from __future__ import annotations

import pandas as pd

from ..store import EntityNotFound, Ledger
from .ledger import ipo_rows

__all__ = ["listing", "market_ipos", "resolved_source"]


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


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
