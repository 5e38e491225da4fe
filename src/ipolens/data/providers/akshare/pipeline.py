"""AKShare pipeline fetchers (issue 14): the A-share review queue and the new-share subscription calendar.

* ``stock_register_kcb`` / ``stock_register_cyb`` / ``stock_register_all_em`` (Eastmoney IPO审核信息): each
  applicant's acceptance date (受理日期) and latest state (最新状态) on its update date (更新日期). Only these two
  dates are published: the stages in between are not dated here, and never invented.
* ``stock_ipo_review_em`` (新股上会信息): the listing committee's decision on its meeting date, and the listing date.
* ``stock_xgsglb_em`` (新股申购与中签查询): the subscription calendar with 申购代码, 申购上限, 顶格申购需配市值,
  发行价格, 中签号公布日, 上市日期, 发行/行业市盈率 and 中签率.
The state tables are ``pipeline_stages.yaml`` (with their sources).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Iterable, Mapping

from ....ledger.codes import parse_code
from ..base import ProviderError, to_date
from ..pipeline_models import BoardQuery, CalendarEntry, StageEvent
from . import aliases as A
from . import constants as C
from .fetchers import _AkshareFetcher

__all__ = ["RegisterFetcher", "ReviewFetcher", "NewShareCalendarFetcher", "calendar_events", "states"]

REGISTER = {"STAR": "stock_register_kcb", "CHINEXT": "stock_register_cyb", "ALL": "stock_register_all_em"}
REGISTER_DOC = "https://data.eastmoney.com/xg/ipo/"
REVIEW = "stock_ipo_review_em"
REVIEW_DOC = "https://data.eastmoney.com/xg/gh/default.html"
CALENDAR = C.NEW_ISSUES  # the new-issue list's call (stock_xgsglb_em), read for its calendar columns
CALENDAR_DOC = C.NEW_ISSUES_DOC
# stock_xgsglb_em's symbol for our market names, in the order the calendar lists them
CALENDAR_BOARDS = {m: C.BOARDS[m] for m in ("STAR", "CHINEXT", "SH", "SZ", "ALL")}
# 顶格申购需配市值 is in 万元 (10,000 CNY). Cross-check: SSE and SZSE allot one subscription unit (500 shares) per
# 5,000 CNY of market value held, so the value needed for the cap is cap x 10 CNY (5,500 shares -> 5.5万).
WAN = 1e4

# alias tables: our field -> the vendor's headers (AKShare 1.19.5 names first, older releases' names after)
REGISTER_COLUMNS = {
    "name": ("企业名称", "发行人全称"),
    "state": ("最新状态", "审核状态"),
    "updated": ("更新日期",),
    "accepted": ("受理日期",),
    "board": ("拟上市地点",),
    "sponsor": ("保荐机构",),
    "prospectus": ("招股说明书",),
}
REGISTER_REQUIRED = ("name", "state", "updated", "accepted")
REVIEW_COLUMNS = {
    "name": ("企业名称",),
    "short_name": ("股票简称",),
    "code": ("股票代码",),
    "board": ("上市板块",),
    "meeting": ("上会日期",),
    "state": ("审核状态",),
    "listed": ("上市日期",),
    "raise": ("拟融资额(元)", "拟融资额（元）"),
}
REVIEW_REQUIRED = ("name", "board", "meeting", "state")
CALENDAR_COLUMNS = A.NEW_ISSUES  # one alias table for the one vendor table
CALENDAR_REQUIRED = ("code", "subscription_date")


@functools.lru_cache(maxsize=1)
def states() -> dict:
    import yaml

    return yaml.safe_load(Path(__file__).with_name("pipeline_stages.yaml").read_text(encoding="utf-8"))


def _board(cell: str | None) -> str | None:
    text = str(cell or "")
    return next((m for key, m in states()["boards"] if key in text), None)


def _market_param(params: Mapping[str, Any], allowed: Iterable[str], default: str) -> str:
    market = str(params.get("market") or default).strip().upper()
    if market not in allowed:
        raise ProviderError(f"unknown A-share board {market!r}; expected one of {', '.join(allowed)}")
    return market


class _PipelineFetcher(_AkshareFetcher):
    def subject(self, query: BoardQuery) -> str:
        return query.market

    def _take_notes(self, notes: list[str]) -> None:
        self.notes = notes


class RegisterFetcher(_PipelineFetcher):
    """stock_register_kcb / _cyb / _all_em: acceptance (受理) and the latest review state of every applicant."""

    model = StageEvent
    function = REGISTER["STAR"]  # the conformance fixture's call; transform_query picks the board's
    doc_url = REGISTER_DOC

    def transform_query(self, params: Mapping[str, Any]) -> BoardQuery:
        return BoardQuery(_market_param(params, REGISTER, "STAR"), to_date(params.get("since")))

    def request(self, query: BoardQuery) -> dict[str, Any]:
        return {}

    def extract_data(self, query: BoardQuery) -> Any:
        self.function = REGISTER[query.market]  # one vendor function per board, no arguments
        return super().extract_data(query)

    def transform_data(self, query: BoardQuery, raw: Any) -> list[StageEvent]:
        table, out, notes = states()["register_states"], [], []
        for c in self._cells(raw, REGISTER_COLUMNS, REGISTER_REQUIRED):
            name, state = c.text("name"), c.text("state")
            market = _board(c.text("board")) if c.has("board") else (query.market if query.market != "ALL" else None)
            if not name or not state:
                continue
            if market is None:
                notes.append(f"{self.function}: row {c.index} ({name}): board {c.text('board')!r} is not one "
                             "ipolens covers; left out")
                continue
            stage = table.get(state)
            if stage is None:
                notes.append(f"{self.function}: row {c.index} ({name}): unknown state {state!r} (add it to "
                             "pipeline_stages.yaml with its meaning); left out")
                continue
            accepted, updated = c.date("accepted"), c.date("updated")
            ref = c.text("prospectus")
            if query.since and (updated or accepted) and (updated or accepted) < query.since:
                continue
            if accepted:
                out.append(StageEvent(name, market, "accepted", accepted, None, ref,
                                      f"受理日期 {accepted.isoformat()} (Eastmoney IPO审核信息)"))
            if stage != "accepted" and updated:
                out.append(StageEvent(name, market, stage, updated, None, ref,
                                      f"最新状态 {state}, 更新日期 {updated.isoformat()}"))
        self._take_notes(notes)
        return out


class ReviewFetcher(_PipelineFetcher):
    """stock_ipo_review_em: the listing committee's decision on its meeting date (上会日期) and the listing date."""

    model = StageEvent
    function = REVIEW
    doc_url = REVIEW_DOC

    def transform_query(self, params: Mapping[str, Any]) -> BoardQuery:
        return BoardQuery(_market_param(params, ("STAR", "CHINEXT", "SH", "SZ", "ALL"), "ALL"),
                          to_date(params.get("since")))

    def request(self, query: BoardQuery) -> dict[str, Any]:
        return {}

    def transform_data(self, query: BoardQuery, raw: Any) -> list[StageEvent]:
        table, out, notes = states()["review_states"], [], []
        for c in self._cells(raw, REVIEW_COLUMNS, REVIEW_REQUIRED):
            name, state, market = c.text("name"), c.text("state"), _board(c.text("board"))
            if not name or not state or market is None or (query.market != "ALL" and market != query.market):
                continue
            stage = table.get(state)
            if stage is None:
                notes.append(f"{self.function}: row {c.index} ({name}): unknown state {state!r}; left out")
                continue
            meeting = c.date("meeting")
            if meeting is None or (query.since and meeting < query.since):
                continue
            code = c.code("code", width=6) if c.has("code") and c.text("code") else None
            out.append(StageEvent(name, market, stage, meeting, code, None, f"上会日期 {meeting.isoformat()}: {state}",
                                  {"short_name": c.text("short_name"), "planned_raise_cny": c.num("raise")}))
            listed = c.date("listed") if c.has("listed") else None
            if listed and code:
                out.append(StageEvent(name, market, "listed", listed, code, None, f"上市日期 {listed.isoformat()}"))
        self._take_notes(notes)
        return out


