"""Figures read together: ranked lists, 分别/respectively lists spread over names or metrics, year ranges spread
over a list, and the period a figure before '这一数字' refers to."""
from __future__ import annotations

import bisect
import re

from .claim import FUNDAMENTALS, Claim
from .claim_context import _REACH, _sentence_bounds
from .claim_roles import OWN_WORDS
from .clauses import BREAKS, CLAUSE_BREAK
from .dates import DateSpan
from .numbers import Quantity
from .roles import lexicon
from .spans import MentionIndex, starts_between


# A list's names and its figures' subjects are read no further back than a figure's cues (claim_context._REACH): a
# clause of many 分别 lists stays linear.
_LIST_REACH = _REACH
_RANKED = re.compile(r"前([二三四五六七八九十]|\d{1,2})([^,。;]{0,8}?)别为((?:[^、,。;]{1,12}、){1,11}[^、,。;]{1,12})")


def _ranked_lists(text: str, mentions, body_n: int) -> list[Quantity]:
    """'前四高价股分别为A、B、C、D': rank 1..4, one per named entity, spans on the names."""
    out: list[Quantity] = []
    for m in _RANKED.finditer(text, body_n):
        names = m[3].split("、")
        pos = m.start(3)
        for rank, name in enumerate(names, 1):
            out.append(Quantity(value=rank, unit="rank", start=pos, end=pos + len(name), raw=name,
                                noun="高价股" if "高价" in m[2] else m[2]))
            pos += len(name) + 1
    return out


def _previous_year(claims: list[Claim], text: str) -> None:
    """'收入仅约30万元;2024年,该数字增至4180万元': the unperioded figure is the year before."""
    for a, b in zip(claims, claims[1:]):
        if a.period or a.date or a.metric != b.metric or a.entity_key != b.entity_key or not b.period:
            continue
        m = re.fullmatch(r"(FY)?(\d{4})", b.period)
        if m and re.search(r"这一数字|该数字|这个数字", text[a._nend:b._nstart]):
            a.period = f"{m[1] or ''}{int(m[2]) - 1}"
            a.notes.append(f"period inferred from the next figure ({b.period})")


def _respective(claims: list[Claim], text: str, mentions: MentionIndex, gazetteer) -> None:
    """'发行价、开盘价分别为19.6、35.7港元' / '壁仞科技与智谱市值分别为855.4亿、512亿港元': the n names before 分别
    go to the n figures after it, in order (metrics when every name is a metric keyword, else entities). English
    puts the word after the figures: 'A and B rose 10% and 20%, respectively'."""
    valued = sorted((c for c in claims if c.value is not None), key=lambda c: c._nstart)
    valued_starts = [c._nstart for c in valued]
    breaks: list[int] | None = None  # clause breaks (,;:), found once: a long sentence with many 分别 stays linear

    def kind_of(c: Claim) -> str:
        # a percentage and a multiple both state a change ('分别增加60%及2倍'): one list
        return "money" if c.unit in ("HKD", "CNY", "USD") else "pct" if c.unit == "x" else c.unit

    def spread(group: list[Claim], seg_start: int, seg_end: int) -> None:
        seg = text[seg_start:seg_end]
        names = [n for n in re.split(r"、|以及|和|及|与|\band\b|,", seg) if n.strip()]
        if len(names) != len(group):
            return
        metrics = [_keyword_metric(n, kind_of(group[0])) for n in names]
        if all(metrics):  # every name is a metric of its own ('发行价、开盘价分别为…')
            for c, metric in zip(group, metrics):
                c.metric, c._role = metric, "list"
            return
        metrics = _subject_metrics(group, names)  # '宗数及集资额分别按年增加…': each name sharpens the common role
        if metrics and all(metrics):
            _sharpen(group, metrics)
            return
        ents = mentions.between(seg_start, seg_end)
        keys = list(dict.fromkeys(x.key for x in ents))
        if len(keys) == len(group) and gazetteer:
            for c, key in zip(group, keys):
                c.entity_key, c.entity, c.code = key, gazetteer.display(key), gazetteer.code(key)
                c._named = True

    def clause_from(pos: int, s_start: int) -> int:
        nonlocal breaks
        if breaks is None:
            breaks = [b.start() for b in CLAUSE_BREAK.finditer(text) if b.group() in BREAKS]
        k = bisect.bisect_left(breaks, pos) - 1
        return max(s_start, breaks[k] + 1) if k >= 0 else s_start

    for m in re.finditer(r"分别(?:为|是|达到?|录得|报|约为)?", text):
        s_start, s_end = _sentence_bounds(text, m.start())
        after = starts_between(valued_starts, m.end(), s_end)  # indexes into valued, read only as far as the list
        if len(after) < 2:
            continue
        group = [valued[after[0]]]
        # the list: figures of one kind joined by list words only ('10%和20%', '19.6、35.7港元')
        for c in (valued[i] for i in after[1:]):
            if kind_of(c) != kind_of(group[0]) or not _LIST_GAP.fullmatch(text[group[-1]._nend:c._nstart]):
                break
            group.append(c)
        c_start = clause_from(m.start(), s_start)
        if _NON_SPACE.search(text, c_start, m.start()):
            if m.start() - c_start <= _LIST_REACH:  # names further back than any cue is read are no list's (and a
                spread(group, c_start, m.start())  # clause of many 分别 stays linear)
            continue
        # '宗数为114宗,集资额达2,863亿元,分别按年增加60%及2倍': 分别 opens its clause; the subjects are those of the
        # figures just before it in the sentence, one clause each
        before = starts_between(valued_starts, s_start, m.start())
        if len(before) >= len(group) >= 2:
            leads = [text[max(clause_from(c._nstart, s_start), c._nstart - _LIST_REACH):c._nstart]
                     for c in (valued[i] for i in before[-len(group):])]  # as far back as cues are read
            metrics = _subject_metrics(group, leads)
            if metrics:
                _sharpen(group, metrics)
    for m in re.finditer(r"\brespectively\b", text, re.I):
        # the word with the spaces and commas before it: walked back from the word, as a leading [\s,]* in the
        # pattern would be tried at every position of a long run of spaces (quadratic)
        w_start = m.start()
        while w_start > 0 and (text[w_start - 1].isspace() or text[w_start - 1] == ","):
            w_start -= 1
        s_start, _ = _sentence_bounds(text, w_start)
        before = starts_between(valued_starts, s_start, w_start)
        if len(before) < 2 or valued[before[-1]]._nend < w_start - 2:
            continue  # the word must follow the last figure of the list
        group = [valued[before[-1]]]
        for c in (valued[i] for i in reversed(before[:-1])):  # back over figures joined by list words
            if kind_of(c) != kind_of(group[0]) or not _LIST_GAP.fullmatch(text[c._nend:group[0]._nstart]):
                break
            group.insert(0, c)
        c_start = clause_from(group[0]._nstart, s_start)
        if len(group) >= 2 and group[0]._nstart - c_start <= _LIST_REACH:
            spread(group, c_start, group[0]._nstart)


