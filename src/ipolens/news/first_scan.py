"""A regex search that tries a pattern only where one of the characters its matches start with stands.

Python's regex engine scans fast for a literal prefix or a set of first characters only when it can read them off
the pattern; a case-insensitive pattern that opens with a group of alternatives ('(?:合共|合计)(?:认购|申请)|...') is
tried at every position, each try walking its branches. ``cue_filter.first_chars`` reads the first characters off
the parsed pattern; ``finditer`` below looks for them with a character class (which the engine does scan fast) and
tries the pattern there only. The matches are those of ``pattern.finditer``: a non-empty match cannot start
anywhere else, and a pattern with a first-character class has no empty match."""
from __future__ import annotations

import re
from typing import Iterator

from .cue_filter import first_chars

__all__ = ["starts_rx", "finditer", "last_match"]


def starts_rx(pattern: re.Pattern) -> re.Pattern | None:
    """A class of the characters every match of ``pattern`` starts with, None when they are unknown."""
    chars = first_chars(pattern)
    return None if chars is None else re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def finditer(pattern: re.Pattern, starts: re.Pattern | None, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, trying the pattern only where ``starts`` (from ``starts_rx``) matches."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    pos, find, match = 0, starts.search, pattern.match
    while (s := find(text, pos)) is not None:
        p = s.start()
        m = match(text, p)
        if m is None:
            pos = p + 1
        elif m.end() > p:  # (finditer goes on from a match's end: the next search starts there)
            yield m
            pos = m.end()
        else:  # an empty match, which first_chars rules out: the engine's own walk from here, to be safe
            yield from pattern.finditer(text, pos)
            return


def last_match(pattern: re.Pattern, starts: re.Pattern | None, text: str) -> re.Match | None:
    """The last non-empty match of ``pattern.finditer(text)`` (see ``finditer``)."""
    last = None
    for m in finditer(pattern, starts, text):
        if m.end() > m.start():
            last = m
    return last
