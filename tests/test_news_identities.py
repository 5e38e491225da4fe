"""The rounding model, the declared identities and the verdict ladder, on invented figures (all expected values are
worked out by hand in the comments)."""
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipolens.news import identities as ids
from ipolens.news import rounding
from ipolens.news.extract import Claim
from ipolens.news.verify import LedgerFacts, verify

FEES = Path(__file__).parents[1] / "src/ipolens/hk/regimes/fees-hk.yaml"


def claim(n, metric, value, unit, qualifier="exact", half=None, date=None, entity="HK:09999", at=None, quote=None,
          gap="", sentence="某公司的一句话"):
    """A claim as the extractor gives it; by default all test claims share one sentence (their working is local)."""
    q = quote or f"{metric} {value:g}"
    pos = n * 20 if at is None else at
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key=entity, code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=q, sentence=sentence,
                 date=date, _nstart=pos, _nend=pos + 5, _resn=half, _gap=gap)


# -- rounding ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, qualifier, half, high", [
    ("26.8%", 26.8, "exact", 0.05, None),
    ("435亿", 435e8, "exact", 0.5e8, None),  # the scale word multiplies the step: ±0.5亿
    ("10.76萬", 107600, "exact", 50, None),
    ("约3.5%", 3.5, "about", 0.05, None),
    ("逾34亿", 34e8, "more_than", 0.5e8, None),
    ("近1273倍", 1273, "nearly", 0.5, None),
    ("8.5-9.5港元", 8.5, "range", 0.05, 9.5),
    ("61 million", 61e6, "exact", 0.5e6, None),
    ("12 months", 12, "exact", 0.5, None),
])
def test_parse_written(text, value, qualifier, half, high):
    v, q, h, hi = rounding.parse_written(text)
    assert v == pytest.approx(value) and q == qualifier and h == pytest.approx(half)
    assert (hi is None and high is None) or hi == pytest.approx(high)


def test_stated_intervals():
    assert rounding.stated(26.8, "exact", 0.05) == pytest.approx((26.75, 26.85))
    assert rounding.stated(435e8, "exact", 0.5e8) == pytest.approx((434.5e8, 435.5e8))
    lo, hi = rounding.stated(100, "about", 0.5)  # ±5%
    assert (lo, hi) == pytest.approx((95, 105))
    lo, hi = rounding.stated(-30, "more_than", 0.5)  # more than 30% down: below −30
    assert hi < -30 and lo == float("-inf")
    assert rounding.stated(8.5, "range", 0.05, 9.5) == pytest.approx((8.45, 9.55))


def test_truncation_is_one_step_away_from_zero():
    assert rounding.truncated(26.8, 0.05) == pytest.approx((26.8, 26.9))  # 26.86 printed as 26.8
    assert rounding.truncated(468, 0.5) == pytest.approx((468, 469))  # 468.78 printed as 468
    assert rounding.truncated(-12.3, 0.05) == pytest.approx((-12.4, -12.3))


