"""A date or period found in news text (``DateSpan``) and the year a year-less date takes from the publication date
and the tense around it.

Apart from dates.py so that both the scan (dates.py) and the reading of each date form (date_forms.py) can use them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    raw: str
    date: dt.date | None = None  # a day
    period: str | None = None  # 2024, 2023-01, 2025H1, 2020-2024, 2022-2025H1
    inferred_year: bool = False  # the text gave no year: it came from the reference date
    note: str | None = None

    @property
    def year(self) -> int | None:
        if self.date:
            return self.date.year
        m = re.match(r"(\d{4})", self.period or "")
        return int(m[1]) if m else None


_FUTURE = re.compile(r"将|預計|预计|计划|拟|即将|有望|定于|下周|明年")
_PAST = re.compile(r"截至|收报|收市|收盘|已|首日|上周|去年|录得")


def resolve_month_day(month: int, day: int, ref: dt.date, tense: str | None = None) -> dt.date | None:
    """The year for a year-less month/day: closest to ``ref``, forward for future tense, back for past."""
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        gap = (d - ref).days
        if tense == "future" and gap < -3:
            continue
        if tense == "past" and gap > 3:
            continue
        if best is None or abs(gap) < abs((best - ref).days):
            best = d
    return best


def _tense(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - 8):start]
    after = text[end:end + 8]
    if _FUTURE.search(before) or re.match(r".{0,3}(将|计划|有望)", after):
        return "future"
    if _PAST.search(before) or re.search(r"收报|收市|收盘|上市首日|录得", after):
        return "past"
    return None
