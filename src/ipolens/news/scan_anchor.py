"""Every match of a regex, looked for only where a literal character that every match holds occurs.

Most date and idiom patterns can only match where one of a few literal characters sits at a bounded distance from the
match start ('年' four characters into '2025年', '成' one into '三成'). ``Anchored`` reads those characters and
distances off the parsed pattern, finds the characters with ``str.find`` (a fast C loop) and tries the pattern only
at the start positions they allow. No other position can start a match, so the matches are exactly those of
``pattern.finditer(text)``, in order; the regex engine just no longer steps through every position of a long text.
A pattern without such a character, or a text where the characters are too frequent to gain, is searched as usual.
"""
from __future__ import annotations

import re
from typing import Iterator

from .cue_filter import ascii_case_forms, fold

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse as _sre

__all__ = ["Anchored", "CharPositions"]

_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_UNBOUNDED = _sre.MAXREPEAT
# relative costs (about microseconds): the regex engine stepping over one character, finding and checking one anchor
# character, trying the pattern at one start. The anchors are used when they cost less than the scan; past the
# limits (anchor characters, starts per character of text) the sample misled and the scan is used after all.
_SCAN_COST, _FIND_COST, _MATCH_COST = 0.015, 1.0, 0.6
_MAX_FOUND = 0.05
_MAX_SHARE = 0.02
# how frequent a character is, read on slices spread over the text (it decides the cost only, never a result)
_SLICES, _SLICE = 16, 1024


Run = tuple  # tuple[frozenset[str], ...]: consecutive characters of a match, each one of a set


