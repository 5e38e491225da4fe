"""Metrics registry: pure functions, one shape each (see ../shared/docs/metrics.md).

Every series metric takes ``values`` plus a REQUIRED ``kind`` ("returns" or "prices"): the input type is stated,
never sniffed from the numbers (quantstats' guessing turned a losing curve into Sharpe 123.7). Returns are simple
fractions per period. ``periods_per_year`` defaults to 252 exchange sessions. Risk-free and target rates are
ANNUAL and converted once to per period: rf_p = (1 + rf) ** (1 / P) - 1.

Definitions equal empyrical-reloaded's (tested to 1e-9) with its per-period rate set to our converted rf_p.
One intentional difference: NaN is rejected here, where empyrical silently skips it (nanmean) or counts it as a
zero return (cum_returns). An empty series gives NaN for every metric (nothing was measured), as empyrical and the
fused kernel do. Results too large for a float come back as inf (or NaN where undefined) without numpy warnings.

Adding a metric is adding a function and one registry line; tear sheets loop over ``SERIES_METRICS``.
"""
from __future__ import annotations

import math
from typing import Callable, Literal

import numpy as np

__all__ = [
    "Kind", "to_returns", "per_period_rate", "total_return", "cagr", "annual_volatility", "sharpe_ratio",
    "sortino_ratio", "downside_deviation", "max_drawdown", "drawdown_series", "calmar_ratio", "hit_rate",
    "avg_win", "avg_loss", "turnover", "exposure", "SERIES_METRICS", "TRADE_METRICS", "compute",
]

Kind = Literal["returns", "prices"]
KINDS = ("returns", "prices")


def to_returns(values, kind: str) -> np.ndarray:
    """Simple returns from ``values`` of the stated ``kind``; rejects NaN and impossible values."""
    if kind not in KINDS:
        raise ValueError(f"kind must be 'returns' or 'prices', got {kind!r}: the input type is never guessed")
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError(f"expected a 1-D series, got shape {a.shape}")
    if np.isnan(a).any():
        raise ValueError(f"{int(np.isnan(a).sum())} NaN value(s) in the {kind}; drop or fill them first")
    if np.isinf(a).any():
        raise ValueError(f"{int(np.isinf(a).sum())} infinite value(s) in the {kind}")
    if kind == "prices":
        if (a <= 0).any():
            raise ValueError("prices must be > 0; were returns passed with kind='prices'?")
        return a[1:] / a[:-1] - 1.0
    if (a < -1).any():
        raise ValueError("a return below -100% is impossible for a long book; were prices or percent numbers "
                         "passed with kind='returns'?")
    return a


def _check_periods(periods_per_year) -> float:
    """P must be a positive finite number: P = 0 would silently turn CAGR and volatility into 0."""
    p = float(periods_per_year)
    if not (0 < p < math.inf):
        raise ValueError(f"periods_per_year must be > 0 (252 daily, 52 weekly, 12 monthly), got {periods_per_year}")
    return p


def per_period_rate(annual: float, periods_per_year: float) -> float:
    """Annual rate -> per-period rate, compounding: (1 + annual) ** (1 / P) - 1."""
    if annual <= -1:
        raise ValueError(f"annual rate {annual} must be > -1 (a fraction: 0.03 = 3%)")
    return (1.0 + annual) ** (1.0 / _check_periods(periods_per_year)) - 1.0


def _growth(r: np.ndarray) -> float:
    """prod(1 + r); inf when it overflows a float (a warning-free inf, the honest answer)."""
    with np.errstate(over="ignore"):
        return float(np.prod(1.0 + r))


def total_return(values, *, kind: Kind) -> float:
    """Compounded return over the whole series: prod(1 + r) - 1; NaN for an empty series."""
    r = to_returns(values, kind)
    if r.size == 0:
        return math.nan
    return _growth(r) - 1.0


def cagr(values, *, kind: Kind, periods_per_year: float = 252) -> float:
    """(1 + R) ** (P / n) - 1: years counted by number of periods, not calendar days."""
    p = _check_periods(periods_per_year)
    r = to_returns(values, kind)
    if r.size == 0:
        return math.nan
    g = _growth(r)
    try:
        return g ** (p / r.size) - 1.0
    except OverflowError:  # Python floats raise where numpy would warn
        return math.inf


