"""The role of a figure: which metric a number measures, read from the cue words nearest to it in its clause.

The cues live in ``lexicon/roles.yaml``. A cue sits right before the figure (the nearest wins) or right after it
(``54元的发行价``). When cues of different roles sit at about the same distance the figure stays unassigned: a wrong
role makes a false flag downstream, a missing one only leaves a claim unchecked (a role and the sharper role a
qualifier makes of it do not conflict: the sharper one wins). Qualifiers then sharpen the role from its context (暗盘
turns a close into a grey-market price, 一度 a return into the intraday high's; ``role_qualify`` decides which one
applies). Where the figure's clause starts and ends is ``clauses``' business. Every pick names the lexicon entry
that fired (``Pick.ref``), so each entry's test can check that the entry itself, not a neighbour, gives its
example's role.

A figure's window is searched (``cue_search``) only with the cues that can match in it: the words every match of a cue holds are read
off its pattern, and one Aho-Corasick pass over the window finds them for all cues (``cue_filter``), so the cost per
figure does not grow with the number of cues in the lexicon.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cue_filter import WordIndex, first_chars as _first_chars, required_words
from .cue_search import _MEMO_SIZE, TIE, CueSearch, Pick, _Hit, _picked  # noqa: F401 (re-exported: the search half)
from .role_qualify import Qualifier, qualify

__all__ = ["Cue", "Qualifier", "Lexicon", "Pick", "lexicon", "LEXICON_PATH", "TIE"]

LEXICON_PATH = Path(__file__).with_name("lexicon") / "roles.yaml"
# what may sit between a figure and a cue right after it: a space, 的, and after 的 a short modifier of the head noun
# ('180%的首日升幅', '640倍的散户认购倍数': the noun the figure is joined to names it, whatever qualifies it)
_AFTER_GAP = r"^\s?(?:的\s?(?P<mod>[\u4e00-\u9fff]{0,4}?))?"
# what may sit between a head noun and its figure: a linking verb, an approximation word ('价格为约', 'price of')
_HEAD_VERBS = re.compile(r"(?:[\s:约共合]|为|达到?|高达|是|录得|报|有|"
                         r"\b(?:of|was|is|were|are|at|about|totall?ed|reached)\b)*$", re.I)
_HEAD_JOIN = re.compile(r"^\s?(?:的|个|只|家|名|位|份|张|项)\s?")  # a noun joined after the figure: 的, a measure word


@dataclass(frozen=True)
class Cue:
    metric: str
    kinds: frozenset[str]
    side: str  # "before" | "after"
    pattern: re.Pattern
    example: str
    ref: str = ""  # which lexicon entry: 'metric/side/n', n counting that metric's cues of that side in file order
    needs: re.Pattern | None = None  # words the text before the figure must hold for the cue to count


class Lexicon(CueSearch):
    def __init__(self, cues: list[Cue], qualifiers: list[Qualifier], by_unit: dict[str, str],
                 by_noun: dict[str, str], defaults: dict[str, str] | None = None,
                 ranges: dict[str, str] | None = None, scale: dict | None = None):
        self.cues = cues
        self._memo: dict[tuple, list] = {}  # (kind, window, size) -> before-hits: short windows recur ('为', '约')
        self._picks: dict[tuple, Pick] = {}  # (kind, before, after, value) -> pick: a pick is a pure function of them
        scale = scale or {}
        # a money role must fit the figure's size: a per-share price of 71 million is an amount read with a far cue
        self.per_share = frozenset(scale.get("per_share") or ())
        self.per_share_max = float(scale.get("per_share_max") or float("inf"))
        self.amounts = frozenset(scale.get("amounts") or ())
        self.amount_min = float(scale.get("amount_min") or 0)
        self.defaults = defaults or {}  # what a role becomes when no qualifier applies
        self.ranges = ranges or {}  # what a role becomes when the figure is a range
        self.qualifiers = qualifiers
        self._quals_for: dict[str, list[tuple[Qualifier, frozenset[str] | None]]] = {}
        # what a sharpened role was sharpened from (intl_tranche_pct_initial -> intl_tranche_pct): a role carried to
        # the next figure is re-read in that figure's own context
        self.base_of = {v: k for q in reversed(qualifiers) for k, v in q.becomes.items() if v != k}
        self.generals: dict[str, set[str]] = {}  # every role a qualifier sharpens into this one
        for q in qualifiers:
            for k, v in q.becomes.items():
                if v != k:
                    self.generals.setdefault(v, set()).add(k)
        self.by_unit = by_unit
        self.by_noun = by_noun
        self.by_measure: dict[str, str] = {}  # a count's measure word names what is counted when no cue does
        self.words: dict[str, re.Pattern] = {}  # the lexicon's named word lists (`word_lists`: later, anaphor, ...)
        self.version_before: re.Pattern | None = None  # 'PCIe ' right before a number (lexicon `version_names`)
        self.price_returns: dict[str, str] = {}  # '$83.23 (168%)': the return a price's bracketed percentage is
        # generic head nouns (ending the words before the figure, starting those after it) -> each kind's general role
        self.by_head: list[tuple[re.Pattern, re.Pattern, dict[str, str]]] = []
        self._by_kind: dict[str, list[Cue]] = {}
        for c in cues:
            for k in c.kinds:
                self._by_kind.setdefault(k, []).append(c)
        # after-cues: the characters a cue's own words must start with (None: any), within the first
        # _AFTER_REACH characters after the figure; a cue none of whose first characters is there is not searched
        first = {id(c): None if "(?P<skip>" in c.pattern.pattern else
                 _first_chars(re.compile(c.pattern.pattern[len(_AFTER_GAP):], c.pattern.flags))
                 for c in cues if c.side == "after"}
        # per kind: the after-cues by first character (as positions in the kind's cue list, for the tie order), and
        # those that cannot be filtered
        self._by_char: dict[tuple[str, str], dict[str, list[int]]] = {}
        self._always: dict[tuple[str, str], list[int]] = {}
        for k, cs in self._by_kind.items():
            for i, c in enumerate(cs):
                if c.side != "after":
                    continue
                if first[id(c)] is None:
                    self._always.setdefault((k, c.side), []).append(i)
                else:
                    for ch in first[id(c)]:
                        self._by_char.setdefault((k, c.side), {}).setdefault(ch, []).append(i)
        # per kind: the words one of which every before-cue's match holds, found for all cues in one pass over a
        # window (the cues none of whose words occur there cannot match and are not searched)
        self._before_words = {k: WordIndex((i, c.pattern) for i, c in enumerate(cs) if c.side == "before")
                              for k, cs in self._by_kind.items()}
        # the after-cues no first character filters (most reach a few words on): tried only when one of their
        # words occurs in the words after the figure (one pass for all of them)
        self._always_words = {k: WordIndex((i, self._by_kind[k[0]][i].pattern) for i in ids)
                              for k, ids in self._always.items()}

    def has_qualifiers(self, metric: str) -> bool:
        """Whether any qualifier can sharpen ``metric`` (else ``qualify`` gives its default at once)."""
        quals = self._quals_for.get(metric)
        if quals is None:
            quals = self._quals_for[metric] = [(q, _any_of(required_words(q.context))) for q in self.qualifiers
                                               if metric in q.becomes]
        return bool(quals)

    def qualifiers_of(self, metric: str) -> list[tuple[Qualifier, frozenset[str] | None]]:
        """The qualifiers that can sharpen ``metric`` with the words every match of each holds, in lexicon order."""
        if metric not in self._quals_for:
            self.has_qualifiers(metric)
        return self._quals_for[metric]

    def forget(self) -> None:
        """Empty the remembered windows and picks (a benchmark's cold start; the answers do not change)."""
        self._memo.clear()
        self._picks.clear()

    @classmethod
    def load(cls, path: str | Path = LEXICON_PATH) -> "Lexicon":
        import yaml

        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        cues = []
        counts: dict[str, int] = {}
        words = dict(data.get("word_lists") or {})
        families = {f"{{{name}}}": forms for name, forms in {**(data.get("verb_forms") or {}), **words}.items()}
        for role in data["roles"]:
            kinds = frozenset(role["kinds"])
            for side in ("before", "after"):
                for entry in role.get(side) or ():
                    key = f"{role['metric']}/{side}"
                    counts[key] = counts.get(key, 0) + 1
                    pat = entry["cue"]
                    for name, forms in families.items():  # a verb family named in the cue: all its forms
                        pat = pat.replace(name, forms)
                    if side == "after" and entry.get("reach"):  # the cue may sit a few words on in the sentence
                        pat = f"^(?P<skip>[^。!?;\n]{{0,{int(entry['reach'])}}}?)(?:{pat})"
                    elif side == "after":
                        pat = f"{_AFTER_GAP}(?:{pat})"
                    needs = re.compile(entry["needs"], re.I) if entry.get("needs") else None
                    cues.append(Cue(role["metric"], kinds, side, re.compile(pat, re.I), entry["eg"],
                                    f"{key}/{counts[key]}", needs))
        quals = []
        for q in data.get("qualifiers") or ():
            eg = q.get("eg") or []
            quals.append(Qualifier(re.compile(_named(q["context"], families), re.I), q.get("scope", "clause"),
                                   re.compile(_named(q["unless"], families), re.I) if q.get("unless") else None,
                                   dict(q["becomes"]), tuple(eg if isinstance(eg, list) else [eg]),
                                   q.get("family", "")))
        lex = cls(cues, quals, dict(data.get("by_unit") or {}), dict(data.get("by_noun") or {}),
                  dict(data.get("defaults") or {}), dict(data.get("ranges") or {}), data.get("scale"))
        lex.by_measure = dict(data.get("by_measure") or {})
        lex.words = {name: re.compile(pat, re.I) for name, pat in words.items()}
        names = data.get("version_names") or ()
        lex.version_before = re.compile(  # a standard's name right before a bare number: the number is its version
            r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")\s?(?:Gen\s?)?\Z") if names else None
        lex.price_returns = dict(data.get("price_returns") or {})
        # the noun ends the words before the figure, or starts those after it (joined by 的 or a measure word)
        lex.by_head = [(re.compile(f"(?:{h['noun']})$", re.I), re.compile(f"(?:{h['noun']})", re.I),
                        dict(h["roles"])) for h in data.get("by_head") or ()]
        return lex

    def metrics(self) -> set[str]:
        out = {self.defaults.get(c.metric, c.metric) for c in self.cues} | set(self.by_unit.values()) \
            | set(self.by_noun.values()) | set(self.defaults.values()) | set(self.ranges.values()) \
            | set(self.by_measure.values()) | set(self.price_returns.values()) \
            | {m for *_, roles in self.by_head for m in roles.values()}
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

    def head_role(self, kind: str, before: str, after: str = "", value: float | None = None) -> str | None:
        """The most general role of ``kind`` named by the head noun of the figure's phrase: the subject right
        before it ('价格为{12.5港元}': the noun before 为/达/是/录得/报) or the noun joined right after it by 的 or
        a measure word ('{5000}名的人士'); None when that noun is no generic one of ``by_head`` for this kind."""
        if not self.by_head:
            return None
        lead = _HEAD_VERBS.sub("", before[-24:])
        tail = _HEAD_JOIN.sub("", after[:12], count=1)
        joined = tail != after[:12]
        for ends, starts, roles in self.by_head:
            metric = roles.get(kind)
            if metric is None or not self.fits(metric, value):
                continue
            if ends.search(lead) or (joined and starts.match(tail)):
                return metric
        return None

    def qualify(self, metric: str, clause: str, sentence: str, clause_tail: int = 0, sentence_tail: int = 0,
                figure: int = 0) -> str:
        """``metric`` sharpened by its context (``role_qualify.qualify``)."""
        return qualify(self, metric, clause, sentence, clause_tail, sentence_tail, figure)


def _named(pattern: str, families: dict[str, str]) -> str:
    """``pattern`` with each named word list or verb family ('{later}') written out."""
    for name, forms in families.items():
        pattern = pattern.replace(name, forms)
    return pattern


class _AnyOf(frozenset):
    """Words, one of which a text must hold: ``words.found_in(text)`` is one search of them all (a walk over the
    words, one substring test each, cost more than the qualifier's own test for a role with many qualifiers)."""

    def found_in(self, text: str) -> bool:
        rx = self.__dict__.get("rx")
        if rx is None:
            rx = self.__dict__["rx"] = re.compile("|".join(re.escape(w) for w in sorted(self, key=len, reverse=True)))
        return rx.search(text) is not None


def _any_of(words: frozenset[str] | None) -> _AnyOf | None:
    return None if words is None else _AnyOf(words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The package's role lexicon, read once."""
    return Lexicon.load()
