"""The declared identities, each role solved in turn from the others (invented figures; all expected values are worked
out by hand in the comments)."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ipolens.news import identities as ids
from ipolens.news.verify import verify
from news_ident_helpers import hand_claim as claim

FEES = Path(__file__).parents[1] / "src/ipolens/hk/regimes/fees-hk.yaml"


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
