"""Valuation multiples."""
from __future__ import annotations

__all__ = ["price_to_sales"]


def price_to_sales(market_cap: float, revenue: float) -> float:
    """P/S = market cap / revenue, both in one currency (convert first through the dated FX table)."""
    if revenue <= 0:
        raise ValueError("revenue must be positive")
    return market_cap / revenue
