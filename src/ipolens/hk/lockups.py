"""Lock-up expiry calendar on real exchange calendars (XHKG, XSHG, XNAS).

Convention: a lock-up of N calendar months from listing day D ends on D + N months (the same day number, clamped to the
month's last day: 31 Aug + 6 months -> 28/29 Feb). That date is the first day the holder may sell; when it is not a
trading session of the listing's exchange it rolls FORWARD to the next session of THAT exchange (XHKG for HK, XSHG for
STAR, whose holidays differ). Day-count lock-ups (US 180 days) add calendar days and roll the same way. HK and STAR
lock-ups are stated in months and are never converted to days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache

import pandas as pd

from .regimes import rule_file

__all__ = ["LockupEvent", "add_months", "roll_forward", "expiry", "rules_for", "calendar_events"]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` + ``months`` calendar months, clamped to the last day of the target month."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (nxt - dt.timedelta(days=1)).day))


@lru_cache(maxsize=8)
def _calendar(name: str):
    import exchange_calendars as xcals

    # Explicit bounds: 24-month 18C lock-ups of 2026 deals run past the library's default end. Some calendars
    # (XSHG) record holidays only a year ahead and refuse a later end: take the latest end they accept.
    last_error = None
    for end in ("2031-12-31", "2029-12-31", "2027-12-31", "2026-12-31"):
        try:
            return xcals.get_calendar(name, start="2015-01-01", end=end)
        except ValueError as exc:
            last_error = exc
    raise last_error


def beyond_calendar(day: dt.date, calendar: str) -> bool:
    """True when ``day`` lies past the sessions the calendar records (holidays unknown there)."""
    return pd.Timestamp(day) > _calendar(calendar).last_session


def roll_forward(day: dt.date, calendar: str) -> dt.date:
    """``day`` if it is a session of ``calendar``, else the next session.

    Past the calendar's last recorded session only weekends can be skipped (see ``beyond_calendar``).
    """
    cal = _calendar(calendar)
    ts = pd.Timestamp(day)
    if ts > cal.last_session:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day
    if cal.is_session(ts):
        return day
    return cal.date_to_session(ts, direction="next").date()


def expiry(listing_date: dt.date, calendar: str, months: int | None = None, days: int | None = None) -> tuple[dt.date, dt.date]:
    """(nominal end date, first tradable session) of a lock-up starting on ``listing_date``."""
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


def calendar_events(listings: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                    stage_18c: str | None = None) -> list[LockupEvent]:
    """Lock-up expiries of ``listings`` (rows of ``db.ipos()``) whose first tradable session is in [start, end]."""
    data = rule_file("lockups")
    cals = data["calendars"]
    events = []
    for row in listings.itertuples(index=False):
        market = str(row.market)
        if market not in cals or pd.isna(row.listing_date):
            continue
        listed = pd.Timestamp(row.listing_date).date()
        chapter = getattr(row, "listing_chapter", None)
        chapter = None if pd.isna(chapter) else str(chapter)
        corner = any(not pd.isna(getattr(row, c, float("nan")))
                     for c in ("cornerstone_share_of_offer", "cornerstone_count", "cornerstone_amount"))
        for r in rules_for(market, chapter, corner, stage_18c):
            months, days = r.get("months"), r.get("days")
            nominal, session = expiry(listed, cals[market], months=months, days=days)
            if (start and session < start) or (end and session > end):
                continue
            name = row.name_en if isinstance(row.name_en, str) else ""
            events.append(LockupEvent(code=str(row.code), name=name, market=market, listing_date=listed,
                                      holder=r["holder"], period=f"{months} months" if months else f"{days} days",
                                      end_date=nominal, expiry_session=session, calendar=cals[market],
                                      unconfirmed=bool(r.get("unconfirmed")), source=str(r.get("source", "")),
                                      calendar_note=(f"past the last {cals[market]} session recorded: weekend roll only"
                                                     if beyond_calendar(nominal, cals[market]) else "")))
    events.sort(key=lambda e: (e.expiry_session, e.code, e.holder))
    return events
