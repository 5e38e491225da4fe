"""One rounding and truncation model for stated figures: the interval of true values a figure admits, from how it
was written.

A written figure admits half a unit of its last written digit (26.8 -> 26.75..26.85; 435亿 -> ±0.5亿, the scale word
multiplies the step). Qualifiers widen it (约/about ±5%, 近/nearly just below, 逾/more than above, ranges).
Truncation (468.78 printed as 468, 26.86% as 26.8%) is a separate, weaker match: the truth lies in
[value, value + one step) on the side away from zero. So is the round-number reading of an integer percentage or
multiple ('a 180% jump' for 183.9%: its zeros may be rounding, down to two significant digits). Every check and the
ledger comparison use these intervals.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal

from ipolens.ledger.qualifiers import interval as _qualified

__all__ = ["Interval", "step_of", "stated", "truncated", "of_claim", "truncation_of_claim", "round_number_of_claim",
           "parse_written",
           "overlap", "SCALE_WORDS", "is_transposition", "weakest"]

Interval = tuple[float, float]

# scale words and the factor they multiply the written digits by
SCALE_WORDS = {"万亿": 1e12, "萬億": 1e12, "亿": 1e8, "億": 1e8, "万": 1e4, "萬": 1e4, "千": 1e3, "仟": 1e3,
               "百万": 1e6, "百萬": 1e6, "trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
               "m": 1e6, "k": 1e3, "thousand": 1e3}
_QUALIFIER_WORDS = (
    ("about", r"约|約|大约|大約|约合|約合|about|around|roughly|approximately|approx\.?|some|close to"),
    ("nearly", r"近|接近|将近|將近|nearly|almost|just under"),
    ("more_than", r"逾|超过|超過|超|突破|逾越|over|more than|above|in excess of"),
    ("at_least", r"至少|不少于|不少於|at least"),
    ("at_most", r"最多|最高|不超过|不超過|至多|up to|at most"),
)
_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE = "|".join(sorted((re.escape(k) for k in SCALE_WORDS), key=len, reverse=True))
_WRITTEN = re.compile(rf"^\s*(?P<q>[^\d]*?)\s*(?P<a>{_NUM})\s*(?:(?:-|–|—|~|至|到|to)\s*(?P<b>{_NUM}))?\s*"
                      rf"(?:(?P<s>{_SCALE})(?![a-z]))?", re.I)
_TRAIL = re.compile(rf"(?:以上|以下|左右|多|余|餘|\+|or more|plus)")


def step_of(digits: str) -> float:
    """The unit of the last written digit: '26.8' -> 0.1, '435' -> 1, '1,273' -> 1, '20454.22' -> 0.01."""
    d = Decimal(digits.replace(",", ""))
    exp = d.as_tuple().exponent
    return float(Decimal(1).scaleb(exp)) if isinstance(exp, int) else 0.0


def stated(value: float, qualifier: str = "exact", half_step: float | None = None,
           value_high: float | None = None) -> Interval:
    """The interval a stated figure admits: its rounding (``half_step``, half a unit of the last written digit; None
    infers it from the digits of ``value``) widened by the qualifier. A negative value with a bounding qualifier
    ('下跌逾三成' = −30%, more than 30% down) bounds the size of the fall, so the interval is mirrored."""
    x = float(value)
    q = qualifier or "exact"
    if q == "exact":
        if half_step is not None:
            return x - half_step, x + half_step
        return _qualified(x, "exact")
    if x < 0 and q in ("nearly", "more_than", "at_least", "at_most"):
        lo, hi = stated(-x, q, half_step)
        return -hi, -lo
    lo, hi = _qualified(x, q, value_high)
    r = half_step or 0.0
    if q == "about":  # 约3.5% is 3.5 within 5%, and never narrower than its own rounding
        return min(lo, x - r), max(hi, x + r)
    if q == "range":
        return lo - r, hi + r
    return lo, hi


def truncated(value: float, half_step: float) -> Interval:
    """The interval of an exact figure read as truncated rather than rounded: [v, v + step) away from zero
    (468 from 468.78; −12.3 from −12.37)."""
    x, step = float(value), 2 * float(half_step)
    return (x, x + step) if x >= 0 else (x - step, x)


def of_claim(c) -> Interval:
    """The interval a claim admits (its qualifier and as-written rounding)."""
    return stated(float(c.value), c.qualifier if c.qualifier else "exact", getattr(c, "_resn", None),
                  c.value_high)


def truncation_of_claim(c) -> Interval | None:
    """The truncation reading of an exact claim (None for qualified figures, which are not truncations)."""
    if c.qualifier != "exact" or c.value is None:
        return None
    half = getattr(c, "_resn", None)
    if half is None:
        half = _qualified(float(c.value), "exact")[1] - float(c.value)
    return truncated(float(c.value), half) if half > 0 else None


def round_number_of_claim(c) -> Interval | None:
    """The round-number reading of an exact integer percentage or multiple written with trailing zeros ('a 180% jump'
    for 183.9%):
    the zeros may be rounding rather than digits, at most down to two significant digits (100 reads 95..105, never
    50..150). A separate, weaker match, like truncation; None when the figure has no such zeros."""
    if c.qualifier != "exact" or c.value is None or not float(c.value) or c.unit not in ("pct", "x"):
        return None  # only figures without scale words: '2.0亿' and '20亿' have the same digits, not the same zeros
    half = getattr(c, "_resn", None)
    if half is None:
        half = _qualified(float(c.value), "exact")[1] - float(c.value)
    if not half or half <= 0:
        return None
    units = abs(float(c.value)) / (2 * half)
    if 2 * half < 1 or abs(units - round(units)) > 1e-6:  # written with decimals: every zero is a digit
        return None
    digits = str(int(round(units)))
    zeros = min(len(digits) - len(digits.rstrip("0")), len(digits) - 2)
    if zeros <= 0:
        return None
    wide = half * 10 ** zeros
    x = float(c.value)
    return x - wide, x + wide


def parse_written(text: str) -> tuple[float, str, float, float | None]:
    """(value, qualifier, half_step, value_high) of a figure as written: '约3.5%' -> (3.5, about, 0.05, None);
    '435亿' -> (4.35e10, exact, 0.5e8, None); '逾34亿' -> more_than; '202.5-212.5' -> a range."""
    m = _WRITTEN.match(text)
    if not m:
        raise ValueError(f"no figure in {text!r}")
    scale = SCALE_WORDS.get((m["s"] or "").lower(), SCALE_WORDS.get(m["s"] or "", 1.0)) if m["s"] else 1.0
    a = m["a"]
    value = float(a.replace(",", "")) * scale
    half = step_of(a) * scale / 2
    qualifier = "exact"
    lead = (m["q"] or "").strip().lower()
    for name, words in _QUALIFIER_WORDS:
        if lead and re.search(rf"(?:{words})$", lead, re.I):
            qualifier = name
            break
    high = None
    if m["b"]:
        high, qualifier = float(m["b"].replace(",", "")) * scale, "range"
        half = max(half, step_of(m["b"]) * scale / 2)
    rest = text[m.end():]
    if qualifier == "exact" and _TRAIL.match(rest.strip()):
        word = _TRAIL.match(rest.strip())[0]
        qualifier = "about" if word == "左右" else ("at_most" if word == "以下" else "more_than")
    return value, qualifier, half, high


def overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def is_finite(iv: Interval) -> bool:
    return math.isfinite(iv[0]) and math.isfinite(iv[1])


def is_transposition(c, derived: Interval) -> bool:
    """Whether a stated figure is the derived value with two neighbouring digits swapped (296 written 269): the
    classic copying slip. Both are read in units of the figure's last written digit; the derived interval must round
    to one value there, and at least three digits are needed (shorter swaps coincide too easily)."""
    if c.value is None or not is_finite(derived):
        return False
    half = getattr(c, "_resn", None)
    if half is None:
        half = _qualified(float(c.value), "exact")[1] - float(c.value)
    if not half or half <= 0:
        return False
    step = 2 * half
    lo, hi = round(abs(derived[0]) / step), round(abs(derived[1]) / step)
    if lo != hi or (derived[0] < 0) != (float(c.value) < 0):
        return False
    a, b = str(round(abs(float(c.value)) / step)), str(lo)
    if len(a) != len(b) or len(a) < 3:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def weakest(c, iv: Interval) -> Interval:
    """The widest interval a stated figure admits as an input: ``iv`` (as written) joined with its round-number
    reading (an integer percentage or multiple whose zeros may be rounding: 'a 180% jump' for 183.9%) and its
    truncation reading (10.766万 printed as 10.76万; figures of three or more significant digits). A relation judged from the other side accepts these readings
    of the figure, so an input read so must not make the relation fail here: one model, both directions."""
    if getattr(c, "known", False) or getattr(c, "value", None) is None:
        return iv
    lo, hi = iv
    # a figure of one or two significant digits ('39 million') is rounded, not cut: read as truncated it would
    # widen by a whole step of its few digits; a percentage is the exception: cut to its integer ('6%' for 6.67%) is
    # common practice, and its step (one point) stays small
    cut = truncation_of_claim(c) if _significant(c) >= 3 or getattr(c, "unit", None) == "pct" else None
    for other in (round_number_of_claim(c), cut):
        if other:
            lo, hi = min(lo, other[0]), max(hi, other[1])
    return lo, hi


def _significant(c) -> int:
    """Significant digits a figure is written with (its value over its step: 10.76万 -> 4, 39 million -> 2)."""
    half = getattr(c, "_resn", None)
    if not half or half <= 0 or not c.value:
        return 0
    units = abs(float(c.value)) / (2 * half)
    return len(str(int(round(units))).rstrip("0") or "0") if units >= 1 else 0
