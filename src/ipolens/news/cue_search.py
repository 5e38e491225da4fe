"""How a figure's cue words are searched and weighed (the search half of ``roles.Lexicon``): the cues that can match
in a window, their hits before and after the figure, and the decision between hits of different roles (the nearest
wins; hits about as near of different roles conflict and leave the figure unassigned)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .case_fold import ascii_case_forms
from .first_scan import finditer, last_match as _last_match, starts_rx as _starts_rx

# how many windows' before-hits are remembered (a pure function of kind and window); cleared when full, so memory
# stays bounded and a long text gains only from the windows that recur near each other
_MEMO_SIZE = 2048
TIE = 1  # cues of different roles whose distances to the figure differ by at most this many characters conflict
_AFTER_REACH = 4  # the gap is at most three characters: an after-cue's own words start within the first four
_MODIFIER_REACH = 5  # after 的, the modifier's four characters too
_CLAUSE_BREAK = re.compile(r"[，;；]|,(?:(?<!\d,)|(?!\d))")  # not the thousands comma of 1,000 (as clauses.py)
_FILLER = re.compile(r"[\s为是达约了报:]|每股|高达|分别|\b(?:of|at|to|by|about|was|is|a|an|the)\b", re.I)  # no distance


@lru_cache(maxsize=1)
def _filler_starts() -> re.Pattern:
    """The characters a filler starts with (every case form of the English words' first letters): the engine tries
    _FILLER at every position otherwise (see first_scan)."""
    firsts = sorted({f for c in "oatbwi" for f in ascii_case_forms()[c]})
    return re.compile("[\\s为是达约了报:每高分" + "".join(firsts) + "]")


def _fillers(gap: str) -> int:
    """How many fillers ``_FILLER.findall(gap)`` finds."""
    n = 0
    for _ in finditer(_FILLER, _filler_starts(), gap):
        n += 1
    return n


@dataclass(frozen=True)
class Pick:
    metric: str | None  # None: no cue, or cues of different roles conflict
    cue: str = ""  # the words that gave the role
    conflict: tuple[str, ...] = ()  # the roles that conflicted
    ref: str = ""  # the lexicon entry that fired (Cue.ref)


_NO_PICK = Pick(None)
_PICKED: dict[tuple[str, str, str], Pick] = {}  # a pick is a value: one per (metric, words, entry), not one per figure


def _picked(h: "_Hit") -> Pick:
    """``Pick(h.metric, h.words, ref=h.ref)`` (a frozen dataclass costs a set per field to make)."""
    key = (h.metric, h.words, h.ref)
    pick = _PICKED.get(key)
    if pick is None:
        if len(_PICKED) >= _MEMO_SIZE:
            _PICKED.clear()
        pick = _PICKED[key] = Pick(h.metric, h.words, ref=h.ref)
    return pick


class _Hit(NamedTuple):  # (a tuple: one is made per cue found, and a frozen dataclass costs a set per field)
    metric: str
    distance: int
    start: int
    end: int
    side: str
    words: str
    ref: str = ""


class CueSearch:
    """The cue search of a ``Lexicon`` (which holds the cues, their indexes and ``fits``)."""

    def _candidates(self, kind: str, side: str, text: str, whole: str = "") -> set[int]:
        """The cues of ``kind`` on ``side`` that can match in ``whole`` (the words after the figure): those whose
        first character occurs in ``text`` (its first few characters), and those that start anywhere one of whose
        words occurs in ``whole``."""
        words = self._always_words.get((kind, side))
        out = set() if words is None else words.present(whole)
        by_char = self._by_char.get((kind, side))
        if by_char:
            for ch in text:  # (a few characters: the start of the words after a figure)
                hit = by_char.get(ch)
                if hit:
                    out.update(hit)
        return out

    def pick(self, kind: str, before: str, after: str = "", value: float | None = None) -> Pick:
        """The role of a figure of ``kind`` from the text right ``before`` it and right ``after`` it (``value``: a
        money figure's size; cues of roles it cannot fit are passed over)."""
        key = (kind, before, after, value)
        pick = self._picks.get(key)
        if pick is None:
            pick = self._decide(self._before_hits(kind, before) + self._after_hits(kind, before, after), value)
            if len(self._picks) >= _MEMO_SIZE:
                self._picks.clear()
            self._picks[key] = pick
        return pick

    def pick_nested(self, kind: str, before: str, starts: tuple[int, ...], after: str = "",
                    value: float | None = None) -> Pick:
        """The first decision over nested windows of ``before``: ``before[s:]`` for each offset of ``starts`` (the
        narrowest first; ``after`` is read with the first only). Most figures are decided by their narrowest window,
        so each window is scanned on its own (the windows are bounded: the cost per figure does not grow with the
        text)."""
        memo = self._memo
        # a cue of a role the figure cannot fit is not searched (its hit would be dropped by _decide): the hits then
        # depend on the value, through the two sizes ``fits`` tells apart (a per-share price, a deal amount)
        size = None if value is None else (abs(value) < self.per_share_max, abs(value) >= self.amount_min)
        for n, s in enumerate(starts):
            if n and s == starts[n - 1]:
                continue  # the same window again
            window = before[s:]
            hits = memo.get((kind, window, size))
            if hits is None:
                # the cue words are looked for in the window only (a figure decided by its narrowest window costs
                # no pass over the rest of its sentence)
                hits = self._before_hits(kind, window, fit=None if size is None else self._fitting(kind, value, size),
                                         needs_in=None)
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[(kind, window, size)] = hits
            # a before-cue's `needs` words may stand anywhere before the figure in its sentence ('頂頭槌…，其中8人獲額外
            # 500股'), as an after-cue's do: the window holds only the words since the previous figure
            hits = self._needed(kind, hits, before)
            # an after-cue's `needs` words may stand anywhere before the figure in its sentence ('基石投資者包括…等
            # 20家機構'): the narrowest window holds only the words since the previous figure
            pick = self._decide(hits + (self._after_hits(kind, before, after) if n == 0 and after else []), value)
            if pick.metric or pick.conflict:
                return pick
        return _NO_PICK

    def _word_starts(self, kind: str, before: str) -> dict[int, int]:
        """Before-cue (its index among the kind's cues) -> the last offset in ``before`` where one of its words
        starts; a cue absent cannot match in ``before`` (nor in any part of it)."""
        words = self._before_words.get(kind)
        if words is None:
            return {}
        out = words.latest(before)
        for i in words.always:
            out[i] = len(before)
        return out

    def _fitting(self, kind: str, value: float, size: tuple[bool, bool]) -> tuple[bool, ...]:
        """Per cue of ``kind`` (by index): whether a figure of ``value`` fits its role (the same for every value of
        that ``size``)."""
        table = self.__dict__.setdefault("_fit_table", {})
        out = table.get((kind, size))
        if out is None:
            out = table[(kind, size)] = tuple(self.fits(c.metric, value) for c in self._by_kind.get(kind, ()))
        return out

    def _needed(self, kind: str, hits: list[tuple[int, _Hit]], lead: str) -> list[tuple[int, _Hit]]:
        """The hits whose cue's `needs` words (if any) occur in ``lead``."""
        cues = self._by_kind.get(kind, ())
        return [(i, h) for i, h in hits if cues[i].needs is None or cues[i].needs.search(lead)]

    def _before_hits(self, kind: str, before: str, candidates=None, fit: tuple[bool, ...] | None = None,
                     needs_in: str | None = "") -> list[tuple[int, _Hit]]:
        """The last match of each before-cue of ``kind`` in ``before`` (with ``fit``: of the cues whose role the
        figure fits only; with ``needs_in`` None the cues' `needs` are left to the caller, else they are looked
        for in ``before``)."""
        cues = self._by_kind.get(kind, ())
        starts = self._first_chars_of(kind)
        found: list[tuple[int, _Hit]] = []
        for i in self._word_starts(kind, before) if candidates is None else candidates:
            cue = cues[i]
            if fit is not None and not fit[i]:
                continue
            if needs_in is not None and cue.needs is not None and not cue.needs.search(before):
                continue
            last = _last_match(cue.pattern, starts[i], before)
            if last is not None:
                gap = before[last.end():]
                found.append((i, _Hit(cue.metric, len(gap) - _fillers(gap), last.start(), last.end(),
                                      "before", last[0], cue.ref)))
        return found

    def _first_chars_of(self, kind: str) -> list[re.Pattern | None]:
        """Per cue of ``kind`` (by index): a character class of the characters every match of a before-cue starts
        with, None when they are unknown (or for an after-cue)."""
        table = self.__dict__.setdefault("_first_rx", {})
        out = table.get(kind)
        if out is None:
            out = table[kind] = [_starts_rx(c.pattern) if c.side == "before" else None
                                 for c in self._by_kind.get(kind, ())]
        return out

    def _after_hits(self, kind: str, before: str, after: str) -> list[tuple[int, _Hit]]:
        cues = self._by_kind.get(kind, ())
        found: list[tuple[int, _Hit]] = []
        reach = _AFTER_REACH + (_MODIFIER_REACH if "的" in after[:2] else 0)
        for i in self._candidates(kind, "after", after[:reach], after) if after else ():
            if cues[i].needs is not None and not cues[i].needs.search(before):
                continue  # the cue names the role only with words of its own before the figure
            m = cues[i].pattern.match(after)
            if m and m.end() > 0:
                if "skip" in cues[i].pattern.groupindex:  # a cue a few words on: the words skipped are its distance
                    gap = m["skip"]
                    # past a clause break the cue is the next clause's predicate ('listed on August 9, pricing
                    # shares at $14'): it yields to a cue of the figure's own clause
                    far = TIE + 1 if _CLAUSE_BREAK.search(gap) else 0
                    found.append((i, _Hit(cues[i].metric, len(gap) - _fillers(gap) + far, m.end("skip"),
                                          m.end(), "after", m[0][len(gap):].strip(), cues[i].ref)))
                    continue
                # '15%的超额配股权': a head noun joined by 的 names what the figure is, before any cue in front; one
                # behind a modifier ('的首日漲幅') ranks as a cue right after the figure (a bare head is nearer)
                head = "的" in m[0][:3] and not m.groupdict().get("mod")
                found.append((i, _Hit(cues[i].metric, -TIE - 1 if head else 0, m.start(), m.end(), "after",
                                      m[0].strip(), cues[i].ref)))
        return found

    def _decide(self, found: list[tuple[int, _Hit]], value: float | None) -> Pick:
        """The nearest hit's role; None with the rivals when hits of other roles sit about as near."""
        if not found:
            return _NO_PICK
        if len(found) == 1:  # one hit: its role, when the figure fits it
            h = found[0][1]
            return _picked(h) if self.fits(h.metric, value) else _NO_PICK
        found = sorted(found, key=lambda x: x[0])
        hits = [h for _, h in found if self.fits(h.metric, value)]
        if not hits:
            return _NO_PICK
        # a cue inside a longer cue of the same side is the same words read less precisely (价 in 发行价)
        hits = hits if len(hits) == 1 else [h for h in hits if not any(o is not h and o.side == h.side and o.start <= h.start and h.end <= o.end
                                           and (o.end - o.start) > (h.end - h.start) for o in hits)]
        hits.sort(key=lambda h: (h.distance, -(h.end - h.start)))
        near = [h for h in hits if h.distance - hits[0].distance <= TIE]
        # a role and the sharper role it becomes (oversubscription -> oversubscription_intl) do not conflict: the
        # sharper one is what both cues say
        general = set().union(*(self.generals.get(h.metric, ()) for h in near))
        near = [h for h in near if h.metric not in general] or near
        best = near[0]
        rivals = sorted({h.metric for h in near if h.metric != best.metric})
        if rivals:
            return Pick(None, best.words, (best.metric, *rivals), best.ref)
        return _picked(best)