def annual_volatility(values, *, kind: Kind, periods_per_year: float = 252) -> float:
    """std(r, ddof=1) * sqrt(P); exactly 0 for identical values."""
    p = _check_periods(periods_per_year)
    r = to_returns(values, kind)
    if r.size < 2:
        return math.nan
    if np.all(r == r[0]):  # numpy's mean can miss the value by an ulp, leaving a ~1e-20 "volatility"
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.std(r, ddof=1) * math.sqrt(p))


def _ratio(num: float, den: float) -> float:
    if den == 0:
        return math.inf if num > 0 else (-math.inf if num < 0 else math.nan)
    return num / den


def _excess(values, kind: str, annual: float, periods_per_year: float) -> np.ndarray | None:
    """Returns less the per-period equivalent of the ``annual`` rate; None under two returns (no spread to measure)."""
    rate_p = per_period_rate(annual, periods_per_year)
    r = to_returns(values, kind)
    return None if r.size < 2 else r - rate_p


def sharpe_ratio(values, *, kind: Kind, periods_per_year: float = 252, risk_free: float = 0.0) -> float:
    """mean(r - rf_p) / std(r - rf_p, ddof=1) * sqrt(P), ``risk_free`` annual."""
    x = _excess(values, kind, risk_free, periods_per_year)
    if x is None:
        return math.nan
    with np.errstate(over="ignore", invalid="ignore"):
        # identical values: the mean can differ from them in the last bit, leaving a ~1e-18 "risk"
        sd = 0.0 if np.all(x == x[0]) else float(np.std(x, ddof=1))
        mean = float(x[0]) if sd == 0.0 else float(np.mean(x))
    return _ratio(mean, sd) * math.sqrt(periods_per_year)


def downside_deviation(values, *, kind: Kind, periods_per_year: float = 252, target: float = 0.0) -> float:
    """Annualised target downside deviation: sqrt(mean(min(r - T, 0)^2)) * sqrt(P) over ALL observations."""
    t_p = per_period_rate(target, periods_per_year)
    r = to_returns(values, kind)
    if r.size == 0:
        return math.nan
    t = np.minimum(r - t_p, 0.0)
    with np.errstate(over="ignore"):
        return float(np.sqrt(np.mean(t * t)) * math.sqrt(periods_per_year))


def sortino_ratio(values, *, kind: Kind, periods_per_year: float = 252, target: float = 0.0) -> float:
    """mean(r - T) / DD * sqrt(P) with DD the target downside deviation (not the std of the losses)."""
    x = _excess(values, kind, target, periods_per_year)
    if x is None:
        return math.nan
    with np.errstate(over="ignore", invalid="ignore"):
        dd = float(np.sqrt(np.mean(np.minimum(x, 0.0) ** 2)))
        mean = float(x[0]) if np.all(x == x[0]) else float(np.mean(x))
    return _ratio(mean, dd) * math.sqrt(periods_per_year)


def drawdown_series(values, *, kind: Kind) -> np.ndarray:
    """V_t / max_{s<=t} V_s - 1 for the equity V built from the returns, starting at 1 (start included).

    If V overflows a float (1e300 returns), the same ratios come from log equity instead of inf / inf = NaN;
    a -100% return is log 0 = -inf there, a drawdown of exactly -1 from then on.
    """
    r = to_returns(values, kind)
    with np.errstate(over="ignore", invalid="ignore"):
        v = np.concatenate(([1.0], np.cumprod(1.0 + r)))
    if np.isfinite(v).all():
        return (v / np.maximum.accumulate(v) - 1.0)[1:]
    with np.errstate(divide="ignore"):
        logv = np.concatenate(([0.0], np.cumsum(np.log1p(r))))
    return np.expm1(logv - np.maximum.accumulate(logv))[1:]


def max_drawdown(values, *, kind: Kind) -> float:
    """Deepest drawdown, the start value counting as a peak (a first-day loss is a drawdown)."""
    dd = drawdown_series(values, kind=kind)
    return float(dd.min()) if dd.size else math.nan


