"""``fetch pipeline``, ``fetch filings``, ``fetch allotment``: the pipeline's live providers (issue 14), added to the
``fetch`` group of ``cli/live.py`` with its exits: 1 a provider error (in a batch: any item failed, the others are
stored), 2 a bad option or a missing extra, 3 no network."""
from __future__ import annotations

from typing import List, Optional

import typer

from ._common import handle_errors
from .live import OFFLINE, _fetch as live_fetch, fetch_app

__all__ = ["register"]


def _fetch(fn: str, *args, **kwargs) -> None:
    live_fetch(fn, *args, use_case="fetch_pipeline", **kwargs)


@handle_errors
def fetch_pipeline_cmd(market: str = typer.Option(..., "--market", "-m", help="HK | STAR | CHINEXT"),
                       since: Optional[str] = typer.Option(None, "--since", help="Only stages on or after this date."),
                       offline: bool = OFFLINE) -> None:
    """Pipeline stages: HK from the HKEXnews Application Proof / PHIP index; STAR and ChiNext from the review queue,
    the listing committee's decisions and the new-share calendar (Eastmoney via AKShare)."""
    _fetch("fetch_pipeline", market, since, offline=offline)


@handle_errors
def fetch_filings_cmd(companies: List[str] = typer.Argument(..., help="Tickers or CIKs of US registrants."),
                      market: Optional[str] = typer.Option(None, "--market", "-m", help="NASDAQ | NYSE (default: "
                                                           "the exchange's certification on EDGAR)."),
                      deal: Optional[str] = typer.Option(None, "--deal", help="The deal's name (default: the "
                                                         "registrant's)."),
                      terms: bool = typer.Option(True, "--terms/--no-terms", help="Also read the price range and "
                                                 "the final prospectus's terms."),
                      offline: bool = OFFLINE) -> None:
    """US stages from EDGAR (DRS, S-1/F-1, amendments, EFFECT, 424B4, RW) and offer terms (edgartools; needs
    pip install edgartools and EDGAR_IDENTITY='Name email')."""
    _fetch("fetch_filings", companies, market, deal, terms=terms, offline=offline)


@handle_errors
def fetch_allotment_cmd(ref: str = typer.Argument(..., help="HKEXnews URL or saved file of an allotment results "
                                                  "announcement."),
                        deal: Optional[str] = typer.Option(None, "--deal", help="The deal's name."),
                        code: Optional[str] = typer.Option(None, "--code", help="The listing code, if the "
                                                           "announcement does not print it."),
                        offline: bool = OFFLINE) -> None:
    """Final offer price, valid applications, subscription level, board lot and one-lot success rate."""
    _fetch("fetch_allotment", ref, deal, code, offline=offline)


def register(app: typer.Typer) -> None:
    fetch_app.command("pipeline")(fetch_pipeline_cmd)
    fetch_app.command("filings")(fetch_filings_cmd)
    fetch_app.command("allotment")(fetch_allotment_cmd)
