"""The identity families added as declarative entries (lexicon/identities.yaml): market value from the share count,
multiples restated at another price, oversubscription as demand over supply, a range's ends and middle, a share of a
count, a lottery winner's return, relations over two currencies and conversions of any amount.

Each family: a correct variant confirmed, a wrong one flagged (or, through an outside rate, not judged), and a
rounding-edge variant not flagged. The sentence each test stands for is written in its comment (invented figures,
worked by hand)."""
import datetime as dt

import pandas as pd
import pytest

from ipolens.analytics.fx import FxTable
from ipolens.news import identities as ids
from ipolens.news.extract import Claim
from ipolens.news.identity_fx import rate_finder
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, qualifier="exact", half=None, date=None, high=None, ref=None):
    pos = n * 20
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key="HK:09999", code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence="某公司的一句话", date=date, value_high=high, _nstart=pos, _nend=pos + 5, _resn=half,
                 _ref=ref)


def run(cs, fx=None):
    verify({"a": cs}, fx=fx)
    return cs


def test_every_added_family_is_declared():
    names = {i.id for i in ids.identities()}
    assert {"market_cap_from_shares", "market_cap_at_offer_from_shares", "pe_rescales", "ps_rescales",
            "public_demand_in_shares", "public_demand_in_money", "raise_at_range_low", "raise_at_range_high",
            "valuation_at_range_low", "valuation_at_range_high", "planned_raise_at_midpoint",
            "share_of_a_count", "lottery_return"} <= names


# -- market value = price x shares outstanding ----------------------------------------------------------------------
@pytest.mark.parametrize("cap, half, verdict", [
    (10.0e9, 0.05e9, "consistent"),    # 12.50 x 800 million = HK$10.0 billion
    (11.0e9, 0.05e9, "inconsistent"),  # HK$11.0 billion: 10% off, beyond the rounding of all three
    (9.99e9, 0.005e9, "consistent"),   # HK$9.99 billion admits 9.985–9.995bn; 800m ±0.5m gives 9.994–10.006bn
])
def test_market_cap_is_price_times_shares(cap, half, verdict):
    # "The stock closed at HK$12.50; with 800 million shares in issue it is worth HK$<cap>."
    cs = run([claim(1, "close_price", 12.50, "HKD", half=0.005), claim(2, "shares_outstanding", 800e6, "shares",
                                                                        half=0.5e6),
              claim(3, "market_cap", cap, "HKD", half=half)])
    assert cs[2].verdict == verdict


# -- a multiple restated at another price ---------------------------------------------------------------------------
@pytest.mark.parametrize("metric_at_offer, metric_at_close", [("pe_issue", "pe_at_close"),
                                                              ("ps_at_offer", "ps_at_close")])
@pytest.mark.parametrize("later, verdict", [
    (37.5, "consistent"),    # 25 x 30 / 20 = 37.5
    (40.0, "inconsistent"),  # 40x: with 25 read as 24.5–25.5 the close gives 36.75–38.25, not 40
    (38.0, "consistent"),    # '38倍' admits 37.5–38.5, which meets 36.75–38.25
])
def test_a_multiple_moves_with_the_price(metric_at_offer, metric_at_close, later, verdict):
    # "按发行价20元计, 市盈率为25倍; 首日收于30元, 市盈率升至<later>倍" (the same earnings or sales at a new price)
    cs = run([claim(1, "offer_price", 20, "CNY", half=0.5), claim(2, metric_at_offer, 25, "x", half=0.5),
              claim(3, "close_price", 30, "CNY", half=0.5), claim(4, metric_at_close, later, "x", half=0.5)])
    assert cs[3].verdict == verdict


# -- oversubscription = demand / supply -----------------------------------------------------------------------------
@pytest.mark.parametrize("times, verdict", [
    (150, "consistent"),    # 1.5 billion / 10 million = 150
    (170, "inconsistent"),  # 14.5–15.5亿 over 1000万 (±0.5万) gives 144.9–155.1; 170 (its zero read as rounding:
                            # 165–175) misses it. (160 would pass as 155–165: a round multiple's zero may be rounding)
    (155, "consistent"),    # 155 (154.5–155.5) meets the top of 144.9–155.1
])
def test_oversubscription_is_demand_over_the_tranche(times, verdict):
    # "公开发售部分1000万股, 共接获15亿股认购申请, 超额认购<times>倍"
    cs = run([claim(1, "public_tranche_shares", 10e6, "shares", half=0.5e4),
              claim(2, "public_demand_shares", 1.5e9, "shares", half=0.05e9),
              claim(3, "oversubscription_public", times, "x", half=0.5)])
    assert cs[2].verdict == verdict


