"""``ipolens export --parquet DIR``: prices and facts as Hive-partitioned Parquet (market=…/year=…/).

Spark, Dask, Polars and DuckDB read the tree as one table (``read_parquet('DIR/prices/**/*.parquet',
hive_partitioning=true)``). DuckDB writes the files itself, so no pyarrow is needed.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

__all__ = ["export_parquet", "ExportError", "MARKET_SQL"]


def _market(expr: str) -> str:
    """The market of an entity key: HK, STAR (SH 688/689), SH, SZ, NASDAQ (US), else the key's prefix."""
    return (f"CASE WHEN {expr} LIKE 'HK:%' THEN 'HK' "
            f"WHEN {expr} LIKE 'SH:688%' OR {expr} LIKE 'SH:689%' THEN 'STAR' "
            f"WHEN {expr} LIKE 'SH:%' THEN 'SH' WHEN {expr} LIKE 'SZ:%' THEN 'SZ' "
            f"WHEN {expr} LIKE 'US:%' THEN 'NASDAQ' "
            f"ELSE coalesce(nullif(split_part({expr}, ':', 1), ''), 'OTHER') END")


MARKET_SQL = _market("code")


class ExportError(RuntimeError):
    """The export cannot be written where asked; the message names the path. Earlier exports stay intact."""


def export_parquet(ledger, directory: str | Path) -> dict[str, int]:
    """Write ``DIR/prices`` and ``DIR/facts`` partitioned by market and year; returns rows written per table.

    Facts take their year from ``as_of``, else their source's publication date; facts with neither go to
    ``year=0``. Each table's folder is replaced whole: written beside it first, then swapped in, so a failed
    export leaves the previous one readable and a re-export never mixes old files with new ones. An empty
    table is written as one zero-row ``empty.parquet`` (readers get no rows, not stale ones or an error).
    """
    out = Path(directory)
    _prepare(out)
    con = ledger.con
    queries = {
        "prices": f"""SELECT p.*, {_market('p.code')} AS market, year(p.date) AS year FROM prices p""",
        "facts": f"""SELECT f.*, s.kind AS source_kind, s.title AS source_title,
                            {_market('f.entity')} AS market,
                            coalesce(year(f.as_of), year(s.published), 0) AS year
                     FROM facts f LEFT JOIN sources s ON s.id = f.source_id""",
    }
    counts = {}
    for name, sql in queries.items():
        target = out / name
        if target.exists() and not target.is_dir():
            raise ExportError(f"{target} exists and is not a folder; move it or export elsewhere")
        # the staging folder sits beside the target (same file system, so the swap is a rename) and starts
        # with a dot, outside the DIR/<table>/** glob readers use
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{name}-export-", dir=out))
        except OSError as exc:
            raise ExportError(f"cannot write under {out}: {exc.strerror or exc}") from None
        try:
            counts[name] = _write(con, sql, staging / name)
            _swap(staging / name, target, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return counts


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder; pass a folder for --parquet")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a parent is a file, no permission, read-only disk
        raise ExportError(f"cannot create {out}: {exc.strerror or exc}") from None


def _write(con, sql: str, folder: Path) -> int:
    """COPY the query's rows under ``folder`` (a new path); returns the row count."""
    import duckdb

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


def _swap(new: Path, target: Path, staging: Path) -> None:
    """Put ``new`` at ``target``: the old folder moves into ``staging`` (removed by the caller), then ``new`` in."""
    old = staging / "previous"
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError as exc:
        if old.exists():
            old.rename(target)  # put the previous export back
        raise ExportError(f"cannot replace {target}: {exc.strerror or exc}") from None
