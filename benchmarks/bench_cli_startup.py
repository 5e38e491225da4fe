"""CLI start-up time as a ratio to a bare interpreter (`python -c pass`), both run side by side.

    python benchmarks/bench_cli_startup.py [--runs 15]

Prints the median wall time of each and `cli_help_vs_python_pass=R`.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def _median_ms(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    base = _median_ms([sys.executable, "-c", "pass"], args.runs)
    cli = _median_ms([sys.executable, "-m", "ipolens.cli", "--help"], args.runs)
    print(f"python_pass_ms={base:.1f}")
    print(f"cli_help_ms={cli:.1f}")
    print(f"cli_help_vs_python_pass={cli / base:.2f}")


if __name__ == "__main__":
    main()
