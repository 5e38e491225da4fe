"""A ledger value joins an identity only with figures the reader tied to its company itself: a figure whose company
is carried over from an earlier name (or guessed as the article's only one) may be another company's, so a
mismatch through the ledger is not judged. Invented sentences and hand-made ledger rows."""
import pytest

from test_news_flag_causes import ENTITY, claim, ledger

from ipolens.news.verify import verify

NAMED = "某公司每手1000股"
MOVE = "某公司收市较招股价跌10%,另一新股收市报8.8元"


def _case(close_owned: bool):
    # ledger offer 10 and a close 10% below it give a close of 9 (8.95–9.05 with the 10%'s rounding); 8.8 misses it
    # the company is named before; the close's clause names another one the reader did not resolve
    lot = claim(0, "lot_size", 1000.0, "shares", sentence=NAMED)
    ret = claim(1, "first_day_return", -10.0, "pct", half=0.5, sentence=MOVE, gap="收市较招股价跌")
    close = claim(2, "close_price", 8.8, "HKD", half=0.005, sentence=MOVE)
    if not close_owned:
        close.entity, close.entity_key = None, None
    # the ledger confirms the company's return (-10%), so the close is the suspect of the mismatch
    verify({"a": [lot, ret, close]}, ledger(("offer_price", 10.0, "HKD", None), ("lot_size", 1000.0, None, None),
                                            ("first_day_return", -10.0, None, None)))
    return close


def test_a_carried_over_figure_against_a_ledger_input_is_not_flagged():
    c = _case(close_owned=False)
    assert c.verdict not in ("inconsistent", "tension"), c.why


@pytest.mark.parametrize("owned", [True])
def test_the_same_mismatch_on_the_company_s_own_figure_is_still_flagged(owned):
    c = _case(close_owned=owned)
    assert c.verdict in ("inconsistent", "tension"), c.why


# the ledger's two feeds disagree on the listing-day return (8.665% and 2.342%, a spread of about 6.3 points)
FEEDS = (("first_day_return", 8.665, None, "2019-06-25"), ("ret_day0", 2.342, None, "2019-06-25"))


@pytest.mark.parametrize("stated, flagged", [
    (5.5, False),    # between the feeds: either may be its basis
    (12.0, False),   # beyond the higher feed by less than the spread (8.665 + 6.323 = 14.99)
    (-5.0, True),    # below the lower feed by more than the spread (2.342 - 6.323 = -3.98)
    (20.0, True),    # fits no reading of the ledger
])
def test_a_return_inside_the_ledger_s_own_disagreement_is_not_flagged(stated, flagged):
    c = claim(1, "first_day_return", stated, "pct", half=0.05, sentence=f"首日收市较招股价{stated:g}%",
              ref="2019-06-25")
    verify({"a": [c]}, ledger(*FEEDS))
    assert (c.verdict in ("inconsistent", "tension")) == flagged, c.why


# the ledger's public-tranche multiple against a figure whose sentence names no tranche (or another one)
@pytest.mark.parametrize("sentence, stated, flagged", [
    ("某公司整体获超额认购约25倍", 25.0, False),          # overall: not the public tranche's 28.7
    ("某公司获超额认购26倍", 26.0, False),                # no tranche named: either may be meant
    ("某公司公开发售获超额认购26倍", 26.0, True),          # the public tranche named: 26 is not 28.7
    ("某公司公开发售获超额认购28.7倍", 28.7, False),       # and agrees when it is the ledger's value
])
def test_a_multiple_naming_no_tranche_is_not_flagged_against_the_public_one(sentence, stated, flagged):
    c = claim(1, "oversubscription_public", stated, "x", half=0.05, sentence=sentence, ref="2019-07-16")
    verify({"a": [c]}, ledger(("oversubscription_public", 28.7, None, "2019-07-16")))
    assert (c.verdict in ("inconsistent", "tension")) == flagged, c.why
