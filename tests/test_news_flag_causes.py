"""False flags on unseen articles, each cause reproduced with invented figures: the figure is not flagged, while a
wrong variant of the same shape still is (expected values worked out by hand in the comments)."""
import pandas as pd
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import LedgerFacts, verify

ENTITY = "HK:09999"


def claim(n, metric, value, unit, qualifier="exact", half=None, date=None, sentence="某公司的一句话", gap="",
          ref=None):
    pos = n * 20
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key=ENTITY, code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence=sentence, date=date, _nstart=pos, _nend=pos + 5, _resn=half, _gap=gap, _ref=ref)


def ledger(*rows):
    """Rows (field, value, currency, as_of) of the test entity, one source each."""
    cols = ["entity", "field", "value_num", "value_high", "qualifier", "unit", "currency", "as_of", "period",
            "source_id", "lo", "hi", "published"]
    return LedgerFacts(pd.DataFrame([[ENTITY, f, v, None, "exact", None, cur, as_of, None, f"src:{i}", v, v, None]
                                     for i, (f, v, cur, as_of) in enumerate(rows)], columns=cols))


# 1. a list whose first member the reader gave another role: its sum is short of the total -------------------------
LIST = "甲、乙及丙各自已分別認購1.2億股、5050萬股及625萬股,總計1.7675億股"


def _listed(first_metric, total):
    # 1.2億 + 5050萬 + 625萬 = 1.7675億; without the 1.2億 the parts give 5675萬
    return [claim(1, first_metric, 1.2e8, "shares", half=0.05e8, sentence=LIST),
            claim(2, "cornerstone_shares", 5.05e7, "shares", half=0.05e6, sentence=LIST),
            claim(3, "cornerstone_shares", 6.25e6, "shares", half=0.05e6, sentence=LIST),
            claim(4, "cornerstone_shares", total, "shares", half=0.00005e8, sentence=LIST, gap="股及625萬股,總計")]


def test_a_list_member_read_in_another_role_leaves_the_total_unjudged():
    cs = _listed("statement", 1.7675e8)
    verify({"a": cs})
    assert cs[3].verdict == "unverifiable", cs[3].why
    assert "the list also holds" in cs[3].why


def test_a_list_read_whole_that_misses_its_total_is_still_flagged():
    cs = _listed("cornerstone_shares", 1.8675e8)  # 1.7675億 ≠ 1.8675億
    verify({"a": cs})
    assert cs[3].verdict == "inconsistent", cs[3].why
    cs = _listed("cornerstone_shares", 1.7675e8)
    verify({"a": cs})
    assert cs[3].verdict == "consistent", cs[3].why


def test_a_figure_before_the_list_does_not_void_it():
    # the offer size 4億 stands far before the list (its own clause): the list of three still sums to 1.7675億
    cs = [claim(0, "shares_offered", 4e8, "shares", half=0.5e8, sentence=LIST)] + _listed("cornerstone_shares",
                                                                                          1.8675e8)
    cs[0]._nstart = cs[0].start = -100
    verify({"a": cs})
    assert cs[4].verdict == "inconsistent", cs[4].why


# 2. an undated market value against the ledger's value of another day --------------------------------------------
@pytest.mark.parametrize("ref, as_of, verdict", [
    ("2026-01-06", "2026-01-05", "unverifiable"),  # the text gives no day: the value may be of another day
    ("2026-01-05", "2026-01-05", "inconsistent"),  # the ledger's day is the article's: 800亿 is not 855.4亿
])
def test_undated_market_cap_vs_a_ledger_value_of_another_day(ref, as_of, verdict):
    c = claim(1, "market_cap", 800e8, "HKD", half=0.5e8, sentence="某公司市值800亿港元", ref=ref)
    verify({"a": [c]}, ledger(("market_cap", 855.4e8, "HKD", as_of)))
    assert c.verdict == verdict, c.why


def test_dated_market_cap_against_the_ledger_of_its_day_is_still_flagged():
    c = claim(1, "market_cap", 800e8, "HKD", half=0.5e8, date="2026-01-05", sentence="1月5日某公司市值800亿港元",
              ref="2026-01-06")
    verify({"a": [c]}, ledger(("market_cap", 855.4e8, "HKD", "2026-01-05")))
    assert c.verdict == "inconsistent", c.why


