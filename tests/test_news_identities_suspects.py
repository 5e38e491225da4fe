"""The minimum set of suspects, transposed digits, range midpoints, printed weekdays (invented figures; all expected
values are worked out by hand in the comments)."""
import pytest

from ipolens.news import rounding
from ipolens.news.verify import verify
from news_ident_helpers import hand_claim as claim


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
    ("dealings opened Tuesday, June 10", "2025-06-10", "consistent"),  # 2025-06-10 was a Tuesday
    ("dealings opened Saturday, June 10", "2025-06-10", "tension"),  # 2024: Mon, 2026: Wed
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
