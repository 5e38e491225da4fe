"""Standard models every provider maps into: an IPO event, a daily bar, a lock-up release, an FX rate.

They are deliberately small (OpenBB's rule): the fields any source can fill, plus ``extra`` for the rest.
Units are fixed here so that vendors' units never leak inward:
  prices in the listing's trading currency; volume in shares (not lots); turnover in currency units;
  percentages as percent numbers (0.0363 means 0.0363 %); FX ``rate`` = units of ``quote`` per 1 ``base``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IpoEvent", "DailyBar", "LockupRelease", "FxRate", "IpoQuery", "PriceQuery", "LockupQuery", "FxQuery"]


# -- queries ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IpoQuery:
    market: str  # HK | STAR | NASDAQ
    since: dt.date | None = None
    codes: tuple[str, ...] = ()  # HK: the listings whose profiles to read


@dataclass(frozen=True)
class PriceQuery:
    code: str  # entity key, e.g. HK:06082
    start: dt.date | None = None
    end: dt.date | None = None
    adjust: str = ""  # "" raw, "qfq" forward-adjusted, "hfq" back-adjusted


@dataclass(frozen=True)
class LockupQuery:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class FxQuery:
    pairs: tuple[tuple[str, str], ...] = (("USD", "HKD"), ("USD", "CNY"))
    start: dt.date | None = None
    end: dt.date | None = None


# -- data ------------------------------------------------------------------------------------------------------------
@dataclass
class IpoEvent:
    code: str  # entity key
    listing_date: dt.date | None
    name: str | None = None
    offer_price: float | None = None
    currency: str | None = None
    lot_size: float | None = None
    shares_offered: float | None = None
    lottery_rate: float | None = None  # percent
    oversubscription_public: float | None = None  # x
    first_day_close: float | None = None
    first_day_return: float | None = None  # percent
    exchange: str | None = None
    board: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DailyBar:
    code: str
    date: dt.date
    open: float | None
    high: float | None
    low: float | None
    close: float | None
    volume: float | None = None  # shares
    turnover: float | None = None  # currency units
    adj_close: float | None = None
    adjusted: bool = False


@dataclass
class LockupRelease:
    code: str
    release_date: dt.date
    name: str | None = None
    shares: float | None = None  # scheduled to unlock
    actual_shares: float | None = None  # actually tradable after the release
    market_value: float | None = None  # of the actual release, CNY
    float_pct: float | None = None  # percent of the free float before the release
    share_type: str | None = None


@dataclass
class FxRate:
    date: dt.date
    base: str
    quote: str
    rate: float
