"""Web API under concurrent clients: p50 latency with 16 clients at once against 1 client, side by side.

Runs `ipolens serve` on a throwaway ledger and asks for one IPO profile (`/api/ipos/6082.HK`) and the IPO table
(`/api/ipos?market=HK`). Prints the p50 of each client count and `concurrent16_vs_single_p50=R`: the floor is
16 / cores (every request needs the CPU for its own work), so a server that queues requests one at a time shows R
near 16 and one that runs them in parallel shows R near 16 / cores or below (DuckDB works outside the GIL).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:  # noqa: S310 - loopback
        r.read()
    return time.perf_counter() - t


def _run(urls: list[str], clients: int, per_client: int) -> list[float]:
    out: list[float] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        for k in range(per_client):
            dt = _timed(urls[(i + k) % len(urls)])
            with lock:
                out.append(dt)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=8, help="requests per client")
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="ipolens-bench-web-")
    env = {**os.environ, "IPOLENS_HOME": home}
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "ipolens"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                _timed(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        urls = [base + "/api/ipos/6082.HK", base + "/api/ipos?market=HK"]
        _run(urls, 1, 4)  # warm caches
        single = statistics.median(_run(urls, 1, args.requests * 2))
        many = statistics.median(_run(urls, 16, args.requests))
        cores = os.cpu_count() or 1
        print(f"single_client_p50_ms={single * 1000:.0f}")
        print(f"concurrent16_p50_ms={many * 1000:.0f}")
        print(f"concurrent16_vs_single_p50={many / single:.2f} (floor {16 / cores:.1f} = 16 clients / {cores} cores)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
