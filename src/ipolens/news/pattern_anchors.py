"""The anchors of a regex: per alternative, runs of literal characters that every match holds at a bounded distance
from its start, read off the parsed pattern.

Apart from scan_anchor.py because reading the parsed pattern (sre internals) is separate from using the anchors on a
text; ``Anchored`` calls ``_anchors`` once per pattern.
"""
from __future__ import annotations

import re

from .char_positions import Run
from .cue_filter import ascii_case_forms

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse as _sre

_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_UNBOUNDED = _sre.MAXREPEAT


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
