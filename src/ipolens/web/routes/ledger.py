"""The ledger over HTTP: the IPO table, one IPO's profile and financials, facts, conflicts and sources.

The same use cases as ``ipolens ipo / ipos / facts / conflicts``, so the answers match the CLI's ``--json``; the
use case checks values (market, sort column, field), so a refusal reads the same as on the command line.
"""
from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request

from ...app import profile as core
from ..common import call

router = APIRouter()

ERRORS = {404: {"description": "Unknown code, name or field", "content": {"application/json": {"example": {
    "detail": "no company or listing matches 'NOPE.HK'"}}}},
    400: {"description": "A value the rules reject (an unknown market, a column that does not exist)"}}
CODE_PATH = Path(..., max_length=100, description="Code in any spelling (6082.HK, 06082, 688795) or a name",
                 examples=["6082.HK"])
CODE = Query(None, max_length=100, examples=["6082.HK"], description="Listing code in any spelling, or a name")


@router.get("/api/ipos", summary="IPO table", tags=["ipos"], responses=ERRORS)
async def list_ipos(request: Request,
                    market: str | None = Query(None, max_length=20, description="HK | STAR | SH | SZ | NASDAQ"),
                    year: int | None = Query(None, ge=1990, le=2100),
                    q: str | None = Query(None, max_length=100, description="Substring of code or name"),
                    sort: str | None = Query(None, max_length=80, description="Column, '-' prefix for descending",
                                             examples=["-first_day_return"]),
                    ipos_only: bool = False,
                    undated: bool = Query(False, description="List the listings without a listing date"),
                    limit: int = Query(1000, ge=1, le=5000), offset: int = Query(0, ge=0)) -> dict:
    """The rows, and ``left_out``: the listings the table leaves out, by reason, with their codes."""
    return await call(request, core.ipos, market=market, year=year, sort=sort, ipos_only=ipos_only, q=q,
                      limit=limit, offset=offset, undated=undated)


@router.get("/api/ipos/{code}", summary="One IPO's profile with sources", tags=["ipos"], responses=ERRORS)
async def get_ipo(request: Request, code: str = CODE_PATH) -> dict:
    return await call(request, core.ipo_profile, code)


@router.get("/api/ipos/{code}/financials", summary="Financial periods", tags=["ipos"], responses=ERRORS)
async def get_financials(request: Request, code: str = CODE_PATH) -> dict:
    return await call(request, core.financials, code)


@router.get("/api/facts", summary="Ledger facts with source, qualifier, date and quote", tags=["ledger"],
            responses=ERRORS)
async def facts(request: Request, code: str | None = CODE,
                field: str | None = Query(None, max_length=80, examples=["offer_price"]),
                limit: int = Query(2000, ge=1, le=50000)) -> dict:
    return await call(request, core.facts, code, field, limit=limit)


@router.get("/api/conflicts", summary="Values that disagree beyond their qualifiers", tags=["ledger"],
            responses=ERRORS)
async def conflicts(request: Request, code: str | None = CODE) -> dict:
    return await call(request, core.conflicts, code)


@router.get("/api/sources", summary="Source records", tags=["ledger"])
async def sources(request: Request) -> dict:
    return await call(request, core.sources)
