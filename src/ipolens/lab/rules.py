"""Small composable rules and the one-position-per-listing simulator built from them.

A ``Strategy`` is entry + exit + filters (+ an optional lock-up rule) + sizing. ``simulate`` compiles it into per-
listing arrays and runs ``nb.simulate_universe_nb`` once over the ragged universe.
Text forms (CLI and YAML): entry ``offer`` | ``open:K`` | ``close:K``; exit ``debut`` | ``day:N``; filters
``oversubscription>=100``, ``sector==Healthcare``, ``route in 18C specialist tech|A+H (19A)``, joined by commas.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..ledger.calendars import sessions
from .universe import Universe

__all__ = ["Entry", "Exit", "Filter", "LockUp", "Sizing", "Strategy", "TradeResult", "parse_entry", "parse_exit",
           "parse_filters", "simulate", "FILTER_FIELDS"]

REASONS = {0: "none", 1: "time", 2: "stop", 3: "take_profit", 4: "trailing", 5: "open"}


@dataclass(frozen=True)
class Entry:
    """At the offer price (an allotment), or at the open/close of trading day ``day`` (0 = debut)."""

    mode: str = "offer"
    day: int = 0

    def __post_init__(self):
        if self.mode not in ("offer", "open", "close"):
            raise ValueError(f"entry must be offer, open:K or close:K, got {self.mode!r}")
        if self.day < 0:
            raise ValueError("entry day must be >= 0")

    @property
    def code(self) -> int:
        return {"offer": 0, "open": 1, "close": 2}[self.mode]

    @property
    def fee_side(self) -> str:
        return "subscribe" if self.mode == "offer" else "buy"


@dataclass(frozen=True)
class Exit:
    """Time exit at the close of day ``day`` plus optional stop-loss, take-profit and trailing stop (fractions)."""

    day: int = 0
    stop_loss: float | None = None
    take_profit: float | None = None
    trailing: float | None = None

    def __post_init__(self):
        if self.day < 0:
            raise ValueError("exit day must be >= 0")
        for name in ("stop_loss", "take_profit", "trailing"):
            v = getattr(self, name)
            if v is not None and not (0 < v < (1 if name != "take_profit" else math.inf)):
                raise ValueError(f"{name} is a fraction: 0.15 = 15% (got {v})")


@dataclass(frozen=True)
class Sizing:
    """Per trade: ``fraction`` of sleeve equity (book simulations); flip statistics are per board lot."""

    fraction: float = 0.1
    round_lots: bool = True

    def __post_init__(self):
        if not (0 < self.fraction <= 1):
            raise ValueError(f"sizing fraction must be in (0, 1], got {self.fraction}")


@dataclass(frozen=True)
class LockUp:
    """Around the lock-up expiry (``months`` calendar months after listing; HK counts months, not 180 days).

    ``avoid``: exit no later than ``before`` trading days ahead of expiry. ``short``: short ``before`` days ahead
    and cover ``after`` days after. On sparse event-horizon bars both snap to the bars that exist.
    """

    action: str = "avoid"
    months: int = 6
    before: int = 0
    after: int = 20

    def __post_init__(self):
        if self.action not in ("avoid", "short"):
            raise ValueError(f"lockup action must be avoid or short, got {self.action!r}")


FILTER_FIELDS = {
    "oversubscription": "oversubscription", "oversub": "oversubscription",
    "one_lot_success_rate": "one_lot_success_rate", "lot_success": "one_lot_success_rate",
    "grey_market_return": "grey_market_return", "grey": "grey_market_return",
    "market_cap_bn": "market_cap_bn", "route": "route", "sector": "sector", "industry": "industry",
    "market": "market", "code": "code", "counts_as_ipo": "counts_as_ipo", "suspect": "suspect",
    "lot_size": "lot_size", "offer_price": "offer_price", "listing_date": "listing_date",
}
_OPS = (">=", "<=", "!=", "==", ">", "<", "=", " in ")
_FILTER_RE = re.compile(r"^\s*([A-Za-z_]+)\s*(>=|<=|!=|==|=|>|<|\s+in\s+)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: object

    def mask(self, meta: pd.DataFrame) -> np.ndarray:
        if self.field == "market_cap_bn":
            col = meta["market_cap_at_offer"].astype(float) / 1e9
        elif self.field == "listing_date":
            col = pd.to_datetime(meta["listing_date"])
        else:
            col = meta[self.field]
        v = self.value
        if self.op == "in":
            return col.astype(str).isin(v).to_numpy()
        if isinstance(v, str) and self.field != "listing_date":
            s = col.astype(str).str.lower()
            if self.op in ("==", "="):
                return (s == v.lower()).to_numpy()
            if self.op == "!=":
                return (s != v.lower()).to_numpy()
            raise ValueError(f"{self.field} is text: use ==, != or in")
        if self.field == "listing_date":
            v = pd.Timestamp(v)
        # a missing value never passes a numeric filter (unknown demand is not ">= 100x")
        return {">=": col >= v, "<=": col <= v, ">": col > v, "<": col < v, "==": col == v, "=": col == v,
                "!=": col != v}[self.op].fillna(False).to_numpy(dtype=bool)


def parse_filters(text: str | list | None) -> list[Filter]:
    """``"oversubscription>=100, sector==Healthcare"`` -> filters. Unknown fields get a "did you mean"."""
    if not text:
        return []
    parts = text if isinstance(text, list) else [p for p in re.split(r",(?![^|]*\|)|\band\b", text) if p.strip()]
    out = []
    for p in parts:
        m = _FILTER_RE.match(p)
        if not m:
            raise ValueError(f"cannot parse filter {p.strip()!r}; expected FIELD OP VALUE, e.g. oversubscription>=100")
        name, op, raw = m.group(1).lower(), m.group(2).strip(), m.group(3)
        if name not in FILTER_FIELDS:
            hint = difflib.get_close_matches(name, FILTER_FIELDS, n=1)
            raise ValueError(f"unknown filter field {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                             + f" (fields: {', '.join(sorted(set(FILTER_FIELDS.values())))})")
        fld = FILTER_FIELDS[name]
        if op == "in":
            value: object = [s.strip() for s in raw.split("|") if s.strip()]
        else:
            try:
                value = float(raw)
            except ValueError:
                value = raw.strip().strip("'\"")
        out.append(Filter(fld, op, value))
    return out


def parse_entry(text: str) -> Entry:
    t = str(text).strip().lower()
    if t == "offer":
        return Entry("offer", 0)
    m = re.fullmatch(r"(open|close)(?::(\d+))?", t)
    if not m:
        raise ValueError(f"entry must be offer, open:K or close:K (K trading days after listing), got {text!r}")
    return Entry(m.group(1), int(m.group(2) or 0))


def parse_exit(text: str) -> int:
    """``debut`` -> 0, ``day:N`` -> N."""
    t = str(text).strip().lower()
    if t == "debut":
        return 0
    m = re.fullmatch(r"day:(\d+)", t)
    if not m:
        raise ValueError(f"exit must be debut or day:N, got {text!r}")
    return int(m.group(1))


@dataclass(frozen=True)
class Strategy:
    entry: Entry = Entry()
    exit: Exit = Exit()
    filters: tuple[Filter, ...] = ()
    lockup: LockUp | None = None
    sizing: Sizing = Sizing()
    exact_exit: bool = True  # a time exit must land on exactly the requested day, else the trade is left open

    def active(self, u: Universe) -> np.ndarray:
        m = np.ones(len(u), dtype=bool)
        for f in self.filters:
            m &= f.mask(u.meta)
        return m

    def last_day(self) -> int:
        """The last trading day (0 = debut) a trade of this strategy can reach: bars after it never change a trade.
        A lock-up expires within ``months`` x 31 calendar days, so within as many trading days."""
        last = max(self.entry.day, self.exit.day)
        if self.lockup is not None and self.lockup.action == "short":
            last = max(last, self.lockup.months * 31 + max(0, self.lockup.after, -self.lockup.before))
        return last

    def no_offer(self, u: Universe) -> np.ndarray:
        """Listings this strategy cannot enter: an entry at the offer needs an offer price (introductions and
        transfers have none), so they are excluded from trades, never bought at a made-up price."""
        if self.entry.mode != "offer":
            return np.zeros(len(u), dtype=bool)
        return u.no_offer


@dataclass
class TradeResult:
    trades: pd.DataFrame  # one row per listing that traded (closed or still open)
    stats: dict
    universe: Universe = field(repr=False)

    @property
    def closed(self) -> pd.DataFrame:
        return self.trades[self.trades["reason"] != "open"]


def _lockup_days(u: Universe, lock: LockUp) -> np.ndarray:
    """Trading-day index of each listing's lock-up expiry, from the exchange calendar."""
    dates = pd.to_datetime(u.meta["listing_date"])
    expiry = dates + pd.DateOffset(months=lock.months)
    markets = u.meta["market"].fillna("HK").astype(str)
    out = np.empty(len(u), dtype=np.int64)
    for mk in markets.unique():
        idx = np.flatnonzero((markets == mk).to_numpy())
        sess = sessions(mk, dates.iloc[idx].min(), expiry.iloc[idx].max())
        a = np.searchsorted(sess, dates.iloc[idx].to_numpy())
        b = np.searchsorted(sess, expiry.iloc[idx].to_numpy())
        out[idx] = b - a
    return out