# -- the identities, each unknown in turn ----------------------------------------------------------------------------
# One consistent set of values per relation, computed by hand.
HAND = {
    "gross_proceeds": {"proceeds_gross": 2e9, "offer_price": 10, "shares_offered": 2e8},  # 10 x 2亿 = 20亿
    "close_return": {"first_day_return": 25, "close_price": 25, "offer_price": 20},  # 25/20 − 1 = 25%
    "open_return": {"first_day_open_return": -25, "open_price": 6, "offer_price": 8},  # 6/8 − 1 = −25%
    "intraday_high_return": {"intraday_high_return": 60, "intraday_high": 80, "offer_price": 50},
    "grey_market_return": {"grey_market_return": 25, "grey_market_price": 5, "offer_price": 4},
    "intraday_low_return": {"intraday_low_return": -10, "intraday_low": 9, "offer_price": 10},  # 9/10 − 1
    "grey_market_high_return": {"grey_market_high_return": 50, "grey_market_high": 3, "offer_price": 2},
    "snapshot_return": {"snapshot_return": 5, "snapshot_price": 21, "offer_price": 20},  # 21/20 − 1 = 5%
    "loss_per_lot_at_open": {"loss_per_lot_at_open": 150, "lot_size": 500, "offer_price": 4, "open_price": 3.7},
    # 10% of 2亿 offer shares = 2000万 public shares
    "public_tranche_size": {"public_tranche_shares": 2e7, "shares_offered": 2e8, "public_tranche_pct": 10},
    "one_lot_success": {"one_lot_success_rate": 4, "one_lot_winners": 2000, "one_lot_applicants": 50000},
    "cornerstone_share": {"cornerstone_share_of_offer": 40, "cornerstone_amount": 8e8, "proceeds_gross": 20e8},
    # 2000亿 / (2亿 x 10% x 10 = 2亿) = 1000x
    "margin_multiple_from_terms": {"margin_oversubscription": 1000, "margin_subscription": 2000e8,
                                   "shares_offered": 2e8, "public_tranche_pct": 10, "offer_price": 10},
    "tranche_shares": {"shares_offered": 1e8, "public_tranche_shares": 1e7, "intl_tranche_shares": 9e7},
    "public_tranche_final_size": {"public_tranche_shares_final": 5e7, "shares_offered": 1e8,
                                  "public_tranche_pct_final": 50},
    "tranche_split_initial": {"public_tranche_pct_initial": 10, "intl_tranche_pct_initial": 90},
    "upsize": {"shares_offered": 1.15e8, "shares_offered_initial": 1e8, "upsize_option_shares": 1.5e7},
    "greenshoe_size": {"greenshoe_shares": 1.5e7, "shares_offered": 1e8, "greenshoe_pct": 15},
    # 20 x (1亿 + 1500万 + 1500万) = 26亿
    "proceeds_with_options": {"proceeds_gross_max": 26e8, "offer_price": 20, "shares_offered": 1e8,
                              "upsize_option_shares": 1.5e7, "greenshoe_shares": 1.5e7},
    "issue_costs": {"issue_costs": 1.5e8, "proceeds_gross": 30e8, "proceeds_net": 28.5e8},
    "proceeds_above_plan": {"proceeds_excess_over_plan": 8.5e8, "proceeds_net": 28.5e8, "proceeds_planned": 20e8},
    "strategic_share": {"strategic_placement_pct": 25, "strategic_placement_shares": 5e7, "shares_offered": 2e8},
    "cornerstone_share_by_shares": {"cornerstone_share_of_offer": 30, "cornerstone_shares": 6e7,
                                    "shares_offered": 2e8},
    "sponsor_coinvest_money": {"sponsor_coinvest_amount": 4e7, "sponsor_coinvest_shares": 2e6, "offer_price": 20},
    "sponsor_coinvest_share": {"sponsor_coinvest_pct": 2, "sponsor_coinvest_shares": 4e6, "shares_offered": 2e8},
    # placed at 45 after a close of 50: 1 − 45/50 = 10% discount
    "placing_discount": {"discount_to_last_close": 10, "placing_price": 45, "last_close_before_placing": 50},
    "gain_per_share": {"first_day_gain_per_share": 2.5, "close_price": 12.5, "offer_price": 10},
    "guaranteed_lot": {"shares_for_guaranteed_lot": 2e5, "lots_for_guaranteed_lot": 400, "lot_size": 500},
    "top_tier_ratio": {"top_tier_success_rate": 20, "top_tier_allotment": 1e5, "max_application_shares": 5e5},
    "price_above_range_low": {"price_vs_range_low": 2, "offer_price": 10.2, "offer_price_low": 10},  # 10.2/10 − 1
    "gain_per_lot": {"gain_per_lot": 1000, "lot_size": 500, "close_price": 12, "offer_price": 10},  # 500 x 2
    "loss_per_lot": {"loss_per_lot": 500, "lot_size": 1000, "offer_price": 3, "close_price": 2.5},  # 1000 x 0.5
    "gain_per_lot_at_high": {"gain_per_lot_max": 1000, "lot_size": 200, "intraday_high": 15, "offer_price": 10},
    # 100 x 50 = 5000; fees 1% + 0.0027% + 0.00565% + 0.00015% = 1.0085% -> 5000 x 1.010085 = 5050.425
    "entry_fee": {"entry_fee": 5050.425, "lot_size": 100, "offer_price": 50},
    "entry_fee_without_levies": {"entry_fee": 26000, "lot_size": 500, "offer_price": 52},  # 500 x 52, no levies
    "tranche_split_final": {"public_tranche_pct_final": 30, "intl_tranche_pct_final": 70},
    "tranche_split": {"public_tranche_pct": 10, "intl_tranche_pct": 90},
    # 1亿 shares x 10% x 5 = 5000万
    "public_tranche_money": {"public_tranche_proceeds": 5e7, "shares_offered": 1e8, "public_tranche_pct": 10,
                             "offer_price": 5},
    "margin_multiple": {"margin_oversubscription": 200, "margin_subscription": 1e10, "public_tranche_proceeds": 5e7},
    # 主力 = 超大单 + 大单: 3亿 + 2亿 = 5亿; with 1亿 from medium orders the small orders sell 6亿 net
    "main_net_inflow": {"net_inflow_main": 5e8, "net_inflow_xl_orders": 3e8, "net_inflow_large_orders": 2e8},
    "money_flows_net_to_zero": {"net_outflow_small_orders": 6e8, "net_inflow_xl_orders": 3e8,
                                "net_inflow_large_orders": 2e8, "net_inflow_medium_orders": 1e8},
    # 90% financed: 10% own money, 100 / (100 − 90) = 10x
    "margin_leverage": {"margin_leverage": 10, "margin_financing_ratio": 90},
    # 10 x 1亿 = 10亿 gross, less 5000万 fees = 9.5亿 net
    "net_of_underwriting": {"proceeds_net": 9.5e8, "offer_price": 10, "shares_offered": 1e8, "underwriting_fees": 5e7},
    # 1亿 shares sold at 10 that closed at 12: 2 x 1亿 = 2亿 left on the table
    "money_left_on_table": {"money_left_on_table": 2e8, "shares_offered": 1e8, "close_price": 12, "offer_price": 10},
    "cumulative_return": {"cumulative_return": 50, "close_price": 15, "offer_price": 10},  # 15/10 − 1 = 50%
    # 100亿 at the offer price 10; at 12 the same shares are worth 120亿
    "market_cap_rescales": {"market_cap": 120e8, "market_cap_at_offer": 100e8, "close_price": 12, "offer_price": 10},
    "open_value_rescales": {"valuation_at_open": 60e8, "market_cap": 50e8, "open_price": 30, "close_price": 25},  # 50 x 30/25
    "upsize_share": {"upsize_pct": 30, "shares_offered": 130e6, "shares_offered_initial": 100e6},  # 130/100 - 1 = 30%
    "first_day_outcomes": {"ipo_count": 20, "ipos_up_day1": 12, "ipos_flat_day1": 1, "ipos_below_issue": 7},
    "lottery_success": {"lottery_success_rate": 2.5, "public_subscription_lots": 500, "applications": 20000},
    "daily_return": {"daily_return": 20, "close_price": 60, "previous_close": 50},  # 60/50 − 1 = 20% on the day
    # 3000万 cornerstone shares at 10 = 3亿
    "cornerstone_money": {"cornerstone_amount": 3e8, "cornerstone_shares": 3e7, "offer_price": 10},
    "gain_per_lot_tw": {"gain_per_lot": 12000, "close_price": 62, "offer_price": 50},  # 1000 shares x (62 − 50)
    "hypothetical_proceeds": {"hypothetical_proceeds": 6e8, "shares_offered": 1e7, "close_price": 60},  # 1000万 x 60
    "market_cap_from_shares": {"market_cap": 1e10, "close_price": 12.5, "shares_outstanding": 8e8},  # 12.5 x 8亿
    "market_cap_at_offer_from_shares": {"market_cap_at_offer": 8e9, "offer_price": 10, "shares_outstanding": 8e8},
    "valuation_at_open_from_shares": {"valuation_at_open": 9.6e9, "open_price": 12, "shares_outstanding": 8e8},
    "pe_rescales": {"pe_at_close": 37.5, "pe_issue": 25, "close_price": 30, "offer_price": 20},  # 25 x 30 / 20
    "ps_rescales": {"ps_at_close": 12, "ps_at_offer": 8, "close_price": 15, "offer_price": 10},  # 8 x 15 / 10
    "public_demand_in_shares": {"oversubscription_public": 150, "public_demand_shares": 1.5e9,
                                "public_tranche_shares": 1e7},  # 15亿 / 1000万
    "public_demand_in_money": {"oversubscription_public": 150, "public_demand_amount": 3e10,
                               "public_tranche_proceeds": 2e8},  # 300亿 / 2亿
    "intl_demand_in_shares": {"oversubscription_intl": 12, "intl_demand_shares": 1.08e9,
                              "intl_tranche_shares": 9e7},  # 10.8亿 / 9000万
    "raise_at_range_low": {"proceeds_gross_low": 4e8, "shares_offered": 5e7, "offer_price_range_low": 8},
    "raise_at_range_high": {"proceeds_gross_high": 5e8, "shares_offered": 5e7, "offer_price_range_high": 10},
    "valuation_at_range_low": {"valuation_low": 6.2e9, "shares_outstanding": 2e8, "offer_price_range_low": 31},
    "valuation_at_range_high": {"valuation_high": 6.8e9, "shares_outstanding": 2e8, "offer_price_range_high": 34},
    "planned_raise_at_midpoint": {"proceeds_planned": 6e8, "shares_offered_initial": 2.4e7,
                                  "offer_price_range_initial_mid": 25},  # 2400万 x 25
    "gross_from_tranche": {"proceeds_gross": 2e9, "offer_price": 10, "public_tranche_shares": 2e7,
                           "public_tranche_pct": 10},  # 2000万 / 10% x 10
    "gross_from_final_tranche": {"proceeds_gross": 7.83288e8, "offer_price": 68.8,
                                 "public_tranche_shares_final": 4.554e6, "public_tranche_pct_final": 40},  # 455.4万 / 40% = 1138.5万 x 68.8 = 78,328.8万
    "share_of_a_count": {"share_of_ipos_below_issue": 50, "ipos_below_issue": 10, "ipo_count": 20},  # 10 / 20
    "lottery_return": {"lottery_return": 225, "emerging_board_avg_price": 156, "offer_price": 48},  # 156/48 − 1
    # a placing: 2亿 shares at 5 = 10亿; the day's move from a last close of 10 to 9 is −10%
    "placing_proceeds": {"proceeds_gross": 10e8, "placing_price": 5, "placing_shares": 2e8},
    "move_from_last_close_before_placing": {"daily_return": -10, "close_price": 9, "last_close_before_placing": 10},
    "grey_market_gain_per_share": {"grey_market_gain_per_share": 0.5, "grey_market_price": 2.5, "offer_price": 2},
    # clawback: 1000万 + 1000万 = 2000万 public; 9000万 − 1000万 = 8000万 international; 1000万 / 1亿 = 10%
    "clawback_to_public": {"public_tranche_shares_final": 2e7, "public_tranche_shares": 1e7, "clawback_shares": 1e7},
    "clawback_from_intl": {"intl_tranche_shares_final": 8e7, "intl_tranche_shares": 9e7, "clawback_shares": 1e7},
    "clawback_share_of_offer": {"clawback_pct": 10, "clawback_shares": 1e7, "public_tranche_shares": 1e7,
                                "intl_tranche_shares": 9e7},
    "tranche_shares_final": {"shares_offered": 1e8, "public_tranche_shares_final": 3e7, "intl_tranche_shares_final": 7e7},
    "intl_tranche_final_size": {"intl_tranche_shares_final": 7e7, "shares_offered": 1e8, "intl_tranche_pct_final": 70},
    # 3000万 x 70 = 7000万 x 30
    "final_tranches_in_proportion": {"public_tranche_shares_final": 3e7, "intl_tranche_pct_final": 70,
                                     "intl_tranche_shares_final": 7e7, "public_tranche_pct_final": 30},
    "cornerstone_share_of_final_tranches": {"cornerstone_share_of_offer": 40, "cornerstone_shares": 4e7,
                                            "public_tranche_shares_final": 3e7, "intl_tranche_shares_final": 7e7},
    # 20 x (1000万 + 150万) = 2.3亿
    "proceeds_with_greenshoe": {"proceeds_gross_max": 2.3e8, "offer_price": 20, "shares_offered": 1e7,
                                "greenshoe_shares": 1.5e6},
    "listings_vs_issue": {"ipo_count": 50, "ipos_above_issue": 45, "ipos_below_issue": 5},
    "greenshoe_at_the_usual_size": {"greenshoe_shares": 1.5e7, "shares_offered": 1e8},  # 15% x 1亿 = 1500万
    # an A-share winning number: 500 shares x (60 − 50) = 5000; 1000 shares x 10 = 10000; cash due 500 x 50, 1000 x 50
    "gain_per_lot_cn_500": {"gain_per_lot": 5000, "close_price": 60, "offer_price": 50},
    "gain_per_lot_cn_1000": {"gain_per_lot": 10000, "close_price": 60, "offer_price": 50},
    "entry_fee_cn_500": {"entry_fee": 25000, "offer_price": 50},
    "entry_fee_cn_1000": {"entry_fee": 50000, "offer_price": 50},
    # one ADS = 4 shares: 4 x 5.00 = 20.00 per ADS; the range 4.00–5.00 per share is 16–20 per ADS
    "ads_price": {"offer_price": 20, "offer_price_per_share": 5, "ads_ratio": 4},
    "ads_range_low": {"offer_price_range_low": 16, "offer_price_per_share_range_low": 4, "ads_ratio": 4},
    "ads_range_high": {"offer_price_range_high": 20, "offer_price_per_share_range_high": 5, "ads_ratio": 4},
}


