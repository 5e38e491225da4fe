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
