"""Issue 15: the executor setting, and `lab grid` / `lab run` on threads and Dask with identical results; walk-forward
and bootstrap sweep dimensions checked against computations that do not use the sweep code."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ipolens.app import lab as L
from ipolens.app.lab import load_universe
from ipolens.lab import rules as R
from ipolens.lab.executor import DaskMissing, Executor, Shared, local_cluster, map_tasks, resolve
from ipolens.lab.grid import run_grid
from ipolens.lab.sweep import bootstrap, parse_walk_forward, samples, walk_forward

distributed = pytest.importorskip("distributed")

PARAMS = {"exit_day": [0, 80, 120], "stop_loss": [math.nan, 0.1, 0.2], "take_profit": [math.nan, 0.5],
          "min_oversubscription": [math.nan, 100.0]}


@pytest.fixture(scope="module")
def universe(store):
    return load_universe(store, "HK", 2018, 2022)


@pytest.fixture(scope="module")
def cluster():
    """Two in-process workers reachable over TCP, so the CLI can be pointed at them with --scheduler."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None,
                      protocol="tcp", host="127.0.0.1") as c, Client(c) as client:
        yield c, client


def _square(shared, t):
    return shared.k * t * t


def test_executor_options(monkeypatch):
    monkeypatch.delenv("IPOLENS_DASK_SCHEDULER", raising=False)
    assert resolve("threads").engine == "threads" and resolve("LOCAL").engine == "local"
    with pytest.raises(ValueError, match="engine must be one of local, threads, dask"):
        resolve("ray")
    with pytest.raises(ValueError, match="needs --engine dask"):
        resolve("threads", scheduler="tcp://10.0.0.1:8786")
    monkeypatch.setenv("IPOLENS_DASK_SCHEDULER", "tcp://10.0.0.1:8786")
    assert resolve("dask").scheduler == "tcp://10.0.0.1:8786"


def test_dask_missing_says_how_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(DaskMissing, match=r"pip install 'ipolens\[scale\]'"):
        resolve("dask")


def test_map_tasks_keeps_task_order_on_every_engine(cluster):
    tasks = list(range(40))
    want = [3 * t * t for t in tasks]
    for ex in (Executor("local"), Executor("threads", 2), Executor("dask", client=cluster[1])):
        seen = []
        assert map_tasks(_square, tasks, Shared(k=3), ex, lambda d, n: seen.append(d)) == want
        assert seen[-1] == 40 and len(seen) == 40


def test_grid_is_identical_on_threads_and_dask(universe, cluster):
    ref = run_grid(universe, R.Strategy(), PARAMS)
    for ex in (Executor("threads", 2), Executor("dask", client=cluster[1])):
        got = run_grid(universe, R.Strategy(), PARAMS, executor=ex, chunk=5)  # many small tasks
        pd.testing.assert_frame_equal(got, ref)


def test_engine_dask_without_a_scheduler_starts_its_own_cluster(universe):
    """No client and no address: dask_client starts a LocalCluster of the asked size and closes it after."""
    ref = run_grid(universe, R.Strategy(), PARAMS)
    got = run_grid(universe, R.Strategy(), PARAMS, executor=Executor("dask", workers=2, processes=False))
    pd.testing.assert_frame_equal(got, ref)


def test_a_cluster_started_here_runs_light_housekeeping():
    """No stack sampler (nobody could read its profiles) and a slower event-loop watchdog than a default worker's."""
    from distributed import Worker

    cluster, client = local_cluster(2, processes=False)
    try:
        flags = client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
        assert len(flags) == 2 and not any(flags.values())
        ticks = client.run(lambda dask_worker: dask_worker.periodic_callbacks["tick"].callback_time)
        default = Worker(cluster.scheduler_address)  # what a worker does unasked
        assert "profile" in default.periodic_callbacks
        assert set(ticks.values()) == {500} and default.periodic_callbacks["tick"].callback_time < 500
    finally:
        client.close()
        cluster.close()


def test_walk_forward_windows_by_hand():
    dates = pd.to_datetime(["2018-03-01", "2019-05-01", "2020-01-02", "2021-07-01", "2022-12-30", "2022-01-01"])
    ws = walk_forward(dates, 2, 1)
    # listing years 2018..2022: windows 2018-19 > 2020, 2019-20 > 2021, 2020-21 > 2022
    assert [(s.labels["window"], s.labels["segment"], s.index.tolist()) for s in ws] == [
        ("2018-2019>2020-2020", "train", [0, 1]), ("2018-2019>2020-2020", "test", [2]),
        ("2019-2020>2021-2021", "train", [1, 2]), ("2019-2020>2021-2021", "test", [3]),
        ("2020-2021>2022-2022", "train", [2, 3]), ("2020-2021>2022-2022", "test", [4, 5])]
    assert parse_walk_forward("3:1") == (3, 1, 1) and parse_walk_forward("3:2:1") == (3, 2, 1)
    with pytest.raises(ValueError, match="TRAIN:TEST"):
        parse_walk_forward("3y")
    with pytest.raises(ValueError, match="too short"):
        walk_forward(dates[:2], 3, 1)


