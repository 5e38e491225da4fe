"""Nothing vanishes silently: listings without a listing date, out of the years asked for, not IPOs, without an
offer price are counted, named and explained by `ipos`, `stats` and `lab flip` (CLI text and JSON).

Expected values come from the embedded CSV files read with the csv module and from the deals the test adds."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.cli import app

EMB = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"
runner = CliRunner()
# four HK deals without a listing date (priced, not yet listed); the last one is an introduction
UNDATED = ["09951.HK", "09952.HK", "09953.HK", "09954.HK"]


def _csv(name):
    with (EMB / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _code(r):
    return r["code"].split(".")[0].zfill(5) + ".HK"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A ledger file with the embedded data and the four undated deals, written through store.write()."""
    import os

    from ipolens.app.store import open_store
    from ipolens.ledger.model import Entity, Fact, Source

    path = tmp_path_factory.mktemp("left-out-home")
    old = os.environ.get("IPOLENS_HOME")
    os.environ["IPOLENS_HOME"] = str(path)
    store = open_store()
    with store.write() as led:
        led.add_source(Source("user:pipeline", "user", "deals priced, listing date not announced"))
        led.add_entities([Entity("HK:" + c[:5], "listing", "HK", c, f"Pending {c}") for c in UNDATED])
        facts = []
        for i, c in enumerate(UNDATED):
            key = "HK:" + c[:5]
            facts += [Fact(key, "offer_price", "user:pipeline", value=10.0 + i, currency="HKD"),
                      Fact(key, "lot_size", "user:pipeline", value=500, unit="shares")]
        facts.append(Fact("HK:09954", "counts_as_ipo", "user:pipeline", value=0))
        led.add_facts(facts)
    yield path
    if old is None:
        os.environ.pop("IPOLENS_HOME", None)
    else:
        os.environ["IPOLENS_HOME"] = old


def _cli(home, *args):
    res = runner.invoke(app, list(args), env={"IPOLENS_HOME": str(home), "COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return res.stdout


def _by_reason(left_out):
    return {e["reason"]: e for e in left_out}


def test_premise_embedded_hk_listings_are_all_dated():
    rows = _csv("hk_listings_2018_2022.csv") + _csv("hk_ai_listings_2026.csv")
    assert all(r["listing_date"] for r in rows)
    assert not {_code(r) for r in rows} & set(UNDATED)


def test_ipos_counts_undated_out_of_year_and_not_ipo(home):
    old, new = _csv("hk_listings_2018_2022.csv"), _csv("hk_ai_listings_2026.csv")
    in_2020 = [r for r in old if r["listing_date"].startswith("2020")]
    out = json.loads(_cli(home, "ipos", "--market", "HK", "--year", "2020", "--ipos-only", "--format", "json"))
    left = _by_reason(out["left_out"])
    assert list(left) == ["no_listing_date", "out_of_years", "not_ipo"]  # in the order the filters run
    assert left["no_listing_date"]["codes"] == UNDATED  # the introduction is counted once, under the first reason
    assert sorted(left["out_of_years"]["codes"]) == sorted(
        {_code(r) for r in old + new} - {_code(r) for r in in_2020})
    assert left["out_of_years"]["count"] == 499 + 8 - 154
    assert sorted(left["not_ipo"]["codes"]) == sorted(_code(r) for r in in_2020 if r["counts_as_ipo"] == "0")
    assert out["total"] == sum(r["counts_as_ipo"] != "0" for r in in_2020)
    text = _cli(home, "ipos", "--market", "HK", "--year", "2020", "--ipos-only")
    flat = " ".join(text.split())
    assert "Left out 377 listing(s): 4 no listing date" in flat  # 4 + 353 + 20
    assert "353 listed outside the years asked for" in flat and "20 not an IPO" in flat
    assert "09951.HK, 09952.HK, 09953.HK, 09954.HK" in flat


def test_ipos_undated_lists_them(home):
    out = json.loads(_cli(home, "ipos", "--market", "HK", "--undated", "--format", "json"))
    assert out["undated"] is True and [r["code"] for r in out["rows"]] == UNDATED
    assert [r["offer_price"] for r in out["rows"]] == [10.0, 11.0, 12.0, 13.0]
    out = json.loads(_cli(home, "ipos", "--market", "HK", "--undated", "--ipos-only", "--format", "json"))
    assert [r["code"] for r in out["rows"]] == UNDATED[:3]
    assert out["left_out"] == [{"reason": "not_ipo", "why": out["left_out"][0]["why"], "count": 1,
                                "codes": ["09954.HK"]}]
    res = runner.invoke(app, ["ipos", "--undated", "--year", "2020"], env={"IPOLENS_HOME": str(home)})
    assert res.exit_code == 2 and "listing date" in res.output


def test_stats_says_what_it_left_out(home):
    old = _csv("hk_listings_2018_2022.csv")
    in_2020 = [r for r in old if r["listing_date"].startswith("2020")]
    out = json.loads(_cli(home, "stats", "--by", "year", "--market", "HK", "--year", "2020", "--json"))
    left = _by_reason(out["left_out"])
    assert left["no_listing_date"]["codes"] == UNDATED
    assert left["out_of_years"]["count"] == 499 + 8 - 154
    assert sorted(left["not_ipo"]["codes"]) == sorted(_code(r) for r in in_2020 if r["counts_as_ipo"] == "0")
    no_fdr = sorted(_code(r) for r in in_2020 if r["counts_as_ipo"] != "0" and not r["first_day_return"])
    assert sorted(left.get("no_first_day_return", {"codes": []})["codes"]) == no_fdr
    counted = [r for r in in_2020 if r["counts_as_ipo"] != "0"]
    assert out["groups"][0]["listings"] == len(counted)
    flat = " ".join(_cli(home, "stats", "--by", "year", "--market", "HK", "--year", "2020").split())
    assert "4 no listing date" in flat and "353 listed outside the years asked for" in flat
    # a range of years: everything outside 2018-2022 (the 2026 deals) is left out as out of the years
    out = json.loads(_cli(home, "stats", "--market", "HK", "--years", "2018-2022", "--json"))
    left = _by_reason(out["left_out"])
    assert sorted(left["out_of_years"]["codes"]) == sorted(_code(r) for r in _csv("hk_ai_listings_2026.csv"))


def test_lab_flip_says_what_it_left_out(home):
    old = _csv("hk_listings_2018_2022.csv")
    out = json.loads(_cli(home, "lab", "flip", "--market", "HK", "--from", "2018", "--to", "2022", "--json"))
    left = _by_reason(out["left_out"])
    assert left["no_listing_date"]["codes"] == UNDATED
    assert sorted(left["out_of_years"]["codes"]) == sorted(_code(r) for r in _csv("hk_ai_listings_2026.csv"))
    assert sorted(left["not_ipo"]["codes"]) == sorted(_code(r) for r in old if r["counts_as_ipo"] == "0")
    ipos = [r for r in old if r["counts_as_ipo"] != "0" and r["first_day_return"]]
    no_offer = sorted(_code(r) for r in ipos if not (r["offer_price"] and float(r["offer_price"]) > 0))
    assert sorted(left["no_offer_price"]["codes"]) == no_offer and no_offer
    assert out["universe"]["excluded"]["no_listing_date"] == 4
    flat = " ".join(_cli(home, "lab", "flip", "--market", "HK", "--from", "2018", "--to", "2022").split())
    assert "excluded.no_listing_date │ 4 (no listing date" in flat
    assert "excluded.out_of_years │ 8 (listed outside --from/--to)" in flat
