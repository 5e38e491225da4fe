"""Why a ledger value is not the basis of an article's figure: a second price feed's reading of the same field, a
value of another day than an undated figure's, a deal term fixed after the article was written, a rate a factor away
(another quantity). Used by ``ledger_check``: each turns a disagreement into no verdict, never an agreement into one."""
from __future__ import annotations

import datetime as dt
import re

from .extract import Claim
from .findings import _day
from .identity_defs import _config, set_at_pricing
from .identity_judge import SAME_QUANTITY
from .text import to_simplified

# Fields a second vendor also gives under another name (the listing-day return from two price feeds): read as more
# values of the claim's field, so that the vendors' disagreement is the ledger's own, never the article's error.
SECOND_READINGS = {"first_day_return": ("ret_day0",)}
VENDOR_SLACK = 0.05  # percent points: two feeds that round one return differently still give one value


def second_readings(c: Claim, recs: list, ledger, own_sources: set[str]) -> list:
    """The second vendor's values of the claim's field that differ from every first one (the same value written to
    another precision adds nothing)."""
    out = []
    for also in SECOND_READINGS.get(c.metric, ()):
        for r in ledger.records(c.entity_key, also, own_sources):
            if all(abs(float(r.value_num) - float(p.value_num)) > VENDOR_SLACK for p in recs):
                out.append(r)
    return out


def within_spread(figure: tuple[float, float], ledger: list[tuple[float, float]]) -> bool:
    """Whether a figure lies within the ledger's own disagreement: between its lowest and highest value, widened
    on each side by their spread (a third feed or an unstated basis differs as much as the ledger's sources do).
    Farther out it fits no reading of the ledger and stays a tension."""
    lo, hi = min(b[0] for b in ledger), max(b[1] for b in ledger)
    spread = hi - lo
    return figure[1] >= lo - spread and figure[0] <= hi + spread


def part_unstated(c: Claim) -> str:
    """Why a ledger value of one part of a deal (the public tranche's multiple) is not the figure's basis: the
    figure's sentence does not name that part, so it may be the overall or the placing tranche's figure."""
    pattern = (_config().get("part_stated") or {}).get(c.metric)
    if not pattern or re.search(pattern, to_simplified(c.sentence or ""), re.I):
        return ""
    return f"the ledger's {c.metric} is of one tranche and the figure's sentence does not name it"


def undated_apart(c: Claim, when: dt.date | None) -> str:
    """The ledger value's day when an undated point-in-time figure meets a value of another day than the article's
    (a market value the article gives without its day need not be the ledger's day's)."""
    ref = _day(c._ref)
    if _day(c.date) is not None or when is None or ref is None or when == ref:
        return ""
    return when.isoformat()


PRICING_LEAD = 2  # days: a deal's final terms are published at the latest the day before it lists


def before_pricing(role: str, ref: dt.date | None, listed: dt.date | None) -> bool:
    """Whether a ledger value of a term fixed at pricing (dated its listing day) postdates an article of ``ref``
    by more than the pricing lead: the article could not know it."""
    return (role in set_at_pricing() and ref is not None and listed is not None
            and (listed - ref).days >= PRICING_LEAD)


def too_far(c: Claim, ib: tuple[float, float]) -> str:
    """A rate (a return, a multiple) more than a factor ``SAME_QUANTITY`` in size from the ledger value: another
    quantity (another tranche's or period's, a return on adjusted prices, a misread entity), not a slip of this one.
    Only the size counts: a move written the wrong way round is a slip and stays judged. (An amount a factor off may
    be a wrong scale word, a real slip: amounts stay judged.)"""
    if c.unit not in ("pct", "x"):
        return ""
    v, lo, hi = abs(float(c.value)), abs(float(ib[0])), abs(float(ib[1]))
    if v == 0 or min(lo, hi) == 0 or min(lo, hi) / SAME_QUANTITY <= v <= max(lo, hi) * SAME_QUANTITY:
        return ""
    if decimal_slip(v, min(lo, hi), max(lo, hi)):
        return ""  # the ledger's digits with the point moved: a slip of this quantity, judged
    return "the figure and the ledger value are too far apart to be one quantity (a reading or the ledger is doubtful)"


SLIP_TOLERANCE = 0.01  # relative: the figure's digits are the ledger's, to the rounding of either


def decimal_slip(v: float, lo: float, hi: float) -> bool:
    """Whether ``v`` is a value in [lo, hi] with its decimal point moved one to three places (92.8 for 9.28)."""
    for k in (1, 2, 3):
        for scaled in (v / 10 ** k, v * 10 ** k):
            if lo * (1 - SLIP_TOLERANCE) <= scaled <= hi * (1 + SLIP_TOLERANCE):
                return True
    return False
