"""Currency conversion through the dated FX table (``fx_rates``); never through a hard-coded rate.

A conversion uses the latest rate on or before the requested date, within ``max_age_days``; the direct pair, its
inverse, or a cross through USD. The rate row (date, source) travels with the result so every converted number
can show where its rate came from.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["FxRate", "find_rate", "convert", "FxMissing"]


class FxMissing(LookupError):
    """The FX table has no usable rate for the pair and date."""


@dataclass(frozen=True)
class FxRate:
    base: str
    quote: str
    rate: float  # units of quote per 1 base
    date: dt.date
    source_id: str
    via: str = "direct"  # direct | inverse | cross:USD

    def describe(self) -> str:
        return f"1 {self.base} = {self.rate:.6g} {self.quote} ({self.date.isoformat()}, {self.source_id}, {self.via})"


def _lookup(con, base: str, quote: str, on: dt.date, max_age_days: int) -> FxRate | None:
    earliest = on - dt.timedelta(days=max_age_days)
    row = con.execute(
        """SELECT base, quote, rate, date, source_id FROM fx_rates
           WHERE ((base = ? AND quote = ?) OR (base = ? AND quote = ?)) AND date <= ? AND date >= ?
           ORDER BY date DESC, (base = ?) DESC LIMIT 1""",
        [base, quote, quote, base, on, earliest, base]).fetchone()
    if row is None:
        return None
    b, q, rate, date, source = row
    if b == base:
        return FxRate(base, quote, rate, date, source)
    return FxRate(base, quote, 1.0 / rate, date, source, via="inverse")


def find_rate(con, base: str, quote: str, on: dt.date, max_age_days: int = 7) -> FxRate:
    """Rate to turn ``base`` into ``quote`` on ``on``; raises FxMissing naming what is absent."""
    if base == quote:
        return FxRate(base, quote, 1.0, on, "identity", via="identity")
    direct = _lookup(con, base, quote, on, max_age_days)
    if direct:
        return direct
    if "USD" not in (base, quote):
        a = _lookup(con, base, "USD", on, max_age_days)
        b = _lookup(con, "USD", quote, on, max_age_days)
        if a and b:
            return FxRate(base, quote, a.rate * b.rate, min(a.date, b.date), f"{a.source_id}+{b.source_id}",
                          via="cross:USD")
    raise FxMissing(f"no {base}->{quote} rate in the FX table within {max_age_days} days before {on.isoformat()}")


def convert(con, amount: float, base: str, quote: str, on: dt.date, max_age_days: int = 7) -> tuple[float, FxRate]:
    r = find_rate(con, base, quote, on, max_age_days)
    return amount * r.rate, r
