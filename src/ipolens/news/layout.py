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
from functools import lru_cache
from pathlib import Path

from .captions import caption_spans

__all__ = ["Layout", "read_layout", "parse_date", "HEADER_MARKER", "MASK_KINDS"]

HEADER_MARKER = "===== ORIGINAL TEXT BELOW ====="
MASK_KINDS = ("url", "email", "escape", "metadata", "furniture", "timestamp", "list", "repeat")

# A headline is short; past this many characters a first line is a paragraph.
_TITLE_MAX_CJK = 64
_TITLE_MAX_LATIN = 150
_SHORT_LINE = 40  # furniture without a colon must be a short line
_TIMESTAMP_LINE = 64
_LEAD_LINES = 12  # a metadata block, title and furniture are looked for among the first lines only
_NEAR = 130  # furniture found by a word inside the line lies this close to the line's start
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


@dataclass(frozen=True)
class _Vocabulary:
    keys: dict[str, str]  # casefolded key -> field
    key_re: re.Pattern  # a metadata key at the start of a line, then a colon
    pair_re: re.Pattern  # a further 'key: value' pair inside a metadata line
    furniture_re: re.Pattern
    marks: tuple[str, ...]
    suffixes: tuple[str, ...]
    headings: frozenset[str]
    author_re: re.Pattern
    author_word: re.Pattern
    candidate_res: tuple[re.Pattern, ...]  # where a furniture line may be (then tested by _is_furniture / _timestamp)
    heading_re: re.Pattern  # a related-story heading line


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "lexicon" / "layout.yaml").read_text(encoding="utf-8"))
    keys = {_fold(k): f for f, words in data["metadata_keys"].items() for k in words}
    alt = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    furn = "|".join(re.escape(_fold(k)) for k in sorted(data["furniture_prefixes"], key=len, reverse=True))
    authors = "|".join(re.escape(_fold(k)) for k, f in keys.items() if f == "author" and len(k) > 1)

    def raw(words):
        """The words in the casings a page prints them (as written, lower, Capitalised, UPPER), longest first: the
        candidate searches run without re.I, which would cost the regex engine its fast skip-ahead."""
        forms = {v for w in words for v in (w, _fold(w), w.lower(), w.capitalize(), w.upper())}
        return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    author_words = [k for k, f in keys.items() if f == "author" and len(k) > 1]
    authors_cjk = "|".join(re.escape(k) for k in author_words if _has_cjk(k))
    authors_latin = "|".join(re.escape(k) for k in author_words if not _has_cjk(k) and k not in ("by", "editor"))
    suffixes_cjk = [w for w in data["furniture_suffixes"] if _has_cjk(w)]
    suffixes_latin = [w for w in data["furniture_suffixes"] if not _has_cjk(w)]
    return _Vocabulary(
        keys=keys,
        key_re=re.compile(rf"[\[【(]?\s*({alt})\s*[\]】)]?\s*[:|]\s*", re.I),
        pair_re=re.compile(rf"(?:^|\s+|[|·])({alt})\s*:\s*", re.I),
        furniture_re=re.compile(rf"[\[【(]?\s*({furn})"),  # on folded text: no re.I needed
        marks=tuple(_fold(m) for m in data["furniture_marks"]),
        suffixes=tuple(_fold(s) for s in data["furniture_suffixes"]),
        headings=frozenset(_fold(h) for h in data["list_headings"]),
        author_re=re.compile(rf"^.{{0,8}}?(?:{authors})\s*:"),
        author_word=re.compile(rf"(?:{authors_cjk})|\b(?:{authors_latin})\b"),
        # each starts with a literal or a small character set, so a search skips ahead in C
        candidate_res=(
            re.compile(rf"\n[{_LEAD_SPACE}]*[\[【(]?[ \t]*(?:{raw(data['furniture_prefixes'])}|"
                       rf"{raw(data['furniture_marks'])})"),
            re.compile(rf"(?:{raw(suffixes_cjk)})[ \t\u3000]*\r?\n"),
            re.compile(rf"(?:{raw(suffixes_latin)})[ \t]*\r?\n"),
            re.compile(authors_cjk),
            re.compile(rf"\b(?:{raw(authors_latin.split('|'))})\b"),
            re.compile(r"[-/.]\d{1,2}[-/.]"),  # the middle of a numeric date (2025-03-04, 22/12/2025)
            re.compile(rf"(?<=\s){_MONTH}\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d(?!\d)")),  # a word date (a byline's)
        heading_re=re.compile(rf"\n[{_LEAD_SPACE}#*【\[]*(?:{raw(data['list_headings'])}|"
                              rf"(?i:{'|'.join(re.escape(w) for w in data['list_heading_prefixes'])})[ \t]?[^\n.。,，:：;；]{{1,40}}?)"
                              rf"[ \t]*[:：】\]]*[ \t\r]*(?=\n|$)"),
    )


