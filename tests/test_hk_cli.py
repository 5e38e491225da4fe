"""The hk CLI: acceptance commands, JSON keys, bad input -> message on stderr and exit code 2."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_tranche_acceptance_json():
    r = run("hk", "tranche", "--regime", "18c", "--initial-pct", "5", "--subscription", "2347.53", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["final_pct"] == 20.0 and out["multiplier"] == 4.0


def test_tranche_from_ledger_matches():
    r = run("hk", "tranche", "6082.HK", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["regime"], out["final_pct"], out["multiplier"]) == ("18c", 20.0, 4.0)
    # proceeds 5,582,993,360 / 19.6 = 284,846,600 base shares; 5% and 20% of them
    assert out["offer_shares"] == 284_846_600
    assert out["initial_shares"] == 14_242_330 and out["final_shares"] == 56_969_320


def test_pn18_and_mechanism_b_cli():
    r = run("hk", "tranche", "--regime", "pn18", "--initial-pct", "10", "--subscription", "120", "--json")
    assert json.loads(r.stdout)["final_pct"] == 50.0
    r = run("hk", "tranche", "--regime", "2025b", "--initial-pct", "25", "--subscription", "9999", "--json")
    assert json.loads(r.stdout)["final_pct"] == 25.0


@pytest.mark.parametrize("args,needle", [
    (("hk", "subscribe", "9903.HK", "--lots", "-1", "--lot-size", "100"), "lots"),
    (("hk", "subscribe", "9903.HK", "--lots", "1", "--lot-size", "100", "--margin", "1.5"), "margin"),
    (("hk", "subscribe", "NOPE.HK", "--lots", "1"), "unknown code"),
    (("hk", "tranche", "ZZZZ99"), "unknown code"),
    (("hk", "tranche", "--regime", "pn18", "--subscription", "-3"), "subscription"),
    (("hk", "odds", "--subscription", "-3", "--lot-size", "100", "--price", "1"), "subscription"),
    (("hk", "tranche", "--regime", "pn19", "--subscription", "3"), "unknown regime"),
    (("lockups", "--market", "LSE"), "unknown market"),
])
def test_bad_input(args, needle):
    r = run(*args)
    assert r.exit_code == 2
    assert needle in r.stderr.lower()
    assert r.stdout == ""


def test_subscribe_missing_lot_size_names_source():
    r = run("hk", "subscribe", "2513.HK", "--lots", "10")  # Zhipu's board lot is in no shipped source
    assert r.exit_code == 2
    assert "lot size" in r.stderr and "--lot-size" in r.stderr and "prospectus" in r.stderr


def test_subscribe_biren_from_the_ledger():
    # the acceptance command: Biren's lot (200) comes from the reference notes, with its source
    r = run("hk", "subscribe", "6082.HK", "--lots", "10", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    principal = 10 * 200 * 1960  # cents
    fees = [round(principal * rate) for rate in (0.01, 0.000027, 0.0000565, 0.0000015)]
    assert out["application_cents"]["total"] == principal + sum(fees)
    assert out["outcome"]["band_n"] > 0


def test_subscribe_json_with_lot_size():
    r = run("hk", "subscribe", "9903.HK", "--lots", "1", "--lot-size", "100", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["entry_fee_cents"] == 1460583 and out["application_cents"]["total"] == 1460583
    assert out["financing"]["handling_fee_cents"] == 5000  # cash default from the fee schedule
    assert out["outcome"]["band"] == "100x to <500x" and out["outcome"]["band_n"] > 0
    assert 0 <= out["allotment"]["p_at_least_one_lot"] <= 1
    r = run("hk", "subscribe", "6082.HK", "--lots", "10", "--lot-size", "200", "--margin", "0.9")
    assert r.exit_code == 0, r.output
    assert "39,595.33" in r.stdout  # 2,000 x 19.6 = 39,200 + 392 + 1.06 + 2.21 + 0.06 (levies half up)
    assert "n=" in r.stdout


def test_odds_and_stabilise_and_calibrate_json():
    r = run("hk", "odds", "6699.HK", "--lots", "10", "--simulate", "3", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["reported"]["one_lot_success_rate"] == 1.5
    assert 0 <= out["one_lot_success_rate"] <= 1
    assert out["simulation"]["allotted_lots"] * out["lot_size"] == out["allotted_shares"]
    r = run("hk", "stabilise", "--offer-price", "10", "--base-shares", "1000000", "--path", "9.5,10.5", "--json")
    out = json.loads(r.stdout)
    assert out["shares_bought_back"] == 150000 and out["exercise"] == "none"


def test_lockups_acceptance():
    r = run("lockups", "--from", "2026-06-01", "--to", "2026-08-31", "--market", "HK", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["market"], out["calendar"], out["date_from"], out["date_to"]) == ("HK", "XHKG", "2026-06-01", "2026-08-31")
    ev = [e for e in out["events"] if e["holder"] == "cornerstone"]
    assert len(ev) == 8 and all("2026-07-01" <= e["expiry_session"] <= "2026-08-31" for e in ev)
    assert all(e["calendar"] == "XHKG" for e in ev)


def test_cli_module_imports_only_typer():
    code = ("import sys, ipolens.cli.hk\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'duckdb', 'numba', 'exchange_calendars') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_odds_with_given_spread_by_hand():
    # 1,000,000 initial shares, 15x under PN18 -> 30% = 3x -> 3,000 lots of 1,000; every application is under HK$5m,
    # so Pool B's 1,500 lots move to Pool A. With the model's alpha a: c (5000 + 1000*5^a + 250*20^a) = 3000.
    r = run("hk", "odds", "--subscription", "15", "--lot-size", "1000", "--price", "2", "--tranche-shares", "1000000",
            "--brackets", "1:5000,5:1000,20:250", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["pool_a_lots"], out["pool_b_lots"], out["allotted_shares"]) == (3000, 0, 3_000_000)
    from ipolens.hk.odds import model

    a = model().alpha
    c = 3000 / (5000 + 1000 * 5 ** a + 250 * 20 ** a)
    one = next(b for b in out["brackets"] if b["lots"] == 1)
    assert one["p_at_least_one"] == pytest.approx(c, abs=1 / 5000)
    big = next(b for b in out["brackets"] if b["lots"] == 20)
    assert big["guaranteed_lots"] == int(c * 20 ** a)
    r = run("hk", "odds", "--subscription", "15", "--lot-size", "1000", "--price", "2", "--brackets", "1:x")
    assert r.exit_code == 2 and "brackets" in r.stderr


# ------------------------------------------------------------------ explicit --regime, HK-only, shared share counts
NEW_LISTING = "code,name,listing date,offer price,currency,lot size\n2999.HK,NEW CO,2026-03-02,10.5,HKD,500\n"


@pytest.fixture()
def imported_home(tmp_path, monkeypatch):
    """A fresh ledger with one user-imported HK listing after the reform and no initial public pct."""
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    csv = tmp_path / "new.csv"
    csv.write_text(NEW_LISTING, encoding="utf-8")
    r = run("import", str(csv), "--source-title", "test listing")
    assert r.exit_code == 0, r.output


def test_explicit_regime_beats_failed_inference(imported_home):
    # listed 2026-03-02 (after the reform) with no initial public pct: inference alone cannot choose A or B
    r = run("hk", "tranche", "2999.HK", "--subscription", "20")
    assert r.exit_code == 2 and "--regime" in r.stderr
    r = run("hk", "tranche", "2999.HK", "--regime", "2025a", "--subscription", "20", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    # Mechanism A: 20x is >= 15x and < 50x -> 15% of the initial offer
    assert (out["regime"], out["final_pct"], out["regime_reason"]) == ("2025a", 15.0, "given explicitly")
    r = run("hk", "odds", "2999.HK", "--regime", "2025b", "--subscription", "20", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["regime"] == "2025b"
    assert json.loads(r.stdout)["regime_reason"] == "given explicitly"
    r = run("hk", "subscribe", "2999.HK", "--lots", "1", "--regime", "2025b", "--subscription", "20", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["allotment"]["regime"] == "2025b"
    # 500 x 10.5 = 5,250.00; brokerage 52.50; SFC 0.14175 -> 0.14; trading 0.296625 -> 0.30; AFRC 0.007875 -> 0.01
    assert out["entry_fee_cents"] == 525000 + 5250 + 14 + 30 + 1
    # the board lot comes from the user's import, not the reference notes: no warning about it
    assert not any("reference notes" in n for n in out["notes"])
    # stabilise needs no regime: it stops on the missing base offer, not on the regime
    r = run("hk", "stabilise", "2999.HK", "--path", "10,11")
    assert r.exit_code == 2 and "base offer" in r.stderr and "--regime" not in r.stderr


@pytest.mark.parametrize("args", [
    ("hk", "tranche", "688795.SH", "--regime", "pn18", "--subscription", "4126"),
    ("hk", "odds", "688795.SH", "--regime", "pn18", "--subscription", "4126", "--lot-size", "500"),
    ("hk", "subscribe", "688795.SH", "--lots", "1", "--lot-size", "500", "--regime", "pn18", "--subscription", "9"),
    ("hk", "subscribe", "HWEP", "--lots", "1", "--lot-size", "100", "--price", "4", "--subscription", "2"),
    ("hk", "stabilise", "688802.SH", "--base-shares", "1000", "--path", "100,101"),
])
def test_non_hk_listings_refused(args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "not an hk listing" in r.stderr.lower()
    assert r.stdout == ""  # nothing computed with HK regimes or HKD fees


def test_odds_and_subscribe_size_the_tranche_like_tranche():
    # Biren: base 284,846,600 shares; stored initial 5.0001% is snapped to the 18c base of 5%:
    # 284,846,600 x 5 / 100 = 14,242,330 (the raw 5.0001% would give 14,242,614.83 -> 14,242,615)
    t = json.loads(run("hk", "tranche", "6082.HK", "--json").stdout)
    o = json.loads(run("hk", "odds", "6082.HK", "--json").stdout)
    s = json.loads(run("hk", "subscribe", "6082.HK", "--lots", "10", "--json").stdout)
    assert t["initial_shares"] == o["initial_tranche_shares"] == 14_242_330
    assert s["allotment"]["initial_tranche_shares"] == 14_242_330


def test_subscribe_flags_a_board_lot_from_the_reference_notes():
    # 06082.HK's lot (200) is only in data/embedded/reference_facts.yaml, marked "confirm against the prospectus cover"
    r = run("hk", "subscribe", "6082.HK", "--lots", "10")
    assert r.exit_code == 0, r.output
    assert "reference notes" in r.stdout and "confirm against the prospectus cover" in r.stdout
    out = json.loads(run("hk", "subscribe", "6082.HK", "--lots", "10", "--json").stdout)
    assert out["lot_size_source"] == "dataset:ipolens-reference-notes"
    assert any("confirm against the prospectus cover" in n for n in out["notes"])
    # a lot given on the command line or from a dataset row carries no such note
    out = json.loads(run("hk", "subscribe", "6082.HK", "--lots", "10", "--lot-size", "200", "--json").stdout)
    assert out["lot_size_source"] == "--lot-size" and not any("reference notes" in n for n in out["notes"])
    out = json.loads(run("hk", "subscribe", "02110.HK", "--lots", "1", "--json").stdout)
    assert out["lot_size_source"] == "dataset:hkex-ipo-app-2018-2022"
    assert not any("reference notes" in n for n in out["notes"])


def test_docs_describe_biren_subscribe_as_it_runs():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "hk.md").read_text(encoding="utf-8")
    assert "board lot size of 06082.HK is not in the dataset" not in doc
    assert "reference_facts.yaml" in doc


def test_placing_cap_override_cli():
    r = run("hk", "tranche", "--regime", "2025a", "--subscription", "2", "--json")
    out = json.loads(r.stdout)
    assert out["placing_reallocation_cap_pct"] == 15.0
    r = run("hk", "tranche", "--regime", "2025a", "--subscription", "2", "--placing-cap", "30", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    # the cap is reported, never applied: 2x demand under Mechanism A stays at the initial 5%
    assert out["placing_reallocation_cap_pct"] == 30.0 and out["final_pct"] == 5.0
    assert any("not modelled" in n for n in out["notes"])
    r = run("hk", "tranche", "--regime", "2025a", "--subscription", "2", "--placing-cap", "120")
    assert r.exit_code == 2 and "placing-cap" in r.stderr
