"""The live transport: the two yfinance calls ipolens makes, by name. yfinance is imported only when called."""
from __future__ import annotations

from typing import Any

from ..base import ProviderError, Transport, require_live
from .constants import HISTORY, IPO_CALENDAR, LIBRARY


def live_transport() -> Transport:
    require_live(LIBRARY)
    import yfinance

    def call(function: str, **kwargs: Any) -> Any:
        if function == HISTORY:
            symbol = kwargs.pop("symbol")
            # raise_errors: yfinance otherwise logs a failure and hands back an empty frame
            return yfinance.Ticker(symbol).history(auto_adjust=False, actions=False, raise_errors=True, **kwargs)
        if function == IPO_CALENDAR:
            cal = yfinance.Calendars(start=kwargs.get("start"), end=kwargs.get("end"))
            return cal.get_ipo_info_calendar(limit=kwargs.get("limit", 100))
        raise ProviderError(f"yfinance transport has no call {function!r}")

    return call
