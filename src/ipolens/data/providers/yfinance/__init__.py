"""The yfinance provider. Same file roles in every provider folder:
constants.py (vendor calls, doc pages, host, rate limit), aliases.py (vendor columns -> our fields),
transport.py (the live call, imported lazily), fetchers.py (the three-stage fetchers)."""
