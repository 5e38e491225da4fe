"""Use case: the IPO calendar (``ipolens calendar``, ``GET /api/calendar``).

Application windows (open, close), the A-share subscription day, pricing, allotment results, the payment day and the
listing day of the deals in the ledger, from their date facts; for deals not yet listed, the launch, pricing,
allotment and listing stages of the pipeline (``ipolens.app.pipeline``). Each date is checked
against its exchange's trading calendar (markets.yaml -> exchange_calendars): a date that is not a session is
flagged with the next session named, never moved. A-share rows carry 申购代码, 申购上限, 顶格申购需配市值, 发行市盈率,
行业市盈率 and 中签率 as value objects with their sources, or null where the ledger has none.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..ledger.access import Store
from ..ledger.calendars import calendar as trading_calendar
from ..ledger.markets import UnknownMarket, calendar_name, market as market_info, normalise_market
from ..ledger.queries import calendar as q
from ..ledger.queries.profile import sources_by_id
from .base import Result, UserError, records

__all__ = ["CalendarResult", "calendar", "EVENTS", "PIPELINE_EVENTS", "A_SHARE_FIELDS", "session_check"]

# date field -> calendar event, in the order a deal meets them (the sort order of one day's events)
EVENTS = {
    "offering_start_date": "application_open",
    "subscription_date": "subscription",
    "offering_end_date": "application_close",
    "pricing_date": "pricing",
    "allotment_results_date": "allotment",
    "subscription_payment_date": "payment",
    "listing_date": "listing",
}
# pipeline stage (the stage codes of the issue-14 contract) -> calendar event; "launch" is the HK prospectus day
PIPELINE_EVENTS = {"launched": "launch", "subscription": "subscription", "priced": "pricing",
                   "allotted": "allotment", "listed": "listing"}
_ORDER = {e: i for i, e in enumerate(["launch", *EVENTS.values()])}
A_SHARE_FIELDS = ("subscription_code", "subscription_limit_shares", "subscription_min_market_value", "issue_pe",
                  "industry_pe", "lottery_rate")
_OTHER_FIELDS = ("offer_price", "name_en", "name_zh", *A_SHARE_FIELDS)
PE_FORMULA = "(issue_pe / industry_pe - 1) x 100"
DEFAULT_DAYS = 30  # window when --to is not given


@dataclass
class CalendarResult(Result):
    """``events``: one row per dated event in [date_from, date_to], by date; ``calendars``: market -> the
    exchange_calendars code each date was checked on; ``flagged``: events on a day that is not a session."""
    date_from: dt.date
    date_to: dt.date
    market: str | None
    events: list[dict[str, Any]]
    calendars: dict[str, str] = field(default_factory=dict)
    flagged: int = 0
    notes: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = super().to_dict()
        return {"from": d.pop("date_from"), "to": d.pop("date_to"), **d}


def _day(text, what: str) -> dt.date | None:
    if text is None or text == "":
        return None
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise UserError(f"{what} date: not an ISO date (YYYY-MM-DD): {text!r}") from None


def _known_market(market: str | None, key: str | None) -> str | None:
    """The registry's name for ``market``, else for the prefix of the listing key (SZ:301xxx -> SZ), so a board the
    registry does not list still gets its exchange's calendar; None when neither is known."""
    for name in (market, str(key or "").partition(":")[0] if ":" in str(key or "") else None):
        try:
            return normalise_market(name) if name else None
        except UnknownMarket:
            continue
    return None


def is_a_share(market: str | None, key: str | None = None) -> bool:
    m = _known_market(market, key)
    return m is not None and market_info(m).code_prefix in ("SH", "SZ")


def session_check(day: dt.date, market: str | None, key: str | None = None) -> dict[str, Any]:
    """{calendar, trading_day, calendar_note} for ``day`` on the exchange of ``market`` (else of the listing key's
    prefix). trading_day is None when the calendar cannot say (no calendar for the market, or a weekday past the
    holidays it records)."""
    known = _known_market(market, key)
    if known is None:
        return {"calendar": None, "trading_day": None,
                "calendar_note": f"no trading calendar for market {market!r} in markets.yaml"}
    code = calendar_name(known)
    cal = trading_calendar(code)
    ts = pd.Timestamp(day)
    weekday = day.strftime("%A")
    if ts < cal.first_session:
        return {"calendar": code, "trading_day": None, "calendar_note": f"before the sessions {code} records"}
    if ts > cal.last_session:
        last = cal.last_session.date().isoformat()
        if day.weekday() >= 5:
            return {"calendar": code, "trading_day": False, "calendar_note": f"a {weekday}"}
        return {"calendar": code, "trading_day": None,
                "calendar_note": f"{code} records holidays only to {last}: a weekday, not checked for holidays"}
    if cal.is_session(ts):
        return {"calendar": code, "trading_day": True, "calendar_note": None}
    nxt = cal.date_to_session(ts, direction="next").date().isoformat() if ts < cal.last_session else None
    return {"calendar": code, "trading_day": False,
            "calendar_note": f"not a {code} session ({weekday}); kept as the source dates it"
                             + (f"; next session {nxt}" if nxt else "")}


def _value(r: dict | None) -> dict | None:
    if r is None:
        return None
    value = r["value_text"] if r["value_num"] is None else float(r["value_num"])
    out = {"value": value, "currency": r["currency"], "qualifier": r["qualifier"], "source": r["source_id"]}
    if r.get("quote"):
        out["quote"] = r["quote"]
    return out


