"""The faster forms of the scanner's steps give the answers of the plain forms they replace, on generated text:
folding, the alphanumeric projection of the gazetteer, clause breaks, the qualifier/currency look-back of a number and
the per-character NFKC map (each reference is written here the plain way)."""
import re
import unicodedata

from hypothesis import given, settings, strategies as st

from ipolens.news import claim_context, cue_filter, gazetteer, scan_left, text as news_text

_CASES = st.text(alphabet="aBzZkK\u212a\u017f\u0130\u0131\u03a3\u03c3\u00e9\u00c9中文,，;:：；1 9_\n-$约逾HK", max_size=60)


@settings(max_examples=400, deadline=None)
@given(_CASES | st.text(max_size=60))
def test_fold_equals_the_translation_table(text):
    assert cue_filter.fold(text) == text.translate(cue_filter._fold_table())


def _project_plain(text):
    """Lower-cased alphanumeric runs, each lowered on its own, and each projected character's offset in ``text``."""
    chars, offsets = [], []
    for m in re.finditer(r"[^\W_]+", text):
        low = m[0].lower()
        if len(low) != len(m[0]):
            low = "".join(ch.lower()[:1] for ch in m[0])
        chars.append(low)
        offsets.extend(range(m.start(), m.start() + len(low)))
    return "".join(chars), offsets


@settings(max_examples=400, deadline=None)
@given(_CASES | st.text(max_size=60))
def test_projection_equals_the_plain_walk(text):
    proj, runs = gazetteer._project(text)
    want, offsets = _project_plain(text)
    assert proj == want
    assert len(runs) == len(want)
    assert [runs.at(i) for i in range(len(proj))] == offsets


_OLD_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:，；：]")


@settings(max_examples=400, deadline=None)
@given(_CASES)
def test_clause_breaks_equal_the_plain_pattern(text):
    assert [m.start() for m in claim_context._CLAUSE_BREAK.finditer(text)] == \
        [m.start() for m in _OLD_CLAUSE_BREAK.finditer(text)]


_LEFT_WORDS = sorted({*scan_left._ALL_BEFORE, *scan_left._ALL_PREFIX})


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LEFT_WORDS) | st.sampled_from([" ", "\u3000", "\n", "中", "x", "5", "S", "AS"])
                | st.text(max_size=3), max_size=8).map("".join))
def test_left_context_equals_the_plain_search(window):
    def sig(m):
        return None if m is None else (m.start(), m.end(), m["q"], m["c"])

    assert sig(scan_left._LEFT_AT.search(window)) == sig(scan_left._LEFT.search(window))


def test_left_context_first_characters_cover_every_case_form():
    """Every character that matches the first letter of a left-context word case-insensitively is a start."""
    bmp = "".join(map(chr, range(0x20, 0xD800)))
    for w in _LEFT_WORDS:
        forms = set(re.findall(re.escape(w[0]), bmp, re.I))
        assert forms <= scan_left._LEFT_FIRST, w


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a１，㈱½ﬁ中國\U0001d400\U0001f600e\u0301\nⅫｶﾞ臺", max_size=40) | st.text(max_size=40))
def test_normalised_text_is_the_per_character_nfkc(text):
    norm = news_text.normalise(text)
    nfkc = "".join(unicodedata.normalize("NFKC", ch) for ch in text)
    assert len(norm.text) == len(nfkc)
    simplified = news_text.to_simplified(nfkc)
    if len(simplified) == len(nfkc):  # (else the line-by-line fallback of normalise applies)
        assert norm.text == simplified
    assert list(norm.origin) == [i for i, ch in enumerate(text) for _ in unicodedata.normalize("NFKC", ch)] + [len(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30) | st.lists(st.sampled_from(["港元", "%", " million", "-day", " per share", "余", "多", "以上",
                                                          "股", "股东", " new H shares", "\u212a", "ſ", "亿", "a", " "]),
                                         max_size=4).map("".join))
def test_unit_words_after_a_number_start_with_an_admitted_character(after):
    """Where the character after a number is not admitted, the unit pattern matches nothing there."""
    from ipolens.news import numbers

    starts = numbers._RIGHT_STARTS
    assert starts is not None
    m = numbers._RIGHT.match(after)
    if not after or not starts.admits(after[0]):
        assert m[0] == ""
