"""Ragged universe from the ledger: event horizons from the embedded set, daily bars from the prices table."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipolens.lab import rules as R
from ipolens.app.lab import load_universe
from ipolens.lab.universe import HORIZONS, excess_vs_bench

CSV = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded" / "hk_listings_2018_2022.csv"
AI_CSV = CSV.with_name("hk_ai_listings_2026.csv")


def test_event_horizon_layout(store):
    u = load_universe(store, "HK", 2018, 2022, ipos_only=False)
    assert len(u) == 499 and u.offsets[0] == 0 and u.offsets[-1] == len(u.close)
    assert set(u.horizons()) <= {0, *HORIZONS}
    rows = {r["code"].split(".")[0].zfill(5) + ".HK": r for r in csv.DictReader(CSV.open(encoding="utf-8"))}
    i = int(np.flatnonzero(u.meta["code"] == "03309.HK")[0])
    b = u.bars(i)
    r = rows["03309.HK"]
    offer = float(r["offer_price"])
    # percent columns become prices: close = offer x (1 + pct / 100); day 0 from AASTOCKS first_day_return
    assert b["close"].iloc[0] == pytest.approx(offer * (1 + float(r["first_day_return"]) / 100), rel=1e-12)
    k = int(np.flatnonzero(b["day"] == 80)[0])
    assert b["close"].iloc[k] == pytest.approx(offer * (1 + float(r["ret_day80"]) / 100), rel=1e-12)
    # HSI runs from the listing-day close: level 1 on day 0; excess re-bases the stock to day 0 first
    assert b["bench"].iloc[0] == 1.0
    ex = excess_vs_bench(u, 80)[i]
    expect = (1 + float(r["ret_day80"]) / 100) / (1 + float(r["first_day_return"]) / 100) - 1 \
        - float(r["hsi_ret_day80"]) / 100
    assert ex == pytest.approx(expect, rel=1e-9)
    # listings without an offer price keep their returns (offer units) but get no per-lot P&L
    no_offer = u.meta["offer_price"].isna()
    assert no_offer.sum() > 0 and np.isnan(u.lot[no_offer.to_numpy()]).all()


def test_ipos_only_by_default(store):
    """The default universe is the source's IPOs (counts_as_ipo 1 or unknown), the rule of `ipolens stats`."""
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    u = load_universe(store, "HK", 2018, 2022)
    ipos = [r["code"].split(".")[0].zfill(5) + ".HK" for r in rows if r["counts_as_ipo"] != "0"]
    assert len(u) == len(ipos)
    assert sorted(u.meta["code"]) == sorted(ipos)
    # the 2026 AI listings of the embedded data are outside 2018-2022; every embedded HK listing has a date
    ai = [r["code"].split(".")[0].zfill(5) + ".HK" for r in csv.DictReader(AI_CSV.open(encoding="utf-8"))]
    assert u.excluded == {"no_listing_date": 0, "out_of_years": len(ai),
                          "not_ipo": sum(r["counts_as_ipo"] == "0" for r in rows), "no_prices": 0}
    assert sorted(u.left_out["out_of_years"]) == sorted(ai)
    assert (u.meta["counts_as_ipo"] != 0).all()
    # select() keeps the record of what was left out
    assert u.select(np.arange(len(u)) < 3).excluded == u.excluded
    # an offer entry never buys a listing without an offer price; a market entry may
    no_offer = u.no_offer
    assert no_offer.sum() == sum(r["counts_as_ipo"] != "0" and not r["offer_price"] for r in rows) > 0
    res = R.simulate(u, R.Strategy())
    assert res.stats["excluded_no_offer_price"] == int(no_offer.sum())
    assert res.stats["count"] == len(u) - int(no_offer.sum()) and res.stats["filtered_out"] == 0
    assert not set(res.trades["code"]) & set(u.meta["code"][no_offer])
    res = R.simulate(u, R.Strategy(R.Entry("close", 0), R.Exit(80)))
    assert res.stats["excluded_no_offer_price"] == 0


def test_daily_bars_from_prices_table(fresh_store):
    store = fresh_store
    code = "09633.HK"  # Nongfu Spring, listed 2020-09-08, offer 21.50
    dates = pd.bdate_range("2020-09-07", periods=31)
    rng = np.random.default_rng(3)
    close = 33.0 * np.cumprod(1 + rng.normal(0, 0.02, len(dates)))
    close[5] = 21.5 * 0.8  # a crash through a 15% stop on day 4
    with store.write() as led:
        for d, c in zip(dates, close):
            led.con.execute("INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?, 0, 0, false, 'test')",
                            ["HK:09633", d.date(), c, c * 1.01, c * 0.99, c])  # stored per listing key
    u = load_universe(store, "HK", 2020, 2020)
    i = int(np.flatnonzero(u.meta["code"] == code)[0])
    assert u.meta["source"].iat[i] == "daily" and u.has_hl
    b = u.bars(i)
    assert len(b) == 30 and b["close"].iloc[0] == pytest.approx(close[1])  # the pre-listing bar is dropped
    res = R.simulate(u, R.Strategy(R.Entry("offer"), R.Exit(20, stop_loss=0.15),
                                   tuple(R.parse_filters(f"code=={code}"))))
    t = res.trades.iloc[0]
    assert t["reason"] == "stop" and t["exit_day"] == 4
    assert t["exit_price"] == pytest.approx(min(21.5 * 0.85, close[5]))  # gap through the stop fills at the open
    # other listings still come from the event horizons
    assert (u.meta["source"] == "events").sum() == len(u) - 1


def test_empty_and_bad_ranges(store):
    with pytest.raises(ValueError, match="empty universe"):
        load_universe(store, "HK", 2030, 2031)
    with pytest.raises(ValueError, match="after"):
        load_universe(store, "HK", 2022, 2019)
    with pytest.raises(ValueError, match="bars must be"):
        load_universe(store, "HK", 2019, 2019, bars="weekly")
    with pytest.raises(ValueError, match="empty universe"):
        load_universe(store, "HK", 2019, 2019, bars="daily")
