"""Exit rules on a synthetic ragged universe: time exit, stops, take-profit, trailing, gaps, shorts, open trades."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ipolens.lab import rules as R
from ipolens.lab.fees import FeeSchedule
from ipolens.lab.universe import from_arrays

NOFEES = FeeSchedule("HK", "HKD", (), (), ())


def _u(closes, **kw):
    n = len(closes)
    meta = pd.DataFrame({"code": [f"T{i}" for i in range(n)], "market": ["HK"] * n,
                         "listing_date": [pd.Timestamp("2020-01-02").date()] * n, "suspect": [False] * n})
    return from_arrays(closes, offer=kw.pop("offer", [10.0] * n), lot=kw.pop("lot", [100.0] * n), meta=meta,
                       **kw)


def _run(u, **kw):
    entry = kw.pop("entry", R.Entry("offer"))
    filters = kw.pop("filters", ())
    return R.simulate(u, R.Strategy(entry, R.Exit(**kw), filters), NOFEES).trades


def test_time_exit_and_returns():
    u = _u([[11.0, 12.0, 13.0, 14.0], [9.0, 8.0, 10.0, 12.0]])
    t = _run(u, day=2)
    assert list(t["reason"]) == ["time", "time"]
    assert t["gross_return"].tolist() == pytest.approx([0.3, 0.0])
    assert t["pnl_per_lot"].tolist() == pytest.approx([300.0, 0.0])
    assert t["mae"].tolist() == pytest.approx([0.0, -0.2])


def test_stop_take_trailing_on_closes():
    u = _u([[9.5, 8.4, 12.0], [10.5, 13.0, 9.0], [11.0, 12.0, 10.7, 13.0]])
    t = _run(u, day=2, stop_loss=0.15)
    assert t["reason"].tolist() == ["stop", "time", "time"]
    assert t["exit_price"].iloc[0] == 8.4  # close-only bars fill at the close
    t = _run(u, day=2, take_profit=0.25)
    assert t["reason"].tolist()[:2] == ["time", "take_profit"]
    assert t["exit_price"].iloc[1] == 13.0
    t = _run(u, day=2, trailing=0.1)
    # third listing: peak close 12.0, 10.7 < 12 * 0.9 = 10.8 -> trailing exit at that close
    assert t["reason"].iloc[2] == "trailing" and t["exit_price"].iloc[2] == 10.7


def test_stops_with_ranges_fill_at_stop_or_gap():
    closes = [[10.0, 9.5], [10.0, 9.0]]
    u = _u(closes, open_list=[[10.0, 9.8], [10.0, 8.0]], high_list=[[10.2, 9.9], [10.1, 9.2]],
           low_list=[[9.9, 8.9], [9.8, 7.5]])
    t = _run(u, day=1, stop_loss=0.1)
    # intraday touch: filled at the stop 9.0; gap below the stop at the open: filled at the open 8.0
    assert t["exit_price"].tolist() == pytest.approx([9.0, 8.0])
    assert t["reason"].tolist() == ["stop", "stop"]


def test_entry_on_the_market_and_open_positions():
    u = _u([[10.0, 11.0, 12.1], [10.0, 11.0]])
    t = _run(u, day=2, entry=R.Entry("close", 1))
    assert t["reason"].tolist() == ["time", "open"]
    assert t["gross_return"].iloc[0] == pytest.approx(0.1)
    assert t["entry_day"].iloc[0] == 1


def test_filters_and_sparse_exact_exit():
    u = _u([[11.0, 12.0], [9.0, 8.0]], days_list=[[0, 80], [0, 100]])
    u.meta["oversubscription"] = [150.0, np.nan]
    t = _run(u, day=80, filters=tuple(R.parse_filters("oversubscription>=100")))
    assert t["code"].tolist() == ["T0"]
    t = _run(u, day=80)
    assert t["reason"].tolist() == ["time", "open"]  # no day-80 bar: not silently exited on day 100


def test_short_round_trip_sign():
    from ipolens.lab.nb import simulate_trade_1d_nb

    c = np.array([10.0, 9.0, 8.0])
    out = np.empty(9)
    simulate_trade_1d_nb(np.arange(3), c, c, c, c, 0, 3, np.nan, 2, 0, 2, -1, np.nan, np.nan, np.nan, False, out)
    assert out[5] == pytest.approx(0.2)  # short from 10 to 8: +20%
    simulate_trade_1d_nb(np.arange(3), c[::-1].copy(), c[::-1].copy(), c[::-1].copy(), c[::-1].copy(), 0, 3,
                         np.nan, 2, 0, 2, -1, 0.15, np.nan, np.nan, False, out)
    # short at 8, stop at 9.2: the close of 10 triggers and fills (close-only bars)
    assert out[4] == 2 and out[3] == 10.0 and out[5] == pytest.approx(-0.25)


def test_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        _u([[10.0, np.nan]])
    with pytest.raises(ValueError, match="empty universe"):
        _u([])
    with pytest.raises(ValueError, match="kind='prices'"):
        from_arrays([[0.1, 0.2]], kind="returns")
    with pytest.raises(ValueError, match="non-positive"):
        _u([[0.1, -0.2]])
    u = _u([[11.0, 12.0]])
    with pytest.raises(ValueError, match="empty universe"):
        _run(u, day=1, filters=tuple(R.parse_filters("oversubscription>=100")))
    with pytest.raises(ValueError, match="did you mean 'oversubscription'"):
        R.parse_filters("oversubscriptoin>=100")
    with pytest.raises(ValueError, match="fraction"):
        R.Exit(1, stop_loss=15)
    with pytest.raises(ValueError):
        R.parse_entry("middle:3")
    with pytest.raises(ValueError):
        R.parse_exit("week:2")


def test_sma_grid_kernel_equals_plain_loop():
    from ipolens.lab import metrics as M
    from ipolens.lab.nb import sma_cross_grid_nb

    rng = np.random.default_rng(1)
    c = 10 * np.exp(np.cumsum(rng.normal(0, 0.012, 600)))
    pairs = [(3, 10), (5, 20)]
    out = sma_cross_grid_nb(c, np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]), 0.001, 252.0)
    for k, (f, s) in enumerate(pairs):
        pos, rs, n_tr = 0.0, [], 0
        for i in range(1, len(c)):
            r = pos * (c[i] / c[i - 1] - 1)
            want = float(c[i - f + 1:i + 1].mean() > c[i - s + 1:i + 1].mean()) if i >= s - 1 else 0.0
            if want != pos:
                r -= 0.001 * (1 + r) if want == 0 else 0.001
                n_tr += 1
                pos = want
            rs.append(r)
        assert out[k, 0] == pytest.approx(M.total_return(rs, kind="returns"), abs=1e-12)
        assert out[k, 1] == pytest.approx(M.sharpe_ratio(rs, kind="returns"), rel=1e-9)
        assert out[k, 2] == pytest.approx(M.max_drawdown(rs, kind="returns"), abs=1e-12)
        assert out[k, 3] == n_tr


def test_open_entry_needs_a_real_open():
    u = _u([[10.0, 11.0], [10.0, 12.0]], open_list=[[9.0, 10.5], [9.5, 11.0]], high_list=[[10.0, 11.0], [10, 12]],
           low_list=[[9.0, 10.0], [9.5, 11.0]])
    t = _run(u, day=1, entry=R.Entry("open", 0))
    assert t["entry_price"].tolist() == [9.0, 9.5]
    assert t["gross_return"].tolist() == pytest.approx([11 / 9 - 1, 12 / 9.5 - 1])
    closes_only = _u([[10.0, 11.0]])
    with pytest.raises(ValueError, match="empty universe"):
        _run(closes_only, day=1, entry=R.Entry("open", 0))
