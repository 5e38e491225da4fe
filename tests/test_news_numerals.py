"""Numbers as people write them: Chinese numerals against an independent formatter (both directions), financial
numerals, mixed Arabic and scale forms, English scales before Chinese currency words, space-grouped thousands, and
digit runs too long to be figures."""
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from ipolens.news.cn_numerals import CnNumeralError, parse_cn
from ipolens.news.numbers import NumberParseError, parse_number, scan_numbers

# --- an independent formatter: int -> Chinese numeral, written from the textbook rules, sharing nothing with the
# parser. Groups of four digits below 万 name 千百十; 万 and 亿 name the groups; one 零 marks any run of skipped places
# between written digits; 10-19 at the very start drop the 一 (十五), elsewhere keep it (一百一十五).
_D = "零一二三四五六七八九"
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _four(g: int, first: bool) -> str:
    """0 < g < 10000; ``first``: nothing is written before this group."""
    out, gap, started = [], False, False
    for place, name in _PLACES:
        d = g // place % 10
        if d == 0:
            gap = started
            continue
        if gap:
            out.append("零")
        out.append(_D[d] + name)
        started, gap = True, False
    s = "".join(out)
    if first and s.startswith("一十"):
        s = s[1:]
    return s


def _below_yi(n: int, first: bool) -> str:
    hi, lo = divmod(n, 10**4)
    if not hi:
        return _four(lo, first)
    s = _four(hi, first) + "万"
    if lo:
        s += ("零" if lo < 1000 else "") + _four(lo, False)
    return s


def fmt(n: int, first: bool = True) -> str:
    if n == 0:
        return "零"
    if n < 10**8:
        return _below_yi(n, first)
    hi, lo = divmod(n, 10**8)
    s = fmt(hi, first) + "亿"
    if lo:
        s += ("零" if lo < 10**7 else "") + _below_yi(lo, False)
    return s


def liang(s: str) -> str:
    """The colloquial 两 for 二 before 千, 百, 万 and 亿 (never in the tens or ones: 十二, 二十)."""
    out = list(s)
    for i, ch in enumerate(s):
        if ch == "二" and i + 1 < len(s) and s[i + 1] in "千百万亿" and (i == 0 or s[i - 1] != "十"):
            out[i] = "两"
    return "".join(out)


_FIN = str.maketrans("一二三四五六七八九十百千万亿", "壹贰叁肆伍陆柒捌玖拾佰仟萬億")


def financial(n: int) -> str:
    """Financial numerals always write the 壹 of 壹拾."""
    s = fmt(n)
    if s.startswith("十"):
        s = "一" + s
    return s.translate(_FIN)


def test_formatter_itself():  # the formatter is checked by hand before it checks anything
    assert fmt(23000) == "二万三千"
    assert fmt(7305000000) == "七十三亿零五百万"
    assert fmt(1005) == "一千零五"
    assert fmt(15) == "十五"
    assert fmt(115) == "一百一十五"
    assert fmt(200000) == "二十万"
    assert fmt(10**12) == "一万亿"
    assert fmt(100010) == "十万零一十"
    assert liang(fmt(2222)) == "两千两百二十二"
    assert financial(123) == "壹佰贰拾叁"


@pytest.mark.parametrize("text,value", [
    ("两万三千", 23000), ("七十三亿零五百万", 7305000000), ("一千零五", 1005), ("十五", 15), ("二十万", 200000),
    ("壹佰贰拾叁", 123), ("兩萬三千", 23000), ("贰億", 2 * 10**8), ("三点五", Decimal("3.5")),
    ("十二点五亿", 1250000000), ("二〇二五", 2025), ("〇", 0), ("零点五", Decimal("0.5")),
    ("两万三", 23000), ("一百二", 120), ("三千五", 3500), ("一亿五", 150000000), ("百亿", 10**10),
    ("一万零五", 10005), ("3万2千", 32000), ("1.2万亿", 1200000000000), ("12.5亿", 1250000000),
    ("3,000万", 30000000), ("1亿2000万", 120000000), ("1亿2千万", 120000000),
])
def test_parse_cn_examples(text, value):
    assert parse_cn(text) == Decimal(value)