def _fold(s: str) -> str:
    """NFKC and casefold: full-width colons, digits and letters read as ASCII; lengths may change, so folded
    strings are only ever tested, never used for offsets."""
    return unicodedata.normalize("NFKC", s).casefold()


# --- spans that are not article text -------------------------------------------------------------------------------
# URLs, e-mail addresses and escapes are found from a fixed anchor ('://', 'www.', '.com/', '@', '%E6%B8') that
# str.find locates, and grow over the characters such a token is made of; the search resumes after the span.
_TLD = re.compile(r"\.(?:com|net|org|cn|hk|tw|sg|io|co|uk|us|gov|edu|info)(?:\.[a-z]{2})?$", re.I)
_ESCAPE_AT = re.compile(r"(?:%[0-9A-Fa-f]{2}){2}")
_URL_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F)) - set("<>\"'`{}|\\^")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
_EMAIL_LOCAL = _HOST_CHARS | set("%+")
_ESCAPE_CHARS = _HOST_CHARS | set("/%")
_URL_TAIL = ".,;:!?)]}'\""

# --- dates as pages print them -------------------------------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+"
               r"(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})\s+(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
               r"(?P<y>(?:19|20)\d\d)\b", re.I),
)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/(?:19|20)\d\d)(?!\d)")
# A line that is a date written with a month name or in Chinese and nothing else (a page's date line, no sentence):
# '12 Oct 2012', 'October 12, 2012 10:05 AM', 'Published: Oct 12, 2012', '2012年10月12日 星期五'
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WORD_DATE_LINE = re.compile(
    rf"(?:(?:Published|Updated|Posted|Last updated)\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d\d|{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d|(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日)"
    r"(?:\s*[,|]?\s*\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?(?:\s*(?:星期|周)[一二三四五六日天])?")
_SENTENCE_END = ("。", ".", ";", "；", ":", "：", ",", "，", "、")
_SENTENCE_PUNCT = re.compile(r"[。，,；;]")
_BULLET = re.compile(r"[-*•·▪●◆■]\s|\d{1,2}[.)、]\s*\D")  # a list item is not a headline
# a byline: up to four capitalised words (a name; 'Shares rose' is none) before such a date ('Avery Chen 30 Jun 2020')
_BYLINE_DATE_LINE = re.compile(r"(?:[A-Z][A-Za-z'’.-]+\s+){0,4}?(?:" + _WORD_DATE_LINE.pattern + ")")


def _label(line: str) -> bool:
    """A section label above the headline ('經濟', 'Markets'): a word or two, no digits."""
    if len(line) > 16:
        return False
    f = unicodedata.normalize("NFKC", line).strip(_STRIP + "#|｜")
    if any(c.isdigit() for c in f):
        return False
    return len(f) <= 4 if _has_cjk(f) else len(f.split()) == 1


def parse_date(value: str, prefer_day_first: bool = False) -> tuple[dt.date, int, int] | None:
    """The first calendar date written in ``value`` and its [start, end) in the folded value, or None.
    ``12/10/2024`` is read month first unless ``prefer_day_first`` (a day above 12 decides either way)."""
    v = unicodedata.normalize("NFKC", value)
    best = None
    for pat in _DATE_PATTERNS:
        m = pat.search(v)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    g = best.groupdict()
    y = int(g["y"])
    if g.get("mon"):
        mo, d = _MONTHS[g["mon"][:3].lower()], int(g["d"])
    elif g.get("a"):
        a, b = int(g["a"]), int(g["b"])
        day_first = a > 12 or (prefer_day_first and b <= 12)
        d, mo = (a, b) if day_first else (b, a)
    else:
        mo, d = int(g["m"]), int(g["d"])
    try:
        return dt.date(y, mo, d), best.start(), best.end()
    except ValueError:
        return None


# --- lines ---------------------------------------------------------------------------------------------------------
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_EOL = re.compile(r"[\r\n]")
_NONSPACE = re.compile(r"\S")
_STRIP = " \t\u3000\ufeff\u00a0\u200b"
_LEAD_SPACE = " \\t\u3000\ufeff\u00a0\u200b"


def _lines(text: str, start: int = 0):
    """[start, end) of each line's content (line break excluded), from ``start`` on, lazily."""
    for m in _LINE.finditer(text, start):
        if m.start() == m.end():
            break
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        yield s, e


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


def _has_cjk(s: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in s)


