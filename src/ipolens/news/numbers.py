"""Number spans in Chinese and English financial news: value in base units, unit, currency and qualifier.

Works on normalised text (NFKC + Simplified, see text.py). The scan anchors on a number core (Arabic digits with
separators, a Chinese numeral, or a bare scale such as 千亿), then reads a qualifier and currency to its left and a
unit and suffix qualifier to its right. Chinese numerals (两万三千, 七十三亿零五百万, 壹佰贰拾叁, 3万2千) are read by
cn_numerals; the words around a number (qualifiers, currencies, units) are the data of lexicon/numbers.yaml.
Also read: digits spread by an aggregator (2 0 2 . 5港元), hyphenated scales ($1.57-billion), durations (10年来,
180-day, two years), ranks (第一大股东, the seventh largest, #2), and a falling word that signs a whole list or range
of changes (跌幅分别为…、…; 跌幅介乎5.7%至7.2%). The patterns are number_patterns', ranges and lists are merged by
number_ranges, and number_format reads one expression and writes one back. The words around a figure are
number_units', a core's value number_values', 三成 and 百分之五 number_fractions'.

Too large to be a figure: a digit run of more than 30 digits, or a value of 10**24 or more (far beyond any amount in
financial news), is an identifier or noise. It yields no quantity (so never ``inf``, and ``--json`` never prints
Infinity), and nothing inside it is read as a smaller number.
"""
from __future__ import annotations

import itertools
import re
from typing import Callable

from .bare_money import bare_money
from .number_format import format_quantity  # re-exported: part of this module's interface
from .number_fractions import _ANCHORED_FRACTION, _ANCHORED_IDIOMS, _ANCHORED_TENTHS, _tenths
from .cn_numerals import parse_mixed
from .number_patterns import LEXICON_PATH, MAX_FIGURE, _CORE_DIGITS, _CORE_WORDS, _EN_WORDS, _SCALES
from .number_ranges import settle
from .number_context import bracket_listed, modified_count, named_count, negated, partitive
from .number_signs import fall_before
from .number_units import (_AFTER_FIGURE, _CJK_BEFORE, _CURRENCY_PREFIX, _GLUED_CURRENCY, _GLUED_WORD, _MINUS,
                           _MONEY_AFTER, _MONEY_BEFORE, _NOT_BEFORE_MINUS, _PCT_AFTER, _PENCE, _QUAL, _RIGHT,
                           _RIGHT_STARTS, _UNIT_OF, _UNIT_WORDS, _index_points, _unit_of)  # some re-exported for tests
from .number_values import _cn_value, _core_value, _dec, _digits, _ordinal, _scale_word
from .quantity import MONEY, NumberParseError, Quantity, new_quantity, to_float as _to_float
from .quantity import with_values as replace  # dataclasses.replace, for a Quantity, faster
from .scan_anchor import CharPositions
from .scan_left import _left

__all__ = ["Quantity", "scan_numbers", "bare_money", "parse_number", "format_quantity", "NumberParseError", "MONEY",
           "LEXICON_PATH"]

_SCALE_ONLY = ("上", "过")  # qualifiers of a scale written without digits only (lexicon/numbers.yaml)
# Chinese-numeral counts that are figures, not narrative (三家, 五个条件 are): 只 counts stocks at any size; 手 (lots),
# 份 (applications, copies) and 宗 (deals) from ten on ('申请五十手'; '两手准备', '二手' are words)
_CN_COUNTED = ("只",)
_CN_COUNTED_FROM_TEN = ("手", "份", "宗")


_DURATIONS = ("years", "months", "days", "hours", "minutes")
_REFERS_BACK = re.compile(r"\b(?:the|these|those|its|their|our|both)\s\Z", re.I)  # 'the two banks' names, not counts


