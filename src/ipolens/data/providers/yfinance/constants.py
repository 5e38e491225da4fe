"""yfinance endpoints ipolens reads: the vendor call, its documented output page, the host it calls."""
from __future__ import annotations

PROVIDER = "yfinance"
LIBRARY = "yfinance"

HISTORY = "history"  # yfinance.Ticker(symbol).history(start, end, auto_adjust=False, actions=False)
HISTORY_DOC = "https://ranaroussi.github.io/yfinance/reference/api/yfinance.Ticker.history.html"
IPO_CALENDAR = "ipo_calendar"  # yfinance.Calendars(start, end).get_ipo_info_calendar(limit=100)
IPO_CALENDAR_DOC = "https://ranaroussi.github.io/yfinance/reference/api/yfinance.Calendars.html"

HOST = "query2.finance.yahoo.com"
# Yahoo throttles bursts (HTTP 429); a pause between symbols keeps a long code list polite.
MIN_INTERVAL_S = 0.5
# Yahoo's short exchange names for the Nasdaq tiers (Global Select, Global, Capital Market)
NASDAQ_EXCHANGES = ("NASDAQ", "NMS", "NGM", "NCM", "NAS")
