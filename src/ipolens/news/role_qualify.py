"""Qualifiers: context words that sharpen a figure's role once its cue has named it (暗盘 turns a close into a
grey-market price, 一度 a return into the intraday high's, 原计划 shares offered into the initial number).

A qualifier names its context (a pattern), the scope the context is looked for in (the figure's clause, its sentence,
or the sentence up to the figure), words that cancel it (``unless``) and the roles it sharpens (``becomes``). The
lexicon (``roles.Lexicon``) holds them in file order; this module decides which one applies to a figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cue_filter import fold
from .first_scan import finditer, starts_rx

if TYPE_CHECKING:  # the lexicon only calls in here: no import at run time, no cycle
    from .roles import Lexicon

__all__ = ["Qualifier", "qualify", "qualifier_for", "CHAIN"]

_PAST_CLAUSE = 10_000  # added to the distance of a context past the figure's own clause (see qualifier_for)
_BEFORE_CLAUSE = _PAST_CLAUSE // 2  # ... and before it: an earlier clause still outranks a later one
CHAIN = 3  # at most this many qualifier steps sharpen one role (a bound, not a path length)


@dataclass(frozen=True)
class Qualifier:
    context: re.Pattern
    scope: str  # "clause" | "sentence" | "lead" (the sentence up to the figure)
    unless: re.Pattern | None
    becomes: dict[str, str]
    examples: tuple[dict, ...]
    family: str = ""  # qualifiers of one family compete on distance

_STARTS: dict[re.Pattern, re.Pattern | None] = {}  # a context pattern -> the class of its matches' first characters


def _starts(pattern: re.Pattern) -> re.Pattern | None:
    if pattern not in _STARTS:
        _STARTS[pattern] = starts_rx(pattern)
    return _STARTS[pattern]


def qualify(lex: "Lexicon", metric: str, clause: str, sentence: str, clause_tail: int = 0, sentence_tail: int = 0,
            figure: int = 0) -> str:
    """``metric`` sharpened by its context: ``clause`` is the clause up to the figure plus the words right after
    it, ``sentence`` the sentence with the figure and those words (``*_tail``: how many characters of each follow
    the figure; ``figure``: the figure's own length, which ends where the tail starts). A sharpened role is
    sharpened again (proceeds -> ipo_proceeds -> ipo_proceeds_forecast), at most CHAIN times and never back to
    a role it was: each qualifier states one step, not every path."""
    seen = {metric}
    current = metric
    for _ in range(CHAIN):
        q = qualifier_for(lex, current, clause, sentence, clause_tail, sentence_tail, figure)
        if q is None:
            break
        nxt = q.becomes[current]
        if nxt in seen:
            break
        seen.add(nxt)
        current = nxt
    return current if current != metric else lex.defaults.get(metric, metric)


def qualifier_for(lex: "Lexicon", metric: str, clause: str, sentence: str, clause_tail: int, sentence_tail: int,
                  figure: int) -> Qualifier | None:
    """The qualifier that sharpens ``metric`` here: the first (in the lexicon's order) whose context is found
    (an ``unless`` word counts between the context and the figure, and in the figure's own clause when the
    context lies outside it); qualifiers of one family compete, and the one whose context sits nearest the
    figure, before or after it, wins (before on a tie: 'from 10% to 50%' - the 10% is the 'from' one)."""
    chosen: tuple[tuple[int, int], Qualifier] | None = None
    if not lex.has_qualifiers(metric):
        return None
    quals = lex.qualifiers_of(metric)  # the qualifiers that can sharpen this role (with their words), in order
    folded: dict[bool, str] = {}  # the clause (True) or the sentence (False), folded once
    for q, words in quals:
        if chosen and (not q.family or q.family != chosen[1].family):
            continue
        if words is not None:  # a context none of whose words is in its scope cannot match there
            where_from = clause if q.scope == "clause" else sentence  # (the lead is a part of the sentence)
            low = folded.get(q.scope == "clause")
            if low is None:
                low = folded[q.scope == "clause"] = fold(where_from)
            if not words.found_in(low):
                continue
        if q.scope == "lead":  # the sentence before the figure, and the rest of the figure's own clause
            own_tail = min(clause_tail, sentence_tail)  # ('其中10%为公开发售': its own words, not the clause before's)
            scope, tail = sentence[:len(sentence) - sentence_tail + own_tail], own_tail
        else:
            scope, tail = (sentence, sentence_tail) if q.scope == "sentence" else (clause, clause_tail)
        fig_end = len(scope) - tail
        fig_start = max(0, fig_end - figure)
        # a context after the figure past its own clause is about what follows ('开盘价15元,较发行价低9%,随后
        # 攀升,截至发稿时…': the open, not the press time, is the 9%'s moment): it ranks after any nearer clause's
        own_end = fig_end + min(clause_tail, tail)
        # a context before the figure's own clause ranks after any in that clause, before any past it ('其中90%为国际
        # 配售，10%为公开发售': the 10%'s own words name its tranche, the clause before names the 90%'s)
        own_start = max(0, fig_end - (len(clause) - clause_tail))
        found, rank = None, None
        for m in finditer(q.context, _starts(q.context), scope):  # (tried only where a match can start)
            if m.end() <= fig_start:
                r = (fig_start - m.end() + (_BEFORE_CLAUSE if m.end() <= own_start else 0), 0)
            elif m.start() >= own_end and m.start() > fig_end:
                r = (_PAST_CLAUSE + m.start() - fig_end, 1)
            elif m.start() >= fig_end:
                r = (m.start() - fig_end, 1)
            else:
                r = (0, 0)
            if rank is None or r < rank:
                found, rank = m, r
            elif m.start() >= fig_end:
                break  # later contexts after the figure are further away
        if found is None:
            continue
        if q.unless is not None and q.unless.search(scope, found.end(), max(found.end(), fig_end)):
            continue
        # a context outside the figure's own clause yields to an unless word in that clause ('顶头槌' later in
        # the sentence does not make '一手中签率' the top tier's)
        own = max(0, fig_end - (len(clause) - clause_tail))
        if q.unless is not None and not own <= found.start() < fig_end and q.unless.search(scope, own, fig_end):
            continue
        if chosen is None or rank < chosen[0]:
            chosen = (rank, q)
        if not q.family:
            break
    return chosen[1] if chosen else None
