"""Currency conversion through the dated FX table; never through a hard-coded rate.

A conversion uses the latest rate on or before the requested date, within ``max_age_days``; the direct pair, its
inverse, or a cross through USD. The rate row (date, source) travels with the result so every converted number
can show where its rate came from. The table is data (``FxTable``, built from the ledger's ``fx_rates`` rows by
``ledger.queries.fx.fx_rates``); this module never reads the ledger itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

__all__ = ["FxRate", "FxTable", "find_rate", "convert", "FxMissing"]


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


class FxTable:
    """The dated FX rows (columns date, base, quote, rate, source_id), indexed by pair for dated lookups."""

    def __init__(self, rows: pd.DataFrame):
        self._pairs: dict[tuple[str, str], pd.DataFrame] = {}
        if rows is None or rows.empty:
            return
        df = rows[["date", "base", "quote", "rate", "source_id"]].copy()
        df["date"] = pd.to_datetime(df["date"]).dt.date
        for (b, q), g in df.sort_values("date", kind="stable").groupby(["base", "quote"], sort=False):
            self._pairs[(b, q)] = g.reset_index(drop=True)

    def _latest(self, base: str, quote: str, on: dt.date, earliest: dt.date) -> tuple | None:
        g = self._pairs.get((base, quote))
        if g is None:
            return None
        dates = g["date"].tolist()
        import bisect

        i = bisect.bisect_right(dates, on) - 1
        if i < 0 or dates[i] < earliest:
            return None
        r = g.iloc[i]
        return r["date"], float(r["rate"]), r["source_id"]

    def lookup(self, base: str, quote: str, on: dt.date, max_age_days: int) -> FxRate | None:
        earliest = on - dt.timedelta(days=max_age_days)
        direct = self._latest(base, quote, on, earliest)
        inverse = self._latest(quote, base, on, earliest)
        # the newer row wins; on the same date the direct pair does
        if direct and (not inverse or direct[0] >= inverse[0]):
            return FxRate(base, quote, direct[1], direct[0], direct[2])
        if inverse:
            return FxRate(base, quote, 1.0 / inverse[1], inverse[0], inverse[2], via="inverse")
        return None


def find_rate(fx: FxTable, base: str, quote: str, on: dt.date, max_age_days: int = 7) -> FxRate:
    """Rate to turn ``base`` into ``quote`` on ``on``; raises FxMissing naming what is absent."""
    if base == quote:
        return FxRate(base, quote, 1.0, on, "identity", via="identity")
    direct = fx.lookup(base, quote, on, max_age_days)
    if direct:
        return direct
    if "USD" not in (base, quote):
        a = fx.lookup(base, "USD", on, max_age_days)
        b = fx.lookup("USD", quote, on, max_age_days)
        if a and b:
            return FxRate(base, quote, a.rate * b.rate, min(a.date, b.date), f"{a.source_id}+{b.source_id}",
                          via="cross:USD")
    raise FxMissing(f"no {base}->{quote} rate in the FX table within {max_age_days} days before {on.isoformat()}")


def convert(fx: FxTable, amount: float, base: str, quote: str, on: dt.date,
            max_age_days: int = 7) -> tuple[float, FxRate]:
    r = find_rate(fx, base, quote, on, max_age_days)
    return amount * r.rate, r
