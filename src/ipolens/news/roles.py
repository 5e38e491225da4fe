"""The role of a figure: which metric a number measures, read from the cue words nearest to it in its clause.

The cues live in ``lexicon/roles.yaml``. A cue sits right before the figure (the nearest wins) or right after it
(``54元的发行价``). When cues of different roles sit at about the same distance the figure stays unassigned: a wrong
role makes a false flag downstream, a missing one only leaves a claim unchecked. Qualifiers then sharpen the role
from its context (暗盘 turns a close into a grey-market price, 一度 a return into the intraday high's).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Cue", "Qualifier", "Lexicon", "Pick", "lexicon", "LEXICON_PATH", "TIE"]

LEXICON_PATH = Path(__file__).with_name("lexicon") / "roles.yaml"
TIE = 1  # cues of different roles whose distances to the figure differ by at most this many characters conflict
_AFTER_GAP = r"^\s?(?:的\s?)?"  # what may sit between a figure and a cue right after it
_FILLER = re.compile(r"[\s为是达约了报:]|每股|高达|分别|\b(?:of|at|to|by|about|was|is|a|an|the)\b", re.I)  # no distance


@dataclass(frozen=True)
class Cue:
    metric: str
    kinds: frozenset[str]
    side: str  # "before" | "after"
    pattern: re.Pattern
    example: str


@dataclass(frozen=True)
class Qualifier:
    context: re.Pattern
    scope: str  # "clause" | "sentence" | "lead" (the sentence up to the figure)
    unless: re.Pattern | None
    becomes: dict[str, str]
    examples: tuple[dict, ...]
    family: str = ""  # qualifiers of one family compete on distance


@dataclass(frozen=True)
class Pick:
    metric: str | None  # None: no cue, or cues of different roles conflict
    cue: str = ""  # the words that gave the role
    conflict: tuple[str, ...] = ()  # the roles that conflicted


@dataclass(frozen=True)
class _Hit:
    metric: str
    distance: int
    start: int
    end: int
    side: str
    words: str


class Lexicon:
    def __init__(self, cues: list[Cue], qualifiers: list[Qualifier], by_unit: dict[str, str],
                 by_noun: dict[str, str], defaults: dict[str, str] | None = None,
                 ranges: dict[str, str] | None = None, scale: dict | None = None):
        self.cues = cues
        scale = scale or {}
        # a money role must fit the figure's size: a per-share price of 71 million is an amount read with a far cue
        self.per_share = frozenset(scale.get("per_share") or ())
        self.per_share_max = float(scale.get("per_share_max") or float("inf"))
        self.amounts = frozenset(scale.get("amounts") or ())
        self.amount_min = float(scale.get("amount_min") or 0)
        self.defaults = defaults or {}  # what a role becomes when no qualifier applies
        self.ranges = ranges or {}  # what a role becomes when the figure is a range
        self.qualifiers = qualifiers
        self.by_unit = by_unit
        self.by_noun = by_noun
        self._by_kind: dict[str, list[Cue]] = {}
        for c in cues:
            for k in c.kinds:
                self._by_kind.setdefault(k, []).append(c)
        # one search for any cue of a kind before the per-cue searches: most texts hold none
        self._any: dict[tuple[str, str], re.Pattern] = {}
        for k, cs in self._by_kind.items():
            for side in ("before", "after"):
                pats = [c.pattern.pattern for c in cs if c.side == side]
                if pats:
                    self._any[k, side] = re.compile("|".join(f"(?:{p})" for p in pats), re.I)

    @classmethod
    def load(cls, path: str | Path = LEXICON_PATH) -> "Lexicon":
        import yaml

        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        cues = []
        for role in data["roles"]:
            kinds = frozenset(role["kinds"])
            for side in ("before", "after"):
                for entry in role.get(side) or ():
                    pat = entry["cue"]
                    if side == "after":
                        pat = f"{_AFTER_GAP}(?:{pat})"
                    cues.append(Cue(role["metric"], kinds, side, re.compile(pat, re.I), entry["eg"]))
        quals = []
        for q in data.get("qualifiers") or ():
            eg = q.get("eg") or []
            quals.append(Qualifier(re.compile(q["context"], re.I), q.get("scope", "clause"),
                                   re.compile(q["unless"], re.I) if q.get("unless") else None,
                                   dict(q["becomes"]), tuple(eg if isinstance(eg, list) else [eg]),
                                   q.get("family", "")))
        return cls(cues, quals, dict(data.get("by_unit") or {}), dict(data.get("by_noun") or {}),
                   dict(data.get("defaults") or {}), dict(data.get("ranges") or {}), data.get("scale"))

    def metrics(self) -> set[str]:
        out = {self.defaults.get(c.metric, c.metric) for c in self.cues} | set(self.by_unit.values()) \
            | set(self.by_noun.values()) | set(self.defaults.values()) | set(self.ranges.values())
        for q in self.qualifiers:
            out |= set(q.becomes.values())
        return out

    def fits(self, metric: str, value: float | None) -> bool:
        """Whether a money figure of ``value`` can be ``metric``: per-share prices are small, deal amounts large."""
        if value is None:
            return True
        metric = self.defaults.get(metric, metric)
        if metric in self.per_share:
            return abs(value) < self.per_share_max
        if metric in self.amounts:
            return abs(value) >= self.amount_min
        return True

    def pick(self, kind: str, before: str, after: str = "", value: float | None = None) -> Pick:
        """The role of a figure of ``kind`` from the text right ``before`` it and right ``after`` it (``value``: a
        money figure's size; cues of roles it cannot fit are passed over)."""
        hits: list[_Hit] = []
        n = len(before)
        any_before = (kind, "before") in self._any and self._any[kind, "before"].search(before) is not None
        any_after = bool(after) and (kind, "after") in self._any and self._any[kind, "after"].match(after) is not None
        for cue in self._by_kind.get(kind, ()):
            if cue.side == "before":
                if not any_before:
                    continue
                last = None
                for m in cue.pattern.finditer(before):
                    if m.end() > m.start():
                        last = m
                if last is not None:
                    gap = before[last.end():]
                    hits.append(_Hit(cue.metric, len(gap) - len(_FILLER.findall(gap)), last.start(), last.end(),
                                     "before", last[0]))
            elif any_after:
                m = cue.pattern.match(after)
                if m and m.end() > 0:
                    # '15%的超额配股权': a head noun joined by 的 names what the figure is, before any cue in front
                    head = "的" in m[0][:3]
                    hits.append(_Hit(cue.metric, -TIE - 1 if head else 0, m.start(), m.end(), "after", m[0].strip()))
        hits = [h for h in hits if self.fits(h.metric, value)]
        if not hits:
            return Pick(None)
        # a cue inside a longer cue of the same side is the same words read less precisely (价 in 发行价)
        hits = [h for h in hits if not any(o is not h and o.side == h.side and o.start <= h.start and h.end <= o.end
                                           and (o.end - o.start) > (h.end - h.start) for o in hits)]
        hits.sort(key=lambda h: (h.distance, -(h.end - h.start)))
        best = hits[0]
        rivals = sorted({h.metric for h in hits if h.metric != best.metric and h.distance - best.distance <= TIE})
        if rivals:
            return Pick(None, best.words, (best.metric, *rivals))
        return Pick(best.metric, best.words)

    def qualify(self, metric: str, clause: str, sentence: str, clause_tail: int = 0, sentence_tail: int = 0) -> str:
        """``metric`` sharpened by its context: ``clause`` is the clause up to the figure plus the words right after
        it, ``sentence`` the sentence with the figure and those words (``*_tail``: how many characters of each follow
        the figure; an ``unless`` word counts only between the context and the figure). The first qualifier (in the lexicon's order)
        whose context is found wins; qualifiers of one family compete, and the one whose context sits nearest the
        figure wins ('净利...营收同比增长' is about revenue)."""
        chosen: tuple[int, Qualifier] | None = None
        for q in self.qualifiers:
            if metric not in q.becomes or (chosen and (not q.family or q.family != chosen[1].family)):
                continue
            if q.scope == "lead":  # the sentence before the figure only
                scope, tail = sentence[:len(sentence) - sentence_tail], 0
            else:
                scope, tail = (sentence, sentence_tail) if q.scope == "sentence" else (clause, clause_tail)
            found = None
            for m in q.context.finditer(scope):
                found = m
            if found is None:
                continue
            if q.unless is not None and q.unless.search(scope, found.end(), max(found.end(), len(scope) - tail)):
                continue
            where = found.end() - len(scope)  # <= 0: nearer the figure's end is larger
            if chosen is None or where > chosen[0]:
                chosen = (where, q)
            if not q.family:
                break
        if chosen:
            return chosen[1].becomes[metric]
        return self.defaults.get(metric, metric)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The package's role lexicon, read once."""
    return Lexicon.load()
