"""Dates that are claims themselves: listing and subscription days, founding and planned years."""
from __future__ import annotations

import datetime as dt
import re

from .claim import Claim
from .claim_context import _LEAD_CAP, _entity_for, _quote, _sentence_bounds
from .dates import DateSpan
from .roles import lexicon
from .spans import Lines, MentionIndex
from .text import Article, Normalised


_DATE_EVENT = [
    (re.compile(r"^[^。!?]{0,60}?(上市|挂牌|敲钟)(?!前|以来|之前|首日|后)"), "listing_date"),
]
# A year a product event is planned for: the event word right after the year ('计划于2026年量产'), a plan word or a
# year after the article's own: a past launch year is history, not a plan.
_YEAR_EVENTS = (
    (re.compile(r"^.{0,3}(?:商业化|商用|量产)"), "planned_commercialization_year"),
    (re.compile(r"^.{0,3}(?:推出|发布|上线|面世)"), "planned_launch_year"),
)
_PLAN = re.compile(r"预计|计划|将|拟|有望|目标")
_MONTH = re.compile(r"\d{4}-\d{2}")
_MONTH_FRAME_AFTER = re.compile(r"\s?[,，的]")
_MONTH_FRAME_BEFORE = re.compile(r"(?:从|由|自|起|from|since|until|through)\s?$", re.I)
# a founding verb right before the year ('成立于2017年', 'Established in 2017', 'incorporated in 2019')
_FOUNDED_BEFORE = re.compile(r"(?:成立|创立|创办|创建|founded|established|incorporated|set up)\s?(?:于|在|in)\s?$", re.I)
# '2026年前不会上市': a listing ruled out before a year
_NOT_BEFORE = re.compile(r"^(?:之)?前(?:不会|不|无意|暂不|暂无计划)[^,。;]{0,8}?上市")


def _nearest_event(before: str, after: str) -> str | None:
    """The event a day dates: the role of kind ``date`` (lexicon/roles.yaml) whose cue is nearest, read like any
    figure's role; None when no cue names one or cues of two events sit at the same distance."""
    return lexicon().pick("date", before, after).metric


