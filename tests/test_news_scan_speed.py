"""The speed rewrites of the news scanners find exactly what the plain patterns they replace find (a reference copy
of each old pattern lives here), on random text built from the characters and words the patterns react to."""
import re

from hypothesis import example, given, settings, strategies as st

from ipolens.news import gazetteer_local

# the listing-code pattern before the look-behind was added (it rescanned a run of spaces from each of its positions)
_OLD_LISTING = re.compile(r"\s*[(（]\s*(?:(?:NASDAQ|NYSE|HKEX|SEHK|SSE|SZSE|港交所|股份代[號号]|代[碼码]|股票代[碼码])"
                          r"\s*[:：]?\s*)?\d{4,6}(?:\.(?:HK|SH|SZ|SS))?\s*[)）]"
                          r"|\s*[(（]\s*(?:NASDAQ|NYSE|HKEX|SEHK)\s*[:：]\s*[A-Z]{1,5}\s*[)）]")

_LISTING_PIECES = st.one_of(
    st.text(alphabet=" \n\t\u3000()（）:：.0123456789AHKSZ", max_size=12),
    st.sampled_from(["(", "（", ")", "）", " ", "  ", "\n", "NASDAQ", "NYSE", "HKEX", "港交所", "股份代號", ": ", "：",
                     "0700", "06078", ".HK", ".SH", "CRCL", "Hygeia Healthcare", "Tencent "]),
)


