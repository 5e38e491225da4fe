"""extract_claims reuses a figure's sentence and line for the next figures inside them: any position inside the
[start, end] a position gives has that same sentence and line (the invariant the reuse rests on, checked against
the lookups themselves on generated text)."""
from hypothesis import given, settings, strategies as st

from ipolens.news.claim_context import _PROMO, _sentence_bounds
from ipolens.news.spans import Lines

_TEXT = st.text(alphabet="甲乙。!?;\n.,:aZ 1 Inc", min_size=1, max_size=80)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_a_position_inside_a_sentence_has_that_sentence(text, data):
    pos = data.draw(st.integers(0, len(text)))
    start, end = _sentence_bounds(text, pos)
    other = data.draw(st.integers(start, end))
    assert _sentence_bounds(text, other) == (start, end)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_a_position_inside_a_line_has_that_line(text, data):
    lines = Lines(text, _PROMO)
    pos = data.draw(st.integers(0, len(text)))
    start, nl = lines.start(pos), lines.next_newline(pos)
    end = nl if nl >= 0 else len(text)
    other = data.draw(st.integers(start, end))
    assert lines.start(other) == start
    assert lines.promotional(other) == lines.promotional(pos)


def test_two_sentences_by_hand():
    text = "甲涨5%。乙跌3%"
    assert _sentence_bounds(text, 2) == (0, 4)
    assert _sentence_bounds(text, 6) == (5, 9)


def _after_window_plain(trail, raw):
    import re

    from ipolens.news.clauses import clause_end

    cut = max(40, clause_end(trail, raw))
    if cut >= len(trail):
        return trail
    window = trail[:cut]
    if trail[cut:cut + 1].isalpha() and (part := re.search(r"[A-Za-z]+\Z", window)):
        window = window[:part.start()]
    return window


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab ,.;:。\n中文1%", max_size=70), st.text(alphabet="1%倍 ", min_size=1, max_size=4))
def test_after_window_equals_the_plain_cut(trail, raw):
    from ipolens.news.claim_roles import _after_window

    assert _after_window(trail, raw) == _after_window_plain(trail, raw)
