"""Dates and periods in news text, resolved against the publication date (never against today).

Year-less dates (1月5日) take the year that puts them closest to the reference date, on the side the tense asks for:
将/预计/计划 look forward, 截至/收报/首日 look back.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .scan_anchor import Anchored, CharPositions

__all__ = ["DateSpan", "scan_dates", "resolve_month_day"]

_CN_YEAR = "〇零一二三四五六七八九"
_SAME: dt.date | None = dt.date.min  # sentinel: relative_ref defaults to ref


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

_WEEKDAYS = "一二三四五六日天"
_PATTERNS = [
    ("iso", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    # 2019.11.05, 2019/11/05: tables and mainland copy separate a full date with dots or slashes (19xx/20xx only)
    ("ymd_dot", re.compile(r"(?<![\d.])((?:19|20)\d\d)([./])(\d{1,2})\2(\d{1,2})(?!\d|\.\d)")),
    ("ymd_cn", re.compile(rf"([{_CN_YEAR}]{{4}})年([十一二三四五六七八九]{{1,3}})月([十一二三四五六七八九]{{1,3}})[日号]")),
    ("range_y", re.compile(r"(?<!\d)(\d{4})年?\s?(?:至|到|-|~|—)\s?(\d{4})(年|H[12]|年[上下]半年)?")),
    ("ymd", re.compile(r"(?<!\d)(\d{4})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]")),  # '2025 年 12 月 5 日' too
    ("rel_md", re.compile(r"(明年|今年|去年)(\d{1,2})月(\d{1,2})[日号]")),
    # 本月十五日, 下月3日: a day of this, the next or the last month (of the publication date)
    ("rel_month_day", re.compile(r"(本|上|下)月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]")),
    ("today_n", re.compile(r"今\s?\(\s?(\d{1,2})\s?\)\s?日")),
    ("week", re.compile(rf"(上|下|本)(?:周|星期|礼拜)([{_WEEKDAYS}])(?:\s?\(\s?(\d{{1,2}})日?\s?\))?")),
    ("md", re.compile(r"(?<![\d年])(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]")),
    # 三月五日: a year-less day in Chinese numerals (with a year it is ymd_cn)
    ("md_cn", re.compile(r"(?<![〇零一二三四五六七八九十年每第])(十[一二]?|[一二三四五六七八九])月"
                         r"(三十[一]?|二?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]")),
    # 周日(28日): a weekday with its day of the month, no 上/下/本
    ("wd_day", re.compile(rf"(?<![上下本])(?:周|星期|礼拜)[{_WEEKDAYS}]\s?\(\s?(\d{{1,2}})日?\s?\)")),
    ("en_wd", re.compile(r"\b(?:on|last|this|next)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                         r"(?!,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))", re.I)),
    # a capitalised weekday with no preposition, as wire copy writes it ('opened Friday', 'Tuesday's debut')
    ("en_wd_bare", re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                              r"(?!,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))")),
    # (no \b or look-ahead before a literal: the regex engine then finds the words fast; _build checks the edges)
    ("en_rel_day", re.compile(r"yesterday|tomorrow|Yesterday|Tomorrow")),
    ("half", re.compile(r"(?<!\d)(\d{4})\s?(?:年)?(?:(上|下)半年|H([12]))")),
    ("ym", re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?![\d日])")),
    ("rel_ym", re.compile(r"(今年|去年|明年)(\d{1,2})月(?![\d日号])")),  # 今年3月: a month of the publication year
    ("year_end", re.compile(r"(?<!\d)(\d{4})年(?:末|底)")),
    ("year", re.compile(r"(?<![\d.A-Za-z])(\d{4})年(?!\d)")),
    # 昨晚/昨夜 (last night: a US session read in Asia the next morning), 今晨/今早 (this morning)
    ("rel_day", re.compile(r"今日|今天|今晨|今早|昨日|昨天|昨晚|昨夜|明日|明天|昨(?=挂牌|上市|起|招股|截止|公布|宣布)")),
    ("en_mdy", re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                          r"(?:,?\s+(\d{4}))?\b")),
    # an English year after in, during, fiscal ('Founded in 2012'; the span is the year's digits). Not after since or
    # until: a bound is not the period of the figures that follow
    ("en_year", re.compile(r"\b(?:in|during|fiscal)\s+(\d{4})\b(?![-–/.,]?\d|\s?%)", re.I)),
    ("en_dmy", re.compile(r"\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+(\d{4}))?\b")),
    # 'March 2012', 'in Jan. 2021': an English month of a year; last, so that a day with it ('10 July 2020') is a day
    ("en_my", re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|December"
                         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(\d{4})\b(?![-–/.,]?\d)")),
]


# The character each form starts with: a one-character look-ahead lets the regex engine skip every other position
# fast (a look-behind at the start of a pattern is tried at every position of the text).
_FIRST = {"iso": r"\d", "ymd_cn": f"[{_CN_YEAR}]", "range_y": r"\d", "ymd": r"\d", "ymd_dot": "[12]", "md": r"\d", "md_cn": "[十一二三四五六七八九]",
          "wd_day": "[周星礼]", "en_wd": "[OoLlTtNn]", "en_wd_bare": "[MTWFS]", "half": r"\d", "ym": r"\d", "year_end": r"\d", "year": r"\d",
          "en_mdy": "[JFMASOND]", "rel_ym": "[今去明]", "en_dmy": r"\d", "en_year": "[IiDdFf]"}
_PATTERNS = [(kind, re.compile(f"(?={_FIRST[kind]})(?:{pat.pattern})", pat.flags) if kind in _FIRST else pat)
             for kind, pat in _PATTERNS]
# Most forms hold a literal character at a bounded distance from their start (年, 月, -): they are tried only there.
_ANCHORED = [(kind, Anchored(pat)) for kind, pat in _PATTERNS]


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


def _cn_int(s: str) -> int:
    import cn2an

    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if len(s) == 4 and all(c in digits for c in s):  # a year written digit by digit: 二〇二五
        return int("".join(str(digits[c]) for c in s))
    return int(cn2an.cn2an(s, "smart"))


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
