"""Pipeline over HTTP (issue 14): the same use cases as ``ipolens pipeline`` and ``ipolens deal``."""
from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request

from ...app import pipeline as app_pipeline
from ..common import call

router = APIRouter()

ERRORS = {404: {"description": "No deal matches the name, or it matches several",
                "content": {"application/json": {"example": {"detail": "no deal matches 'NOPE'"}}}},
          400: {"description": "An unknown market or stage, or a date that is not ISO"}}
ON = Query(None, max_length=10, description="Read the current stages on this ISO date (default today)",
           examples=["2026-12-01"])


@router.get("/api/pipeline", summary="Deals in the IPO pipeline", tags=["pipeline"], responses=ERRORS)
async def get_pipeline(request: Request,
                       market: str | None = Query(None, max_length=20, description="HK | STAR | NASDAQ ..."),
                       stage: str | None = Query(None, max_length=40, description="A stage code (s1_public, listed ..)"),
                       all: bool = Query(False, description="Also every listing in the ledger (stage listed)"),
                       on: str | None = ON) -> dict:
    """Each deal's current stage and date, next step, price range, raise and every valuation claim with its source
    and kind; the same JSON as ``ipolens pipeline --json``."""
    return await call(request, app_pipeline.pipeline, market, stage, all, on)


@router.get("/api/deal/{name}", summary="One pipeline deal", tags=["pipeline"], responses=ERRORS)
async def get_deal(request: Request,
                   name: str = Path(..., max_length=200, examples=["SpaceX", "SPCX", "6082.HK"],
                                    description="Deal name, ticker, deal key, company or listing code"),
                   on: str | None = ON) -> dict:
    """Every stage with its source and document, the next step and every valuation claim side by side; the same
    JSON as ``ipolens deal NAME --json``."""
    return await call(request, app_pipeline.deal, name, on)
