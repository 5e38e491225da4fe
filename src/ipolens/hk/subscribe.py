"""Subscription calculator: application amount, financing, expected allotment and first-day P&L.

Money is integer cents throughout. Brokerage and levies are charged on the application and refunded on the unallotted
part, so P&L counts them on allotted shares only; the handling fee and the margin interest are sunk. First-day P&L
draws on the empirical first-day returns of past HK IPOs in the same public-oversubscription band (the deal itself
excluded); the spread is a seeded Monte Carlo over the ballot outcome and a bootstrap of those returns.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from . import fees

__all__ = ["BANDS", "band_of", "band_sample", "Financing", "financing", "SubscriptionResult", "expected_pnl"]

# Band edges follow the PN18 clawback triggers, with the hot end split where 2018-2026 deals thin out.
BANDS: tuple[tuple[float, float], ...] = ((0, 1), (1, 15), (15, 50), (50, 100), (100, 500), (500, 1000),
                                          (1000, float("inf")))


def band_of(x: float) -> tuple[float, float]:
    if x < 0:
        raise ValueError("subscription must be non-negative")
    for lo, hi in BANDS:
        if lo <= x < hi:
            return lo, hi
    raise AssertionError("unreachable")


def band_label(b: tuple[float, float]) -> str:
    lo, hi = b
    if lo == 0:
        return "undersubscribed (<1x)"
    return f">={lo:g}x" if hi == float("inf") else f"{lo:g}x to <{hi:g}x"


def band_sample(ipos: pd.DataFrame, x: float, exclude_entity: str | None = None) -> tuple[str, pd.Series]:
    """(band label, first-day returns in percent) of HK IPOs whose public demand falls in ``x``'s band.

    Deals flagged undersubscribed without a multiple count in the lowest band.
    """
    df = ipos[ipos["market"] == "HK"].copy()
    if exclude_entity:
        df = df[df["entity"] != exclude_entity]
    mult = df["oversubscription_public"].copy()
    under = df.get("public_undersubscribed")
    if under is not None:
        mult = mult.where(~(mult.isna() & (under == 1)), 0.5)
    lo, hi = band_of(x)
    sel = (mult >= lo) & (mult < hi) & df["first_day_return"].notna()
    return band_label((lo, hi)), df.loc[sel, "first_day_return"].astype(float).reset_index(drop=True)


@dataclass
class Financing:
    amount: int  # application amount, cents
    margin: float
    loan: int
    cash: int
    interest: int
    handling_fee: int

    def to_dict(self) -> dict:
        return asdict(self)


def financing(amount: int, margin: float, rate: float, days: int, handling_fee_hkd) -> Financing:
    if not 0 <= margin <= 1:
        raise ValueError(f"margin must be between 0 and 1, got {margin}")
    if rate < 0 or days < 0:
        raise ValueError("rate and days must be non-negative")
    loan = fees.round_half_up(Fraction(amount) * Fraction(Decimal(str(margin))))
    return Financing(amount=amount, margin=margin, loan=loan, cash=amount - loan,
                     interest=fees.interest_cents(loan, rate, days), handling_fee=fees.to_cents(handling_fee_hkd))


@dataclass
class SubscriptionResult:
    lots: int
    lot_size: int
    price: float
    application: dict
    entry_fee: int
    financing: dict
    expected_lots: float
    p_at_least_one_lot: float
    guaranteed_lots: int
    band: str
    band_n: int
    band_mean_return_pct: float | None
    band_median_return_pct: float | None
    expected_pnl: int | None
    pnl_std: int | None
    pnl_p10: int | None
    pnl_p50: int | None
    pnl_p90: int | None
    p_loss: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _pnl_for(lots_won: int, lot_size: int, price, ret_pct: float, sunk: int, sell_commission) -> int:
    """Cents of P&L from ``lots_won`` lots sold at the first-day close.

    Price x shares stays exact (a HK$0.225 offer is not a HK$0.23 one); each fee is rounded by its own rule, and only
    the final P&L is rounded to the cent.
    """
    if lots_won == 0:
        return -sunk
    shares = lots_won * lot_size
    cost = fees.exact_cents(price) * shares
    buy_fees = sum(v for k, v in fees.application_amount(price, shares).items.items() if k != "principal")
    proceeds = cost * (1 + Fraction(Decimal(str(ret_pct))) / 100)
    sell = fees.sale_costs(proceeds, sell_commission).total
    return fees.round_half_up(proceeds - sell - cost - buy_fees - sunk)


def expected_pnl(lots: int, lot_size: int, price: float, guaranteed: int, p_extra: float, returns: pd.Series,
                 fin: Financing, sell_commission=None, draws: int = 20000, seed: int = 0) -> dict:
    """Mean and spread of first-day P&L (cents). Exact mean over the empirical returns; spread by seeded simulation."""
    sunk = fin.interest + fin.handling_fee
    r = returns.to_numpy(float)
    if len(r) == 0:
        return {"expected_pnl": None, "pnl_std": None, "pnl_p10": None, "pnl_p50": None, "pnl_p90": None, "p_loss": None}
    outcomes = [(guaranteed, 1 - p_extra), (guaranteed + 1, p_extra)] if guaranteed < lots else [(guaranteed, 1.0)]
    mean = 0.0
    for won, p in outcomes:
        if p:
            mean += p * float(np.mean([_pnl_for(won, lot_size, price, x, sunk, sell_commission) for x in r]))
    rng = np.random.default_rng(seed)
    won = guaranteed + (rng.random(draws) < p_extra if guaranteed < lots else 0)
    idx = rng.integers(0, len(r), draws)
    # Table of P&L per (lots won, return) so the simulation only looks values up.
    table = {w: np.array([_pnl_for(int(w), lot_size, price, x, sunk, sell_commission) for x in r])
             for w in set(np.atleast_1d(won).tolist())}
    sims = np.array([table[int(w)][i] for w, i in zip(np.broadcast_to(won, (draws,)), idx)], dtype=float)
    return {"expected_pnl": int(round(mean)), "pnl_std": int(round(sims.std())),
            "pnl_p10": int(round(np.percentile(sims, 10))), "pnl_p50": int(round(np.percentile(sims, 50))),
            "pnl_p90": int(round(np.percentile(sims, 90))), "p_loss": float((sims < 0).mean())}
