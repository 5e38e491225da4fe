"""An integer percentage may be cut rather than rounded ('6%' for 6.67%): the one rounding model reads it so."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ipolens.news import rounding


def _figure(value, unit, half):
    return SimpleNamespace(value=value, qualifier="exact", unit=unit, _resn=half, value_high=None, known=False)


def test_a_one_digit_percent_admits_its_truncation():
    c = _figure(6, "pct", 0.5)
    # rounded: 5.5..6.5; cut: 6..7 (one point away from zero); together 5.5..7
    assert rounding.weakest(c, rounding.of_claim(c)) == pytest.approx((5.5, 7.0))


def test_a_negative_one_digit_percent_is_cut_away_from_zero():
    c = _figure(-6, "pct", 0.5)
    assert rounding.weakest(c, rounding.of_claim(c)) == pytest.approx((-7.0, -5.5))


def test_a_one_digit_multiple_is_still_rounded_only():
    c = _figure(6, "x", 0.5)
    assert rounding.weakest(c, rounding.of_claim(c)) == pytest.approx((5.5, 6.5))


def test_a_two_digit_amount_is_still_rounded_only():
    c = _figure(39e6, "USD", 0.5e6)  # '39 million'
    assert rounding.weakest(c, rounding.of_claim(c)) == pytest.approx((38.5e6, 39.5e6))
