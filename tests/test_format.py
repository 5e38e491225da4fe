"""Number formatting by unit in one place (issue 16): money in 万/亿 with the currency word, small probabilities to
four significant digits, integers without .0, never nan/None/inf; CSV/JSON rounding without float noise."""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from ipolens.i18n import t
from ipolens.i18n.format import fmt_value, round_for_output, round_frame
from ipolens.news.cn_numerals import parse_mixed

CCY = ("HKD", "CNY", "USD")
LANGS = ("en", "zh-Hans", "zh-Hant")


# --- examples worked by hand ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,unit,ccy,lang,expected", [
    (5.583e9, "money", "HKD", "zh-Hans", "55.83亿港元"),        # the example: 5,583,000,000 / 1e8
    (5.583e9, "money", "HKD", "en", "HKD 5.58bn"),
    (8.554e10, "money", "HKD", "zh-Hant", "855.40億港元"),
    (1.75e12, "money", "USD", "zh-Hans", "1.75万亿美元"),      # 1.75 x 10^12 = 1.75 万亿
    (1.75e12, "money", "USD", "en", "USD 1.75tn"),
    (114.28, "CNY", None, "zh-Hans", "114.28元人民币"),
    (114.28, "CNY", None, "en", "CNY 114.28"),
    (9.99999e8, "money", "HKD", "en", "HKD 1.00bn"),           # rounds up into the next scale, not "1,000.00m"
    (0.0412345, "pct", None, "en", "0.04123%"),                # STAR lottery rate: four significant digits
    (0.00087654, "pct", None, "zh-Hans", "0.0008765%"),
    (82.14, "pct", None, "en", "82.14%"),
    (200.0, "shares", None, "en", "200"),                      # lot_size 200.0 -> 200
    (87.0, "count", None, "en", "87"),
    (2019.0, "year", None, "zh-Hant", "2019"),
    (12.3456, "x", None, "zh-Hans", "12.35倍"),
    (12.3456, "x", None, "en", "12.35x"),
])
def test_examples(value, unit, ccy, lang, expected):
    assert fmt_value(value, unit, ccy, lang) == expected


@pytest.mark.parametrize("q,lang,expected", [
    ("about", "zh-Hans", "约64.00%"), ("nearly", "zh-Hans", "近64.00%"), ("more_than", "zh-Hans", "超64.00%"),
    ("at_least", "zh-Hans", "64.00%以上"), ("about", "en", "about 64.00%"), ("nearly", "en", "nearly 64.00%"),
    ("more_than", "en", "more than 64.00%"), ("at_least", "en", "at least 64.00%"), ("exact", "en", "64.00%"),
])
def test_qualifiers(q, lang, expected):
    assert fmt_value(64, "pct", lang=lang, qualifier=q) == expected


def test_dates_signs_and_text():
    assert fmt_value(dt.date(2026, 1, 2)) == "2026-01-02"
    assert fmt_value(pd.Timestamp("2026-01-02")) == "2026-01-02"
    assert fmt_value(75.8163, "pct", lang="en", sign=True) == "+75.82%"
    assert fmt_value(0.3025, "pct", lang="en", sign=True) == "+0.30%"  # a change, not a probability: two decimals
    assert fmt_value(-0.0001, "pct", lang="en", precision=2) == "0.00%"  # no "-0.00%"
    assert fmt_value("Biren", lang="en") == "Biren"


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), -math.inf, pd.NA, pd.NaT])
@pytest.mark.parametrize("lang", LANGS)
def test_missing_is_the_catalogue_label(missing, lang):
    assert fmt_value(missing, "pct", lang=lang) == t("missing", lang)


