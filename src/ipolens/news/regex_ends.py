"""The characters a match of a regex can end with, read off the parsed pattern: a short window that ends in none of
them holds no match anchored at its end (``...$``), so the search need not be run.

Used where a pattern ending in ``$`` is searched in the few words before every figure (number_signs): the search
tries the pattern at each position of the window, the check reads one or two characters."""
from __future__ import annotations

import re
from typing import NamedTuple

from .cue_filter import ascii_case_forms

try:
    from re import _parser as _sre  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse as _sre

__all__ = ["Ends", "possible_ends", "may_end_at_end"]

_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


class Ends(NamedTuple):
    chars: frozenset[str]  # the characters a non-empty match can end with (every case form under IGNORECASE)
    space: bool  # any white space too (a \s at the end)


class _Unknown(Exception):
    """A construct this reader of parsed patterns does not follow: no window is ruled out."""


def possible_ends(pattern: re.Pattern) -> Ends | None:
    """``Ends`` of ``pattern``; None when a construct is not read here or the pattern can match empty (then no window
    is ruled out)."""
    try:
        chars, space, nullable = _last_of(list(_sre.parse(pattern.pattern, pattern.flags).data))
    except _Unknown:
        return None
    if nullable:
        return None
    if pattern.flags & re.IGNORECASE:
        out = set()
        for c in chars:
            if c.isascii():
                out |= ascii_case_forms().get(c, {c})
            elif c.lower() == c and c.upper() == c:
                out.add(c)
            else:
                return None  # a cased non-ASCII letter: its case forms are not worked out here
        chars = out
    return Ends(frozenset(chars), space)


def _last_of(items: list) -> tuple[set[str], bool, bool]:
    """(last characters, any white space, can match empty) of a parsed sequence, read from its end."""
    chars: set[str] = set()
    space = False
    for op, av in reversed(items):
        if op in _ZERO_WIDTH:
            continue
        if op is _sre.LITERAL:
            return chars | {chr(av)}, space, False
        if op is _sre.IN:
            for sub_op, sub_av in av:
                if sub_op is _sre.LITERAL:
                    chars.add(chr(sub_av))
                elif sub_op is _sre.CATEGORY and sub_av is _sre.CATEGORY_SPACE:
                    space = True
                else:
                    raise _Unknown(sub_op)  # a range, another category or a negated set
            return chars, space, False
        if op is _sre.BRANCH:
            parts = [_last_of(list(alt)) for alt in av[1]]
        elif op is _sre.SUBPATTERN:
            parts = [_last_of(list(av[-1]))]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            c, s, n = _last_of(list(av[2]))
            parts = [(c, s, n or av[0] == 0)]
        else:
            raise _Unknown(op)
        for c, s, _ in parts:
            chars |= c
            space = space or s
        if not any(n for *_, n in parts):
            return chars, space, False
    return chars, space, True


def may_end_at_end(text: str, ends: Ends | None) -> bool:
    """Whether a match ending where ``$`` matches in ``text`` (its end, or before a final newline) can exist: False
    only when the character before each such place is none a match can end with."""
    if ends is None:
        return True
    for t in (text, text[:-1]) if text.endswith("\n") else (text,):
        c = t[-1:]
        if c and (c in ends.chars or (ends.space and c.isspace())):
            return True
    return False
