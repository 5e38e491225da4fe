"""A Book of sleeves with target weights, marked to market on the exchange calendar.

Each sleeve is a strategy (entry, exit, filters, sizing) plus the annual rate its idle cash earns. The barbell is
two sleeves: a swing sleeve (small caps under hard stops) and a cash/T-bill reserve that only trades on named
events (a mega-IPO date, given as a code filter or ``market_cap_bn>=...``). Capital is split by the target weights
at the start; sleeves do not rebalance into each other, so the total is the sum of the sleeve equities.

Returns run from the starting capital (capital x weight, the value at the close before the first session), so the
first session's fees, slippage and debut move count, and n sessions give n returns (metrics.md §2).

Bars map to sessions as listing session + trading day (suspension days are not known in event-horizon data, so
late horizons can land a few sessions off). Positions are marked at each bar that exists and held flat between.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..ledger.calendars import sessions
from ..ledger.markets import calendar_name
from .rules import Strategy, simulate
from .universe import Universe

__all__ = ["Sleeve", "Book", "BookResult", "run_book"]

@dataclass(frozen=True)
class Sleeve:
    name: str
    weight: float
    strategy: Strategy
    cash_rate: float = 0.0  # annual rate on idle cash (T-bills for a reserve)

    def __post_init__(self):
        if not (0 <= self.weight <= 1):
            raise ValueError(f"sleeve {self.name!r}: weight must be in [0, 1], got {self.weight}")


@dataclass(frozen=True)
class Book:
    sleeves: tuple[Sleeve, ...]
    capital: float = 1_000_000.0

    def __post_init__(self):
        if not self.sleeves:
            raise ValueError("a book needs at least one sleeve")
        total = sum(s.weight for s in self.sleeves)
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"sleeve weights sum to {total:g}; they must sum to 1")
        names = [s.name for s in self.sleeves]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate sleeve names in {names}")


@dataclass
class BookResult:
    dates: pd.DatetimeIndex
    equity: pd.DataFrame  # one column per sleeve plus "total"
    exposure: pd.DataFrame  # gross position value / equity, per sleeve and total
    trades: pd.DataFrame  # every sleeve's trades: shares, entry notional, realised P&L after fees
    summary: pd.DataFrame  # one row per sleeve plus "total": metrics, trade counts, turnover, exposure
    # start_equity in summary is capital x weight: the value before the first session, the base of every return
    conventions: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        rows = self.summary.reset_index().rename(columns={"index": "sleeve"})
        return {"conventions": self.conventions,
                "sleeves": [_clean(r) for r in rows.to_dict("records") if r["sleeve"] != "total"],
                "total": _clean(rows[rows["sleeve"] == "total"].iloc[0].to_dict()),
                "start": str(self.dates[0].date()), "end": str(self.dates[-1].date())}


def _clean(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, (np.floating, float)):
            v = float(v)
            out[k] = None if np.isnan(v) else v
        elif isinstance(v, np.integer):
            out[k] = int(v)
        else:
            out[k] = v
    return out


def _events(u: Universe, trades: pd.DataFrame, entry_mode: str, listing_session: np.ndarray):
    """Event arrays (session, kind, trade, price) for one sleeve's trades; see nb.sleeve_nb for the kinds."""
    ses, kind, tr, px = [], [], [], []
    for j, t in enumerate(trades.itertuples(index=False)):
        i = int(t.listing)
        base = listing_session[i]
        s, e = u.offsets[i], u.offsets[i + 1]
        eb = int(t.entry_bar)
        xb = int(t.exit_bar) if not np.isnan(t.exit_bar) else e - 1
        if entry_mode == "offer":
            ses.append(base), kind.append(0), tr.append(j), px.append(t.entry_price)
            first = s
        else:
            ses.append(base + u.day[eb]), kind.append(0 if entry_mode == "open" else 3), tr.append(j)
            px.append(t.entry_price)
            first = eb + (0 if entry_mode == "open" else 1)
        for b in range(first, xb + 1):
            ses.append(base + u.day[b]), kind.append(1), tr.append(j), px.append(u.close[b])
        if t.reason != "open":
            ses.append(base + u.day[xb]), kind.append(2), tr.append(j), px.append(t.exit_price)
    order = np.lexsort((np.asarray(tr), np.asarray(kind), np.asarray(ses)))
    return (np.asarray(ses, np.int64)[order], np.asarray(kind, np.int64)[order], np.asarray(tr, np.int64)[order],
            np.asarray(px, np.float64)[order])


