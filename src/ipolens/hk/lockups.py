"""Lock-up expiry calendar on real exchange calendars (the markets registry's: XHKG, XSHG, XNYS).

Convention: a lock-up of N calendar months from listing day D ends on D + N months (the same day number, clamped to the
month's last day: 31 Aug + 6 months -> 28/29 Feb). That date is the first day the holder may sell; when it is not a
trading session of the listing's exchange it rolls FORWARD to the next session of THAT exchange (XHKG for HK, XSHG for
STAR, whose holidays differ). Day-count lock-ups (US 180 days) add calendar days and roll the same way. HK and STAR
lock-ups are stated in months and are never converted to days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from ..ledger.calendars import add_months, beyond_calendar, roll_forward
from ..ledger.markets import calendar_name
from .regimes import rule_file
from .tranche import is_18c

__all__ = ["LockupEvent", "LockupCalendar", "add_months", "roll_forward", "expiry", "rules_for", "calendar_events",
           "lockup_calendar", "lockup_markets", "NO_DATE", "NO_RULE"]

# reason keys as in ``analytics.left_out`` ({reason, why, count, codes}), with their explanations
NO_DATE, NO_RULE = "no_listing_date", "no_lockup_rule"
WHY = {NO_DATE: "no listing date, so no lock-up calendar (list them with `ipolens ipos --undated`)",
       NO_RULE: "no lock-up rule for its market or chapter in regimes/lockups.yaml"}


def expiry(listing_date: dt.date, calendar: str, months: int | None = None, days: int | None = None) -> tuple[dt.date, dt.date]:
    """(nominal end date, first tradable session) of a lock-up starting on ``listing_date``; ``calendar`` is a market
    (HK) or a calendar code (XHKG)."""
    if (months is None) == (days is None):
        raise ValueError("give exactly one of months or days")
    end = add_months(listing_date, months) if months is not None else listing_date + dt.timedelta(days=days)
    return end, roll_forward(end, calendar)


@dataclass
class LockupEvent:
    code: str
    name: str
    market: str
    listing_date: dt.date
    holder: str
    period: str
    end_date: dt.date
    expiry_session: dt.date
    calendar: str
    unconfirmed: bool
    source: str
    calendar_note: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("listing_date", "end_date", "expiry_session"):
            d[k] = d[k].isoformat()
        return d


def lockup_markets() -> tuple[str, ...]:
    """Markets the lock-up rule file covers, in its order."""
    return tuple(dict.fromkeys(r["market"] for r in rule_file("lockups")["rules"]))


def rules_for(market: str, chapter: str | None = None, has_cornerstones: bool = True,
              stage_18c: str | None = None) -> list[dict]:
    """Lock-up rules that apply to a listing. ``stage_18c`` None shows both 18C stages (the data lacks the stage)."""
    out = []
    for r in rule_file("lockups")["rules"]:
        if r["market"] != market:
            continue
        if r.get("chapter") and r["chapter"] != (chapter or ""):
            continue
        if r.get("stage") and stage_18c and r["stage"] != stage_18c:
            continue
        if r["holder"] == "cornerstone" and not has_cornerstones:
            continue
        out.append(r)
    return out


@dataclass
class LockupCalendar:
    events: list[LockupEvent]
    listings: int  # listings given
    left_out: dict[str, list[str]]  # reason -> codes of the listings that have no lock-up calendar for it


def calendar_events(listings: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                    stage_18c: str | None = None) -> list[LockupEvent]:
    """Lock-up expiries of ``listings`` (the IPO table of a market) whose first tradable session is in [start, end]."""
    return lockup_calendar(listings, start, end, stage_18c).events


def _text(row, name: str) -> str | None:
    v = getattr(row, name, None)
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def lockup_calendar(listings: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                    stage_18c: str | None = None) -> LockupCalendar:
    """``calendar_events`` with the listings it had to leave out and why (no listing date, no rule that applies).

    Chapter 18C is read from ``listing_chapter`` or ``route``, as the tranche does."""
    covered = lockup_markets()
    events: list[LockupEvent] = []
    left_out: dict[str, list[str]] = {}
    for row in listings.itertuples(index=False):
        market = str(row.market)
        if pd.isna(row.listing_date):
            left_out.setdefault(NO_DATE, []).append(str(row.code))
            continue
        chapter = _text(row, "listing_chapter")
        chapter = "18C" if is_18c(_text(row, "route"), chapter) else chapter
        corner = any(not pd.isna(getattr(row, c, float("nan")))
                     for c in ("cornerstone_share_of_offer", "cornerstone_count", "cornerstone_amount"))
        rules = rules_for(market, chapter, corner, stage_18c) if market in covered else []
        if not rules:
            left_out.setdefault(NO_RULE, []).append(str(row.code))
            continue
        cal = calendar_name(market)
        listed = pd.Timestamp(row.listing_date).date()
        for r in rules:
            months, days = r.get("months"), r.get("days")
            nominal, session = expiry(listed, cal, months=months, days=days)
            if (start and session < start) or (end and session > end):
                continue
            name = row.name_en if isinstance(row.name_en, str) else ""
            events.append(LockupEvent(code=str(row.code), name=name, market=market, listing_date=listed,
                                      holder=r["holder"], period=f"{months} months" if months else f"{days} days",
                                      end_date=nominal, expiry_session=session, calendar=cal,
                                      unconfirmed=bool(r.get("unconfirmed")), source=str(r.get("source", "")),
                                      calendar_note=(f"past the last {cal} session recorded: weekend roll only"
                                                     if beyond_calendar(nominal, cal) else "")))
    events.sort(key=lambda e: (e.expiry_session, e.code, e.holder))
    return LockupCalendar(events, len(listings), left_out)


def investor_lockup(listing_date: dt.date | None, market: str | None, chapter: str | None,
                    months: int | None) -> dict:
    """End date and first tradable session of one investor's lock-up in one deal: the record's months, else the
    market's cornerstone rule (``lockups.yaml``); ``lockup_basis`` says which, or why there is no date."""
    basis = "record"
    if months is None and market in lockup_markets():
        rule = next((r for r in rules_for(market, chapter) if r["holder"] == "cornerstone"), None)
        months, basis = (rule.get("months"), f"rule: {rule.get('source')}") if rule else (None, None)
    if months is None or listing_date is None:
        why = "no listing date" if listing_date is None else "no lock-up stated and no rule for this market"
        return {"lockup_months": months, "lockup_basis": why, "lockup_end": None, "first_tradable": None}
    cal = calendar_name(market)
    end, session = expiry(listing_date, cal, months=int(months))
    return {"lockup_months": int(months), "lockup_basis": basis, "lockup_end": end, "first_tradable": session,
            "calendar_note": f"past the last {cal} session recorded: weekend roll only"
            if beyond_calendar(end, cal) else ""}