def _metadata_pairs(line: str) -> list[tuple[str, str, int, int]] | None:
    """A ``Key: value`` line (several pairs allowed: '来源: X  时间: Y'): [(field, value, vs, ve)] with the value's
    span inside ``line``, or None. Folding is per character, so spans index ``line`` itself."""
    voc = _vocabulary()
    if len(line) > _METADATA_LINE or not voc.key_re.match(_fold(line[:32])):
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
        while ve > vs and line[ve - 1] in _STRIP + "|·":
            ve -= 1
        pairs.append((voc.keys[folded[ks:ke]], line[vs:ve], vs, ve))
    if any(f not in ("title", "url") and "。" in v for f, v, _, _ in pairs):  # '来源：据路透社报道，…。' is a paragraph
        return None
    return pairs


def _is_furniture(line: str) -> bool:
    voc = _vocabulary()
    f = _fold(line if len(line) <= 96 else line[:48]).strip(_STRIP)  # long lines: only their opening is tested
    if not f:
        return False
    if f.startswith(voc.marks):
        return True
    short = len(line) <= 96 and len(f) <= _SHORT_LINE and not _SENTENCE_PUNCT.search(f)
    m = voc.furniture_re.match(f)
    if m:
        rest = f[m.end(1):].lstrip(" \t]】)")
        if rest.startswith((":", "|")) or not rest or (short and not any(c.isdigit() for c in f)):
            return True
    if short and len(f) <= 30 and f.endswith(voc.suffixes):
        return True
    if len(line) <= 96 and len(f) <= 80 and not _SENTENCE_PUNCT.search(f.replace(",", "")) and voc.author_re.match(f):
        return True  # '每经记者:张三 李四 每经编辑:王五'
    return short and not any(c.isdigit() for c in f) and bool(voc.author_word.search(f))  # '經濟日報／記者張三／台北報導'


def _is_heading(line: str) -> bool:
    if len(line) > 40:
        return False
    f = _fold(line).strip(_STRIP + ":：|-—=#*【】[]")
    return f in _vocabulary().headings


def _timestamp(line: str, lead: bool) -> bool:
    """A page's date line: 'Published 03/14/2023, 11:05 AM', '某财经频道2024-11-07 09:30'. Outside the lead zone the
    rest of the line must hold no other digits (a table row '2025-03-03 收报10.5' is article text)."""
    if len(line) > 2 * _TIMESTAMP_LINE:
        return False
    f = unicodedata.normalize("NFKC", line).strip(_STRIP)
    if f and len(f) <= _TIMESTAMP_LINE and _BYLINE_DATE_LINE.fullmatch(f):
        return True  # the line is a date and nothing else, or a byline: a name and a date ('Avery Chen 30 Jun 2020')
    if not f or len(f) > _TIMESTAMP_LINE or f.endswith(("。", ".")) or "。" in f or not _NUMERIC_DATE.search(f):
        return False
    if lead:
        return True
    rest = _TIME.sub("", _NUMERIC_DATE.sub("", f))
    return not any(c.isdigit() for c in rest)


def _headline(line: str) -> bool:
    if len(line) > 2 * _TITLE_MAX_LATIN:
        return False
    f = unicodedata.normalize("NFKC", line).strip(_STRIP + "#")
    if f.endswith(_SENTENCE_END) or "。" in f[:-1] or _BULLET.match(f):
        return False
    if _has_cjk(f):
        return 6 <= len(f) <= _TITLE_MAX_CJK
    return len(f.split()) >= 3 and len(f) <= _TITLE_MAX_LATIN  # 'Overview' is a section heading


