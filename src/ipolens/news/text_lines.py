"""Lines of a raw text by offset: the line walk, trimming and the CJK test that the layout readers share.

Apart from layout.py so that the page-date, furniture and layout modules can all use them without importing
each other; offsets always index the text as given.
"""
from __future__ import annotations

import re

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
EOL = re.compile(r"[\r\n]")
NONSPACE = re.compile(r"\S")
STRIP = " \t\u3000\ufeff\u00a0\u200b"
LEAD_SPACE = " \\t\u3000\ufeff\u00a0\u200b"


def lines(text: str, start: int = 0):
    """[start, end) of each line's content (line break excluded), from ``start`` on, lazily."""
    for m in LINE.finditer(text, start):
        if m.start() == m.end():
            break
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        yield s, e


def trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in STRIP:
        s += 1
    while e > s and text[e - 1] in STRIP:
        e -= 1
    return s, e


def has_cjk(s: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in s)
