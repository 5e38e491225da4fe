"""AKShare fetchers: HK profile, HK and A-share daily history, A-share new issues (lottery), lock-up releases."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Mapping

from ..base import ProviderError, check_window, parse_code_key, require_param, to_date
from ..cells import Cells
from ..fetching import ProviderFetcher, table_cells
from ..models import DailyBar, IpoEvent, IpoQuery, LockupQuery, LockupRelease, PriceQuery
from . import aliases as A
from . import constants as C
from .transport import live_transport

__all__ = ["HkProfileFetcher", "HkHistoryFetcher", "AShareHistoryFetcher", "NewIssueFetcher", "HkNewIssueFetcher",
           "LockupFetcher"]


class _AkshareFetcher(ProviderFetcher, constants=C, live=live_transport):
    def _cells(self, raw: Any, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> Iterator[Cells]:
        """The rows of AKShare's frame, read through ``aliases`` (none for an empty frame)."""
        return table_cells(self.function, _records(raw), aliases, required)


def _records(raw: Any) -> tuple[list[str], list[dict]]:
    """A DataFrame (what AKShare returns) as column names and row dicts, without importing pandas here."""
    if hasattr(raw, "to_dict") and hasattr(raw, "columns"):
        return [str(c) for c in raw.columns], raw.to_dict("records")
    raise ProviderError(f"expected a DataFrame from AKShare, got {type(raw).__name__}")


def _ymd(d: dt.date | None, default: str) -> str:
    return d.strftime("%Y%m%d") if d else default


# -- daily history -----------------------------------------------------------------------------------------------------
class _HistoryFetcher(_AkshareFetcher):
    model = DailyBar
    doc_url = C.HIST_DOC
    markets: tuple[str, ...] = ()  # entity-key prefixes this vendor call serves
    volume_scale: float = 1.0

    def transform_query(self, params: Mapping[str, Any]) -> PriceQuery:
        key = parse_code_key(str(require_param(params, "code", self.function)))
        if not key.startswith(self.markets):
            served = " and ".join(m.rstrip(":") for m in self.markets)
            raise ProviderError(f"{self.function} reads {served} listings, not {key}")
        adjust = params.get("adjust") or ""
        if adjust not in ("", "qfq", "hfq"):
            raise ProviderError(f"adjust must be '', 'qfq' or 'hfq', not {adjust!r}")
        start, end = to_date(params.get("start")), to_date(params.get("end"))
        check_window(start, end)
        return PriceQuery(key, start, end, adjust)

    def request(self, query: PriceQuery) -> dict[str, Any]:
        return {"symbol": query.code.split(":", 1)[1], "period": "daily",
                "start_date": _ymd(query.start, "19700101"), "end_date": _ymd(query.end, "20500101"),
                "adjust": query.adjust}

    def transform_data(self, query: PriceQuery, raw: Any) -> list[DailyBar]:
        out = []
        for c in self._cells(raw, A.BARS, A.BARS_REQUIRED):
            day = c.date("date")
            if day is None:
                continue
            out.append(DailyBar(query.code, day, c.num("open"), c.num("high"), c.num("low"), c.num("close"),
                                c.num("volume", self.volume_scale), c.num("turnover"), adjusted=bool(query.adjust)))
        return out


class HkHistoryFetcher(_HistoryFetcher):
    """stock_hk_hist: HKEX daily bars; volume in shares, turnover in HKD."""

    function = C.HK_HIST
    markets = ("HK:",)


class AShareHistoryFetcher(_HistoryFetcher):
    """stock_zh_a_hist: SSE/SZSE daily bars. AKShare reports volume in lots (手, 100 shares); we store shares."""

    function = C.A_HIST
    markets = ("SH:", "SZ:")
    volume_scale = 100.0


# -- HK profile ------------------------------------------------------------------------------------------------------
class HkProfileFetcher(_AkshareFetcher):
    """stock_hk_security_profile_em: listing date, offer price, board lot and shares issued of one HK listing."""

    model = IpoEvent
    function = C.HK_PROFILE
    doc_url = C.HK_PROFILE_DOC

    def transform_query(self, params: Mapping[str, Any]) -> IpoQuery:
        key = parse_code_key(str(require_param(params, "code", self.function)))
        if not key.startswith("HK:"):
            raise ProviderError(f"{self.function} reads HK listings, not {key}")
        return IpoQuery("HK", to_date(params.get("since")), (key,))

    def request(self, query: IpoQuery) -> dict[str, Any]:
        return {"symbol": query.codes[0].split(":", 1)[1]}

    def transform_data(self, query: IpoQuery, raw: Any) -> list[IpoEvent]:
        out = []
        for c in self._cells(raw, A.HK_PROFILE, A.HK_PROFILE_REQUIRED):
            listed = c.date("listing_date")
            if query.since and listed and listed < query.since:
                continue
            out.append(IpoEvent(
                code=c.code("code"), listing_date=listed, name=c.text("name"), offer_price=c.num("offer_price"),
                currency="HKD", lot_size=c.num("lot_size"), shares_offered=c.num("shares_offered"), exchange="HKEX",
                board=c.text("board"), extra={k: c.text(k) for k in ("security_type", "isin") if c.has(k)}))
        return out


