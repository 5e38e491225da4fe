"""A day's move relates two closes a trading day apart (identities.yaml ``daily_return``, ``previous:``).

The sentences are invented for the test ("Tuesday it closed at $50. On Wednesday it rose another 20% to $60.");
every expected verdict is worked by hand in the comment above it.
"""
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, date, qualifier="exact", half=None, at=None, sentence="s"):
    pos = n * 40 if at is None else at
    return Claim(id=f"d#{n}", article="d", entity="某公司", entity_key="US:ABCD", code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence=sentence, date=date, _nstart=pos, _nend=pos + 5, _resn=half)


def _day_pair(move, qualifier="exact", prev_date="2026-03-03", day="2026-03-04", close=60):
    # "On Tuesday 3 March it closed at $50. On Wednesday 4 March it rose another {move}% to ${close}."
    return [claim(1, "close_price", 50, "USD", prev_date, half=0.5, sentence="Tuesday it closed at $50"),
            claim(2, "daily_return", move, "pct", day, qualifier, half=0.5, sentence="Wednesday another % to $X"),
            claim(3, "close_price", close, "USD", day, half=0.5, sentence="Wednesday another % to $X")]


def test_a_days_move_from_the_previous_close_is_confirmed():
    # 60 / 50 − 1 = 20% exactly (the two prices are quoted, exact as written): 'another 20%' admits 19.5..20.5
    cs = _day_pair(20)
    verify({"d": cs})
    assert cs[1].verdict == "consistent" and "daily_return" in cs[1].why


def test_a_days_move_that_the_closes_contradict_is_flagged():
    # a move of 'nearly 30%' admits 27..30 (近 on a one-significant-digit figure: 10% below); the closes $50 and $62
    # give 62/50 − 1 = 24%. The two closes are of two dates by the identity's own definition, so no date weakness.
    cs = _day_pair(30, "nearly", close=62)
    verify({"d": cs})
    assert cs[1].verdict in FLAGS
    assert "daily_return" in cs[1].why


def test_a_close_two_trading_days_back_is_not_the_previous_close():
    # Monday 2 March's close is not Wednesday's previous close (Tuesday's is): no pair, nothing to say
    cs = _day_pair(30, "nearly", prev_date="2026-03-02", close=62)
    verify({"d": cs})
    assert cs[1].verdict not in FLAGS


def test_friday_is_the_trading_day_before_monday():
    # Friday 6 March $50, Monday 9 March +20% to $60: 60/50 − 1 = 20%
    cs = _day_pair(20, prev_date="2026-03-06", day="2026-03-09")
    verify({"d": cs})
    assert cs[1].verdict == "consistent"


@pytest.mark.parametrize("prev_date", [None, "2026-03-04"])
def test_no_pair_without_two_dates(prev_date):
    # an undated close, or a close of the same day, cannot be the previous close: a 30% claim is not judged by it
    cs = _day_pair(30, "nearly", prev_date=prev_date, close=62)
    verify({"d": cs})
    assert cs[1].verdict not in FLAGS
