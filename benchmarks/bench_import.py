"""Benchmark: ``import prices`` of a generated 10-million-row CSV vs DuckDB's own read_csv of the same file.

    python benchmarks/bench_import.py [--rows N] [--layout yahoo|akshare]

Prints ``import_vs_duckdb_read_csv=R`` where R = DuckDB read_csv time / import time (1.0 = as fast as DuckDB
loading the file into a table on its own; the goal is R >= 0.5). The import runs into a fresh on-disk ledger, so
it pays for the primary-key index and the transaction that DuckDB's plain read does not.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb


def generate(path: Path, rows: int, layout: str) -> None:
    """rows bars: 2,000 listings x (rows / 2,000) trading days, written by DuckDB's COPY (fast and deterministic)."""
    codes = 2000
    days = max(1, rows // codes)
    con = duckdb.connect()
    if layout == "yahoo":
        select = """SELECT printf('%05d.HK', c + 1) AS code, DATE '1990-01-01' + CAST(d AS INTEGER) AS "Date",
                    10 + (c % 97) + (d % 13) * 0.1 AS "Open", 10.5 + (c % 97) + (d % 13) * 0.1 AS "High",
                    9.5 + (c % 97) + (d % 13) * 0.1 AS "Low", 10.2 + (c % 97) + (d % 11) * 0.1 AS "Close",
                    10.0 + (c % 97) + (d % 11) * 0.1 AS "Adj Close", 1000 + (c * 7 + d) % 100000 AS "Volume" """
    else:
        select = """SELECT printf('%06d', 600000 + c) AS 股票代码, DATE '1990-01-01' + CAST(d AS INTEGER) AS 日期,
                    10 + (c % 97) + (d % 13) * 0.1 AS 开盘, 10.2 + (c % 97) + (d % 11) * 0.1 AS 收盘,
                    10.5 + (c % 97) + (d % 13) * 0.1 AS 最高, 9.5 + (c % 97) + (d % 13) * 0.1 AS 最低,
                    1000 + (c * 7 + d) % 100000 AS 成交量, 1.0e6 + c * d AS 成交额, 1.5 AS 换手率 """
    con.execute(f"""COPY ({select} FROM range({codes}) t1(c), range({days}) t2(d) ORDER BY c, d)
                    TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def time_duckdb(path: Path, workdir: Path) -> float:
    con = duckdb.connect(str(workdir / "plain.duckdb"))
    t = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def time_import(path: Path, workdir: Path) -> tuple[float, int]:
    from ipolens.data.prices import import_prices
    from ipolens.ledger.store import Ledger

    ledger = Ledger(workdir / "ledger.duckdb")
    t = time.perf_counter()
    n = import_prices(ledger, path, source_title="benchmark")
    elapsed = time.perf_counter() - t
    ledger.close()
    return elapsed, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--layout", choices=("yahoo", "akshare"), default="akshare")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv_path = work / "prices.csv"
        t = time.perf_counter()
        generate(csv_path, args.rows, args.layout)
        print(f"generated {args.rows:,} rows ({args.layout} layout, {csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t:.1f}s")
        duck = time_duckdb(csv_path, work)
        imp, n = time_import(csv_path, work)
        print(f"duckdb_read_csv_s={duck:.2f}")
        print(f"import_prices_s={imp:.2f} rows_written={n:,}")
        print(f"import_vs_duckdb_read_csv={duck / imp:.2f}")


if __name__ == "__main__":
    main()
