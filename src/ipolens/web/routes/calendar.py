"""The IPO calendar over HTTP: the same use case as ``ipolens calendar`` (application windows, subscription,
pricing, allotment and listing days, each checked against its exchange's trading calendar)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from ...app import calendar as cal
from ..common import call

router = APIRouter()

ERRORS = {400: {"description": "A date that is not ISO (YYYY-MM-DD), to before from, or an unknown market",
                "content": {"application/json": {"example": {"detail": "the to date 2026-01-01 is before the from date 2026-01-31"}}}}}


@router.get("/api/calendar", summary="IPO calendar", tags=["calendar"], responses=ERRORS)
async def get_calendar(request: Request,
                       date_from: Optional[str] = Query(None, alias="from", max_length=10, examples=["2026-01-01"],
                                                        description="First day (default today)"),
                       date_to: Optional[str] = Query(None, alias="to", max_length=10, examples=["2026-01-31"],
                                                      description="Last day (default 30 days after from)"),
                       market: Optional[str] = Query(None, max_length=20, examples=["HK"],
                                                     description="Only this market (HK, STAR, NASDAQ ...)")) -> dict:
    """Events in the window by date: `event` (application_open, subscription, application_close, pricing, allotment,
    payment, listing; launch from pipeline stages), the deal, its code and market, `trading_day` (false: not a
    session of `calendar`, with the next session in `calendar_note`; null: the calendar cannot say), the source.
    A-share rows add 申购代码, 申购上限, 顶格申购需配市值, 发行/行业市盈率 and 中签率 as value objects (null when not on
    file)."""
    return await call(request, cal.calendar, date_from, date_to, market)