def _pe_gap(row: dict) -> dict | None:
    ipe, ind = row.get("issue_pe"), row.get("industry_pe")
    if not (ipe and ind and isinstance(ipe["value"], float) and isinstance(ind["value"], float) and ind["value"]):
        return None
    return {"value": (ipe["value"] / ind["value"] - 1) * 100, "unit": "pct", "basis": "derived",
            "formula": PE_FORMULA, "sources": sorted({ipe["source"], ind["source"]})}


def _fact_events(rows: pd.DataFrame, start: dt.date, end: dt.date) -> list[dict]:
    out = []
    for key, g in rows.groupby("entity", sort=True):
        by = {r["field"]: r for r in g.to_dict("records")}
        first = g.iloc[0]
        name_en = first["name_en"] or (by.get("name_en") or {}).get("value_text")
        name_zh = first["name_zh"] or (by.get("name_zh") or {}).get("value_text")
        base = {"deal": name_en or name_zh or first["code"] or key, "name_zh": name_zh, "key": key,
                "code": first["code"], "market": first["market"], "offer_price": _value(by.get("offer_price"))}
        extra: dict[str, Any] = {}
        if is_a_share(first["market"], key):
            extra = {f: _value(by.get(f)) for f in A_SHARE_FIELDS}
            extra["issue_pe_vs_industry_pct"] = _pe_gap(extra)
        for fld, event in EVENTS.items():
            r = by.get(fld)
            day = _day(r["value_text"], fld) if r else None
            if day is None or not (start <= day <= end):
                continue
            out.append({"date": day, "event": event, **base, **session_check(day, first["market"], key),
                        "source": r["source_id"], "quote": r["quote"], "origin": "facts", "field": fld, **extra})
    return out


def _pipeline_events(store: Store, start: dt.date, end: dt.date, market: str | None) -> tuple[list[dict], str | None]:
    """Launch, pricing, allotment and listing stages of pipeline deals in the window, as known on its last day; a note
    instead when the market has no pipeline rules."""
    from . import pipeline as pl

    try:
        deals = pl.pipeline(store, market=market, on=end).to_dict().get("deals") or []
    except UserError as exc:
        return [], f"pipeline stages not read: {exc}"
    out: dict[tuple, dict] = {}
    for d in deals:
        for s in d.get("stages") or []:
            event = PIPELINE_EVENTS.get(s.get("stage"))
            day = _day(s.get("date"), f"pipeline stage {s.get('stage')!r}") if event else None
            if day is None or not (start <= day <= end):
                continue
            seen = out.get((d.get("key"), event, day))
            if seen is not None:  # the same stage on the same day from another source: one event, both sources
                seen["other_sources"].append(s.get("source"))
                continue
            row = {"date": day, "event": event, "deal": d.get("name"), "name_zh": None, "key": d.get("key"),
                   "code": d.get("code"), "market": d.get("market"), "offer_price": d.get("offer_price"),
                   "price_range": d.get("price_range"), **session_check(day, d.get("market"), d.get("listing")),
                   "source": s.get("source"), "quote": s.get("quote"), "origin": "pipeline", "stage": s.get("stage"),
                   "doc_ref": s.get("doc_ref"), "note": s.get("note"), "other_sources": []}
            if is_a_share(d.get("market"), d.get("listing")):
                row.update({f: None for f in A_SHARE_FIELDS}, issue_pe_vs_industry_pct=None)
            out[(d.get("key"), event, day)] = row
    return list(out.values()), None


def _code_base(code) -> str | None:
    return str(code).split(".")[0].lstrip("0") if code else None


def calendar(store: Store, start=None, end=None, market: str | None = None) -> CalendarResult:
    """Events dated in [start, end] (ISO dates; default today and 30 days on) in ``market`` (any if None)."""
    d0 = _day(start, "from") or dt.date.today()
    d1 = _day(end, "to") or min(d0, dt.date.max - dt.timedelta(days=DEFAULT_DAYS)) + dt.timedelta(days=DEFAULT_DAYS)
    if d1 < d0:
        raise UserError(f"the to date {d1} is before the from date {d0}")
    try:
        mkt = normalise_market(market) if market else None
    except UnknownMarket as exc:
        raise UserError(str(exc)) from None
    with store.read() as led:
        rows = q.calendar_rows(led, list(EVENTS), list(_OTHER_FIELDS), d0.isoformat(), d1.isoformat(),
                               [mkt] if mkt else None)
    events = _fact_events(rows, d0, d1)
    piped, note = _pipeline_events(store, d0, d1, mkt)
    seen = {(_code_base(e["code"]), e["event"], e["date"]) for e in events}
    # a stage the facts already date the same way is one event; a different date stays beside it
    events += [e for e in piped if (_code_base(e["code"]), e["event"], e["date"]) not in seen or not e["code"]]
    if mkt:
        events = [e for e in events if e["market"] == mkt]
    events.sort(key=lambda e: (e["date"], _ORDER.get(e["event"], 99), e["market"] or "", e["code"] or "",
                               e["deal"] or ""))
    ids = sorted({e["source"] for e in events if e["source"]} | {x for e in events for x in e.get("other_sources", [])}
                 | {v["source"] for e in events for f in A_SHARE_FIELDS if (v := e.get(f))})
    with store.read() as led:
        srcs = sources_by_id(led, ids) if ids else pd.DataFrame()
    cols = [c for c in ("id", "kind", "title", "publisher", "published", "url") if c in srcs.columns]
    calendars = {e["market"]: e["calendar"] for e in events if e["market"] and e["calendar"]}
    return CalendarResult(date_from=d0, date_to=d1, market=mkt, events=events, calendars=dict(sorted(calendars.items())),
                          flagged=sum(1 for e in events if e["trading_day"] is False), notes=[note] if note else [],
                          sources=records(srcs[cols]) if cols else [])
