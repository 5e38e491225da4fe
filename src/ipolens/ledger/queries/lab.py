"""Frames the strategy lab builds its universe from: listings, event-horizon returns, daily bars."""
from __future__ import annotations

import duckdb
import pandas as pd

from ..store import Ledger
from .ledger import aftermarket_rows, ipo_rows

__all__ = ["lab_listings", "lab_aftermarket", "lab_daily_bars"]


def lab_listings(led: Ledger, market: str) -> pd.DataFrame:
    """Every dated listing of ``market`` with its first-day row and company names, oldest first."""
    return ipo_rows(led, market)


def lab_aftermarket(led: Ledger, market: str) -> pd.DataFrame:
    """N-day returns vs the offer and index returns from the listing close, one row per listing of ``market``."""
    return aftermarket_rows(led, market)


def lab_daily_bars(led: Ledger, codes: list[str]) -> pd.DataFrame:
    """Daily bars of the listings ``codes`` (entity keys, as the prices table stores them: ``HK:02718@2025``),
    adjusted rows first within a listing; empty without bars."""
    cols = ["code", "date", "open", "high", "low", "close", "adjusted"]
    if not codes:
        return pd.DataFrame(columns=cols)
    try:
        return led.query(f"SELECT {', '.join(cols)} FROM prices WHERE code IN ({','.join('?' * len(codes))}) "
                         "ORDER BY code, adjusted DESC, date", list(codes))
    except duckdb.CatalogException:  # a store without the table simply has no bars
        return pd.DataFrame(columns=cols)