def test_oversubscription_in_money():
    # "the retail tranche, worth HK$200 million, drew HK$30.0 billion of orders: 150 times" (30.0bn / 200m = 150);
    # 120 times would be HK$24bn of orders
    for times, verdict in ((150, "consistent"), (120, "inconsistent")):
        cs = run([claim(1, "public_tranche_proceeds", 200e6, "HKD", half=0.5e6),
                  claim(2, "public_demand_amount", 30.0e9, "HKD", half=0.05e9),
                  claim(3, "oversubscription_public", times, "x", half=0.5)])
        assert cs[2].verdict == verdict


# -- the ends and the middle of a range -----------------------------------------------------------------------------
@pytest.mark.parametrize("low, high, verdict", [
    (400e6, 500e6, "consistent"),    # 50m x 8.00 = 400m; 50m x 10.00 = 500m
    (400e6, 550e6, "inconsistent"),  # the top end: 50m x 10.00 = 500m (±0.5m of the share count), not 550m
    (4.0e8, 5.0e8, "consistent"),    # '4.0亿至5.0亿' admits ±0.05亿 at each end
])
def test_the_raise_at_either_end_of_the_range(low, high, verdict):
    # "发售5000万股, 招股价8.00至10.00港元, 集资<low>至<high>港元"
    cs = run([claim(1, "shares_offered", 50e6, "shares", half=0.5e6),
              claim(2, "offer_price_range", 8.00, "HKD", "range", half=0.005, high=10.00),
              claim(3, "proceeds_gross", low, "HKD", "range", half=0.5e6 if low == 400e6 else 0.05e8, high=high)])
    assert cs[2].verdict == verdict


def test_the_valuation_at_either_end_of_the_range():
    # "priced at $21 to $23, its 150 million shares would be worth $3.15 billion to $3.45 billion"; a top of
    # $4.45 billion is a slip (150m x 21 = 3.15bn, 150m x 23 = 3.45bn)
    for top, verdict in ((3.45e9, "consistent"), (4.45e9, "inconsistent")):
        cs = run([claim(1, "shares_outstanding", 150e6, "shares", half=0.5e6),
                  claim(2, "offer_price_range", 21, "USD", "range", half=0.5, high=23),
                  claim(3, "valuation", 3.15e9, "USD", "range", half=0.005e9, high=top)])
        assert cs[2].verdict == verdict


@pytest.mark.parametrize("planned, half, verdict", [
    (288e6, 0.5e6, "consistent"),    # 18m x (15 + 17) / 2 = 288m
    (320e6, 0.5e6, "inconsistent"),  # 320m is the raise at 17.78, above the whole range (18m x 17 = 306m)
    (0.3e9, 0.05e9, "consistent"),   # '$0.3 billion' admits 250–350m
])
def test_the_planned_raise_at_the_midpoint(planned, half, verdict):
    # "The firm hoped to place 18 million shares for $15 to $17 each, raising <planned> at the midpoint"
    cs = run([claim(1, "shares_offered_initial", 18e6, "shares", half=0.5e6),
              claim(2, "offer_price_range_initial", 15, "USD", "range", half=0.5, high=17),
              claim(3, "proceeds_planned", planned, "USD", half=half)])
    assert cs[2].verdict == verdict


def test_a_range_end_that_fits_does_not_confirm_an_end_that_fails():
    # the bottom end of '400m to 550m' fits, the top does not: the range is flagged, not confirmed by its bottom
    cs = run([claim(1, "shares_offered", 50e6, "shares", half=0.5e6),
              claim(2, "offer_price_range", 8.00, "HKD", "range", half=0.005, high=10.00),
              claim(3, "proceeds_gross", 400e6, "HKD", "range", half=0.5e6, high=550e6)])
    assert cs[2].verdict == "inconsistent" and "proceeds_gross_high" in cs[2].why


# -- a share of a count, a lottery winner's return -----------------------------------------------------------------
@pytest.mark.parametrize("share, verdict", [
    (52.6, "consistent"),    # 10 / 19 = 52.63%
    (40.0, "inconsistent"),  # 10 / 19 = 52.63%; 40% is outside
    (53.0, "consistent"),    # '53%' admits 52.5–53.5, which holds 52.63%
    (56.0, "inconsistent"),  # counts of listings are whole numbers as written (exact_as_written): 56% is not 52.63%
])
def test_a_share_of_a_count(share, verdict):
    # "19只新股中有10只首日破发, 占比<share>%"
    cs = run([claim(1, "ipo_count", 19, "count", half=0.5), claim(2, "ipos_below_issue", 10, "count", half=0.5),
              claim(3, "share_of_ipos_below_issue", share, "pct", half=0.05 if share == 52.6 else 0.5)])
    assert cs[2].verdict == verdict


