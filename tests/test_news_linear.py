"""Extraction is linear in the text: no crash and no span outside the text on arbitrary input, and the per-figure
lookups count operations that do not grow with the text (operation counts, never time)."""
import math

from hypothesis import example, given, settings, strategies as st

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


# -- the fast paths give what the plain computation gives -------------------------------------------------------------
class _Fig:
    """A figure as the identity checks read it: position, value, qualifier, unit; ``_nstart`` reads are counted."""
    reads = 0

    def __init__(self, pos, value, qualifier="exact", unit="HKD"):
        self._pos, self.value, self.qualifier, self.unit = pos, value, qualifier, unit

    @property
    def _nstart(self):
        _Fig.reads += 1
        return self._pos


def _nearest_by_sorting(cands, anchor, limit):
    """The nearest distinct values by a full stable sort on distance (the plain definition)."""
    seen, out = set(), []
    for c in sorted(cands, key=lambda c: abs(c._pos - anchor._pos)):
        if (c.value, c.qualifier, c.unit) not in seen and c is not anchor:
            seen.add((c.value, c.qualifier, c.unit))
            out.append(c)
        if len(out) == limit:
            break
    return out


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.sampled_from(["exact", "about"])), max_size=40),
       st.integers(0, 40), st.data())
@settings(max_examples=300, deadline=None)
def test_nearest_candidates_match_a_full_sort(spec, anchor_pos, data):
    from ipolens.news import identities

    cands = [_Fig(p, v, q) for p, v, q in spec]
    # the anchor is a fresh figure or one of the pool (then it is skipped)
    anchor = data.draw(st.sampled_from(cands)) if cands and data.draw(st.booleans()) else _Fig(anchor_pos, -1)
    got = identities._nearest(cands, anchor)
    assert got == _nearest_by_sorting(cands, anchor, identities._MAX_CANDIDATES)


def test_nearest_lookup_reads_few_candidates():
    """Once the pool is indexed, a lookup reads the few candidates around the figure, not the whole pool."""
    from ipolens.news.identities import _ByPosition

    def reads(n):
        pool = _ByPosition([_Fig(10 * i, i) for i in range(n)])
        _Fig.reads = 0
        pool.nearest(_Fig(5 * n + 3, -1))
        return _Fig.reads

    assert reads(20_000) <= reads(200) + 2


def _mentions_by_probing(gaz, text):
    """Entity mentions by the plain scan: at each projected position, the aliases that start there, longest first;
    the first whose ends are not inside an ASCII word wins and the scan jumps past it."""
    import re

    chars, where = [], []  # the projection: each alphanumeric run lower-cased on its own, with offsets
    for run in re.finditer(r"[^\W_]+", text):
        low = run[0].lower()
        if len(low) == len(run[0]):
            chars.append(low)
            where.extend(range(run.start(), run.end()))
        else:
            for k, ch in enumerate(run[0], run.start()):
                chars.append(ch.lower()[:1])
                where.append(k)
    proj = "".join(chars)
    out, i = [], 0
    aliases = sorted(gaz.names, key=len, reverse=True)
    while i < len(proj) - 1:
        hit = None
        for a in aliases:
            if proj.startswith(a, i):
                s, e = where[i], where[i + len(a) - 1] + 1
                if (text[s].isascii() and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum()) or \
                        (text[e - 1].isascii() and e < len(text) and text[e].isascii() and text[e].isalnum()):
                    continue
                hit = a
                out.append((s, e, gaz.names[a]))
                break
        i += len(hit) if hit else 1
    return out


_ALIASES = {"abcd": "K:1", "abcdef": "K:2", "bcde": "K:3", "摩尔线程": "K:4", "摩尔": "K:5", "线程科技": "K:6",
            "straße": "K:7", "σσσσ": "K:8"}


@given(st.lists(st.sampled_from(list(_ALIASES) + ["ABCD", "AbCdEf", "x", " ", "-", "1", "摩", "尔", "İ", "Σ", "ς",
                                                   "科技", "ss", "."]), max_size=40).map("".join))