# -- A-share new issues ------------------------------------------------------------------------------------------------
class NewIssueFetcher(_AkshareFetcher):
    """stock_xgsglb_em: SSE/SZSE new issues with offer price, listing date, online lottery rate (percent)."""

    model = IpoEvent
    function = C.NEW_ISSUES
    doc_url = C.NEW_ISSUES_DOC

    def transform_query(self, params: Mapping[str, Any]) -> IpoQuery:
        market = str(params.get("market", "STAR")).upper()
        if market not in C.BOARDS:
            raise ProviderError(f"unknown A-share board {market!r}; expected one of {', '.join(C.BOARDS)}")
        return IpoQuery(market, to_date(params.get("since")))

    def request(self, query: IpoQuery) -> dict[str, Any]:
        return {"symbol": C.BOARDS[query.market]}

    def transform_data(self, query: IpoQuery, raw: Any) -> list[IpoEvent]:
        out = []
        for c in self._cells(raw, A.NEW_ISSUES, A.NEW_ISSUES_REQUIRED):
            listed = c.date("listing_date")
            subscribed = c.date("subscription_date")
            when = listed or subscribed
            if query.since and (when is None or when < query.since):
                continue
            offer = c.num("offer_price")
            close = c.num("first_day_close")
            extra = {"subscription_date": subscribed.isoformat() if subscribed else None}
            for k in ("issue_pe", "bid_multiple"):
                if c.has(k):
                    extra[k] = c.num(k)
            out.append(IpoEvent(
                code=c.code("code", width=6), listing_date=listed, name=c.text("name"), offer_price=offer,
                currency="CNY", shares_offered=c.num("shares_offered"), lottery_rate=c.num("lottery_rate"),
                first_day_close=close, first_day_return=(close / offer - 1) * 100 if close and offer else None,
                exchange=c.text("exchange"), board=c.text("board"), extra=extra))
        return out


class HkNewIssueFetcher(_AkshareFetcher):
    """stock_ipo_hk_ths: the HK new-listing list (code, name, offer price, listing date, one-lot lottery rate).

    It is the list that says which HK listings are new; their board lots and share counts come from each
    listing's profile (:class:`HkProfileFetcher`), which ``fetch ipos --market HK`` reads next."""

    model = IpoEvent
    function = C.HK_NEW_ISSUES
    doc_url = C.HK_NEW_ISSUES_DOC

    def transform_query(self, params: Mapping[str, Any]) -> IpoQuery:
        return IpoQuery("HK", to_date(params.get("since")))

    def request(self, query: IpoQuery) -> dict[str, Any]:
        return {}

    def transform_data(self, query: IpoQuery, raw: Any) -> list[IpoEvent]:
        out = []
        for c in self._cells(raw, A.HK_NEW_ISSUES, A.HK_NEW_ISSUES_REQUIRED):
            listed = c.date("listing_date")
            if listed is None or (query.since and listed < query.since):
                continue  # not listed yet (still subscribing), or before the window
            subscribed = c.date("subscription_date") if c.has("subscription_date") else None
            out.append(IpoEvent(
                code=c.code("code", width=5), listing_date=listed, name=c.text("name"),
                offer_price=c.num("offer_price"), currency="HKD",
                shares_offered=c.num("shares_offered", 1e4) if c.has("shares_offered") else None,
                lottery_rate=c.num("lottery_rate") if c.has("lottery_rate") else None, exchange="HKEX",
                extra={"subscription_date": subscribed.isoformat() if subscribed else None}))
        return out


# -- lock-up releases -------------------------------------------------------------------------------------------------
class LockupFetcher(_AkshareFetcher):
    """stock_restricted_release_detail_em: every A-share lock-up expiry in a date window (shares already x10,000)."""

    model = LockupRelease
    function = C.LOCKUPS
    doc_url = C.LOCKUPS_DOC

    def transform_query(self, params: Mapping[str, Any]) -> LockupQuery:
        start, end = to_date(params.get("start")), to_date(params.get("end"))
        if start is None or end is None:
            raise ProviderError("lock-up releases need a start and an end date")
        check_window(start, end)
        return LockupQuery(start, end)

    def request(self, query: LockupQuery) -> dict[str, Any]:
        return {"start_date": _ymd(query.start, ""), "end_date": _ymd(query.end, "")}

    def transform_data(self, query: LockupQuery, raw: Any) -> list[LockupRelease]:
        out = []
        for c in self._cells(raw, A.LOCKUPS, A.LOCKUPS_REQUIRED):
            day = c.date("release_date")
            if day is None:
                continue
            out.append(LockupRelease(
                code=c.code("code", width=6), release_date=day, name=c.text("name"), shares=c.num("shares"),
                actual_shares=c.num("actual_shares"), market_value=c.num("market_value"),
                float_pct=c.num("float_pct"), share_type=c.text("share_type")))
        return out
