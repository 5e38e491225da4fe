"""A ledger that cannot be written: a full disk and a read-only folder, as the operating system reports them (not
simulated). The CLI runs in a child process limited by RLIMIT_FSIZE (writes past the limit fail as they do on a full
disk) or without write permission on the ledger's folder. Each exits 2 with `error:`, writes nothing, and every read
command still works."""
from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
BROKER = REPO / "tests" / "fixtures" / "import" / "broker_hk_2025_26.csv"
BROKER_MAP = REPO / "tests" / "fixtures" / "import" / "broker_hk_map.yaml"


def _cli(home: Path, *args: str, preexec=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, IPOLENS_HOME=str(home), IPOLENS_LOCK_WAIT="2")
    return subprocess.run([sys.executable, "-m", "ipolens.cli", *args], env=env, capture_output=True, text=True,
                          preexec_fn=preexec, timeout=300)


def _content(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("sources", "entities", "facts", "deal_parties", "prices", "company_links")]
    finally:
        con.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture()
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    assert _cli(h, "ipo", "6082.HK", "--json").returncode == 0  # builds the ledger from the embedded data
    return h


def _file_size_limit(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_during_import(home):
    db = home / "ipolens.duckdb"
    before = _content(db)
    r = _cli(home, "import", str(BROKER), "--mapping", str(BROKER_MAP), "--source-title", "broker",
             preexec=_file_size_limit(64 * 1024))
    assert r.returncode == 2, r.stderr[-2000:]
    assert r.stderr.startswith("error: cannot write the ledger") and "Traceback" not in r.stderr
    assert "free disk space" in r.stderr
    assert _content(db) == before
    assert _cli(home, "ipo", "6082.HK", "--json").returncode == 0
    # with room again the same import lands whole
    assert _cli(home, "import", str(BROKER), "--mapping", str(BROKER_MAP), "--source-title", "broker").returncode == 0
    assert _content(db) != before


@contextlib.contextmanager
def _read_only(folder: Path):
    """The folder made unwritable: its write bits removed, or, when the tests run as root (root ignores file modes),
    the immutable attribute (`chattr +i`, which holds for root too)."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        os.chmod(folder, 0o555)
        try:
            yield
        finally:
            os.chmod(folder, mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
        pytest.skip("running as root on a filesystem without chattr +i: no way to make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_ledger_folder_serves_reads_and_refuses_writes(home):
    db = home / "ipolens.duckdb"
    before = _content(db)
    with _read_only(home):
        with pytest.raises(OSError):
            (home / "probe").write_text("x")  # the folder really is read-only
        for args in (("ipo", "6082.HK", "--json"), ("ipos",), ("stats", "--json"), ("conflicts",)):
            r = _cli(home, *args)
            assert r.returncode == 0, (args, r.stderr[-1500:])
        r = _cli(home, "import", str(BROKER), "--mapping", str(BROKER_MAP), "--source-title", "broker")
        assert r.returncode == 2 and r.stderr.startswith("error: cannot write the ledger"), r.stderr[-1500:]
        assert "Traceback" not in r.stderr and "writable" in r.stderr
    assert _content(db) == before
