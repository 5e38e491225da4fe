"""One answer per HK question: ``ipolens hk tranche|odds|subscribe|stabilise|calibrate`` and ``ipolens lockups``
with ``--json`` print exactly what ``/api/hk/...`` and ``/api/lockups`` return for the same inputs, and both refuse
the same inputs with the same message (CLI exit 2, HTTP 400 or 404).

Expected numbers come from the rules in docs hk-ipo-rules.md worked by hand in the comments, not from the code."""
from __future__ import annotations


import pytest

pytest.importorskip("fastapi")


from conftest import same  # noqa: E402,F401  (fixtures `client` and `cli` live in conftest)


# ------------------------------------------------------------------------------------------------------ tranche
def test_tranche_of_biren_gives_share_counts_in_both(cli, client):
    out = same(cli("hk", "tranche", "6082.HK", "--json"), client.get("/api/hk/tranche", params={"code": "6082.HK"}))
    # Chapter 18C (rules 1.8): 2,347.53x >= 50x -> 20% of the offer from an initial 5%, a multiplier of 4.
    assert (out["code"], out["regime"], out["final_pct"], out["multiplier"]) == ("06082.HK", "18c", 20.0, 4.0)
    # base shares = gross proceeds / offer price = 5,582,993,360 / 19.6 = 284,846,600; 5% and 20% of them
    assert out["offer_shares"] == 284_846_600
    assert (out["initial_shares"], out["final_shares"]) == (14_242_330, 56_969_320)


def test_tranche_of_a_star_listing_is_refused_by_both(cli, client):
    msg = same(cli("hk", "tranche", "688795", "--regime", "pn18", "--subscription", "100", "--initial-pct", "10",
                   "--json"),
               client.get("/api/hk/tranche", params={"code": "688795", "regime": "pn18", "subscription": 100,
                                                     "initial_pct": 10}))
    assert "688795.SH is not an HK listing (market STAR)" in msg


@pytest.mark.parametrize("regime,initial,x,final", [
    ("pn18", 10, 60, 40.0),  # PN18: >= 50x and < 100x -> 40%
    ("pn18", 10, 14.99, 10.0),  # PN18: < 15x stays at 10%
    ("2025a", 5, 20, 15.0),  # Mechanism A: >= 15x -> 15%
    ("2025b", 25, 9999, 25.0),  # Mechanism B: fixed, no reallocation
])
def test_what_if_tranche_without_a_code(cli, client, regime, initial, x, final):
    out = same(cli("hk", "tranche", "--regime", regime, "--initial-pct", str(initial), "--subscription", str(x),
                   "--offer-shares", "1000000", "--json"),
               client.get("/api/hk/tranche", params={"regime": regime, "initial_pct": initial, "subscription": x,
                                                     "offer_shares": 1_000_000}))
    assert out["code"] is None and out["final_pct"] == final
    assert (out["initial_shares"], out["final_shares"]) == (initial * 10_000, round(final * 10_000))


@pytest.mark.parametrize("args,params,needle", [
    (("--regime", "pn19", "--subscription", "3"), {"regime": "pn19", "subscription": 3}, "unknown regime"),
    (("--regime", "pn18", "--subscription", "-3"), {"regime": "pn18", "subscription": -3}, "non-negative"),
    (("--regime", "2025b", "--initial-pct", "70", "--subscription", "3"),
     {"regime": "2025b", "initial_pct": 70, "subscription": 3}, "10-60%"),  # Mechanism B: 10%-60%
    (("--subscription", "3"), {"subscription": 3}, "give a code"),
    (("NOPE.HK",), {"code": "NOPE.HK"}, "unknown code"),
])
def test_tranche_refusals_match(cli, client, args, params, needle):
    assert needle in same(cli("hk", "tranche", *args, "--json"), client.get("/api/hk/tranche", params=params))


