"""Issue 15: `lab` and `stats` read a Parquet lake written by `ipolens export --parquet` (a folder or an fsspec URL)
and give the same results as from the ledger."""
from __future__ import annotations

import pandas as pd
import pytest

from ipolens.app import lab as L
from ipolens.app import stats as S
from ipolens.app.base import UserError
from ipolens.app.data import export, import_prices
from ipolens.ledger.lake import lake_daily_bars

# Biren (6082.HK) listed on 2026-01-02: three daily bars in the Yahoo layout
BARS = ("Date,Open,High,Low,Close,Adj Close,Volume\n2026-01-02,35.70,40.00,30.10,33.50,33.50,100\n"
        "2026-01-05,33.00,34.20,31.00,32.10,32.10,90\n2026-01-06,32.00,33.00,29.50,30.40,30.40,80\n")


@pytest.fixture()
def lake(fresh_store, tmp_path):
    (tmp_path / "6082.HK.csv").write_text(BARS, encoding="utf-8")
    import_prices(fresh_store, tmp_path / "6082.HK.csv")
    export(fresh_store, tmp_path / "lake")
    return fresh_store, tmp_path / "lake"


def test_daily_bars_from_the_lake(lake):
    store, path = lake
    bars = lake_daily_bars(str(path), ["HK:06082", "HK:99999"])
    assert bars["code"].unique().tolist() == ["HK:06082"]
    assert bars["close"].tolist() == [33.50, 32.10, 30.40]  # the CSV's closes, in date order
    assert [str(d) for d in bars["date"]] == ["2026-01-02", "2026-01-05", "2026-01-06"]


def test_lab_and_stats_from_the_lake_equal_the_ledger(lake):
    store, path = lake
    u1 = L.load_universe(store, "HK", 2026, 2026)
    u2 = L.load_universe(store, "HK", 2026, 2026, lake=str(path))
    assert u1.meta["code"].tolist() == u2.meta["code"].tolist()
    i = u2.meta["code"].tolist().index("06082.HK")
    assert u2.bars(i)["close"].tolist() == [33.50, 32.10, 30.40]  # daily bars, not event horizons
    pd.testing.assert_frame_equal(u1.bars(i), u2.bars(i))
    a = L.grid(store, "HK", 2018, 2026, exits="debut,day:80", stops="none,0.1").to_dict()
    b = L.grid(store, "HK", 2018, 2026, exits="debut,day:80", stops="none,0.1", lake=str(path)).to_dict()
    assert a == b
    for by in ("band", "nday"):
        assert S.stats(store, by=by, market="HK").to_dict() == S.stats(store, by=by, market="HK",
                                                                      lake=str(path)).to_dict()


def test_lake_through_an_fsspec_url(lake):
    fsspec = pytest.importorskip("fsspec")
    store, path = lake
    fs = fsspec.filesystem("memory")
    fs.put(str(path), "/ipolens-test-lake", recursive=True)
    try:
        a = L.grid(store, "HK", 2019, 2022, exits="debut", stops="none,0.2").to_dict()
        b = L.grid(store, "HK", 2019, 2022, exits="debut", stops="none,0.2", lake="memory://ipolens-test-lake")
        assert a == b.to_dict()
    finally:
        fs.rm("/ipolens-test-lake", recursive=True)


def test_a_missing_lake_is_a_clear_error(store, tmp_path):
    with pytest.raises(UserError, match="no such lake folder"):
        S.stats(store, lake=str(tmp_path / "nope"))
    (tmp_path / "half").mkdir()
    with pytest.raises(UserError, match="no facts/ Parquet files"):
        L.grid(store, "HK", 2019, 2022, lake=str(tmp_path / "half"))