def test_every_relation_has_a_hand_case():
    declared = {i.id for i in ids.identities() if i.kind == "relation"}
    assert declared == set(HAND)


@pytest.mark.parametrize("ident_id", sorted(HAND))
def test_each_role_solves(ident_id):
    ident = next(i for i in ids.identities() if i.id == ident_id)
    values = HAND[ident_id]
    assert set(ident.roles) == set(values)
    for unknown in ident.roles:
        known = {r: (float(v), float(v)) for r, v in values.items() if r != unknown}
        lo, hi = ids.solve_for(ident, unknown, known)
        # exact inputs give the value itself (the entry fee: within its four half-cents of levy rounding)
        v, tol = values[unknown], 1e-9 * max(1.0, abs(values[unknown]))
        assert lo <= v + tol and hi >= v - tol, (unknown, lo, hi)
        assert hi - lo <= (0.04 + tol if ident_id == "entry_fee" else tol), (unknown, lo, hi)


def test_solving_carries_the_inputs_rounding():
    ident = next(i for i in ids.identities() if i.id == "close_return")
    # close 12.5 ± 0.05 over offer 10 ± 0.05: 12.45/10.05 − 1 = 23.88%, 12.55/9.95 − 1 = 26.13%
    lo, hi = ids.solve_for(ident, "first_day_return", {"close_price": (12.45, 12.55), "offer_price": (9.95, 10.05)})
    assert lo == pytest.approx(23.8806, abs=1e-3) and hi == pytest.approx(26.1307, abs=1e-3)


