"""Bare money: a figure with a Chinese scale and no unit right after a money noun ('市值破千亿') is money.

Apart from numbers.py because it is a pass over the figures a scan found, run by the extractor after the scan.
"""
from __future__ import annotations

import re

from .number_patterns import _LEX, _alternation
from .quantity import Quantity
from .quantity import with_values as replace  # dataclasses.replace, for a Quantity, faster

_MONEY_NOUN = re.compile(rf"(?:{_alternation({w for ws in _LEX['money_nouns'].values() for w in ws})})"
                         r"(?:[^,;。!?\d]{0,3})\Z")

_CN_SCALED = re.compile(r"(?:万亿|亿|万)\Z")


def bare_money(qs: list[Quantity], text: str) -> list[Quantity]:
    """'市值破千亿', '孖展4397億': a figure with a Chinese scale and no unit, right after a money noun
    (lexicon/numbers.yaml ``money_nouns``), is money in the outlet's currency (a bare 元)."""
    out = []
    for q in qs:
        if q.unit is None and q.value_high is None and _CN_SCALED.search(q.raw) \
                and _MONEY_NOUN.search(text, max(0, q.start - 8), q.start):
            q = replace(q, unit="money", bare_yuan=True)
        out.append(q)
    return out
