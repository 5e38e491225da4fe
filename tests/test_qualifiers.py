import math

import pytest
from hypothesis import given, strategies as st

from ipolens.ledger.qualifiers import QualifierError, implied_resolution, interval


def test_resolution_of_stated_digits():
    assert implied_resolution(19.6) == pytest.approx(0.05)
    assert implied_resolution(5520000000) == pytest.approx(5e6)  # 55.2亿
    assert implied_resolution(2300) == pytest.approx(50)
    assert implied_resolution(75.8163) == pytest.approx(0.00005)


def test_nearly_is_just_below():
    lo, hi = interval(80_000_000_000, "nearly")  # 近800亿: one significant digit -> 10% below
    assert lo == pytest.approx(72e9) and hi == 80e9  # never above: 近800亿 does not admit 845亿
    lo, hi = interval(2_900_000_000, "nearly")  # 近29亿: 5% below
    assert lo == pytest.approx(2.755e9) and hi == 2.9e9
    assert interval(30, "nearly") == pytest.approx((27.0, 30.0))  # 近30倍 rejects 32x
    # a figure written with decimals keeps the rounding of its last digit: 近82.1% admits 82.14%
    assert interval(82.1, "nearly")[1] == pytest.approx(82.15)


def test_more_than_is_strict():
    lo, hi = interval(2300, "more_than")
    assert lo > 2300 and hi == math.inf
    assert interval(50, "at_least")[0] == 50


def test_about_is_five_percent():
    assert interval(64, "about") == pytest.approx((60.8, 67.2))


def test_range_needs_high():
    assert interval(10, "range", 100) == (10, 100)
    with pytest.raises(QualifierError):
        interval(10, "range")
    with pytest.raises(QualifierError):
        interval(10, "roughly")


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
       st.sampled_from(["exact", "about", "nearly", "at_least", "at_most", "order_of_magnitude"]))
def test_interval_contains_the_stated_value(x, q):
    lo, hi = interval(x, q)
    assert lo <= x <= hi or (q == "order_of_magnitude" and x == 0)
