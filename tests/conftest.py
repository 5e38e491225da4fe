"""Shared fixtures. Tests never touch the network; the ledger is in memory or in a temp IPOLENS_HOME."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The reference material beside the repository. A clone on its own has none: tests marked `needs_shared` then skip
# with a reason. IPOLENS_SHARED points elsewhere (CI sets it to a missing folder to run the suite as a user would).
SHARED = Path(os.environ.get("IPOLENS_SHARED") or REPO.parent / "shared")
needs_shared = pytest.mark.needs_shared


def pytest_collection_modifyitems(config, items):
    if SHARED.exists():
        return
    skip = pytest.mark.skip(reason=f"needs the reference material in {SHARED} (../shared), which a clone lacks")
    for item in items:
        if item.get_closest_marker("needs_shared"):
            item.add_marker(skip)


def pytest_configure(config):
    # Tests never touch the user's own ledger: anything that opens the default store gets a throwaway home.
    home = tempfile.mkdtemp(prefix="ipolens-test-home-")
    os.environ["IPOLENS_HOME"] = home
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))  # a run leaves no homes behind in /tmp


@pytest.fixture(scope="session")
def db():
    """A read-only-by-convention in-memory ledger with the embedded dataset. Don't write to it in tests."""
    import ipolens

    d = ipolens.open(":memory:")
    yield d
    d.close()


@pytest.fixture(scope="session")
def store():
    """An in-memory Store with the embedded dataset, shared by the session. Don't write to it in tests."""
    from ipolens.app.store import open_store

    s = open_store(":memory:")
    yield s
    s.close()


@pytest.fixture()
def fresh_store():
    """A throwaway in-memory Store with the embedded dataset, for tests that write."""
    from ipolens.app.store import open_store

    s = open_store(":memory:")
    yield s
    s.close()


@pytest.fixture()
def fresh_db():
    import ipolens

    d = ipolens.open(":memory:")
    yield d
    d.close()


@pytest.fixture(scope="session")
def cli_home(tmp_path_factory):
    """An IPOLENS_HOME shared by CLI tests (the ledger file is built on first use)."""
    return tmp_path_factory.mktemp("ipolens-home")


@pytest.fixture()
def run_cli(cli_home, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(cli_home))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps to the terminal width; keep rows on one line
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


# -- parity: the CLI's --json and the web API on one ledger file (tests/test_parity_*.py) --------------------------
@pytest.fixture(scope="session")
def parity_home(tmp_path_factory):
    return tmp_path_factory.mktemp("parity-home")


@pytest.fixture(scope="session")
def client(parity_home):
    """The real app (routers, guards, worker pool) over the ledger file the CLI opens (IPOLENS_HOME=parity_home).
    Parity tests only read it."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from ipolens.app.store import open_store
    from ipolens.web import create_app

    with TestClient(create_app(store=open_store(parity_home / "ipolens.duckdb"), time_limit=60)) as c:
        yield c


@pytest.fixture(scope="session")
def cli(parity_home, client):  # after `client`: the web's store built the ledger file; the CLI only reads it
    import json

    from typer.testing import CliRunner

    from ipolens.cli import app

    def run(*args: str, raw: bool = False):
        r = CliRunner().invoke(app, list(args), env={"IPOLENS_HOME": str(parity_home), "COLUMNS": "200"})
        if r.exit_code == 0:
            return 0, (r.stdout if raw else json.loads(r.stdout))
        assert r.output.startswith("error: "), r.output
        return r.exit_code, r.output[len("error: "):].strip()

    return run


def same(cli_answer, response):
    """Both faces succeed with equal JSON, or both refuse (exit 2 / HTTP 400 or 404) with the same message."""
    code, body = cli_answer
    if response.status_code == 200:
        assert code == 0, body
        assert body == response.json()
        return body
    assert response.status_code in (400, 404) and code == 2, (response.status_code, code, body)
    assert body == response.json()["detail"]
    return body