# 3. a ledger price as the input of a figure of another day, or of an unstated moment -------------------------------
def _return(metric, value, sentence, date=None, close_as_of=None):
    # offer 10 (article), close 12.5 (ledger): 12.5 / 10 - 1 = 25%
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.005, sentence=sentence),
          claim(2, metric, value, "pct", half=0.05, sentence=sentence, date=date)]
    verify({"a": cs}, ledger(("close_price", 12.5, "HKD", close_as_of)))
    return cs[1]


def test_a_return_as_of_a_later_day_is_not_judged_by_the_listing_close():
    c = _return("cumulative_return_since_ipo", 40.0, "截至3月9日收市,累计升40%", date="2026-03-09")
    assert c.verdict == "unverifiable" and "2026-03-09" in c.why, c.why
    # the same figure of the ledger close's own day: a mismatch rests on the ledger, a tension
    c = _return("cumulative_return_since_ipo", 40.0, "截至3月9日收市,累计升40%", date="2026-03-09",
                close_as_of="2026-03-09")
    assert c.verdict == "tension", c.why


def test_a_first_day_move_without_a_close_word_is_not_judged_by_the_ledger_close():
    c = _return("first_day_return", 40.0, "某公司上市首日大升40%")
    assert c.verdict == "unverifiable" and "close" in c.why, c.why
    c = _return("first_day_return", 40.0, "某公司上市首日收涨40%")  # 25% ≠ 40% at the close
    assert c.verdict == "tension", c.why
    c = _return("first_day_return", 25.0, "某公司上市首日大升25%")  # agreeing is still support
    assert c.verdict == "consistent", c.why


# 4. a stated basis in Traditional script weakens a mismatch as in Simplified --------------------------------------
@pytest.mark.parametrize("sentence, verdict", [
    ("以發行價中位數計算,集資12億元", "tension"),
    ("以发行价中位数计算,集资12亿元", "tension"),
    ("某公司集資12億元", "inconsistent"),  # no basis stated: 10 x 1億 = 10億 ≠ 12億
])
def test_a_stated_basis_is_read_in_either_script(sentence, verdict):
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.005, sentence=sentence),
          claim(2, "shares_offered", 1e8, "shares", half=0.005e8, sentence=sentence),
          claim(3, "proceeds_gross", 12e8, "HKD", half=0.005e8, sentence=sentence)]
    verify({"a": cs})
    assert cs[2].verdict == verdict, cs[2].why


# 5. the ledger's two price feeds disagree on the listing-day return: the ledger's conflict, not the article's error
def test_a_return_that_fits_one_of_two_vendors_is_not_an_error():
    rows = (("first_day_return", 8.665, None, "2019-06-25"), ("ret_day0", 2.342, None, "2019-06-25"))
    c = claim(1, "first_day_return", 2.34, "pct", half=0.005, sentence="首日收漲2.34%", ref="2019-06-25")
    verify({"a": [c]}, ledger(*rows))
    assert c.verdict == "consistent" and "disagrees with itself" in c.why, c.why
    c = claim(1, "first_day_return", 20.02, "pct", half=0.005, sentence="首日收漲20.02%", ref="2019-06-25")
    verify({"a": [c]}, ledger(*rows))
    assert c.verdict == "tension", c.why  # fits neither feed: still flagged, as the ledger's own doubt


def test_two_vendors_agreeing_still_flag_a_wrong_return():
    # -13.54 and -13.5385 are one value written to two precisions: no conflict, -11.44 at the close is an error
    rows = (("first_day_return", -13.54, None, "2021-06-30"), ("ret_day0", -13.5385, None, "2021-06-30"))
    c = claim(1, "first_day_return", -11.44, "pct", half=0.005, sentence="首日收跌11.44%", ref="2021-06-30")
    verify({"a": [c]}, ledger(*rows))
    assert c.verdict == "inconsistent", c.why


