"""The IPO calendar in the terminal (``ipolens calendar``): one table of events with their trading-day check, then
the A-share subscription terms, one row per deal. Renders ``app.calendar.CalendarResult.to_dict()``."""
from __future__ import annotations

from .terminal import fmt_number, show

__all__ = ["print_calendar"]

A_SHARE_HEADERS = ("date", "code", "deal", "申购代码", "申购上限", "顶格需配市值", "发行PE", "行业PE", "PE vs 行业",
                   "中签率")


def _v(obj, unit=None) -> str:
    return "missing" if not obj else fmt_number(obj["value"], unit=unit, currency=obj.get("currency"))


def _rate(obj) -> str:
    # lottery rates are small percentages (0.036%): keep four significant digits
    return "missing" if not obj else f"{obj['value']:.4g}%"


def _day_flag(e: dict) -> str:
    if e["trading_day"] is True:
        return "yes"
    return ("NO: " if e["trading_day"] is False else "? ") + (e["calendar_note"] or "")


def print_calendar(d: dict) -> None:
    ev = d["events"]
    rows = [(e["date"], e["event"], e["market"] or "", e["code"] or "—", e["deal"] or "",
             _v(e.get("offer_price")), _day_flag(e), e["source"] or "") for e in ev]
    cals = ", ".join(f"{m} {c}" for m, c in d["calendars"].items())
    show(f"IPO calendar {d['from']} .. {d['to']}{' (' + d['market'] + ')' if d['market'] else ''}: {len(ev)} events"
         + (f", {d['flagged']} not on a trading day" if d["flagged"] else ""),
         ("date", "event", "market", "code", "deal", "offer price", "trading day", "source"), rows,
         notes=tuple(d["notes"]) + ((f"trading days checked on {cals}",) if cals else ()), width=140,
         left=("event", "market", "code", "deal", "trading day", "source"))
    first: dict = {}  # one row per A-share deal: its first event in the window
    for e in ev:
        if "subscription_code" in e:
            first.setdefault(e["key"] or e["deal"], e)
    if first:
        show("A-share subscription terms (missing: not in the ledger)", A_SHARE_HEADERS, [
            (e["date"], e["code"] or "—", e["deal"] or "", _v(e["subscription_code"]),
             _v(e["subscription_limit_shares"]), _v(e["subscription_min_market_value"]), _v(e["issue_pe"], "x"),
             _v(e["industry_pe"], "x"), _v(e["issue_pe_vs_industry_pct"], "pct"), _rate(e["lottery_rate"]))
            for e in first.values()], width=140, left=("code", "deal", "申购代码"))