def test_fee_rate_comes_from_the_fee_schedule():
    schedule = yaml.safe_load(FEES.read_text(encoding="utf-8"))["application"]
    by_hand = float(sum(Decimal(v) for v in schedule.values()))
    assert by_hand == pytest.approx(0.010085)
    ident = next(i for i in ids.identities() if i.id == "entry_fee")
    lo, hi = ids.solve_for(ident, "entry_fee", {"lot_size": (200, 200), "offer_price": (35.5, 35.5)})
    # 7100 x 1.010085 = 7171.6035, give or take half a cent on each of the four levies
    assert (lo + hi) / 2 == pytest.approx(7100 * (1 + by_hand)) == pytest.approx(7171.6035)
    assert hi - lo == pytest.approx(4 * 0.01)


def test_entry_fee_allows_the_cent_rounding_of_each_levy():
    # 200 x 19.6 = 3920; levies rounded to the cent one by one (fees-hk.yaml): 39.20 + 0.11 (0.10584) + 0.22
    # (0.22148) + 0.01 (0.00588) -> 3959.54, where 3920 x 1.010085 = 3959.5332 would print 3959.53
    cs = [claim(1, "offer_price", 19.6, "HKD", half=0.05), claim(2, "lot_size", 200, "shares", half=0.5),
          claim(3, "entry_fee", 3959.54, "HKD", half=0.005)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"
    cs[2] = claim(3, "entry_fee", 3959.60, "HKD", half=0.005)  # 6 cents off: more than four half-cents
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"


def test_entry_fee_claim_confirmed():
    cs = [claim(1, "offer_price", 35.5, "HKD", half=0.05), claim(2, "lot_size", 200, "shares", half=0.5),
          claim(3, "entry_fee", 7171.6, "HKD", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent" and "entry_fee" in cs[2].why and "7,171.60" in cs[2].why


def test_a_new_identity_is_only_data(monkeypatch):
    from ipolens.news import identity_defs

    cfg = dict(ids._config())
    cfg["identities"] = [{"id": "double", "relation": "market_cap = offer_price * shares_total"}]
    monkeypatch.setattr(identity_defs, "_config", lambda: cfg)
    ids.identities.cache_clear()
    try:
        ident = ids.identities()[0]
        assert ident.roles == ("market_cap", "offer_price", "shares_total")
        assert ids.solve_for(ident, "shares_total", {"market_cap": (300, 300), "offer_price": (3, 3)}) == \
            pytest.approx((100, 100))
    finally:
        ids.identities.cache_clear()


# -- the verdict ladder ----------------------------------------------------------------------------------------------
def test_exact_contradiction_is_inconsistent():
    # quoted prices are exact as written: 12/10 − 1 = 20%, so 20 fits and 20.4 (20.35..20.45) does not
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "close_price", 12, "HKD", half=0.5),
          claim(3, "first_day_return", 20, "pct", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "close_price", 12, "HKD", half=0.5),
          claim(3, "first_day_return", 20.4, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert "(close_price / offer_price - 1)" in cs[2].why and "20.00%" in cs[2].why


def test_rounded_inputs_widen_the_derived_interval():
    # 2.0亿 shares (1.95亿..2.05亿) x 10 = 19.5亿..20.5亿: 20.4亿 fits, 21亿 (20.95亿..21.05亿) does not (a figure of
    # two significant digits is rounded, never read as truncated: rounding.weakest)
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.05), claim(2, "shares_offered", 2.0e8, "shares", half=0.05e8),
          claim(3, "proceeds_gross", 20.4e8, "HKD", half=0.05e8)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"
    cs[2] = claim(3, "proceeds_gross", 21e8, "HKD", half=0.05e8)
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"


def test_different_dates_make_a_tension():
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005),
          claim(2, "close_price", 12.00, "HKD", half=0.005, date="2025-03-03"),
          claim(3, "first_day_return", 25.0, "pct", half=0.05, date="2025-03-04")]
    verify({"a": cs})
    assert cs[2].verdict == "tension" and "different dates" in cs[2].why