# ------------------------------------------------------------------------------------------------------ odds
def test_odds_with_a_given_spread(cli, client):
    out = same(cli("hk", "odds", "--subscription", "15", "--lot-size", "1000", "--price", "2", "--tranche-shares",
                   "1000000", "--brackets", "1:5000,5:1000,20:250", "--json"),
               client.get("/api/hk/odds", params={"subscription": 15, "lot_size": 1000, "price": 2,
                                                  "tranche_shares": 1_000_000, "brackets": "1:5000,5:1000,20:250"}))
    # PN18 at 15x: 10% -> 30%, 3x the 1,000,000-share tranche = 3,000 lots; every application is far below HK$5m,
    # so Pool B's half moves to Pool A; demand 5,000 + 5,000 + 5,000 lots > 3,000, so all 3,000 lots go out.
    assert (out["regime"], out["multiplier"]) == ("pn18", 3.0)
    assert (out["pool_a_lots"], out["pool_b_lots"], out["allotted_shares"]) == (3000, 0, 3_000_000)
    assert out["modelled_applicants"] == 6250


def test_odds_of_biren_with_lots_and_a_draw(cli, client):
    out = same(cli("hk", "odds", "6082.HK", "--lots", "10", "--simulate", "3", "--json"),
               client.get("/api/hk/odds", params={"code": "6082.HK", "lots": 10, "simulate": 3}))
    assert out["initial_tranche_shares"] == 14_242_330  # 5% of 284,846,600, as the tranche gives it
    assert out["application"]["lots"] == 10 and out["simulation"]["seed"] == 3


def test_odds_refusals_match(cli, client):
    msg = same(cli("hk", "odds", "688795.SH", "--regime", "pn18", "--subscription", "4126", "--lot-size", "500",
                   "--json"),
               client.get("/api/hk/odds", params={"code": "688795.SH", "regime": "pn18", "subscription": 4126,
                                                  "lot_size": 500}))
    assert "not an HK listing" in msg
    msg = same(cli("hk", "odds", "--subscription", "15", "--lot-size", "1000", "--price", "2", "--brackets", "1:x",
                   "--json"),
               client.get("/api/hk/odds", params={"subscription": 15, "lot_size": 1000, "price": 2,
                                                  "brackets": "1:x"}))
    assert "brackets" in msg


# ------------------------------------------------------------------------------------------------------ subscribe
def test_subscribe_biren_cash(cli, client):
    out = same(cli("hk", "subscribe", "6082.HK", "--lots", "10", "--json"),
               client.get("/api/hk/subscribe", params={"code": "6082.HK", "lots": 10}))
    # rules 1.9 on 10 x 200 x HK$19.60 = 3,920,000 cents: brokerage 1% 39,200; SFC 0.0027% 105.84 -> 106;
    # trading 0.00565% 221.48 -> 221; AFRC 0.00015% 5.88 -> 6
    assert out["application_cents"]["total"] == 3_920_000 + 39_200 + 106 + 221 + 6
    # one lot: 392,000 + 3,920 + 10.584 -> 11 + 22.148 -> 22 + 0.588 -> 1
    assert out["entry_fee_cents"] == 392_000 + 3_920 + 11 + 22 + 1
    assert out["financing"]["handling_fee_cents"] == 5_000  # HK$50 cash (Futu, rules 1.9)


def test_subscribe_biren_on_margin(cli, client):
    out = same(cli("hk", "subscribe", "6082.HK", "--lots", "10", "--margin", "0.9", "--rate", "0.035", "--days",
                   "7", "--json"),
               client.get("/api/hk/subscribe", params={"code": "6082.HK", "lots": 10, "margin": 0.9,
                                                       "rate": 0.035, "days": 7}))
    # loan 90% of 3,959,533 = 3,563,579.7 -> 3,563,580; interest 3,563,580 x 3.5% x 7 / 365 = 2,391.99 -> 2,392
    fin = out["financing"]
    assert (fin["loan_cents"], fin["cash_cents"], fin["interest_cents"]) == (3_563_580, 395_953, 2_392)
    assert fin["handling_fee_cents"] == 10_000  # HK$100 with financing


