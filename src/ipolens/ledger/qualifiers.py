"""Qualifiers and the interval of true values each one admits.

A stated value plus its qualifier defines an interval; two facts conflict only when their intervals are disjoint.
Tolerances are settings (see ``Tolerances``), following ../shared/docs/news-numbers.md §2.

How far an *exact* figure may be from the truth depends on the kind of source (``resolution``):

- a stated ``precision`` (the rounding step the source used: 1 = whole units, the truth within ±0.5; 0.01 = ±0.005)
  always wins, whatever the source;
- text (news articles, quotes: ``infers_rounding``) is read the way it is written: 19.6 admits 19.55..19.65 and
  55.2亿 admits ±50万 (``implied_resolution``);
- anything else (datasets, exchange filings, prospectus tables, user files, providers, recomputations) is exact
  as given. Its decimal representation says nothing: a CSV's ``70`` is not "about 70", and ``13.167000000000002``
  is 13.167 with float noise. Such a value admits half a unit of its ``NOISE_DIGITS``-th significant digit
  (``noise_resolution``: 13.167 +- 5e-11), which absorbs float noise and nothing more; stored values are cleaned
  of the noise digits a double carries (``as_given``: 15 significant digits).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["QUALIFIERS", "Tolerances", "interval", "implied_resolution", "QualifierError", "TEXT_KINDS",
           "NOISE_DIGITS", "as_given", "noise_resolution", "resolution", "infers_rounding", "check_precision"]

# exact: stated as is (rounding of the last stated digit allowed)
# about: 约/約/約合/about;   nearly: 近/接近/nearly (just below);  more_than: 超/逾/突破/over;
# at_least: 以上/at least;    at_most: 不超过/up to;  range: value..value_high;  order_of_magnitude: 量级
QUALIFIERS = ("exact", "about", "nearly", "more_than", "at_least", "at_most", "range", "order_of_magnitude")
# Source kinds whose figures are written for readers, so that the way a figure is written tells its rounding.
TEXT_KINDS = ("news",)
# An exact-as-given value admits half a unit of its 12th significant digit: float noise, and nothing real.
NOISE_DIGITS = 12
# Significant digits a double holds reliably; beyond them only noise (13.167000000000002).
DOUBLE_DIGITS = 15


class QualifierError(ValueError):
    """An unknown qualifier, or a range without its upper bound."""


@dataclass(frozen=True)
class Tolerances:
    about: float = 0.05  # |v - X| <= 5% of X
    nearly: float = 0.05  # X(1-δ) <= v <= X
    nearly_round: float = 0.10  # δ for one-significant-digit figures such as 近800亿, 近30倍
    magnitude: float = math.sqrt(10.0)  # factor either way for 量级


DEFAULT_TOLERANCES = Tolerances()


def as_given(value: float) -> float:
    """``value`` without the noise digits of a double (rounded to ``DOUBLE_DIGITS`` significant digits):
    13.167000000000002 -> 13.167, 0.1 + 0.2 -> 0.3, 0.762069 * 100 -> 76.2069; 1812462656201 stays whole."""
    x = float(value)
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{DOUBLE_DIGITS}g}")


def noise_resolution(value: float) -> float:
    """Half a unit of the ``NOISE_DIGITS``-th significant digit: what an exact-as-given value admits (13.167 ->
    5e-11, 2300 -> 5e-9). Float noise falls inside it; any real difference does not."""
    x = abs(float(value))
    if x == 0 or not math.isfinite(x):
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(x)) - (NOISE_DIGITS - 1))


def check_precision(precision: float | None) -> float | None:
    """A stated rounding step must be a positive finite number (or None: not stated)."""
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, (int, float)) or not math.isfinite(precision) \
            or precision <= 0:
        raise QualifierError(f"precision {precision!r} is not a positive number (the rounding step: 1, 0.01, 1e6)")
    return float(precision)


def infers_rounding(source_kind: str | None, quote: str | None = None) -> bool:
    """Is the rounding of a figure read from how it is written? Only for text: a source of a ``TEXT_KINDS`` kind,
    or a claim quoted from a text (it carries its ``quote``)."""
    return source_kind in TEXT_KINDS or bool(quote)


def resolution(value: float, precision: float | None = None, written: bool = False) -> float:
    """Half-width of the interval an exact figure admits: half the stated ``precision``; else, for a ``written``
    figure (text), half a unit of its last written digit; else (exact as given) only float noise."""
    if precision is not None:
        return check_precision(precision) / 2
    return implied_resolution(value) if written else noise_resolution(value)


def implied_resolution(value: float) -> float:
    """Half a unit of the last significant digit as written: 19.6 -> 0.05, 5520000000 -> 5e6, 2300 -> 50.

    Trailing zeros of an integer are read as not significant, which is how news writes 55.2亿 (= 5520000000).
    Float noise is rounded away first (55.2 * 1e8 = 5520000000.000001 is still 5520000000). Use it for text only.
    """
    value = as_given(value)
    if value == 0 or not math.isfinite(value):
        return 0.0
    d = Decimal(repr(abs(value))).normalize()
    exponent = d.as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def _significant_digits(value: float) -> int:
    d = Decimal(repr(abs(value))).normalize()
    return len(d.as_tuple().digits)


def interval(value: float, qualifier: str = "exact", value_high: float | None = None,
             tol: Tolerances = DEFAULT_TOLERANCES, *, precision: float | None = None,
             written: bool = True) -> tuple[float, float]:
    """The closed interval [lo, hi] of true values that ``qualifier value`` admits.

    ``written`` (the default, for figures read from text) infers an exact figure's rounding from its digits;
    ``written=False`` takes it exactly as given (datasets, filings, user files, providers: see ``resolution``).
    A stated ``precision`` overrides both and also widens a range's ends.
    Open bounds (more_than) are represented by the next float, so a strict '>' survives a closed comparison.
    """
    if qualifier not in QUALIFIERS:
        raise QualifierError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")
    x = float(value)
    r = resolution(x, precision, written)
    a = abs(x)
    if qualifier == "exact":
        return x - r, x + r
    if qualifier == "about":
        return x - tol.about * a, x + tol.about * a
    if qualifier == "nearly":
        # just below X: the upper bound is X itself. Only a figure written with decimals (近82.1%) keeps the
        # rounding of its last digit above X; 近30倍 or 近800亿 never admits 32 or 845亿.
        delta = tol.nearly_round if _significant_digits(x) == 1 else tol.nearly
        if precision is not None or not written:
            return x - delta * a, x + r
        exponent = Decimal(repr(as_given(a))).normalize().as_tuple().exponent if a else 0
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
        lo, hi = min(x, value_high), max(x, value_high)
        pad = 0.0 if precision is None else check_precision(precision) / 2
        return lo - pad, hi + pad
    # order_of_magnitude
    lo, hi = a / tol.magnitude, a * tol.magnitude
    return (lo, hi) if x >= 0 else (-hi, -lo)
