"""Shares of a whole written in words: 百分之五, 三分之一 (fractions) and 三成, 两成半 (tenths), and the fixed
idioms that state a number, each wrapped to be tried only where its literal characters occur.

Apart from numbers.py because these forms have no number core of their own: each is found by its own pattern.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .number_idioms import IDIOMS as _IDIOMS
from .number_patterns import _ARABIC, _CN
from .number_signs import fall_before
from .number_units import _QUAL
from .quantity import Quantity, to_float as _to_float
from .scan_anchor import Anchored
from .scan_left import _left

# 百分之五, 万分之三点六; 三分之一 (33.33%), 四分之三: a share of a whole in any denominator up to ten
_FRACTION = re.compile(rf"(?P<d>百|千|万|(?<![一二两三四五六七八九十])[二三四五六七八九十])分之(?P<n>{_ARABIC}|{_CN})")
# 三成 = 30%; 两成半 = 25%, 七成五 = 75% (a half or a digit after 成: the next place down, not 半导体 or 五家);
# 成 starts another word in 成交, 成本, 成功, 成绩 ... (一成不变 is an idiom); 成为 (became) only after a Chinese digit: '其中1成为…' is 10%
_TENTHS = re.compile(r"(?=[一两二三四五六七八九1-9]成)(?<![\d一二三四五六七八九十])(?P<n>[一两二三四五六七八九]|[1-9])成"
                     r"(?:(?P<half>半)(?![导年月日天小价])|(?P<d>[一二三四五六七八九])(?![成十百千万亿点个家只名人年月日天倍%]))?"
                     r"(?(half)|(?(d)|(?![交本功长立员果熟就绩])(?!(?<=一成)不变)(?!(?<=[一两二三四五六七八九]成)为)))")

_TENTHS_SUFFIX = re.compile(r"多|余|以上|左右")
# each tried only where its literal characters occur (成, 分之, 翻 ...): the same matches without a pass of the regex
# engine over every position of the text
_ANCHORED_IDIOMS = [(Anchored(pat), spec) for pat, spec in _IDIOMS]
_ANCHORED_FRACTION = Anchored(_FRACTION)
_ANCHORED_TENTHS = Anchored(_TENTHS)


def _tenths(text: str, m: re.Match, pct: Decimal) -> Quantity:
    """近九成 / 逾八成 / 下跌逾三成: the qualifier and a falling verb read as for any percentage."""
    start, qualifier, sign_from = m.start(), "exact", None
    left = _left(text, start)
    if left and left["q"] and not left["c"] and left["q"] not in ("数", "上"):
        qualifier = _QUAL.get(left["q"].lower(), "exact")
        start -= len(left.group(0))
    end = m.end()
    suffix = _TENTHS_SUFFIX.match(text, end)  # at ``end``: no copy of the rest of the text
    if suffix:  # 两成多
        qualifier, end = _QUAL[suffix[0]], end + len(suffix[0])
    fall = fall_before(text, start, "pct")
    if fall:
        pct, sign_from = -pct, fall
    return Quantity(value=_to_float(pct), unit="pct", qualifier=qualifier, start=start, end=end,
                    raw=text[start:end], sign_from=sign_from, resolution=None)
