"""Trading windows of reused codes: which listing of a code a dated bar belongs to.

A code the exchange reused has several listings (``HK:02718``, ``HK:02718@2025``). A bar dated D belongs to the
latest listing whose listing date is on or before D; it stays with the earlier listing until the next one lists,
because the ledger stores no delisting dates. A listing's date is the earliest any source gives (the rule listing
identity itself uses, ``Ledger.listing_identities``). Undated listings of such a code get no window.

The windows table has one row per dated listing (base, key, since, until: until is the next listing's date or
NULL) plus, per code, a row with a NULL key before its first listing: a bar there belongs to no listing the ledger
knows.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Ledger

__all__ = ["WINDOWS_TABLE", "has_reused_codes", "make_windows", "windows_of", "listing_window"]

WINDOWS_TABLE = "_price_windows"
_EARLIEST = "DATE '0001-01-01'"


def has_reused_codes(led: "Ledger") -> bool:
    """Does any code have a later listing (an ``@`` key)? A cheap check on the small entities table."""
    return bool(led.con.execute("SELECT 1 FROM entities WHERE contains(key, '@') LIMIT 1").fetchall())


def _dated(extra_where: str = "") -> str:
    return f"""SELECT e.key, split_part(e.key, '@', 1) AS base,
                      min(TRY_CAST(substr(f.value_text, 1, 10) AS DATE)) AS since
               FROM entities e JOIN facts f ON f.entity = e.key AND f.field = 'listing_date'
               WHERE e.kind = 'listing' {extra_where}
               GROUP BY e.key"""


_REUSED = "split_part(e.key, '@', 1) IN (SELECT split_part(key, '@', 1) FROM entities WHERE contains(key, '@'))"


def make_windows(led: "Ledger", table: str = WINDOWS_TABLE) -> int:
    """Create the temp table ``table`` (base, key, since, until) for every code with two or more dated listings;
    returns its row count (0 and no table work beyond a check when no code was reused)."""
    if not has_reused_codes(led):
        led.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (base VARCHAR, key VARCHAR, since DATE, until DATE)")
        return 0
    led.con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS
        WITH d AS ({_dated('AND ' + _REUSED)}),
        w AS (SELECT base, key, since, lead(since) OVER (PARTITION BY base ORDER BY since, key) AS until
              FROM d WHERE since IS NOT NULL),
        multi AS (SELECT base, min(since) AS first FROM w GROUP BY base HAVING count(*) > 1)
        SELECT w.base, w.key, w.since, w.until FROM w JOIN multi USING (base)
        UNION ALL
        SELECT base, NULL, {_EARLIEST}, first FROM multi""")
    return led.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def windows_of(led: "Ledger", bases: list[str]) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    """(key, since, until) of each dated listing of ``bases`` that have two or more, oldest first."""
    if not bases or not has_reused_codes(led):
        return {}
    rows = led.con.execute(f"""
        WITH d AS ({_dated("AND split_part(e.key, '@', 1) IN (SELECT unnest(?::VARCHAR[]))")})
        SELECT base, key, since, lead(since) OVER (PARTITION BY base ORDER BY since, key) FROM d
        WHERE since IS NOT NULL ORDER BY base, since""", [sorted(set(bases))]).fetchall()
    out: dict[str, list] = {}
    for base, key, since, until in rows:
        out.setdefault(base, []).append((key, since, until))
    return {b: w for b, w in out.items() if len(w) > 1}


def listing_window(led: "Ledger", key: str) -> tuple[dt.date | None, dt.date | None]:
    """(since, until) of one listing: its listing date (None if undated) and the next listing's date of its code
    (None if it is the latest)."""
    base = key.split("@", 1)[0]
    for k, since, until in windows_of(led, [base]).get(base, []):
        if k == key:
            return since, until
    row = led.con.execute(_dated("AND e.key = ?"), [key]).fetchall()
    return (row[0][2] if row else None), None
