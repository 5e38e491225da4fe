"""Where a figure sits and what it is about: its sentence and clause, its quote, the entity and the date it links
to. Every lookup is a bisection into indexes built once per text. The outlet's market and a figure's currency are
claim_currency's (re-exported here)."""
from __future__ import annotations

import bisect
import re

from .claim import FUNDAMENTALS
from .claim_currency import OUTLETS, _currency, _why_currency, outlet_market  # re-exported
from .clauses import CLAUSE_BREAK, SENTENCE_END
from .dates import DateSpan
from .numbers import Quantity
from .spans import Lines, MentionIndex, first_last_year, starts_between

_SENT_END = SENTENCE_END  # 。!?; a line break, a full stop that ends no abbreviation

_BOUNDS_CACHE: dict[int, tuple[str, list[int]]] = {}
# How far back in its sentence a figure's cues are read: keeps a sentence of any length linear (news sentences are
# far shorter; a cue further away is about something else).
_LEAD_CAP = 300


# A Chinese line of wrap length without a single punctuation mark is a headline, not a wrapped body line (those
# carry commas and stops): its line break ends a sentence (clauses.SENTENCE_END would take it for a wrap).
_HEADLINE = re.compile(r"(?m)^(?=[^\n]*[\u3400-\u9fff])[^\n,.;:!?。、()]{30,}(?=\n)")


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the sentence holding ``pos`` (ends: 。!?; and newlines)."""
    cached = _BOUNDS_CACHE.get(id(text))
    if cached is None or cached[0] is not text:
        ends = [m.start() for m in _SENT_END.finditer(text)]
        heads = [m.end() for m in _HEADLINE.finditer(text)]
        if heads:  # a headline's line break ends it even where it looks like a wrap
            ends = sorted(set(ends).union(heads))
        _BOUNDS_CACHE.clear()
        _BOUNDS_CACHE[id(text)] = cached = (text, ends)
    ends = cached[1]
    k = bisect.bisect_left(ends, pos)
    start = ends[k - 1] + 1 if k > 0 else 0
    end = ends[k] if k < len(ends) else len(text)
    if start > pos:  # pos sits on a terminator itself
        start = pos
    return start, end


_BREAKS_CACHE: dict[int, tuple[str, list[int]]] = {}
_CLAUSE_BREAK = CLAUSE_BREAK  # (clauses.py: not the thousands comma of 4,000)


def _after_last_break(text: str, lo: int, pos: int) -> int:
    """Just after the last clause break (,;: and full-width) in text[lo:pos], else ``lo``: a bisection into the
    text's break positions (found once per text; the original and the normalised text are both kept)."""
    cached = _BREAKS_CACHE.get(id(text))
    if cached is None or cached[0] is not text:
        if len(_BREAKS_CACHE) >= 2:
            _BREAKS_CACHE.clear()
        cached = _BREAKS_CACHE[id(text)] = (text, [m.start() for m in _CLAUSE_BREAK.finditer(text)])
    breaks = cached[1]
    k = bisect.bisect_left(breaks, pos) - 1
    return breaks[k] + 1 if k >= 0 and breaks[k] >= lo else lo


def _quote(orig: str, s: int, e: int, sent_s: int, sent_e: int, limit: int = 80) -> str:
    """The clause around [s, e) in the original text, at most ``limit`` characters."""
    # back to the clause break before the figure (at most limit - 1 characters from its end), then on to the one
    # after it (at most limit characters in all): a search each, not a step per character
    lo = max(sent_s, e - limit + 1)
    a = s if s <= lo else _after_last_break(orig, lo, s)
    hi = min(sent_e, a + limit)
    brk = _CLAUSE_BREAK.search(orig, e, hi) if e < hi else None
    b = brk.start() if brk else max(e, hi)
    return orig[a:b].strip()[:limit]


_REACH = 200  # cues further back than this are not about the figure (and a sentence without ends stays linear)


def _subject(mentions, gazetteer) -> str | None:
    from collections import Counter

    counts = Counter(m.key for m in mentions if m.key.split(":")[0] in ("HK", "SH", "SZ", "US", "CO"))
    return counts.most_common(1)[0][0] if counts else None


_MARKET_METRICS = {"market_size": "MKT:", "market_size_forecast": "MKT:", "cagr": "MKT:",
                   "index_return": "IDX:", "southbound_net_inflow": "MKT:",
                   "southbound_net_inflow_cumulative": "MKT:"}


