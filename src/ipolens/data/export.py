"""``ipolens export --parquet DIR``: prices and facts as Hive-partitioned Parquet (market=…/year=…/).

Spark, Dask, Polars and DuckDB read the tree as one table (``read_parquet('DIR/prices/**/*.parquet',
hive_partitioning=true)``). DuckDB writes the files itself, so no pyarrow is needed.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["export_parquet", "MARKET_SQL"]


def _market(expr: str) -> str:
    """The market of an entity key: HK, STAR (SH 688/689), SH, SZ, NASDAQ (US), else the key's prefix."""
    return (f"CASE WHEN {expr} LIKE 'HK:%' THEN 'HK' "
            f"WHEN {expr} LIKE 'SH:688%' OR {expr} LIKE 'SH:689%' THEN 'STAR' "
            f"WHEN {expr} LIKE 'SH:%' THEN 'SH' WHEN {expr} LIKE 'SZ:%' THEN 'SZ' "
            f"WHEN {expr} LIKE 'US:%' THEN 'NASDAQ' "
            f"ELSE coalesce(nullif(split_part({expr}, ':', 1), ''), 'OTHER') END")


MARKET_SQL = _market("code")


def export_parquet(ledger, directory: str | Path) -> dict[str, int]:
    """Write ``DIR/prices`` and ``DIR/facts`` partitioned by market and year; returns rows written per table.

    Facts take their year from ``as_of``, else their source's publication date; facts with neither go to
    ``year=0``. Existing files under the two folders are replaced.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
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
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
        counts[name] = n
        if n == 0:
            continue
        path = str(target).replace("'", "''")
        con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, PARTITION_BY (market, year), "
                    f"OVERWRITE true)")
    return counts
