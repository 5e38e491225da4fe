"""One rounding model in both directions: an input is read as a round or truncated figure when the figure judged
from the other side would be (identity_relation._loosely, rounding.weakest). Invented figures, worked by hand."""
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, half, qualifier="exact"):
    pos = n * 20
    return Claim(id=f"w#{n}", article="w", entity="Some Co", entity_key="US:WXYZ", code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence="one sentence", _nstart=pos, _nend=pos + 5, _resn=half)


def test_a_round_percentage_as_input_does_not_condemn_the_price():
    # "priced at $20, the stock closed at $X, a 150% jump": 20 x 2.5 = 50. A close of $50.80 gives 154%: the round
    # '150%' admits 145..155 as its own reading, so from the return's side 50.80 fits; from the price's side the
    # same reading gives 20 x 2.45..2.55 = 49..51, and $50.80 fits too (weakly): no flag either way
    cs = [claim(1, "offer_price", 20, "USD", 0.5), claim(2, "close_price", 50.8, "USD", 0.05),
          claim(3, "first_day_return", 150, "pct", 0.5)]
    verify({"w": cs})
    assert cs[1].verdict not in FLAGS and cs[2].verdict not in FLAGS


def test_a_price_the_round_reading_cannot_reach_is_still_flagged():
    # a close of $56 gives 180%: outside 145..155, and 20 x 2.45..2.55 = 49..51 does not hold 56
    cs = [claim(1, "offer_price", 20, "USD", 0.5), claim(2, "close_price", 56, "USD", 0.5),
          claim(3, "first_day_return", 150, "pct", 0.5)]
    verify({"w": cs})
    assert cs[2].verdict in FLAGS or cs[1].verdict in FLAGS


def test_a_truncated_gain_as_input_does_not_condemn_the_price():
    # one lot of 1,000 shares won at 40 and valued at 52.37: 1000 x 12.37 = 12,370, printed '1.23万' (truncated;
    # rounded it would be 1.24万). From the gain's side that is a truncation; from the price's side the same reading
    # (12,300..12,400) gives 52.30..52.40, which holds 52.37: no flag
    cs = [claim(1, "offer_price", 40, "TWD", 0.5), claim(2, "emerging_board_avg_price", 52.37, "TWD", 0.005),
          claim(3, "gain_per_lot", 1.23e4, "TWD", 0.005e4)]
    for c in cs:
        c.entity_key = "TW:8888"
    verify({"w": cs})
    assert all(c.verdict not in FLAGS for c in cs)
    assert cs[2].verdict == "consistent" and cs[1].verdict == "consistent"
