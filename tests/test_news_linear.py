"""Extraction is linear in the text: no crash and no span outside the text on arbitrary input, and the per-figure
lookups count operations that do not grow with the text (operation counts, never time)."""
import math

from hypothesis import given, settings, strategies as st

from ipolens.news import extract
from ipolens.news.dates import scan_dates
from ipolens.news.extract import extract_claims
from ipolens.news.numbers import scan_numbers
from ipolens.news.spans import Lines
from ipolens.news.text import article_from_text, normalise

_PIECES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789,. \u00a0\u202f", min_size=1, max_size=120),
    st.text(alphabet="零〇一二两兩三四五六七八九十百千万亿萬億点壹贰拾佰仟元港美股%年月日分别至、,。", min_size=1, max_size=60),
    st.integers(1, 5000).map(lambda k: "9" * k),
    st.sampled_from(["万亿", "亿", "万", "million港元", "HK$", "人民币", "约", "逾", "分别为", "2025年1月5日", "\n"]),
)


@given(st.lists(_PIECES, max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_no_crash_and_spans_inside_on_arbitrary_text(text):
    for c in extract_claims(article_from_text(text)):
        assert 0 <= c.start <= c.end <= len(text)
        assert c.value is None or math.isfinite(c.value)
    norm = normalise(text).text
    for q in scan_numbers(norm):
        assert 0 <= q.start <= q.end <= len(norm)
        assert math.isfinite(q.value)
    for d in scan_dates(norm):
        assert 0 <= d.start <= d.end <= len(norm)


def _lead_chars(monkeypatch, text: str) -> int:
    """Characters of context handed to the role picker over one extraction."""
    seen = [0]
    real = extract._pick_metric

    def counting(*args, **kw):
        seen[0] += sum(len(a) for a in args if isinstance(a, str))
        return real(*args, **kw)

    monkeypatch.setattr(extract, "_pick_metric", counting)
    extract_claims(article_from_text(text))
    monkeypatch.setattr(extract, "_pick_metric", real)
    return seen[0]


def test_one_endless_sentence_costs_linear_context(monkeypatch):
    """A text with no sentence end: without a bound every figure would read all figures before it (quadratic)."""
    unit = "营收增长12.5亿元,净利润3.2亿元,市值855亿港元,"  # no terminator anywhere
    n = _lead_chars(monkeypatch, unit * 400)
    n2 = _lead_chars(monkeypatch, unit * 800)
    assert n > 0
    assert n2 <= 2.2 * n


class _Counted:
    """A mention whose attribute reads are counted."""
    reads = 0

    def __init__(self, start, end, key):
        self._s, self._e, self._k = start, end, key

    @property
    def start(self):
        _Counted.reads += 1
        return self._s

    @property
    def end(self):
        _Counted.reads += 1
        return self._e

    @property
    def key(self):
        _Counted.reads += 1
        return self._k


def _entity_reads(k: int) -> int:
    """Reads of mention attributes by one entity lookup after an enumeration of ``k`` names on one line."""
    names = [f"公司{i:05d}" for i in range(k)]
    text = "包括" + "、".join(names) + "等,市值达12亿元"
    mentions, pos = [], 2
    for i, name in enumerate(names):
        mentions.append(_Counted(pos, pos + len(name), f"CO:c{i}"))
        pos += len(name) + 1
    idx = extract._mention_index(mentions, text)
    lines = Lines(text, extract._PROMO)
    at = text.index("12亿")
    _Counted.reads = 0
    key = extract._entity_for(at, idx, text, None, "market_cap", lines)
    assert key == f"CO:c{k - 1}"  # the last listed name, as the rule says
    return _Counted.reads


def test_entity_lookup_does_not_walk_an_enumeration():
    assert _entity_reads(4000) <= _entity_reads(200) + 4


class _CountingList(list):
    gets = 0

    def __getitem__(self, i):
        _CountingList.gets += 1
        return super().__getitem__(i)


def _date_gets(k: int) -> int:
    """Items read by one date lookup for a figure after ``k`` year-的 periods in one sentence (none binds it)."""
    text = "".join(f"{2000 + i % 20}年的" for i in range(k)) + "收入12亿元"
    dates = _CountingList(d for d in scan_dates(text))
    q = next(q for q in scan_numbers(text) if q.unit)
    _CountingList.gets = 0
    extract._date_for(q, dates, text, 0, "revenue", q.start, [d.start for d in dates])
    return _CountingList.gets


def test_date_lookup_is_bounded():
    assert _date_gets(3000) <= _date_gets(300) + 2
