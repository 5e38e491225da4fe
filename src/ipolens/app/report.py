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
from ..hk.tranche import allocate, infer_regime
from ..ledger.access import Store
from ..ledger.markets import MARKETS, markets_with
from ..ledger.queries import fx as fx_q, ledger as lq, profile as pq, stats as q
from ..ledger.store import EntityNotFound, Ledger
from .base import Result, UserError
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


def _num(section: dict, name: str) -> float | None:
    v = section.get(name)
    x = v.get("value") if isinstance(v, dict) else None
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and x == x else None


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


def _mechanics(prof: dict) -> dict[str, Any]:
    """The public tranche after reallocation under the listing's regime; ``available`` False with the reason when
    the listing is not on a market with HK mechanics or an input is missing."""
    if prof.get("market") not in markets_with("hk"):
        return {"available": False, "reason": None}
    deal = prof.get("deal", {})
    listing = {k: (_num(deal, k) if k.endswith("pct") else (deal.get(k) or {}).get("value"))
               for k in ("route", "listing_chapter", "listing_date", "initial_public_pct", "final_public_pct")}
    subs = _num(deal, "oversubscription_public")
    try:
        regime_id, reason = infer_regime(listing)
        if subs is None:
            raise ValueError("public subscription multiple not on file")
        res = allocate(regime_id, listing.get("initial_public_pct"), subs).to_dict()
    except (ValueError, KeyError, TypeError) as exc:
        return {"available": False, "reason": str(exc)}
    return {"available": True, "regime": res["regime"], "regime_name": res["regime_name"], "reason": reason,
            "subscription": subs, "initial_pct": res["initial_pct"], "final_pct": res["final_pct"],
            "stated_final_pct": listing.get("final_public_pct"), "source": res["source"],
            "unconfirmed": list(res.get("unconfirmed") or [])}


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
    return IpoReportData(lang=lang, file_name=_file_name(prof.get("code") or code), profile=prof, facts=facts,
                         peers=peers, mechanics=_mechanics(prof), source_ids=ids, sources=sources)


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
