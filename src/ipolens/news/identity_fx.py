"""Relations whose money figures are stated in two currencies ('HK$131.5 a share ... raising US$1.83 billion'): the
inputs in the other currency are converted at the dated rate of the FX table (else the HKD/USD peg band) before the
relation is solved. The rate is an outside source, so a converted relation supports its figures and never makes one
an error."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from .identity_claims import Known, interval_of

Interval = tuple[float, float]
# an article converts at a rate of its own choosing (a rounded rate, the day before's): a dated row is read within
# this relative band
RATE_SLACK = 0.01
PEG = ("USD", "HKD", (7.75, 7.85))  # HKD per USD: HKMA Linked Exchange Rate System convertibility undertakings

RateFn = Callable[[str, str, "dt.date | None"], "tuple[Interval, str] | None"]


def rate_finder(fx) -> RateFn:
    """A function (base, quote, day) -> (quote units per base unit as an interval, where it came from), or None."""
    def find(base: str, quote: str, day: dt.date | None):
        if fx is not None and day is not None:
            from ipolens.analytics.fx import FxMissing, find_rate

            try:
                r = find_rate(fx, base, quote, day)
            except FxMissing:
                r = None
            if r is not None:
                return ((r.rate * (1 - RATE_SLACK), r.rate * (1 + RATE_SLACK)),
                        f"the fx_rates row of {r.date.isoformat()} {r.rate:.4f} ±{RATE_SLACK:.0%}")
        b, q, (lo, hi) = PEG
        if (base, quote) == (b, q):
            return (lo, hi), f"the HKD/USD peg band {lo:g}–{hi:g}"
        if (base, quote) == (q, b):
            return (1 / hi, 1 / lo), f"the HKD/USD peg band {lo:g}–{hi:g}"
        return None
    return find


def converted(c, role: str, target: str, find: RateFn) -> Known | None:
    """A member stated in another currency as a known value in ``target`` (None: no rate for the pair)."""
    day = _day(c.date) or _day(getattr(c, "_ref", None))
    found = find(c.unit, target, day)
    if found is None:
        return None
    (r_lo, r_hi), basis = found
    lo, hi = interval_of(c, role)
    ends = [lo * r_lo, lo * r_hi, hi * r_lo, hi * r_hi]
    return Known(id=f"fx:{c.id}", metric=c.metric, value=float(c.value) * (r_lo + r_hi) / 2, unit=target,
                 entity_key=c.entity_key, iv=(min(ends), max(ends)), date=c.date,
                 quote=f"{c.quote} converted to {target} at {basis}", sentence=getattr(c, "sentence", ""),
                 _nstart=c._nstart, sources=(c.id,), rate_basis=basis)


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
