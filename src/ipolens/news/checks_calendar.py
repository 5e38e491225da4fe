"""A date printed with its weekday: the calendar says which weekday the date is."""
from __future__ import annotations

import datetime as dt
import functools
import re

from . import identities
from .extract import Claim
from .findings import Finding, _day

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@functools.lru_cache(maxsize=1)
def _weekday_patterns() -> tuple[tuple[re.Pattern, re.Pattern], dict[str, int]]:
    """A weekday printed next to a day of the month, either order (星期二(5月20日), 'Thursday, June 5')."""
    names = {n.lower(): i for i, ns in enumerate(identities._config().get("weekdays") or ()) for n in ns}
    wd = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    mon = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    day = (rf"(?:(?:(?P<y>\d{{4}})年)?(?:(?P<m>\d{{1,2}})月)?(?P<d>\d{{1,2}})[日号號]"
           rf"|(?P<mn>{mon})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
           rf"|(?P<d3>\d{{1,2}})\s+(?P<mn3>{mon})(?:\s+(?P<y3>\d{{4}}))?)")
    sep = r"[\s,，、(（]{0,3}"
    rel = r"(?<!下)(?<!上)(?<!本)(?<!这)(?<!這)(?<!next )(?<!last )(?<!this )"
    return (re.compile(rf"{rel}(?<![a-z])(?P<w>{wd})(?![a-z]){sep}{day}", re.I),
            re.compile(rf"{day}{sep}(?<![a-z])(?P<w>{wd})(?![a-z])", re.I)), names


def _weekdays(cs: list[Claim]) -> list[Finding]:
    """A date printed with its weekday: the calendar says which weekday the date is. With the year printed a
    mismatch is an error; with the year inferred, a weekday that fits a neighbouring year says the year reading is
    doubtful (nothing to say), any other mismatch is a tension."""
    pats, names = _weekday_patterns()
    out = []
    for c in cs:
        day = _day(c.date) if c.unit == "date" and c.date and len(str(c.date)) == 10 else None
        if day is None:
            continue
        for m in (m for p in pats for m in p.finditer(c.sentence or "")):
            d = int(m["d"] or m["d2"] or m["d3"])
            mon = m["m"] and int(m["m"]) or next((i + 1 for i, p in enumerate(_MONTHS)
                                                   if (m["mn"] or m["mn3"] or "").lower().startswith(p)), None)
            if d != day.day or (mon is not None and mon != day.month):
                continue
            printed = names[m["w"].lower()]
            year_printed = bool(m["y"] or m["y2"] or m["y3"])
            said = f"{day.isoformat()} is a {day:%A}; printed {m[0]!r}"
            if printed == day.weekday():
                out.append(Finding("weekday", "consistent", said, [c.id]))
            elif year_printed:
                out.append(Finding("weekday", "inconsistent", said, [c.id]))
            elif not any(_same_day(day, y).weekday() == printed for y in (day.year - 1, day.year + 1)
                         if _same_day(day, y)):
                out.append(Finding("weekday", "tension", said + " (the year is inferred)", [c.id], False))
            break
    return out


def _same_day(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None
