"""Returns after listing: first-day open and close returns, turnover ratios, index-relative returns."""
from __future__ import annotations

__all__ = ["pct_change", "price_from_return", "turnover_ratio", "rebased_excess_return"]


def pct_change(price: float, base: float) -> float:
    """Percent change of ``price`` over ``base``: 35.7 over 19.6 -> 82.142857..."""
    if base == 0:
        raise ValueError("base price is zero")
    return (price / base - 1.0) * 100.0


def price_from_return(base: float, return_pct: float) -> float:
    """The price a stated return implies: 19.6 at +75.8% -> 34.4568."""
    return base * (1.0 + return_pct / 100.0)


def turnover_ratio(turnover: float, denominator: float) -> float:
    """Turnover as a percent of a money amount in the same currency (market cap, offer size)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return turnover / denominator * 100.0


def rebased_excess_return(ret_day_n: float, ret_day0: float, index_ret_day_n: float) -> float:
    """Stock return from the listing-day close minus the index return over the same span (all in percent).

    The 2018-2022 set measures stock returns from the offer price and index returns from the listing-day close,
    so the stock is re-based to day 0 first: (1 + r_n) / (1 + r_0) - 1 - i_n.
    """
    return ((1 + ret_day_n / 100.0) / (1 + ret_day0 / 100.0) - 1.0) * 100.0 - index_ret_day_n