@pytest.mark.parametrize("text", ["十十", "二十三四", "万", "亿五", "一百零", "千百", "一千零零五", "一万万", "1.5万2千", "点五"])
def test_parse_cn_refuses(text):
    with pytest.raises(CnNumeralError):
        parse_cn(text)


numbers = st.one_of(st.integers(0, 10**16), st.integers(0, 10**5), st.integers(10**7, 10**9))


@given(numbers)
@settings(max_examples=500, deadline=None)
def test_round_trip_plain_and_liang(n):
    assert parse_cn(fmt(n)) == n
    assert parse_cn(liang(fmt(n))) == n
    assert parse_cn(financial(n)) == n


@given(st.integers(1, 10**15))
@settings(max_examples=200, deadline=None)
def test_round_trip_through_the_scanner(n):
    """In running text, with a unit, after normalisation (traditional 萬 億 兩 included)."""
    for text in (liang(fmt(n)) + "元", financial(n) + "元", liang(fmt(n)).replace("万", "萬").replace("亿", "億")
                 .replace("两", "兩") + "元"):
        q = parse_number(text)
        assert q.value == pytest.approx(n, rel=1e-12), text
        assert (q.start, q.end) == (0, len(text))


def _canon(s: str) -> str:
    """Spelling differences the parser accepts: variant characters, 零 placement, a leading 一 before 十/百/千."""
    s = s.translate(str.maketrans("两兩〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億", "二二零一二二三三四五六六七八九十百千万亿"))
    s = s.replace("零", "")
    return s[1:] if s[:2] in ("一十", "一百", "一千") else s  # 十五, 百亿, 千亿


_ALPHABET = list("零〇一二两三四五六七八九十百千万亿壹贰拾佰仟萬億")


@given(st.lists(st.sampled_from(_ALPHABET), min_size=1, max_size=10).map("".join))
@settings(max_examples=3000, deadline=None)
def test_what_the_parser_accepts_is_what_the_formatter_writes(s):
    """The other direction: any string the parser accepts is a numeral the formatter writes for its value (up to the
    spellings of ``_canon``), and the nonzero digits read left to right are those of the value."""
    try:
        v = parse_cn(s)
    except CnNumeralError:
        return
    assert v == v.to_integral_value() and v >= 0
    n = int(v)
    assert parse_cn(fmt(n)) == n
    c = _canon(s)
    written = [ch for ch in c if ch in _D[1:]]
    if c and c[0] in "十百千":
        written.insert(0, "一")
    assert written == [_D[int(ch)] for ch in str(n) if ch != "0"], (s, n)
    mapped = s.translate(str.maketrans("两兩〇壹贰貳叁參肆伍陆陸柒捌玖", "二二零一二二三三四五六六七八九"))
    digit_string = len(mapped) >= 2 and all(ch in _D for ch in mapped)
    elided = len(c) >= 2 and c[-1] in _D[1:] and c[-2] in "百千万亿"
    if not digit_string and not elided:
        assert c == _canon(fmt(n)), (s, n)