def test_round_for_output_examples():
    assert round_for_output(425.46377318865945) == 425.4638  # 4 decimals
    assert round_for_output(0.0412345) == 0.04123           # 4 significant digits keep more here
    v = round_for_output(200.0)
    assert v == 200 and isinstance(v, int)
    assert round_for_output(13.167000000000002) == 13.167
    assert round_for_output(425.46377318865945, "full") == 425.46377318865945
    assert round_for_output(425.46377318865945, 1) == 425.5
    assert round_for_output(float("nan")) is None and round_for_output(None) is None
    assert round_for_output("text") == "text" and round_for_output(True) is True


def test_round_frame():
    df = pd.DataFrame({"lot_size": [200.0, 500.0, None], "ret": [425.46377318865945, None, 1.0], "code": ["a", "b", "c"]})
    out = round_frame(df)
    assert str(out["lot_size"].dtype) == "Int64" and out["lot_size"].tolist()[:2] == [200, 500]
    assert out["ret"].tolist()[0] == 425.4638 and pd.isna(out["ret"].tolist()[1])
    assert out.to_csv(index=False).splitlines()[1] == "200,425.4638,a"


# --- properties ----------------------------------------------------------------------------------------------------

_BAD = re.compile(r"nan|none|inf", re.I)
anything = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15),
                     st.decimals(allow_nan=True, allow_infinity=True))
units = st.sampled_from([None, "money", "pct", "pp", "x", "count", "shares", "year", "number", *CCY])


@given(anything, units, st.sampled_from([None, *CCY]), st.sampled_from(LANGS),
       st.sampled_from([None, "exact", "about", "nearly", "more_than", "at_least", "at_most", "range"]))
@settings(max_examples=400, deadline=None)
def test_never_nan_none_or_inf(value, unit, ccy, lang, q):
    out = fmt_value(value, unit, ccy, lang, q)
    assert out and not _BAD.search(out), out
    assert not re.search(r"\d\.0$", out) or unit in ("money", "pct", "pp", "x", *CCY)  # no "200.0"


@given(st.floats(min_value=0, max_value=9.9e15, allow_nan=False), st.sampled_from(CCY),
       st.sampled_from(("zh-Hans", "zh-Hant")))
@settings(max_examples=400, deadline=None)
def test_zh_money_round_trips_through_an_independent_parser(value, ccy, lang):
    """The printed 万/亿 figure, read back by the news parser (ipolens.news.cn_numerals), is the value within half a
    unit of the last printed digit."""
    out = fmt_value(value, "money", ccy, lang)
    word = t(f"currency.{ccy}", lang)
    assert out.endswith(word), out
    number = out[: -len(word)]
    parsed, _scale = parse_mixed(number)
    m = re.fullmatch(r"(\d+)\.(\d+)(.*)", number)
    assert m, number
    decimals = len(m.group(2))
    unit = Decimal(1) if not m.group(3) else parse_mixed("1" + m.group(3))[0]
    step = unit * Decimal(10) ** -decimals  # the printed precision, in base units
    assert abs(Decimal(repr(value)) - Decimal(parsed)) <= step / 2 + Decimal("1e-6") * unit, (value, out)


@given(st.floats(min_value=1e-9, max_value=0.999, allow_nan=False), st.sampled_from(LANGS))
@settings(max_examples=300, deadline=None)
def test_small_probabilities_keep_four_significant_digits(value, lang):
    out = fmt_value(value, "pct", lang=lang)
    digits = out.rstrip("%").lstrip("0.")
    assert len(digits) == 4 or float(out.rstrip("%")) >= 0.9995, out  # 0.99951 rounds to 1.000
    assert math.isclose(float(out.rstrip("%")), value, rel_tol=5e-4, abs_tol=0)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
@settings(max_examples=300, deadline=None)
def test_round_for_output_is_close_and_short(value):
    r = round_for_output(value)
    assert abs(r - value) <= max(0.5e-4, abs(value) * 1e-3)
    assert len(repr(float(r)).split(".")[-1].rstrip("0")) <= max(4, 4 - math.floor(math.log10(abs(value))) + 2) \
        if value else r == 0
