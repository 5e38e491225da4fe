"""Fixed phrases that state a number without digits: 翻倍 (2x), 过半 (over 50%), 第一大股东 (rank 1), 'sixfold',
'the seventh largest', and the English multiples and fractions of lexicon/numbers.yaml ('twice', 'doubled',
'two-thirds of'). Each entry is (pattern, the quantity's fields); numbers.scan_numbers reads them first."""
from __future__ import annotations

import re

from .number_patterns import _EN_WORDS, _LEX

__all__ = ["IDIOMS"]


_EN_QUALIFIERS = "|".join(sorted((w for w in _LEX["qualifiers_before"]["en"]), key=len, reverse=True))
_NOT_A_SHARE = r"(?<!first )(?<!second )(?<!other )(?<!latter )(?<!the )"


def _word_table(table: dict, unit: str, after: str = "") -> list[tuple[re.Pattern, dict]]:
    """One pattern per value: the words of the table that state it (whole words, any case), with an optional
    qualifier before them (group q: 'more than', 'nearly')."""
    by_value: dict = {}
    for word, value in table.items():
        by_value.setdefault(value, []).append(word)
    guard = _NOT_A_SHARE if unit == "pct" else ""
    return [(re.compile(rf"(?:\b(?P<q>{_EN_QUALIFIERS})\s)?{guard}\b"
                        rf"(?:{'|'.join(re.escape(w) for w in sorted(ws, key=len, reverse=True))}){after}", re.I),
             dict(value=v, unit=unit, needs=tuple({w.split()[-1].split('-')[-1].lower()[:4] for w in ws})))
            for v, ws in by_value.items()]


# the superlatives an ordinal ranks by ('the third-busiest year', 'second-best debut'), lexicon/numbers.yaml
_SUPERLATIVES = "|".join(sorted(_LEX["rank_superlatives"]["en"], key=len, reverse=True))
IDIOMS: list[tuple[re.Pattern, dict]] = [
    (re.compile(r"翻倍有余|翻番有余"), dict(value=2, unit="x", qualifier="more_than")),
    # 'sixfold', 'a tenfold rise' ('six-fold' is a number word and a unit)
    (re.compile(rf"\b({'|'.join(w for w in _EN_WORDS if w not in ('zero', 'one'))})fold\b", re.I),
     dict(unit="x", needs=("fold",))),
    (re.compile(r"翻(?:一)?倍|翻(?:一)?番|双倍|两倍"), dict(value=2, unit="x")),
    (re.compile(r"减半"), dict(value=0.5, unit="x", qualifier="about")),
    (re.compile(r"(?:半数|过半数)以上|过半|逾半|超半"), dict(value=50, unit="pct", qualifier="more_than")),
    (re.compile(r"首只|首个|首家|第一名"), dict(value=1, unit="rank")),
    (re.compile(r"零(?=误差|故障|失误|破发|败绩)"), dict(value=0, unit="count")),
    # 零折扣, 零折让: a price set at no discount (or premium) to a reference, 0%
    (re.compile(r"(?<![\d一二三四五六七八九十百千万亿])零(?=折扣|折让|溢价|折价)"), dict(value=0, unit="pct")),
    (re.compile(r"第([二三四五六七八九])(?:、[二三四五六七八九])+名"), dict(unit="rank", qualifier="range")),
    # ranks: 第一大股东, 位居全球第一, 排名第3, 第四家 (as 首家: the nth company to do it); 'the seventh largest',
    # "the world's #2"
    (re.compile(r"第([一二三四五六七八九十]{1,3}|[1-9]\d{0,2})(?=大(?!幅|量|概|约|部)|名|位(?!数|于)|家)|"
                r"(?<=位居|排名|排行|位列)[^,。;]{0,6}?第([一二三四五六七八九十]{1,3}|[1-9]\d{0,2})"), dict(unit="rank")),
    (re.compile(r"(?=[fstenFSTEN#])(?:(?<!in the )\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
                rf"(?=[- ](?:{_SUPERLATIVES})\b|[- ](?:place|spot)\b)|(?<![\w&])#([1-9]\d{{0,2}})(?!\d))", re.I),
     dict(unit="rank", needs=("est", "worst", "place", "spot", "#"))),
    # 'the No. 3 Asian battery maker', "the world's No. 1": a rank (after the or a possessive: 'Rule No. 5' is a name)
    (re.compile(r"(?:(?<=the )|(?<='s )|(?<=’s ))No\.\s?([1-9]\d?)(?![\d.,])"), dict(unit="rank", needs=("no.",))),
    # 三大交易场, 四大行, 十大股东: 'the N big ...' counts them (一大批 is 'a large batch'; 第三大 a rank,
    # above; 前五大客户 'the top five', a group)
    (re.compile(r"(?<![\d一二三四五六七八九十百千万第前])([两二三四五六七八九十])大(?![幅量概约部多都家小批笔涨跌增减])"
                r"(?=[\u4e00-\u9fff])"), dict(unit="count")),
    (re.compile(r"(?<![A-Za-z0-9])18[AC](?=特专|章|规则|公司)"), dict(unit="text")),
]
# 'twice the shares on offer', 'demand more than doubled', 'two-thirds of the proceeds' (lexicon/numbers.yaml)
IDIOMS += _word_table(_LEX["multiple_words"]["en"], "x", r"(?![\w-])")
IDIOMS += _word_table(_LEX["fraction_words"]["en"], "pct", r"(?=\s(?:of|the)\b)")
