"""The dashboard's search box over HTTP: the listings a text names (any code spelling, an alias, Traditional Chinese)
or contains; the same resolver as ``ipolens ipo``, so the box finds what the CLI finds."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request

from ...app import search as app_search
from ..common import call

router = APIRouter()

ERRORS = {400: {"description": "An empty search, an unknown market or a bad limit"}}


@router.get("/api/search", summary="Listings a code or name names or contains", tags=["ipos"], responses=ERRORS)
async def search(request: Request,
                 q: str = Query(..., max_length=app_search.MAX_QUERY, examples=["摩爾線程"],
                                description="Code in any spelling (6082 HK, 688795.SS), a name or alias"),
                 market: str | None = Query(None, max_length=20, description="HK | STAR | SH | SZ | NASDAQ"),
                 year: int | None = Query(None, ge=1990, le=2100), ipos_only: bool = False,
                 limit: int = Query(200, ge=1, le=5000)) -> dict:
    """``rows`` (the IPO table's columns and ``matched_by``), ``resolved`` keys, ``left_out`` and a ``note`` when
    the filters hide what the text names."""
    return await call(request, app_search.search, q, market=market, year=year, ipos_only=ipos_only, limit=limit)