def calmar_ratio(values, *, kind: Kind, periods_per_year: float = 252) -> float:
    """CAGR / |MaxDD|; NaN when there is no drawdown (as empyrical)."""
    c = cagr(values, kind=kind, periods_per_year=periods_per_year)
    mdd = max_drawdown(values, kind=kind)
    if not mdd < 0:
        return math.nan
    c = c / abs(mdd)
    return math.nan if math.isinf(c) else c


# -- trade and book metrics: inputs are per-trade returns, weights or traded values ------------------------------
def _trades(trade_returns) -> np.ndarray:
    a = np.asarray(trade_returns, dtype=np.float64)
    if np.isnan(a).any():
        raise ValueError("NaN trade return(s): drop trades that were not closed first")
    return a


def hit_rate(trade_returns) -> float:
    """Share of trades with a return > 0."""
    a = _trades(trade_returns)
    return float((a > 0).mean()) if a.size else math.nan


def avg_win(trade_returns) -> float:
    a = _trades(trade_returns)
    w = a[a > 0]
    return float(w.mean()) if w.size else math.nan


def avg_loss(trade_returns) -> float:
    a = _trades(trade_returns)
    w = a[a < 0]
    return float(w.mean()) if w.size else math.nan


def turnover(traded_value: float, mean_equity: float, n_periods: int, periods_per_year: float = 252) -> float:
    """Annualised turnover: traded value (buys + sells) / 2 / mean equity, per year."""
    if mean_equity <= 0 or n_periods <= 0:
        return math.nan
    return float(traded_value / 2.0 / mean_equity * periods_per_year / n_periods)


def exposure(gross_exposure) -> float:
    """Time in market: share of periods with any position open."""
    a = np.asarray(gross_exposure, dtype=np.float64)
    return float((a > 0).mean()) if a.size else math.nan


SERIES_METRICS: dict[str, Callable] = {
    "total_return": total_return,
    "cagr": cagr,
    "annual_volatility": annual_volatility,
    "sharpe_ratio": sharpe_ratio,
    "sortino_ratio": sortino_ratio,
    "max_drawdown": max_drawdown,
    "calmar_ratio": calmar_ratio,
}
TRADE_METRICS: dict[str, Callable] = {"hit_rate": hit_rate, "avg_win": avg_win, "avg_loss": avg_loss}

_TAKES_P = {"cagr", "annual_volatility", "sharpe_ratio", "sortino_ratio", "calmar_ratio"}


def compute(values, *, kind: Kind, periods_per_year: float = 252, risk_free: float = 0.0,
            target: float | None = None, names=None) -> dict[str, float]:
    """Every registered series metric (or ``names``) for one series. Sortino's target defaults to ``risk_free``."""
    names = list(SERIES_METRICS) if names is None else list(names)
    out = {}
    for name in names:
        if name not in SERIES_METRICS:
            import difflib

            hint = difflib.get_close_matches(name, SERIES_METRICS, n=1)
            raise KeyError(f"unknown metric {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
        fn = SERIES_METRICS[name]
        kw = {"kind": kind}
        if name in _TAKES_P:
            kw["periods_per_year"] = periods_per_year
        if name == "sharpe_ratio":
            kw["risk_free"] = risk_free
        if name == "sortino_ratio":
            kw["target"] = risk_free if target is None else target
        out[name] = fn(values, **kw)
    return out


def fused(values, *, kind: Kind, periods_per_year: float = 252, risk_free: float = 0.0,
          target: float | None = None) -> dict[str, float]:
    """The same numbers from the one-pass numba kernel (what the simulators use)."""
    from .nb import STAT_NAMES, returns_stats_1d_nb

    _check_periods(periods_per_year)
    r = to_returns(values, kind)
    rf_p = per_period_rate(risk_free, periods_per_year)
    t_p = per_period_rate(risk_free if target is None else target, periods_per_year)
    res = returns_stats_1d_nb(np.ascontiguousarray(r), rf_p, t_p, float(periods_per_year))
    return {k: float(v) for k, v in zip(STAT_NAMES, res)}
