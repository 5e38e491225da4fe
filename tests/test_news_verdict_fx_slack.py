"""A conversion tested against the dated fx_rates row admits the row's rate ±1% (checks_fx): writers convert at a
bank's or the previous day's rate, so a tiny gap is no error; a gap of a few percent still is.

Invented sentence: "took in HK$5.43 billion (US$Y million)" with an invented row of 7.7835 HKD per USD on the day."""
import datetime as dt

import pandas as pd
import pytest

from ipolens.analytics.fx import FxTable
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

SENTENCE = "took in HK$5.43 billion (US$Y million)"
RATES = FxTable(pd.DataFrame([{"date": dt.date(2025, 12, 30), "base": "USD", "quote": "HKD", "rate": 7.7835,
                               "source_id": "fx:test"}]))


def claim(n, value, unit, start, end, gap, half):
    return Claim(id=f"f#{n}", article="f", entity="某公司", entity_key="HK:09999", code=None,
                 metric="proceeds_gross", value=value, unit=unit, qualifier="exact", start=start, end=end,
                 quote=f"{value:g}", sentence=SENTENCE, date="2025-12-30", _nstart=start, _nend=end,
                 _resn=half, _gap=gap)


@pytest.mark.parametrize("usd, verdict", [
    # 5,430m / 7.7835 = 697.63m: 'US$699 million' admits 698.5..699.5m, missed at the bare row (implied 7.768,
    # 0.2% off it); at 7.7835 ± 1% (7.7057..7.8613) 5,430m converts to 690.7..704.7m: 699 lies inside
    (699, "consistent"),
    # 5,430m / 680m = 7.985 HKD per USD, 2.6% off the row: 690.7..704.7m does not reach 680.5m
    (680, "inconsistent"),
])
def test_dated_rate_within_one_percent(usd, verdict):
    cs = [claim(1, 5.43e9, "HKD", 8, 24, "took in ", 0.005e9), claim(2, usd * 1e6, "USD", 25, 38, " (", 0.5e6)]
    verify({"f": cs}, fx=RATES)
    assert cs[1].verdict == verdict and "±1%" in cs[1].why
    # a conversion that fits supports the source amount too; a miss leaves it unjudged (either may be the slip)
    assert cs[0].verdict == ("consistent" if verdict == "consistent" else "unverifiable")
    assert ("[fx_source]" in cs[0].why) == (verdict == "consistent")
