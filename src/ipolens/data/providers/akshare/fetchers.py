"""AKShare fetchers: HK profile, HK and A-share daily history, A-share new issues (lottery), lock-up releases."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..base import Fetcher, parse_code_key, ProviderError, RateLimiter, Transport, apply_aliases, to_date, to_float
from ..models import DailyBar, IpoEvent, IpoQuery, LockupQuery, LockupRelease, PriceQuery
from . import aliases as A
from . import constants as C
from .transport import live_transport

__all__ = ["HkProfileFetcher", "HkHistoryFetcher", "AShareHistoryFetcher", "NewIssueFetcher", "LockupFetcher"]

_LIMITER = RateLimiter(C.MIN_INTERVAL_S)


class _AkshareFetcher(Fetcher):
    provider = C.PROVIDER
    host = C.HOST
    limiter = _LIMITER

    def live_transport(self) -> Transport:
        return live_transport()


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
    market: str = ""
    volume_scale: float = 1.0

    def transform_query(self, params: Mapping[str, Any]) -> PriceQuery:
        key = parse_code_key(str(params["code"]))
        if not key.startswith(self.market):
            raise ProviderError(f"{type(self).__name__} reads {self.market} listings, not {key}")
        adjust = params.get("adjust") or ""
        if adjust not in ("", "qfq", "hfq"):
            raise ProviderError(f"adjust must be '', 'qfq' or 'hfq', not {adjust!r}")
        return PriceQuery(key, to_date(params.get("start")), to_date(params.get("end")), adjust)

    def request(self, query: PriceQuery) -> dict[str, Any]:
        return {"symbol": query.code.split(":", 1)[1], "period": "daily",
                "start_date": _ymd(query.start, "19700101"), "end_date": _ymd(query.end, "20500101"),
                "adjust": query.adjust}

    def transform_data(self, query: PriceQuery, raw: Any) -> list[DailyBar]:
        columns, rows = _records(raw)
        if not rows:
            return []
        m = apply_aliases(columns, A.BARS, A.BARS_REQUIRED, where=self.function)
        out = []
        for r in rows:
            day = to_date(r[m["date"]])
            if day is None:
                continue
            vol = to_float(r.get(m.get("volume", ""), None), self.volume_scale)
            out.append(DailyBar(query.code, day, to_float(r[m["open"]]), to_float(r[m["high"]]),
                                to_float(r[m["low"]]), to_float(r[m["close"]]), vol,
                                to_float(r.get(m.get("turnover", ""), None)), adjusted=bool(query.adjust)))
        return out


class HkHistoryFetcher(_HistoryFetcher):
    """stock_hk_hist: HKEX daily bars; volume in shares, turnover in HKD."""

    function = C.HK_HIST
    market = "HK:"


class AShareHistoryFetcher(_HistoryFetcher):
    """stock_zh_a_hist: SSE/SZSE daily bars. AKShare reports volume in lots (手, 100 shares); we store shares."""

    function = C.A_HIST
    market = "S"  # SH: or SZ:
    volume_scale = 100.0


# -- HK profile ------------------------------------------------------------------------------------------------------
class HkProfileFetcher(_AkshareFetcher):
    """stock_hk_security_profile_em: listing date, offer price, board lot and shares issued of one HK listing."""

    model = IpoEvent
    function = C.HK_PROFILE
    doc_url = C.HK_PROFILE_DOC

    def transform_query(self, params: Mapping[str, Any]) -> IpoQuery:
        key = parse_code_key(str(params["code"]))
        if not key.startswith("HK:"):
            raise ProviderError(f"{self.function} reads HK listings, not {key}")
        return IpoQuery("HK", to_date(params.get("since")), (key,))

    def request(self, query: IpoQuery) -> dict[str, Any]:
        return {"symbol": query.codes[0].split(":", 1)[1]}

    def transform_data(self, query: IpoQuery, raw: Any) -> list[IpoEvent]:
        columns, rows = _records(raw)
        if not rows:
            return []
        m = apply_aliases(columns, A.HK_PROFILE, A.HK_PROFILE_REQUIRED, where=self.function)
        out = []
        for r in rows:
            listed = to_date(r[m["listing_date"]])
            if query.since and listed and listed < query.since:
                continue
            out.append(IpoEvent(
                code=parse_code_key(str(r[m["code"]])), listing_date=listed, name=_text(r, m, "name"),
                offer_price=to_float(r[m["offer_price"]]), currency="HKD", lot_size=to_float(r[m["lot_size"]]),
                shares_offered=to_float(r.get(m.get("shares_offered", ""), None)), exchange="HKEX",
                board=_text(r, m, "board"),
                extra={k: _text(r, m, k) for k in ("security_type", "isin") if k in m}))
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
        columns, rows = _records(raw)
        if not rows:
            return []
        m = apply_aliases(columns, A.NEW_ISSUES, A.NEW_ISSUES_REQUIRED, where=self.function)
        out = []
        for r in rows:
            listed = to_date(r[m["listing_date"]])
            subscribed = to_date(r.get(m.get("subscription_date", ""), None))
            when = listed or subscribed
            if query.since and (when is None or when < query.since):
                continue
            code = str(r[m["code"]]).strip().zfill(6)
            offer = to_float(r[m["offer_price"]])
            close = to_float(r.get(m.get("first_day_close", ""), None))
            extra = {"subscription_date": subscribed.isoformat() if subscribed else None}
            for k in ("issue_pe", "bid_multiple"):
                if k in m:
                    extra[k] = to_float(r[m[k]])
            out.append(IpoEvent(
                code=parse_code_key(code), listing_date=listed, name=_text(r, m, "name"), offer_price=offer,
                currency="CNY", shares_offered=to_float(r.get(m.get("shares_offered", ""), None)),
                lottery_rate=to_float(r[m["lottery_rate"]]), first_day_close=close,
                first_day_return=(close / offer - 1) * 100 if close and offer else None,
                exchange=_text(r, m, "exchange"), board=_text(r, m, "board"), extra=extra))
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
        if end < start:
            raise ProviderError(f"end {end} is before start {start}")
        return LockupQuery(start, end)

    def request(self, query: LockupQuery) -> dict[str, Any]:
        return {"start_date": _ymd(query.start, ""), "end_date": _ymd(query.end, "")}

    def transform_data(self, query: LockupQuery, raw: Any) -> list[LockupRelease]:
        columns, rows = _records(raw)
        if not rows:
            return []
        m = apply_aliases(columns, A.LOCKUPS, A.LOCKUPS_REQUIRED, where=self.function)
        out = []
        for r in rows:
            day = to_date(r[m["release_date"]])
            if day is None:
                continue
            out.append(LockupRelease(
                code=parse_code_key(str(r[m["code"]]).strip().zfill(6)), release_date=day, name=_text(r, m, "name"),
                shares=to_float(r[m["shares"]]), actual_shares=to_float(r.get(m.get("actual_shares", ""), None)),
                market_value=to_float(r.get(m.get("market_value", ""), None)),
                float_pct=to_float(r.get(m.get("float_pct", ""), None)), share_type=_text(r, m, "share_type")))
        return out


def _text(row: dict, m: dict[str, str], field: str) -> str | None:
    if field not in m:
        return None
    v = row.get(m[field])
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip()
    return s or None
