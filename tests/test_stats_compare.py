"""`ipolens compare`: one currency through the dated FX table, with each conversion's date and source."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from ipolens.analytics import compare

FX_CSV = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded" / "fx_rates.csv"


def test_fx_table_rows_have_sources_and_consistent_crosses():
    rows = list(csv.DictReader(line for line in FX_CSV.open(encoding="utf-8") if not line.startswith("#")))
    assert rows
    by = {(r["date"], r["base"], r["quote"]): float(r["rate"]) for r in rows}
    for r in rows:
        assert r["source_id"] and r["note"]
        assert float(r["rate"]) > 0
        if r["base"] == "USD" and r["quote"] == "HKD":
            assert 7.75 <= float(r["rate"]) <= 7.85  # Linked Exchange Rate System band
            eur = by[(r["date"], "EUR", "HKD")] / by[(r["date"], "EUR", "USD")]
            assert float(r["rate"]) == pytest.approx(eur, rel=1e-5)
    dates = {r["date"] for r in rows}
    for d in ("2025-12-05", "2025-12-17", "2025-12-19", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-08",
              "2026-01-09"):
        assert d in dates


def test_compare_converts_with_the_valuation_date_rate(store):
    from ipolens.app.stats import compare

    t = compare(store, ["6082.HK", "688795", "HWEP"]).rows.set_index("code")
    biren = t.loc["06082.HK"]
    assert biren["market_cap_conv"] == pytest.approx(85.54e9)  # already HKD
    with store.read() as led:
        rate = led.con.execute("SELECT rate FROM fx_rates WHERE date = ? AND base = 'CNY' AND quote = 'HKD'",
                               [dt.date(2026, 1, 5)]).fetchone()[0]
    assert biren["rev_fx_rate"] == pytest.approx(rate)
    assert biren["revenue_conv"] == pytest.approx(biren["revenue"] * rate)
    assert biren["ps"] == pytest.approx(85.54e9 / (biren["revenue"] * rate))
    assert biren["rd_intensity"] == pytest.approx(biren["rd_expense"] / biren["revenue"] * 100)
    moore = t.loc["688795.SH"]
    assert moore["market_cap_ccy"] == "CNY" and str(moore["mc_fx_date"]) == "2025-12-19"
    assert moore["mc_fx_source"] == "fx:ecb-eurofxref"
    assert pd.isna(moore["ps"])  # no revenue on file: no P/S, not a guess


def test_one_company_in_several_spellings_is_one_row(store):
    from ipolens.app.stats import compare

    res = compare(store, ["6082.HK", "06082", "688795"])
    assert list(res.rows["code"]) == ["06082.HK", "688795.SH"]
    assert res.medians.set_index("market").at["HK", "companies"] == 1


def test_compare_refuses_what_it_cannot_answer(store):
    from ipolens.app.base import EntityNotFound, UserError
    from ipolens.app.stats import compare

    with pytest.raises(EntityNotFound):
        compare(store, ["6082.HK", "NOPE.HK"])
    with pytest.raises(UserError, match="unknown currency"):
        compare(store, ["6082.HK"], currency="EUR")
    with pytest.raises(UserError, match="no codes"):
        compare(store, [" ", ""])
    with pytest.raises(UserError, match="at most 30"):
        compare(store, ["6082.HK"] * 31)


def test_premiums_cover_every_ordered_pair_once():
    m = pd.DataFrame({"market": ["HK", "STAR", "NASDAQ"], "market_cap_conv": [20.0, 60.0, None]})
    got = {(p["market"], p["over"]): p["premium_pct"] for p in compare.premiums(m)}
    # NASDAQ has no median: no premium either way; HK/STAR both ways, from 20 and 60 by hand
    assert got == {("HK", "STAR"): pytest.approx(20 / 60 * 100 - 100), ("STAR", "HK"): pytest.approx(200.0)}


def test_medians_and_premium():
    t = pd.DataFrame({"market": ["HK", "HK", "STAR"], "market_cap_conv": [10.0, 30.0, 60.0],
                      "first_day_return": [1.0, 3.0, None], "revenue_conv": [1, 1, 2], "ps": [10, 30, 30],
                      "rd_intensity": [None, None, None]})
    m = compare.market_medians(t)
    assert m.set_index("market").at["HK", "market_cap_conv"] == 20.0
    assert compare.premium(m, "market_cap_conv", "STAR", "HK") == pytest.approx(200.0)
    assert compare.premium(m, "first_day_return", "STAR", "HK") is None


def test_cli_compare_prints_fx_date_and_source(run_cli):
    res = run_cli("compare", "6082.HK", "2513.HK", "9903.HK", "0100.HK")
    assert res.exit_code == 0, res.output
    assert "HKD" in res.output and "2026-01-05" in res.output and "fx:ecb-eurofxref" in res.output
    js = json.loads(run_cli("compare", "6082.HK", "688795", "--json").output)
    assert js["currency"] == "HKD" and len(js["rows"]) == 2
    assert run_cli("compare", "NOPE.HK").exit_code != 0
