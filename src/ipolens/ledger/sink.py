"""Idempotent writes of fetched data: a re-run with the same data adds nothing.

Bars go to ``prices`` (replaced on code, date, adjusted and source, then inserted), FX rates and lock-up releases
are upserted on their table's key, IPO facts are replaced by source and ext_id. Each returns how many rows the
source gained. The caller holds the transaction (``Store.write``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pandas as pd

from .model import Entity, Fact

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["BAR_COLUMNS", "upsert_bars", "upsert_rows", "replace_facts"]

BAR_COLUMNS = ["code", "date", "open", "high", "low", "close", "volume", "turnover", "adjusted", "source_id"]
_UPSERT_TABLES = ("fx_rates", "lockup_releases")


def _count(led: "Ledger", table: str, source_id: str) -> int:
    return led.con.execute(f"SELECT count(*) FROM {table} WHERE source_id = ?", [source_id]).fetchall()[0][0]


def upsert_bars(led: "Ledger", bars: pd.DataFrame, source_id: str) -> int:
    """Replace, then insert the bars (columns ``BAR_COLUMNS``): re-fetched bars overwrite their old values."""
    if bars.empty:
        return 0
    before = _count(led, "prices", source_id)
    led.con.register("_bars", bars[BAR_COLUMNS])
    try:
        led.con.execute("DELETE FROM prices p USING _bars b WHERE p.code = b.code AND p.date = CAST(b.date AS DATE) "
                        "AND p.adjusted = b.adjusted AND p.source_id = b.source_id")
        led.con.execute("INSERT INTO prices SELECT code, CAST(date AS DATE), open, high, low, close, volume, "
                        "turnover, adjusted, source_id FROM _bars")
    finally:
        led.con.unregister("_bars")
    return _count(led, "prices", source_id) - before


def upsert_rows(led: "Ledger", table: str, rows: list[tuple], source_id: str) -> int:
    """INSERT OR REPLACE rows (in the table's column order) into fx_rates or lockup_releases."""
    if table not in _UPSERT_TABLES:
        raise ValueError(f"not an upsert table: {table}")
    if not rows:
        return 0
    marks = ", ".join("?" * len(rows[0]))
    before = _count(led, table, source_id)
    led.con.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
    return _count(led, table, source_id) - before


def replace_facts(led: "Ledger", facts: list[Fact], entities: Iterable[Entity], source_id: str) -> int:
    """Facts of one source replacing those with the same ext_id, plus new listing entities; returns the net gain."""
    before = _count(led, "facts", source_id)
    led.add_entities(list(entities))
    if facts:
        led.con.executemany("DELETE FROM facts WHERE source_id = ? AND ext_id = ?",
                            sorted({(source_id, f.ext_id) for f in facts}))
        led.add_facts(facts)
    return _count(led, "facts", source_id) - before
