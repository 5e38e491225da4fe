"""After the scan: overlapping spans dropped, ranges merged (8000亿至1万亿美元, HK$10-12), and a unit or a falling
word written once for a 分别 list shared by every figure of it."""
from __future__ import annotations

import re
from decimal import Decimal

from .number_patterns import _CORE, _RANGE_JOIN, _SCALES
from .quantity import Quantity, to_float as _to_float
from .quantity import with_values as replace  # dataclasses.replace, for a Quantity, faster

__all__ = ["settle"]


def settle(text: str, found: list[Quantity]) -> list[Quantity]:
    """The scanner's quantities (sorted by start, longest first) as figures: overlaps dropped, ranges merged, list
    units and signs shared."""
    return _share_signs(text, _share_units(text, _merge_ranges(text, _drop_overlaps(found))))


def _drop_overlaps(qs: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    for q in qs:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out


def _merge_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """8000亿至1万亿美元 -> one range; 数千万、上亿美元 -> one open range."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        if i + 1 < len(qs):
            nxt = qs[i + 1]
            gap = text[q.end:nxt.start]
            if q.unit is None and nxt.unit is not None and _joins(text, q, gap):
                lo = q.value
                m = _CORE.search(text, q.start, q.end)  # the low end's own core, after any qualifier (约合 288.46)
                if m and m["ar"] and not m["sa"] and nxt.value >= 10 * lo:  # 10-20亿: the scale is shared
                    lo = _scale_like(lo, nxt)
                out.append(replace(nxt, value=lo, value_high=nxt.value, qualifier="range", start=q.start,
                                   raw=text[q.start:nxt.end]))
                i += 2
                continue
            if _unit_range(text, q, nxt, _per_unit_dropped(text, gap, nxt)):  # 17.0港元至19.6港元, HK$10-12, 5%至8%
                hi_unit = nxt.unit or q.unit
                lo = q.value
                if nxt.unit is None and nxt.value >= 10 * lo:  # HK$1.2-1.5 billion: the scale is shared
                    lo = _scale_like(lo, nxt)
                hi = -nxt.value if q.sign_from and q.sign_from != "-" and nxt.value > 0 and not nxt.sign_from else nxt.value
                out.append(replace(q, value=lo, value_high=hi, qualifier="range", end=nxt.end, unit=hi_unit,
                                   raw=text[q.start:nxt.end], per_share=(q.per_share or nxt.per_share) and lo == q.value,
                                   bare_yuan=q.bare_yuan and nxt.bare_yuan if nxt.unit else q.bare_yuan))
                i += 2
                continue
            if q.qualifier == "range" and q.unit is None and gap in ("、", "甚至", "或", "甚至是") and nxt.unit:
                high = nxt.value * (10 if nxt.qualifier == "more_than" else 1)
                out.append(replace(nxt, value=q.value, value_high=max(high, q.value_high or 0), qualifier="range",
                                   start=q.start, raw=text[q.start:nxt.end]))
                i += 2
                continue
        out.append(q)
        i += 1
    return out


# '11美元/ADS-13美元/ADS': a per-unit suffix written after both ends of a range
_PER_UNIT = re.compile(r"/[A-Za-z\u4e00-\u9fff]{1,4}(?=\s?(?:至|到|~|-|–|—|to)\s?)", re.I)


def _per_unit_dropped(text: str, gap: str, nxt: Quantity) -> str:
    """``gap`` without a per-unit suffix that the next figure repeats."""
    m = _PER_UNIT.match(gap)
    return gap[m.end():] if m and text.startswith(m[0], nxt.end) else gap


_BETWEEN = re.compile(r"(?:between|介于|介乎)\s?\Z", re.I)


def _joins(text: str, q: Quantity, gap: str) -> bool:
    """``gap`` joins ``q`` to the next figure as a range: 至/to/-, or 'and' after 'between' (介于…与…)."""
    return bool(_RANGE_JOIN.fullmatch(gap) or gap.strip().lower() in ("and", "与", "和")
                and _BETWEEN.search(text, max(0, q.start - 9), q.start))


def _unit_range(text: str, q: Quantity, nxt: Quantity, gap: str) -> bool:
    """Two figures joined by 至/to/- that share a unit (or the second repeats none: HK$10-12), low before high;
    'between A and B' too; an 'about' before the low end qualifies the whole range (约4%至7%). '从/由 A 至 B' is a
    change from A to B, not a range."""
    if not _joins(text, q, gap) or q.unit is None or q.qualifier not in ("exact", "about") or nxt.qualifier != "exact":
        return False
    if re.search(r"(?:从|由|from\s?)$", text[max(0, q.start - 5):q.start], re.I):
        return False
    if nxt.unit is None:  # HK$10-12: only after a currency sign, and the second figure is a bare number
        return q.is_money and not q.bare_yuan and q.raw[:1] not in "0123456789" and nxt.value > 0 and \
            (nxt.value > q.value or nxt.value >= 10 * q.value)
    return nxt.unit == q.unit and q.bare_yuan == nxt.bare_yuan and nxt.value > q.value


_LIST_JOIN = ("、", "和", "及", "与", "以及", " and ", ", ")


def _share_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'分别为19.6、35.7港元': the unit written once after the last figure of a 分别 list belongs to every figure."""
    out = list(qs)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if q.unit is not None or nxt.unit is None or q.qualifier == "range" or text[q.end:nxt.start] not in _LIST_JOIN:
            continue
        lead = text[max(0, q.start - 40):q.start]
        lead = re.split(r"[。;!?\n]", lead)[-1]
        if not re.search(r"分别|respectively", lead + text[nxt.end:nxt.end + 16]):
            continue
        out[i] = replace(q, unit=nxt.unit, bare_yuan=nxt.bare_yuan, per_share=nxt.per_share, noun=nxt.noun)
    return out


def _share_signs(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'跌幅依次为8.21%、3.05%': the falling word before a list of changes signs every change in it."""
    out = list(qs)
    for i in range(1, len(out)):
        prev, q = out[i - 1], out[i]
        if q.unit != "pct" or q.sign_from or prev.unit != "pct" or prev.sign_from in (None, "-") or q.value < 0 \
                or text[prev.end:q.start] not in _LIST_JOIN:
            continue
        out[i] = replace(q, value=-q.value, sign_from=prev.sign_from)
    return out


def _scale_like(lo: float, hi_q: Quantity) -> float:
    m = re.search(r"(万亿|亿|万|billion|million|trillion)", hi_q.raw, re.I)
    if not m:
        return lo
    return _to_float(Decimal(str(lo)) * _SCALES[m[1].lower()])  # decimal: 288.46亿 is 28846000000 exactly
