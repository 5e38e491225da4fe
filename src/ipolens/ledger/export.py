"""The SQL of ``ipolens export --parquet``: each table's rows with their market and year, copied to Parquet.

DuckDB writes the files itself, so no pyarrow is needed. The folder handling (staging, swap) is ``data.export``'s.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["EXPORT_TABLES", "ExportError", "export_table", "MARKET_SQL"]


class ExportError(RuntimeError):
    """The export cannot be written where asked; the message names the path. Earlier exports stay intact."""


def _market(expr: str) -> str:
    """The market of an entity key: HK, STAR (SH 688/689), SH, SZ, NASDAQ (US), else the key's prefix."""
    return (f"CASE WHEN {expr} LIKE 'HK:%' THEN 'HK' "
            f"WHEN {expr} LIKE 'SH:688%' OR {expr} LIKE 'SH:689%' THEN 'STAR' "
            f"WHEN {expr} LIKE 'SH:%' THEN 'SH' WHEN {expr} LIKE 'SZ:%' THEN 'SZ' "
            f"WHEN {expr} LIKE 'US:%' THEN 'NASDAQ' "
            f"ELSE coalesce(nullif(split_part({expr}, ':', 1), ''), 'OTHER') END")


MARKET_SQL = _market("code")

# Facts take their year from as_of, else their source's publication date; facts with neither go to year=0.
_QUERIES = {
    "prices": f"""SELECT p.*, {_market('p.code')} AS market, year(p.date) AS year FROM prices p""",
    "facts": f"""SELECT f.*, s.kind AS source_kind, s.title AS source_title,
                        {_market('f.entity')} AS market,
                        coalesce(year(f.as_of), year(s.published), 0) AS year
                 FROM facts f LEFT JOIN sources s ON s.id = f.source_id""",
}
EXPORT_TABLES = tuple(_QUERIES)


def export_table(led: "Ledger", table: str, folder: Path) -> int:
    """COPY the table's rows under ``folder`` (a new path), partitioned by market and year; returns the row count.

    An empty table is written as one zero-row ``empty.parquet`` (readers get no rows, not stale ones or an error)."""
    sql = _QUERIES[table]
    con = led.con
    n = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
    path = str(folder).replace("'", "''")
    try:
        if n == 0:
            folder.mkdir()
            con.execute(f"COPY ({sql}) TO '{path}/empty.parquet' (FORMAT parquet)")
        else:
            con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, PARTITION_BY (market, year))")
    except (duckdb.Error, OSError) as exc:  # a full disk, a vanished folder: the previous export is untouched
        raise ExportError(f"writing {folder.name} failed, the previous export is kept: {exc}") from None
    return n
