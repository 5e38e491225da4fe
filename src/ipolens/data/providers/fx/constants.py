"""FX: daily HKD, CNY and USD rates from Yahoo Finance currency tickers, next to the embedded ECB table."""
from __future__ import annotations

PROVIDER = "fx"
LIBRARY = "yfinance"
SOURCE_ID = "fx:yahoo"
EMBEDDED_SOURCE_ID = "fx:ecb-eurofxref"  # shipped in data/embedded/fx_rates.csv

HISTORY = "history"  # yfinance.Ticker("HKD=X").history(...): Close = quote units per 1 base
HISTORY_DOC = "https://ranaroussi.github.io/yfinance/reference/api/yfinance.Ticker.history.html"
HOST = "query2.finance.yahoo.com"
MIN_INTERVAL_S = 0.5

CURRENCIES = ("USD", "HKD", "CNY")
# The pairs fetched by default; HKD/CNY crosses are derived from these two, as the embedded table does.
DEFAULT_PAIRS = (("USD", "HKD"), ("USD", "CNY"))
