"""The words around a figure: units after it (currencies, shares, counters, English units), qualifiers, currency
marks and minus signs before it, and the clock words that tell an index level from a time.

Apart from numbers.py because this is vocabulary built from lexicon/numbers.yaml, not the scan itself; the scan
matches _RIGHT after each number and names the unit with _unit_of.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .number_patterns import _LEX, _alternation
from .scan_anchor import possible_starts
from .scan_left import _ALL_BEFORE, _ALL_PREFIX

# hundredths of a currency ('61.5 cents', '12港仙'): read as the unit '/100 <currency>', then divided (scan_numbers)
_SUBUNITS = {w: f"/100 {u}" for lang in _LEX["subunits"].values() for w, u in lang.items()}
_UNIT_WORDS = tuple((w, u) for lang in ("zh-Hans", "zh-Hant") for w, u in _LEX["units"][lang].items()) + tuple(
    (w, u) for w, u in _SUBUNITS.items() if not w.isascii())

_UNIT_OF: dict[str, str] = {}
for _w, _u in _UNIT_WORDS:
    _UNIT_OF.setdefault(_w, _u)  # the first entry of a word wins, as in a walk over _UNIT_WORDS

_SHARES = _LEX["shares"]
_SHARE_WORDS = {c["word"] for c in _SHARES}
_COUNTER_WORDS = _LEX["counters"]
_ZH_UNIT_RE = sorted([re.escape(w) for w, _ in _UNIT_WORDS]
                     + [re.escape(c["word"]) + (f"(?![{c['not_before']}])" if c.get("not_before") else "")
                        for c in [*_SHARES, *_COUNTER_WORDS]], key=lambda x: -len(x.split("(?!")[0]))

# '64 million new H shares', '3 million Class A ordinary shares', '200 million available shares': a share count with
# its class, kind or state between
_SHARE_CLASS = (r"\s?(?:(?:new|ordinary|common|existing|additional|primary|secondary|available|outstanding|issued"
                r"|offered|unsold|class\s(?-i:[A-Z])|(?-i:[AHBN]))\s){1,3}shares\b"
                # 'a 75 million share offering', 'an 8 million-share sale': a count naming the deal
                r"|[\s-]?share(?=[\s-](?:public\s|initial\s|secondary\s)?(?:offering|sale|issue|placement|placing)\b)")

_RIGHT = re.compile(
    rf"(?P<q2>{_alternation(_LEX['qualifiers_after_number'])})?\s?"
    rf"(?P<u>{'|'.join(_ZH_UNIT_RE)}"
    rf"|{_SHARE_CLASS}"
    rf"|[\s-]?(?:{_alternation([*_LEX['units']['en'], *_LEX['subunits']['en']])})(?![A-Za-z]))?"
    r"(?P<ps>/股|每股| per share)?"
    rf"(?P<q3>{_alternation(_LEX['qualifiers_after_unit'])})?", re.I)

_RIGHT_STARTS = possible_starts(_RIGHT)  # None: any character may start it
_ENGLISH_UNITS = {w.lower(): u for w, u in [*_LEX["units"]["en"].items(), *_LEX["subunits"]["en"].items()]} | {
    w: _SUBUNITS[w] for w in _LEX["subunits"]["en"]}

_COUNTERS = {c["word"] for c in _COUNTER_WORDS}
_QUAL = {**{w.lower(): q for w, q in _ALL_BEFORE.items() if w != "数"}, **_LEX["qualifiers_after_number"],
         **_LEX["qualifiers_after_unit"]}


def _unit_of(word: str) -> tuple[str | None, str | None]:
    """(unit, counter noun) for a unit word."""
    w = word.strip().lstrip("-")  # '180-day'
    if w[-7:].lower() == " shares" or w.lower() == "share":  # a share class between; 'a 9 million share sell-down'
        return "shares", None
    unit = _UNIT_OF.get(w)
    if unit is not None:
        return unit, None
    if w in _SHARE_WORDS:
        return "shares", None
    if w in _COUNTERS:
        return "count", w
    return _ENGLISH_UNITS.get(w.lower()), None

# 'ADS21美元': letters glued before a figure that a currency word follows name what is priced, not a model
_MONEY_AFTER = re.compile(r"\s?(?:美元|港元|港币|元)")
_PENCE = re.compile(r"p(?![\w.])")
_CJK_BEFORE = re.compile(r"[\u2e80-\u9fff][^\n]*\Z")  # Chinese text on the line before a dollar sign
_CODES = _alternation(_LEX["currency_prefixes"]["codes"])
_MONEY_BEFORE = re.compile(rf"(?:[$£¥]|(?<![A-Za-z])(?:{_CODES}))\s?\Z")  # searched in a 4-character window
_GLUED_CURRENCY = re.compile(rf"(?<![A-Za-z])(?:{_CODES})$")
# 'leaped161%': a lower-case English word a lost space glued to a percentage (a model name is capitalised: BR100)
_GLUED_WORD = re.compile(r"(?<![A-Za-z])[a-z]{4,}$")
_PCT_AFTER = re.compile(r"%|\s?(?:percent|per cent)\b", re.I)
_CURRENCY_PREFIX = {w.lower(): c for w, c in _ALL_PREFIX.items()}
# a clock word around a figure and 点: '下午3点', '16点30分', '3点半', '9点整' tell the time, not an index level
_CLOCK_BEFORE = re.compile(r"(?:上午|下午|中午|晚上|早上|凌晨|傍晚|今晚|昨晚|早|晚)\s?\Z")
_CLOCK_AFTER = re.compile(r"钟|半|整|\d{1,2}分|[前后]")


def _index_points(text: str, g_ar: str | None, value: Decimal, s: int, end: int) -> bool:
    """'报23999.79点', '涨19.14点': an index level or move. A whole number below 25 or a clock word around it is a
    time of day (下午3点, 12点); a Chinese numeral (三点) is a point of an argument. (English 'points' is no time.)"""
    if not g_ar:
        return False
    if "." not in g_ar and value < 25:
        return False
    return not (_CLOCK_BEFORE.search(text, max(0, s - 3), s) or _CLOCK_AFTER.match(text, end))

# '-20%', '为-3.2亿元': a minus sign, unless it joins a range ('10-12', '0.5%-1%') or a name ('GPT-4')
_MINUS = "-−"
_NOT_BEFORE_MINUS = re.compile(r"[A-Za-z0-9%.)$元万亿倍股个点年月日天港币]")
# 'up to' right after a figure ('15 percent up to $23', 'rose 5 up to') ends that figure's rise: no qualifier
_AFTER_FIGURE = re.compile(r"(?:\d|%|\bper\s?cent|\bpoints?|\bcents?)\s*\Z", re.I)
