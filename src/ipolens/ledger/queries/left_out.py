"""Listings the dated tables cannot place: those without a listing date (``ipolens ipos --undated``, and the
``left_out`` counts of ``ipos``, ``stats`` and the lab)."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["undated_rows"]


def undated_rows(led: Ledger, market: str | None = None) -> pd.DataFrame:
    """Listings without a listing date, with the IPO table's columns (first_day and company names joined), by
    market, code and entity. ``market``: only that market's (listings with no market yet are then left aside)."""
    df = led.query("""SELECT l.*, f.* EXCLUDE (entity, code, market, entity_name_en, entity_name_zh),
                             c.name_en, c.name_zh, c.sector, c.industry
                      FROM listings l LEFT JOIN first_day f USING (entity) LEFT JOIN companies c USING (entity)
                      WHERE l.listing_date IS NULL AND (?::VARCHAR IS NULL OR l.market = ?)
                      ORDER BY l.market NULLS LAST, l.code NULLS LAST, l.entity""", [market, market])
    df["name_en"] = df["name_en"].fillna(df.pop("entity_name_en"))
    df["name_zh"] = df["name_zh"].fillna(df.pop("entity_name_zh"))
    return df