_NON_SPACE = re.compile(r"\S")
_LIST_GAP = re.compile(r"\s*(?:、|,|，|和|及|以及|与|至|and|,? and)?\s*(?:港元|港币|美元|元|人民币|亿|万)?\s*")


def _subject_metrics(group: list[Claim], names: list[str]) -> list[str] | None:
    """The roles the names of a 分别 list give the figures after it: their common role (or a more general one it
    was sharpened from) sharpened by each name as the words before the figure; None unless every name gives a
    different role, none of them the unsharpened one."""
    lex = lexicon()
    roots = {c.metric for c in group}
    if len(roots) != 1:
        return None
    role, seen = roots.pop(), set()
    while role and role not in seen:  # the figures' role, then what it was sharpened from
        seen.add(role)
        out = [lex.qualify(role, n, n) for n in names]
        if len(set(out)) == len(out) and lex.defaults.get(role, role) not in out:
            return out
        role = lex.base_of.get(role)
    return None


def _sharpen(group: list[Claim], metrics: list[str]) -> None:
    """The list's names sharpen each figure's role: the role is then as sure as the weaker of the list and the role
    it sharpened (a common role carried from an earlier figure stays a carried one, only more specific)."""
    for c, metric in zip(group, metrics):
        c.metric, c._role = metric, "list" if c._role in OWN_WORDS else c._role


def _keyword_metric(name: str, kind: str) -> str | None:
    """The metric a list item names ('开盘价' -> open_price), None when it names none or names two."""
    lex = lexicon()
    metric = lex.pick(kind, name).metric
    return lex.defaults.get(metric, metric) if metric else None


def _spread_lists(claims: list[Claim], text: str, dates: list[DateSpan]) -> None:
    """'2022年至2024年 ... 分别为 A、B和C': give A, B, C the years of the range, in order."""
    by_sentence: dict[int, list[Claim]] = {}
    for c in claims:
        s, _ = _sentence_bounds(text, c._nstart)
        by_sentence.setdefault(s, []).append(c)
    starts = [d.start for d in dates]
    for s, cs in by_sentence.items():
        rng = [d for d in (dates[i] for i in starts_between(starts, s, cs[0]._nstart))
               if d.period and re.fullmatch(r"\d{4}-\d{4}", d.period) and d.end <= cs[0]._nstart]
        if not rng or "分别" not in text[s:cs[-1]._nstart]:
            continue
        a, b = map(int, rng[-1].period.split("-"))
        years = list(range(a, b + 1))
        groups: dict[tuple, list[Claim]] = {}
        for c in cs:
            if c.text is None:
                groups.setdefault((c.metric, c.unit), []).append(c)
        for group in groups.values():
            if len(group) == len(years):
                for c, y in zip(group, years):
                    c.period = f"FY{y}" if c.metric in FUNDAMENTALS | {"rd_share_of_opex"} else str(y)
                    c.date = None
