"""Issue 15: `lab` reads from a Parquet lake only the daily bars the job can use (each listing's first sessions up
to the longest holding), so history beyond that, and listings outside the universe, never reach pandas."""
from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from ipolens.app import lab as L
from ipolens.app.data import export
from ipolens.ledger import lake as lake_mod
from ipolens.ledger.queries.lab import lab_listings

YEAR = 2021
EXIT = 20  # the longest holding of the grids below: day:20


def _bars(code: str, dates, rng) -> pd.DataFrame:
    close = 10 * np.cumprod(1 + rng.normal(0, 0.03, len(dates)))
    return pd.DataFrame({"code": code, "date": [d.date() for d in dates], "open": close * 0.99,
                         "high": close * 1.03, "low": close * 0.96, "close": close, "adjusted": False,
                         "source_id": "test:synthetic"})


@pytest.fixture()
def lakes(fresh_store, tmp_path):
    """(store, plain lake, big lake, the listings with bars). The plain lake holds 60 synthetic sessions per listing
    (from 5 sessions before listing; one listing has a 300-day gap after its 3rd session); the big lake adds ten
    more years of bars for the same listings and 40 listings outside the universe."""
    rng = np.random.default_rng(15)
    with fresh_store.read() as led:
        ls = lab_listings(led, "HK")
    ls = ls[(pd.to_datetime(ls["listing_date"]).dt.year == YEAR) & (ls["offer_price"] > 0)
            & ~ls["entity"].str.contains("@")]
    picked = ls.head(4)
    frames = []
    for k, row in enumerate(picked.itertuples(index=False)):
        day0 = pd.Timestamp(row.listing_date)
        dates = pd.bdate_range(end=day0, periods=6)[:-1].append(pd.bdate_range(day0, periods=55))
        if k == 1:  # a suspension: 3 sessions, then nothing for 300 days
            dates = dates[:8].append(pd.bdate_range(day0 + pd.Timedelta(days=300), periods=52))
        frames.append(_bars(row.entity, dates, rng))
    rows = pd.concat(frames, ignore_index=True)
    with fresh_store.write(refresh=False) as led:
        led.con.register("_rows", rows)
        led.con.execute("INSERT INTO prices (code, date, open, high, low, close, adjusted, source_id) "
                        "SELECT code, date, open, high, low, close, adjusted, source_id FROM _rows")
        led.con.unregister("_rows")
    plain, big = tmp_path / "plain", tmp_path / "big"
    export(fresh_store, plain)
    shutil.copytree(plain, big)
    extra = []
    for row in picked.itertuples(index=False):  # bars after each listing's own history, for ten years
        last = rows.loc[rows["code"] == row.entity, "date"].max()
        extra.append(_bars(row.entity, pd.bdate_range(pd.Timestamp(last) + pd.Timedelta(days=1), periods=2500), rng))
    for j in range(40):  # listings that are not in the universe
        extra.append(_bars(f"HK:9{j:04d}", pd.bdate_range(f"{YEAR - 1}-01-01", periods=1500), rng))
    extra = pd.concat(extra, ignore_index=True)
    con = duckdb.connect()
    con.register("_extra", extra)
    for y in sorted({d.year for d in extra["date"]}):
        folder = big / "prices" / "market=HK" / f"year={y}"
        folder.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY (SELECT * FROM _extra WHERE year(date) = {y}) TO '{folder / 'extra.parquet'}' "
                    "(FORMAT parquet)")
    con.close()
    return fresh_store, plain, big, picked


def _capture(monkeypatch) -> list:
    seen = []
    real = L.lake_daily_bars

    def spy(*args, **kwargs):
        df = real(*args, **kwargs)
        seen.append(df)
        return df

    monkeypatch.setattr(L, "lake_daily_bars", spy)
    return seen


def _expected(lake, picked, n: int) -> pd.DataFrame:
    """Independently: every row of the picked listings in the lake's files, then in pandas each one's first n
    dates from its listing date."""
    glob = f"{lake}/prices/**/*.parquet"
    df = duckdb.sql(f"SELECT code, date, close FROM read_parquet('{glob}', hive_partitioning = true, "
                    "union_by_name = true)").df()
    df["date"] = pd.to_datetime(df["date"]).dt.date
    since = dict(zip(picked["entity"], picked["listing_date"]))
    df = df[df["code"].isin(since)]
    df = df[df["date"] >= df["code"].map(since)].sort_values(["code", "date"])
    return df.groupby("code").head(n).reset_index(drop=True)


