"""Normalising an article's text while keeping a map back to the original characters: per-character NFKC (full-width
digits, ％, ，, HK＄ ...), then OpenCC t2s; ``Normalised.span`` maps a span of the normalised copy back."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


@lru_cache(maxsize=4096)
def _t2s_char(ch: str) -> str:
    return _t2s().convert(ch)


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@dataclass
class Normalised:
    """Normalised text plus, for every character of it, the offset of the original character it came from."""
    text: str
    origin: Sequence[int]  # len(text) + 1 entries; origin[len] is the original length (a range when 1:1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for a normalised [start, end)."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Per-character NFKC (full-width digits, ％, ，, HK＄ ...) then t2s; lengths may change, offsets are mapped."""
    uneven = list(_uneven().finditer(text))  # characters whose NFKC form may have another length
    astral = bool(uneven) and any(ord(m[0]) > 0xFFFF for m in uneven)
    uneven = [m for m in uneven if len(_nfkc_char(m[0])) != 1]
    # per character, in C: the table maps a character to its NFKC form (a list indexed by code point when the text
    # stays in the BMP: no hashing and no missed lookups)
    nfkc = text.translate(_TABLE if astral else _bmp_table())
    origin: Sequence[int]
    if not uneven:  # the common case: a 1:1 character map
        origin = range(len(text) + 1)
    else:  # ranges between the characters whose NFKC form has another length, which repeat (or drop) their offset
        origin = []
        done = 0
        for m in uneven:
            i = m.start()
            origin.extend(range(done, i))
            origin.extend([i] * len(_nfkc_char(m[0])))
            done = i + 1
        origin.extend(range(done, len(text)))
        origin.append(len(text))
    # OpenCC keeps length on almost every line; convert line by line and fall back to per-character conversion
    # (which is length-preserving) where a phrase rule changed the length.
    conv = _t2s().convert(nfkc)
    if len(conv) != len(nfkc):
        parts = []
        for line in nfkc.splitlines(keepends=True):
            c = _t2s().convert(line)
            if len(c) != len(line):
                c = "".join(_t2s_char(x) if len(_t2s_char(x)) == 1 else x for x in line)
            parts.append(c)
        conv = "".join(parts)
    return Normalised(conv, origin)


# A lone surrogate (a str from bytes decoded with surrogateescape) cannot be encoded for OpenCC: it reads as U+FFFD,
# one character for one, so offsets hold.
_REPLACEMENT = 0xFFFD


@lru_cache(maxsize=1)
def _bmp_table() -> list:
    """str.translate table for the BMP, indexed by code point: the code point of a one-character NFKC form, else the
    form itself."""
    forms = (unicodedata.normalize("NFKC", chr(c)) for c in range(0x10000))
    table = [ord(f) if len(f) == 1 else f for f in forms]
    table[0xD800:0xE000] = [_REPLACEMENT] * 0x800  # see _REPLACEMENT
    return table


@lru_cache(maxsize=1)
def _uneven() -> re.Pattern:
    """The BMP characters whose NFKC form is not one character, and every character beyond the BMP (told one by
    one)."""
    chars = "".join(re.escape(chr(c)) for c in range(0x80, 0x10000)
                    if len(unicodedata.normalize("NFKC", chr(c))) != 1)
    return re.compile(f"[{chars}\U00010000-\U0010ffff]")


class _OneToOne(dict):
    """str.translate table: NFKC of each non-ASCII character, computed on first use."""

    def __missing__(self, code: int):
        ch = chr(code)
        n = _nfkc_char(ch) if code > 127 else ch
        if 0xD800 <= code < 0xE000:
            n = chr(_REPLACEMENT)
        value = None if n == ch else n
        _TRANSLATE_CACHE[code] = value if value is not None else ch
        self[code] = _TRANSLATE_CACHE[code]
        return self[code]


_TRANSLATE_CACHE: dict[int, str] = {}

_TABLE = _OneToOne()
