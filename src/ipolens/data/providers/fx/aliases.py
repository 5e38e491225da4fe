"""Alias table: our field -> column of a Yahoo currency history (the rate is the daily Close)."""
from __future__ import annotations

RATES = {
    "date": ("Date", "Datetime", "日期"),
    "rate": ("Close", "收盘", "rate"),
}
RATES_REQUIRED = ("date", "rate")
