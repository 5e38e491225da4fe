"""Grouped first-day statistics, sponsor records and N-day returns vs the HSI."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

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
    # banks by their vocabulary name; a comma inside a legal name or before a branch does not split
    assert stats.split_sponsors("China Merchants Securities (HK) Co., Ltd") == ["China Merchants Securities"]
    assert stats.split_sponsors("Goldman Sachs (Asia) L.L.C., Haitong International Capital Limited") == [
        "Goldman Sachs", "Haitong International"]
    assert stats.split_sponsors("Morgan Stanley Asia Ltd / Goldman Sachs (Asia) L.L.C.") == [
        "Morgan Stanley", "Goldman Sachs"]
    assert stats.split_sponsors("UBS AG, Hong Kong Branch; 中金公司 and CICC") == ["UBS", "CICC"]
    # a known name with a separator inside it stays whole ("and" splits lists, not this bank's name)
    assert stats.split_sponsors("The Hongkong and Shanghai Banking Corporation Limited and CICC") == ["HSBC", "CICC"]
    assert stats.split_sponsors(None) == []


def test_split_names_without_vocabulary_keeps_multi_part_names():
    from ipolens.data.parties import split_names

    assert split_names("Foo Capital Co.,Ltd,Bar AG, Singapore Branch,Baz Securities Limited") == [
        "Foo Capital Co., Limited", "Bar AG, Singapore Branch", "Baz Securities Limited"]
    assert split_names("甲证券、乙资本；丙融资;丁 and 戊") == ["甲证券", "乙资本", "丙融资", "丁", "戊"]
    assert split_names("China Galaxy International Securities (Hong Kong) Co. Limited,, Lego Limited") == [
        "China Galaxy International Securities (Hong Kong) Co. Limited", "Lego Limited"]


def test_party_keys_ignore_legal_suffixes_script_and_punctuation():
    from ipolens.data.parties import party_key, sponsor_vocabulary

    assert party_key("Goldman Sachs (Asia) L.L.C.") == party_key("Goldman Sachs (Asia) LLC") == "goldmansachsasia"
    assert party_key("中國國際金融香港證券有限公司") == party_key("中国国际金融香港证券有限公司")
    assert party_key("Morocco Co") == "morocco"  # a suffix is a word, not the tail of one
    v = sponsor_vocabulary()
    for spelling in ("CICC", "中金", "中金公司", "China International Capital Corporation Hong Kong Securities Ltd"):
        assert v.match(spelling).id == "sponsor:cicc", spelling
    assert v.match("Hong Kong Branch") is None


# Hand count of tests/fixtures/sponsors/sponsors_nospace.csv (lists joined with "," and no space, plus 、 ; and):
#   09801 CICC, Goldman, UBS (UBS AG,Hong Kong Branch)   09802 CICC (two spellings), Morgan Stanley
#   09803 China Merchants Securities (Co.,Ltd), CMBI      09804 UBS (two entities), J.P. Morgan
#   09805 CICC, Huatai, Goldman (Chinese names)           09806 BofA (two Merrill Lynch entities), CITIC Securities
#   09807 Haitong, Guotai Junan ("and")                   09808 Alpha Beta Capital Limited (not in the vocabulary), CICC
#   09809 none                                            09810 Morgan Stanley, Goldman, CICC, UBS
NOSPACE_COUNTS = {"CICC": 5, "Goldman Sachs": 3, "UBS": 3, "Morgan Stanley": 2, "China Merchants Securities": 1,
                  "CMB International": 1, "J.P. Morgan": 1, "Huatai International": 1, "BofA Securities": 1,
                  "CITIC Securities": 1, "Haitong International": 1, "Guotai Junan International": 1,
                  "Alpha Beta Capital Limited": 1}
NOSPACE = Path(__file__).parent / "fixtures" / "sponsors" / "sponsors_nospace.csv"


def _nospace_frame() -> pd.DataFrame:
    with open(NOSPACE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return pd.DataFrame({"listing_date": [r["listing_date"] for r in rows], "sponsors": [r["sponsors"] for r in rows],
                         "oversubscription_public": np.nan,
                         "first_day_return": [float(r["first_day_return"]) for r in rows]})


def test_sponsor_counts_on_lists_without_spaces():
    out = stats.sponsor_track_record(_nospace_frame())
    assert {g["sponsor"]: g["ipos"] for g in out["groups"]} == NOSPACE_COUNTS
    assert out["ipos_without_sponsor"] == 1
    cicc = next(g for g in out["groups"] if g["sponsor"] == "CICC")
    # CICC deals 09801, 09802, 09805, 09808, 09810: returns 10, -5, 20, 0, 50
    assert cicc["mean"] == pytest.approx(15.0) and cicc["pct_broken"] == pytest.approx(20.0)


def test_stats_by_sponsor_through_import(fresh_store):
    from ipolens.app.data import import_file
    from ipolens.app.stats import stats as stats_uc

    import_file(fresh_store, NOSPACE, "Sponsor list fixture")
    d = stats_uc(fresh_store, "sponsor", market="HK", years="2025").to_dict()
    assert {g["sponsor"]: g["ipos"] for g in d["groups"]} == NOSPACE_COUNTS
    assert d["rows"] == 10 and d["ipos_without_sponsor"] == 1


def test_cicc_counted_once_per_deal_in_the_embedded_set(store):
    # independent count: rows of the shipped CSV whose sponsor text names CICC in either spelling it uses
    path = Path(stats.__file__).parents[1] / "data" / "embedded" / "hk_listings_2018_2022.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["counts_as_ipo"] != "0"]
    expected = sum(("China International Capital Corporation" in r["sponsors"] or "CICC" in r["sponsors"])
                   for r in rows)
    out = stats.sponsor_track_record(_hk(store))
    assert next(g for g in out["groups"] if g["sponsor"] == "CICC")["ipos"] == expected
    assert expected > 60  # the old ", "-only split credited CICC with a fraction of these


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
    assert not any(n in ("Ltd", "Limited", "Co.", "Hong Kong Branch") for n in names)


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
