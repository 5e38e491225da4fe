"""Statistics, the cross-market comparison and the HTML brief over HTTP.

The same use cases as ``ipolens stats / compare / report``; the use case checks every value (grouping, market,
years, currency, the number of codes, language), so a refusal reads the same as on the command line.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, StringConstraints

from ...app import stats as app_stats
from ...report import ipo_report
from ..common import call

router = APIRouter()

ERRORS = {404: {"description": "Unknown code or name", "content": {"application/json": {"example": {
    "detail": "no company or listing matches 'NOPE.HK'"}}}},
    400: {"description": "A value the rules reject (an unknown grouping, market or currency; too many codes)"}}
CODE_PATH = Path(..., max_length=100, description="Code in any spelling (6082.HK, 06082, 688795) or a name",
                 examples=["6082.HK"])
Code = Annotated[str, StringConstraints(max_length=100)]


class CompareRequest(BaseModel):
    codes: list[Code] = Field(..., min_length=1, max_length=app_stats.MAX_CODES,
                              examples=[["6082.HK", "2513.HK"]])
    currency: str = Field("HKD", max_length=10, examples=["HKD"])


@router.get("/api/stats", summary="First-day return statistics by group, or N-day returns vs the HSI",
            tags=["stats"], responses=ERRORS)
async def stats(request: Request,
                by: str = Query("band", max_length=20, description=" | ".join(app_stats.BY_CHOICES)),
                market: str | None = Query(None, max_length=20, description="HK | STAR | SH | SZ | NASDAQ"),
                year: int | None = Query(None, description="Listing year"),
                years: str | None = Query(None, max_length=20, description="Range of listing years",
                                          examples=["2018-2022"]),
                ipos_only: bool = True) -> dict:
    return await call(request, app_stats.stats, by, market=market, year=year, ipos_only=ipos_only, years=years)


@router.get("/api/compare", summary="Cross-market comparison in one currency", tags=["stats"], responses=ERRORS)
async def compare_get(request: Request,
                      codes: str = Query(..., max_length=400, examples=["6082.HK,688795,HWEP"],
                                         description="Comma-separated codes or names"),
                      currency: str = Query("HKD", max_length=10, description="HKD | CNY | USD")) -> dict:
    return await call(request, app_stats.compare, codes.split(","), currency=currency)


@router.post("/api/compare/batch", summary="Cross-market comparison (JSON body)", tags=["stats"], responses=ERRORS)
async def compare_post(request: Request, body: CompareRequest) -> dict:
    return await call(request, app_stats.compare, body.codes, currency=body.currency)


@router.get("/report/{code}", summary="Self-contained HTML brief", tags=["reports"], response_class=HTMLResponse,
            responses=ERRORS)
async def report(request: Request, code: str = CODE_PATH,
                 lang: str = Query("en", max_length=16, description="en | zh-Hans | zh-Hant (zh = zh-Hans)")) -> HTMLResponse:
    res = await call(request, ipo_report, code, lang=lang)
    return HTMLResponse(res["html"])