def scan_numbers(text: str, tick: Callable[[], None] | None = None) -> list[Quantity]:
    """Every number expression in ``text`` (normalised), in order, ranges merged, idioms included; ``tick`` is
    called once per number core (a caller's time limit)."""
    found: list[Quantity] = []
    taken = bytearray(len(text) + 1)
    lowered = None
    chars = CharPositions(text)
    for pat, spec in _ANCHORED_IDIOMS:
        if "needs" in spec:  # a rare pattern: skip the scan when none of its words is in the text
            lowered = lowered if lowered is not None else text.lower()
            if not any(w in lowered for w in spec["needs"]):
                continue
            spec = {k: v for k, v in spec.items() if k != "needs"}
        for m in pat.finditer(text, chars):
            spec2 = dict(spec)
            if spec2.get("unit") == "x" and "value" not in spec2:
                spec2["value"] = _EN_WORDS[m[1].lower()]
            if spec2.get("unit") in ("rank", "count") and "value" not in spec2:  # 第三, 三大, No. 2
                try:
                    spec2["value"] = _ordinal(next(g for g in m.groups() if g))
                except NumberParseError:
                    continue  # 第十十: not an ordinal
                if spec2["unit"] == "count" and not named_count(text, m.start(), m.end()):
                    continue  # 两大经济体 is narrative, as 三家公司 is (the same rule as counts below)
            if (m.groupdict().get("q") or "").lower() in _QUAL:
                spec2["qualifier"] = _QUAL[m["q"].lower()]  # 'more than doubled', 'nearly half of'
            if spec2.get("qualifier") == "range":
                nums = ["一二三四五六七八九".index(c) + 1 for c in m[0] if c in "一二三四五六七八九"]
                spec2["value"], spec2["value_high"] = min(nums), max(nums)
            if spec2.get("unit") == "text":
                spec2["value"] = 0.0
                spec2["text"] = m[0]
            q = Quantity(start=m.start(), end=m.end(), raw=m[0], **{"qualifier": "exact", **spec2})
            found.append(q)
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _ANCHORED_FRACTION.finditer(text, chars):
        n = _dec(m["n"]) if m["n"][0].isdigit() else _cn_value(m["n"])
        div = {"百": 1, "千": 10, "万": 100}.get(m["d"]) or _cn_value(m["d"]) / 100
        found.append(Quantity(value=_to_float(n / div), unit="pct", start=m.start(), end=m.end(), raw=m[0]))
        taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _ANCHORED_TENTHS.finditer(text, chars):
        if taken[m.start()]:
            continue
        n = _dec(m["n"]) if m["n"].isdigit() else _cn_value(m["n"])
        tail = 5 if m["half"] else _cn_value(m["d"]) if m["d"] else 0
        found.append(_tenths(text, m, n * 10 + tail))
        taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())

    for m in itertools.chain(_CORE_DIGITS.finditer(text), _CORE_WORDS.finditer(text)):  # order: sorted below
        if tick:
            tick()
        s, e = m.start(), m.end()
        if taken[s]:
            continue
        # the core's groups, read once (g_ar: Arabic digits, g_sa: their scale word, g_cn: a Chinese numeral ...)
        g_mx, g_ar, g_sa, g_cn, g_yc, g_yu, g_bare, g_ew = m.group("mx", "ar", "sa", "cn", "yc", "yu", "bare", "ew")
        if g_ar or g_mx:
            prev = text[s - 1] if s else ""
            if prev and (prev.isascii() and (prev.isalnum() or prev in "._") or prev in "第") \
                    and not _GLUED_CURRENCY.search(text[max(0, s - 4):s]) and not _MONEY_AFTER.match(text, e) \
                    and not (_GLUED_WORD.search(text[max(0, s - 16):s]) and _PCT_AFTER.match(text, e)):
                continue  # part of a model name (BR100, GPT-4.0) or an ordinal; RMB767 million is money
        elif g_cn and s and text[s - 1] in "第之":
            continue
        try:
            value, is_cn = _core_value(m)
        except NumberParseError:
            continue
        if abs(value) >= MAX_FIGURE:
            continue
        million = bool(g_ar and not g_sa and text.startswith("m", e) and not text[e + 1:e + 2].isalnum()
                       and _MONEY_BEFORE.search(text, max(0, s - 4), s))
        if million:  # '$500m', 'RMB 30m': an amount after a currency, in millions
            value, e = value * 10**6, e + 1
        # (where the next character starts no word of _RIGHT it matches empty: the defaults below)
        r = _RIGHT.match(text, e) if e < len(text) and (_RIGHT_STARTS is None or _RIGHT_STARTS.admits(text[e])) \
            else None
        unit = noun = None
        q2 = q3 = None
        per_share = False
        end = e
        if r:
            q2, q3 = r["q2"], r["q3"]
            if r["u"]:
                unit, noun = _unit_of(r["u"])
                end = r.end()
            elif q2 or q3:
                end = r.end()
            per_share = bool(r["ps"])
        if unit == "points" and r["u"] == "点" and not _index_points(text, g_ar, value, s, end):
            unit, end = None, e  # 下午3点, 三点: a clock time or a point of an argument, not an index level
        elif unit == "/100 money" and not g_ar and r["u"] == "仙":
            unit, end = None, e  # 八仙: a name; a bare 仙 is cents only after digits (每股9仙)
        if g_ar and unit is None and end == e and _PENCE.match(text, e):
            unit, end = "/100 GBP", e + 1  # '175p': pence, glued to the digits ('12 p.m.' is a time)
        hundredths = bool(unit) and unit.startswith("/100 ")
        if hundredths:  # '61.5 cents', '12港仙': hundredths of a currency
            value, unit = value / 100, unit[5:]
        if g_ar and end == e and e < len(text) and text[e].isascii() and text[e].isalpha():
            continue  # 2.5D, 7nmX: a token, not a quantity
        if g_sa and re.match(r"-dollar\b", text[e:e + 8], re.I) and g_ar and text[max(0, s - 1):s] != "$":
            value, unit, end, noun = _dec(g_ar), "count", e + 7, "deals"  # 'six billion-dollar IPOs': six deals
        if g_ew and unit is None and value >= 2:
            if partitive(text, e):
                unit = "count"  # 'three of the five companies': a count of part of a whole
            elif (m_end := modified_count(text, e)) is not None:
                unit, end = "count", m_end  # 'Two Chinese companies': a count with its modifiers
            elif bracket_listed(text, e, value) is not None:
                unit = "count"  # 'four (RLX, BEKE, ARRY, BMBL)': the list names as many as the word counts
        if g_ew and unit not in _DURATIONS + ("pct", "x") and not (
                unit in ("count", "shares") and value >= 2 and not _REFERS_BACK.search(text, max(0, s - 7), s)):
            continue  # 'one of', 'the two banks': a word, unless it measures time, %, x, a count or shares
        if unit == "years" and (value >= 1000 or text[end:end + 1].isdigit()):
            continue  # 2025年 is a calendar year (dates.py), 25年3月 a date
        left = _left(text, s)
        qword = cword = None
        start = s
        if left and (left["q"] or left["c"]):  # spaces alone are not part of the figure
            qword, cword = left["q"], left["c"]
            start = s - len(left.group(0))
            c_at = s - len(left.string) + left.start("c") if cword else 0
            if cword == "$" and c_at > 0 and text[c_at - 1].isascii() and text[c_at - 1].isalpha():
                qword, cword, start = None, None, s  # S$, A$, C$: a dollar the lexicon does not know, not the US one
            elif qword and qword.lower() == "up to" and _AFTER_FIGURE.search(text, max(0, start - 12), start):
                # '15 percent up to $23': the rise of the figure before, to this one; no bound on this one
                qword, start = None, c_at if cword else s
        qualifier = "exact"
        value_high = None
        if qword == "数":  # 数百亿 = a few hundred 亿: between 1x and 10x the scale
            if g_ar:
                start = s
            elif negated(text, start):
                continue  # '没有数百亿美元的项目': a vague amount that is denied states no figure
            else:
                qualifier, value_high = "range", value * 10
        elif qword in _SCALE_ONLY and not (g_bare or g_cn and g_cn[0] in "十百千"):
            qword = None  # 上/过 qualify only a scale with no digit (上亿, 过万, 上千); elsewhere a verb or a noun
            start = s - len(left.group(0)) + len(left.group(0).split("上", 1)[0]) + 1 if not cword else start
            if not cword:
                start = s
        elif qword:
            qualifier = _QUAL.get(qword.lower(), "exact")
        for word in (q2, q3, g_yu or g_yc):
            if word and word in _QUAL:
                qualifier = _QUAL[word] if _QUAL[word] != "exact" else qualifier
        currency = None
        if cword:
            currency = _CURRENCY_PREFIX[cword.lower()]
            if cword == "$" and _CJK_BEFORE.search(text, max(0, c_at - 12), c_at):
                currency = "money"  # '海豐$4.78': a dollar sign in Chinese text is the local dollar (the outlet's)
            if unit in (None, "money", "count"):  # '$5bn deals': money, whatever it counts
                unit = currency
            per_share = per_share or (cword.lower() in ("hk$", "us$", "nt$", "$", "£") and value < 10**4)
        bare = unit == "money"
        if g_cn and g_cn == "一" and unit == "count":
            continue  # 一家 / 一个: an article, not a count
        if g_cn and unit == "count" and value < 100 and noun not in _CN_COUNTED and qualifier == "exact" and (
                noun not in _CN_COUNTED_FROM_TEN or value < 10) and not named_count(text, start, end):
            continue  # 三家/五个条件/这两家: Chinese-numeral counts are narrative (只 counts stocks: 两只新股); 十余家 is not
        sign_from = None
        if g_ar and start == s and s and text[s - 1] in _MINUS and not (
                s > 1 and _NOT_BEFORE_MINUS.match(text[s - 2])):
            value, sign_from, start = -value, "-", s - 1
        elif unit in ("pct", "pp") or (unit in MONEY or unit == "money") and value > 0:
            fall = fall_before(text, start, unit, end)
            if fall:
                value, sign_from = -value, fall
        resolution = None
        if g_ar:
            digits = _digits(g_ar)
            dec = len(digits.split(".")[1]) if "." in digits else 0
            sa = _scale_word(m)
            resolution = 0.5 * 10 ** -dec * (_SCALES[sa] if sa else 10**6 if million else 1) / (100 if hundredths else 1)
        elif g_mx:  # 1亿2000万: written to the 万 (1亿2千万: to the 千万)
            resolution = 0.5 * parse_mixed(_digits(g_mx))[1]
        found.append(new_quantity(
            value=_to_float(value), unit=unit, qualifier=qualifier, resolution=resolution,
            value_high=None if value_high is None else _to_float(value_high),
            start=start, end=end, raw=text[start:end], bare_yuan=bare, per_share=per_share, noun=noun,
            sign_from=sign_from))
    found.sort(key=lambda q: (q.start, -q.end))
    return settle(text, found)


def parse_number(text: str) -> Quantity:
    """The single number expression that makes up ``text`` (normalised first): '1.38萬億港元' -> 1.38e12 HKD."""
    from .text import normalise

    norm = normalise(text.strip()).text
    qs = [q for q in scan_numbers(norm)]
    if not qs:
        raise NumberParseError(f"no number in {text!r}")
    best = max(qs, key=lambda q: q.end - q.start)
    if best.bare_yuan:
        best = replace(best, unit="money")
    return best
