"""yfinance fetchers: daily OHLCV for .HK, .SS, .SZ and US tickers; the Nasdaq IPO calendar."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..base import ProviderError, check_window, parse_code_key, require_param, to_date, yahoo_symbol
from ..fetching import ProviderFetcher, table_cells
from ..models import DailyBar, IpoEvent, IpoQuery, PriceQuery
from . import aliases as A
from . import constants as C
from .transport import live_transport

__all__ = ["HistoryFetcher", "IpoCalendarFetcher", "frame_records", "history_window"]


class _YahooFetcher(ProviderFetcher, constants=C, live=live_transport):
    """The yfinance fetchers' base: one rate limit for all of them."""


def frame_records(raw: Any) -> tuple[list[str], list[dict]]:
    """yfinance frame -> (columns, rows): the Date/Symbol index becomes a column, a (Price, Ticker) column
    MultiIndex from ``download`` is flattened to its price level."""
    if not (hasattr(raw, "columns") and hasattr(raw, "reset_index")):
        raise ProviderError(f"expected a DataFrame from yfinance, got {type(raw).__name__}")
    df = raw
    if getattr(df.columns, "nlevels", 1) > 1:
        df = df.copy()
        df.columns = [c[0] for c in df.columns]
    if df.index.name is not None or getattr(df.index, "nlevels", 1) > 1:
        df = df.reset_index()
    return [str(c) for c in df.columns], df.to_dict("records")


def history_window(start: dt.date, end: dt.date | None) -> dict[str, str]:
    """``Ticker.history``'s start and end for the window from ``start`` to ``end`` inclusive (open-ended without
    ``end``): Yahoo's end is exclusive, ours inclusive."""
    window = {"start": start.isoformat()}
    if end:
        window["end"] = (end + dt.timedelta(days=1)).isoformat()
    return window


class HistoryFetcher(_YahooFetcher):
    """Ticker.history(auto_adjust=False): raw OHLC plus Adj Close; Volume in shares. Without a start date the
    whole history is read, so the first bar is the listing day."""

    model = DailyBar
    function = C.HISTORY
    doc_url = C.HISTORY_DOC

    def transform_query(self, params: Mapping[str, Any]) -> PriceQuery:
        query = PriceQuery(parse_code_key(str(require_param(params, "code", "yfinance history"))),
                           to_date(params.get("start")), to_date(params.get("end")))
        check_window(query.start, query.end)
        return query

    def request(self, query: PriceQuery) -> dict[str, Any]:
        symbol = yahoo_symbol(query.code)
        if query.start is None and query.end is None:
            return {"symbol": symbol, "period": "max"}
        return {"symbol": symbol, **history_window(query.start or dt.date(1970, 1, 1), query.end)}

    def transform_data(self, query: PriceQuery, raw: Any) -> list[DailyBar]:
        out = []
        for c in table_cells("yfinance history", frame_records(raw), A.BARS, A.BARS_REQUIRED):
            day = c.date("date")
            close = c.num("close")
            if day is None or close is None:  # Yahoo pads holidays with NaN rows
                continue
            out.append(DailyBar(query.code, day, c.num("open"), c.num("high"), c.num("low"), close,
                                c.num("volume"), adj_close=c.num("adj_close")))
        return out


class IpoCalendarFetcher(_YahooFetcher):
    """Calendars.get_ipo_info_calendar: priced and expected US IPOs; kept: Nasdaq listings."""

    model = IpoEvent
    function = C.IPO_CALENDAR
    doc_url = C.IPO_CALENDAR_DOC

    def transform_query(self, params: Mapping[str, Any]) -> IpoQuery:
        market = str(params.get("market", "NASDAQ")).upper()
        if market != "NASDAQ":
            raise ProviderError(f"the yfinance IPO calendar serves NASDAQ here, not {market}")
        return IpoQuery("NASDAQ", to_date(params.get("since")))

    def request(self, query: IpoQuery) -> dict[str, Any]:
        start = query.since or (dt.date.today() - dt.timedelta(days=30))
        return {"start": start.isoformat(), "end": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                "limit": 100}

    def transform_data(self, query: IpoQuery, raw: Any) -> list[IpoEvent]:
        out = []
        for c in table_cells("yfinance ipo calendar", frame_records(raw), A.IPO_CALENDAR, A.IPO_CALENDAR_REQUIRED):
            exchange = (c.text("exchange") or "").upper()
            if not exchange.startswith(C.NASDAQ_EXCHANGES):
                continue
            day = c.date("date")
            if query.since and (day is None or day < query.since):
                continue
            deal = (c.text("deal_type") or "").lower()
            price = c.num("price")
            priced = price is not None and deal not in ("expected", "filed", "withdrawn", "amended")
            try:
                key = parse_code_key((c.text("symbol") or "").upper())
            except ProviderError:
                continue  # units, warrants and rights (ABCDU, ABCDW) are not listing codes we track
            extra = {"deal_type": deal or None, "filing_date": _iso(c.raw("filing_date"))}
            lo, hi = c.num("price_from"), c.num("price_to")
            if lo is not None:
                extra["offer_price_low"] = lo
            if hi is not None:
                extra["offer_price_high"] = hi
            if not priced:
                extra["expected_listing_date"] = day.isoformat() if day else None
            currency = (c.text("currency") or "USD").upper()
            out.append(IpoEvent(code=key, listing_date=day if priced else None, name=c.text("name"),
                                offer_price=price if priced else None,
                                currency=currency if currency in ("USD", "HKD", "CNY") else "USD",
                                shares_offered=c.num("shares"), exchange="NASDAQ", board="Nasdaq", extra=extra))
        return out


def _iso(v: Any) -> str | None:
    try:
        d = to_date(v)
    except ProviderError:
        return None  # a filing date is a nicety: a bad one is dropped, not fatal
    return d.isoformat() if d else None
