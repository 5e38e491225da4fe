"""Pure readers of what edgartools returns: a filing index as stage events, an offering document as offer terms.

The form-type table is ``forms.yaml`` (with its sources). Prices and amounts are USD as the SEC documents state
them; a price range is read from the preliminary prospectus's cover ("between $14.00 and $16.00 per share"), which
edgartools does not extract itself.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from ..base import ProviderError, to_date, to_float
from ..fetching import payload_list
from ..pipeline_models import DocumentQuery, FilingsQuery, OfferTerms, StageEvent

__all__ = ["forms", "history_events", "offer_terms", "price_range", "price_range_event", "shares_offered",
           "check_accession", "US_MARKETS"]

US_MARKETS = ("NASDAQ", "NYSE")
_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")


@functools.lru_cache(maxsize=1)
def forms() -> dict:
    import yaml

    return yaml.safe_load((Path(__file__).with_name("forms.yaml")).read_text(encoding="utf-8"))


def check_accession(ref: str) -> str:
    ref = str(ref).strip()
    if not _ACCESSION.fullmatch(ref):
        raise ProviderError(f"{ref!r} is not an EDGAR accession number (0001234567-26-000123)")
    return ref


def history_events(payload: Any, query: FilingsQuery, where: str = "edgar company_filings") \
        -> tuple[list[StageEvent], list[str]]:
    """The registrant's filings as dated stages, oldest first. A stage repeated in a row is one event unless
    ``repeatable`` (each S-1/A is a document); the history ends at the first final prospectus (``final``): later
    registrations are follow-ons. Returns (events, notes)."""
    table = forms()
    rows = payload_list(payload, "filings", where, "{name, cik, tickers, filings: [...]}")
    deal = query.deal or str(payload.get("name") or query.company)
    tickers = payload.get("tickers") or []
    code = str(tickers[0]) if tickers else None
    dated = []
    for i, r in enumerate(rows, start=1):
        form = str(r.get("form") or "").strip()
        if form not in table["forms"] and form not in table["certifications"]:
            continue
        try:
            day = to_date(r.get("filing_date"))
        except ProviderError as exc:
            raise ProviderError(f"{where}: row {i}, column filing_date: {exc}") from None
        if day is None:
            raise ProviderError(f"{where}: row {i} ({form}) has no filing_date")
        dated.append((day, str(r.get("acceptanceDateTime") or ""), i, form, r))
    dated.sort(key=lambda t: (t[0], t[1], t[2]))
    certified = [table["certifications"][f] for _d, _t, _i, f, _r in dated if f in table["certifications"]]
    market = query.market or (certified[0] if certified else None)
    if market is None:
        raise ProviderError(f"{where} for {query.company}: no exchange certification (CERTNAS/CERTNYS) on file; "
                            f"pass the market ({' or '.join(US_MARKETS)})")
    notes = []
    if query.market and certified and certified[0] != query.market:
        notes.append(f"{deal}: the exchange certified the listing for {certified[0]}, not {query.market}")
    events: list[StageEvent] = []
    for day, _t, _i, form, r in dated:
        stage = table["forms"].get(form)
        if stage is None or (query.since and day < query.since):
            continue
        if events and events[-1].stage == table["final"]:
            notes.append(f"{deal}: {form} of {day} comes after the final prospectus: a follow-on, not an IPO stage; "
                         "left out")
            break
        if events and events[-1].stage == stage and stage not in table["repeatable"]:
            continue  # DRS/A after DRS: the same stage, already dated by its first filing
        accession = str(r.get("accession_number") or "") or None
        events.append(StageEvent(deal, market, stage, day, code, accession,
                                 f"EDGAR {form} filed {day.isoformat()}",
                                 {"form": form, "file_number": r.get("fileNumber"),
                                  "document": r.get("primaryDocument")}))
    return events, notes


# -- offer terms -----------------------------------------------------------------------------------------------------
_MONEY = r"(?:US)?\$\s?([\d,]+(?:\.\d+)?)"
_RANGE = re.compile(r"(?:offering\s+price|price\s+per\s+(?:share|ADS|American\s+Depositary\s+Share))"
                    r"[^$]{0,120}?between\s+" + _MONEY + r"\s+and\s+" + _MONEY, re.I | re.S)
_SHARES = re.compile(r"\b(?:we\s+are|the\s+company\s+is)\s+offering\s+([\d,]+)\s+(?:shares|American\s+Depositary"
                     r"\s+Shares|ADSs)", re.I)


def price_range(text: str | None) -> tuple[float, float] | None:
    """The range a preliminary prospectus states, as (low, high), or None."""
    m = _RANGE.search(text or "")
    if not m:
        return None
    low, high = to_float(m.group(1)), to_float(m.group(2))
    if low is None or high is None or high < low:
        return None
    return low, high


def shares_offered(text: str | None) -> float | None:
    m = _SHARES.search(text or "")
    return to_float(m.group(1)) if m else None


def _range_quote(text: str) -> str | None:
    m = _RANGE.search(text or "")
    return m.group(0) if m else None


def offer_terms(payload: Any, query: DocumentQuery, where: str = "edgar offering_document") -> OfferTerms:
    if not isinstance(payload, dict) or "form" not in payload:
        raise ProviderError(f"{where}: expected an offering document record, got {type(payload).__name__}")
    form = str(payload["form"])
    filed = to_date(payload.get("filing_date"))
    if filed is None:
        raise ProviderError(f"{where} {query.ref}: no filing_date")
    cover = payload.get("cover_page") or {}
    uw = payload.get("underwriting") or {}
    deal_name = query.deal or str(payload.get("company") or cover.get("company_name") or query.ref)
    terms = OfferTerms(deal=deal_name, market=query.market or "", form=form, filed=filed,
                       doc_ref=str(payload.get("accession_no") or query.ref),
                       code=query.code or cover.get("exchange_ticker"),
                       underwriters=tuple(uw.get("underwriters") or ()))
    if payload.get("kind") == "prospectus_424b":
        deal = payload.get("deal") or {}
        terms.price = to_float(deal.get("price"))
        terms.shares = to_float(deal.get("shares"))
        terms.gross_proceeds = to_float(deal.get("gross_proceeds"))
        terms.net_proceeds = to_float(deal.get("net_proceeds"))
        terms.offering_type = deal.get("offering_type")
        if not terms.underwriters and deal.get("lead_bookrunner"):
            terms.underwriters = (str(deal["lead_bookrunner"]),)
        terms.extra = {k: deal[k] for k in ("fee_per_share", "total_fees", "discount_rate", "lead_bookrunner")
                       if deal.get(k) is not None}
        terms.extra["quote"] = f"{form} {filed.isoformat()}: offering price {cover.get('offering_price')}"
    else:
        text = payload.get("cover_text") or ""
        rng = price_range(text)
        if rng:
            terms.price_low, terms.price_high = rng
            terms.extra["quote"] = _range_quote(text)
        terms.shares = shares_offered(text)
        terms.max_aggregate_offering = to_float(payload.get("total_offering"))
        terms.offering_type = payload.get("offering_type")
    if uw.get("overallotment_shares"):
        terms.extra["overallotment_shares"] = to_float(uw["overallotment_shares"])
    if uw.get("lock_up_days"):
        terms.extra["lock_up_days"] = uw["lock_up_days"]
    return terms


def price_range_event(terms: OfferTerms) -> StageEvent | None:
    """A preliminary prospectus that states a range dates the ``price_range`` stage."""
    if terms.price_low is None or not terms.market:
        return None
    return StageEvent(terms.deal, terms.market, "price_range", terms.filed, terms.code, terms.doc_ref,
                      terms.extra.get("quote") or f"{terms.form}: ${terms.price_low:g}-${terms.price_high:g}")