def _date_prefix(text: str, s: int, e: int) -> tuple[int, dt.date] | None:
    """A line that opens with a page date ('date 2025-12-29 正文…', '2024-08-14 18:32 正文…'): the prefix's end."""
    line = text[s:min(e, s + 48)]
    f = unicodedata.normalize("NFKC", line)
    if len(f) != len(line):
        return None
    m = re.match(r"[\s\ufeff]*(?:date|日期|时间|時間)?\s*[:：]?\s*", f, re.I)
    pos = m.end()
    d = _NUMERIC_DATE.match(f, pos)
    if not d:
        return None
    end = d.end()
    t = re.compile(r"\s*" + _TIME.pattern).match(f, end)
    if t:
        end = t.end()
    parsed = parse_date(f[pos:end], prefer_day_first=_has_cjk(f))
    return (s + end, parsed[0]) if parsed else None


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
    for n, (ls, le) in enumerate(_lines(text, header_end)):
        if n >= _LEAD_LINES:
            lead_end = ls
            break
        s, e = _trimmed(text, ls, le)
        if s == e:
            continue
        line = text[s:e]
        pairs = _metadata_pairs(line)
        if pairs:
            cut = [(s, e)]  # the line is masked except a Title: value, whose figures count as the title's
            for f, value, vs, ve in pairs:
                meta.setdefault(f, value)
                if f == "title" and title is None and vs < ve:
                    title, title_folded = (s + vs, s + ve), _fold(value).strip()
                    cut = [(s, s + vs), (s + ve, e)]
                elif f == "date" and page_date is None:
                    p = parse_date(value, prefer_day_first=_has_cjk(line))
                    page_date = p[0] if p else None
            masked.extend((a, b, "metadata") for a, b in cut)
            meta_end = le
            continue
        if _timestamp(line, lead=True):
            masked.append((s, e, "timestamp"))
            if page_date is None:
                p = parse_date(line, prefer_day_first=_has_cjk(line))
                page_date = p[0] if p else None
            continue
        if _is_furniture(line):
            masked.append((s, e, "furniture"))
            continue
        if title_folded is not None and _fold(line).strip() == title_folded:
            masked.append((s, e, "repeat"))  # the headline printed twice
            continue
        if title is None and _label(line):
            continue
        prefix = _date_prefix(text, s, e)
        if prefix:
            masked.append((s, prefix[0], "timestamp"))
            page_date = page_date or prefix[1]
        elif title is None and _headline(line) and _NONSPACE.search(text, e):
            title, title_folded = (s, e), _fold(line).strip()
            continue
        lead_end = le
        break
    masked.extend(_furniture_after(text, lead_end))
    masked.extend(_list_spans(text, header_end))
    masked.extend(_inline_spans(text, header_end))
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
        if _has_cjk(line) and _HEADING_FIGURE.search(line) and not re.search(r"[，。！？；：]", line):
            out.append((m.start(1), m.end(1)))
    return tuple(out)


def _marker_header(text: str, marker: int) -> tuple[dict[str, str], int]:
    """The ``Key: value`` lines above the marker line (keys lower-cased as written) and the body's first offset."""
    fields: dict[str, str] = {}
    for s, e in _lines(text[:marker]):
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


def _furniture_after(text: str, start: int) -> list[tuple[int, int, str]]:
    """Furniture and page timestamps below the lead. Regexes find the places where a furniture line could be (a
    furniture word opening a line, a credit closing one, an author word, a numeric date); only those lines are tested.
    Apart from a line opened by a furniture word, furniture is a short line, so the look back is bounded."""
    out = []
    starts: set[int] = set()
    first, *rest = _vocabulary().candidate_res
    starts.update(m.start() + 1 for m in first.finditer(text, max(0, start - 1)))
    for pat in rest:
        for m in pat.finditer(text, start):
            p = m.start()
            ls = text.rfind("\n", max(start, p - _NEAR), p)
            if ls >= 0 or p - start <= _NEAR:
                starts.add(ls + 1 if ls >= 0 else start)
    for ls in sorted(starts):
        eol = _EOL.search(text, ls)
        le = eol.start() if eol else len(text)
        s, e = _trimmed(text, ls, le)
        if s < e and (_timestamp(text[s:e], lead=False) or _is_furniture(text[s:e])):
            out.append((s, e, "furniture"))
    return out


def _heading_lines(text: str, start: int):
    """[start, end) of each related-story heading line from ``start`` on."""
    if start == 0:  # the first line has no line break before it
        eol = _EOL.search(text)
        le = eol.start() if eol else len(text)
        if _is_heading(text[:le]):
            yield 0, le
    for m in _vocabulary().heading_re.finditer(text, max(0, start - 1)):
        yield m.start() + 1, m.end()


def _list_spans(text: str, start: int) -> list[tuple[int, int, str]]:
    """A related-story heading and the headline-like lines under it, up to the first paragraph."""
    out = []
    done = start
    for hs, he in _heading_lines(text, start):
        if hs < done:
            continue  # inside the list just read
        s, end = _trimmed(text, hs, he)
        done = he
        for ls, le in _lines(text, he):
            ts, te = _trimmed(text, ls, le)
            if ts < te and not (_headline(text[ts:te]) or _is_furniture(text[ts:te])):
                break
            if ts < te:
                end = te
            done = le
        out.append((s, end, "list"))
    return out


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


def _inline_spans(text: str, start: int) -> list[tuple[int, int, str]]:
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


def _merge(spans: list[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    out: list[tuple[int, int, str]] = []
    for s, e, k in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            ps, pe, pk = out[-1]
            out[-1] = (ps, max(pe, e), pk)
        else:
            out.append((s, e, k))
    return tuple(out)
