"""One match of a date pattern read into a ``DateSpan``: the day or period each kind of form states, resolved
against the reference date.

Apart from dates.py because it is the long per-kind reading; dates.py only runs the patterns over a text.
"""
from __future__ import annotations

import datetime as dt
import re

from .date_patterns import _WEEKDAYS
from .date_span import DateSpan, _tense, resolve_month_day


def _cn_int(s: str) -> int:
    import cn2an

    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if len(s) == 4 and all(c in digits for c in s):  # a year written digit by digit: 二〇二五
        return int("".join(str(digits[c]) for c in s))
    return int(cn2an.cn2an(s, "smart"))


_EN_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _safe_date(y: int, mo: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _build(kind: str, m: re.Match, text: str, ref: dt.date | None) -> DateSpan | None:
    s, e, raw = m.start(), m.end(), m[0]
    if kind == "iso":
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return DateSpan(s, e, raw, date=d) if d else None
    if kind == "ymd_cn":
        d = _safe_date(_cn_int(m[1]), _cn_int(m[2]), _cn_int(m[3]))
        return DateSpan(s, e, raw, date=d) if d else None
    if kind == "ymd_dot":
        d = _safe_date(int(m[1]), int(m[3]), int(m[4]))
        return DateSpan(s, e, raw, date=d) if d else None
    if kind == "ymd":
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return DateSpan(s, e, raw, date=d) if d else None
    if kind == "range_y":
        a, b = int(m[1]), int(m[2])
        if not (1900 <= a < b <= 2100):
            return None
        tail = m[3] or ""
        half = re.search(r"H([12])|([上下])半年", tail)
        end_label = f"{b}H{half[1] or ('1' if half[2] == '上' else '2')}" if half else str(b)
        return DateSpan(s, e, raw, period=f"{a}-{end_label}")
    if kind == "rel_month_day":
        if ref is None:
            return DateSpan(s, e, raw, note=f"'{raw}' with no publication date")
        months = ref.year * 12 + ref.month - 1 + {"本": 0, "上": -1, "下": 1}[m[1]]
        d = _safe_date(months // 12, months % 12 + 1, int(m[2]) if m[2].isdigit() else _cn_int(m[2]))
        return DateSpan(s, e, raw, date=d) if d else None
    if kind == "rel_md":
        if ref is None:
            return DateSpan(s, e, raw, note="year-relative date with no publication date to resolve it")
        y = ref.year + {"明年": 1, "今年": 0, "去年": -1}[m[1]]
        d = _safe_date(y, int(m[2]), int(m[3]))
        return DateSpan(s, e, raw, date=d, inferred_year=True) if d else None
    if kind == "today_n":
        if ref is None:
            return DateSpan(s, e, raw, note="今(N)日 with no publication date")
        day = int(m[1])
        d = _safe_date(ref.year, ref.month, day)
        if d and d > ref + dt.timedelta(days=3):  # the day belongs to the previous month
            prev = ref.replace(day=1) - dt.timedelta(days=1)
            d = _safe_date(prev.year, prev.month, day)
        return DateSpan(s, e, raw, date=d, inferred_year=True)
    if kind == "week":
        if ref is None:
            return DateSpan(s, e, raw, note="weekday with no publication date")
        wd = _WEEKDAYS.index(m[2]) if m[2] not in "日天" else 6
        monday = ref - dt.timedelta(days=ref.weekday())
        shift = {"上": -7, "下": 7, "本": 0}[m[1]]
        d = monday + dt.timedelta(days=shift + wd)
        if m[3] and d.day != int(m[3]):
            return DateSpan(s, e, raw, date=d, inferred_year=True,
                            note=f"weekday gives {d.isoformat()} but the text says the {int(m[3])}th")
        return DateSpan(s, e, raw, date=d, inferred_year=True)
    if kind in ("md", "md_cn"):
        mo, day = (int(m[1]), int(m[2])) if kind == "md" else (_cn_int(m[1]), _cn_int(m[2]))
        if not (1 <= mo <= 12 and 1 <= day <= 31):
            return None
        if ref is None:
            return DateSpan(s, e, raw, period=f"--{mo:02d}-{day:02d}", note="no year and no publication date")
        d = resolve_month_day(mo, day, ref, _tense(text, s, e))
        return DateSpan(s, e, raw, date=d, inferred_year=True) if d else None
    if kind == "wd_day":  # the day of the month closest to the reference date
        if ref is None:
            return DateSpan(s, e, raw, note="weekday with no publication date")
        day = int(m[1])
        best = None
        for back in range(-1, 2):
            first = (ref.replace(day=1) + dt.timedelta(days=32 * back)).replace(day=1) if back >= 0 else \
                (ref.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            d = _safe_date(first.year, first.month, day)
            if d and (best is None or abs((d - ref).days) < abs((best - ref).days)):
                best = d
        return DateSpan(s, e, raw, date=best, inferred_year=True) if best else None
    if kind in ("en_rel_day", "en_my") and (s and text[s - 1].isalpha() or kind == "en_rel_day" and text[e:e + 1].isalpha()):
        return None  # inside a word
    if kind == "en_rel_day":
        if ref is None:
            return DateSpan(s, e, raw, note=f"'{raw}' with no publication date")
        return DateSpan(s, e, raw, date=ref + dt.timedelta(days=-1 if raw[0] in "Yy" else 1))
    if kind in ("en_wd", "en_wd_bare"):  # 'on Thursday': the nearest such day, forward only when the text looks forward
        if ref is None:
            return DateSpan(s, e, raw, note="weekday with no publication date")
        wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(m[1].lower())
        back = (ref.weekday() - wd) % 7
        d = ref - dt.timedelta(days=back)
        if raw.lower().startswith("next") or (back and re.search(r"\b(?:will|to|is set to|expected)\b",
                                                               text[max(0, s - 40):s], re.I)):
            d = ref + dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
        return DateSpan(s, e, raw, date=d, inferred_year=True)
    if kind == "half":
        h = m[3] or ("1" if m[2] == "上" else "2")
        return DateSpan(s, e, raw, period=f"{m[1]}H{h}")
    if kind == "ym":
        mo = int(m[2])
        if not 1 <= mo <= 12:
            return None
        return DateSpan(s, e, raw, period=f"{m[1]}-{mo:02d}")
    if kind in ("rel_ym", "en_my"):
        mo = int(m[2]) if kind == "rel_ym" else _EN_MONTHS.index(m[1][:3].lower()) + 1
        if kind == "en_my":
            y = int(m[2])
        elif ref is None:
            return DateSpan(s, e, raw, note=f"'{raw}' with no publication date")
        else:
            y = ref.year + {"明年": 1, "今年": 0, "去年": -1}[m[1]]
        if not (1 <= mo <= 12 and 1900 <= y <= 2100):
            return None
        return DateSpan(s, e, raw, period=f"{y}-{mo:02d}", inferred_year=kind == "rel_ym")
    if kind == "year_end":
        return DateSpan(s, e, raw, date=dt.date(int(m[1]), 12, 31))
    if kind == "en_year":
        y = int(m[1])
        return DateSpan(m.start(1), m.end(1), m[1], period=str(y)) if 1900 <= y <= 2100 else None
    if kind == "year":
        y = int(m[1])
        if not 1900 <= y <= 2100:
            return None
        return DateSpan(s, e, raw, period=str(y))
    if kind in ("en_mdy", "en_dmy"):
        mon, day, year = (m[1], m[2], m[3]) if kind == "en_mdy" else (m[2], m[1], m[3])
        mo = _EN_MONTHS.index(mon[:3].lower()) + 1
        if year:
            d = _safe_date(int(year), mo, int(day))
            return DateSpan(s, e, raw, date=d) if d else None
        if ref is None:
            return DateSpan(s, e, raw, period=f"--{mo:02d}-{int(day):02d}", note="no year and no publication date")
        d = resolve_month_day(mo, int(day), ref, _tense(text, s, e))
        return DateSpan(s, e, raw, date=d, inferred_year=True) if d else None
    if kind == "rel_day":
        if ref is None:
            return DateSpan(s, e, raw, note=f"'{raw}' with no publication date")
        shift = {"今日": 0, "今天": 0, "今晨": 0, "今早": 0, "昨日": -1, "昨天": -1, "昨晚": -1, "昨夜": -1, "昨": -1,
                 "明日": 1, "明天": 1}[raw]
        return DateSpan(s, e, raw, date=ref + dt.timedelta(days=shift))
    return None
