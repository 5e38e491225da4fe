"""Parameter grids: every combination in one call, consistent with one-at-a-time simulation."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from ipolens.cli import app
from ipolens.lab import rules as R
from ipolens.lab.grid import parse_values, run_grid
from ipolens.app.lab import load_universe

runner = CliRunner()


@pytest.fixture(scope="module")
def universe(store):
    return load_universe(store, "HK", 2019, 2022)


def test_grid_equals_single_runs(universe):
    params = {"exit_day": [0, 80, 120], "stop_loss": [math.nan, 0.2], "take_profit": [math.nan, 0.5],
              "min_oversubscription": [math.nan, 100.0]}
    df = run_grid(universe, R.Strategy(), params)
    assert len(df) == 3 * 2 * 2 * 2
    for row in df.sample(6, random_state=1).itertuples(index=False):
        filters = () if math.isnan(row.min_oversubscription) else tuple(
            R.parse_filters(f"oversubscription>={row.min_oversubscription}"))
        s = R.Strategy(R.Entry("offer"), R.Exit(int(row.exit_day),
                                               None if math.isnan(row.stop_loss) else row.stop_loss,
                                               None if math.isnan(row.take_profit) else row.take_profit), filters)
        one = R.simulate(universe, s)
        assert row.n_trades == one.stats["count"]
        assert row.mean_return * 100 == pytest.approx(one.stats["mean_return_pct"], abs=1e-9)
        assert row.median_return * 100 == pytest.approx(one.stats["median_return_pct"], abs=1e-9)
        assert row.hit_rate == pytest.approx(one.stats["hit_rate"], abs=1e-12)
        assert row.stop_hits == one.stats["stop_hits"]
        assert row.mean_pnl_per_lot == pytest.approx(one.stats["pnl_per_lot_mean"], rel=1e-9)


def test_parse_values_and_limits(universe):
    assert parse_values("none,0.1") [1] == 0.1 and math.isnan(parse_values("none")[0])
    assert parse_values("0.05:0.2:0.05") == pytest.approx([0.05, 0.1, 0.15, 0.2])
    assert parse_values("debut,day:80", integer=True) == [0.0, 80.0]
    with pytest.raises(ValueError):
        parse_values("1.5", integer=True)
    with pytest.raises(ValueError, match="start:stop:step"):
        parse_values("1:2")
    big = {"stop_loss": list(np.linspace(0.01, 0.99, 1000)), "take_profit": list(np.linspace(0.1, 5, 1000)),
           "trailing": list(np.linspace(0.01, 0.9, 11))}
    with pytest.raises(ValueError, match="--force"):
        run_grid(universe, R.Strategy(), big)
    with pytest.raises(ValueError, match="did you mean 'stop_loss'"):
        run_grid(universe, R.Strategy(), {"stop_los": [0.1]})


def test_grid_cli():
    res = runner.invoke(app, ["lab", "grid", "--db", ":memory:", "--from", "2019", "--to", "2022", "--exit",
                              "debut,day:80", "--stop", "none,0.15", "--min-oversub", "none,100", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["combinations"] == 8 and len(data["rows"]) == 8
    assert data["universe"]["ipos_only"] is True and data["universe"]["excluded"]["not_ipo"] > 0
    assert "mean_return" in data["units"]["fraction (0.25 = 25%)"]
    # the table labels percent columns and names the debut exit
    res = runner.invoke(app, ["lab", "grid", "--db", ":memory:", "--from", "2019", "--to", "2022", "--exit",
                              "debut,day:80", "--stop", "none,0.25"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "debut" in res.stdout and "day:80" in res.stdout
    assert "% = percent" in res.stdout and "stop_loss %" in res.stdout
    assert "│ 25 " in res.stdout or " 25 │" in res.stdout  # 0.25 shown as 25 (percent)
    assert "excluded" in res.stdout and "counts_as_ipo" in res.stdout
    res = runner.invoke(app, ["lab", "grid", "--db", ":memory:", "--stop", "0.001:0.999:0.0001", "--take",
                              "0.001:10:0.001", "--json"])
    assert res.exit_code == 2 and "--force" in res.stderr


def test_cli_module_imports_only_typer():
    code = ("import sys, ipolens.cli.lab as m, ipolens.lab; bad = [k for k in ('pandas', 'numba', 'numpy', 'plotly') "
            "if k in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_metrics_command_flags(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("close\n100\n110\n99\n120\n", encoding="utf-8")
    res = runner.invoke(app, ["lab", "metrics", str(p), "--prices", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["total_return"] == pytest.approx(0.2)
    for flags in ([], ["--prices", "--returns"]):
        res = runner.invoke(app, ["lab", "metrics", str(p), *flags])
        assert res.exit_code == 2 and "exactly one of --prices or --returns" in res.stderr
    res = runner.invoke(app, ["lab", "metrics", str(p), "--returns"])
    assert res.exit_code == 0  # 100, 110 ... as returns is legal but absurd; the caller said so
    q = tmp_path / "r.csv"
    q.write_text("r\n0.1\n-0.2\n0.05\n", encoding="utf-8")
    res = runner.invoke(app, ["lab", "metrics", str(q), "--prices"])
    assert res.exit_code == 2 and "prices must be > 0" in res.stderr


def test_progress_and_entry_checks(universe):
    calls = []
    df = run_grid(universe, R.Strategy(), {"stop_loss": list(np.linspace(0.05, 0.5, 10))}, chunk=3,
                  progress=lambda done, total: calls.append((done, total)))
    assert len(df) == 10 and calls[-1] == (10, 10) and len(calls) == 4
    with pytest.raises(ValueError, match="must come after the entry"):
        run_grid(universe, R.Strategy(R.Entry("close", 5)), {"exit_day": [0, 80]})
    with pytest.raises(ValueError, match="must come after the entry"):
        run_grid(universe, R.Strategy(R.Entry("close", 0)), {"exit_day": [0, 80]})
