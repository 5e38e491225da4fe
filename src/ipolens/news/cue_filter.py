"""Which lexicon patterns can match in a piece of text, found in one pass over it.

A role cue or qualifier is a regular expression; most of them cannot match where none of a few literal words occurs
('发行价', 'offer price', '报'). ``required_words`` reads those words off the parsed pattern (every match contains at
least one of them), and a ``WordIndex`` finds all of them for all patterns with one Aho-Corasick pass over the text,
so a figure's window is searched only with the patterns that can match in it. The filter only ever skips a pattern
that cannot match: the answers are those of running every pattern. The case fold it reads words in is case_fold's.
"""
from __future__ import annotations

import re
from typing import Hashable, Iterable

from .case_fold import _fold_table, ascii_case_forms, fold  # re-exported: modules and tests import them here

__all__ = ["required_words", "first_chars", "WordIndex", "fold"]

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse as _sre


def _plain(ch: str) -> str | None:
    """The character a literal of a pattern is looked for as in folded text, None when it cannot be: ASCII (letters
    folded), and CJK, which has no case; anything else may match characters the fold does not map onto it."""
    if ch.isascii():
        return ch.lower()
    return ch if "\u2e80" <= ch <= "\u9fff" else None


def required_words(pattern: re.Pattern) -> frozenset[str] | None:
    """Words (in folded form) one of which every match of ``pattern`` contains, or None when the pattern gives none
    (then it may match anywhere)."""
    try:
        return _sequence(_sre.parse(pattern.pattern, pattern.flags))
    except Exception:  # a construct the walk does not know: no filter
        return None


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective requirement: the longest shortest word, then the fewest words."""
    if not cands:
        return None
    return max(cands, key=lambda s: (min(map(len, s)), -len(s)))


def _sequence(items) -> frozenset[str] | None:
    c = _sre
    cands: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            ch = _plain(chr(av))
            if ch is None:
                flush()
            else:
                run.append(ch)
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the literals either side are adjacent in the text
        flush()
        req = None
        if op is c.IN:
            req = _char_class(av)
        elif op is c.BRANCH:
            req = _branch(av[1])
        elif op is c.SUBPATTERN:
            req = _sequence(av[-1])
        elif op is getattr(c, "ATOMIC_GROUP", None):
            req = _sequence(av)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            req = _sequence(av[2])
        if req:
            cands.append(req)
    flush()
    return _best(cands)


def _branch(alternatives) -> frozenset[str] | None:
    out: set[str] = set()
    for alt in alternatives:
        req = _sequence(alt)
        if req is None:
            return None  # an alternative without a word: the branch may match anywhere
        out |= req
    return frozenset(out)


def _char_class(av) -> frozenset[str] | None:
    out = set()
    for op, ch in av:
        if op is not _sre.LITERAL:
            return None  # a range, a category or a negation: no literal to look for
        p = _plain(chr(ch))
        if p is None:
            return None
        out.add(p)
    return frozenset(out)


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters any non-empty match of ``pattern`` starts with, when they are all CJK ideographs or ASCII (with
    every form IGNORECASE gives an ASCII letter); else None."""
    try:
        parsed = _sre.parse(pattern.pattern, pattern.flags)
        chars, nullable = _first_of(parsed)
    except Exception:  # a construct the walk does not know: no filter
        return None
    if nullable or not chars or not all("\u2e80" <= c <= "\u9fff" or c.isascii() for c in chars):
        return None
    out = set(chars)
    if pattern.flags & re.I or _scoped_ignorecase(parsed):  # ('(?i:offer) price' has no re.I in pattern.flags)
        for c in chars:
            out |= ascii_case_forms().get(c, set())
    return frozenset(out)


def _scoped_ignorecase(items) -> bool:
    """Whether a group of the parsed sequence turns IGNORECASE on for its own part ('(?i:...)')."""
    for op, av in items:
        if op is _sre.SUBPATTERN and (av[1] & re.I or _scoped_ignorecase(av[-1])):
            return True
        if op is _sre.BRANCH and any(_scoped_ignorecase(alt) for alt in av[1]):
            return True
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) and \
                _scoped_ignorecase(av[2]):
            return True
        if op is getattr(_sre, "ATOMIC_GROUP", None) and _scoped_ignorecase(av):
            return True
    return False


def _first_of(items) -> tuple[set[str], bool]:
    """(first characters, whether the sequence can match empty) of a parsed regex sequence; raises on the unknown."""
    c = _sre
    acc: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            return acc | {chr(av)}, False
        if op is c.IN:
            chars = set()
            for sub_op, sub_av in av:
                if sub_op is not c.LITERAL:
                    raise ValueError(sub_op)
                chars.add(chr(sub_av))
            return acc | chars, False
        if op is c.BRANCH:
            first, nullable = set(), False
            for alt in av[1]:
                f, n = _first_of(alt)
                first |= f
                nullable = nullable or n
            acc |= first
            if not nullable:
                return acc, False
        elif op is c.SUBPATTERN:
            f, n = _first_of(av[-1])
            acc |= f
            if not n:
                return acc, False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            f, n = _first_of(av[2])
            acc |= f
            if av[0] > 0 and not n:
                return acc, False
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the match starts at what follows
        else:
            raise ValueError(op)
    return acc, True


class WordIndex:
    """The required words of many patterns, each pattern named by a key: ``latest(text)`` gives, for every key one of
    whose words occurs in ``text``, the largest offset at which such a word starts; keys whose pattern has no
    required word are ``always``."""

    def __init__(self, patterns: Iterable[tuple[Hashable, re.Pattern]]):
        import ahocorasick

        by_word: dict[str, list] = {}
        self.always: list = []
        for key, pat in patterns:
            words = required_words(pat)
            if words is None:
                self.always.append(key)
                continue
            for w in words:
                by_word.setdefault(w, []).append(key)
        self._auto = None
        if by_word:
            self._auto = ahocorasick.Automaton()
            for w, keys in by_word.items():
                self._auto.add_word(w, (len(w) - 1, tuple(keys)))
            self._auto.make_automaton()

    def present(self, text: str) -> set:
        """The keys that can match in ``text``: those one of whose words occurs there, and the ``always`` ones."""
        out = set(self.always)
        if self._auto is not None and text:
            for _, (_, keys) in self._auto.iter(fold(text)):
                out.update(keys)
        return out

    def latest(self, text: str) -> dict:
        """key -> the start of the last required word of that key in ``text`` (keys with no word there absent)."""
        out: dict = {}
        if self._auto is None or not text:
            return out
        for end, (back, keys) in self._auto.iter(fold(text)):
            start = end - back
            for k in keys:
                if out.get(k, -1) < start:  # hits come by end: a longer word ending later may start earlier
                    out[k] = start
        return out
