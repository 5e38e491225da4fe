"""Several processes on one ledger: `ipolens serve` running while the CLI and a notebook read, and a writer that
either gets the file or fails in bounded time naming the process that holds it. Real processes, real file locks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")

BIN = Path(sys.executable).parent
IPOLENS = str(BIN / "ipolens")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
        return r.status, r.read()


@pytest.fixture()
def home(tmp_path):
    env = {**os.environ, "IPOLENS_HOME": str(tmp_path), "IPOLENS_LOCK_WAIT": "3", "COLUMNS": "200"}
    subprocess.run([IPOLENS, "ipos", "--limit", "1"], env=env, check=True, capture_output=True, timeout=120)
    return env


@pytest.fixture()
def server(home):
    port = _free_port()
    proc = subprocess.Popen([IPOLENS, "serve", "--port", str(port)], env=home,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(base + "/healthz", 1)[0] == 200:
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start: " + proc.stderr.read().decode(errors="replace")[-2000:])
            time.sleep(0.2)
    assert _get(base + "/api/ipos/6082.HK")[0] == 200  # the server has read the ledger
    yield base
    proc.terminate()
    proc.wait(10)


def _run(env, *args, timeout=120):
    return subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=timeout)


def _listing_file(tmp_path: Path) -> Path:
    p = tmp_path / "new.csv"
    p.write_text("code,name_en,listing_date,offer_price,close_price,currency\n"
                 "3999.HK,Concurrency Test Ltd,2026-03-02,10.00,12.50,HKD\n", encoding="utf-8")
    return p


def test_reads_succeed_while_serve_runs(server, home):
    for args in ([IPOLENS, "ipo", "6082.HK"], [IPOLENS, "ipos"],
                 [sys.executable, "-c", "import ipolens; print(len(ipolens.open().ipos()))"]):
        r = _run(home, *args)
        assert r.returncode == 0, (args, r.stderr)
    # the server still answers afterwards
    assert _get(server + "/api/ipos?limit=1")[0] == 200


def test_write_beside_serve_lands_and_the_server_sees_it(server, home, tmp_path):
    t = time.monotonic()
    r = _run(home, IPOLENS, "import", str(_listing_file(tmp_path)), "--source-title", "beside serve")
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t < 30
    status, body = _get(server + "/api/ipos/3999.HK")
    assert status == 200 and b"Concurrency Test" in body


def test_write_against_a_held_file_fails_in_bounded_time_naming_the_holder(home, tmp_path):
    ledger = Path(home["IPOLENS_HOME"]) / "ipolens.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time\n"
        f"c = duckdb.connect({str(ledger)!r}, read_only=True)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t = time.monotonic()
        r = _run(home, IPOLENS, "import", str(_listing_file(tmp_path)), "--source-title", "blocked")
        took = time.monotonic() - t
        assert r.returncode != 0
        assert f"process {holder.pid}" in r.stderr, r.stderr
        assert took < 3 + 10  # IPOLENS_LOCK_WAIT plus start-up
        # reads still work beside the holder
        assert _run(home, IPOLENS, "ipo", "6082.HK").returncode == 0
    finally:
        holder.kill()
        holder.wait()
    # and nothing was half-written: the listing is absent
    r = _run(home, IPOLENS, "ipo", "3999.HK")
    assert r.returncode == 2
