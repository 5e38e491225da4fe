"""The indexes that narrow which role cues and qualifiers are tried give the answers of trying them all (each
reference here is the plain loop over every entry)."""
from hypothesis import given, settings, strategies as st

from ipolens.news.cue_filter import required_words
from ipolens.news.roles import lexicon

_LEX = lexicon()
_AFTER = [c for c in _LEX.cues if c.side == "after"]
# the words after-cues are made of, so generated text often holds (parts of) a cue
_WORDS = sorted({w for c in _AFTER for w in (required_words(c.pattern) or ())} | {"的", " ", "，", "。", "\n"})
_PIECES = st.lists(st.sampled_from(_WORDS) | st.text(alphabet="股元价发行市值 aAzK\u212a中签率", max_size=4),
                   max_size=10).map("".join)


def _plain_after(kind: str, before: str, after: str) -> list[int]:
    out = []
    for i, c in enumerate(_LEX._by_kind.get(kind, ())):
        if c.side != "after" or (c.needs is not None and not c.needs.search(before)):
            continue
        m = c.pattern.match(after)
        if m and m.end() > 0:
            out.append(i)
    return out


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(sorted(_LEX._by_kind)), _PIECES, _PIECES)
def test_after_hits_equal_trying_every_after_cue(kind, before, after):
    assert sorted(i for i, _ in _LEX._after_hits(kind, before, after)) == _plain_after(kind, before, after)


def test_an_after_cue_a_few_words_on_is_still_tried():
    # a hand-made case of a cue that reaches past the figure's first words (no first-character filter applies)
    reaching = [c for c in _AFTER if "skip" in c.pattern.groupindex]
    assert reaching
    c = reaching[0]
    kind = sorted(c.kinds)[0]
    word = sorted(required_words(c.pattern) or {""})[0]
    after = "x" + word
    assert (_LEX._by_kind[kind].index(c) in {i for i, _ in _LEX._after_hits(kind, "", after)}) == \
        bool(c.pattern.match(after) and (c.needs is None))


_QUAL_WORDS = sorted({w for q in _LEX.qualifiers for w in (required_words(q.context) or ())})


@settings(max_examples=500, deadline=None)
@given(st.sets(st.sampled_from(_QUAL_WORDS) | st.text(alphabet="ab|.*(中", min_size=1, max_size=3), min_size=1,
               max_size=12),
       st.lists(st.sampled_from(_QUAL_WORDS) | st.text(alphabet="ab|.*(中 ", max_size=3), max_size=8).map("".join))
def test_one_search_of_a_qualifiers_words_equals_testing_each(words, text):
    from ipolens.news.roles import _any_of

    assert _any_of(frozenset(words)).found_in(text) == any(w in text for w in words)


def test_qualifier_words_by_hand():
    from ipolens.news.roles import _any_of

    assert _any_of(frozenset({"暗盘", "grey"})).found_in("昨日暗盘收报")
    assert not _any_of(frozenset({"暗盘", "a.b"})).found_in("axb")  # a word's characters are literal
    assert _any_of(None) is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted({c.metric for c in _LEX.cues})), st.text(max_size=6), st.text(max_size=6),
       st.integers(-3, 40))
def test_a_remembered_pick_equals_a_new_one(metric, words, ref, distance):
    from ipolens.news.roles import Pick, _Hit, _picked

    h = _Hit(metric, distance, 0, len(words), "before", words, ref)
    assert _picked(h) == Pick(metric, words, ref=ref)
    assert _picked(h) == Pick(metric, words, ref=ref)  # (the second time from memory)


def test_a_single_hit_decides_its_role_by_hand():
    from ipolens.news.roles import Pick, _Hit

    metric = sorted({c.metric for c in _LEX.cues})[0]
    h = _Hit(metric, 0, 0, 2, "before", "xx", "r/1")
    assert _LEX._decide([(0, h)], None) == Pick(metric, "xx", ref="r/1")
