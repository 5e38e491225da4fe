"""Book of sleeves, the barbell example, STRATEGY.yaml errors and the offline tear sheet."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import ipolens
from ipolens.cli import app
from ipolens.lab import book as B
from ipolens.lab import rules as R
from ipolens.lab.fees import FeeSchedule
from ipolens.lab.spec import BARBELL_EXAMPLE, SpecError, parse_spec
from ipolens.lab.universe import from_arrays, from_database

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
NOFEES = FeeSchedule("HK", "HKD", (), (), ())


@pytest.fixture(scope="module")
def db():
    return ipolens.open(":memory:")


def test_example_yaml_is_the_documented_barbell():
    assert yaml.safe_load((ROOT / "examples" / "barbell.yaml").read_text(encoding="utf-8")) == BARBELL_EXAMPLE


def test_barbell_runs_on_embedded_data(db):
    sp = parse_spec(BARBELL_EXAMPLE)
    u = from_database(db, sp.market, sp.start, sp.end)
    res = B.run_book(sp.book, u, sp.fees, periods_per_year=sp.periods_per_year, risk_free=sp.risk_free)
    assert list(res.summary.index) == ["swing", "reserve", "total"]
    assert np.allclose(res.equity["total"], res.equity["swing"] + res.equity["reserve"])
    assert res.equity["swing"].iloc[0] <= 600_000 * 1.0001 and res.equity["reserve"].iloc[0] >= 400_000 * 0.99
    # the reserve only trades on mega-IPO dates (market cap at offer >= HK$200bn)
    rv = res.trades[res.trades["sleeve"] == "reserve"]
    caps = u.meta.set_index("code").loc[rv["code"], "market_cap_at_offer"]
    assert len(rv) >= 1 and (caps >= 200e9).all()
    # realised P&L plus cash interest explains the reserve's end equity (all its trades close the same day)
    n = len(res.dates)
    rf_p = (1.02) ** (1 / 252) - 1
    end = res.summary.loc["reserve", "end_equity"]
    assert end > 400_000
    assert res.summary.loc["reserve", "trades"] == len(rv)
    # total metrics are computed from the summed equity, not averaged
    r = res.equity["total"].to_numpy()
    r = np.concatenate(([r[0]], r))
    rets = r[1:] / r[:-1] - 1
    from ipolens.lab.metrics import max_drawdown
    assert res.summary.loc["total", "max_drawdown"] == pytest.approx(max_drawdown(rets, kind="returns"))
    assert n > 500 and rf_p > 0


def test_cash_sleeve_compounds_the_annual_rate():
    meta = pd.DataFrame({"code": ["A"], "market": ["HK"], "listing_date": [pd.Timestamp("2021-01-04").date()],
                         "suspect": [False]})
    u = from_arrays([[11.0, 12.0, 13.0]], offer=[10.0], lot=[100.0], meta=meta, days_list=[[0, 1, 250]])
    cash = B.Sleeve("cash", 0.5, R.Strategy(filters=tuple(R.parse_filters("code==none"))), cash_rate=0.03)
    flip = B.Sleeve("flip", 0.5, R.Strategy(R.Entry("offer"), R.Exit(250), sizing=R.Sizing(1.0, round_lots=True)))
    res = B.run_book(B.Book((cash, flip), capital=2000.0), u, NOFEES)
    n = len(res.dates)
    assert res.equity["cash"].iloc[-1] == pytest.approx(1000.0 * 1.03 ** ((n - 1) / 252), rel=1e-12)
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


def test_lockup_short_and_avoid(db):
    u = from_database(db, "HK", 2019, 2020)
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
