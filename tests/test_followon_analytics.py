"""Follow-on maths and rule checks, each against a hand-worked example (the working is in the comments; nothing is
copied from the code's output). Formulas: ../shared/docs/pipeline-followons-sources.md; rules: hk/followon_rules*.yaml
(Main Board 13.36(5) / GEM 17.42B, 7.27B, 7.19A; the CSRC 定增 rules)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

from ipolens.analytics import followons as fa
from ipolens.app.base import UserError
from ipolens.app.followons import followon_calc, rules

HK, CN = rules()


def calc(**kw) -> dict:
    return followon_calc(None, **kw).to_dict()


def check(d: dict, item_start: str) -> dict:
    hits = [c for c in d["checks"] if c["item"].startswith(item_start)]
    assert len(hits) == 1, d["checks"]
    return hits[0]


# 1. 1-for-4 rights issue at a discount: P = 1.50, S = 1.00. TERP = (4 x 1.50 + 1 x 1.00) / 5 = 7.00 / 5 = 1.40;
#    nil-paid right = 1.40 - 1.00 = 0.40; a holder who does not take up keeps 4 of 5 shares: dilution 1/5 = 20%;
#    the issue is 1/4 = 25% of the existing capital.
def test_rights_1_for_4():
    d = calc(type="rights", ratio="1:4", price="1.00", last_close="1.50")
    assert d["terp"] == pytest.approx(1.40, abs=1e-12)
    assert d["nil_paid_value"] == pytest.approx(0.40, abs=1e-12)
    assert d["dilution"] == pytest.approx(20.0) and d["pct_existing"] == pytest.approx(25.0)
    # discount to last close (1 - 1/1.5) = 33.33%; to TERP (1 - 1/1.4) = 28.57%
    assert d["discount_to_last_close"] == pytest.approx(100 / 3, abs=1e-8)
    assert d["discount_to_terp"] == pytest.approx(100 * (1 - 1 / 1.4), abs=1e-8)


# 2./3. Top-up placing under the general mandate. Close on the agreement date 10.00, 5-day average 9.50: the
#    benchmarked price is the higher, 10.00. At 8.01 the discount is (1 - 8.01/10) = 19.9%: allowed. At 7.90 it is
#    21%: at or above the 20% cap, flagged (13.36(5) / 17.42B). At exactly 8.00 it is 20%: "20% or more" -> flagged.
def test_top_up_placing_19_9_allowed_21_flagged():
    ok = calc(type="top_up", mandate="general", price="8.01", last_close="10.00", avg5="9.50")
    assert ok["benchmark_price"] == 10.0 and ok["discount_to_benchmark"] == pytest.approx(19.9)
    assert check(ok, "discount to the benchmarked price")["status"] == "ok" and not ok["flagged"]
    bad = calc(type="top_up", mandate="general", price="7.90", last_close="10.00", avg5="9.50")
    assert bad["discount_to_benchmark"] == pytest.approx(21.0) and bad["flagged"]
    assert "13.36(5)" in bad["flags"][0]
    at = calc(type="top_up", mandate="general", price="8.00", last_close="10.00", avg5="9.50")
    assert at["flagged"]


# The 5-day average can be the benchmark: close 9.00, average 10.00 -> benchmark 10.00; 8.10 is 19% below it but
# only 10% below the close. A specific-mandate placing has no 20% cap.
def test_benchmark_is_the_higher_and_specific_mandate_has_no_cap():
    d = calc(type="placing", mandate="general", price="8.10", last_close="9.00", avg5="10.00")
    assert d["benchmark_price"] == 10.0 and d["discount_to_benchmark"] == pytest.approx(19.0)
    assert d["discount_to_last_close"] == pytest.approx(10.0)
    s = calc(type="placing", mandate="specific", price="7.00", last_close="10.00", avg5="10.00")
    assert not [c for c in s["checks"] if c["item"].startswith("discount to the benchmarked")]


# Float noise must not decide a cap: 0.1 + 0.14 is 0.24000000000000002 in binary; against 0.30 the float discount is
# 19.999999999999993 (below 20 in float maths). Read as the decimal its repr shows and rounded to 10 places it is
# 20.0000000000: at the cap, flagged. The same through the exact decimal 0.24.
def test_float_noise_does_not_flip_the_cap():
    price = 0.1 + 0.14
    assert (1 - price / 0.3) * 100 < 20  # the float trap
    for p in (price, "0.24"):
        d = calc(type="placing", mandate="general", price=p, last_close="0.30", avg5="0.30")
        assert d["flagged"], p
    assert fa.reaches(D("19.99999999999999999"), 20, 10) and not fa.reaches(D("19.9999999"), 20, 10)


# 4. 10配3 配股除权价: 前收盘 10.00, 配股价 8.00, r = 3/10 = 0.3: (10.00 + 8.00 x 0.3) / 1.3 = 12.40 / 1.3 = 9.538461...
def test_pei_gu_10_pei_3():
    for ratio in ("10:3", "10配3"):
        d = calc(type="pei_gu", ratio=ratio, price="8.00", last_close="10.00")
        assert d["ex_rights_price"] == pytest.approx(12.4 / 1.3, abs=1e-9)
        assert d["pct_existing"] == pytest.approx(30.0)  # 3 per 10 held, under the 30% legacy cap (not above it)
    assert not d["flagged"]


# 5. Open offer 1-for-2 at 0.50, close 0.80: TERP = (2 x 0.80 + 0.50) / 3 = 2.10 / 3 = 0.70; no nil-paid rights.
def test_open_offer():
    d = calc(type="open_offer", ratio="1:2", price="0.50", last_close="0.80")
    assert d["terp"] == pytest.approx(0.70, abs=1e-12)
    assert d["nil_paid_value"] is None and "7.23" in d["nil_paid_note"]
    assert d["dilution"] == pytest.approx(100 / 3, abs=1e-8)


# 6. TDE of one issue: TDE = N/(Q+N) x discount. 1-for-1 rights (N/(Q+N) = 1/2) at 50% below the benchmark 1.00:
#    TDP = (1.00 x 1 + 0.50 x 1) / 2 = 0.75, TDE = 1 - 0.75 = 25% -> at the cap, flagged; at 0.51 (49% below):
#    TDP = 0.755, TDE 24.5% -> allowed.
def test_tde_single_issue_at_and_below_25():
    at = calc(type="rights", ratio="1:1", price="0.50", last_close="1.00", avg5="1.00")
    assert at["tde"] == pytest.approx(25.0) and at["theoretical_diluted_price"] == pytest.approx(0.75)
    assert check(at, "theoretical dilution effect")["status"] == "flagged"
    below = calc(type="rights", ratio="1:1", price="0.51", last_close="1.00", avg5="1.00")
    assert below["tde"] == pytest.approx(24.5)
    assert check(below, "theoretical dilution effect")["status"] == "ok"


# 7. TDE over 12 months (7.27B note 1(c)): a rights issue announced 2026-01-10 of 100 new shares on 300 at 40% below
#    its benchmark, then an open offer announced 2026-06-01 of 200 new shares (on 400) at 0.45 vs benchmark 1.00
#    (55% below). Together, as if made with the first: N = 300 on Q = 300; weighted discount (100 x 40 + 200 x 55) /
#    300 = 50%; TDE = 300/600 x 50% = 25% -> flagged. Alone the open offer is 200/600 x 55% = 18.33%. With the open
#    offer at 0.50 (50% below): weighted (4000 + 10000)/300 = 46.67%, TDE 23.33% -> allowed. A rights issue announced
#    2025-05-31 (over 12 months before 2026-06-01) does not count.
def test_tde_aggregated_over_12_months():
    prior = ["2026-01-10,rights,100,40"]
    at = calc(type="open_offer", ratio="1:2", price="0.45", last_close="1.00", avg5="1.00", shares_before="400",
              new_shares="200", announced="2026-06-01", prior=prior)
    # prior has no shares_before: 400 before the open offer - 100 from the rights issue = 300 before the first
    assert at["tde"] == pytest.approx(100 * 200 / 600 * 0.55)
    assert at["tde_aggregate"] == pytest.approx(25.0) and at["flagged"]
    below = calc(type="open_offer", ratio="1:2", price="0.50", last_close="1.00", avg5="1.00", shares_before="400",
                 new_shares="200", announced="2026-06-01", prior=prior)
    assert below["tde_aggregate"] == pytest.approx(300 / 600 * (4000 + 10000) / 300)
    assert check(below, "theoretical dilution effect")["status"] == "ok"
    old = calc(type="open_offer", ratio="1:2", price="0.45", last_close="1.00", avg5="1.00", shares_before="400",
               new_shares="200", announced="2026-06-01", prior=["2025-05-31,rights,100,40"])
    assert old["tde_aggregate"] == pytest.approx(old["tde"]) and old["tde_counted"] == []
    # a general-mandate placing never counts towards 7.27B
    gm = calc(type="open_offer", ratio="1:2", price="0.45", last_close="1.00", avg5="1.00", shares_before="400",
              new_shares="200", announced="2026-06-01", prior=["2026-01-10,placing,100,40,general"])
    assert gm["tde_counted"] == []


# 8. Placing above market (specific mandate): B = 10.00, Q = 1,000, N = 100 at 11.00. TDP = (10 x 1000 + 11 x 100) /
#    1100 = 11100 / 1100 = 10.0909...; TDE = 1 - 10.0909/10 = -0.909%: a theoretical premium of 0.909% (positive),
#    no value dilution (FAQ 024-2018); the holder's stake still falls by 100/1100 = 9.09%.
def test_placing_above_market_premium():
    d = calc(type="placing", mandate="specific", price="11.00", last_close="10.00", avg5="9.80",
             shares_before="1000", new_shares="100")
    assert d["theoretical_diluted_price"] == pytest.approx(11100 / 1100)
    assert d["theoretical_premium"] == pytest.approx(100 / 110) and d["theoretical_premium"] > 0
    assert d["tde"] == pytest.approx(-100 / 110) and not d["flagged"]
    assert d["dilution"] == pytest.approx(100 / 11)
    assert "no value dilution" in check(d, "theoretical dilution effect")["note"]


# 9. 定增 floor: 20-day turnover 2,000,000,000 over 20,000,000 shares -> average 100.00 (turnover / volume), floor 80%
#    -> 80.00. 79.99 is below (flagged), 80.00 is at it (allowed). Under the legacy 90% rule 80.00 is below 90.00.
#    Lock-up 6 months, 18 for the controlling shareholder (legacy 12 / 36).
def test_ding_zeng_floor_and_lockups():
    low = calc(type="ding_zeng", price="79.99", turnover20="2000000000", volume20="20000000")
    assert low["avg20"] == 100.0 and low["floor_price"] == 80.0 and low["flagged"]
    ok = calc(type="ding_zeng", price="80.00", turnover20="2000000000", volume20="20000000")
    assert not ok["flagged"] and ok["lockup_months"] == 6
    assert calc(type="ding_zeng", price="80.00", avg20="100", holder="controlling")["lockup_months"] == 18
    legacy = calc(type="ding_zeng", price="80.00", avg20="100", regime="legacy")
    assert legacy["floor_price"] == 90.0 and legacy["flagged"] and legacy["lockup_months"] == 12


# 10. Cambricon's 2025 定增 as its documents state it: 1,195.02 against the floor 1,081.32 is 110.51% (the report says
#     "与发行底价的比率为110.51%": 1195.02 / 1081.32 = 1.105149...); 3,334,946 new shares are 0.79% of the 421,685,170
#     shares after the issue (the announcement: "占公司总股本421,685,170股(发行完成后)的0.79%").
def test_cambricon_ding_zeng_stated_ratios():
    d = calc(type="ding_zeng", price="1195.02", floor_price="1081.32", new_shares="3334946",
             shares_before=str(421685170 - 3334946))
    assert round(d["price_to_floor_pct"], 2) == 110.51 and not d["flagged"]
    assert round(d["dilution"], 2) == 0.79


# 11. Size and dilution: 100 new shares on 400: 25% of the existing, 20% of the enlarged capital; holder dilution 0.2.
#     US follow-on: 10,000,000 shares at 45.00 with the last close 50.00 is a 10% discount; on 90,000,000 shares it is
#     10% of the enlarged capital. New shares from funds: 450,000,000 / 45 = 10,000,000.
def test_size_dilution_and_us_follow_on():
    s = fa.size(D(100), D(400))
    assert s["pct_existing"] == 25 and s["pct_enlarged"] == 20 and fa.holder_dilution(D(100), D(400)) == D("0.2")
    d = calc(type="us_follow_on", price="45", last_close="50", shares_before="90000000", funds="450000000")
    assert d["discount_to_last_close"] == pytest.approx(10.0) and d["new_shares"] == 10_000_000
    assert d["dilution"] == pytest.approx(10.0) and d["checks"] == []


# 12. Minority approval (7.19A): more than 50% more shares. A 1-for-2 rights issue adds exactly 50%: not more, no
#     approval needed. 3-for-5 adds 60%: needed. 1-for-4 (25%) after a 1-for-3 open offer 4 months earlier on 300
#     shares (100 new): (100 + 100) / 300 = 66.7% over 12 months -> needed.
def test_minority_approval_threshold():
    assert check(calc(type="rights", ratio="1:2", price="1", last_close="2"), "increase")["status"] == "ok"
    assert check(calc(type="rights", ratio="3:5", price="1", last_close="2"), "increase")["status"] == "flagged"
    agg = calc(type="rights", ratio="1:4", price="1", last_close="2", shares_before="400", new_shares="100",
               announced="2026-05-01", prior=["2026-01-01,open_offer,100,20"])
    c = check(agg, "increase")
    assert c["value"] == pytest.approx(200 / 3) and c["status"] == "flagged"


def test_ratio_parsing():
    assert fa.parse_ratio("1:4") == fa.Ratio(D(1), D(4))
    assert fa.parse_ratio("1 for 4") == fa.Ratio(D(1), D(4))
    assert fa.parse_ratio("10:3", held_first=True) == fa.Ratio(D(3), D(10))
    assert fa.parse_ratio("10配3") == fa.Ratio(D(3), D(10))
    for bad in ("1:0", "abc", "", "-1:4", "1:4:5"):
        with pytest.raises(ValueError):
            fa.parse_ratio(bad)


def test_bad_inputs_are_user_errors():
    for kw in ({"type": "rights", "ratio": "1:x", "price": "1"}, {"type": "rights", "price": "-1", "ratio": "1:4"},
               {"type": "rights", "price": "1"}, {"type": "swap", "price": "1"},
               {"type": "placing", "price": "1", "mandate": "blanket"},
               {"type": "placing", "price": "1", "last_close": "nan"},
               {"type": "open_offer", "ratio": "1:2", "price": "1", "prior": ["2026-01-01,rights,10,5"]}):
        with pytest.raises(UserError):
            followon_calc(None, **kw)


def test_rule_files_cite_rules():
    for doc in (HK, CN):
        assert doc["decision_places"] >= 6
    assert HK["general_mandate_discount_cap"]["cap_pct"] == 20 and "13.36(5)" in HK["general_mandate_discount_cap"]["rule"]
    assert HK["theoretical_dilution_effect"]["cap_pct"] == 25 and "7.27B" in HK["theoretical_dilution_effect"]["rule"]
    assert HK["minority_approval"]["threshold_pct"] == 50 and "7.19A" in HK["minority_approval"]["rule"]
    assert CN["ding_zeng"]["regimes"]["current"]["floor_pct"] == 80
    assert CN["ding_zeng"]["regimes"]["legacy"]["floor_pct"] == 90


# -- properties ---------------------------------------------------------------------------------------------------------
prices = st.decimals(min_value="0.01", max_value="10000", places=3, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=1, max_value=50)


@settings(max_examples=200, deadline=None)
@given(prices, prices, counts, counts)
def test_terp_between_subscription_and_market(market, sub, new, held):
    r = fa.Ratio(D(new), D(held))
    t = fa.terp(market, sub, r)
    assert min(market, sub) <= t <= max(market, sub)
    if sub <= market:
        assert fa.nil_paid_value(t, sub) >= 0


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**12))
def test_dilution_in_unit_interval(new, before):
    d = fa.holder_dilution(D(new), D(before))
    assert 0 <= d < 1


@settings(max_examples=100, deadline=None)
@given(prices, prices, st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_tde_is_enlarged_share_times_discount(bench, price, q, n):
    # 1 - TDP/B = N/(Q+N) x (1 - P/B), the identity behind the 12-month aggregation
    _, tde = fa.theoretical_dilution(bench, D(q), D(n), price)
    assert abs(tde - D(n) / (D(q) + D(n)) * fa.discount_pct(price, bench)) < D("1e-18")


def test_months_before():
    assert fa.months_before(dt.date(2026, 6, 1), 12) == dt.date(2025, 6, 1)
    assert fa.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


# Review findings. A placing whose mandate is not stated: 7.90 against a benchmark of 10.00 is 21% below it, which
# only a general mandate caps (13.36(5)); with no mandate the check cannot be decided. The calculator keeps its
# documented default (general) when --mandate is not given.
def test_a_placing_without_a_mandate_is_not_assumed_general():
    p = fa.Proposal(type="placing", price=D("7.90"), last_close=D("10.00"), avg5=D("9.50"))
    d = fa.assess(p, HK, CN)
    c = check(d, "discount to the benchmarked price")
    assert c["status"] == "unknown" and "mandate not stated" in c["note"] and not d["flagged"]
    # 25% of the shares before (by hand: 50 / 200) would break a 20% general-mandate size limit, but without the mandate
    # that check cannot be decided either
    sized = fa.assess(fa.Proposal(type="placing", price=D("7.90"), last_close=D("10.00"), avg5=D("9.50"),
                                  new_shares=D("50"), shares_before=D("200")), HK, CN)
    assert check(sized, "new shares, % of shares before")["status"] == "unknown" and not sized["flagged"]
    general = fa.assess(fa.Proposal(type="placing", price=D("7.90"), last_close=D("10.00"), avg5=D("9.50"),
                                    mandate="general"), HK, CN)
    assert general["flagged"]
    assert calc(type="placing", price="7.90", last_close="10.00", avg5="9.50")["flagged"]  # calc: general default


# 1-for-4 rights at S = 1.60 over P = 1.50: TERP = (4 x 1.50 + 1.60) / 5 = 7.60 / 5 = 1.52 < 1.60, so the right is
# out of the money: worth 0, not 1.52 - 1.60 = -0.08.
def test_nil_paid_value_is_never_negative():
    d = calc(type="rights", ratio="1:4", price="1.60", last_close="1.50")
    assert d["terp"] == pytest.approx(1.52, abs=1e-12)
    assert d["nil_paid_value"] == 0 and "out of the money" in d["nil_paid_note"]
