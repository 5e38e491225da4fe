"""Reading article files (decoding, header) and normalising their text while keeping a map back to the original
characters (``text_normalise``).

Offsets reported by ipolens.news always index the file's text *as read*: the decoded string with any BOM removed.
Extraction runs on a normalised copy (per-character NFKC, then OpenCC t2s), and ``Normalised.span`` maps a span of
that copy back to the original text.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .layout import HEADER_MARKER, Layout, read_layout
from .text_normalise import Normalised, _t2s_char, normalise, to_simplified  # noqa: F401 (re-exported)

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
        m = found[-1]  # 'figures of A and B, hence dated C to D': the last pair is the window
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
