"""Dates as pages print them: parsing a written date, and telling a page's date line or date prefix from text.

Apart from layout.py because date reading is its own small grammar (numeric, month-name and Chinese forms).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .text_lines import STRIP, has_cjk

_TIMESTAMP_LINE = 64
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
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WORD_DATE_LINE = re.compile(
    rf"(?:(?:Published|Updated|Posted|Last updated)\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{MONTH},?\s+(?:19|20)\d\d|{MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d|(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日)"
    r"(?:\s*[,|]?\s*\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?(?:\s*(?:星期|周)[一二三四五六日天])?")

# a byline: up to four capitalised words (a name; 'Shares rose' is none) before such a date ('Avery Chen 30 Jun 2020')
_BYLINE_DATE_LINE = re.compile(r"(?:[A-Z][A-Za-z'’.-]+\s+){0,4}?(?:" + _WORD_DATE_LINE.pattern + ")")


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


def is_timestamp(line: str, lead: bool) -> bool:
    """A page's date line: 'Published 03/14/2023, 11:05 AM', '某财经频道2024-11-07 09:30'. Outside the lead zone the
    rest of the line must hold no other digits (a table row '2025-03-03 收报10.5' is article text)."""
    if len(line) > 2 * _TIMESTAMP_LINE:
        return False
    f = unicodedata.normalize("NFKC", line).strip(STRIP)
    if f and len(f) <= _TIMESTAMP_LINE and _BYLINE_DATE_LINE.fullmatch(f):
        return True  # the line is a date and nothing else, or a byline: a name and a date ('Avery Chen 30 Jun 2020')
    if not f or len(f) > _TIMESTAMP_LINE or f.endswith(("。", ".")) or "。" in f or not _NUMERIC_DATE.search(f):
        return False
    if lead:
        return True
    rest = _TIME.sub("", _NUMERIC_DATE.sub("", f))
    return not any(c.isdigit() for c in rest)


def date_prefix(text: str, s: int, e: int) -> tuple[int, dt.date] | None:
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
    parsed = parse_date(f[pos:end], prefer_day_first=has_cjk(f))
    return (s + end, parsed[0]) if parsed else None
