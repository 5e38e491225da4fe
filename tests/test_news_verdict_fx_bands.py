"""Conversions on days the dated fx_rates table does not cover: the CNY/USD bands of identities.yaml ``fx_bands``
(an outside assumption like the HKD peg; the narrowest band holding the date) support a conversion inside them and
make one outside a tension, never an error; a day outside every band says nothing. CNY/HKD goes through the USD
band and the peg. One case per entry of the table.

Invented sentence: "raised A (B)" with two amounts of one company; no rate table."""
import datetime as dt

import pytest

from ipolens.news.checks_fx import long_run_band
from ipolens.news.extract import Claim
from ipolens.news.identity_defs import _config
from ipolens.news.verify import verify

SENTENCE = "raised A (B)"
ENTRIES = [b for b in _config()["fx_bands"]]


def claim(n, value, unit, start, end, gap, day):
    return Claim(id=f"f#{n}", article="f", entity="某公司", entity_key="CN:688999", code=None,
                 metric="proceeds_gross", value=value, unit=unit, qualifier="exact", start=start, end=end,
                 quote=f"{value:g}", sentence=SENTENCE, date=day, _nstart=start, _nend=end,
                 _resn=value / 20000, _gap=gap)


def _judge(src, conv, day):
    cs = [claim(1, *src, 7, 8, "raised ", day), claim(2, *conv, 10, 11, " (", day)]
    verify({"f": cs})
    return cs[1].verdict


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda b: f"{b['from']}..{b['to']}")
def test_each_band(entry):
    lo, hi = entry["band"]
    day = (entry["to"] - dt.timedelta(days=10)).isoformat()  # inside this entry (the narrowest one for 2025 too)
    usd = 1e8
    # the yuan amount at the band's middle rate: supported; at 12% above its top: a tension
    assert _judge((usd * (lo + hi) / 2, "CNY"), (usd, "USD"), day) == "consistent"
    assert _judge((usd * hi * 1.12, "CNY"), (usd, "USD"), day) == "tension"


@pytest.mark.parametrize("src, conv, day, verdict", [
    # 2019 (6.64..7.22 yuan per dollar): 1,420m yuan over US$200m implies 7.10
    ((1.42e9, "CNY"), (2.0e8, "USD"), "2019-03-11", "consistent"),
    # 1,420m yuan over US$226m implies 6.28: below 2019's band (though a rate of other years)
    ((1.42e9, "CNY"), (2.26e8, "USD"), "2019-03-11", "tension"),
    # CNY/HKD in 2024: 7.06/7.85 = 0.899 .. 7.34/7.75 = 0.947 yuan per HK dollar; HK$31,400 = 28,700 yuan is 0.914
    ((3.14e4, "HKD"), (2.87e4, "CNY"), "2024-06-03", "consistent"),
    # 31,000 yuan for HK$31,400 implies 0.987: above the band -> tension
    ((3.14e4, "HKD"), (3.10e4, "CNY"), "2024-06-03", "tension"),
    # 2012 lies before every band: nothing to test the amounts against
    ((1.42e9, "CNY"), (2.0e8, "USD"), "2012-03-12", "unverifiable"),
])
def test_long_run_band(src, conv, day, verdict):
    assert _judge(src, conv, day) == verdict


def test_band_either_way_round():
    # 2020's 6.47..7.22 yuan per dollar read the other way is dollars per yuan 1/7.22 .. 1/6.47
    (lo, hi), why = long_run_band(("USD", "CNY"), dt.date(2020, 1, 2))
    assert (round(lo, 5), round(hi, 5)) == (round(1 / 7.22, 5), round(1 / 6.47, 5)) and "band" in why
    assert long_run_band(("USD", "CNY"), dt.date(2013, 12, 31)) is None