class NewShareCalendarFetcher(_PipelineFetcher):
    """stock_xgsglb_em: each A-share new issue's subscription day, results and payment days, listing day,
    subscription code and cap, market value needed for the cap (万元 -> CNY), issue and industry P/E, lottery
    rate (percent)."""

    model = CalendarEntry
    function = CALENDAR
    doc_url = CALENDAR_DOC

    def transform_query(self, params: Mapping[str, Any]) -> BoardQuery:
        return BoardQuery(_market_param(params, CALENDAR_BOARDS, "ALL"), to_date(params.get("since")))

    def request(self, query: BoardQuery) -> dict[str, Any]:
        return {"symbol": CALENDAR_BOARDS[query.market]}

    def transform_data(self, query: BoardQuery, raw: Any) -> list[CalendarEntry]:
        out = []
        for c in self._cells(raw, CALENDAR_COLUMNS, CALENDAR_REQUIRED):
            subscribed = c.date("subscription_date")
            if subscribed is None or (query.since and subscribed < query.since):
                continue
            market = _board(c.text("board")) if c.has("board") else None
            market = market or (query.market if query.market != "ALL" else None)
            if market is None or (query.market != "ALL" and market != query.market):
                continue
            min_value = c.num("min_market_value")
            sub_code = c.text("subscription_code")
            out.append(CalendarEntry(
                code=c.code("code", width=6), name=c.text("name"), market=market, subscription_date=subscribed,
                allotment_results_date=c.date("results_date"), payment_date=c.date("payment_date"),
                listing_date=c.date("listing_date"),
                subscription_code=sub_code.split(".")[0].zfill(6) if sub_code else None,
                subscription_limit_shares=c.num("limit_shares"),
                subscription_min_market_value=None if min_value is None else min_value * WAN,
                offer_price=c.num("offer_price"), shares_offered=c.num("shares_offered"),
                issue_pe=c.num("issue_pe"), industry_pe=c.num("industry_pe"), lottery_rate=c.num("lottery_rate")))
        return out


def calendar_events(entries: Iterable[CalendarEntry]) -> list[StageEvent]:
    """The calendar's dated stages: subscription (申购日) and, once listed, listing."""
    out = []
    for e in entries:
        display = parse_code(e.code).display
        name = e.name or display
        if e.subscription_date:
            out.append(StageEvent(name, e.market, "subscription", e.subscription_date, display, None,
                                  f"申购日期 {e.subscription_date.isoformat()}, 申购代码 {e.subscription_code or '-'}"))
        if e.listing_date:
            out.append(StageEvent(name, e.market, "listed", e.listing_date, display, None,
                                  f"上市日期 {e.listing_date.isoformat()}"))
    return out
