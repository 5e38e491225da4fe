"""No crash and no span outside the text on arbitrary Unicode and on adversarial shapes (tests/news_shapes.py); the
bounded and indexed paths give what the plain computation gives. No timing here: speed is benchmarks/bench_news.py."""
import copy
import math
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings, strategies as st

from ipolens.news import claim_lists
from ipolens.news.dedupe import compatible_roles, merge_title_repeats, same_figure
from ipolens.news.extract import extract_claims
from ipolens.news.spans import MentionIndex
from ipolens.news.text import article_from_text, normalise

from news_shapes import SHAPES, cue, date, figure, name, shape


def _assert_sane(text: str) -> None:
    for c in extract_claims(article_from_text(text)):
        assert 0 <= c.start <= c.end <= len(text), (c.start, c.end, len(text))
        assert c.value is None or not math.isnan(c.value)


_ANY_CHAR = st.characters(blacklist_categories=())  # surrogates and unassigned code points included
_SHAPE_PIECES = st.one_of(
    st.text(_ANY_CHAR, max_size=60),
    st.sampled_from(["分别为", "、", "和", ",", "。", "\n", "\n\n", " respectively", "(02513.HK)", "Title: ", "\xa0"]),
    st.builds(lambda k, s: shape(k, 120, s), st.sampled_from(sorted(SHAPES)), st.integers(0, 3)),
)


@given(st.lists(_SHAPE_PIECES, max_size=25).map("".join))
@settings(max_examples=200, deadline=None)
def test_no_crash_and_spans_inside_on_any_unicode_and_shapes(text):
    _assert_sane(text)


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_every_shape_reads_without_crash(kind):
    _assert_sane(shape(kind, 1500, 1))


@given(st.text(st.sampled_from("\ud800\udfffa1亿元,"), max_size=30))
def test_a_lone_surrogate_keeps_offsets(text):
    norm = normalise(text)
    assert len(norm.text) == len(text)
    assert all(not "\ud800" <= ch <= "\udfff" for ch in norm.text)


# -- the 分别 bound applies only past it -------------------------------------------------------------------------
_LIST_WORDS = ["发行价", "开盘价", "收盘价", "营收", "净利润", "市值", "集资额", "宗数", "茅台", "宁德时代", "智谱"]
_ITEMS = st.lists(st.sampled_from(_LIST_WORDS), min_size=2, max_size=3, unique=True)
_FIGS = st.sampled_from(["19.6港元", "35.7港元", "12亿元", "3.5亿元", "60%", "2倍", "20%"])
_CLAUSE = st.one_of(
    # 'A、B分别为x、y' and 'x、y, 分别按年增加p及q'
    st.tuples(_ITEMS, st.sampled_from(["、", "和", "及"]), st.lists(_FIGS, min_size=2, max_size=3)).map(
        lambda t: t[1].join(t[0]) + "分别为" + "、".join(t[2])),
    st.tuples(_ITEMS, st.lists(_FIGS, min_size=2, max_size=2)).map(
        lambda t: "".join(f"{w}为{f}" for w, f in zip(t[0], t[1])) + ",分别按年增加60%及2倍"),
    st.randoms(use_true_random=False).map(lambda r: r.choice([figure(r), cue(r), date(r), name(r)])),
)


def _claims(text):
    return [(c.metric, c.entity_key, c.start, c.value) for c in extract_claims(article_from_text(text))]


@given(st.lists(st.tuples(_CLAUSE, st.sampled_from([",", "。", ";", "\n"])), min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_list_bound_changes_nothing_in_clauses_under_it(parts):
    """Clauses shorter than the bound: the bounded reading equals the unbounded one."""
    text = "".join(c + sep for c, sep in parts)
    bounded = _claims(text)
    saved = claim_lists._LIST_REACH
    claim_lists._LIST_REACH = 10**9
    try:
        unbounded = _claims(text)
    finally:
        claim_lists._LIST_REACH = saved
    assert bounded == unbounded


# -- indexes give what a walk gives ----------------------------------------------------------------------------
@dataclass
class _Fig:
    start: int
    value: float | None
    unit: str | None
    metric: str
    entity_key: str | None
    text: str | None = None
    date: str | None = None
    value_high: float | None = None
    end: int = 0
    notes: list = field(default_factory=list)


def _merge_by_walking(claims, in_title):
    """The plain definition: each title figure takes the first unused body claim that is the same figure with a
    compatible role."""
    title = [c for c in claims if in_title(c.start)]
    body = [c for c in claims if not in_title(c.start)]
    used, dropped = set(), set()
    for t in title:
        for b in body:
            if id(b) not in used and same_figure(t, b) and compatible_roles(t, b):
                used.add(id(b))
                dropped.add(id(t))
                b.notes.append(f"also in the title at {t.start}-{t.end}")
                break
    return [(c.start, c.notes) for c in claims if id(c) not in dropped]


_FIG = st.builds(_Fig, st.integers(0, 60),
                 st.one_of(st.none(), st.sampled_from([1.0, 1.0 + 1e-10, 1.0 + 1e-8, 2.0, 0.0, math.inf, math.nan])),
                 st.sampled_from(["HKD", "pct", None]), st.sampled_from(["revenue", "close_price", "statement"]),
                 st.sampled_from([None, "HK:1", "HK:2"]), st.sampled_from([None, "2025", "x"]),
                 st.sampled_from([None, "2025-01-02"]))


@given(st.lists(_FIG, max_size=30), st.integers(0, 60))
@settings(max_examples=400, deadline=None)
def test_title_merge_by_index_equals_the_walk(figs, title_end):
    def in_title(pos):
        return pos < title_end

    want = _merge_by_walking(copy.deepcopy(figs), in_title)
    assert [(c.start, c.notes) for c in merge_title_repeats(figs, in_title)] == want


@dataclass
class _Mention:
    start: int
    end: int
    key: str


@given(st.lists(st.tuples(st.integers(0, 50), st.sampled_from("abc")), max_size=30), st.integers(0, 55),
       st.integers(0, 55), st.sampled_from("abcd"))
def test_names_equals_a_walk_over_the_mentions(spec, lo, hi, key):
    mentions = [_Mention(s, s + 2, k) for s, k in sorted(spec)]
    idx = MentionIndex(mentions)
    assert idx.names(key, lo, hi) == any(m.key == key for m in idx.backward(lo, hi))


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 6), st.sampled_from(["2020", "2024", "FY2021", None])),
                max_size=25), st.integers(0, 90), st.integers(0, 90))
@settings(max_examples=300, deadline=None)
def test_first_and_last_year_equal_a_walk_over_the_dates(spec, lo, pos):
    from ipolens.news.spans import first_last_year
    from ipolens.news.dates import DateSpan

    dates = [DateSpan(start=s, end=s + n, raw="x" * n, period=p) for s, n, p in sorted(spec, key=lambda t: t[:2])]
    years = [d for d in dates if lo <= d.start < pos and d.end <= pos and d.period and d.period.isdigit()]
    want = (years[0], years[-1]) if len(years) >= 2 else None
    assert first_last_year(dates, lo, pos) == want
