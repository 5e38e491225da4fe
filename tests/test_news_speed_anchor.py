"""Anchored scanning finds exactly the matches of a plain ``finditer``: for the date and idiom patterns the scanner
uses, on texts made of their own characters (so matches are dense), and for hand-written patterns whose anchors are
worked out by hand."""
import re

from hypothesis import given, settings, strategies as st

import contextlib

from ipolens.news import dates, numbers, scan_anchor
from ipolens.news.scan_anchor import Anchored, CharPositions

_USED = [a for a, _ in numbers._ANCHORED_IDIOMS] + [numbers._ANCHORED_FRACTION, numbers._ANCHORED_TENTHS] + \
    [a for _, a in dates._ANCHORED]
# the characters the patterns are written with, digits, Chinese numerals, spaces and a few others
_ALPHABET = "".join(sorted({ch for a in _USED for ch in a.pattern.pattern if not ch.isascii() or ch.isalnum()}
                           | set("0123456789 -().,:年月日号HAC18#\n")))
_TEXT = st.text(alphabet=_ALPHABET, max_size=400) | st.lists(
    st.sampled_from(["2025年", "3月5日", "2024-01-05", "今(8)日", "下周一", "周日(28日)", "上半年", "H1", "至", "三成",
                     "两成半", "百分之十五", "第一大", "排名第3", "翻倍", "过半数以上", "twofold", "Sixfold", "the seventh largest",
                     "#2", "18C特专", "June 5, 2025", "5 June", "in 2024", "on Monday", "Ｋ", "ſ", "İ", " ", "a", "9"]),
    max_size=60).map("".join)


def _spans(it):
    return [(m.start(), m.end(), m.groups()) for m in it]


@contextlib.contextmanager
def _always_anchored():
    """Anchors used whatever they cost (the cost model only chooses between two ways to the same answer)."""
    saved = scan_anchor._SCAN_COST, scan_anchor._MAX_FOUND, scan_anchor._MAX_SHARE
    scan_anchor._SCAN_COST = scan_anchor._MAX_FOUND = scan_anchor._MAX_SHARE = 1e9
    try:
        yield
    finally:
        scan_anchor._SCAN_COST, scan_anchor._MAX_FOUND, scan_anchor._MAX_SHARE = saved


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_anchored_matches_equal_finditer_for_every_pattern_used(text):
    with _always_anchored():
        chars = CharPositions(text)
        for a in _USED:
            assert _spans(a.finditer(text, chars)) == _spans(a.pattern.finditer(text)), a.pattern.pattern


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_anchored_matches_equal_finditer_on_arbitrary_text(text):
    chars = CharPositions(text)
    for a in _USED:
        assert _spans(a.finditer(text, chars)) == _spans(a.pattern.finditer(text))


def test_a_long_text_takes_the_anchored_path_and_agrees():
    """Past the sample, the starts come from the anchor characters (not the plain scan), with the same answer."""
    text = ("收入增长,公司于2024年3月5日上市, 市值约三成。" + "无关的文字" * 40) * 200
    a = dict(dates._ANCHORED)["ymd"]
    assert a._starts(text, CharPositions(text)) is not None
    assert _spans(a.finditer(text)) == _spans(a.pattern.finditer(text))
    assert len(_spans(a.finditer(text))) == 200


def test_anchors_read_off_hand_written_patterns():
    # '年' four characters in: the one anchor of a year
    year = Anchored(re.compile(r"(?<!\d)(\d{4})年"))
    run = (frozenset("年"),)
    assert year.anchors == [[((run,), 4, 4)]]
    # a variable prefix gives a range of distances
    md = Anchored(re.compile(r"(\d{1,2})\s?月"))
    assert [(lo, hi) for _, lo, hi in md.anchors[0]] == [(1, 3)]
    # an unbounded prefix and no literal before it: no anchor (searched as usual)
    assert Anchored(re.compile(r"\d+\s*")).anchors is None
    # a branch: every alternative needs its own anchor
    assert Anchored(re.compile(r"今日|\d+")).anchors is None
    assert len(Anchored(re.compile(r"今日|昨天")).anchors) == 2
    # case-insensitive letters are found in every case form the regex engine accepts (the Kelvin sign for k)
    (runs, _, _), = Anchored(re.compile("k", re.I)).anchors[0]
    assert {"k", "K", "\u212a"} <= runs[0][0]
    assert _spans(Anchored(re.compile("k", re.I)).finditer("a\u212ab")) == [(1, 2, ())]