_PROMO = re.compile(r"点击订阅|即刻点击|立即订阅|点击购买|扫码关注|Subscribe now", re.I)


def _mention_index(mentions: list, text: str) -> MentionIndex:
    """Mentions indexed for ``_entity_for``: market aggregates by prefix, the article's own names ("own": not a market
    or index), and those of them not inside an enumeration ("own_unlisted": no 、 right before or shortly after)."""
    def own(m) -> bool:
        return not m.key.startswith(("MKT:", "IDX:"))

    def unlisted(m) -> bool:
        return own(m) and not ("、" in text[m.end:m.end + 6] or text[m.start - 1:m.start] == "、")

    return MentionIndex(mentions, ("MKT:", "IDX:"), {"own": own, "own_unlisted": unlisted})


def _entity_for(pos: int, mentions: MentionIndex, text: str, subject: str | None, metric: str,
                lines: Lines, bounds: tuple[int, int] | None = None) -> str | None:
    """The entity a figure at ``pos`` is about. Every lookup is a bisection into ``mentions`` (mentions that end by
    ``pos`` and start in its line are the candidates), so the cost does not grow with the text before ``pos``."""
    para_start = lines.start(pos)
    prefix = _MARKET_METRICS.get(metric)
    s_start, s_end = bounds or _sentence_bounds(text, pos)  # (``bounds``: the caller's, of the sentence at pos)
    if prefix:
        for m in mentions.backward(para_start, pos, prefix):
            if m.end <= pos:
                return m.key
        para_end = lines.next_newline(pos)
        for m in mentions.forward(pos, prefix):
            if para_end < 0 or m.start < para_end:
                return m.key
            break
    if lines.promotional(pos):
        return None  # an advertisement is about nothing in the ledger

    # the nearest company named in the figure's own clause wins over names further back (listed or not) and over
    # the article's subject ('甲公司表示, 乙公司首日升幅为30%' is about 乙); a bounded look back for the clause break
    lo = max(para_start, s_start, pos - _REACH)
    clause_start = _after_last_break(text, lo, pos)
    if (m := mentions.last("own", clause_start, pos)) is not None:
        return m.key
    if mentions.last("own", max(para_start, s_start), pos) is None:
        # '四小龙之一的壁仞科技': the name right after the figure, in the same sentence
        for m in mentions.forward(pos):
            if m.start > pos + 10:
                break
            if m.start < s_end and not m.key.startswith(("MKT:", "IDX:")) and "的" in text[pos:m.start]:
                return m.key
    # names inside an enumeration (包括A、B、C) are not the subject of the figures that follow: the last name of the
    # line that is not listed, else the last listed one
    m = mentions.last("own_unlisted", para_start, pos) or mentions.last("own", para_start, pos)
    if m is not None:
        return m.key
    # the article's subject, once it has been named (a headline above the first mention may be about anything)
    if subject and mentions.first_end.get(subject, pos + 1) <= pos:
        return subject
    return None


def _date_for(q: Quantity, dates: list[DateSpan], text: str, s_start: int, metric: str,
              lead_start: int | None = None, starts: list[int] | None = None) -> tuple[str | None, str | None]:
    """A day anywhere earlier in the sentence is the figure's as-of date ('截至12月19日收市, …, 市值为3317亿元');
    a year or period binds like a day, except '2023年1月的54元': a period followed by 的 belongs to that figure
    only ('从2023年1月的54元谷底升至最高1596元' gives 1596 no period)."""
    starts = starts if starts is not None else [d.start for d in dates]
    span = starts_between(starts, s_start, q.start)
    if metric == "cagr":
        years = first_last_year(dates, s_start, q.start)
        if years:
            return None, f"{years[0].period}-{years[1].period}"
    # last first: the nearest date in the figure's own lead, else the nearest day (or period not bound by 的);
    # a bounded look back keeps a sentence full of dates linear
    d = None
    first = True
    for k, i in enumerate(reversed(span)):
        x = dates[i]
        if x.end > q.start:
            continue
        if first and (lead_start is None or x.start >= lead_start):
            d = x
            break
        first = False
        if x.date or not text.startswith("的", x.end):
            d = x
            break
        if k >= 64:
            break
    if d is None:
        return None, None
    if d.date:
        return d.date.isoformat(), None
    period = d.period
    if period and period.isdigit() and metric in FUNDAMENTALS | {"revenue_growth_yoy", "rd_share_of_opex"}:
        period = f"FY{period}"
    return None, period
