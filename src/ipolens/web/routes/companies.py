"""Companies over HTTP: one company's listings and the A/H discount, the same use case as ``ipolens company``."""
from __future__ import annotations

from fastapi import APIRouter, Path, Request

from ...app import companies as co
from ..common import call

router = APIRouter()

ERRORS = {400: {"description": "A name that is blank once trimmed (spaces or line breaks only)",
                "content": {"application/json": {"example": {"detail": "give a company name or a listing code"}}}},
          404: {"description": "No company or listing matches, or the name matches several companies",
                "content": {"application/json": {"example": {"detail": "no company or listing matches 'NOPE'"}}}}}


@router.get("/api/company/{name}", summary="A company's listings", tags=["companies"], responses=ERRORS)
async def get_company(request: Request, name: str = Path(..., max_length=200, examples=["IWS GROUP", "06663"],
                                                         description="Company name or key, or a listing code")) -> dict:
    """The company's listings (share class, role, where each link comes from), listings a source names that the
    ledger lacks, and the H-share discount to the A share on the H listing date with its inputs and FX rate."""
    return await call(request, co.company, name)