@pytest.mark.parametrize("args,params,needle", [
    (("HWEP", "--lots", "1", "--lot-size", "100", "--price", "4", "--subscription", "2"),
     {"code": "HWEP", "lots": 1, "lot_size": 100, "price": 4, "subscription": 2}, "not an HK listing"),
    (("2513.HK", "--lots", "10"), {"code": "2513.HK", "lots": 10}, "board lot size"),
    (("6082.HK", "--lots", "1", "--margin", "1.5"), {"code": "6082.HK", "lots": 1, "margin": 1.5}, "margin"),
    (("6082.HK", "--lots", "0"), {"code": "6082.HK", "lots": 0}, "lots"),
])
def test_subscribe_refusals_match(cli, client, args, params, needle):
    assert needle in same(cli("hk", "subscribe", *args, "--json"), client.get("/api/hk/subscribe", params=params))


# ------------------------------------------------------------------------------------------------------ stabilise
def test_stabilise_what_if(cli, client):
    out = same(cli("hk", "stabilise", "--offer-price", "10", "--base-shares", "1000000", "--path", "10.2,9.8",
                   "--daily-cap", "100000", "--json"),
               client.get("/api/hk/stabilise", params={"offer_price": 10, "base_shares": 1_000_000,
                                                       "path": "10.2,9.8", "daily_cap": 100_000}))
    # 15% over-allotted = 150,000 short; day 1 closes above the offer (no buy); day 2 buys the cap, 100,000 at 9.8;
    # the 50,000 left are covered by a partial greenshoe (5% of the base offer)
    assert (out["over_allotted_shares"], out["shares_bought_back"], out["buyback_cost_hkd"]) == (150_000, 100_000,
                                                                                                 980_000.0)
    assert (out["greenshoe_exercised_shares"], out["exercise"], out["final_offer_shares"]) == (50_000, "partial",
                                                                                              1_050_000)


def test_stabilise_biren_from_the_ledger(cli, client):
    out = same(cli("hk", "stabilise", "6082.HK", "--path", "20,19", "--json"),
               client.get("/api/hk/stabilise", params={"code": "6082.HK", "path": "20,19"}))
    # 15% of 284,846,600 = 42,726,990 short; 20 >= 19.6 buys nothing, 19 < 19.6 buys it all back
    assert (out["over_allotted_shares"], out["shares_bought_back"]) == (42_726_990, 42_726_990)
    assert out["buyback_cost_hkd"] == pytest.approx(42_726_990 * 19) and out["exercise"] == "none"


@pytest.mark.parametrize("args,params,needle", [
    (("688802.SH", "--base-shares", "1000", "--path", "100,101"),
     {"code": "688802.SH", "base_shares": 1000, "path": "100,101"}, "not an HK listing"),
    (("--offer-price", "10", "--base-shares", "1000", "--path", "9,x"),
     {"offer_price": 10, "base_shares": 1000, "path": "9,x"}, "price path"),
    (("--offer-price", "10", "--base-shares", "1000", "--path", "9", "--over-allotment", "20"),
     {"offer_price": 10, "base_shares": 1000, "path": "9", "over_allotment": 20}, "15%"),
    (("--offer-price", "10", "--base-shares", "1000", "--path", "9", "--deadline", "2026-13-01"),
     {"offer_price": 10, "base_shares": 1000, "path": "9", "deadline": "2026-13-01"}, "YYYY-MM-DD"),
])
def test_stabilise_refusals_match(cli, client, args, params, needle):
    assert needle in same(cli("hk", "stabilise", *args, "--json"), client.get("/api/hk/stabilise", params=params))


