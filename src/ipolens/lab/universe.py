"""The ragged IPO universe: one bar sequence per listing, aligned from listing day 0, stored concatenated.

``offsets[i]:offsets[i+1]`` slices listing i's bars out of ``day`` (trading days since listing, 0 = debut),
``open_``, ``high``, ``low`` and ``close`` (currency). 3,000 listings x 250 bars is 6 MB this way instead of a
mostly-NaN calendar x ticker matrix.

Two sources:
- daily bars from the ledger's ``prices`` table, where they exist for a listing;
- otherwise the embedded event-horizon returns: day 0 from ``first_day_return`` (AASTOCKS, the debut figure
  SOURCE.md recommends), then days 80, 100, 120, 140, 160, 252, 372 from ``ret_dayN`` (Yahoo closes vs offer).
  These bars are sparse: stops are checked only on the bars that exist. Percent columns become prices here,
  close = offer x (1 + pct / 100); nothing downstream sees percent.
The HSI columns run from the listing-day CLOSE, so ``bench`` is an index level with bench(day 0) = 1; excess
returns must re-base the stock to day 0 first (see ``excess_vs_bench``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analytics.left_out import codes_of

__all__ = ["Universe", "HORIZONS", "from_frames", "select_listings", "split_daily_bars", "from_arrays",
           "excess_vs_bench", "excess_summary"]

HORIZONS = (80, 100, 120, 140, 160, 252, 372)
META_COLUMNS = ("entity", "code", "market", "currency", "listing_date", "name_en", "lot_size", "offer_price",
                "ref_price",
                "oversubscription", "one_lot_success_rate", "grey_market_return", "market_cap_at_offer", "route",
                "sector", "industry", "counts_as_ipo", "suspect", "source", "has_open")


@dataclass
class Universe:
    offsets: np.ndarray  # int64, n + 1
    day: np.ndarray  # int64, trading days since listing
    open_: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    bench: np.ndarray  # index level, 1.0 at the listing-day close; NaN where unknown
    has_hl: bool  # open/high/low are real (daily bars) rather than copies of close
    meta: pd.DataFrame  # one row per listing, META_COLUMNS
    # listings left out before the universe was built, by reason (from_frames fills it: no_listing_date,
    # out_of_years, not_ipo, no_prices): ``excluded`` counts them, ``left_out`` names their codes
    excluded: dict = field(default_factory=dict)
    left_out: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.validate()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_bars(self) -> int:
        return int(self.offsets[-1])

    @property
    def offer(self) -> np.ndarray:
        """Entry price of an allotment: the offer, or 1.0 for listings without one (bars are then in offer units)."""
        if "ref_price" in self.meta:
            return self.meta["ref_price"].to_numpy(np.float64)
        return self.meta["offer_price"].to_numpy(np.float64)

    @property
    def no_offer(self) -> np.ndarray:
        """True where the listing has no offer price (introductions, transfers): nothing to be allotted at."""
        op = self.meta["offer_price"].to_numpy(np.float64)
        return ~(op > 0)

    @property
    def lot(self) -> np.ndarray:
        """Board lot; NaN where the bars are not in currency, so no per-lot P&L is invented."""
        lot = self.meta["lot_size"].to_numpy(np.float64).copy()
        if "ref_price" in self.meta:
            lot[self.meta["offer_price"].isna().to_numpy()] = np.nan
        return lot

    def validate(self) -> None:
        n = len(self.offsets) - 1
        if n <= 0:
            raise ValueError("empty universe: no listing matched (check --market, --from/--to and --filter)")
        if len(self.meta) != n:
            raise ValueError(f"meta has {len(self.meta)} rows for {n} listings")
        m = int(self.offsets[-1])
        for name in ("day", "open_", "high", "low", "close", "bench"):
            if len(getattr(self, name)) != m:
                raise ValueError(f"{name} has {len(getattr(self, name))} bars, offsets say {m}")
        if np.any(np.diff(self.offsets) < 0) or self.offsets[0] != 0:
            raise ValueError("offsets must start at 0 and never decrease")
        for name in ("open_", "high", "low", "close"):
            a = getattr(self, name)
            bad = ~np.isfinite(a)
            if bad.any():
                i = int(np.searchsorted(self.offsets, np.flatnonzero(bad)[0], side="right") - 1)
                raise ValueError(f"{int(bad.sum())} NaN/inf bar(s) in {name.rstrip('_')}, first in "
                                 f"{self.meta['code'].iat[i]}; clean or drop them before simulating")
            if (a <= 0).any():
                raise ValueError(f"non-positive prices in {name.rstrip('_')}: were returns passed as prices?")

    def bars(self, i: int) -> pd.DataFrame:
        """Listing i's bars as a small DataFrame (for inspection, not for the kernels)."""
        s, e = self.offsets[i], self.offsets[i + 1]
        return pd.DataFrame({"day": self.day[s:e], "open": self.open_[s:e], "high": self.high[s:e],
                             "low": self.low[s:e], "close": self.close[s:e], "bench": self.bench[s:e]})

    def select(self, mask) -> "Universe":
        """The listings where ``mask`` is true, re-packed."""
        mask = np.asarray(mask, dtype=bool)
        idx = np.flatnonzero(mask)
        lens = np.diff(self.offsets)[idx]
        take = np.concatenate([np.arange(self.offsets[i], self.offsets[i + 1]) for i in idx]) if len(idx) else \
            np.zeros(0, dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
        return Universe(offsets, self.day[take], self.open_[take], self.high[take], self.low[take],
                        self.close[take], self.bench[take], self.has_hl,
                        self.meta.iloc[idx].reset_index(drop=True), dict(self.excluded), dict(self.left_out))

    def horizons(self) -> list[int]:
        """Distinct bar days present (all days for daily data)."""
        return sorted(set(int(d) for d in np.unique(self.day)))


def from_arrays(close_list, *, offer=None, lot=None, days_list=None, meta: pd.DataFrame | None = None,
                open_list=None, high_list=None, low_list=None, kind: str = "prices") -> Universe:
    """Build from per-listing arrays (tests, synthetic benchmarks). ``kind`` must be 'prices': bars are prices."""
    if kind != "prices":
        raise ValueError("universe bars are prices; pass kind='prices' (convert returns with offer*(1+r) first)")
    n = len(close_list)
    lens = np.array([len(c) for c in close_list], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
    close = np.concatenate([np.asarray(c, np.float64) for c in close_list]) if n else np.zeros(0)
    day = (np.concatenate([np.asarray(d, np.int64) for d in days_list]) if days_list is not None
           else np.concatenate([np.arange(k, dtype=np.int64) for k in lens]) if n else np.zeros(0, np.int64))
    has_hl = high_list is not None and low_list is not None

    def cat(lst):
        return np.concatenate([np.asarray(c, np.float64) for c in lst]) if lst is not None else close

    if meta is None:
        meta = pd.DataFrame({"code": [f"S{i:05d}" for i in range(n)]})
    meta = meta.copy()
    meta["offer_price"] = np.asarray(offer, np.float64) if offer is not None else np.nan
    meta["lot_size"] = np.asarray(lot, np.float64) if lot is not None else np.nan
    meta["ref_price"] = meta["offer_price"]
    meta["source"] = "arrays"
    meta["has_open"] = open_list is not None
    for c in META_COLUMNS:
        if c not in meta.columns:
            meta[c] = np.nan
    return Universe(offsets, day, cat(open_list), cat(high_list), cat(low_list), close,
                    np.full(len(close), np.nan), has_hl, meta)


def _event_horizon_bars(ipo: pd.DataFrame, after: pd.DataFrame):
    """Per listing: (days, closes, bench levels) from the percent columns, prices in currency."""
    after = after.set_index("entity") if len(after) else after
    out = []
    for row in ipo.itertuples(index=False):
        offer = row.offer_price
        fdr = row.first_day_return
        days, closes, bench = [], [], []
        a = after.loc[row.entity] if len(after) and row.entity in after.index else None
        if isinstance(a, pd.DataFrame):
            a = a.iloc[0]
        if pd.isna(fdr) and a is not None:
            fdr = a.get("ret_day0")
        if pd.isna(fdr):
            out.append(None)
            continue
        # introductions and transfers have no offer: keep their returns in offer units (price 1.0)
        if pd.isna(offer) or offer <= 0:
            offer = 1.0
        days.append(0)
        closes.append(offer * (1 + fdr / 100.0))
        bench.append(1.0)
        fdo = getattr(row, "first_day_open_return", None)
        open0 = offer * (1 + fdo / 100.0) if fdo is not None and not pd.isna(fdo) else np.nan
        if a is not None:
            for h in HORIZONS:
                r = a.get(f"ret_day{h}")
                if r is not None and not pd.isna(r) and r > -100:
                    days.append(h)
                    closes.append(offer * (1 + r / 100.0))
                    b = a.get(f"hsi_ret_day{h}")
                    bench.append(1 + b / 100.0 if b is not None and not pd.isna(b) else np.nan)
        out.append((days, closes, bench, open0))
    return out


def split_daily_bars(prices: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One frame of daily bars per listing from the prices rows (code = the listing's entity key, date, open, high,
    low, close, adjusted);
    where a code has adjusted and raw rows, the adjusted ones win (rows arrive adjusted first)."""
    out: dict[str, pd.DataFrame] = {}
    if prices is None or prices.empty:
        return out
    for code, g in prices.groupby("code", sort=False):
        g = g[g["adjusted"] == g["adjusted"].iloc[0]].drop_duplicates("date")
        out[code] = g.reset_index(drop=True)
    return out


def select_listings(listings: pd.DataFrame, market: str, start: int | None = None, end: int | None = None,
                    ipos_only: bool = True) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The listings with listing year in [start, end] and, with ``ipos_only``, the ones the source counts as IPOs
    (``counts_as_ipo`` = 1 or unknown, the rule of ``ipolens stats``). Returns (rows, the codes left out by reason:
    ``out_of_years``, ``not_ipo``; each listing under the first reason that removes it)."""
    if start is not None and end is not None and start > end:
        raise ValueError(f"--from {start} is after --to {end}")
    years = pd.to_datetime(listings["listing_date"]).dt.year
    keep = np.ones(len(listings), dtype=bool)
    if start is not None:
        keep &= (years >= start).to_numpy()
    if end is not None:
        keep &= (years <= end).to_numpy()
    left = {"out_of_years": codes_of(listings[~keep]), "not_ipo": []}
    if ipos_only and "counts_as_ipo" in listings:
        is_ipo = (listings["counts_as_ipo"].astype(float).fillna(1) == 1).to_numpy()
        left["not_ipo"] = codes_of(listings[keep & ~is_ipo])
        if keep.any() and not (keep & is_ipo).any():
            raise ValueError(f"empty universe: the {int(keep.sum())} {market} listings between {start} and {end} "
                             "are not IPOs by the source's counts_as_ipo flag (pass --all-listings to include them)")
        keep &= is_ipo
    sel = listings[keep].reset_index(drop=True)
    if sel.empty:
        raise ValueError(f"empty universe: no {market} listings between {start} and {end}")
    return sel, left


def from_frames(listings: pd.DataFrame, aftermarket: pd.DataFrame, daily: dict[str, pd.DataFrame] | None = None,
                bars: str = "auto", left_out: dict[str, list[str]] | None = None, market: str = "HK") -> Universe:
    """The universe of the selected ``listings`` (see ``select_listings``).

    ``aftermarket``: the event-horizon returns (ret_dayN, hsi_ret_dayN per entity); ``daily``: daily bars
    per listing entity key (``split_daily_bars``). ``bars``: "auto" (daily bars where there are some, else event horizons), "events" or
    "daily". ``left_out``: codes already left out, by reason (``no_listing_date``, and what ``select_listings``
    returns); the listings without prices are added as ``no_prices``. ``Universe.excluded`` counts them.
    """
    if bars not in ("auto", "events", "daily"):
        raise ValueError("bars must be auto, events or daily")
    ipo = listings
    daily = daily if bars != "events" and daily is not None else {}
    events = _event_horizon_bars(ipo, aftermarket)

    days, o, h, lo, c, bench, lens, rows, src, has_open = [], [], [], [], [], [], [], [], [], []
    for i, row in enumerate(ipo.itertuples(index=False)):
        g = daily.get(row.entity)
        if g is not None:
            g = g[pd.to_datetime(g["date"]).dt.date >= row.listing_date]
        if g is not None and len(g):
            cl = g["close"].to_numpy(np.float64)
            # a missing open/high/low is filled from the close: the bar still exists, only its range is unknown
            op = g["open"].fillna(g["close"]).to_numpy(np.float64)
            hi = np.fmax(g["high"].fillna(g["close"]).to_numpy(np.float64), np.fmax(op, cl))
            lw = np.fmin(g["low"].fillna(g["close"]).to_numpy(np.float64), np.fmin(op, cl))
            days.append(np.arange(len(g), dtype=np.int64))
            o.append(op), h.append(hi), lo.append(lw), c.append(cl)
            bench.append(np.full(len(g), np.nan))
            lens.append(len(g)), rows.append(i), src.append("daily")
            has_open.append(True)
        elif bars != "daily" and events[i] is not None:
            d, cl, b, open0 = events[i]
            cl = np.asarray(cl, np.float64)
            days.append(np.asarray(d, np.int64))
            # only the debut open can be known here; elsewhere open = high = low = close (has_open says which)
            op = cl.copy()
            if open0 == open0:
                op[0] = open0
            o.append(op), h.append(np.fmax(cl, op)), lo.append(np.fmin(cl, op)), c.append(cl)
            has_open.append(open0 == open0)
            bench.append(np.asarray(b, np.float64))
            lens.append(len(d)), rows.append(i), src.append("events")
    if not rows:
        raise ValueError(f"empty universe: {len(ipo)} {market} listings matched but none has prices "
                         f"(bars={bars!r})")
    sel = ipo.iloc[rows].reset_index(drop=True)
    disc = sel["vendor_discrepancy"] if "vendor_discrepancy" in sel else pd.Series(np.nan, index=sel.index)
    meta = pd.DataFrame({
        "entity": sel["entity"], "code": sel["code"], "market": sel["market"], "currency": sel["currency"],
        "listing_date": sel["listing_date"], "name_en": sel["name_en"],
        "lot_size": sel["lot_size"].astype(float), "offer_price": sel["offer_price"].astype(float),
        "ref_price": sel["offer_price"].astype(float).where(sel["offer_price"] > 0, 1.0),
        "oversubscription": sel["oversubscription_public"].astype(float),
        "one_lot_success_rate": sel["one_lot_success_rate"].astype(float),
        "grey_market_return": sel["grey_market_return"].astype(float),
        "market_cap_at_offer": sel["market_cap_at_offer"].astype(float),
        "route": sel["route"], "sector": sel["sector"], "industry": sel["industry"],
        "counts_as_ipo": sel["counts_as_ipo"].astype(float),
        # AASTOCKS vs Yahoo debut disagreeing by > 5 points: long-run bars are on a doubtful basis (SOURCE.md)
        "suspect": (disc.astype(float) > 5).to_numpy(),
        "source": src,
        "has_open": has_open,  # daily bars, or an event-horizon listing whose debut open is known
    })
    # daily bars are in currency: without an offer there is no allotment price to enter at
    meta.loc[(meta["source"] == "daily") & meta["offer_price"].isna(), "ref_price"] = np.nan
    lens_a = np.asarray(lens, np.int64)
    offsets = np.concatenate(([0], np.cumsum(lens_a))).astype(np.int64)
    # event-horizon bars carry open = high = low = close, so range checks stay exact for them
    has_hl = any(s == "daily" for s in src)
    priced = np.zeros(len(ipo), dtype=bool)
    priced[rows] = True
    left = {"no_listing_date": [], "out_of_years": [], "not_ipo": [], **(left_out or {}),
            "no_prices": codes_of(ipo[~priced])}
    return Universe(offsets, np.concatenate(days), np.concatenate(o), np.concatenate(h), np.concatenate(lo),
                    np.concatenate(c), np.concatenate(bench), has_hl, meta, {k: len(v) for k, v in left.items()}, left)


def excess_vs_bench(u: Universe, day: int) -> np.ndarray:
    """Per listing: stock return from the day-0 close to ``day`` minus the index return over the same span.

    (1 + r_N) / (1 + r_0) - 1 - hsi_N, the re-basing SOURCE.md prescribes. NaN where either side is missing.
    """
    out = np.full(len(u), np.nan)
    for i in range(len(u)):
        s, e = u.offsets[i], u.offsets[i + 1]
        d = u.day[s:e]
        k = np.flatnonzero(d == day)
        if k.size and d[0] == 0:
            j = s + k[0]
            out[i] = u.close[j] / u.close[s] - 1.0 - (u.bench[j] - 1.0)
    return out


def excess_summary(u: Universe, listings: np.ndarray, day: int) -> dict | None:
    """Count, mean and median (percent) of ``excess_vs_bench`` on day ``day`` over the given listings; None when
    the universe has no index levels (daily bars) or the exit is the debut itself."""
    if day <= 0 or not np.isfinite(u.bench).any():
        return None
    ex = excess_vs_bench(u, day)[np.asarray(listings, np.int64)]
    ex = ex[np.isfinite(ex)]
    return {"count": int(ex.size), "mean_pct": float(ex.mean() * 100) if ex.size else None,
            "median_pct": float(np.median(ex) * 100) if ex.size else None}
