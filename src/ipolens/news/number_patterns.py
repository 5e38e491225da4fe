"""The number patterns of the scanner: the word tables of lexicon/numbers.yaml and the regexes of a number core
(Arabic digits with separators, Chinese numerals, bare scales, English number words)."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("lexicon") / "numbers.yaml"


def _lexicon() -> dict:
    """The word tables of lexicon/numbers.yaml (read once, at import)."""
    import yaml

    with open(LEXICON_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 约为 is tried before 约)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Thousands grouped by commas, or by single spaces (also no-break and narrow no-break) in regular groups of three:
# '1 241 000 000' is one number, '2024 12' and '第1 2' are not.
_GROUP_SPACE = "[ \u00a0\u202f]"
# Digits spread by single spaces ('2 0 2 . 5港元', left by aggregators): one digit per token, at least two tokens.
_SPREAD = r"(?<![\d.])\d(?:(?: \d)+(?: ?\. ?\d(?: \d)*)?| \. \d(?: \d)*)(?![\d])"
_ARABIC = (rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<!\d{_GROUP_SPACE})\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?!\d|[.,]\d|{_GROUP_SPACE}\d)"
           r"|(?<=[\u4e00-\u9fff$])\d+\.\n(?=\d+[%\u4e00-\u9fff])\d+|\d+(?:\.\d+)?")
# ('涨0.\n30港元': a decimal a line break split, inside Chinese text and with a unit or % after its second half; a
# list number '1.' opens its line, and a sentence-final '5.' before a figure is English)
_CN_DIGITS = "零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_CN_SMALL = "十百千拾佰仟"
# a Chinese numeral: a digit or small unit, then digits and units of any order (cn_numerals checks the grammar)
_CN = rf"[{_CN_DIGITS}{_CN_SMALL}](?:[{_CN_DIGITS}{_CN_SMALL}]|[万亿萬億](?=[{_CN_DIGITS}{_CN_SMALL}万亿萬億]))*(?:[点點][{_CN_DIGITS}]+)?"
_SCALE_AR = (r"\s?(?:万亿|亿|万|百万)|千万|十万|[千仟](?![克米瓦])|[\s-]?(?:trillion|billion|million|thousand)(?![A-Za-z])"
             r"|\s?(?:bn|mn|bln|mln|trln)(?![A-Za-z])")
# ('81.2 百万港元': a space before a scale, as PDF-extracted filings print it; 千万 also means 'by all means')
# Beyond this a digit run is an identifier or noise, not a figure (and would not fit a float): it is not read.
MAX_FIGURE = Decimal(10) ** 24
_MAX_DIGITS = 30
# English number words, read only when a unit word follows ('two years', 'one-day', 'three times')
_EN_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
# '5000余万' / '300多万': an open range above 5000万, the 余 sits between the digits and the scale
_YU = r"(?P<yu>余|多)(?=万|亿|千万|百万)"
_CORE = re.compile(
    # 1亿2000万, 3万2千: one number with Arabic parts, not 1亿 and 2000万
    rf"(?P<mx>(?:{_ARABIC})亿(?:\d+千?|[{_CN_DIGITS}{_CN_SMALL}]+)万|\d{{1,4}}万\d千(?![万亿]))"
    rf"|(?P<ar>{_SPREAD}|{_ARABIC})(?:{_YU})?(?P<sa>{_SCALE_AR})?"
    rf"|(?P<cn>{_CN})(?:{_YU.replace('yu', 'yc')})?(?P<sc>万亿|亿|万|萬億|億|萬)?"
    r"|(?<![万亿萬億])(?P<bare>万亿|亿|万)(?![万亿萬億])"  # a bare scale, not a run of them (亿万富翁, 亿亿亿)
    rf"|\b(?P<ew>{'|'.join(_EN_WORDS)})\b", re.I)

# The scan runs _CORE only where a number can start (a cheap look-ahead on one character lets the regex engine skip
# every other position fast), and finds the English number words in a pass of their own; both give matches with
# the same groups.
_CORE_DIGITS = re.compile(rf"(?=[\d{_CN_DIGITS}{_CN_SMALL}万亿萬億])(?:{_CORE.pattern})", re.I)
_CORE_WORDS = re.compile(rf"(?=[{''.join(sorted({w[0] for w in _EN_WORDS}))}])\b(?P<ew>{'|'.join(_EN_WORDS)})\b"
                         + "".join(f"(?P<{g}>(?!))?" for g in _CORE.groupindex if g != "ew"), re.I)

_SCALES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5, "亿": 10**8, "万": 10**4, "千": 10**3, "仟": 10**3,
           "trillion": 10**12, "billion": 10**9, "million": 10**6, "thousand": 10**3, "bn": 10**9, "mn": 10**6,
           "bln": 10**9, "mln": 10**6, "trln": 10**12}  # wire-service abbreviations ('$6.6 bln', '4 mln shares')

_LEX = _lexicon()

_RANGE_JOIN = re.compile(r"\s?(?:至|到|~|-|–|—|to)\s?")