def test_grid_reads_only_the_needed_bars(lakes, monkeypatch):
    store, plain, big, picked = lakes
    seen = _capture(monkeypatch)
    kw = dict(exits=f"debut,day:5,day:{EXIT}", stops="none,0.05,0.1", takes="none,0.1")
    a = L.grid(store, "HK", YEAR, YEAR, lake=str(plain), **kw).to_dict()
    b = L.grid(store, "HK", YEAR, YEAR, lake=str(big), **kw).to_dict()
    assert a == b
    assert a == L.grid(store, "HK", YEAR, YEAR, **kw).to_dict()  # the ledger's bars, read whole
    assert any(r["n_trades"] and r["exit_day"] == EXIT for r in a["rows"])
    bars = seen[-1]
    want = _expected(big, picked, EXIT + 1)
    assert len(bars) == len(want)
    got = bars[["code", "date", "close"]].sort_values(["code", "date"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    # by hand: 21 sessions each, the suspended listing's from both sides of its gap
    assert bars.groupby("code").size().to_dict() == {e: EXIT + 1 for e in picked["entity"]}
    total = duckdb.sql(f"SELECT count(*) FROM read_parquet('{big}/prices/**/*.parquet')").fetchall()[0][0]
    assert total > 50 * len(bars)  # the lake is much larger than what was read


def test_the_bars_of_a_universe_match_the_unbounded_read(lakes):
    store, plain, big, picked = lakes
    full = L.load_universe(store, "HK", YEAR, YEAR, lake=str(plain))
    cut = L.load_universe(store, "HK", YEAR, YEAR, lake=str(big), last_day=EXIT)
    assert full.meta["code"].tolist() == cut.meta["code"].tolist()
    for i in np.flatnonzero((full.meta["source"] == "daily").to_numpy()):
        pd.testing.assert_frame_equal(full.bars(i).iloc[:EXIT + 1], cut.bars(i))
    assert (cut.meta["source"] == "daily").sum() == len(picked)


def test_a_book_reads_only_its_longest_holding(lakes, monkeypatch, tmp_path):
    store, plain, big, picked = lakes
    spec = tmp_path / "s.yaml"
    spec.write_text(f"name: t\nmarket: HK\nfrom: {YEAR}\nto: {YEAR}\nsleeves:\n"
                    "  - {name: a, weight: 0.5, entry: 'close:1', exit: {day: 12, stop_loss: 0.08}}\n"
                    "  - {name: b, weight: 0.5, entry: offer, exit: debut}\n", encoding="utf-8")
    seen = _capture(monkeypatch)
    a = L.run(store, str(spec), lake=str(plain)).to_dict()
    b = L.run(store, str(spec), lake=str(big)).to_dict()
    assert a == b
    assert seen[-1].groupby("code").size().to_dict() == {e: 13 for e in picked["entity"]}


def test_first_bars_by_hand(tmp_path):
    """Adjusted rows win within the window; rows before the listing date and after the n-th date are not read."""
    rows = pd.DataFrame({"code": ["HK:1"] * 6 + ["HK:2"] * 3,
                         "date": pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-03", "2020-01-06",
                                                 "2020-01-07", "2021-06-01", "2020-01-02", "2020-01-03",
                                                 "2020-01-06"]).date,
                         "close": [1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 8.0, 9.0],
                         "adjusted": [False, False, True, True, False, True, False, False, False]})
    for c in ("open", "high", "low"):
        rows[c] = rows["close"]
    rows["year"] = [d.year for d in rows["date"]]
    rows["market"] = "HK"
    con = duckdb.connect()
    con.register("_r", rows)
    con.execute(f"COPY _r TO '{tmp_path / 'prices'}' (FORMAT parquet, PARTITION_BY (market, year))")
    con.close()
    import datetime as dt

    got = lake_mod.lake_daily_bars(str(tmp_path), ["HK:1", "HK:2"], [dt.date(2020, 1, 3), dt.date(2020, 1, 3)], 2)
    assert list(zip(got["code"], map(str, got["date"]), got["close"])) == [
        ("HK:1", "2020-01-03", 2.5), ("HK:1", "2020-01-06", 3.0),  # adjusted rows of the window, first 2 dates
        ("HK:2", "2020-01-03", 8.0), ("HK:2", "2020-01-06", 9.0)]
    got = lake_mod.lake_daily_bars(str(tmp_path), ["HK:1"], [dt.date(2020, 1, 7)], 5)
    assert got["close"].tolist() == [5.0]  # 2020-01-07 is raw; the window holds an adjusted row 17 months later
