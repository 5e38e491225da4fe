"""Which dated ledger values a claim meets: a value moves with time, so a claim is compared with the values of its
own day (or the nearest within a window), and a value years from the article is doubted as another deal's."""
from __future__ import annotations

import datetime as dt

from .extract import Claim
from .findings import _day

WINDOW_DAYS = 7  # a dated claim may be checked against the nearest earlier ledger value at most this old
FAR_YEARS = 366  # days: a ledger value this far from the article's time is likely another deal's


def _same_date(c: Claim, rows: list) -> tuple[list, str]:
    """The rows a point-in-time claim is checked against, and a note on the date matching."""
    day = _day(c.date)
    if day is None:
        ref = _day(c._ref)
        if ref is None:
            return rows, ""
        # an undated figure is about the article's time: not a value years before it or after it
        return [x for x in rows if x[1] is None or
                ref - dt.timedelta(days=366) <= x[1] <= ref + dt.timedelta(days=WINDOW_DAYS)], ""
    same = [x for x in rows if x[1] == day]
    if same:
        return same, ""
    earlier = [x for x in rows if x[1] is not None and day - dt.timedelta(days=WINDOW_DAYS) <= x[1] < day]
    if not earlier:
        return [], ""
    last = max(x[1] for x in earlier)
    return ([x for x in earlier if x[1] == last],
            f"no ledger value of {day.isoformat()}; nearest earlier value {last.isoformat()} "
            f"({(day - last).days} day(s) before) used")


def _dated(rows: list, kind: str, day: dt.date | None, soft: set[str]) -> tuple[list, str]:
    """The rows a value of ``kind`` on ``day`` is compared with, and a note on the date matching. A rumour or a plan
    is a reading of its day (same day, else the nearest within WINDOW_DAYS, else the undated ones); a private round's
    value holds from its day on (the latest on or before the claim's day, and the undated ones); a filed or priced
    value is the deal's own (all rows)."""
    if day is None or kind not in soft:
        return rows, ""
    if kind == "private_round":
        before = [x for x in rows if x[1] is not None and x[1] <= day]
        last = max((x[1] for x in before), default=None)
        return [x for x in rows if x[1] is None or x[1] == last], ""
    same = [x for x in rows if x[1] == day]
    if same:
        return same, ""
    near = [x for x in rows if x[1] is not None and abs((x[1] - day).days) <= WINDOW_DAYS]
    if near:
        gap = min(abs((x[1] - day).days) for x in near)
        pick = [x for x in near if abs((x[1] - day).days) == gap]
        return pick, f"no ledger value of {day.isoformat()}; the nearest is of {pick[0][1].isoformat()}"
    undated = [x for x in rows if x[1] is None]
    return undated, ("the ledger values are undated" if undated else "")


def _reading_doubt(c: Claim, when: dt.date | None) -> str:
    """Why a disagreement with the ledger says more about the reading than about the article: the ledger value is of
    a time more than a year from the article's (a company named in passing, an earlier deal of the same name)."""
    ref = _day(c.date) or _day(c._ref)
    if when is not None and ref is not None and abs((ref - when).days) > FAR_YEARS:
        return (f"the ledger value is of {when.isoformat()}, more than a year from the article "
                f"({ref.isoformat()}): another deal, or the entity reading is doubtful")
    return ""