@given(st.lists(_LISTING_PIECES, max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
@example("Hygeia Healthcare (6078.HK)")
@example("   (NASDAQ: CRCL) x  （股份代號：0700）")
@example(" " * 50 + "(0700.HK)")
def test_listing_codes_as_the_plain_pattern_finds_them(text):
    old = [m.span() for m in _OLD_LISTING.finditer(text)]
    new = [m.span() for m in gazetteer_local._LISTING.finditer(text)]
    assert new == old
    tried = [(m.span(), m.groups()) for m in gazetteer_local._listings(text)]  # only where a bracket is
    assert tried == [(m.span(), m.groups()) for m in _OLD_LISTING.finditer(text)]


def test_listing_match_opens_where_the_spaces_before_the_bracket_open():
    text = "Name" + " " * 7 + "(0700.HK)"
    assert [m.span() for m in gazetteer_local._LISTING.finditer(text)] == [(4, len(text))]


# --- scan_anchor: a run of literal characters looked for whole in the case-folded text --------------------------

from ipolens.news import numbers, scan_anchor  # noqa: E402
from ipolens.news.number_patterns import _LEX  # noqa: E402
from ipolens.news.scan_anchor import Anchored, CharPositions  # noqa: E402

_WORDS = sorted({*_LEX["multiple_words"]["en"], *_LEX["fraction_words"]["en"], *_LEX["qualifiers_before"]["en"]})


def _cased(word: str, flips: int) -> str:
    """``word`` with some letters in the other case, and a k or s written as the Kelvin sign or the long s (both
    match k / s under IGNORECASE)."""
    out = []
    for i, ch in enumerate(word):
        bit = flips >> (i % 16) & 1
        if ch == "k" and bit:
            out.append("\u212a")
        elif ch == "s" and bit and i % 3 == 0:
            out.append("\u017f")
        else:
            out.append(ch.swapcase() if bit else ch)
    return "".join(out)


_WORD_TEXT = st.lists(st.one_of(
    st.builds(_cased, st.sampled_from(_WORDS), st.integers(0, 2**16 - 1)),
    st.sampled_from([" ", "  ", "-", " of ", " the ", "first ", "a", "x", "\n", "9", "%", "shares"]),
), max_size=40).map("".join)

_IDIOMS = [a for a, _ in numbers._ANCHORED_IDIOMS]


@settings(max_examples=400, deadline=None)
@given(_WORD_TEXT)
def test_word_anchored_idioms_match_as_finditer(text):
    saved = scan_anchor._SCAN_COST, scan_anchor._MAX_FOUND, scan_anchor._MAX_SHARE
    scan_anchor._SCAN_COST = scan_anchor._MAX_FOUND = scan_anchor._MAX_SHARE = 1e9  # the anchored path, always
    try:
        chars = CharPositions(text)
        for a in _IDIOMS:
            got = [(m.span(), m.groups()) for m in a.finditer(text, chars)]
            assert got == [(m.span(), m.groups()) for m in a.pattern.finditer(text)], a.pattern.pattern
    finally:
        scan_anchor._SCAN_COST, scan_anchor._MAX_FOUND, scan_anchor._MAX_SHARE = saved


def test_a_run_is_looked_for_whole_only_when_every_writing_folds_to_one_word():
    fs = frozenset
    assert scan_anchor._word((fs("tT"), fs("wW"), fs("iI"))) == "twi"
    assert scan_anchor._word((fs("K"), fs("g"), fs("#"))) == "kg#"  # case-sensitive K: found as k, checked after
    assert scan_anchor._word((fs("tT"), fs("wW"))) is None  # too short to be rare
    assert scan_anchor._word((fs("ab"), fs("c"), fs("d"))) is None  # a or b: two words


def test_on_a_long_english_text_the_word_run_gives_the_starts():
    """'twice' in a text where its first letter is everywhere: the starts come from the word (a plain scan of the
    pattern was the only way before), and they agree with finditer."""
    text = ("The total rose to twice the level, and the offer was more than twice covered. " + "tttt " * 400) * 100
    pat = next(a for a, spec in numbers._ANCHORED_IDIOMS if spec.get("value") == 2 and "doub" in spec.get("needs", ()))
    chars = CharPositions(text)
    starts = pat._starts(text, chars)
    assert starts is not None
    got = [m.span() for m in pat.finditer(text, chars)]
    assert got == [m.span() for m in pat.pattern.finditer(text)]
    assert len(got) == 200


# --- regex_ends and number_signs: the searches before a figure are skipped only where they cannot match -----------

from ipolens.news import number_signs  # noqa: E402
from ipolens.news.regex_ends import Ends, may_end_at_end, possible_ends  # noqa: E402


def test_possible_ends_read_by_hand():
    assert possible_ends(re.compile(r"(?:跌|降)\s?$")) == Ends(frozenset("跌降"), True)
    assert possible_ends(re.compile(r"ab(?:c|d)?$")) == Ends(frozenset("bcd"), False)
    assert possible_ends(re.compile(r"x(?:or|\()$", re.I)) == Ends(frozenset("rR("), False)
    assert possible_ends(re.compile(r"a[^b]$")) is None  # a negated set: any character
    assert possible_ends(re.compile(r"a?$")) is None  # may match empty


def test_may_end_at_end_reads_the_place_before_a_final_newline_too():
    ends = Ends(frozenset("跌"), False)
    assert may_end_at_end("股价下跌", ends)
    assert may_end_at_end("股价下跌\n", ends)  # '$' also matches before a final newline
    assert not may_end_at_end("股价下跌 ", ends)
    assert not may_end_at_end("", ends)
    assert may_end_at_end("anything", None)


_SIGN_PIECES = st.one_of(
    st.sampled_from(["跌", "下跌", "跌幅", "扩大至", "较招股价", "低", "最低", "了", "为", "分别为", "或", ", or", " or", "(",
                     "fell", "FELL", "dropped", "down", "drop of", "by", "lower", " ", "\n", "0.54元", "HK$0.5",
                     "涨", "收报", "rose", "to", "\u212a", "\u017f", "3", "."]),
    st.text(max_size=4),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_SIGN_PIECES, max_size=14).map("".join))
@example("跌0.54元或")
@example("down HK$0.5, or ")
@example("fell \n")
def test_sign_searches_equal_the_plain_searches(lead):
    for window in (lead, lead[-20:]):
        assert _same(number_signs._negative(window), number_signs.NEGATIVE.search(window))
        assert _same(number_signs._change_or(window), number_signs._CHANGE_OR.search(window))


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span()
                                         and a.groups() == b.groups())
