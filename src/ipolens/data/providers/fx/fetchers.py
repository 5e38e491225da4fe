"""FX fetcher: one currency pair's daily rates (units of quote per 1 base) from a Yahoo currency ticker."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..base import ProviderError, check_window, to_date
from ..fetching import ProviderFetcher, table_cells
from ..models import FxQuery, FxRate
from ..yfinance.fetchers import frame_records, history_window
from . import aliases as A
from . import constants as C
from .transport import live_transport

__all__ = ["FxFetcher", "yahoo_fx_symbol", "cross_rates"]


def yahoo_fx_symbol(base: str, quote: str) -> str:
    """USD/HKD -> 'HKD=X' (Yahoo quotes USD crosses by the quote currency alone); CNY/HKD -> 'CNYHKD=X'."""
    return f"{quote}=X" if base == "USD" else f"{base}{quote}=X"


class FxFetcher(ProviderFetcher, constants=C, live=live_transport):
    model = FxRate
    function = C.HISTORY
    doc_url = C.HISTORY_DOC

    def transform_query(self, params: Mapping[str, Any]) -> FxQuery:
        base, quote = str(params.get("base", "USD")).upper(), str(params.get("quote", "HKD")).upper()
        for c in (base, quote):
            if c not in C.CURRENCIES:
                raise ProviderError(f"unknown currency {c!r}; expected one of {', '.join(C.CURRENCIES)}")
        if base == quote:
            raise ProviderError("base and quote are the same currency")
        start, end = to_date(params.get("start")), to_date(params.get("end"))
        check_window(start, end)
        return FxQuery(((base, quote),), start, end)

    def request(self, query: FxQuery) -> dict[str, Any]:
        base, quote = query.pairs[0]
        symbol = yahoo_fx_symbol(base, quote)
        if query.start is None and query.end is None:
            return {"symbol": symbol, "period": "1y"}
        # an end alone means the year up to that end (Yahoo's "period" always counts back from today)
        return {"symbol": symbol, **history_window(query.start or query.end - dt.timedelta(days=365), query.end)}

    def transform_data(self, query: FxQuery, raw: Any) -> list[FxRate]:
        base, quote = query.pairs[0]
        out = []
        for c in table_cells("yahoo fx history", frame_records(raw), A.RATES, A.RATES_REQUIRED):
            day, rate = c.date("date"), c.num("rate")
            if day is None or rate is None or rate <= 0:
                continue
            out.append(FxRate(day, base, quote, rate))
        return out


def cross_rates(rates: list[FxRate]) -> list[FxRate]:
    """CNY/HKD from USD/HKD and USD/CNY on the days both exist (the embedded table derives it the same way)."""
    by_day: dict[tuple[dt.date, str], float] = {(r.date, r.quote): r.rate for r in rates if r.base == "USD"}
    out = []
    for (day, quote), usd_hkd in sorted(by_day.items()):
        if quote != "HKD" or (day, "CNY") not in by_day:
            continue
        out.append(FxRate(day, "CNY", "HKD", round(usd_hkd / by_day[(day, "CNY")], 6)))
    return out
