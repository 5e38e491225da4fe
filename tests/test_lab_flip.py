"""`ipolens lab flip` on the embedded HK set, checked against the CSV computed independently."""
from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ipolens.app.store import open_store
from ipolens.cli import app

CSV = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded" / "hk_listings_2018_2022.csv"
runner = CliRunner()


def _rows():
    with CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _flip(*args):
    res = runner.invoke(app, ["lab", "flip", "--db", ":memory:", *args])
    return res


def _is_ipo(r):
    return r["counts_as_ipo"] != "0"  # same rule as db.ipos(ipos_only=True): unknown counts as an IPO


def _has_offer(r):
    return bool(r["offer_price"]) and float(r["offer_price"]) > 0


def _code(r):
    return r["code"].split(".")[0].zfill(5) + ".HK"


def test_flip_debut_matches_dataset_column():
    res = _flip("--market", "HK", "--from", "2018", "--to", "2022", "--exit", "debut", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    rows = _rows()
    ipos = [r for r in rows if _is_ipo(r) and r["first_day_return"]]
    # IPOs only by default, and only those with an offer price are "bought at the offer"
    fdr = [float(r["first_day_return"]) for r in ipos if _has_offer(r)]
    assert out["count"] == len(fdr) < len(ipos) < len(rows)
    assert out["universe"]["ipos_only"] is True
    assert out["universe"]["listings"] == len(ipos)
    assert out["universe"]["excluded"]["not_ipo"] == sum(not _is_ipo(r) for r in rows)
    assert out["universe"]["excluded"]["no_offer_price"] == len(ipos) - len(fdr)
    # the embedded 2026 AI listings fall outside --from/--to and are said to be left out
    assert set(out["universe"]["excluded_why"]) == {"not_ipo", "no_offer_price", "out_of_years"}
    assert out["universe"]["excluded"]["out_of_years"] == len(CSV.with_name("hk_ai_listings_2026.csv").read_text(
        encoding="utf-8").strip().splitlines()) - 1
    assert abs(out["mean_return_pct"] - sum(fdr) / len(fdr)) <= 1e-9
    assert abs(out["median_return_pct"] - statistics.median(fdr)) <= 1e-9
    assert out["hit_rate"] == pytest.approx(sum(x > 0 for x in fdr) / len(fdr), abs=1e-12)
    for key in ("pnl_per_lot_mean", "pnl_per_lot_median", "pnl_per_lot_total", "lots_priced", "currency"):
        assert key in out
    assert out["currency"] == "HKD"


def test_flip_on_raw_daily_bars(tmp_path):
    """Daily bars written to the prices table: every expected return comes from those raw bars and the offer, never
    from a column the universe was built from (a wrong bar, day offset or price field changes the numbers)."""
    rows = [r for r in _rows() if r["listing_date"].startswith("2020") and _is_ipo(r) and _has_offer(r)][:6]
    rng = np.random.default_rng(11)
    db = str(tmp_path / "ledger.duckdb")
    store = open_store(db)
    closes = {}
    with store.write() as led:
        for r in rows:
            offer = float(r["offer_price"])
            # one bar before the listing day (grey market / a stale row) that must not count, then 15 sessions
            dates = pd.bdate_range(pd.Timestamp(r["listing_date"]) - pd.offsets.BDay(1), periods=16)
            close = offer * rng.uniform(0.5, 2.0, len(dates))
            opens = close * rng.uniform(0.9, 1.1, len(dates))
            for d, o, c in zip(dates, opens, close):
                led.con.execute("INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?, 0, 0, false, 'test')",
                                ["HK:" + _code(r)[:5], d.date(), o, max(o, c) * 1.01, min(o, c) * 0.99, c])
            closes[_code(r)] = (offer, close[1:])
    pick = ["--db", db, "--from", "2020", "--to", "2020", "--filter", "code in " + "|".join(closes), "--json"]

    res = runner.invoke(app, ["lab", "flip", "--exit", "debut", *pick])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    debut = [(c[0] / offer - 1) * 100 for offer, c in closes.values()]
    assert "daily" in out["bars"] and out["count"] == len(rows) == 6
    assert out["mean_return_pct"] == pytest.approx(sum(debut) / len(debut), abs=1e-9)
    assert out["median_return_pct"] == pytest.approx(statistics.median(debut), abs=1e-9)
    assert out["hit_rate"] == pytest.approx(sum(x > 0 for x in debut) / len(debut), abs=1e-12)

    res = runner.invoke(app, ["lab", "flip", "--entry", "close:0", "--exit", "day:10", *pick])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    held = [(c[10] / c[0] - 1) * 100 for _, c in closes.values()]
    assert out["count"] == 6 and out["mean_return_pct"] == pytest.approx(sum(held) / len(held), abs=1e-9)
    assert out["excess_vs_hsi_from_debut_close"]["count"] == 0  # daily bars carry no index levels


def test_flip_all_listings_never_buys_without_an_offer(tmp_path):
    trades = tmp_path / "t.csv"
    res = _flip("--from", "2018", "--to", "2022", "--all-listings", "--trades", str(trades), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    rows = [r for r in _rows() if r["first_day_return"]]
    fdr = [float(r["first_day_return"]) for r in rows if _has_offer(r)]
    assert out["universe"] == {**out["universe"], "ipos_only": False, "listings": len(rows)}
    assert out["universe"]["excluded"]["not_ipo"] == 0
    assert out["universe"]["excluded"]["no_offer_price"] == len(rows) - len(fdr) > 0
    assert out["count"] == len(fdr)
    assert abs(out["mean_return_pct"] - sum(fdr) / len(fdr)) <= 1e-9
    with trades.open(encoding="utf-8") as f:
        traded = list(csv.DictReader(f))
    assert len(traded) == len(fdr) and all(t["offer_price"] and float(t["offer_price"]) > 0 for t in traded)
    # a market entry needs no offer: the no-offer rows trade again, at the debut open/close
    res = _flip("--from", "2018", "--to", "2022", "--all-listings", "--entry", "close:0", "--exit", "day:80",
                "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["universe"]["excluded"]["no_offer_price"] == 0


def test_flip_only_no_offer_rows_is_an_error():
    no_offer = next(r for r in _rows() if _is_ipo(r) and not _has_offer(r))
    code = _code(no_offer)
    res = _flip("--from", "2018", "--to", "2022", "--filter", f"code=={code}")
    assert res.exit_code == 2 and "no offer price" in res.stderr


def test_flip_and_stats_agree_on_the_universe(run_cli):
    """`lab flip` and `ipolens stats` select the same rows: the IPOs by counts_as_ipo."""
    for years, frm, to in (("2018-2022", "2018", "2022"), ("2018-2021", "2018", "2021")):
        st = run_cli("stats", "--by", "year", "--market", "HK", "--years", years, "--json")
        assert st.exit_code == 0, st.output
        st = json.loads(st.stdout)
        fl = run_cli("lab", "flip", "--market", "HK", "--from", frm, "--to", to, "--json")
        assert fl.exit_code == 0, fl.output
        fl = json.loads(fl.stdout)
        assert st["ipos_only"] is True and fl["universe"]["ipos_only"] is True
        assert fl["universe"]["listings"] == st["rows"] == st["all"]["count"]
        assert fl["count"] + fl["universe"]["excluded"]["no_offer_price"] == st["all"]["count"]
        if fl["universe"]["excluded"]["no_offer_price"] == 0:  # same rows, same numbers
            assert fl["mean_return_pct"] == pytest.approx(st["all"]["mean"], abs=1e-9)
            assert fl["median_return_pct"] == pytest.approx(st["all"]["median"], abs=1e-9)
            assert fl["hit_rate"] * 100 == pytest.approx(st["all"]["pct_positive"], abs=1e-9)
        else:  # the rows without an offer are the whole difference
            excl = [float(r["first_day_return"]) for r in _rows()
                    if frm <= r["listing_date"][:4] <= to and _is_ipo(r) and not _has_offer(r)]
            total = fl["mean_return_pct"] * fl["count"] + sum(excl)
            assert total / st["all"]["count"] == pytest.approx(st["all"]["mean"], abs=1e-9)


def test_pnl_per_lot_by_hand():
    # one row, priced by hand with the §1.9 schedule: 1% brokerage + levies in, stamp + commission + levies out
    rows = [r for r in _rows() if r["lot_size"] and r["offer_price"] and r["oversubscription_public"]]
    r = max(rows, key=lambda r: float(r["oversubscription_public"]))
    lot, offer, fdr = float(r["lot_size"]), float(r["offer_price"]), float(r["first_day_return"])
    code = _code(r)
    buy = lot * offer
    sell = buy * (1 + fdr / 100)

    def cents(x):
        return round(x + 1e-12, 2)

    import math
    fee_in = cents(buy * 0.01) + cents(buy * 0.000027) + cents(buy * 0.0000015) + cents(buy * 0.0000565)
    fee_out = (math.ceil(sell * 0.001 - 1e-9) + cents(max(sell * 0.0003, 3.0)) + cents(sell * 0.000027)
               + cents(sell * 0.0000015) + cents(sell * 0.0000565))
    expected = sell - buy - fee_in - fee_out
    res = _flip("--from", "2018", "--to", "2022", "--filter", f"code=={code}", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["count"] == 1
    assert out["pnl_per_lot_mean"] == pytest.approx(expected, abs=0.011)


def test_flip_filter_counts():
    res = _flip("--from", "2018", "--to", "2022", "--filter", "oversubscription>=100", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    expect = [float(r["first_day_return"]) for r in _rows() if _is_ipo(r) and _has_offer(r)
              and r["oversubscription_public"] and float(r["oversubscription_public"]) >= 100]
    assert out["count"] == len(expect)
    assert abs(out["mean_return_pct"] - sum(expect) / len(expect)) <= 1e-9


def test_flip_day_n_and_text_output():
    res = _flip("--from", "2019", "--to", "2021", "--exit", "day:80", "--stop", "0.2")
    assert res.exit_code == 0, res.output
    assert "mean_return_pct" in res.stdout


@pytest.mark.parametrize("args,needle", [
    (["--from", "2030", "--to", "2031"], "empty universe"),
    (["--exit", "day:55"], "no bars on trading day 55"),
    (["--exit", "weekly"], "debut or day:N"),
    (["--filter", "oversubscriptn>=100"], "did you mean 'oversubscription'"),
    (["--filter", "oversubscription>=100000000"], "empty universe"),
    (["--stop", "15"], "fraction"),
    (["--market", "XX"], "market 'XX'"),
    (["--all-listings", "--ipos-only"], "contradict"),
    (["--from", "2022", "--to", "2018"], "after"),
    (["--entry", "close:0", "--exit", "debut"], "must come after the entry"),
])
def test_flip_bad_input(args, needle):
    res = _flip(*args)
    assert res.exit_code == 2
    assert needle in res.stderr


def test_flip_day_n_excess_vs_hsi_rebased():
    res = _flip("--from", "2019", "--to", "2021", "--exit", "day:252", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    ex = []
    for r in _rows():
        if not ("2019" <= r["listing_date"][:4] <= "2021") or not r["ret_day252"] or not r["hsi_ret_day252"]:
            continue
        if float(r["ret_day252"]) <= -100 or not _is_ipo(r) or not _has_offer(r):
            continue
        ex.append((1 + float(r["ret_day252"]) / 100) / (1 + float(r["first_day_return"]) / 100) - 1
                  - float(r["hsi_ret_day252"]) / 100)
    assert out["excess_vs_hsi_from_debut_close"]["count"] == len(ex)
    assert out["excess_vs_hsi_from_debut_close"]["mean_pct"] == pytest.approx(100 * sum(ex) / len(ex), abs=1e-9)
