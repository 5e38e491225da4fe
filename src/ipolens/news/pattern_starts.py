"""The characters a regex's non-empty match can start with, read off the parsed pattern (``possible_starts``).

Apart from scan_anchor.py because it answers another question: not where a match must hold a literal, but which
positions can start one at all (the number scan skips the others).
"""
from __future__ import annotations

import re

from .cue_filter import ascii_case_forms
from .pattern_anchors import _ZERO_WIDTH, _sre


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
    """A regex construct this reader does not follow: no start position of the pattern can be ruled out."""


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