@pytest.mark.parametrize("text,value,unit", [
    ("61 million港元", 61_000_000, "HKD"), ("HK$1.2 billion", 1_200_000_000, "HKD"),
    ("1 241 000 000 shares", 1_241_000_000, "shares"), ("1\u00a0241\u00a0000 shares", 1_241_000, "shares"),
    ("1\u202f241\u202f000\u202f000 shares", 1_241_000_000, "shares"), ("两万三千人", 23000, "count"),
    ("七十三亿零五百万元", 7_305_000_000, "money"), ("壹佰贰拾叁元", 123, "money"), ("3万2千元", 32000, "money"),
    ("1.2万亿元", 1.2e12, "money"), ("12.5亿港元", 1.25e9, "HKD"), ("3,000万美元", 3e7, "USD"),
])
def test_parse_number_forms(text, value, unit):
    q = parse_number(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit


def test_space_groups_do_not_glue_unrelated_numbers():
    assert [q.value for q in scan_numbers("2024 12")] == [2024, 12]
    assert [q.value for q in scan_numbers("编号1 23 456")] == [1, 23, 456]  # groups of 2 and 3: not thousands
    assert 12 not in [q.value for q in scan_numbers("第1 2")]  # an ordinal stays out, and 1 2 is not 12


def test_resolution_of_mixed_forms():
    assert parse_number("1亿2000万元").resolution == pytest.approx(5000)
    assert parse_number("3万2千元").resolution == pytest.approx(500)


def test_digit_runs_too_long_to_be_figures():
    """Policy: a digit run of more than 30 digits, or a value of 10**24 or more, is not a figure (an identifier or
    noise); it gives no quantity, never inf, and never crashes (Python's int-string limit, Decimal's exponent)."""
    assert scan_numbers("9" * 200_000 + "元") == []
    assert scan_numbers("1" * 1_000_000 + "万亿元") == []
    assert scan_numbers("一" * 100_000 + "万亿元") == []
    assert scan_numbers("一" + "亿" * 100_000 + "元") == []  # no recursion through 100,000 scales
    assert scan_numbers("十" * 100_000 + "元") == []
    with pytest.raises(NumberParseError):
        parse_number("9" * 200_000 + "港元")
    assert parse_number("999999999999999999999999元").value == pytest.approx(1e24 - 1)


def test_json_never_prints_infinity(tmp_path):
    import json

    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    text = "市值为" + "9" * 200_000 + "港元,另有" + "1" * 1000 + "万亿元。募资12亿港元。"
    claims = extract_claims(article_from_text(text))
    out = json.dumps([c.to_json() for c in claims], allow_nan=False)  # raises on inf or nan
    assert "12" in out
    assert all(c.value is None or math.isfinite(c.value) for c in claims)


def _lexicon():
    import yaml

    from ipolens.news.numbers import LEXICON_PATH

    with open(LEXICON_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_LEX = _lexicon()


@pytest.mark.parametrize("word,unit", sorted(_LEX["units"]["zh-Hans"].items()))
def test_each_chinese_unit_word(word, unit):
    n = 1200 if unit == "points" else 12  # '12点' is noon: an index level in points is read from 25 on
    q = parse_number(f"{n}{word}")
    assert (q.value, q.unit if unit != "money" else "money") == (n, unit)


@pytest.mark.parametrize("word,unit", sorted(_LEX["units"]["en"].items()))
def test_each_english_unit_word(word, unit):
    q = parse_number("12 " + word)
    assert (q.value, q.unit) == (12, unit)


@pytest.mark.parametrize("word,qualifier", sorted((w, q) for lang in _LEX["qualifiers_before"].values()
                                                   for w, q in lang.items() if w not in ("数", "數", "上", "过")))
def test_each_qualifier_before(word, qualifier):
    from ipolens.news.text import normalise

    # a zh-Hant form is read as the reader reads it: after normalisation to its Simplified spelling
    sep = " " if word.isascii() else ""
    q = parse_number(normalise(f"{word}{sep}12.5港元").text)
    assert (q.value, q.unit, q.qualifier) == (12.5, "HKD", qualifier)


@pytest.mark.parametrize("word,currency", sorted((w, c) for g in _LEX["currency_prefixes"].values()
                                                  for w, c in g.items()))
def test_each_currency_prefix(word, currency):
    from ipolens.news.text import normalise

    q = parse_number(normalise(f"{word}12.5").text)  # zh-Hant forms as the reader sees them, normalised
    assert (q.value, q.unit) == (12.5, currency)


@pytest.mark.parametrize("word,qualifier", sorted(_LEX["qualifiers_after_unit"].items()))
def test_each_qualifier_after_unit(word, qualifier):
    q = parse_number(f"12.5亿元{word}")
    assert q.value == 1.25e9
    assert q.qualifier == (qualifier if qualifier != "exact" else "exact")
