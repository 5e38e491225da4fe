"""The date and period forms of news text as regexes, one per kind (iso, ymd_cn, md, half, rel_day, en_mdy ...),
each anchored on its literal characters.

Apart from dates.py because the patterns are the grammar's vocabulary; date_forms.py reads what each kind matched.
"""
from __future__ import annotations

import re

from .scan_anchor import Anchored

_CN_YEAR = "〇零一二三四五六七八九"
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
