"""Reading article files and normalising their text while keeping a map back to the original characters.

Offsets reported by ipolens.news always index the file's text *as read*: the decoded string with any BOM removed.
Extraction runs on a normalised copy (per-character NFKC, then OpenCC t2s), and ``Normalised.span`` maps a span of
that copy back to the original text.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .layout import HEADER_MARKER, Layout, read_layout

__all__ = ["Article", "Normalised", "NewsEncodingError", "read_article", "decode_bytes", "normalise",
           "to_simplified", "HEADER_MARKER"]


@lru_cache(maxsize=65536)
def _is_common(ch: str) -> bool:
    """A character of GB2312 level 1 (the 3,755 most used), after Traditional -> Simplified conversion.

    The right decoding of GBK or Big5 bytes reads as common characters; the wrong one yields rare characters or
    private-use code points.
    """
    simp = _t2s_char(ch)
    try:
        b = simp.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _chinese_score(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\ue000" <= ch <= "\uf8ff"]
    if not cjk:
        return 0.0
    return sum(_is_common(ch) for ch in cjk) / len(cjk)


class NewsEncodingError(ValueError):
    """The file's bytes are not UTF-8, GBK/GB18030 or Big5 text; the message names the problem."""


@dataclass
class Article:
    path: str
    text: str  # the file's text as read (BOM removed); all offsets index this string
    encoding: str
    body_start: int  # where numbers are read from: below the header marker or a metadata block (see layout)
    header: dict[str, str] = field(default_factory=dict)
    layout: Layout | None = None  # regions of the text; read from it when not given

    def __post_init__(self):
        if self.layout is None:
            self.layout = read_layout(self.text)

    @property
    def body(self) -> str:
        return self.text[self.body_start:]

    @property
    def title(self) -> str | None:
        t = self.header.get("title")
        if t and not t.lower().startswith("no reliable title"):
            return t
        if self.layout and self.layout.title:
            return self.text[slice(*self.layout.title)].strip()
        for line in self.body.splitlines():
            if line.strip():
                return line.strip()[:120]
        return None

    def published(self) -> dt.date | None:
        """The publication date the header prints: a marker header's Date line when it starts with one, else the date
        of a metadata block's Date line or of the page's timestamp line."""
        m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", self.header.get("date", ""))
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:  # 'Date: 2025-13-45' prints no date
                return None
        return self.layout.published if self.layout else None

    def date_window(self) -> tuple[dt.date, dt.date] | None:
        """'written 2025-11-03 to 2025-11-05' in the header: the dates the article can have been written on."""
        d = self.header.get("date", "")
        found = list(re.finditer(r"(\d{4}-\d{2}-\d{2})\s*(?:to|and|\.\.|–|-)\s*(\d{4}-\d{2}-\d{2})", d))
        if not found:
            return None
        m = found[-1]  # 'data as of A and B, so written between C and D': the last pair is the window
        return dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])

    def language(self) -> str | None:
        lang = self.header.get("language", "")
        m = re.match(r"\s*([a-z]{2}(?:-[A-Za-z]+)?)", lang)
        if m:
            return m[1]
        m = re.search(r"\.(zh-Hant|zh-Hans|en)\.", Path(self.path).name)
        return m[1] if m else None


def decode_bytes(data: bytes, name: str = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (with or without BOM), else GBK/GB18030 or Big5, whichever reads as Chinese."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise NewsEncodingError(f"{name}: cannot decode as {encoding}: {exc}") from None
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise NewsEncodingError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc} "
                                        f"(byte {exc.start}: {data[exc.start:exc.start + 4]!r})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start} ({data[exc.start:exc.start + 4]!r})"
    candidates = []
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_chinese_score(text), enc, text))
    if not candidates:
        raise NewsEncodingError(f"{name}: not text in a supported encoding: {utf8_error}, and it does not decode as "
                                "GBK/GB18030 or Big5 either; convert it to UTF-8 or pass --encoding")
    candidates.sort(reverse=True)
    score, enc, text = candidates[0]
    if score < 0.5:
        raise NewsEncodingError(f"{name}: {utf8_error}; it decodes as {enc} but the result does not read as Chinese "
                                f"(common-character share {score:.0%}); pass --encoding")
    return text, {"gb18030": "gbk", "big5hkscs": "big5"}[enc]


def parse_header(text: str) -> tuple[dict[str, str], int]:
    """The metadata of whichever header the text has (marker block, ``Key: value`` lines, title line), and the offset
    where reading starts."""
    lay = read_layout(text)
    return dict(lay.fields), lay.scan_start


def read_article(path: str | Path, encoding: str | None = None) -> Article:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read {p}: {exc.strerror or exc}") from None
    text, enc = decode_bytes(data, str(p), encoding)
    return _article(str(p), text, enc)


def article_from_text(text: str, path: str = "<text>") -> Article:
    return _article(path, text, "str")


def _article(path: str, text: str, encoding: str) -> Article:
    lay = read_layout(text)
    return Article(path=path, text=text, encoding=encoding, body_start=lay.scan_start, header=dict(lay.fields),
                   layout=lay)


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