def _date_claims(article: Article, norm: Normalised, dates, mentions: MentionIndex, subject, gazetteer,
                 lines: Lines, ref: dt.date | None = None) -> list[Claim]:
    """Dates that are themselves claims: listing dates, years of founding or launch (``ref``: the publication
    date, which tells a planned year from a past one)."""
    text, orig = norm.text, article.text
    out: list[Claim] = []
    date_ends = {d.end for d in dates}
    ref_year = ref.year if ref else None
    for d in dates:
        s_start, s_end = _sentence_bounds(text, d.start)
        after = text[d.end:min(s_end, d.end + _LEAD_CAP)]  # bounded: a long sentence of dates stays linear
        before = text[max(s_start, d.start - 12):d.start]
        metric = value_text = None
        unit = "date"
        yearless = (d.period or "").startswith("--")  # 'June 26' with no publication date: a day, year unknown
        # a month dates an event as a day does ('2025年3月证监会发布新规', 'announced in January 2021'), unless it frames
        # what follows: a topic before a comma ('2026年1月,港交所…'), a modifier ('2023年1月的54元'), a bound ('从…')
        month = _MONTH.fullmatch(d.period or "") is not None and not (
            _MONTH_FRAME_AFTER.match(after) or _MONTH_FRAME_BEFORE.search(before))
        if d.date and _DATELINE.match(after):
            continue  # '北京10月26日讯', '5月16日消息': the dispatch date of the article, not a claim
        if d.date or yearless or month:
            wide = re.search(r"[A-Za-z]", d.raw)  # English cues sit further before the day ('first trading day on')
            metric = _nearest_event(text[max(s_start, d.start - 40):d.start] if wide else before, after)
            if re.search(r"至\s?$", before) and out and out[-1]._nend in range(d.start - 3, d.start) \
                    and out[-1].metric == "subscription_start":
                metric = "subscription_end"  # '2月4日至2月7日': the window's last day
            for pat, name in _DATE_EVENT if not metric else ():
                if pat.search(after) and not re.match(r"^.{0,2}(前|以来|之前)", after):
                    metric = name
                    break
            if metric == "listing_date" and re.search(r"预计|计划|拟|有望", before):
                metric = "expected_listing_date"
            if not metric and _frames_figure(text, d, before, after, date_ends):
                continue
            metric = metric or "event_date"  # a day the text names dates an event: itself a checkable claim
            value_text = d.date.isoformat() if d.date else d.period  # '--06-26': ISO 8601 month and day
        elif d.period:
            planned = next((name for pat, name in _YEAR_EVENTS if pat.match(after)), None)
            if planned and not (d.period.isdigit() and (_PLAN.search(before + after[:6]) or (
                    ref_year is not None and int(d.period) > ref_year))):
                planned = None
            if _NOT_BEFORE.match(after):
                metric, unit, value_text = "ipo_not_before", "year", d.period
            elif re.match(r"^.{0,4}(成立)", after) or re.search(r"自$", before) and re.match(r"^.{0,2}成立", after) \
                    or _FOUNDED_BEFORE.search(text, max(s_start, d.start - 20), d.start):
                metric, unit, value_text = "founded_year", "year", d.period
            elif d.period.isdigit() and re.match(r"^[^,。;]{0,12}?(?:上市|挂牌)(?!前|以来|之前|后)", after):
                metric, unit, value_text = "listing_date", "year", d.period
            elif re.search(r"自$", before) and re.match(r"^开始", after):
                metric, unit, value_text = "statement", "year", d.period
            elif planned:
                metric, unit, value_text = planned, "year", d.period
            elif "H" in d.period and re.search(r"上市", after[:30]):
                metric, unit, value_text = "expected_listing_period", "period", d.period
        if not metric:
            continue
        o_start, o_end = norm.span(d.start, d.end)
        os_start, os_end = norm.span(s_start, s_end)
        ent = _entity_for(max(d.end, s_end), mentions, text, subject, metric, lines)
        c = Claim(id="", article=article.path, entity=gazetteer.display(ent) if (gazetteer and ent) else None,
                  entity_key=ent, code=gazetteer.code(ent) if (gazetteer and ent) else None, metric=metric,
                  value=None, unit=unit, qualifier="exact", start=o_start, end=o_end,
                  quote=_quote(orig, o_start, o_end, os_start, os_end), sentence=orig[os_start:os_end].strip(),
                  text=value_text, date=d.date.isoformat() if d.date else None, period=d.period,
                  claim_type="forecast" if re.search(r"预计|将|计划|有望", before + after[:10]) else "reported",
                  _nstart=d.start, _nend=d.end)
        if d.inferred_year:
            c.notes.append("year inferred from the publication date")
        out.append(c)
    return out


# A day that only frames figures is their date, not a claim: as-of days, datelines, market-data days, and the
# writer's own vantage ('1月5日, 我们看到的…').
_AS_OF = re.compile(r"(?:截至|截止到|截止|as of|through|close on|closed on)\s?$", re.I)
_DATELINE = re.compile(r"^\s?(?:讯|电|消息)")
_MARKET_DAY = re.compile(r"^,?[^,。;!?]{0,8}?(?:盘中|收报|收市|收盘|暗盘|开报|开盘|早盘|午盘|全天|资金流向|跌幅|涨幅|升幅)|^,?(?:我们|我|笔者)")


def _frames_figure(text: str, d: DateSpan, before: str, after: str, date_ends: set[int]) -> bool:
    if _AS_OF.search(before) or _MARKET_DAY.search(after):
        return True
    # '至1月5日, 市值…' frames a figure; '2月4日至2月7日' ends a window (a claim)
    return bool(re.search(r"至\s?$", before)) and not any(e in date_ends for e in range(d.start - 3, d.start))