@example("ΣΣΣΣ.x abcd")  # the final sigma: lower case that reads the neighbours
@settings(max_examples=300, deadline=None)
def test_gazetteer_finds_what_the_plain_scan_finds(text):
    from ipolens.news.gazetteer import Gazetteer

    gaz = Gazetteer(dict(_ALIASES), set(_ALIASES.values()), {})
    got = [(m.start, m.end, m.key) for m in gaz.find(text)]
    assert got == sorted(_mentions_by_probing(gaz, text), key=lambda x: x[0])
    for m in gaz.find(text):
        assert text[m.start:m.end] == m.surface


@given(st.lists(st.sampled_from(["a", "１", "…", "㎡", "½", "ﬁ", "港", "發", "\u0301", "ｈｋ＄", "\n", "。"]),
                max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_normalise_maps_each_character_back(text):
    """Per character: its NFKC form, from the offset of the character it came from (t2s keeps lengths here)."""
    import unicodedata

    norm = normalise(text)
    origin = [i for i, ch in enumerate(text) for _ in unicodedata.normalize("NFKC", ch)]
    assert list(norm.origin) == origin + [len(text)]
    assert len(norm.text) == len(origin)


@given(st.text(alphabet="发行价格上市开盘收市 offerpricIPOKkſSs\u212a的为", max_size=60))
@settings(max_examples=300, deadline=None)
def test_role_cues_skipped_by_first_character_cannot_match(before):
    """A cue is searched only when one of its possible first characters is in the text: every cue left out has no
    match there (IGNORECASE folds such as the Kelvin sign included)."""
    from ipolens.news.roles import _first_chars, lexicon

    present = set(before)
    for cue in lexicon().cues:
        first = _first_chars(cue.pattern)
        if first is not None and first.isdisjoint(present):
            assert not any(m.end() > m.start() for m in cue.pattern.finditer(before)), cue.pattern.pattern


def _quote_by_steps(orig, s, e, sent_s, sent_e, limit=80):
    """The quoted clause, one character at a time: back to a clause break, then forward to one, within the limit."""
    a, b = s, e
    while a > sent_s and orig[a - 1] not in ",;:，；：" and b - a < limit - 1:
        a -= 1
    while b < sent_e and orig[b] not in ",;:，；：" and b - a < limit:
        b += 1
    return orig[a:b].strip()[:limit]


@given(st.text(alphabet="ab ,;:，；：。", max_size=200), st.data())
@settings(max_examples=400, deadline=None)
def test_quote_is_the_clause_found_step_by_step(orig, data):
    n = len(orig)
    sent_s = data.draw(st.integers(0, n))
    sent_e = data.draw(st.integers(sent_s, n))
    s = data.draw(st.integers(sent_s, sent_e))
    e = data.draw(st.integers(s, sent_e))
    limit = data.draw(st.sampled_from([3, 10, 80]))
    assert extract._quote(orig, s, e, sent_s, sent_e, limit) == _quote_by_steps(orig, s, e, sent_s, sent_e, limit)


def test_a_long_run_of_spaces_costs_linear_time():
    """'respectively' was found with a leading [\\s,]*, tried at every position of a run of spaces: 20,000 no-break
    spaces took seconds. A run four times longer may cost about four times more, not sixteen."""
    import time

    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    def cpu(n: int) -> float:
        art = article_from_text("A and B rose 10% and 20%," + "\xa0" * n + " and then fell.")
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            extract_claims(art)
            best = min(best, time.process_time() - t0)
        return best

    cpu(100)  # warm the lexicons
    small, big = cpu(5_000), cpu(20_000)
    assert big <= 8 * small + 0.02, (small, big)


def test_respectively_after_spaces_still_spreads_the_list():
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    text = "Revenue and profit rose 10% and 20% ,  respectively."
    got = [c.metric for c in extract_claims(article_from_text(text), market="US") if c.unit == "pct"]
    plain = [c.metric for c in extract_claims(article_from_text(text.replace(" ,  ", ", ")), market="US")
             if c.unit == "pct"]
    assert got == plain and len(got) == 2


# -- the cue word filter skips only patterns that cannot match ---------------------------------------------------------
def _cue_examples() -> list[str]:
    """The lexicon's own example sentences (braces dropped): each holds a match of its cue or qualifier."""
    from ipolens.news.roles import lexicon
    from ipolens.news.text import normalise

    lex = lexicon()
    egs = [c.example for c in lex.cues] + [e["text"] for q in lex.qualifiers for e in q.examples]
    return [normalise(e.replace("{", "").replace("}", "")).text for e in egs]


_EGS = _cue_examples()
# pieces of the examples, cut and glued anew, with case changes and the characters IGNORECASE folds onto ASCII
_WINDOWS = st.lists(st.one_of(
    st.tuples(st.sampled_from(_EGS), st.integers(0, 40), st.integers(1, 40)).map(lambda t: t[0][t[1]:t[1] + t[2]]),
    st.sampled_from(_EGS).map(str.upper),
    st.sampled_from(["\u212a", "\u017f", "\u0130", "\u0131", " ", ",", "的", "为"]),
), max_size=8).map("".join)


@given(_WINDOWS)
@settings(max_examples=120, deadline=None)
def test_every_match_of_a_pattern_holds_one_of_its_required_words(text):
    """required_words: the words read off a pattern (in folded form), one of which every match contains."""
    from ipolens.news.cue_filter import fold, required_words
    from ipolens.news.roles import lexicon

    lex = lexicon()
    for pat in [c.pattern for c in lex.cues if c.side == "before"] + [q.context for q in lex.qualifiers]:
        words = required_words(pat)
        if words is None:
            continue
        for m in pat.finditer(text):
            if m.end() > m.start():
                assert any(w in fold(m[0]) for w in words), (pat.pattern, m[0], sorted(words))


def test_required_words_of_hand_written_patterns():
    import re

    from ipolens.news.cue_filter import required_words

    assert required_words(re.compile("发行价(?:格)?|招股价", re.I)) == {"发行价", "招股价"}
    assert required_words(re.compile(r"(?<![开收])报", re.I)) == {"报"}
    # the first alternative is one word; the second's first run of literals ('to ') is as long as its others
    assert required_words(re.compile(r"closed at|\bto (?:close|end) at", re.I)) == {"closed at", "to "}
    assert required_words(re.compile(r"Offer Price", re.I)) == {"offer price"}
    assert required_words(re.compile(r"(?:约)?", re.I)) is None  # may match empty: no word
    assert required_words(re.compile(r"\d+元", re.I)) == {"元"}


@given(_WINDOWS, st.sampled_from(["money", "pct", "x", "shares", "count", "date"]), st.data())
@settings(max_examples=300, deadline=None)
def test_picking_with_the_word_filter_equals_trying_every_cue(before, kind, data):
    from ipolens.news.roles import Pick, lexicon

    lex = lexicon()
    lex.forget()
    starts = tuple(sorted(data.draw(st.lists(st.integers(0, len(before)), min_size=1, max_size=3)), reverse=True))
    got = lex.pick_nested(kind, before, starts)
    every = [i for i, c in enumerate(lex._by_kind.get(kind, ())) if c.side == "before"]  # no filter at all
    want = Pick(None)
    for s in starts:
        # a cue's `needs` words may stand anywhere before the figure, not only in the window
        hits = lex._needed(kind, lex._before_hits(kind, before[s:], every, needs_in=None), before)
        pick = lex._decide(hits, None)
        if pick.metric or pick.conflict:
            want = pick
            break
    assert got == want
    assert lex.pick(kind, before) == lex._decide(lex._before_hits(kind, before, every), None)
