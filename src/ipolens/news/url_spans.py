"""URLs, e-mail addresses and percent-escapes in a text: spans whose digits are not claims.

Apart from layout.py because these tokens are found anywhere in the body by character classes, not by lines.
"""
from __future__ import annotations

import re

# URLs, e-mail addresses and escapes are found from a fixed anchor ('://', 'www.', '.com/', '@', '%E6%B8') that
# str.find locates, and grow over the characters such a token is made of; the search resumes after the span.
_TLD = re.compile(r"\.(?:com|net|org|cn|hk|tw|sg|io|co|uk|us|gov|edu|info)(?:\.[a-z]{2})?$", re.I)
_ESCAPE_AT = re.compile(r"(?:%[0-9A-Fa-f]{2}){2}")
_URL_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F)) - set("<>\"'`{}|\\^")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
_EMAIL_LOCAL = _HOST_CHARS | set("%+")
_ESCAPE_CHARS = _HOST_CHARS | set("/%")
_URL_TAIL = ".,;:!?)]}'\""


def _anchors(text: str, start: int, kind: str):
    """Positions (anchor start, anchor end) where a token of ``kind`` may be, in text order."""
    if kind == "url":
        for needle in ("://", "www.", "/"):
            i = text.find(needle, start)
            while i >= 0:
                if needle == "://":
                    yield i, i + 3
                elif needle == "www.":
                    if i == 0 or not text[i - 1].isalnum():
                        yield i, i + 4
                elif _TLD.search(text, max(start, i - 8), i):  # 'example.com/…' without a scheme
                    yield i, i + 1
                i = text.find(needle, i + len(needle))
    elif kind == "email":
        i = text.find("@", start)
        while i >= 0:
            yield i, i + 1
            i = text.find("@", i + 1)
    else:
        i = text.find("%", start)
        while i >= 0:
            if _ESCAPE_AT.match(text, i):
                yield i, i + 6
            i = text.find("%", i + 1)


def inline_spans(text: str, start: int) -> list[tuple[int, int, str]]:
    out = []
    for kind, left, right in (("url", _HOST_CHARS, _URL_CHARS), ("email", _EMAIL_LOCAL, _HOST_CHARS),
                              ("escape", _ESCAPE_CHARS, _ESCAPE_CHARS)):
        floor = start
        for a, b in sorted(_anchors(text, start, kind)):
            if a < floor:
                continue  # inside the previous token
            s, e = a, b
            while s > floor and text[s - 1] in left:
                s -= 1
            while e < len(text) and text[e] in right:
                e += 1
            while e > b and text[e - 1] in _URL_TAIL:
                e -= 1
            if kind == "email" and not (s < a and "." in text[b:e]):
                floor = b  # an e-mail address has a local part and a dotted domain
                continue
            out.append((s, e, kind))
            floor = e
    return out
