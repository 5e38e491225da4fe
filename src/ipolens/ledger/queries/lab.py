"""Frames the strategy lab builds its universe from: listings, event-horizon returns, daily bars."""
from __future__ import annotations

import duckdb
import pandas as pd

from ..store import Ledger

__all__ = ["lab_listings", "lab_aftermarket", "lab_daily_bars"]


def lab_listings(led: Ledger, market: str) -> pd.DataFrame:
    """Every dated listing of ``market`` with its first-day row and company names, oldest first."""
    df = led.query(
        """SELECT l.*, f.* EXCLUDE (entity, code, market, entity_name_en, entity_name_zh),
                  c.name_en, c.name_zh, c.sector, c.industry
           FROM listings l LEFT JOIN first_day f USING (entity) LEFT JOIN companies c USING (entity)
           WHERE l.listing_date IS NOT NULL AND l.market = ?
           ORDER BY l.listing_date, l.code""", [market])
    df["name_en"] = df["name_en"].fillna(df.pop("entity_name_en"))
    df["name_zh"] = df["name_zh"].fillna(df.pop("entity_name_zh"))
    df["listing_date"] = pd.to_datetime(df["listing_date"]).dt.date
    return df


def lab_aftermarket(led: Ledger, market: str) -> pd.DataFrame:
    """N-day returns vs the offer and index returns from the listing close, one row per listing of ``market``."""
    return led.query("""SELECT a.*, l.listing_date, l.offer_price, l.oversubscription_public
                        FROM aftermarket a JOIN listings l USING (entity)
                        WHERE l.market = ? ORDER BY l.listing_date""", [market])


def lab_daily_bars(led: Ledger, codes: list[str]) -> pd.DataFrame:
    """Daily bars of ``codes`` from the prices table (adjusted rows first within a code); empty without bars."""
    cols = ["code", "date", "open", "high", "low", "close", "adjusted"]
    if not codes:
        return pd.DataFrame(columns=cols)
    try:
        return led.query(f"SELECT {', '.join(cols)} FROM prices WHERE code IN ({','.join('?' * len(codes))}) "
                         "ORDER BY code, adjusted DESC, date", list(codes))
    except duckdb.CatalogException:  # a store without the table simply has no bars
        return pd.DataFrame(columns=cols)
