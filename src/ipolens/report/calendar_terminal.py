"""The IPO calendar in the terminal (``ipolens calendar``): one table of events with their trading-day check, then
the A-share subscription terms, one row per deal. Renders ``app.calendar.CalendarResult.to_dict()``."""
from __future__ import annotations

from ..i18n import current_lang, has, t
from .common import value_label
from .terminal import fmt_value, show

__all__ = ["print_calendar"]

# the A-share table's columns (the dashboard's labels: one catalogue)
A_SHARE_HEADERS = ("term.col.date", "pl.col.code", "pl.col.deal", "dash.cal_sub_code", "dash.cal_sub_limit",
                   "dash.cal_min_mv", "dash.cal_issue_pe", "dash.cal_industry_pe", "dash.cal_vs_industry",
                   "dash.lottery_rate")


def _v(obj, unit=None) -> str:
    if not obj:
        return t("missing")
    if isinstance(obj["value"], str):  # a subscription code is a code, not a number
        return obj["value"]
    return fmt_value(obj["value"], unit=unit or obj.get("unit"), currency=obj.get("currency"))


def _day_flag(e: dict) -> str:
    if e["trading_day"] is True:
        return t("dash.yes")
    return (t("cal.not_trading", note=e["calendar_note"] or "") if e["trading_day"] is False
            else t("cal.unknown", note=e["calendar_note"] or "")).strip()


def _event(e: str) -> str:
    return t(f"cal.event.{e}") if has(f"cal.event.{e}") else e


def print_calendar(d: dict) -> None:
    ev, lang = d["events"], current_lang()
    rows = [(e["date"], _event(e["event"]), value_label("market", e["market"], lang) if e["market"] else "",
             e["code"] or "—", e["deal"] or "", _v(e.get("offer_price"), "money"), _day_flag(e), e["source"] or "")
            for e in ev]
    cals = ", ".join(f"{value_label('market', m, lang)} {c}" for m, c in d["calendars"].items())
    market = t("cal.market", market=value_label("market", d["market"], lang)) if d["market"] else ""
    show(t("cal.title", start=d["from"], end=d["to"], market=market, n=len(ev))
         + (t("cal.flagged", n=d["flagged"]) if d["flagged"] else ""),
         ("term.col.date", "cal.col.event", "pl.col.market", "pl.col.code", "pl.col.deal", "cal.col.offer",
          "dash.cal_trading_day", "term.col.source"), rows,
         notes=tuple(d["notes"]) + ((t("cal.checked_on", cals=cals),) if cals else ()), width=140,
         left=("cal.col.event", "pl.col.market", "pl.col.code", "pl.col.deal", "dash.cal_trading_day",
               "term.col.source"))
    first: dict = {}  # one row per A-share deal: its first event in the window
    for e in ev:
        if "subscription_code" in e:
            first.setdefault(e["key"] or e["deal"], e)
    if first:
        show("cal.a_share_title", A_SHARE_HEADERS, [
            (e["date"], e["code"] or "—", e["deal"] or "", _v(e["subscription_code"], "text"),
             _v(e["subscription_limit_shares"], "shares"), _v(e["subscription_min_market_value"], "money"),
             _v(e["issue_pe"], "x"), _v(e["industry_pe"], "x"), _v(e["issue_pe_vs_industry_pct"], "pct"),
             _v(e["lottery_rate"], "pct"))
            for e in first.values()], width=140, left=("pl.col.code", "pl.col.deal", "dash.cal_sub_code"))
