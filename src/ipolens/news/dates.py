"""Dates and periods in news text, resolved against the publication date (never against today).

Year-less dates (1月5日) take the year that puts them closest to the reference date, on the side the tense asks for:
将/预计/计划 look forward, 截至/收报/首日 look back. The forms are date_patterns', their reading date_forms',
the span type and the year rule date_span's; this module runs the patterns over a text.
"""
from __future__ import annotations

import datetime as dt

from .date_forms import _build
from .date_patterns import _ANCHORED  # re-exported for tests
from .date_span import DateSpan, resolve_month_day  # re-exported: the module's interface
from .scan_anchor import CharPositions

__all__ = ["DateSpan", "scan_dates", "resolve_month_day"]

_SAME: dt.date | None = dt.date.min  # sentinel: relative_ref defaults to ref


def scan_dates(text: str, ref: dt.date | None = None, relative_ref: dt.date | None = _SAME) -> list[DateSpan]:
    """Dates and periods in ``text`` (normalised). ``ref``: the publication date (or the latest date the article can
    have been written) for year-less forms; ``relative_ref``: the exact publication date for 今日/今(8)日/下周一
    (defaults to ``ref``; pass None with a ref when only a window is known)."""
    if relative_ref is _SAME:
        relative_ref = ref
    out: list[DateSpan] = []
    taken = bytearray(len(text) + 1)
    chars = CharPositions(text)
    for kind, pat in _ANCHORED:
        for m in pat.finditer(text, chars):
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            use = ref if kind not in ("rel_day", "today_n", "week", "rel_month_day", "en_rel_day") else relative_ref
            span = _build(kind, m, text, use)
            if span is None:
                continue
            out.append(span)
            taken[s:e] = b"\x01" * (e - s)
    out.sort(key=lambda d: d.start)
    return out