def test_approximate_input_is_the_suspect():
    # round 2 (flag the member the evidence points to): about 12 is 11.4..12.6: 14%..26%, not 30%; the firm 30% is
    # not flagged for it, the approximate close is (10 x 1.30 = 13.0, outside 11.4..12.6)
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "close_price", 12.00, "HKD", "about", 0.005),
          claim(3, "first_day_return", 30.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "approximate input" in cs[2].why
    assert cs[1].verdict == "inconsistent" and "13.00" in cs[1].why


def test_truncation_is_consistent_with_a_note():
    # 14.689/10.000 − 1 = 46.89% (inputs' rounding 14.6885/10.0005 − 1 = 46.876% .. 14.6895/9.9995 − 1 = 46.902%):
    # printed 46.8 (46.75..46.85) it matches only by truncation (README: consistent with a note)
    cs = [claim(1, "offer_price", 10.000, "HKD", half=0.0005), claim(2, "close_price", 14.689, "HKD", half=0.0005),
          claim(3, "first_day_return", 46.8, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent" and "truncation" in cs[2].why


def test_fall_word_signs_the_return():
    # 8/10 − 1 = −20%: '较发行价低20%' is stated as a positive size after a fall word
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "close_price", 8.00, "HKD", half=0.005),
          claim(3, "first_day_return", 20.0, "pct", half=0.05, gap="较发行价低")]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"


def test_confirmed_claim_not_flagged_by_weaker_evidence():
    # the offer price 10 is confirmed by the open (11/10 − 1 = 10%); the close/return pair disagrees with it
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "open_price", 11.00, "HKD", half=0.005),
          claim(3, "first_day_open_return", 10.0, "pct", half=0.05),
          claim(4, "close_price", 12.00, "HKD", half=0.005), claim(5, "first_day_return", 25.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[0].verdict == "consistent" and "confirmed by" in cs[0].why
    assert cs[4].verdict == "inconsistent"


def test_far_apart_values_are_not_judged():
    # a per-lot gain read as a price gives a gap of orders of magnitude: a reading problem, not the article's
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "first_day_return", 20.0, "pct", half=0.05),
          claim(3, "close_price", 600, "HKD", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "role reading" in cs[2].why


def test_parts_summing_to_the_whole():
    cs = [claim(1, "use_of_proceeds_share", 45.0, "pct", half=0.05),
          claim(2, "use_of_proceeds_share", 35.0, "pct", half=0.05),
          claim(3, "use_of_proceeds_share", 20.0, "pct", half=0.05)]
    verify({"a": cs})
    assert all(c.verdict == "consistent" for c in cs)


def test_parts_within_a_stated_total():
    # brokers lent 120亿 + 80亿 = 200亿 of a stated 250亿 margin total: within it (a bound supports, not confirms)
    cs = [claim(1, "margin_subscription", 250e8, "HKD", half=0.5e8),
          claim(2, "margin_by_broker", 120e8, "HKD", half=0.5e8),
          claim(3, "margin_by_broker", 80e8, "HKD", half=0.5e8)]
    verify({"a": cs})
    assert all(c.verdict == "consistent" for c in cs)


def test_offer_price_inside_its_range():
    cs = [claim(1, "offer_price_range", 8.5, "HKD", "range", 0.05), claim(2, "offer_price", 9.1, "HKD", half=0.05)]
    cs[0].value_high = 9.5
    verify({"a": cs})
    assert cs[0].verdict == "consistent" and cs[1].verdict == "consistent"


def test_net_proceeds_within_the_fee_band():
    # 19.2亿 / 20亿 = 0.96: net a few percent below gross
    cs = [claim(1, "proceeds_gross", 20e8, "HKD", half=0.05e8), claim(2, "proceeds_net", 19.2e8, "HKD", half=0.05e8)]
    verify({"a": cs})
    assert cs[1].verdict == "consistent"
    cs = [claim(1, "proceeds_gross", 20e8, "HKD", half=0.05e8), claim(2, "proceeds_net", 21e8, "HKD", half=0.05e8)]
    fs = verify({"a": cs})
    assert any(f.check == "net_below_gross" and f.verdict == "inconsistent" for f in fs)


def _ledger(rows):
    cols = ["entity", "field", "value_num", "value_high", "qualifier", "unit", "currency", "as_of", "period",
            "source_id", "lo", "hi", "published"]
    return LedgerFacts(pd.DataFrame(rows, columns=cols))


def test_ledger_self_conflict_is_not_an_article_error():
    rows = [["HK:09999", "offer_price", 10.0, None, "exact", None, "HKD", None, None, "src:a", 10.0, 10.0, None],
            ["HK:09999", "offer_price", 12.0, None, "exact", None, "HKD", None, None, "src:b", 12.0, 12.0, None]]
    c = claim(1, "offer_price", 11.00, "HKD", half=0.005)
    fs = verify({"a": [c]}, _ledger(rows))
    conflicts = [f for f in fs if f.check == "ledger_conflict"]
    assert conflicts and "src:a" in conflicts[0].why and "src:b" in conflicts[0].why
    assert c.verdict == "tension" and "disagrees with itself" in c.why
    c = claim(1, "offer_price", 10.00, "HKD", half=0.005)
    verify({"a": [c]}, _ledger(rows))
    assert c.verdict == "consistent"


def test_ledger_single_value_contradiction_is_inconsistent():
    rows = [["HK:09999", "offer_price", 10.0, None, "exact", None, "HKD", None, None, "src:a", 10.0, 10.0, None]]
    c = claim(1, "offer_price", 11.00, "HKD", half=0.005)
    verify({"a": [c]}, _ledger(rows))
    assert c.verdict == "inconsistent"


def test_restatement_supports_and_a_mismatch_says_nothing():
    # headline and body give the same 5.5亿; a third figure of the role (another tranche, another day) is no error
    cs = [claim(1, "proceeds_gross", 5.5e8, "HKD", half=0.05e8), claim(2, "proceeds_gross", 5.5e8, "HKD", half=0.05e8),
          claim(3, "proceeds_gross", 9.1e8, "HKD", half=0.05e8)]
    verify({"a": cs})
    assert cs[0].verdict == "consistent" and "restated" in cs[0].why
    assert cs[2].verdict == "unverifiable"


def test_unassigned_figures_are_not_restatements():
    cs = [claim(1, "statement", 42.0, "pct", half=0.05), claim(2, "statement", 42.0, "pct", half=0.05)]
    verify({"a": cs})
    assert all(c.verdict == "unverifiable" for c in cs)


def test_per_lot_gain_at_the_grey_market_close():
    # 暗盘 close 5.6 over an offer of 5.0 on a 1000-share lot: 1000 x 0.6 = 600
    cs = [claim(1, "offer_price", 5.0, "HKD", half=0.05), claim(2, "lot_size", 1000, "shares", half=0.5),
          claim(3, "grey_market_price", 5.6, "HKD", half=0.05), claim(4, "gain_per_lot", 600, "HKD", half=0.5)]
    verify({"a": cs})
    assert cs[3].verdict == "consistent" and "as grey_market_price" in cs[3].why


def test_other_currency_is_left_to_the_fx_check():
    # an offer price in HKD and a return computed from a USD price are never combined
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.05), claim(2, "close_price", 2.0, "USD", half=0.05),
          claim(3, "first_day_return", 20.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable"


def test_return_next_to_another_price_is_not_judged_against_the_open():
    # 'opened at 11.00 ... up 13% at 11.30': the 13% is the move to 11.30 (11.30/10 − 1 = 13%), not the open's 10%
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, at=0),
          claim(2, "open_price", 11.00, "HKD", half=0.005, at=20),
          claim(3, "first_day_open_return", 13.0, "pct", half=0.05, at=40),
          claim(4, "snapshot_price", 11.30, "HKD", half=0.005, at=48, gap="% at HK$")]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "next to another price" in cs[2].why
    # the same return with a clause break before the price is judged against the open: 11/10 − 1 = 10%, not 13%
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, at=0),
          claim(2, "open_price", 11.00, "HKD", half=0.005, at=20),
          claim(3, "first_day_open_return", 13.0, "pct", half=0.05, at=40),
          claim(4, "snapshot_price", 11.30, "HKD", half=0.005, at=48, gap="%, later HK$")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"