class CharPositions:
    """The offsets of single characters in one text, found on first use and shared by every pattern scanned."""

    def __init__(self, text: str):
        self.text = text
        self._at: dict[str, list[int]] = {}
        self._chars: dict[str, int] = {}
        self._passed: dict[Run, int] = {}
        self._folded: str | None = None
        self._words: dict[str, int] = {}
        self._word_at: dict[str, list[int]] = {}
        step = max(_SLICE, len(text) // _SLICES)
        self._slices = [(i, min(i + _SLICE, len(text))) for i in range(0, len(text), step)]
        self.sample = sum(e - s for s, e in self._slices)

    def sampled_count(self, ch: str) -> int:
        """How often ``ch`` occurs in the sampled slices (``sample`` characters in all)."""
        n = self._chars.get(ch)
        if n is None:
            n = self._chars[ch] = sum(self.text.count(ch, s, e) for s, e in self._slices)
        return n

    def sampled(self, run: Run, cap: float) -> tuple[int, int]:
        """(how often the first character of ``run`` occurs in the sampled slices, how often all of ``run`` does);
        when the first count passes ``cap`` the second is not counted (it is given as the first)."""
        first = sum(self.sampled_count(c) for c in run[0])
        if len(run) == 1 or first > cap:
            return first, first
        passed = self._passed.get(run)
        if passed is None:
            text = self.text
            passed = 0
            for c in run[0]:
                for s, e in self._slices:
                    i = text.find(c, s, e)
                    while i >= 0:
                        passed += _holds(text, i, run)
                        i = text.find(c, i + 1, e)
            self._passed[run] = passed
        return first, passed

    def known(self, ch: str) -> bool:
        return ch in self._at

    def folded(self) -> str:
        """The text case-folded onto ASCII (``cue_filter.fold``: one character for one, offsets kept)."""
        if self._folded is None:
            last = _LAST_FOLDED[0]
            if last is None or last[0] is not self.text:  # numbers and dates scan the same text: fold it once
                last = _LAST_FOLDED[0] = (self.text, fold(self.text))
            self._folded = last[1]
        return self._folded

    def sampled_word(self, word: str) -> int:
        """How often ``word`` (folded) occurs in the folded text's sampled slices."""
        n = self._words.get(word)
        if n is None:
            folded = self.folded()
            n = self._words[word] = sum(folded.count(word, s, e) for s, e in self._slices)
        return n

    def word_at(self, word: str) -> list[int]:
        """Where ``word`` (folded) occurs in the folded text, overlaps included: every place a run that folds to it
        can be written (and a few more, a case-sensitive run being found in any case: the caller checks)."""
        out = self._word_at.get(word)
        if out is None:
            out = _every_word_at(self.text, self.folded()).get(word)
            if out is None:  # (a word no pattern's run had given when the text was read)
                out = []
                find = self.folded().find
                i = find(word)
                while i >= 0:
                    out.append(i)
                    i = find(word, i + 1)
            self._word_at[word] = out
        return out

    def of(self, ch: str) -> list[int]:
        out = self._at.get(ch)
        if out is None:
            out = self._at[ch] = []
            find = self.text.find
            i = find(ch)
            while i >= 0:
                out.append(i)
                i = find(ch, i + 1)
        return out


_LAST_FOLDED: list[tuple[str, str] | None] = [None]  # (text, its fold): the last text folded
# Every word the patterns' runs are looked for by (``_word``) is found in one Aho-Corasick pass over the folded text
# (a str.find pass each cost a pass over the text per word); the last text's answer is kept: numbers and dates scan
# the same text.
_WORD_AUTOMATON: list = [-1, frozenset(), None]  # how many runs _WORDS had, their words, the words' automaton
_LAST_WORDS: list = [None, None, {}]  # text, the words looked for, word -> where it starts (overlaps included)


def _every_word_at(text: str, folded: str) -> dict[str, list[int]]:
    if _WORD_AUTOMATON[0] != len(_WORDS):  # a pattern has given a new run
        import ahocorasick

        words = frozenset(w for w in _WORDS.values() if w is not None)
        auto = ahocorasick.Automaton()
        for w in words:
            auto.add_word(w, w)
        auto.make_automaton()
        _WORD_AUTOMATON[:] = len(_WORDS), words, auto
    words = _WORD_AUTOMATON[1]
    last = _LAST_WORDS
    if last[0] is not text or last[1] is not words:
        found: dict[str, list[int]] = {w: [] for w in words}
        if words:
            for end, w in _WORD_AUTOMATON[2].iter(folded):
                found[w].append(end - len(w) + 1)
        last[:] = text, words, found
    return last[2]


def _holds(text: str, i: int, run: Run) -> bool:
    """Whether ``run`` is written at ``i`` (its first character is known to be)."""
    n = len(text)
    for k in range(1, len(run)):
        if i + k >= n or text[i + k] not in run[k]:
            return False
    return True


class Anchored:
    """``pattern`` with the anchors its matches must hold: per alternative of the pattern, options (runs, lo, hi):
    one of the ``runs`` of literal characters starts between ``lo`` and ``hi`` characters after the match start."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.anchors = _anchors(pattern)  # None: no anchor, search as usual

    def finditer(self, text: str, chars: CharPositions | None = None) -> Iterator[re.Match]:
        """The matches of ``self.pattern.finditer(text)``; ``chars``: the text's shared character index."""
        starts = self._starts(text, chars) if self.anchors is not None else None
        if starts is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        pos = 0
        for s in starts:
            if s < pos:
                continue
            m = match(text, s)
            if m is not None:  # (never empty: an anchor is a character of the match)
                yield m
                pos = m.end()

    def _starts(self, text: str, chars: CharPositions | None) -> list[int] | None:
        """The sorted start positions a match can have, None when there are too many to gain from them."""
        chars = chars if chars is not None and chars.text is text else CharPositions(text)
        budget = _SCAN_COST * chars.sample + 4  # the regex engine's own scan of the sampled slices
        plan = []
        for options in self.anchors:  # one alternative: its cheapest anchor, estimated on the sample
            cost = []
            cap = budget / _FIND_COST
            for i, (runs, lo, hi) in enumerate(options):
                counts = [_sampled(chars, r, cap) for r in runs]
                first, passed = sum(f for f, _ in counts), sum(p for _, p in counts)
                cost.append((first * _FIND_COST + passed * (hi - lo + 1) * _MATCH_COST, i))
            spent, i = min(cost)
            budget -= spent
            if budget < 0:
                return None
            plan.append(options[i])
        starts: set[int] = set()
        found_limit = _MAX_FOUND * len(text) + 64
        limit = _MAX_SHARE * len(text) + 64
        found = 0
        for runs, lo, hi in plan:
            for run in runs:
                word = _word(run)
                if word is not None:  # the whole run found at once in the folded text (a letter alone is frequent)
                    if word not in chars._word_at and found > found_limit:
                        return None
                    at = chars.word_at(word)
                    found += len(at)
                    for p in at:
                        if text[p] in run[0] and _holds(text, p, run):
                            starts.update(range(max(0, p - hi), p - lo + 1))
                    if len(starts) > limit:
                        return None
                    continue
                for c in run[0]:
                    if not chars.known(c) and found > found_limit:
                        return None  # the sample misled: the engine's own scan is the cheaper one
                    at = chars.of(c)
                    found += len(at)
                    for p in at:
                        if len(run) == 1 or _holds(text, p, run):
                            starts.update(range(max(0, p - hi), p - lo + 1))
                    if len(starts) > limit:
                        return None
        return sorted(starts)


# a run of at least this many characters is looked for whole, in the folded text
_MIN_WORD = 3


def _word(run: Run) -> str | None:
    """The folded string every writing of ``run`` folds to, when there is one and the run is long enough to be
    rare; None: look for the run by its first character."""
    word = _WORDS.get(run, False)
    if word is False:
        keys = [{fold(c) for c in chars} for chars in run]
        word = _WORDS[run] = "".join(k.pop() for k in keys) if len(run) >= _MIN_WORD and all(
            len(k) == 1 for k in keys) else None
    return word


_WORDS: dict[Run, str | None] = {}


def _sampled(chars: CharPositions, run: Run, cap: float) -> tuple[int, int]:
    """``CharPositions.sampled`` for a run looked for by its first character; for a run looked for whole, the
    sampled count of its word (found and checked once each)."""
    word = _word(run)
    if word is None:
        return chars.sampled(run, cap)
    n = chars.sampled_word(word)
    return n, n


def _anchors(pattern: re.Pattern) -> list[list[tuple[tuple[Run, ...], int, int]]] | None:
    if pattern.flags & (re.LOCALE | re.VERBOSE):
        return None
    try:
        parsed = _sre.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - a compiled pattern parses
        return None
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    out = []
    for alt in _alternatives(list(parsed.data)):
        options = _sequence_anchors(alt, parsed.state, ignorecase)
        if not options:
            return None  # an alternative with no anchor may match anywhere
        out.append(options)
    return out


def _alternatives(items: list) -> list[list]:
    """The top-level alternatives of a sequence (one, unless the whole pattern is a branch, maybe in a group or after
    assertions)."""
    items = _flatten(items)
    # assertions before a branch move no offset: each alternative keeps them and is anchored on its own
    if items and items[-1][0] is _sre.BRANCH and all(op in _ZERO_WIDTH for op, _ in items[:-1]):
        return [items[:-1] + alt for a in items[-1][1][1] for alt in _alternatives(list(a))]
    return [items]


def _flatten(items: list) -> list:
    """Groups without flags of their own opened into the sequence (a group neither adds nor removes width)."""
    out = []
    for op, av in items:
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:
            out.extend(_flatten(list(av[-1])))
        else:
            out.append((op, av))
    return out


def _sequence_anchors(items: list, state, ignorecase: bool) -> list[tuple[tuple[Run, ...], int, int]]:
    """Every mandatory item of a sequence that starts with a literal, at a bounded distance from the match start:
    (the runs of literal characters it starts with - one per alternative of a branch -, the least and the most
    characters before it)."""
    out = []
    lo = hi = 0
    for i, (op, av) in enumerate(items):
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            break  # a width that depends on another group: no bound after it
        if op is _sre.BRANCH:
            runs = tuple(_leading_run(_flatten(list(alt)), ignorecase) for alt in av[1])
            if all(runs):
                out.append((runs, lo, hi))
        else:
            run = _leading_run(items[i:], ignorecase)
            if run:
                out.append(((run,), lo, hi))
        w_lo, w_hi = _sre.SubPattern(state, [(op, av)]).getwidth()
        lo, hi = lo + w_lo, hi + w_hi
        if hi >= _UNBOUNDED:
            break
    return out


def _leading_run(items: list, ignorecase: bool) -> Run:
    """The literal characters a sequence starts with (after zero-width assertions), each as the set of characters
    that match it; empty when it starts with anything else."""
    run = []
    for op, av in items:
        if op in _ZERO_WIDTH and not run:
            continue
        chars = _literal_set(op, av, ignorecase)
        if not chars:
            break
        run.append(chars)
    return tuple(run)


def _literal_set(op, av, ignorecase: bool) -> frozenset[str] | None:
    """The characters a one-character item matches, when it is a literal or a set of literals (None otherwise)."""
    if op is _sre.LITERAL:
        return _forms(chr(av), ignorecase)
    if op is _sre.IN:
        out: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is not _sre.LITERAL:
                return None  # a range, a category or a negation
            forms = _forms(chr(sub_av), ignorecase)
            if forms is None:
                return None
            out |= forms
        return frozenset(out)
    return None


def _forms(ch: str, ignorecase: bool) -> frozenset[str] | None:
    """The characters that match literal ``ch``: itself, and under IGNORECASE every case form of an ASCII letter;
    a cased non-ASCII character under IGNORECASE is no anchor (its case forms are not worked out here)."""
    if not ignorecase:
        return frozenset(ch)
    if ch.isascii():
        return frozenset(ascii_case_forms().get(ch, {ch}))
    if "\u2e80" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f":  # ideographs and CJK punctuation have no case
        return frozenset(ch)
    return None


class Starts:
    """The characters a non-empty match of a pattern can start with (a superset: every case form of a letter, whole
    categories): where the text's next character is none of them, the pattern can only match empty there."""

    def __init__(self, chars: frozenset[str], space: bool, digit: bool):
        self.chars, self.space, self.digit = chars, space, digit

    def admits(self, ch: str) -> bool:
        return ch in self.chars or (self.space and ch.isspace()) or (self.digit and ch.isdecimal())


def possible_starts(pattern: re.Pattern) -> Starts | None:
    """``Starts`` of ``pattern``, None when a construct of it is not read here (then no position is ruled out)."""
    try:
        chars, space, digit, _ = _starts_of(list(_sre.parse(pattern.pattern, pattern.flags).data))
    except _Unknown:
        return None
    return Starts(frozenset(chars), space, digit)


class _Unknown(Exception):
    pass


def _starts_of(items: list) -> tuple[set[str], bool, bool, bool]:
    """(characters, any whitespace, any decimal digit, can match empty) of the start of a parsed sequence."""
    chars: set[str] = set()
    space = digit = False
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _sre.LITERAL:
            return chars | _any_case(chr(av)), space, digit, False
        if op is _sre.IN:
            for sub_op, sub_av in av:
                if sub_op is _sre.LITERAL:
                    chars |= _any_case(chr(sub_av))
                elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_SPACE:
                    space = True
                elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_DIGIT:
                    digit = True
                elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] <= 256:
                    for c in range(sub_av[0], sub_av[1] + 1):
                        chars |= _any_case(chr(c))
                else:
                    raise _Unknown(sub_op)
            return chars, space, digit, False
        if op is _sre.BRANCH:
            parts = [_starts_of(list(alt)) for alt in av[1]]
        elif op is _sre.SUBPATTERN:
            parts = [_starts_of(list(av[-1]))]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            c, s, d, n = _starts_of(list(av[2]))
            parts = [(c, s, d, n or av[0] == 0)]
        else:
            raise _Unknown(op)
        for c, s, d, _ in parts:
            chars |= c
            space, digit = space or s, digit or d
        if not any(n for *_, n in parts):
            return chars, space, digit, False
    return chars, space, digit, True


def _any_case(ch: str) -> set[str]:
    """``ch`` and every character that matches it case-insensitively (ASCII letters: as the engine says; an
    uncased character: itself; any other: not read here)."""
    if ch.isascii():
        return set(ascii_case_forms().get(ch, {ch}))
    if ch.lower() == ch and ch.upper() == ch:
        return {ch}
    raise _Unknown(ch)
