"""Book of sleeves, the barbell example, STRATEGY.yaml errors and the offline tear sheet."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from ipolens.cli import app
from ipolens.lab import book as B
from ipolens.lab import rules as R
from ipolens.lab.fees import FeeSchedule
from ipolens.lab.spec import BARBELL_EXAMPLE, SpecError, parse_spec
from ipolens.app.lab import load_universe
from ipolens.lab.universe import from_arrays

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
NOFEES = FeeSchedule("HK", "HKD", (), (), ())


def test_example_yaml_is_the_documented_barbell():
    assert yaml.safe_load((ROOT / "examples" / "barbell.yaml").read_text(encoding="utf-8")) == BARBELL_EXAMPLE


def test_barbell_runs_on_embedded_data(store):
    sp = parse_spec(BARBELL_EXAMPLE)
    u = load_universe(store, sp.market, sp.start, sp.end)
    res = B.run_book(sp.book, u, sp.fees, periods_per_year=sp.periods_per_year, risk_free=sp.risk_free)
    assert list(res.summary.index) == ["swing", "reserve", "total"]
    assert np.allclose(res.equity["total"], res.equity["swing"] + res.equity["reserve"])
    assert res.equity["swing"].iloc[0] <= 600_000 * 1.0001 and res.equity["reserve"].iloc[0] >= 400_000 * 0.99
    # the reserve only trades on mega-IPO dates (market cap at offer >= HK$200bn)
    rv = res.trades[res.trades["sleeve"] == "reserve"]
    caps = u.meta.set_index("code").loc[rv["code"], "market_cap_at_offer"]
    assert len(rv) >= 1 and (caps >= 200e9).all()
    # realised P&L plus cash interest explains the reserve's end equity (all its trades close the same day):
    # the idle 400,000 compounds 2% a year for n sessions, and each trade's P&L, realised after the interest of
    # its session s, compounds for the n - 1 - s sessions after it
    n = len(res.dates)
    rf_p = (1.02) ** (1 / 252) - 1
    end = res.summary.loc["reserve", "end_equity"]
    assert end > 400_000
    assert res.summary.loc["reserve", "trades"] == len(rv)
    assert (rv["entry_date"] == rv["exit_date"]).all()
    fees, slip = sp.fees, sp.fees.slippage
    for t in rv.itertuples(index=False):  # each P&L by hand: fills with slippage, fees from the schedule
        buy, sell = t.shares * t.entry_price * (1 + slip), t.shares * t.exit_price * (1 - slip)
        by_hand = sell - buy - fees.order_fee("subscribe", buy, t.shares) - fees.order_fee("sell", sell, t.shares)
        assert t.pnl == pytest.approx(by_hand, abs=1e-6)
    sessions = [res.dates.get_loc(pd.Timestamp(d)) for d in rv["exit_date"]]
    expect = 400_000 * (1 + rf_p) ** n + sum(p * (1 + rf_p) ** (n - 1 - s) for p, s in zip(rv["pnl"], sessions))
    assert end == pytest.approx(expect, rel=1e-12)
    # every column's metrics are the registry's on its own returns from its starting capital (total: summed
    # equity, never averaged); n sessions give n returns
    from ipolens.lab.metrics import compute
    for col, start in (("swing", 600_000.0), ("reserve", 400_000.0), ("total", 1_000_000.0)):
        v = np.concatenate(([start], res.equity[col].to_numpy()))
        want = compute(v, kind="prices", risk_free=0.02)
        row = res.summary.loc[col]
        assert row["start_equity"] == start and row["n_periods"] == n
        for k, x in want.items():
            assert row[k] == pytest.approx(x, rel=1e-9, nan_ok=True), (col, k)
    assert n > 500


def test_cash_sleeve_compounds_the_annual_rate():
    meta = pd.DataFrame({"code": ["A"], "market": ["HK"], "listing_date": [pd.Timestamp("2021-01-04").date()],
                         "suspect": [False]})
    u = from_arrays([[11.0, 12.0, 13.0]], offer=[10.0], lot=[100.0], meta=meta, days_list=[[0, 1, 250]])
    cash = B.Sleeve("cash", 0.5, R.Strategy(filters=tuple(R.parse_filters("code==none"))), cash_rate=0.03)
    flip = B.Sleeve("flip", 0.5, R.Strategy(R.Entry("offer"), R.Exit(250), sizing=R.Sizing(1.0, round_lots=True)))
    res = B.run_book(B.Book((cash, flip), capital=2000.0), u, NOFEES)
    n = len(res.dates)
    # interest accrues on every session, the first included: n sessions are n periods of (1.03)^(1/252)
    assert res.equity["cash"].iloc[-1] == pytest.approx(1000.0 * 1.03 ** (n / 252), rel=1e-12)
    # 1000 buys one lot of 100 at 10; marked at 11, 12 and exited at 13 on session 250
    assert res.equity["flip"].iloc[0] == pytest.approx(1100.0)
    assert res.equity["flip"].iloc[-1] == pytest.approx(1300.0)
    assert res.trades["pnl"].iloc[0] == pytest.approx(300.0)


def test_spec_errors():
    bad = dict(BARBELL_EXAMPLE, sleves=[])
    with pytest.raises(SpecError, match="did you mean 'sleeves'"):
        parse_spec(bad)
    s = json.loads(json.dumps(BARBELL_EXAMPLE))
    s["sleeves"][0]["exit"] = {"day": 80, "stop_los": 0.15}
    with pytest.raises(SpecError, match="did you mean 'stop_loss'"):
        parse_spec(s)
    s = json.loads(json.dumps(BARBELL_EXAMPLE))
    s["sleeves"][0]["weight"] = 0.7
    with pytest.raises(SpecError, match="sum to 1"):
        parse_spec(s)
    s = json.loads(json.dumps(BARBELL_EXAMPLE))
    s["strategy"] = {"entry": "offer"}
    with pytest.raises(SpecError, match="not both"):
        parse_spec(s)


def test_run_writes_offline_report(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text((ROOT / "examples" / "barbell.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.html"
    res = runner.invoke(app, ["lab", "run", str(spec), "--report", str(out), "--json", "--db", ":memory:"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [s["sleeve"] for s in data["sleeves"]] == ["swing", "reserve"]
    assert data["total"]["sleeve"] == "total"
    html = out.read_text(encoding="utf-8")
    assert "Equity curve" in html and "Drawdown" in html and "Return distribution" in html and "Trades" in html
    import re

    # no external script: the plotly bundle is inline (its source merely mentions CDN URLs for unused features)
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js inlined


def test_barbell_command_and_bad_spec(tmp_path):
    res = runner.invoke(app, ["lab", "barbell", "--json", "--db", ":memory:"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {s["sleeve"] for s in data["sleeves"]} == {"swing", "reserve"}
    assert data["total"]["end_equity"] == pytest.approx(sum(s["end_equity"] for s in data["sleeves"]))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstrategy:\n  entry: offer\n  exti: debut\n", encoding="utf-8")
    res = runner.invoke(app, ["lab", "run", str(bad), "--db", ":memory:"])
    assert res.exit_code == 2 and "did you mean 'exit'" in res.stderr
    res = runner.invoke(app, ["lab", "run", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "no such strategy file" in res.stderr


def test_barbell_universe_is_ipos_only(tmp_path):
    res = runner.invoke(app, ["lab", "barbell", "--json", "--db", ":memory:"])
    assert res.exit_code == 0, res.output
    uni = json.loads(res.stdout)["conventions"]["universe"]
    assert uni["excluded"]["not_ipo"] > 0 and set(uni["excluded_no_offer_price"]) == {"swing", "reserve"}
    assert uni["excluded_no_offer_price"]["swing"] == 0  # a market entry needs no offer price
    # ipos_only: false in a spec brings the other listings back
    spec = tmp_path / "all.yaml"
    spec.write_text("name: all\nfrom: 2019\nto: 2022\nipos_only: false\nstrategy:\n  entry: offer\n"
                    "  exit: debut\n", encoding="utf-8")
    res = runner.invoke(app, ["lab", "run", str(spec), "--db", ":memory:", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    uni = data["conventions"]["universe"]
    assert uni["excluded"]["not_ipo"] == 0 and uni["excluded_no_offer_price"]["strategy"] > 0
    assert data["sleeves"][0]["trades"] <= uni["listings"] - uni["excluded_no_offer_price"]["strategy"]
    # the text table shows fractions as labelled percent
    res = runner.invoke(app, ["lab", "run", str(spec), "--db", ":memory:"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "total_return %" in res.stdout and "no offer price" in res.stdout


def test_lockup_short_and_avoid(store):
    u = load_universe(store, "HK", 2019, 2020)
    short = R.simulate(u, R.Strategy(R.Entry("close", 0), R.Exit(372), lockup=R.LockUp("short", before=20,
                                                                                       after=20)))
    t = short.trades
    assert (t["side"] == "short").all() and (t["exit_day"] > t["entry_day"]).all()
    # a short profits when the price falls between entry and exit
    row = t.iloc[0]
    assert row["gross_return"] == pytest.approx(1 - row["exit_price"] / row["entry_price"])
    avoid = R.simulate(u, R.Strategy(R.Entry("offer"), R.Exit(372), lockup=R.LockUp("avoid", before=0)))
    assert (avoid.closed["exit_day"] <= 120).all()
    with pytest.raises(ValueError, match="enters on the market"):
        R.simulate(u, R.Strategy(R.Entry("offer"), R.Exit(372), lockup=R.LockUp("short")))


def test_single_strategy_spec_with_lockup_text_output(tmp_path):
    spec = tmp_path / "lock.yaml"
    spec.write_text("name: lockup-short\nfrom: 2019\nto: 2020\nstrategy:\n  entry: close:0\n  exit: {day: 372}\n"
                    "  lockup: {action: short, months: 6, before: 20, after: 20}\n  sizing: {fraction: 0.02}\n",
                    encoding="utf-8")
    res = runner.invoke(app, ["lab", "run", str(spec), "--db", ":memory:"])
    assert res.exit_code == 0, res.output
    assert "lockup-short" in res.stdout and "total" in res.stdout
    res = runner.invoke(app, ["lab", "run", str(spec), "--db", ":memory:", "--json"])
    data = json.loads(res.stdout)
    assert data["sleeves"][0]["trades"] > 50


def _debut_loss(slippage=0.01):
    """Capital 100,000 buys at the offer 10 and the debut closes at 5 on session 0, held flat to day 2."""
    meta = pd.DataFrame({"code": ["A"], "market": ["HK"], "listing_date": [pd.Timestamp("2021-03-01").date()],
                         "suspect": [False]})
    u = from_arrays([[5.0, 5.0, 5.0]], offer=[10.0], lot=[100.0], meta=meta)
    s = B.Sleeve("s", 1.0, R.Strategy(R.Entry("offer"), R.Exit(2), sizing=R.Sizing(1.0, round_lots=False)))
    fees = FeeSchedule("HK", "HKD", (), (), (), slippage=slippage)
    return B.run_book(B.Book((s,), capital=100_000.0), u, fees)


def test_first_session_return_counts_from_the_capital():
    res = _debut_loss()
    row = res.summary.loc["s"]
    # by hand: fill 10 x 1.01 = 10.1 -> 100,000 / 10.1 = 9,900.990 shares; session 0 close 5 -> 49,504.95;
    # sold on day 2 at 5 x 0.99 = 4.95 -> 49,009.90. Total = 0.99 / 1.01 / 2 - 1 = -50.990%, all of it
    # the fill, the slippage and the debut on session 0 (the old code measured session 0 against itself: -1.0%)
    assert res.equity["s"].tolist() == pytest.approx([50_000 / 1.01, 50_000 / 1.01, 49_500 / 1.01])
    assert row["start_equity"] == 100_000.0 and row["n_periods"] == 3
    assert row["total_return"] == pytest.approx(0.99 / 1.01 / 2 - 1, rel=1e-12)
    # the equity only falls, so the drawdown from the start value is the whole loss
    assert row["max_drawdown"] == pytest.approx(0.99 / 1.01 / 2 - 1, rel=1e-12)
    assert row["cagr"] == pytest.approx((0.99 / 1.01 / 2) ** (252 / 3) - 1, rel=1e-9)
    # returns: 0.5/1.01 - 1, 0, 0.99 - 1 (the exit's slippage)
    r = np.array([0.5 / 1.01 - 1, 0.0, -0.01])
    assert row["sharpe_ratio"] == pytest.approx(r.mean() / r.std(ddof=1) * np.sqrt(252), rel=1e-9)
    assert row["sortino_ratio"] == pytest.approx(r.mean() / np.sqrt(np.mean(r ** 2)) * np.sqrt(252), rel=1e-9)


def test_reviewer_debut_case_with_hk_fees():
    from ipolens.lab.fees import schedule

    meta = pd.DataFrame({"code": ["A", "B"], "listing_date": ["2021-03-01", "2021-03-10"], "market": ["HK", "HK"]})
    u = from_arrays([[5.0] * 4, [10.0] * 3], offer=[10.0, 10.0], lot=[100, 100], meta=meta)
    s = R.Strategy(R.Entry("offer"), R.Exit(3), sizing=R.Sizing(1.0))
    res = B.run_book(B.Book((B.Sleeve("s", 1.0, s),), capital=100_000.0), u,
                     schedule("HK").with_overrides(slippage=0.0))
    row = res.summary.loc["total"]
    # the reviewer's case: 100,000 ends at 48,948.45 after the halved debut and two round trips' fees, so
    # total return = 48,948.45 / 100,000 - 1 = -51.05% (ipolens said -1.12%), and so is the drawdown
    assert row["end_equity"] == pytest.approx(48_948.45, abs=0.01)
    assert row["total_return"] == pytest.approx(48_948.45 / 100_000 - 1, abs=1e-7)
    assert row["max_drawdown"] == pytest.approx(row["total_return"], rel=1e-12)
    assert row["start_equity"] == 100_000.0


def test_cash_only_sleeve_earns_exactly_its_rate():
    meta = pd.DataFrame({"code": ["A"], "market": ["HK"], "listing_date": [pd.Timestamp("2021-01-04").date()],
                         "suspect": [False]})
    # one listing exiting on trading day 615 makes the book 616 sessions long
    u = from_arrays([[10.0, 10.0]], offer=[10.0], lot=[100.0], meta=meta, days_list=[[0, 615]])
    cash = B.Sleeve("cash", 0.5, R.Strategy(filters=tuple(R.parse_filters("code==none"))), cash_rate=0.02)
    flip = B.Sleeve("flip", 0.5, R.Strategy(R.Entry("offer"), R.Exit(615), sizing=R.Sizing(0.1)))
    res = B.run_book(B.Book((cash, flip), capital=1_000_000.0), u, NOFEES, risk_free=0.02)
    row = res.summary.loc["cash"]
    assert len(res.dates) == 616 and row["n_periods"] == 616
    # every one of the 616 returns is c = 1.02^(1/252) - 1, so R = 1.02^(616/252) - 1 and
    # CAGR = (1 + R)^(252/616) - 1 = 2.000% exactly; no spread: volatility 0; excess over rf 2% is 0 every
    # session, so Sharpe and Sortino are 0/0 = NaN (the old fabricated first 0 gave CAGR 1.997%, Sharpe -0.64)
    assert row["total_return"] == pytest.approx(1.02 ** (616 / 252) - 1, rel=1e-12)
    assert row["cagr"] == pytest.approx(0.02, rel=1e-12)
    assert row["annual_volatility"] == 0.0 and row["max_drawdown"] == 0.0
    assert np.isnan(row["sharpe_ratio"]) and np.isnan(row["sortino_ratio"]) and np.isnan(row["calmar_ratio"])
    assert res.equity["cash"].iloc[0] == pytest.approx(500_000 * 1.02 ** (1 / 252), rel=1e-12)


def test_book_hit_rates_gross_and_after_fees():
    from ipolens.lab.fees import Component

    meta = pd.DataFrame({"code": ["A"], "market": ["HK"], "listing_date": [pd.Timestamp("2021-03-01").date()],
                         "suspect": [False]})
    u = from_arrays([[10.05]], offer=[10.0], lot=[100.0], meta=meta)
    fees = FeeSchedule("HK", "HKD", (Component("brokerage", rate=0.01, rounding="none"),), (), ())
    s = B.Sleeve("s", 1.0, R.Strategy(R.Entry("offer"), R.Exit(0), sizing=R.Sizing(0.5)))
    res = B.run_book(B.Book((s,), capital=10_000.0), u, fees)
    # by hand: half of 10,000 buys 5 lots = 500 shares at 10 (5,000 + 1% fee 50); sold at 10.05 for 5,025:
    # gross +0.5%, but P&L 25 - 50 = -25. Same names as `lab flip`: hit_rate is gross, then after fees
    assert res.trades["pnl"].iloc[0] == pytest.approx(-25.0, abs=1e-9)
    for col in ("s", "total"):
        assert res.summary.loc[col, "hit_rate"] == 1.0
        assert res.summary.loc[col, "hit_rate_after_fees"] == 0.0


def test_tearsheet_drawdown_starts_from_the_capital(monkeypatch):
    import plotly.io as pio

    from ipolens.lab.tearsheet import render_html

    figs = []
    real = pio.to_html
    monkeypatch.setattr(pio, "to_html", lambda fig, **kw: figs.append(fig) or real(fig, **kw))
    render_html(_debut_loss())
    dd = {tr.name: list(tr.y) for tr in figs[1].data}
    # session 0 already sits at 49,504.95 of 100,000: a -50.495% drawdown, not 0
    assert dd["total"] == pytest.approx([(0.5 / 1.01 - 1) * 100] * 2 + [(0.495 / 1.01 - 1) * 100])


def test_json_infinity_is_a_string_not_null(tmp_path):
    q = tmp_path / "r.csv"
    q.write_text("r\n0.01\n0.01\n0.01\n", encoding="utf-8")
    res = runner.invoke(app, ["lab", "metrics", str(q), "--returns", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # +1% every period: mean > 0 with zero spread is a Sharpe of +infinity; no drawdown leaves Calmar undefined
    assert data["sharpe_ratio"] == "inf" and data["sortino_ratio"] == "inf"
    assert data["calmar_ratio"] is None
