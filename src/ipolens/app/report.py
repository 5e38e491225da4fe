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
from ..analytics.fx import FxMissing, FxTable, find_rate
from ..i18n import LANGS, current_lang, parse_lang
from ..ledger.access import Store
from ..ledger.markets import MARKETS, markets_with
from ..ledger.queries import fx as fx_q, ledger as lq, profile as pq, stats as q
from ..ledger.store import EntityNotFound, Ledger
from .base import Result, UserError
from .hk import tranche_in
from .profile import conflicts_from, ipos_from, market_of, profile_from
from .stats import CURRENCIES, compare_table

__all__ = ["LANGS", "IpoReportData", "MarketReportData", "ReportResult", "ipo_report_data", "market_report_data",
           "check_lang"]

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
    facts: pd.DataFrame  # the entity's ranked facts
    claims: list[dict[str, Any]]  # each news claim against the resolved value, with its verdict (see _claims)
    peers: pd.DataFrame  # the comparison table in ``peer_currency``, the listing first
    peer_currency: str
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


def check_lang(lang: str | None) -> str:
    """The report language: en, zh-Hans or zh-Hant (``zh`` and locale spellings accepted); None: the current one."""
    if lang is None:
        return current_lang()
    try:
        return parse_lang(lang)
    except ValueError as exc:
        raise UserError(str(exc)) from None


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


def _listing_currency(prof: dict) -> str:
    """The currency the listing trades in (its offer price's), so its peers are shown in the reader's currency;
    HKD when the ledger states none."""
    for sec in ("deal", "first_day"):
        for f in ("offer_price", "close_price", "open_price"):
            ccy = ((prof.get(sec) or {}).get(f) or {}).get("currency")
            if ccy in CURRENCIES:
                return ccy
    return "HKD"


def _claims(facts: pd.DataFrame, conflicts: pd.DataFrame, fx: FxTable) -> list[dict[str, Any]]:
    """Each news claim against the resolved value of its field and date. The verdict is the ledger's own comparison,
    the one ``ipolens conflicts`` lists (qualifier intervals; two currencies through the dated FX table):
    ``differs`` when the pair is a listed conflict; ``agrees`` (same currency) or ``agrees_at_rate`` (two
    currencies, with the rate shown) when it is not; ``no_rate`` when no dated rate exists to compare two currencies;
    ``not_checked`` when the ledger does not compare them (forecasts, derived values in another currency)."""
    if facts.empty or "source_kind" not in facts:
        return []
    pairs = {frozenset((int(a), int(b))) for a, b in zip(conflicts.get("id_a", []), conflicts.get("id_b", []))}
    resolved = facts[facts["is_resolved"]].drop_duplicates(["field", "date_key"]).set_index(["field", "date_key"])
    out = []
    for r in facts[(facts["source_kind"] == "news") & facts["value"].notna()].to_dict("records"):
        key = (r["field"], r["date_key"])
        ref = resolved.loc[key].to_dict() if key in resolved.index else None
        item = {k: r.get(k) for k in ("id", "field", "value", "unit", "currency", "qualifier", "source_id", "quote")}
        item.update(ref=None, verdict="not_checked", fx=None)
        if ref is None or pd.isna(ref.get("value")) or int(ref["id"]) == int(r["id"]):
            out.append(item)
            continue
        item["ref"] = {k: ref.get(k) for k in ("id", "value", "unit", "currency", "qualifier", "source_id")}
        if frozenset((int(r["id"]), int(ref["id"]))) in pairs:
            item["verdict"] = "differs"
        elif "forecast" in (r.get("claim_type"), ref.get("claim_type")):
            item["verdict"] = "not_checked"
        elif _same_currency(r, ref):
            item["verdict"] = "agrees"
        elif ref.get("source_kind") == "derived":
            item["verdict"] = "not_checked"  # the cross-currency check leaves derived values out
        else:
            item["verdict"], item["fx"] = _rate_check(r, ref, fx)
        out.append(item)
    return out


def _same_currency(a: dict, b: dict) -> bool:
    ca, cb = a.get("currency"), b.get("currency")
    return (ca if isinstance(ca, str) else None) == (cb if isinstance(cb, str) else None)


def _rate_check(claim: dict, ref: dict, fx: FxTable) -> tuple[str, dict | None]:
    """The rate a cross-currency pair that is not a conflict was compared at: the date the conflict check picks
    (the facts' as-of dates, then their sources' publication dates, the older fact first)."""
    a, b = sorted((claim, ref), key=lambda x: int(x["id"]))
    dates = [a.get("as_of"), b.get("as_of"), a.get("source_published"), b.get("source_published")]
    day = next((pd.Timestamp(d).date() for d in dates if d is not None and not pd.isna(d)), None)
    if day is None:
        return "no_rate", None
    try:
        rate = find_rate(fx, claim["currency"], ref["currency"], day)
    except FxMissing:
        return "no_rate", None
    return "agrees_at_rate", {"pair": f"{rate.base}/{rate.quote}", "rate": rate.rate, "date": rate.date.isoformat(),
                              "source": rate.source_id}


def ipo_report_data(store: Store, code: str, lang: str | None = None) -> IpoReportData:
    """Everything the IPO brief shows, for the listing ``code`` names."""
    lang = check_lang(lang)
    with store.read() as led:
        key = led.resolve_entity(code)
        prof = profile_from(led, key).to_dict()
        fx = FxTable(fx_q.fx_rates(led))
        ccy = _listing_currency(prof)
        peers = compare_table(led, _peer_codes(led, prof), ccy, fx)
        ids = list(dict.fromkeys([*(prof.get("sources") or {}), *cmp.source_ids(peers)]))
        facts = lq.fact_rows(led, key)
        claims = _claims(facts, conflicts_from(led, key), fx)
        sources = pq.sources_by_id(led, ids)
        mechanics = _mechanics(led, key, prof)
    return IpoReportData(lang=lang, file_name=_file_name(prof.get("code") or code), profile=prof, facts=facts,
                         claims=claims, peers=peers, peer_currency=ccy, mechanics=mechanics, source_ids=ids,
                         sources=sources)


def market_report_data(store: Store, market: str = "HK", year: int | None = None,
                       lang: str | None = None) -> MarketReportData:
    """Everything the market report shows: the first-day distribution, by year, band and route, N-day returns vs
    the HSI, the listings and their sources. IPOs only (introductions and secondary listings left out)."""
    lang = check_lang(lang)
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
