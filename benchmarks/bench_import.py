"""Benchmark: ``import prices`` of a generated 10-million-row CSV vs DuckDB's own read_csv of the same file.

    python benchmarks/bench_import.py [--rows N] [--layout yahoo|akshare]

Prints ``import_vs_duckdb_read_csv=R`` where R = DuckDB read_csv time / import time (1.0 = as fast as DuckDB
loading the file into a table on its own; the goal is R >= 0.5). The import is the use case
(``ipolens.app.data.import_prices``) on a fresh on-disk store, so it pays for opening the file, the transaction, the
code mapping, the duplicate-day check and the derived-facts refresh that DuckDB's plain read does not.

Both sides run ``--repeat`` times, interleaved, each into a fresh database; R is the ratio of the best times (as
``timeit`` reports), and the ratio of the medians is printed beside it. A shared 2-core machine swings single runs
by +-30%, which a single pair of timings would turn into noise in R.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb


def generate(path: Path, rows: int, layout: str, bad_row: int | None = None) -> None:
    """rows bars: 2,000 listings x (rows / 2,000) trading days, written by DuckDB's COPY (fast and deterministic).
    With ``bad_row``, that data row (1-based) gets an unreadable open price."""
    codes = 2000
    days = max(1, -(-rows // codes))
    bad = -1 if bad_row is None else bad_row - 1
    c, d = f"(i // {days})", f"(i % {days})"
    open_ = f"CASE WHEN i = {bad} THEN 'n/a' ELSE CAST(round(10 + {c} % 97 + {d} % 13 * 0.1, 2) AS VARCHAR) END"
    day = f"DATE '1990-01-01' + CAST({d} AS INTEGER)"
    if layout == "yahoo":
        select = f"""SELECT printf('%05d.HK', {c} + 1) AS code, {day} AS "Date", {open_} AS "Open",
                    10.5 + {c} % 97 + {d} % 13 * 0.1 AS "High", 9.5 + {c} % 97 + {d} % 13 * 0.1 AS "Low",
                    10.2 + {c} % 97 + {d} % 11 * 0.1 AS "Close", 10.0 + {c} % 97 + {d} % 11 * 0.1 AS "Adj Close",
                    1000 + ({c} * 7 + {d}) % 100000 AS "Volume" """
    else:
        select = f"""SELECT printf('%06d', 600000 + {c}) AS 股票代码, {day} AS 日期, {open_} AS 开盘,
                    10.2 + {c} % 97 + {d} % 11 * 0.1 AS 收盘, 10.5 + {c} % 97 + {d} % 13 * 0.1 AS 最高,
                    9.5 + {c} % 97 + {d} % 13 * 0.1 AS 最低, 1000 + ({c} * 7 + {d}) % 100000 AS 成交量,
                    1.0e6 + {c} * {d} AS 成交额, 1.5 AS 换手率 """
    con = duckdb.connect()
    con.execute(f"COPY ({select} FROM range({rows}) t(i) ORDER BY i) TO '{path}' (HEADER, DELIMITER ',')")
    con.close()


def time_duckdb(path: Path, workdir: Path) -> float:
    _fresh(workdir / "plain.duckdb")
    con = duckdb.connect(str(workdir / "plain.duckdb"))
    t = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def time_import(path: Path, workdir: Path) -> tuple[float, int]:
    from ipolens.app.data import import_prices
    from ipolens.ledger.access import Store

    _fresh(workdir / "ledger.duckdb")
    store = Store(workdir / "ledger.duckdb")
    with store.write():  # the schema, created before the clock starts (as a user's ledger already has it)
        pass
    t = time.perf_counter()
    n = import_prices(store, path, source_title="benchmark").rows
    elapsed = time.perf_counter() - t
    return elapsed, n


def _fresh(db: Path) -> None:
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--layout", choices=("yahoo", "akshare"), default="akshare")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each side (default 3)")
    ap.add_argument("--no-bad-row", dest="bad_row", action="store_false",
                    help="skip the check that a bad row at rows-1 leaves the store unchanged")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv_path = work / "prices.csv"
        t = time.perf_counter()
        generate(csv_path, args.rows, args.layout)
        print(f"generated {args.rows:,} rows ({args.layout} layout, {csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t:.1f}s")
        ducks, imps = [], []
        for _ in range(max(1, args.repeat)):
            ducks.append(time_duckdb(csv_path, work))
            elapsed, n = time_import(csv_path, work)
            imps.append(elapsed)
        print("duckdb_read_csv_s=" + ",".join(f"{t:.2f}" for t in ducks))
        print("import_prices_s=" + ",".join(f"{t:.2f}" for t in imps) + f" rows_written={n:,}")
        print(f"median_ratio={statistics.median(ducks) / statistics.median(imps):.2f}")
        print(f"import_vs_duckdb_read_csv={min(ducks) / min(imps):.2f}")
        if args.bad_row:
            check_bad_row(work, args.rows, args.layout)


def check_bad_row(work: Path, rows: int, layout: str) -> None:
    """A file with an unreadable value at row rows-1 (9,999,999 by default) must leave the store unchanged."""
    from ipolens.app.data import import_prices
    from ipolens.data.prices import PriceImportError
    from ipolens.ledger.access import Store

    bad_path = work / "prices_bad.csv"
    bad_at = rows - 1
    generate(bad_path, rows, layout, bad_row=bad_at)
    store = Store(work / "ledger.duckdb")

    def fingerprint():
        with store.read() as led:
            return led.con.execute("SELECT count(*), sum(hash(code, date, close)) FROM prices").fetchall()

    before = fingerprint()
    t = time.perf_counter()
    try:
        import_prices(store, bad_path, source_title="benchmark, bad row")
        message = None
    except PriceImportError as exc:
        message = str(exc)
    after = fingerprint()
    ok = message is not None and f"row {bad_at:d}" in message and before == after
    print(f"bad_row={bad_at} failed_in_s={time.perf_counter() - t:.1f} store_unchanged={before == after}")
    print(f"bad_row_message={message}")
    print(f"bad_row_rolled_back={ok}")


if __name__ == "__main__":
    main()