def test_ledger_fact_is_a_known_value():
    # the article gives the offer price and the return; the ledger knows the close 12.5: 12.5/10 − 1 = 25%
    rows = [["HK:09999", "close_price", 12.5, None, "exact", None, "HKD", None, None, "src:a", 12.5, 12.5, None]]
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "first_day_return", 25.0, "pct", half=0.05)]
    verify({"a": cs}, _ledger(rows))
    assert cs[1].verdict == "consistent" and "ledger close_price" in cs[1].why
    close = "某公司首日收涨28%"  # the ledger's price is a close: the text must say the move is at the close
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, sentence=close),
          claim(2, "first_day_return", 28.0, "pct", half=0.05, sentence=close)]
    verify({"a": cs}, _ledger(rows))
    # a contradiction that rests on a ledger value is tension (the ledger may be the one that is wrong)
    assert cs[1].verdict == "tension" and "12.5" in cs[1].why and "from the ledger" in cs[1].why


# -- round 2: derived roles, the suspect member, one reading for all members, one alias table ----------------------
def test_a_lot_derived_by_one_identity_checks_another():
    # no lot is stated; the best per-lot gain 2000 at the high 14 over the offer 10 fixes it: 2000 / (14 − 10) = 500
    # shares; at that lot the close 10.8 gives (10.8 − 10) x 500 = 400 per lot, so 400 fits and 480 does not
    base = [claim(1, "offer_price", 10, "CNY", half=0.5), claim(2, "intraday_high", 14, "CNY", half=0.5),
            claim(3, "gain_per_lot_max", 2000, "CNY", half=0.5), claim(4, "close_price", 10.8, "CNY", half=0.05)]
    cs = base + [claim(5, "gain_per_lot", 400, "CNY", half=0.5)]
    verify({"a": cs})
    assert cs[4].verdict == "consistent" and "derived by gain_per_lot_at_high" in cs[4].why
    cs = [claim(i + 1, c.metric, c.value, c.unit, half=c._resn) for i, c in enumerate(base)] + \
        [claim(5, "gain_per_lot", 480, "CNY", half=0.5)]
    verify({"a": cs})
    # the lot is not stated, so the contradiction is a tension (the derivation may be what is wrong)
    assert cs[4].verdict == "tension" and "derived, not stated" in cs[4].why
    # the figures the lot came from are never checked against it (no circular confirmation)
    assert "derived by" not in (cs[2].why or "")


