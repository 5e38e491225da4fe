"""The before-cue search that tries a cue only where one of its first characters stands gives the last match the
plain ``finditer`` walk gives, for every before-cue of the lexicon, on text built from the lexicon's own examples."""
import re

from hypothesis import given, settings, strategies as st

from ipolens.news import cue_search, first_scan, role_qualify
from ipolens.news.cue_search import _last_match, _starts_rx
from ipolens.news.roles import lexicon
from ipolens.news.text import normalise

_BEFORE = [c for c in lexicon().cues if c.side == "before"]
_PIECES = sorted({e.replace("{", "").replace("}", "") for e in (c.example for c in lexicon().cues)})


def _plain_last(pattern: re.Pattern, text: str):
    last = None
    for m in pattern.finditer(text):
        if m.end() > m.start():
            last = m
    return None if last is None else last.span()


def _span(m):
    return None if m is None else m.span()


def test_most_before_cues_get_a_first_character_class():
    """(else the fast path would never run and the test below would test nothing)"""
    assert sum(_starts_rx(c.pattern) is not None for c in _BEFORE) > len(_BEFORE) // 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(alphabet="，,。 约为达HKhk$1.5%股价涨升至", max_size=6),
                min_size=1, max_size=8).map("".join))
def test_last_match_equals_the_plain_walk(text):
    for cue in _BEFORE:
        starts = _starts_rx(cue.pattern)
        assert _span(_last_match(cue.pattern, starts, text)) == _plain_last(cue.pattern, text), cue.ref


def test_a_cue_found_twice_gives_its_later_match():
    cue = re.compile("收报|报收", re.I)
    text = "该股收报5元，其后收报6元"
    assert _last_match(cue, _starts_rx(cue), text).start() == text.rindex("收报")


def test_overlapping_starts_follow_finditer():
    """'收报收' holds 报收 inside 收报收: finditer takes 收报 first and goes on past it, so 报收 is not a match."""
    cue = re.compile("收报|报收", re.I)
    assert _last_match(cue, _starts_rx(cue), "收报收").span() == (0, 2)


_GAPS = st.text(alphabet="为是达约了报:每股高分别 \u3000\nofatbywasimnheOFATBYWISİıK收涨,.", max_size=40) | st.text(max_size=40)


@settings(max_examples=500, deadline=None)
@given(_GAPS)
def test_filler_count_equals_findall(gap):
    assert cue_search._fillers(gap) == len(cue_search._FILLER.findall(gap))


def test_filler_count_by_hand():
    # '为', ' ', 'of', ' ', '高达' (one filler, not 高 and 达), '分别': six; 'offer' and 'often' hold no 'of' word
    assert cue_search._fillers("为 of 高达分别offer often") == 6 + 1  # (+ the space between offer and often)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="收报盘价涨升至基石认购,。ab AB", max_size=30))
def test_finditer_equals_the_engines_walk(text):
    for cue in _BEFORE[:80]:
        got = [m.span() for m in first_scan.finditer(cue.pattern, first_scan.starts_rx(cue.pattern), text)]
        assert got == [m.span() for m in cue.pattern.finditer(text)], cue.ref


_QUAL_PIECES = sorted({normalise(str(e.get("text", e)) if isinstance(e, dict) else str(e)).text.replace("{", "")
                       .replace("}", "") for q in lexicon().qualifiers for e in q.examples})  # as the reader sees them


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_QUAL_PIECES) | st.text(alphabet="截至中午收盘暗盘开报 ,。ab", max_size=6),
                min_size=1, max_size=6).map("".join))
def test_qualifier_contexts_found_as_the_engine_finds_them(text):
    for q in lexicon().qualifiers:
        got = [m.span() for m in first_scan.finditer(q.context, role_qualify._starts(q.context), text)]
        assert got == [m.span() for m in q.context.finditer(text)], q.context.pattern[:60]


def _scan(pattern: str, text: str) -> list[tuple[int, int]]:
    rx = re.compile(pattern)
    return [m.span() for m in first_scan.finditer(rx, first_scan.starts_rx(rx), text)]


def test_a_group_that_turns_ignorecase_on_keeps_every_case():
    """'(?i:offer)' is case-insensitive though the pattern's flags are not: 'OFFER' must be tried as well."""
    assert _scan("(?i:offer) price|(?:招股|(?i:ipo))价", "the OFFER price, Offer price, IPO价") == \
        [(4, 15), (17, 28), (30, 34)]


def test_a_look_behind_sees_the_text_before_the_start():
    """(?<!基石) at a start reads the characters before it: 基石投资 is no match, 基金投资 is."""
    assert _scan("(?<!基石)投资", "基石投资，基金投资") == [(7, 9)]


def test_a_start_anchor_matches_at_the_text_start_only():
    assert _scan("^收报", "收报5元，收报6元") == [(0, 2)]