def test_walk_forward_rows_equal_a_grid_on_the_years_alone(universe):
    sm = samples(len(universe), universe.meta["listing_date"], "3:1")
    df = run_grid(universe, R.Strategy(), PARAMS, samples=sm)
    years = pd.to_datetime(universe.meta["listing_date"]).dt.year
    one = df[(df["window"] == "2018-2020>2021-2021") & (df["segment"] == "test")].drop(
        columns=["window", "segment"]).reset_index(drop=True)
    alone = run_grid(universe.select((years == 2021).to_numpy()), R.Strategy(), PARAMS)  # Universe.select re-packs
    pd.testing.assert_frame_equal(one, alone)


def test_bootstrap_rows_equal_the_resampled_trades(universe):
    """A resample's mean return is the mean of the picked listings' own trade returns (repeats counted)."""
    sm = samples(len(universe), None, None, n_boot=4, seed=11)
    df = run_grid(universe, R.Strategy(), {"exit_day": [0]}, samples=sm)
    one = R.simulate(universe, R.Strategy())
    ret = np.full(len(universe), np.nan)
    closed = one.closed
    ret[closed["listing"].to_numpy()] = closed["gross_return"].to_numpy()
    for k in range(4):
        pick = np.random.default_rng([11, k]).integers(0, len(universe), len(universe))
        r = ret[pick]
        r = r[~np.isnan(r)]
        row = df[df["sample"] == k].iloc[0]
        assert row["n_trades"] == len(r)
        assert row["mean_return"] == pytest.approx(r.mean(), abs=1e-12)
        assert row["median_return"] == pytest.approx(np.median(r), abs=1e-12)
    assert not df.iloc[0].equals(df.iloc[1])  # the resamples differ


def test_bootstrap_draws_depend_on_seed_and_index_only():
    from ipolens.lab.sweep import Sample

    base = Sample(np.arange(50), {})
    a, b = bootstrap(base, 3, seed=5), bootstrap(base, 7, seed=5)
    assert all(np.array_equal(x.index, y.index) for x, y in zip(a, b))
    assert not np.array_equal(bootstrap(base, 1, seed=6)[0].index, a[0].index)


def test_sweep_is_identical_on_every_engine(universe, cluster):
    sm = samples(len(universe), universe.meta["listing_date"], "3:1", n_boot=3, seed=2)
    ref = run_grid(universe, R.Strategy(), PARAMS, samples=sm)
    assert len(ref) == len(sm) * 36 and list(ref.columns[:3]) == ["window", "segment", "sample"]
    for ex in (Executor("threads", 2), Executor("dask", client=cluster[1])):
        pd.testing.assert_frame_equal(run_grid(universe, R.Strategy(), PARAMS, samples=sm, executor=ex), ref)


def test_cli_grid_prints_the_same_rows_on_dask(cluster, monkeypatch, tmp_path):
    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path))
    runner = CliRunner()
    args = ["lab", "grid", "--exit", "debut,day:80", "--stop", "none,0.1:0.3:0.05", "--json"]
    local = runner.invoke(app, args + ["--engine", "local"])
    assert local.exit_code == 0, local.output
    dask = runner.invoke(app, args + ["--engine", "dask", "--scheduler", cluster[0].scheduler_address])
    assert dask.exit_code == 0, dask.output
    assert json.loads(dask.stdout) == json.loads(local.stdout)
    assert len(json.loads(local.stdout)["rows"]) == 12  # 2 exits x 6 stops
    bad = runner.invoke(app, args + ["--engine", "spark"])
    assert bad.exit_code == 2 and "engine must be one of" in bad.output


def test_run_is_identical_on_dask_and_samples_match_the_years_alone(store, cluster):
    ref = L.barbell(store, engine=Executor("local"))
    got = L.barbell(store, engine=Executor("dask", client=cluster[1]))
    assert got.to_dict() == ref.to_dict()
    spec = "examples/barbell.yaml"
    a = L.run(store, spec, engine=Executor("local"), walk_forward="2:1")
    b = L.run(store, spec, engine=Executor("dask", client=cluster[1]), walk_forward="2:1")
    assert a.to_dict() == b.to_dict()
    assert a.to_dict()["total"] == ref.to_dict()["total"]  # the full book is unchanged by the sweep
    # the 2019-2020 > 2021 test sample equals the book run on the 2021 listings alone
    from ipolens.lab.book import run_book
    from ipolens.lab.spec import load_spec

    sp = load_spec(spec)
    u = load_universe(store, sp.market, sp.start, sp.end, ipos_only=sp.ipos_only, bars=sp.bars)
    years = pd.to_datetime(u.meta["listing_date"]).dt.year
    alone = run_book(sp.book, u.select((years == 2021).to_numpy()), sp.fees, periods_per_year=sp.periods_per_year,
                     risk_free=sp.risk_free).summary
    s = a.samples
    row = s[(s["window"] == "2019-2020>2021-2021") & (s["segment"] == "test") & (s["sleeve"] == "total")].iloc[0]
    assert row["total_return"] == pytest.approx(alone.loc["total", "total_return"], abs=1e-12)
    assert row["trades"] == alone.loc["total", "trades"]