@pytest.mark.parametrize("ret, half, verdict", [
    (224.29, 0.005, "consistent"),   # (155.66 / 48 − 1) x 100 = 224.2917
    (230.5, 0.05, "inconsistent"),
    (224.3, 0.05, "consistent"),     # 224.3 admits 224.25–224.35
])
def test_a_lottery_winners_return(ret, half, verdict):
    # "抽中者以承销价48元计, 以兴柜均价155.66元计算, 报酬率达<ret>%"
    cs = run([claim(1, "offer_price", 48, "TWD", half=0.5), claim(2, "emerging_board_avg_price", 155.66, "TWD",
                                                                   half=0.005),
              claim(3, "lottery_return", ret, "pct", half=half)])
    assert cs[2].verdict == verdict


# -- two currencies -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("usd, half, verdict", [
    (128e6, 0.5e6, "consistent"),     # HK$10.00 x 100m = HK$1.0bn; / 7.75–7.85 = US$127.4m–129.0m
    (150e6, 0.5e6, "unverifiable"),   # off, but only through an outside rate: not judged, never flagged
    (0.13e9, 0.005e9, "consistent"),  # 'US$0.13 billion' admits 125–135m
])
def test_raise_in_another_currency_through_the_peg(usd, half, verdict):
    # "以每股10.00港元发售1亿股, 集资约<usd>美元" (no FX table: the HKD/USD peg band)
    cs = run([claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "shares_offered", 100e6, "shares",
                                                                        half=0.5e6),
              claim(3, "proceeds_gross", usd, "USD", half=half)])
    assert cs[2].verdict == verdict
    if verdict == "consistent":
        assert "converted" in cs[2].why


def _table(rate):
    return FxTable(pd.DataFrame([{"date": "2025-05-19", "base": "HKD", "quote": "CNY", "rate": rate,
                                  "source_id": "test"}]))


def test_raise_in_another_currency_through_the_dated_table():
    # "发行价263港元, 发售1.179亿股, 集资约286亿元人民币": 263 x 1.179亿 = 310.08亿 HKD (±0.05亿 shares: 309.9–310.2)
    # at the table's 0.9234 CNY per HKD (±1%) = 283.3–289.3亿 CNY; 286亿 fits; without a CNY rate nothing is said
    def cs(amount):
        return [claim(1, "offer_price", 263, "HKD", half=0.5, ref="2025-05-20"),
                claim(2, "shares_offered", 1.179e8, "shares", half=0.0005e8, ref="2025-05-20"),
                claim(3, "proceeds_gross", amount, "CNY", half=0.5e8, ref="2025-05-20")]
    got = run(cs(286e8), fx=_table(0.9234))
    assert got[2].verdict == "consistent" and "fx_rates row of 2025-05-19" in got[2].why
    got = run(cs(286e8), fx=None)
    assert got[2].verdict == "unverifiable"


def test_rate_finder():
    find = rate_finder(_table(0.9234))
    (lo, hi), basis = find("HKD", "CNY", dt.date(2025, 5, 20))
    assert lo == pytest.approx(0.9234 * 0.99) and hi == pytest.approx(0.9234 * 1.01) and "2025-05-19" in basis
    (lo, hi), _ = find("HKD", "USD", dt.date(2025, 5, 20))  # no row: the peg band, inverted
    assert (lo, hi) == pytest.approx((1 / 7.85, 1 / 7.75))
    assert find("CNY", "USD", dt.date(2025, 5, 20)) is None


def test_any_amount_in_both_currencies_supports_itself():
    # "市传集资5亿美元(约39亿港元)": 5亿 x 7.75–7.85 = 38.75–39.25亿 HKD, the stated 39亿 (38.5–39.5亿) fits; any role
    cs = run([claim(1, "proceeds_gross_rumoured", 5e8, "USD", half=0.5e8),
              claim(2, "proceeds_gross_rumoured", 39e8, "HKD", "about", half=0.5e8)])
    assert cs[0].verdict == "consistent" and cs[1].verdict == "consistent"
    assert "fx" in cs[1].why


