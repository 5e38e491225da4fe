"""The value of a number core: Arabic digits with separators and a scale word, Chinese numerals, English number
words and ordinals, in base units as a Decimal.

Apart from numbers.py because reading a value is pure arithmetic on a matched core, separate from finding the
figure and its unit in the text.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .cn_numerals import CN_BIG_UNITS, CnNumeralError, parse_cn
from .number_patterns import _EN_WORDS, _MAX_DIGITS, _SCALES
from .quantity import NumberParseError

_SEPARATORS = re.compile(r"[,\s\u00a0\u202f]")


def _digits(text: str) -> str:
    # most figures have no separator (a separator is no alphanumeric, nor a decimal point): no regex pass for them
    return text if text.isalnum() or text.replace(".", "").isalnum() else _SEPARATORS.sub("", text)


def _dec(text: str) -> Decimal:
    d = _digits(text)
    if len(d.partition(".")[0]) > _MAX_DIGITS:
        raise NumberParseError("too many digits to be a figure")  # and Decimal's exponent range stays safe
    try:
        return Decimal(d)
    except InvalidOperation:
        raise NumberParseError(f"not a number: {text!r}") from None


@lru_cache(maxsize=4096)
def _cn_value(text: str) -> Decimal:
    try:
        return parse_cn(text)
    except CnNumeralError as exc:
        raise NumberParseError(f"not a Chinese numeral: {text!r} ({exc})") from None


def _scale_word(m: re.Match) -> str:
    """The scale after Arabic digits as a key of _SCALES: ' million', '-billion', '\\x1f万' -> million, billion, 万
    (any whitespace the pattern's \\s allowed, not only spaces)."""
    sa = m["sa"]
    return sa.strip().lstrip("-").lower() if sa else ""  # the pattern allows one space or hyphen before the word


def _core_value(m: re.Match) -> tuple[Decimal, bool]:
    """(value in base units, is_chinese_numeral)."""
    if m["mx"]:
        return _cn_value(_digits(m["mx"])), False
    if m["ar"]:
        v = _dec(m["ar"])
        sa = _scale_word(m)
        return v * _SCALES[sa] if sa else v, False
    if m["cn"]:
        if m["sc"] and not m["yc"]:
            return _cn_value(m["cn"] + m["sc"]), True  # 七十三亿零五百万: the scale ends the numeral
        v = _cn_value(m["cn"])
        return v * _big_scale(m["sc"]) if m["sc"] else v, True
    if m["ew"]:
        return Decimal(_EN_WORDS[m["ew"].lower()]), False
    return Decimal(_SCALES[m["bare"]]), True


def _big_scale(word: str) -> int:
    """万亿 -> 10**12 (traditional forms too)."""
    out = 1
    for ch in word:
        out *= CN_BIG_UNITS[ch]
    return out


_EN_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()


def _ordinal(word: str) -> int:
    """The number of an ordinal: '一' / '十二' / '3' / 'seventh'."""
    if word.isdigit():
        return int(word)
    if word.lower() in _EN_ORDINALS:
        return _EN_ORDINALS.index(word.lower()) + 1
    return int(_cn_value(word))
