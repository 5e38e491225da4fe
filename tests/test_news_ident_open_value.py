"""The same shares valued at the open and at the close (identities.yaml ``open_value_rescales``): the value at the
open is the close's market value times open / close.

Invented figures: open 30.00, close 25.00, market value at the close 50亿: at the open 50亿 x 30 / 25 = 60亿."""
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import verify

SENTENCE = "以30.00元开盘, 市值达X亿; 收报25.00元, 总市值50亿"


def claim(n, metric, value, start, half):
    return Claim(id=f"v#{n}", article="v", entity="某公司", entity_key="HK:09997", code=None, metric=metric,
                 value=value, unit="HKD", qualifier="exact", start=start, end=start + 4, quote=f"{value:g}",
                 sentence=SENTENCE, date="2025-01-02", _nstart=start, _nend=start + 4, _resn=half)


@pytest.mark.parametrize("at_open, verdict", [
    (60e8, "consistent"),      # 50 x 30 / 25 = 60 (50亿 written to 1亿: 49.5..50.5 -> 59.4..60.6)
    (66e8, "inconsistent"),    # 10% above 60.6亿
])
def test_value_at_open_rescales_with_the_price(at_open, verdict):
    cs = [claim(1, "open_price", 30.0, 1, 0.005), claim(2, "valuation_at_open", at_open, 12, 0.5e8),
          claim(3, "close_price", 25.0, 20, 0.005), claim(4, "market_cap", 50e8, 32, 0.5e8)]
    verify({"v": cs})
    assert cs[1].verdict == verdict