def test_mainland_entry_fee_has_no_levies():
    # 500 x 52 = 26000 yuan for one lot: no brokerage or levies on a mainland subscription
    cs = [claim(1, "offer_price", 52, "CNY", half=0.5), claim(2, "lot_size", 500, "shares", half=0.5),
          claim(3, "entry_fee", 26000, "CNY", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"


def test_the_supported_member_is_cleared_and_the_other_flagged():
    # offer 10 (stated twice), open 12, open return 26%: 12/10 − 1 = 20%, not 26%. The restated offer is not the
    # suspect. Nothing else supports the open or the return; removing either one would do, so the tie goes to the
    # computed side (the return, worked out by the writer): the return is inconsistent. The open, the only other
    # unsupported member, cannot be told from it by any evidence: not flagged (one failing relation, one flag), its
    # why names the return.
    # When the open is restated too (a second 12), the return is the suspect by support alone.
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "open_price", 12, "HKD", half=0.5),
          claim(3, "first_day_open_return", 26, "pct", half=0.5),
          claim(4, "offer_price", 10, "HKD", half=0.5, at=200, sentence="另一句")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "unverifiable" and "t#3: either may be the slip" in cs[1].why
    assert cs[0].verdict == "consistent" and "points to" in cs[0].why
    cs = cs + [claim(5, "open_price", 12, "HKD", half=0.5, at=220, sentence="另一句")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "consistent" and "restated" in cs[1].why
    assert "points to t#3" in cs[1].why


def test_an_approximate_input_is_the_suspect_of_a_firmer_figure():
    # proceeds 'about 40亿' (38亿..42亿) at 20 a share: 1.9亿..2.1亿 shares; the stated 1.5亿 shares miss it, but the
    # approximate total is the likelier slip (or another quantity): the share count is not flagged
    cs = [claim(1, "offer_price", 20, "HKD", half=0.005), claim(2, "proceeds_gross", 40e8, "HKD", "about", half=0.5e8),
          claim(3, "shares_offered", 1.5e8, "shares", half=0.05e8)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "suspect" in cs[2].why
    assert cs[1].verdict in ("inconsistent", "tension")


def test_a_reading_doubtful_from_one_side_is_doubtful_from_all():
    # a day's fall of 2% read as the return from the offer 50: solved for the close it gives 49.0, near a close of
    # 42 (factor 1.17), but solved for the return the close 42 gives 42/50 − 1 = −16%, eight times the stated −2%:
    # the role reading is doubtful, so neither figure is flagged
    cs = [claim(1, "offer_price", 50, "CNY", half=0.5), claim(2, "close_price", 42, "CNY", half=0.5),
          claim(3, "first_day_return", -2.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[1].verdict == "unverifiable" and cs[2].verdict == "unverifiable"


def test_one_alias_table():
    # the shared table (metric_aliases.yaml, label -> reader names) read inverted: a midday price the reader calls
    # intraday_price fills the snapshot_price role
    table = yaml.safe_load((Path(ids.__file__).parent / "lexicon/metric_aliases.yaml").read_text(encoding="utf-8"))
    for label, names in table["aliases"].items():
        for name in names:
            assert ids.canonical(name) == label
    assert ids.canonical("offer_price") == "offer_price"


# -- round 4: the minimum set of suspects, transposed digits, range midpoints ----------------------------------------
def test_one_failing_relation_flags_its_computed_side_only():
    # 500 winners of 2000 one-lot applicants is 25%, not the stated 30%; nothing else supports any of the three, and
    # removing any one would mend the relation: the rate (the computed side) is flagged, the two counts are not
    cs = [claim(1, "one_lot_applicants", 2000, "count", half=0.5), claim(2, "one_lot_winners", 500, "count", half=0.5),
          claim(3, "one_lot_success_rate", 30.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[0].verdict == "unverifiable" and cs[1].verdict == "unverifiable"
    assert "points to t#3" in cs[0].why and "points to t#3" in cs[1].why


def test_a_member_shared_by_two_failing_relations_is_the_suspect():
    # offer 10 (stated twice), lot 1000. The stated return 20% and the per-lot gain 2000 both fit a close of 12; a
    # close of 12.4 breaks both relations (24%, 2400). The close alone hits both failures (the restated offer is
    # supported): only the close is flagged, though the return and the gain are each a relation's computed side
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "close_price", 12.4, "HKD", half=0.05),
          claim(3, "first_day_return", 20.0, "pct", half=0.05), claim(4, "lot_size", 1000, "shares", half=0.5),
          claim(5, "gain_per_lot", 2000, "HKD", half=0.5),
          claim(6, "offer_price", 10, "HKD", half=0.5, at=300, sentence="另一句")]
    verify({"a": cs})
    assert cs[1].verdict == "inconsistent"
    assert cs[2].verdict == "unverifiable" and cs[4].verdict == "unverifiable"
    assert "points to t#2" in cs[2].why


@pytest.mark.parametrize("stated, half, derived, expected", [
    (269, 0.5, (295.99, 296.02), True),      # 296 with its last two digits swapped
    (350, 0.5, (529.93, 530.07), True),      # 530 with its first two digits swapped
    (8.73e8, 0.005e8, (7.826e8, 7.834e8), True),  # 7.83亿 written 8.73亿: read in units of 0.01亿
    (269, 0.5, (285.0, 307.0), False),       # the derived value does not round to one figure
    (692, 0.5, (296.0, 296.0), False),       # a swap of non-neighbouring digits
    (12, 0.5, (21.0, 21.0), False),          # two digits: too easily a coincidence
    (-269, 0.5, (295.9, 296.1), False),      # opposite signs
])
def test_is_transposition(stated, half, derived, expected):
    assert rounding.is_transposition(claim(1, "open_price", stated, "HKD", half=half), derived) is expected


def test_a_transposed_figure_is_judged_even_when_far_from_the_derived_value():
    # offer 263, open return 12.55%: the open is 263 x 1.1255 = 296.0; a stated 269 (4.5% from the offer, a
    # factor 5.5 off the return) would be a doubtful reading, but 269 is 296 with two digits swapped: flagged
    cs = [claim(1, "offer_price", 263, "HKD", half=0.5), claim(2, "first_day_open_return", 12.55, "pct", half=0.005),
          claim(3, "open_price", 269, "HKD", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict != "inconsistent"


def _range_claim(n, low, high, half):
    c = claim(n, "offer_price_range", low, "HKD", "range", half=half)
    c.value_high = high
    return c


def test_a_midpoint_is_the_middle_of_the_range():
    # range 8.00–9.00: the middle is 8.50. A stated 8.50 is confirmed; 8.05 (inside the range, off the middle) is a
    # slip; 12.00 (outside the range) is another quantity and not judged
    for mid, verdict in ((8.5, "consistent"), (8.05, "inconsistent"), (12.0, "unverifiable")):
        cs = [_range_claim(1, 8.0, 9.0, 0.005), claim(2, "offer_price_mid", mid, "HKD", half=0.005)]
        verify({"a": cs})
        assert cs[1].verdict == verdict, (mid, cs[1].why)


@pytest.mark.parametrize("sentence, date, verdict", [
    ("公司星期二(5月20日)上市", "2025-05-20", "consistent"),       # 2025-05-20 was a Tuesday (calendar)
    ("公司星期四(5月20日)上市", "2025-05-20", "tension"),          # wrong weekday, year inferred, neither 2024 (Mon) nor 2026 (Wed)
    ("公司于2025年5月20日(星期三)上市", "2025-05-20", "inconsistent"),  # year printed: an error
    ("公司星期一(5月20日)上市", "2025-05-20", "unverifiable"),     # 2024-05-20 was a Monday: the year is doubtful
    ("trading began on Thursday, June 5", "2025-06-05", "consistent"),  # 2025-06-05 was a Thursday
    ("trading began on Saturday, June 5", "2025-06-05", "tension"),  # 2024: Wed, 2026: Fri
    ("公司下周二上市", "2025-05-20", "unverifiable"),              # a relative day: no day of the month to test
])
def test_a_printed_weekday_is_checked_against_the_calendar(sentence, date, verdict):
    cs = [claim(1, "listing_date", None, "date", date=date, quote="date", sentence=sentence)]
    verify({"a": cs})
    assert cs[0].verdict == verdict, cs[0].why


def test_a_single_valued_deal_term_far_away_is_still_an_input():
    # the offer 10 is stated once, 500 characters before the close 9 and the per-lot loss: at a 1000-share lot the
    # loss is (10 − 9) x 1000 = 1000. A stated 1200 is judged (the offer is the same wherever it stands)...
    def run(offers):
        cs = [claim(1, "offer_price", 10, "HKD", half=0.5, at=0, sentence="首句")] + \
             [claim(5 + i, "offer_price", v, "HKD", half=0.5, at=40 + i * 20, sentence="首句") for i, v in
              enumerate(offers)] + \
             [claim(2, "lot_size", 1000, "shares", half=0.5, at=500), claim(3, "close_price", 9, "HKD", half=0.5, at=520),
              claim(4, "loss_per_lot", 1200, "HKD", half=0.5, at=540)]
        verify({"a": cs})
        return next(c for c in cs if c.id == "t#4")
    assert run([]).verdict == "inconsistent"
    # ...but with two offer prices in the article (8 and 10) the far one may be the other quantity: not judged
    far = run([8])
    assert far.verdict == "unverifiable" and "far from the figure" in far.why


def test_a_relation_that_bounds_nothing_confirms_nothing():
    """A flat debut: close = offer, so the per-lot gain identity solved for the lot divides by 0 and allows any
    lot. That must not confirm the stated lot of 500 (an unbounded interval overlaps every figure)."""
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.005), claim(2, "close_price", 10.0, "HKD", half=0.005),
          claim(3, "lot_size", 500, "shares", half=0.5), claim(4, "gain_per_lot", 2500, "HKD", half=0.5)]
    verify({"a": cs}, None)
    assert cs[2].verdict != "consistent", cs[2].why
