"""The rounding model and the verdict ladder of the identities (invented figures; all expected values are worked out by
hand in the comments)."""
import pytest

from ipolens.news import rounding
from ipolens.news.verify import verify
from news_ident_helpers import hand_claim as claim


# -- rounding ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, qualifier, half, high", [
    ("26.8%", 26.8, "exact", 0.05, None),
    ("435亿", 435e8, "exact", 0.5e8, None),  # the scale word multiplies the step: ±0.5亿
    ("10.76萬", 107600, "exact", 50, None),
    ("约3.5%", 3.5, "about", 0.05, None),
    ("逾34亿", 34e8, "more_than", 0.5e8, None),
    ("近1273倍", 1273, "nearly", 0.5, None),
    ("close to 42%", 42, "about", 0.5, None),  # written on either side of the value: about, not just below
    ("nearly 42%", 42, "nearly", 0.5, None),
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
