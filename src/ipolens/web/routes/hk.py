"""HK IPO mechanics over HTTP: the same use cases as ``ipolens hk ...`` and ``ipolens lockups``, same answers.

Values are checked by the use case (so a refusal reads the same as on the command line); queries only bound lengths.
"""
from __future__ import annotations

from fastapi import APIRouter, Query, Request

from ...app import hk
from ..common import call

router = APIRouter(tags=["hk"])

ERRORS = {400: {"description": "A value the rules refuse (a non-HK listing, a tranche outside the regime's range)"},
          404: {"description": "Unknown code or name"}}


# Factories, not shared objects: FastAPI binds a Query to the first parameter it is used for.
def _code():
    return Query(None, max_length=100, examples=["6082.HK"], description="Listing code in any spelling, or a name")


def _regime():
    return Query(None, max_length=40, description="Regime id: pn18, 2025a, 2025b, 18c, pn18-ld60-2 (default: inferred)")


def _text():
    return Query(None, max_length=2000)


@router.get("/api/hk/tranche", summary="Public tranche after reallocation for a listing or a what-if",
            responses=ERRORS)
async def hk_tranche(request: Request, code: str | None = _code(), regime: str | None = _regime(),
                     initial_pct: float | None = None, subscription: float | None = None,
                     offer_shares: int | None = None, ladder: str | None = _text(),
                     placing_cap: float | None = None) -> dict:
    return await call(request, hk.tranche, code=code, regime=regime, subscription=subscription,
                      initial_pct=initial_pct, offer_shares=offer_shares, ladder=ladder, placing_cap=placing_cap)


@router.get("/api/hk/odds", summary="Pool A/B ballot odds and the one-lot success rate", responses=ERRORS)
async def hk_odds(request: Request, code: str | None = _code(), subscription: float | None = None,
                  lot_size: int | None = None, price: float | None = None, regime: str | None = _regime(),
                  initial_pct: float | None = None, tranche_shares: int | None = None,
                  applicants: int | None = None, lots: int | None = None, brackets: str | None = _text(),
                  simulate: int | None = Query(None, description="Seed of one simulated ballot draw")) -> dict:
    return await call(request, hk.odds, code=code, subscription=subscription, lot_size=lot_size, price=price,
                      regime=regime, initial_pct=initial_pct, tranche_shares=tranche_shares,
                      applicants=applicants, lots=lots, brackets=brackets, simulate=simulate)


@router.get("/api/hk/subscribe", summary="Application amount, financing, expected allotment and first-day P&L",
            responses=ERRORS)
async def hk_subscribe(request: Request, code: str = Query(..., max_length=100, examples=["6082.HK"]),
                       lots: int = Query(..., description="Lots to apply for"), margin: float = 0.0,
                       rate: float = 0.035, days: int = 7, handling_fee: float | None = None,
                       lot_size: int | None = None, price: float | None = None, subscription: float | None = None,
                       regime: str | None = _regime(), sell_commission: float | None = None, seed: int = 0) -> dict:
    return await call(request, hk.subscribe, code=code, lots=lots, margin=margin, rate=rate, days=days,
                      handling_fee=handling_fee, lot_size=lot_size, price=price, subscription=subscription,
                      regime=regime, sell_commission=sell_commission, seed=seed)


@router.get("/api/hk/stabilise", summary="Stabilisation buy-backs and greenshoe exercise from a price path",
            responses=ERRORS)
async def hk_stabilise(request: Request,
                       path: str = Query(..., max_length=20000, description="Closes: '20.1,19.2,...'"),
                       code: str | None = _code(), offer_price: float | None = None, base_shares: int | None = None,
                       over_allotment: float | None = None,
                       deadline: str | None = Query(None, max_length=20, description="YYYY-MM-DD"),
                       daily_cap: int | None = None, buy_at_offer: bool = False) -> dict:
    return await call(request, hk.stabilise, path=path, code=code, offer_price=offer_price, base_shares=base_shares,
                      over_allotment=over_allotment, application_deadline=deadline, daily_cap=daily_cap,
                      buy_at_offer=buy_at_offer)


@router.get("/api/lockups", summary="Lock-up expiries on the listing exchange's trading calendar", responses=ERRORS)
async def lockups(request: Request, date_from: str | None = Query(None, alias="from", max_length=20),
                  date_to: str | None = Query(None, alias="to", max_length=20),
                  market: str = Query("HK", max_length=20),
                  stage_18c: str | None = Query(None, max_length=20)) -> dict:
    return await call(request, hk.lockups, date_from=date_from, date_to=date_to, market=market, stage_18c=stage_18c)


@router.get("/api/hk/calibrate", summary="Error of the one-lot odds model against the 2018-2022 HK IPOs",
            responses=ERRORS)
async def hk_calibrate(request: Request) -> dict:
    # Re-fitting takes minutes: the CLI's `hk calibrate --fit` only; the API reports the shipped parameters.
    return await call(request, hk.calibrate)