def run_book(book: Book, u: Universe, fees=None, *, periods_per_year: float = 252, risk_free: float = 0.0,
             progress=None) -> BookResult:
    """Simulate every sleeve on the shared calendar and report each sleeve and the total."""
    from .fees import schedule
    from .metrics import per_period_rate, turnover
    from .nb import STAT_NAMES, returns_stats_1d_nb, sleeve_nb

    market = str(u.meta["market"].dropna().iloc[0]) if u.meta["market"].notna().any() else "HK"
    fees = fees if fees is not None else schedule(market)
    dates = pd.to_datetime(u.meta["listing_date"])
    span_end = dates.max() + pd.Timedelta(days=int(u.day.max() * 1.6) + 30)
    sess = sessions(market, dates.min(), span_end)
    listing_session = np.searchsorted(sess, dates.to_numpy(dtype="datetime64[ns]"))

    results = []
    last = 0
    no_offer = {}
    for sl in book.sleeves:
        # an offer entry never buys a listing without an offer price: count those per sleeve
        no_offer[sl.name] = int((sl.strategy.active(u) & sl.strategy.no_offer(u)).sum())
        try:
            tr = simulate(u, sl.strategy, fees)
            trades = tr.trades
        except ValueError as exc:
            if "empty universe" not in str(exc):
                raise
            trades = pd.DataFrame(columns=["listing", "entry_bar", "exit_bar", "entry_price", "exit_price",
                                           "reason", "lot_size", "gross_return", "code", "listing_date"])
        ev = _events(u, trades, sl.strategy.entry.mode, listing_session) if len(trades) else \
            (np.zeros(0, np.int64),) * 3 + (np.zeros(0),)
        if len(ev[0]):
            last = max(last, int(ev[0].max()))
        results.append((sl, trades, ev))
        if progress:
            progress(sl.name)
    n_sess = min(last + 1, len(sess))
    cols, expo, rows, counts, all_trades = {}, {}, {}, {}, []
    for sl, trades, (es, ek, et, ep) in results:
        keep = es < n_sess
        es, ek, et, ep = es[keep], ek[keep], et[keep], ep[keep]
        n_tr = len(trades)
        direction = -1.0 if sl.strategy.lockup is not None and sl.strategy.lockup.action == "short" else 1.0
        fin, fout = fees.matrices(sl.strategy.entry.fee_side if direction > 0 else "buy")
        eq, ex, traded, shares, notional, pnl = sleeve_nb(
            n_sess, book.capital * sl.weight, per_period_rate(sl.cash_rate, periods_per_year), es, ek, et, ep,
            np.full(n_tr, sl.strategy.sizing.fraction), trades["lot_size"].to_numpy(np.float64) if n_tr else
            np.zeros(0), np.full(n_tr, direction), fees.slippage, fin, fout, sl.strategy.sizing.round_lots)
        cols[sl.name], expo[sl.name] = eq, ex
        if n_tr:
            t = trades.drop(columns=["listing", "entry_bar", "exit_bar"]).copy()
            t.insert(0, "sleeve", sl.name)
            t["shares"] = shares
            t["notional"] = notional
            t["pnl"] = pnl
            # sessions on the exchange calendar; an allotment is dated on the listing day
            base = listing_session[trades["listing"].to_numpy(np.int64)]
            ed = trades["entry_day"].fillna(0).to_numpy(np.int64)
            t.insert(4, "entry_date", pd.DatetimeIndex(sess[np.minimum(base + ed, len(sess) - 1)]).date)
            xd = trades["exit_day"].fillna(0).to_numpy(np.int64)
            t.insert(5, "exit_date", np.where(trades["reason"].to_numpy() == "open", None,
                                              pd.DatetimeIndex(sess[np.minimum(base + xd, len(sess) - 1)]).date))
            all_trades.append(t[shares > 0])
        rows[sl.name] = _summary(eq, book.capital * sl.weight, ex, traded, periods_per_year, risk_free,
                                 returns_stats_1d_nb, STAT_NAMES, turnover)
        counts[sl.name] = _trade_counts(shares, pnl, trades["gross_return"].to_numpy(np.float64) if n_tr
                                        else np.zeros(0))
    total = np.sum([cols[s.name] for s in book.sleeves], axis=0)
    gross = np.sum([expo[s.name] * cols[s.name] for s in book.sleeves], axis=0)
    tex = gross / total
    traded_all = sum(r["_traded"] for r in rows.values())
    rows["total"] = _summary(total, book.capital, tex, traded_all, periods_per_year, risk_free,
                             returns_stats_1d_nb, STAT_NAMES, turnover)
    counts["total"] = np.sum(list(counts.values()), axis=0)
    for name, (n_trades, closed, wins, net_wins) in counts.items():
        rows[name]["trades"] = int(n_trades)
        # the same two rates, under the same names, as `lab flip`: gross, and after fees and slippage
        rows[name]["hit_rate"] = wins / closed if closed else np.nan
        rows[name]["hit_rate_after_fees"] = net_wins / closed if closed else np.nan
    idx = pd.DatetimeIndex(sess[:n_sess])
    summary = pd.DataFrame(rows).T.drop(columns=["_traded"])
    summary.insert(0, "weight", [s.weight for s in book.sleeves] + [1.0])
    equity = pd.DataFrame(cols, index=idx)
    equity["total"] = total
    exposure = pd.DataFrame(expo, index=idx)
    exposure["total"] = tex
    trades_df = pd.concat(all_trades, ignore_index=True) if all_trades else pd.DataFrame()
    conv = {"periods_per_year": periods_per_year, "risk_free_annual": risk_free,
            "calendar": calendar_name(market), "capital": book.capital, "fees": fees.market,
            "slippage": fees.slippage, "returns": "daily simple returns of sleeve equity from the starting capital",
            "max_drawdown": "from the start value",
            "universe": {"listings": len(u), "excluded": dict(u.excluded),
                         "excluded_no_offer_price": no_offer}}
    return BookResult(idx, equity, exposure, trades_df, summary, conv)


