"""The live transport: Yahoo currency tickers through yfinance (the same call as the yfinance provider)."""
from __future__ import annotations

from ..base import Transport
from ..yfinance.transport import live_transport as _yahoo


def live_transport() -> Transport:
    return _yahoo()
