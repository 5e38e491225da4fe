"""The layout of an article file: metadata block, title line, body, and the spans that are not article text.

Articles arrive in several layouts: a block of ``Key: value`` lines closed by the marker line, a few ``Key: value``
lines of another layout (``标题：…``, ``Source: …``), a first line that is a headline, or plain text. Around the text
sit page furniture (bylines, photo credits, share buttons, page timestamps, related-story lists), URLs, e-mail
addresses and percent-escapes, whose digits are not claims. ``read_layout`` finds all of these in one pass over the
lines; every offset indexes the text as given (no normalisation, so offsets stay those of the file as read).
The vocabulary is data: ``lexicon/layout.yaml``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .captions import caption_spans
from .page_dates import date_prefix, is_timestamp, parse_date
from .page_furniture import (fold, furniture_after, is_furniture, is_headline, is_section_label, list_spans,
                             vocabulary)
from .text_lines import NONSPACE, STRIP, has_cjk, lines, trimmed
from .url_spans import inline_spans

__all__ = ["Layout", "read_layout", "parse_date", "HEADER_MARKER", "MASK_KINDS"]
HEADER_MARKER = "===== ORIGINAL TEXT BELOW ====="
MASK_KINDS = ("url", "email", "escape", "metadata", "furniture", "timestamp", "list", "repeat")
_LEAD_LINES = 12  # a metadata block, title and furniture are looked for among the first lines only
_METADATA_LINE = 200  # a longer 'Key: value' line is a paragraph


@dataclass(frozen=True)
class Layout:
    kind: str  # marker | metadata | title | plain
    fields: dict[str, str]  # title, date, publisher, url, author, language ... as written (marker: keys as written)
    header_end: int  # first offset after the metadata block or marker line (0 when there is none)
    scan_start: int  # numbers are read from here on: the value of a Title: line, else header_end
    title: tuple[int, int] | None  # span of the title: a headline line or a Title: line's value
    masked: tuple[tuple[int, int, str], ...] = ()  # sorted, disjoint (start, end, kind): never scanned
    published: dt.date | None = None  # the date the layout prints (metadata or page timestamp)
    headings: tuple[tuple[int, int], ...] = ()  # sub-headings in the body: read as titles of what follows
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self):
        self._starts.extend(s for s, _, _ in self.masked)

    def in_title(self, pos: int) -> bool:
        """In the title or a sub-heading: a figure there that the text below repeats is one claim, in the text."""
        if self.title is not None and self.title[0] <= pos < self.title[1]:
            return True
        i = bisect.bisect_right(self.headings, (pos, 1 << 62)) - 1
        return i >= 0 and self.headings[i][0] <= pos < self.headings[i][1]

    def mask_at(self, start: int, end: int) -> str | None:
        """The kind of the first masked span that [start, end) overlaps, or None."""
        i = bisect.bisect_right(self._starts, start) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.masked):
                s, e, kind = self.masked[j]
                if s < max(end, start + 1) and e > start:
                    return kind
        return None

    def scannable(self, start: int, end: int) -> bool:
        """May a figure at [start, end) of the text be read as a claim?"""
        return start >= self.scan_start and self.mask_at(start, end) is None

    def mapped(self, origin: list[int]) -> Layout:
        """The same layout in the coordinates of a normalised copy whose ``origin[i]`` is the original offset of
        character i (see ipolens.news.text.Normalised)."""
        n = len(origin) - 1

        def at(pos: int) -> int:
            return bisect.bisect_left(origin, pos, 0, n)

        title = (at(self.title[0]), at(self.title[1])) if self.title else None
        return Layout(self.kind, self.fields, at(self.header_end), at(self.scan_start), title,
                      tuple((at(s), at(e), k) for s, e, k in self.masked), self.published,
                      tuple((at(s), at(e)) for s, e in self.headings))


def _metadata_pairs(line: str) -> list[tuple[str, str, int, int]] | None:
    """A ``Key: value`` line (several pairs allowed: '来源: X  时间: Y'): [(field, value, vs, ve)] with the value's
    span inside ``line``, or None. Folding is per character, so spans index ``line`` itself."""
    voc = vocabulary()
    if len(line) > _METADATA_LINE or not voc.key_re.match(fold(line[:32])):
        return None
    folded = "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in line).casefold()
    m = voc.key_re.match(folded)
    if not m or len(folded) != len(line):  # casefold expanded a character (ß): no metadata line is written so
        return None
    pairs = []
    keys = [(m.start(1), m.end(1), m.end())]
    for k in voc.pair_re.finditer(folded, m.end()):
        keys.append((k.start(1), k.end(1), k.end()))
    for i, (ks, ke, vs) in enumerate(keys):
        ve = keys[i + 1][0] if i + 1 < len(keys) else len(line)
        while ve > vs and line[ve - 1] in STRIP + "|·":
            ve -= 1
        pairs.append((voc.keys[folded[ks:ke]], line[vs:ve], vs, ve))
    if any(f not in ("title", "url") and "。" in v for f, v, _, _ in pairs):  # '来源：据路透社报道，…。' is a paragraph
        return None
    return pairs


# --- the reader ----------------------------------------------------------------------------------------------------
def read_layout(text: str) -> Layout:
    """Regions of ``text``: metadata, title, body start, and the masked spans (see the module doc)."""
    fields: dict[str, str] = {}
    masked: list[tuple[int, int, str]] = []
    published: dt.date | None = None
    header_end = 0
    marker = _marker_at(text)
    if marker is not None:
        fields, header_end = _marker_header(text, marker)
        d = fields.get("date", "")
        if re.match(r"\s*\d{4}-\d{2}-\d{2}", d):  # 'not printed; evidence: … -> 2025-05-20' is not a printed date
            p = parse_date(d[:12])
            published = p[0] if p else None

    title: tuple[int, int] | None = None
    title_folded = None
    meta: dict[str, str] = {}
    meta_end = None  # end of the last metadata line of the lead
    page_date: dt.date | None = None
    lead_end = len(text)  # the lead: the first lines, up to the first paragraph of the body
    for n, (ls, le) in enumerate(lines(text, header_end)):
        if n >= _LEAD_LINES:
            lead_end = ls
            break
        s, e = trimmed(text, ls, le)
        if s == e:
            continue
        line = text[s:e]
        pairs = _metadata_pairs(line)
        if pairs:
            cut = [(s, e)]  # the line is masked except a Title: value, whose figures count as the title's
            for f, value, vs, ve in pairs:
                meta.setdefault(f, value)
                if f == "title" and title is None and vs < ve:
                    title, title_folded = (s + vs, s + ve), fold(value).strip()
                    cut = [(s, s + vs), (s + ve, e)]
                elif f == "date" and page_date is None:
                    p = parse_date(value, prefer_day_first=has_cjk(line))
                    page_date = p[0] if p else None
            masked.extend((a, b, "metadata") for a, b in cut)
            meta_end = le
            continue
        if is_timestamp(line, lead=True):
            masked.append((s, e, "timestamp"))
            if page_date is None:
                p = parse_date(line, prefer_day_first=has_cjk(line))
                page_date = p[0] if p else None
            continue
        if is_furniture(line):
            masked.append((s, e, "furniture"))
            continue
        if title_folded is not None and fold(line).strip() == title_folded:
            masked.append((s, e, "repeat"))  # the headline printed twice
            continue
        if title is None and is_section_label(line):
            continue
        prefix = date_prefix(text, s, e)
        if prefix:
            masked.append((s, prefix[0], "timestamp"))
            page_date = page_date or prefix[1]
        elif title is None and is_headline(line) and NONSPACE.search(text, e):
            title, title_folded = (s, e), fold(line).strip()
            continue
        lead_end = le
        break
    masked.extend(furniture_after(text, lead_end))
    masked.extend(list_spans(text, header_end))
    masked.extend(inline_spans(text, header_end))
    masked.extend(caption_spans(text, header_end))
    for f, v in meta.items():
        fields.setdefault(f, v)
    if marker is not None:
        kind, scan_start = "marker", header_end
    else:
        header_end = meta_end or 0
        kind = "metadata" if meta else "title" if title else "plain"
        scan_start = min(title[0], header_end) if title else header_end
        published = page_date
    return Layout(kind=kind, fields=fields, header_end=header_end, scan_start=scan_start, title=title,
                  masked=_merge(masked), published=published, headings=_subheadings(text, lead_end))


# A sub-heading in the body: a short line of Chinese text with a figure and no sentence punctuation, a paragraph
# below it ('10隻首掛「潛水」 四股險守' over '其中10隻新股首掛「潛水」…'); its figures restate that paragraph's.
_SUBHEADING = re.compile(r"\n[ \t\u3000]*([^\n。!?,;:、]{4,30}?)[ \t\u3000\r]*\n(?:[ \t\u3000\r]*\n)*(?=[^\n]{40})")
_HEADING_FIGURE = re.compile(r"[\d一二两三四五六七八九十百千万亿]")


def _subheadings(text: str, start: int) -> tuple[tuple[int, int], ...]:
    out = []
    for m in _SUBHEADING.finditer(text, max(0, start - 1)):
        line = m[1]
        if has_cjk(line) and _HEADING_FIGURE.search(line) and not re.search(r"[，。！？；：]", line):
            out.append((m.start(1), m.end(1)))
    return tuple(out)


def _marker_header(text: str, marker: int) -> tuple[dict[str, str], int]:
    """The ``Key: value`` lines above the marker line (keys lower-cased as written) and the body's first offset."""
    fields: dict[str, str] = {}
    for s, e in lines(text[:marker]):
        m = re.match(r"\ufeff?([A-Za-z][A-Za-z ()\-]*?):\s*(.*)$", text[s:e])
        if m:
            fields.setdefault(m[1].strip().lower(), m[2].strip())
    end = marker + len(HEADER_MARKER)
    if text.startswith("\r\n", end):
        end += 2
    elif text[end:end + 1] in ("\n", "\r"):
        end += 1
    return fields, end


def _marker_at(text: str) -> int | None:
    i = text.find(HEADER_MARKER)
    while i > 0 and text[i - 1] not in "\r\n\ufeff":
        i = text.find(HEADER_MARKER, i + 1)
    return None if i < 0 else i


def _merge(spans: list[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    out: list[tuple[int, int, str]] = []
    for s, e, k in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            ps, pe, pk = out[-1]
            out[-1] = (ps, max(pe, e), pk)
        else:
            out.append((s, e, k))
    return tuple(out)