# ------------------------------------------------------------------------------------------------------ lockups
def test_lockups_hk_summer_2026(cli, client):
    out = same(cli("lockups", "--from", "2026-06-01", "--to", "2026-08-31", "--market", "HK", "--json"),
               client.get("/api/lockups", params={"from": "2026-06-01", "to": "2026-08-31", "market": "HK"}))
    corner = {e["code"]: e["expiry_session"] for e in out["events"] if e["holder"] == "cornerstone"}
    # 6 calendar months (rules 1.6): 2026-01-02 -> 2026-07-02, a Thursday; 2026-01-12 -> Sunday 07-12 -> Monday 07-13
    assert corner["06082.HK"] == "2026-07-02" and corner["00501.HK"] == "2026-07-13"
    assert out["calendar"] == "XHKG"


def test_lockups_nasdaq_on_the_registry_calendar(cli, client):
    out = same(cli("lockups", "--market", "us", "--json"), client.get("/api/lockups", params={"market": "us"}))
    assert (out["market"], out["calendar"]) == ("NASDAQ", "XNYS")  # 'us' is an alias; XNYS as everywhere


@pytest.mark.parametrize("args,params,needle", [
    (("--market", "LSE"), {"market": "LSE"}, "unknown market"),
    (("--from", "2026-02-30"), {"from": "2026-02-30"}, "YYYY-MM-DD"),
    (("--from", "2026-09-01", "--to", "2026-08-01"), {"from": "2026-09-01", "to": "2026-08-01"}, "before"),
    (("--18c-stage", "growth"), {"stage_18c": "growth"}, "18c-stage"),
])
def test_lockups_refusals_match(cli, client, args, params, needle):
    assert needle in same(cli("lockups", *args, "--json"), client.get("/api/lockups", params=params))


# ------------------------------------------------------------------------------------------------------ calibrate
def test_calibrate(cli, client):
    out = same(cli("hk", "calibrate", "--json"), client.get("/api/hk/calibrate"))
    assert out["n"] >= 400 and sum(b["n"] for b in out["median_abs_error_pp_by_band"].values()) == out["n"]


# ------------------------------------------------------------------------------------------------------ non-finite
@pytest.mark.parametrize("cmd,args,route,params", [
    ("subscribe", ("6082.HK", "--lots", "1", "--price", "nan"), "subscribe", {"code": "6082.HK", "lots": 1,
                                                                              "price": "nan"}),
    ("subscribe", ("6082.HK", "--lots", "1", "--price", "inf"), "subscribe", {"code": "6082.HK", "lots": 1,
                                                                              "price": "inf"}),
    ("subscribe", ("6082.HK", "--lots", "1", "--subscription", "inf"), "subscribe",
     {"code": "6082.HK", "lots": 1, "subscription": "inf"}),
    ("subscribe", ("6082.HK", "--lots", "1", "--rate", "nan"), "subscribe", {"code": "6082.HK", "lots": 1,
                                                                             "rate": "nan"}),
    ("tranche", ("--regime", "pn18", "--subscription", "inf"), "tranche", {"regime": "pn18", "subscription": "inf"}),
    ("tranche", ("--regime", "pn18", "--subscription", "3", "--initial-pct", "nan"), "tranche",
     {"regime": "pn18", "subscription": 3, "initial_pct": "nan"}),
    ("odds", ("--subscription", "15", "--lot-size", "1000", "--price", "-inf"), "odds",
     {"subscription": 15, "lot_size": 1000, "price": "-inf"}),
    ("stabilise", ("--offer-price", "inf", "--base-shares", "1000", "--path", "9"), "stabilise",
     {"offer_price": "inf", "base_shares": 1000, "path": "9"}),
    ("stabilise", ("--offer-price", "10", "--base-shares", "1000", "--path", "9", "--over-allotment", "nan"),
     "stabilise", {"offer_price": 10, "base_shares": 1000, "path": "9", "over_allotment": "nan"}),
])
def test_non_finite_numbers_are_refused_by_both(cli, client, cmd, args, route, params):
    """Issue 12 item 6: NaN and infinity are user errors (exit 2 / HTTP 400) naming the option, not a traceback."""
    msg = same(cli("hk", cmd, *args, "--json"), client.get(f"/api/hk/{route}", params=params))
    assert "must be a finite number" in msg
