"""Alias tables: our field -> yfinance column names, best first.

``Ticker.history(auto_adjust=False)`` and ``download()`` return Open, High, Low, Close, Adj Close, Volume indexed by
Date; saved with ``to_csv`` they give the Yahoo daily layout Date,Open,High,Low,Close,Adj Close,Volume.
"""
from __future__ import annotations

BARS = {
    "date": ("Date", "Datetime"),
    "open": ("Open",),
    "high": ("High",),
    "low": ("Low",),
    "close": ("Close",),
    "adj_close": ("Adj Close", "Adj_Close", "AdjClose"),
    "volume": ("Volume",),
}
BARS_REQUIRED = ("date", "open", "high", "low", "close")

# Calendars.get_ipo_info_calendar(): index Symbol; columns as yfinance labels them
IPO_CALENDAR = {
    "symbol": ("Symbol", "ticker"),
    "name": ("Company", "Company Name", "companyshortname"),
    "exchange": ("Exchange", "Exchange Short Name", "exchange_short_name"),
    "date": ("Date", "startdatetime"),
    "filing_date": ("Filing Date", "filingdate"),
    "price_from": ("Price From", "pricefrom"),
    "price_to": ("Price To", "priceto"),
    "price": ("Price", "offerprice"),
    "currency": ("Currency", "currencyname"),
    "shares": ("Shares", "shares"),
    "deal_type": ("Deal Type", "dealtype"),
}
IPO_CALENDAR_REQUIRED = ("symbol", "exchange", "date", "price")
