"""Qualifiers and the interval of true values each one admits.

A stated value plus its qualifier defines an interval; two facts conflict only when their intervals are disjoint.
Tolerances are settings (see ``Tolerances``), following ../shared/docs/news-numbers.md §2.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["QUALIFIERS", "Tolerances", "interval", "implied_resolution", "QualifierError"]

# exact: stated as is (rounding of the last stated digit allowed)
# about: 约/約/約合/about;   nearly: 近/接近/nearly (just below);  more_than: 超/逾/突破/over;
# at_least: 以上/at least;    at_most: 不超过/up to;  range: value..value_high;  order_of_magnitude: 量级
QUALIFIERS = ("exact", "about", "nearly", "more_than", "at_least", "at_most", "range", "order_of_magnitude")


class QualifierError(ValueError):
    """An unknown qualifier, or a range without its upper bound."""


@dataclass(frozen=True)
class Tolerances:
    about: float = 0.05  # |v - X| <= 5% of X
    nearly: float = 0.05  # X(1-δ) <= v <= X
    nearly_round: float = 0.10  # δ for one-significant-digit figures such as 近800亿, 近30倍
    magnitude: float = math.sqrt(10.0)  # factor either way for 量级


DEFAULT_TOLERANCES = Tolerances()


def implied_resolution(value: float) -> float:
    """Half a unit of the last significant digit as written: 19.6 -> 0.05, 5520000000 -> 5e6, 2300 -> 50.

    Trailing zeros of an integer are read as not significant, which is how news writes 55.2亿 (= 5520000000).
    """
    if value == 0 or not math.isfinite(value):
        return 0.0
    d = Decimal(repr(abs(value))).normalize()
    exponent = d.as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def _significant_digits(value: float) -> int:
    d = Decimal(repr(abs(value))).normalize()
    return len(d.as_tuple().digits)


def interval(value: float, qualifier: str = "exact", value_high: float | None = None,
             tol: Tolerances = DEFAULT_TOLERANCES) -> tuple[float, float]:
    """The closed interval [lo, hi] of true values that ``qualifier value`` admits.

    Open bounds (more_than) are represented by the next float, so a strict '>' survives a closed comparison.
    """
    if qualifier not in QUALIFIERS:
        raise QualifierError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")
    x = float(value)
    r = implied_resolution(x)
    a = abs(x)
    if qualifier == "exact":
        return x - r, x + r
    if qualifier == "about":
        return x - tol.about * a, x + tol.about * a
    if qualifier == "nearly":
        # just below X: the upper bound is X itself. Only a figure written with decimals (近82.1%) keeps the
        # rounding of its last digit above X; 近30倍 or 近800亿 never admits 32 or 845亿.
        delta = tol.nearly_round if _significant_digits(x) == 1 else tol.nearly
        exponent = Decimal(repr(a)).normalize().as_tuple().exponent if a else 0
        return x - delta * a, x + (r if isinstance(exponent, int) and exponent < 0 else 0.0)
    if qualifier == "more_than":
        return math.nextafter(x, math.inf), math.inf
    if qualifier == "at_least":
        return x, math.inf
    if qualifier == "at_most":
        return -math.inf, x
    if qualifier == "range":
        if value_high is None:
            raise QualifierError("qualifier 'range' needs value_high")
        return min(x, value_high), max(x, value_high)
    # order_of_magnitude
    lo, hi = a / tol.magnitude, a * tol.magnitude
    return (lo, hi) if x >= 0 else (-hi, -lo)
