"""ASCII case folding that keeps offsets: every character an ASCII letter matches under IGNORECASE (its other case,
the Kelvin sign ...) maps to that letter in lower case, one character for one.

Apart from cue_filter.py because the anchor, word-position and role modules fold text too, with no cue filtering.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def ascii_case_forms() -> dict[str, set[str]]:
    """Every character an ASCII letter matches under IGNORECASE (its other case, and the few non-ASCII characters
    Unicode folds onto one, such as the Kelvin sign), found by asking the regex engine itself."""
    # (the BMP suffices: the cased letters of the supplementary planes fold within their own scripts)
    non_ascii = "".join(map(chr, range(0x80, 0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    folded = set(re.findall("[a-z]", non_ascii, re.I))
    forms: dict[str, set[str]] = {}
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
        pat = re.compile(re.escape(a), re.I)
        forms[a] = {a.lower(), a.upper()} | {x for x in folded if pat.fullmatch(x)}
    return forms


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """str.translate table: every character an ASCII letter matches under IGNORECASE -> that lower-case letter (one
    character for one, so offsets do not move)."""
    table: dict[int, str] = {}
    for a, forms in ascii_case_forms().items():
        for x in forms:
            table[ord(x)] = a.lower()
    return table


@lru_cache(maxsize=1)
def _foldable() -> re.Pattern:
    """Runs of the characters the fold changes: the upper-case ASCII letters and the non-ASCII forms of a letter."""
    changed = sorted(chr(c) for c, a in _fold_table().items() if chr(c) != a)
    return re.compile("[" + "".join(re.escape(c) for c in changed) + "]+")


def _fold_run(m: re.Match) -> str:
    return m[0].translate(_fold_table())


def fold(text: str) -> str:
    """``text`` with each character that matches an ASCII letter case-insensitively replaced by that letter in lower
    case; every other character kept (the same length)."""
    if text.isascii():
        return text.lower()  # (the table's map on ASCII: A-Z to a-z)
    # only the runs the table changes are translated: str.translate looks up (and misses) every other character
    return _foldable().sub(_fold_run, text)
