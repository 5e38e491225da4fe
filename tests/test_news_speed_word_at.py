"""Where the scanners' anchor words occur: found for every word in one pass over the folded text, the same as a
str.find walk per word (overlaps included), for the words the patterns give and for any other."""
from hypothesis import given, settings, strategies as st

import ipolens.news.dates  # noqa: F401  (its patterns give their words too)
import ipolens.news.numbers  # noqa: F401
from ipolens.news import scan_anchor
from ipolens.news.cue_filter import fold

_KNOWN = sorted({w for w in scan_anchor._WORDS.values() if w is not None} | {"twotwo", "aaa"})


def _plain(folded: str, word: str) -> list[int]:
    out, i = [], folded.find(word)
    while i >= 0:
        out.append(i)
        i = folded.find(word, i + 1)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_KNOWN) | st.text(alphabet="aTwoOK\u212a 年月", max_size=4), max_size=15)
       .map("".join), st.sampled_from(_KNOWN) | st.text(alphabet="aow", min_size=3, max_size=4))
def test_word_positions_equal_a_find_walk(text, word):
    chars = scan_anchor.CharPositions(text)
    assert chars.word_at(word) == _plain(fold(text), word)


def test_overlapping_occurrences_by_hand():
    scan_anchor._WORDS[("a", "a", "a")] = "aaa"  # a run looked for whole (registered as a pattern's would be)
    try:
        assert scan_anchor.CharPositions("xaaaaa").word_at("aaa") == [1, 2, 3]
    finally:
        del scan_anchor._WORDS[("a", "a", "a")]
