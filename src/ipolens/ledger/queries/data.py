"""Reads the data-in use cases need: known entity keys, a listing's date, the HK listings of a window, FX rates."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Ledger

__all__ = ["entity_keys", "listing_date", "hk_listing_codes", "fx_summary", "fx_rate_on", "source_summary"]


def entity_keys(led: "Ledger") -> set[str]:
    return {r[0] for r in led.con.execute("SELECT key FROM entities").fetchall()}


def listing_date(led: "Ledger", key: str) -> dt.date | None:
    """The listing date the ledger holds for ``key``, or None."""
    rows = led.con.execute("SELECT listing_date FROM listings WHERE entity = ?", [key]).fetchall()
    if not rows or rows[0][0] is None:
        return None
    v = rows[0][0]
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def hk_listing_codes(led: "Ledger", since: dt.date | None) -> list[str]:
    """HK listings with a listing date (on or after ``since``), oldest first."""
    sql = "SELECT entity FROM listings WHERE market = 'HK' AND listing_date IS NOT NULL"
    params: list = []
    if since is not None:
        sql += " AND listing_date >= ?"
        params.append(since)
    return [r[0] for r in led.con.execute(sql + " ORDER BY listing_date, entity", params).fetchall()]


def fx_summary(led: "Ledger") -> tuple[int, dt.date | None, dt.date | None]:
    """(rates, first date, last date) of the fx_rates table."""
    n, first, last = led.con.execute("SELECT count(*), min(date), max(date) FROM fx_rates").fetchall()[0]
    return int(n), first, last


def fx_rate_on(led: "Ledger", day: dt.date, base: str, quote: str) -> tuple[float, dt.date, str] | None:
    """The latest rate on or before ``day`` as (rate, date, source): fetched rates first on a tie, the embedded
    ECB table otherwise; the inverse pair is used (1 / rate) when only that one is stored."""
    if base == quote:
        return 1.0, day, "identity"
    rows = led.con.execute(
        """SELECT rate, date, source_id, base = ? AS direct FROM fx_rates
           WHERE date <= ? AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?))
           ORDER BY date DESC, direct DESC, source_id = 'fx:ecb-eurofxref' LIMIT 1""",
        [base, day, base, quote, quote, base]).fetchall()
    if not rows:
        return None
    rate, when, source, direct = rows[0]
    return (rate if direct else 1.0 / rate), when, source


def source_summary(led: "Ledger", source_id: str) -> tuple[str, str | None, int] | None:
    """(title, note, facts) of a source, or None. An import's note records its file and digest."""
    rows = led.con.execute("SELECT s.title, s.note, (SELECT count(*) FROM facts f WHERE f.source_id = s.id) "
                           "FROM sources s WHERE s.id = ?", [source_id]).fetchall()
    return tuple(rows[0]) if rows else None