# 6. ledger terms the article could not use: another deal's (years away), or fixed after it was written -----------
def _entry_fee(ref, listed):
    # lot 100 x 188 (top of the range) x 1.010085 = 18,989.6; the deal then priced at 176
    s = "每手100股,入場費18989.6元"
    cs = [claim(1, "lot_size", 100, "shares", half=0.5, sentence=s, ref=ref),
          claim(2, "entry_fee", 18989.6, "HKD", half=0.05, sentence=s, ref=ref)]
    verify({"a": cs}, ledger(("offer_price", 176.0, "HKD", listed)))
    return cs[1]


def test_a_final_price_fixed_after_the_article_is_not_an_input():
    assert _entry_fee("2019-11-15", "2019-11-26").verdict == "unverifiable"
    assert _entry_fee("2019-11-25", "2019-11-26").verdict == "tension"  # the final price was known by then


def test_a_ledger_term_years_from_the_article_is_not_an_input():
    assert _entry_fee("2025-03-03", "2021-06-30").verdict == "unverifiable"


def test_a_final_price_vs_an_earlier_article_is_not_judged():
    c = claim(1, "offer_price", 188.0, "HKD", half=0.005, sentence="每股最高作價188元", ref="2019-11-15")
    verify({"a": [c]}, ledger(("offer_price", 176.0, "HKD", "2019-11-26")))
    assert c.verdict == "unverifiable" and "before the deal fixed" in c.why, c.why
    c = claim(1, "offer_price", 188.0, "HKD", half=0.005, sentence="招股價188元", ref="2019-11-26")
    verify({"a": [c]}, ledger(("offer_price", 176.0, "HKD", "2019-11-26")))
    assert c.verdict == "inconsistent", c.why


# 7. a figure a factor away from the ledger value is another quantity (or the ledger's value is of another basis) --
@pytest.mark.parametrize("value, verdict", [
    (-8.97, "unverifiable"),  # -57.48 is 6x as far: not a slip of this figure
    (-52.0, "inconsistent"),  # within the factor: the same quantity, and it misses
    (8.97, "unverifiable"),  # a sign apart and 6x in size: not a slip either (the reading is doubtful)
    (57.48, "inconsistent"),  # the size right, the sign wrong: a slip of this very figure
    (-5.748, "inconsistent"),  # the ledger's digits with the point moved (57.48 / 10): a slip, judged
    (-5.9, "unverifiable"),  # 59.0 is 2.6% from 57.48, beyond the 1% of a moved point: another quantity
])
def test_a_figure_far_from_the_ledger_value_is_not_judged(value, verdict):
    c = claim(1, "first_day_return", value, "pct", half=0.005, sentence=f"首日收報,跌{abs(value)}%",
              ref="2018-12-13")
    verify({"a": [c]}, ledger(("first_day_return", -57.48, None, "2018-12-13")))
    assert c.verdict == verdict, c.why


# 8. a ledger market value that does not say its share class (H shares only, or all) ---------------------------------
def _cap(value, at_offer_stated):
    # 1069.9億 at 21.5 rescaled to the close 33.1: 1069.9 x 33.1 / 21.5 = 1647.1億
    s = "收報33.1元,較招股價21.5元升53.95%,市值約X億元"
    cs = [claim(1, "offer_price", 21.5, "HKD", half=0.005, sentence=s, ref="2020-09-08"),
          claim(2, "close_price", 33.1, "HKD", half=0.005, sentence=s, ref="2020-09-08"),
          claim(3, "market_cap", value, "HKD", half=0.05e8, sentence=s, ref="2020-09-08")]
    if at_offer_stated:
        cs.append(claim(4, "market_cap_at_offer", 1069.9e8, "HKD", half=0.05e8, sentence=s, ref="2020-09-08"))
    verify({"a": cs}, ledger(("market_cap_at_offer", 1069.9e8, "HKD", "2020-09-08")))
    return cs[2]


def test_a_ledger_market_value_of_unstated_class_confirms_but_does_not_flag():
    assert _cap(1900e8, False).verdict == "unverifiable"  # all shares, say: the ledger's may be the H shares
    assert _cap(1647.1e8, False).verdict == "consistent"
    assert _cap(1900e8, True).verdict == "inconsistent"  # the article's own figures: one class, and they miss
