"""Issue 15: `ipolens stats --lake` reads a Parquet lake written by `ipolens export --parquet` and prints what
`stats` prints from the ledger the lake was exported from."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    """Its own ledger: other CLI tests add listings to the shared one, and a lake carries no names of listings the
    embedded dataset lacks (docs/scale.md), so their rows would differ for a reason this test is not about."""
    return tmp_path_factory.mktemp("lake-cli-home")


@pytest.fixture()
def lake(run_cli, tmp_path):
    r = run_cli("export", "--parquet", str(tmp_path / "lake"))
    assert r.exit_code == 0, r.output
    return tmp_path / "lake"


def _stats(run_cli, *args: str) -> dict:
    r = run_cli("stats", *args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("args", [("--by", "band"), ("--by", "year"), ("--by", "sponsor", "--market", "HK"),
                                  ("--by", "year_market", "--years", "2019-2024"), ("--by", "nday"),
                                  ("--by", "route", "--all-listings")])
def test_stats_from_the_lake_equal_the_ledger(run_cli, lake, args):
    want = _stats(run_cli, *args)
    got = _stats(run_cli, *args, "--lake", str(lake))
    assert got == want
    assert want.get("groups") or want.get("days")  # a comparison of something, not of two empty results


def test_stats_from_an_fsspec_url(run_cli, lake):
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    fs.put(str(lake), "/ipolens-test-stats-lake", recursive=True)
    try:
        got = _stats(run_cli, "--by", "band", "--lake", "memory://ipolens-test-stats-lake")
    finally:
        fs.rm("/ipolens-test-stats-lake", recursive=True)
    assert got == _stats(run_cli, "--by", "band")


def test_a_missing_lake_exits_2_naming_the_path(run_cli, tmp_path):
    missing = tmp_path / "no-such-lake"
    r = run_cli("stats", "--by", "year", "--lake", str(missing), "--json")
    assert r.exit_code == 2
    assert str(missing) in r.output and "no such lake folder" in r.output


def test_a_lake_without_facts_exits_2(run_cli, tmp_path):
    (tmp_path / "half" / "prices").mkdir(parents=True)
    r = run_cli("stats", "--lake", str(tmp_path / "half"))
    assert r.exit_code == 2
    assert "no facts/ Parquet files" in r.output and str(tmp_path / "half") in r.output