def _summary(eq, start, ex, traded, ppy, rf, stats_nb, names, turnover_fn) -> dict:
    from .metrics import per_period_rate

    # the first return is measured against the starting capital, not against session 0's own close
    if start > 0:
        v = np.concatenate(([start], eq))
        rets = v[1:] / v[:-1] - 1.0
        rf_p = per_period_rate(rf, ppy)
        st = stats_nb(np.ascontiguousarray(rets), rf_p, rf_p, float(ppy))
        row = {k: float(x) for k, x in zip(names, st)}
    else:  # a zero-weight sleeve has no returns to measure
        row = {k: np.nan for k in names}
        row["n_periods"] = float(len(eq))
    row["start_equity"] = float(start)
    row["end_equity"] = float(eq[-1]) if len(eq) else np.nan
    row["exposure"] = float(np.mean(ex > 0)) if len(ex) else np.nan
    row["mean_gross_exposure"] = float(np.nanmean(ex)) if len(ex) else np.nan
    row["turnover"] = turnover_fn(traded, float(np.mean(eq)), len(eq), ppy) if len(eq) else np.nan
    row["_traded"] = traded
    return row


def _trade_counts(shares, pnl, gross) -> np.ndarray:
    """[filled trades, closed trades, gross wins, wins after fees] of one sleeve; open trades are not counted."""
    done = (shares > 0) & ~np.isnan(pnl)
    return np.array([(shares > 0).sum(), done.sum(), (gross[done] > 0).sum(), (pnl[done] > 0).sum()], np.int64)
