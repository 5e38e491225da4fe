"""Exchange trading sessions, from exchange_calendars, for every layer (lab books, HK lock-ups, calendars).

One loader: market names go through the markets registry, so HK, STAR and NASDAQ map to one calendar each.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from .markets import calendar_name

__all__ = ["calendar", "sessions", "beyond_calendar", "roll_forward", "add_months"]


@lru_cache(maxsize=8)
def calendar(name: str):
    """The exchange_calendars calendar for a market name (HK) or a calendar code (XHKG)."""
    import exchange_calendars as xcals

    code = name if name.upper().startswith("X") and len(name) == 4 else calendar_name(name)
    # Explicit bounds: 24-month 18C lock-ups of 2026 deals run past the library's default end. Some calendars
    # (XSHG) record holidays only a year ahead and refuse a later end: take the latest end they accept.
    last_error = None
    for end in ("2031-12-31", "2029-12-31", "2027-12-31", "2026-12-31"):
        try:
            return xcals.get_calendar(code, end=end)
        except ValueError as exc:
            last_error = exc
    raise last_error


def sessions(market: str, start, end) -> np.ndarray:
    """Sessions (datetime64[ns]) covering [start, end], clipped to the sessions the calendar records."""
    cal = calendar(market)
    lo = max(pd.Timestamp(start).normalize(), cal.first_session)
    hi = min(pd.Timestamp(end).normalize(), cal.last_session)
    if hi < lo:
        return np.array([], dtype="datetime64[ns]")
    return cal.sessions_in_range(lo, hi).tz_localize(None).to_numpy(dtype="datetime64[ns]")


def beyond_calendar(day: dt.date, market: str) -> bool:
    """True when ``day`` lies past the sessions the calendar records (holidays unknown there)."""
    return pd.Timestamp(day) > calendar(market).last_session


def roll_forward(day: dt.date, market: str) -> dt.date:
    """``day`` if it is a session, else the next session; past the recorded sessions only weekends are skipped."""
    cal = calendar(market)
    ts = pd.Timestamp(day)
    if ts > cal.last_session:
        while ts.weekday() >= 5:
            ts += pd.Timedelta(days=1)
        return ts.date()
    if ts < cal.first_session:
        return ts.date()
    return cal.date_to_session(ts, direction="next").date()


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (negative: back), clamped to the month's end: 2025-08-31 + 6 ->
    2026-02-28. The lapse of an HK application, a lock-up, a 12-month look-back all count months this way."""
    import calendar as months_of

    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month0 + 1, min(day.day, months_of.monthrange(year, month0 + 1)[1]))
