"""A conversion of an approximate amount that the dated rate contradicts is a tension, not an error (checks_fx).

Invented sentence: "每杯售价约6元人民币（约X美元）", with an invented rate row of 7.20 CNY per USD on the day."""
import datetime as dt

import pandas as pd
import pytest

from ipolens.analytics.fx import FxTable
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

SENTENCE = "每杯售价约6元人民币(约X美元)"


def claim(n, value, unit, start, end, gap, half):
    return Claim(id=f"f#{n}", article="f", entity="某品牌", entity_key="HK:07777", code=None,
                 metric="average_selling_price", value=value, unit=unit, qualifier="about", start=start,
                 end=end, quote=f"约{value:g}", sentence=SENTENCE, date="2026-01-05", _nstart=start,
                 _nend=end, _resn=half, _gap=gap)


RATES = FxTable(pd.DataFrame([{"date": dt.date(2026, 1, 5), "base": "USD", "quote": "CNY", "rate": 7.20,
                               "source_id": "fx:test"}]))


@pytest.mark.parametrize("usd, verdict", [
    # 6 / 7.20 = 0.833 USD; '约0.8美元' admits 0.76..0.84 (±5%): it holds
    (0.8, "consistent"),
    # '约1.0美元' admits 0.95..1.05: 0.833 lies outside; the source '约6元' is approximate, so a tension
    (1.0, "tension"),
    # '约1美元' (whole dollars) admits 0.5..1.5 by its own rounding (0.833 rounds to 1 dollar): consistent
    (1, "consistent"),
])
def test_an_approximate_conversion(usd, verdict):
    # '约6元人民币' spans 4..11, '约X美元' starts right after the bracket
    cs = [claim(1, 6, "CNY", 4, 11, "每杯售价", 0.5), claim(2, usd, "USD", 12, 16, "(", 0.05 if isinstance(usd, float) else 0.5)]
    verify({"f": cs}, fx=RATES)
    assert cs[1].verdict == verdict and "fx_rates row" in cs[1].why