@pytest.mark.parametrize("cny_price, verdict", [
    (243, "consistent"),     # 286.26 / 310 = 0.92342 per HKD; 263 x 0.92342 = 242.86, '约243元' fits
    (300, "unverifiable"),   # 300/263 = 1.14 per HKD (±5%), another rate than the raise's: nothing said or flagged
])
def test_the_articles_own_rate(cny_price, verdict):
    # "集资310亿港元(约合286.26亿元人民币), 发行价263港元(约<cny_price>元人民币)" (no FX row for the day)
    cs = run([claim(1, "proceeds_gross", 310e8, "HKD", half=0.5e8), claim(2, "proceeds_gross", 286.26e8, "CNY",
                                                                         "about", half=0.005e8),
              claim(3, "offer_price", 263, "HKD", half=0.5), claim(4, "offer_price", cny_price, "CNY", "about",
                                                                    half=0.5)])
    assert cs[3].verdict == verdict and cs[1].verdict == verdict


# -- figures in their order; the raise from the tranche and its share ---------------------------------------------------
@pytest.mark.parametrize("avg, verdict", [
    (127.41, "consistent"),     # 123.00 <= 127.41 <= 150.00
    (160.0, "unverifiable"),    # out of order: said nothing of (support only), never flagged
    (150.0, "consistent"),      # at the top end itself
])
def test_a_weighted_average_between_the_lowest_and_highest(avg, verdict):
    # "得标加权平均价格<avg>元, 最低得标价123元, 最高得标价150元"
    cs = run([claim(1, "auction_weighted_avg_price", avg, "TWD", half=0.005),
              claim(2, "auction_lowest_winning_price", 123.00, "TWD", half=0.005),
              claim(3, "auction_highest_winning_price", 150.00, "TWD", half=0.005)])
    assert cs[0].verdict == verdict


@pytest.mark.parametrize("raised, half, verdict", [
    (7.83e8, 0.005e8, "consistent"),  # 455.4万 / 40% = 1138.5万 shares x 68.8 = 7.833亿
    (8.30e8, 0.005e8, "inconsistent"),  # the share read 39.5–40.5% gives 1124–1153万 shares, 7.73–7.94亿
    (7.8e8, 0.05e8, "consistent"),    # '7.8亿' admits 7.75–7.85亿
])
def test_the_raise_from_the_tranche_and_its_share(raised, half, verdict):
    # "公开发售455.4万股, 占发售股份40%; 发售价68.8港元, 集资<raised>港元" (the offer size itself is not stated)
    cs = run([claim(1, "public_tranche_shares_final", 455.4e4, "shares", half=0.05e4),
              claim(2, "public_tranche_pct_final", 40, "pct", half=0.5),
              claim(3, "offer_price", 68.8, "HKD", half=0.05),
              claim(4, "proceeds_gross", raised, "HKD", half=half)])
    assert cs[3].verdict == verdict


# -- a bound among the inputs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("share, verdict", [
    (45, "consistent"),      # 15.6亿 / more than 34.5亿 (34.45亿..): below 45.3%, which '逾45%' (45%..) meets
    (60, "unverifiable"),    # 60% is beyond the bound, but a bound is not the raise: nothing said, nothing flagged
])
def test_a_bound_input_supports_and_never_flags(share, verdict):
    # "集资逾34.5亿港元; 基石投资者认购15.6亿港元, 占是次发售逾<share>%"
    cs = run([claim(1, "proceeds_gross", 34.5e8, "HKD", "more_than", half=0.05e8),
              claim(2, "cornerstone_amount", 15.6e8, "HKD", half=0.05e8),
              claim(3, "cornerstone_share_of_offer", share, "pct", "more_than", half=0.5)])
    assert cs[2].verdict == verdict


def test_a_bound_that_fits_does_not_outweigh_an_exact_contradiction():
    # "集资逾34亿港元 ... 集资34.55亿港元; 基石认购15.6亿港元, 占45.9%": the bound admits 45.9% (15.65亿 / 34亿 =
    # 46.03% at most), the exact raise does not (15.55亿..15.65亿 / 34.545亿..34.555亿 = 45.00%..45.30%): the exact
    # contradiction stands
    cs = run([claim(1, "proceeds_gross", 34e8, "HKD", "more_than", half=0.5e8),
              claim(2, "proceeds_gross", 34.55e8, "HKD", half=0.005e8),
              claim(3, "cornerstone_amount", 15.6e8, "HKD", half=0.05e8),
              claim(4, "cornerstone_share_of_offer", 45.9, "pct", half=0.05)])
    assert cs[3].verdict == "inconsistent"
