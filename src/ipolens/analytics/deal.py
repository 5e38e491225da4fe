"""Deal arithmetic: proceeds, market cap, cornerstone share, greenshoe size, per-lot gain."""
from __future__ import annotations

__all__ = ["proceeds", "market_cap", "cornerstone_share", "cornerstone_amount", "greenshoe_shares",
           "greenshoe_proceeds", "per_lot_gain", "implied_offer_size"]


def proceeds(offer_price: float, shares: float) -> float:
    """Gross proceeds = offer price x shares offered."""
    return offer_price * shares


def market_cap(price: float, shares_outstanding: float) -> float:
    """Market capitalisation = price x shares outstanding (of the class being valued)."""
    return price * shares_outstanding


def cornerstone_share(cornerstone_amount: float, offer_size: float) -> float:
    """Cornerstone subscription as a percent of the offer size (same currency)."""
    if offer_size <= 0:
        raise ValueError("offer size must be positive")
    return cornerstone_amount / offer_size * 100.0


def cornerstone_amount(share_pct: float, offer_size: float) -> float:
    return share_pct / 100.0 * offer_size


def implied_offer_size(cornerstone_amount: float, share_pct: float) -> float:
    """Offer size implied by a cornerstone amount and its stated share (29亿 / 64% = 45.3亿)."""
    if share_pct <= 0:
        raise ValueError("share must be positive")
    return cornerstone_amount / (share_pct / 100.0)


def greenshoe_shares(base_shares: float, greenshoe_pct: float = 15.0) -> float:
    """Shares under a fully exercised over-allotment option (15% of the initial offer by default)."""
    return base_shares * greenshoe_pct / 100.0


def greenshoe_proceeds(base_proceeds: float, greenshoe_pct: float = 15.0) -> float:
    return base_proceeds * greenshoe_pct / 100.0


def per_lot_gain(lot_size: float, price: float, offer_price: float) -> float:
    """Gain on one board lot bought at the offer: lot x (price - offer). Biren 200 x (35.7 - 19.6) = 3,220."""
    return lot_size * (price - offer_price)
