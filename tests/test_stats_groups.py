"""Grouped first-day statistics, sponsor records and N-day returns vs the HSI."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from ipolens.analytics import stats
from ipolens.app.profile import ipos_from


def _hk(store) -> pd.DataFrame:
    with store.read() as led:
        return ipos_from(led, "HK")


def test_summarize_basic():
    s = stats.summarize([10.0, -5.0, 0.0, 20.0, float("nan")])
    assert s["count"] == 4
    assert s["mean"] == pytest.approx(6.25)
    assert s["median"] == pytest.approx(5.0)
    assert s["pct_positive"] == pytest.approx(50.0)
    assert s["pct_broken"] == pytest.approx(25.0)
    assert stats.summarize([])["mean"] is None


@given(st.lists(st.floats(min_value=-99, max_value=5000, allow_nan=False), min_size=1, max_size=50))
def test_summarize_matches_numpy(xs):
    s = stats.summarize(xs)
    a = np.array(xs)
    assert s["count"] == len(xs)
    assert math.isclose(s["mean"], a.mean(), rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(s["median"], float(np.median(a)), rel_tol=1e-9, abs_tol=1e-9)
    assert s["p10"] <= s["p25"] <= s["median"] + 1e-9 <= s["p75"] + 2e-9 <= s["p90"] + 3e-9


def test_split_sponsors_keeps_legal_names():
    assert stats.split_sponsors("China Merchants Securities (HK) Co., Ltd") == ["China Merchants Securities (HK) Co., Limited"]
    assert stats.split_sponsors("Goldman Sachs (Asia) L.L.C., Haitong International Capital Limited") == [
        "Goldman Sachs (Asia) L.L.C.", "Haitong International Capital Limited"]
    assert stats.split_sponsors("Morgan Stanley Asia Ltd / Goldman Sachs (Asia) L.L.C.") == [
        "Morgan Stanley Asia Limited", "Goldman Sachs (Asia) L.L.C."]
    assert stats.split_sponsors(None) == []


def test_route_groups():
    assert stats.route_of("18C specialist tech") == "18C"
    assert stats.route_of("A+H (19A)") == "A+H"
    assert stats.route_of("Conventional") == "conventional"
    assert stats.route_of(None) == "not recorded"
    assert stats.route_of(None, "18C") == "18C"


def test_by_year_and_route(store):
    ipos = _hk(store)
    by_year = stats.first_day_by(ipos, "year")
    years = {g["year"]: g for g in by_year["groups"]}
    assert set(years) >= {2019, 2020, 2021, 2022, 2026}
    assert years[2026]["count"] == 8
    kept = ipos[ipos["counts_as_ipo"].fillna(1) != 0]
    r2020 = kept[pd.to_datetime(kept["listing_date"]).dt.year == 2020]["first_day_return"].dropna()
    assert years[2020]["mean"] == pytest.approx(r2020.mean())
    routes = {g["route"]: g for g in stats.first_day_by(ipos, "route")["groups"]}
    assert routes["18C"]["count"] == 3 and routes["A+H"]["count"] == 3 and routes["conventional"]["count"] == 2
    assert routes["18C"]["median"] == pytest.approx(75.8163)  # Zhipu 13.2, Biren 75.8, MiniMax 109.1
    json.dumps(by_year)  # JSON-ready


def test_sponsor_track_record(store):
    out = stats.sponsor_track_record(_hk(store))
    top = out["groups"][0]
    assert top["ipos"] >= out["groups"][-1]["ipos"]
    assert 0 <= top["pct_broken"] <= 100
    names = [g["sponsor"] for g in out["groups"]]
    assert len(names) == len(set(names))
    assert not any(n in ("Ltd", "Limited", "Co.") for n in names)


def test_nday_rebases_stock_to_listing_close():
    # offer 10, listing close 15 (r0 = +50%), day 80 at 18 (+80% from offer): +20% from the listing close.
    after = pd.DataFrame({"ret_day0": [50.0], "ret_day80": [80.0], "hsi_ret_day80": [5.0]})
    out = stats.nday_vs_index(after)
    d80 = out["days"][0]
    assert d80["day"] == 80 and d80["count"] == 1
    assert d80["mean_from_listing_close"] == pytest.approx(20.0)
    assert d80["mean_excess_vs_hsi"] == pytest.approx(15.0)
    assert d80["mean_from_offer"] == pytest.approx(80.0)


def test_nday_drops_vendor_disagreement():
    after = pd.DataFrame({"ret_day0": [0.0, -100.0, 10.0], "ret_day80": [10.0, 5.0, 10.0],
                          "hsi_ret_day80": [0.0, 0.0, 0.0], "vendor_discrepancy": [0.0, 0.0, 611.0]})
    out = stats.nday_vs_index(after)
    assert out["excluded_rows"] == 2
    assert out["days"][0]["count"] == 1


def test_cli_stats_tables(run_cli):
    for by in ("year", "route", "sponsor", "nday", "band"):
        res = run_cli("stats", "--by", by, "--market", "HK")
        assert res.exit_code == 0, res.output
    res = run_cli("stats", "--by", "nonsense")
    assert res.exit_code != 0
