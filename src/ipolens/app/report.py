"""Use cases: the data behind the HTML reports (``ipolens report CODE|market``, GET /report/{code}).

Everything a report shows is gathered and computed here: the profile, the peers through the comparison, the HK
mechanics, the statistics, the sources. ``ipolens.report`` only turns these results into HTML (it is a face, so
this module never imports it); ``ReportResult`` is what the faces get back from ``ipolens.report``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analytics import compare as cmp, stats as st
from ..analytics.fx import FxTable
from ..ledger.access import Store
from ..ledger.markets import MARKETS, markets_with
from ..ledger.queries import fx as fx_q, ledger as lq, profile as pq, stats as q
from ..ledger.store import EntityNotFound, Ledger
from .base import Result, UserError
from .hk import tranche_in
from .profile import ipos_from, market_of, profile_from
from .stats import compare_table

__all__ = ["LANGS", "IpoReportData", "MarketReportData", "ReportResult", "ipo_report_data", "market_report_data",
           "check_lang"]

LANGS = ("en", "zh")
MAX_PEERS = 12  # the listing itself plus its same-market, same-year neighbours
# The STAR and Nasdaq GPU names the 2026 articles set the HK AI listings against, when the ledger has them.
AI_WAVE_PEERS = ("688795", "688802", "HWEP")
AI_WAVE_FROM = 2025
MARKET_SOURCE_FIELDS = ("first_day_return", "oversubscription_public", "offer_price")
MAX_LISTED = 300  # rows of the market report's listing table
LISTING_COLUMNS = ("code", "name_en", "name_zh", "listing_date", "offer_price", "currency", "oversubscription_public",
                   "first_day_return", "route_group")


@dataclass
class ReportResult(Result):
    html: str
    file_name: str


@dataclass
class IpoReportData(Result):
    lang: str
    file_name: str
    profile: dict[str, Any]
    facts: pd.DataFrame  # the entity's ranked facts, for the news-claims section
    peers: pd.DataFrame  # the comparison table in HKD, the listing first
    mechanics: dict[str, Any]
    source_ids: list[str]
    sources: pd.DataFrame


@dataclass
class MarketReportData(Result):
    market: str
    year: int | None
    lang: str
    file_name: str
    summary: dict[str, Any]
    first_day_returns: list[float]
    band: dict[str, Any]
    by_year: dict[str, Any]
    by_route: dict[str, Any]
    nday: dict[str, Any]
    listings: pd.DataFrame
    source_ids: list[str] = field(default_factory=list)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UserError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def _file_name(text: str) -> str:
    return f"{text.replace('/', '_').replace(':', '_')}.html"


def _peer_codes(led: Ledger, prof: dict) -> list[str]:
    """The listing, then listings of the same market and year, then the AI-wave names for a recent HK listing."""
    listing_date = (prof.get("deal", {}).get("listing_date") or {}).get("value")
    mkt = prof.get("market")
    year = int(str(listing_date)[:4]) if listing_date else None
    peers: list[str] = [prof.get("code") or prof["entity"]]  # companies and indices have no listing code
    if year and mkt in MARKETS:
        for c in ipos_from(led, mkt, year)["code"].tolist():
            if c not in peers and len(peers) < MAX_PEERS:
                peers.append(c)
    if mkt in markets_with("hk") and year and year >= AI_WAVE_FROM:
        for c in AI_WAVE_PEERS:
            try:
                led.resolve_entity(c)
            except EntityNotFound:  # a peer that is not in this ledger is skipped
                continue
            peers.append(c)
    return peers


def _mechanics(led: Ledger, key: str, prof: dict) -> dict[str, Any]:
    """The public tranche after reallocation, from the same use case as ``ipolens hk tranche`` (so the brief agrees
    with the CLI and the API); ``available`` False with the reason when it does not apply or an input is missing."""
    if prof.get("market") not in markets_with("hk"):
        return {"available": False, "reason": None}
    try:
        res = tranche_in(led, key).to_dict()
    except (UserError, EntityNotFound) as exc:
        return {"available": False, "reason": exc.args[0] if exc.args else str(exc)}
    return {"available": True, "regime": res["regime"], "regime_name": res["regime_name"],
            "reason": res["regime_reason"], "subscription": res["subscription"], "initial_pct": res["initial_pct"],
            "final_pct": res["final_pct"], "stated_final_pct": res["stated_final_public_pct"],
            "source": res["source"], "unconfirmed": list(res.get("unconfirmed") or [])}


def ipo_report_data(store: Store, code: str, lang: str = "en") -> IpoReportData:
    """Everything the IPO brief shows, for the listing ``code`` names."""
    check_lang(lang)
    with store.read() as led:
        key = led.resolve_entity(code)
        prof = profile_from(led, key).to_dict()
        peers = compare_table(led, _peer_codes(led, prof), "HKD", FxTable(fx_q.fx_rates(led)))
        ids = list(dict.fromkeys([*(prof.get("sources") or {}), *cmp.source_ids(peers)]))
        facts = lq.fact_rows(led, key)
        sources = pq.sources_by_id(led, ids)
        mechanics = _mechanics(led, key, prof)
    return IpoReportData(lang=lang, file_name=_file_name(prof.get("code") or code), profile=prof, facts=facts,
                         peers=peers, mechanics=mechanics, source_ids=ids, sources=sources)


def market_report_data(store: Store, market: str = "HK", year: int | None = None,
                       lang: str = "en") -> MarketReportData:
    """Everything the market report shows: the first-day distribution, by year, band and route, N-day returns vs
    the HSI, the listings and their sources. IPOs only (introductions and secondary listings left out)."""
    check_lang(lang)
    mkt = market_of(market) or "HK"
    with store.read() as led:
        ipos = ipos_from(led, mkt, year)
        if ipos.empty:
            raise UserError(f"no listings for market {mkt!r}" + (f" in {year}" if year else ""))
        after = lq.aftermarket_rows(led, mkt)
        rows = st.ipo_rows(ipos)
        ids = q.source_ids_of_fields(led, rows["entity"].tolist(), list(MARKET_SOURCE_FIELDS))
        sources = pq.sources_by_id(led, ids)
    fdr = rows["first_day_return"].dropna()
    listed = rows.sort_values("listing_date", ascending=False).head(MAX_LISTED)
    return MarketReportData(market=mkt, year=year, lang=lang, file_name=_file_name(f"market-{mkt}-{year or 'all'}"),
                            summary=st.summarize(fdr), first_day_returns=[float(x) for x in fdr],
                            band=st.band_table(ipos), by_year=st.first_day_by(ipos, "year"),
                            by_route=st.first_day_by(ipos, "route"), nday=st.nday_for(ipos, after),
                            listings=listed[[c for c in LISTING_COLUMNS if c in listed]].reset_index(drop=True),
                            source_ids=ids, sources=sources)
