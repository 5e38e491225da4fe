"""Follow-on offerings over HTTP (issue 14): the same use cases as ``ipolens followon CODE`` and ``followon calc``.
Numbers are passed as text so the use case reads them as the decimals they were written as."""
from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Path, Query, Request

from ...app import followons as fl
from ..common import call

router = APIRouter(tags=["followons"])

ERRORS = {400: {"description": "A bad value (unknown type, bad ratio, negative price)"},
          404: {"description": "No listing or company matches"}}


def _num(description: str):
    return Query(None, max_length=40, description=description)


@router.get("/api/followons/{code}", summary="A listing's or company's follow-on offerings", responses=ERRORS)
async def get_followons(request: Request, code: str = Path(..., max_length=200, examples=["688256"],
                                                          description="Listing code or company name")) -> dict:
    """Recorded placings, rights issues, open offers, 配股 and 定增 with discounts, dilution and rule checks."""
    return await call(request, fl.followons, code)


@router.get("/api/followon/calc", summary="Figures and rule checks of a proposed follow-on", responses=ERRORS)
async def followon_calc(
        request: Request,
        type: str = Query(..., max_length=20, examples=["rights"],
                          description="rights | open_offer | placing | top_up | pei_gu | ding_zeng | us_follow_on"),
        price: str = Query(..., max_length=40, examples=["1.00"]),
        ratio: Optional[str] = Query(None, max_length=20, description="NEW:HELD (1:4); pei_gu HELD:NEW (10:3)"),
        last_close: Optional[str] = _num("Close on the agreement date (前收盘 for 配股)"),
        avg5: Optional[str] = _num("5-day average close (HK benchmark)"),
        avg20: Optional[str] = _num("定增 20-day average"),
        turnover20: Optional[str] = _num("定增 20-day turnover"), volume20: Optional[str] = _num("定增 20-day volume"),
        mandate: Optional[str] = Query(None, max_length=10), shares_before: Optional[str] = _num("Shares before"),
        new_shares: Optional[str] = _num("New shares"), funds: Optional[str] = _num("Gross funds"),
        holder: str = Query("other", max_length=12), regime: Optional[str] = Query(None, max_length=10),
        floor_price: Optional[str] = _num("定增 stated floor"),
        announced: Optional[str] = Query(None, max_length=10, description="YYYY-MM-DD"),
        prior: Optional[List[str]] = Query(None, max_length=200,
                                           description="DATE,TYPE,NEW_SHARES,DISCOUNT_PCT[,MANDATE] (repeatable)"),
) -> dict:
    return await call(request, fl.followon_calc, type=type, price=price, ratio=ratio, last_close=last_close,
                      avg5=avg5, avg20=avg20, turnover20=turnover20, volume20=volume20, mandate=mandate,
                      shares_before=shares_before, new_shares=new_shares, funds=funds, holder=holder, regime=regime,
                      floor_price=floor_price, announced=announced, prior=prior)
