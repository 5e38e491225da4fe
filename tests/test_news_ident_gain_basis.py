"""A per-lot paper gain is quoted at the price its sentence names (the open, the press-time price, the day's high,
the grey market, the close): lexicon/identities.yaml ``gain_per_lot`` takes any of them, and flags the gain only
when none fits.

Invented figures: offer 20.00, open 30.00, close 25.00, one lot of 100 shares: at the open 100 x (30 - 20) = 1,000,
at the close 100 x (25 - 20) = 500."""
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import verify

SENTENCE = "开盘30.00元, 发行价20.00元, 每手100股, 开盘时一手赚X元; 收报25.00元"


def claim(n, metric, value, unit, start, half):
    return Claim(id=f"g#{n}", article="g", entity="某公司", entity_key="HK:09998", code=None, metric=metric,
                 value=value, unit=unit, qualifier="exact", start=start, end=start + 4, quote=f"{value:g}",
                 sentence=SENTENCE, date="2025-01-02", _nstart=start, _nend=start + 4, _resn=half)


@pytest.mark.parametrize("price_metric, gain, verdict", [
    ("open_price", 1000, "consistent"),       # 100 x (30 - 20): the gain at the open
    ("snapshot_price", 1000, "consistent"),   # the same price read as the press-time price
    ("intraday_high", 1000, "consistent"),    # or as the day's high
    ("open_price", 1500, "inconsistent"),     # neither 1,000 (open) nor 500 (close) is 1,500
])
def test_gain_per_lot_at_the_named_price(price_metric, gain, verdict):
    cs = [claim(1, price_metric, 30.0, "HKD", 2, 0.005), claim(2, "offer_price", 20.0, "HKD", 15, 0.005),
          claim(3, "lot_size", 100, "shares", 28, 0.5), claim(4, "gain_per_lot", gain, "HKD", 48, 0.5),
          claim(5, "close_price", 25.0, "HKD", 60, 0.005)]
    verify({"g": cs})
    assert cs[3].verdict == verdict