def _snap(days: np.ndarray, target: int, below: bool) -> int:
    """The last bar day <= target (below) or the first >= target; -1 when there is none."""
    if below:
        k = days[days <= target]
        return int(k.max()) if k.size else -1
    k = days[days >= target]
    return int(k.min()) if k.size else -1


def plan(u: Universe, s: Strategy) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Per listing: active flag, entry day, exit day; and the direction (+1 long, -1 short)."""
    active = s.active(u) & ~s.no_offer(u)
    n = len(u)
    if s.entry.mode == "open" and "has_open" in u.meta:
        # an event-horizon bar's "open" is a copy of its close: never trade it as an open
        ok = u.meta["has_open"].fillna(False).to_numpy(bool)
        if s.entry.day > 0:
            ok &= (u.meta["source"] != "events").to_numpy()
        active &= ok
    entry_day = np.full(n, s.entry.day, dtype=np.int64)
    exit_day = np.full(n, s.exit.day, dtype=np.int64)
    direction = 1
    if s.lockup is not None:
        exp = _lockup_days(u, s.lockup)
        for i in range(n):
            d = u.day[u.offsets[i]:u.offsets[i + 1]]
            if s.lockup.action == "avoid":
                cap = _snap(d, int(exp[i]) - s.lockup.before, below=True)
                if cap < 0:
                    active[i] = False
                exit_day[i] = min(exit_day[i], cap)
            else:
                e = _snap(d, int(exp[i]) - s.lockup.before, below=True)
                x = _snap(d, int(exp[i]) + s.lockup.after, below=False)
                if e < 0 or x < 0 or x <= e:
                    active[i] = False
                entry_day[i], exit_day[i] = e, x
        if s.lockup.action == "short":
            direction = -1
            if s.entry.mode == "offer":
                raise ValueError("a lock-up short enters on the market: use entry close:K or open:K, not offer")
    # an entry at a close can only exit on a later bar; an entry at an open can exit at that day's close
    too_early = exit_day <= entry_day if s.entry.mode == "close" else exit_day < entry_day
    if s.entry.mode != "offer" and np.any(too_early[active]):
        raise ValueError(f"exit day must come after the entry ({s.entry.mode}:{s.entry.day})")
    return active, entry_day, exit_day, direction


def simulate(u: Universe, s: Strategy, fees=None) -> TradeResult:
    """One position per listing that passes the filters; statistics fused in the kernel pass."""
    from .fees import schedule
    from .nb import simulate_universe_nb

    market = str(u.meta["market"].dropna().iloc[0]) if u.meta["market"].notna().any() else "HK"
    fees = fees if fees is not None else schedule(market)
    passed = s.active(u)
    no_offer = passed & s.no_offer(u)
    active, entry_day, exit_day, direction = plan(u, s)
    if not active.any():
        if no_offer.any() and not (passed & ~no_offer).any():
            raise ValueError(f"empty universe: the {int(no_offer.sum())} listing(s) passing the filters have no "
                             "offer price to be allotted at; enter at the market (open:K or close:K) instead")
        raise ValueError("empty universe: no listing passes the filters")
    fin, fout = fees.matrices(s.entry.fee_side if direction > 0 else "buy")
    nan = math.nan
    tr, st = simulate_universe_nb(
        u.offsets, u.day, u.open_, u.high, u.low, u.close, u.offer, u.lot, active, s.entry.code, entry_day,
        exit_day, direction, s.exit.stop_loss if s.exit.stop_loss is not None else nan,
        s.exit.take_profit if s.exit.take_profit is not None else nan,
        s.exit.trailing if s.exit.trailing is not None else nan, u.has_hl, fees.slippage, fin, fout)
    reason = tr[:, 4].astype(int)
    if s.exact_exit:
        # sparse bars: a time exit that landed past the requested day did not happen as specified
        late = (reason == 1) & (tr[:, 8] != exit_day)
        reason = np.where(late, 5, reason)
    traded = reason != 0
    m = u.meta
    df = pd.DataFrame({
        "code": m["code"], "name": m["name_en"], "listing_date": m["listing_date"], "lot_size": m["lot_size"],
        "offer_price": m["offer_price"], "oversubscription": m["oversubscription"],
        "entry_day": np.where(s.entry.mode == "offer", 0, np.where(traded, _bar_day(u, tr[:, 0]), np.nan)),
        "exit_day": tr[:, 8], "entry_price": tr[:, 2], "exit_price": tr[:, 3],
        "reason": [REASONS[r] for r in reason], "gross_return": tr[:, 5], "net_return": tr[:, 9],
        "pnl_per_lot": tr[:, 10], "fees_per_lot": tr[:, 11], "mae": tr[:, 6], "mfe": tr[:, 7],
        "suspect": m["suspect"], "entry_bar": tr[:, 0], "exit_bar": tr[:, 1], "listing": np.arange(len(u)),
    })[traded].reset_index(drop=True)
    df["days_held"] = df["exit_day"] - df["entry_day"]
    if direction < 0:
        df.insert(6, "side", "short")
    closed = df[df["reason"] != "open"]
    stats = _trade_stats(closed)
    stats["open_positions"] = int((df["reason"] == "open").sum())
    stats["filtered_out"] = int((~active).sum()) - int(no_offer.sum())
    stats["excluded_no_offer_price"] = int(no_offer.sum())
    stats["no_entry"] = int((active & ~traded).sum())
    stats["kernel"] = {"count": int(st[0]), "sum_return": float(st[1]), "stop_hits": int(st[7])}
    return TradeResult(df, stats, u)


def _bar_day(u: Universe, bars: np.ndarray) -> np.ndarray:
    out = np.full(len(bars), np.nan)
    ok = ~np.isnan(bars)
    out[ok] = u.day[bars[ok].astype(np.int64)]
    return out


def _trade_stats(closed: pd.DataFrame) -> dict:
    from . import metrics as M

    g = closed["gross_return"].to_numpy(np.float64)
    net = closed["net_return"].dropna().to_numpy(np.float64)
    pnl = closed["pnl_per_lot"].dropna().to_numpy(np.float64)
    fees = closed["fees_per_lot"].dropna().to_numpy(np.float64)
    n = len(g)
    nanf = float("nan")
    return {
        "count": n,
        "mean_return_pct": float(g.mean() * 100) if n else nanf,
        "median_return_pct": float(np.median(g) * 100) if n else nanf,
        "std_return_pct": float(g.std(ddof=1) * 100) if n > 1 else nanf,
        "hit_rate": M.hit_rate(g) if n else nanf,
        "avg_win_pct": M.avg_win(g) * 100 if n else nanf,
        "avg_loss_pct": M.avg_loss(g) * 100 if n else nanf,
        "mean_net_return_pct": float(net.mean() * 100) if len(net) else nanf,
        "hit_rate_after_fees": M.hit_rate(net) if len(net) else nanf,
        "lots_priced": int(len(pnl)),
        "pnl_per_lot_mean": float(pnl.mean()) if len(pnl) else nanf,
        "pnl_per_lot_median": float(np.median(pnl)) if len(pnl) else nanf,
        "pnl_per_lot_total": float(pnl.sum()) if len(pnl) else nanf,
        "fees_per_lot_mean": float(fees.mean()) if len(fees) else nanf,
        "stop_hits": int((closed["reason"] == "stop").sum()),
        "take_profit_hits": int((closed["reason"] == "take_profit").sum()),
        "trailing_hits": int((closed["reason"] == "trailing").sum()),
        "mean_days_held": float(closed["days_held"].mean()) if n else nanf,
        "suspect_rows": int(closed["suspect"].sum()),
    }
