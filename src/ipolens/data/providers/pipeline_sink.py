"""Pipeline models as ledger rows (pure): a document source per EDGAR filing or HKEXnews announcement, offer terms
and allotment results as facts on a deal entity, calendar rows as facts on their listing.

The caller names the entity (``ledger.pipeline.deal_entity`` for a deal, the listing key for an A-share issue) and
writes inside ``Store.write``. Facts carry no quote: a quote would make the ledger read the figure's rounding from
its digits, and a prospectus states its figures exactly; the document is named in ``note`` and by the source.
"""
from __future__ import annotations

import datetime as dt

from ...ledger.codes import parse_code
from ...ledger.fields import FIELDS
from ...ledger.model import Entity, Fact, Source
from .pipeline_models import AllotmentResult, CalendarEntry, OfferTerms

__all__ = ["PIPELINE_SOURCES", "pipeline_source", "edgar_document_source", "hkex_document_source", "offer_facts",
           "allotment_facts", "calendar_facts", "calendar_entities"]

PIPELINE_SOURCES = {
    "edgar": ("dataset:edgar-filings", "SEC EDGAR filing index (via edgartools)", "U.S. SEC",
              "https://www.sec.gov/edgar/search/"),
    "hkexnews": ("dataset:hkexnews-applications", "HKEXnews Application Proofs and PHIPs index", "HKEX",
                 "https://www1.hkexnews.hk/app/appindex.html"),
    "akshare-review": ("dataset:akshare-eastmoney-ipo-review", "Eastmoney IPO review and registration data "
                       "(via AKShare)", "Eastmoney", "https://data.eastmoney.com/xg/ipo/"),
    "akshare-calendar": ("dataset:akshare-eastmoney-new-shares", "Eastmoney new-share subscription calendar "
                         "(via AKShare)", "Eastmoney", "https://data.eastmoney.com/xg/xg/default_2.html"),
}
# the field for an offering's underwriters, once the vocabulary has one (ledger/fields.py pipeline block)
UNDERWRITERS_FIELD = "underwriters"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def pipeline_source(name: str, retrieved: dt.datetime | None = None) -> Source:
    sid, title, publisher, url = PIPELINE_SOURCES[name]
    return Source(id=sid, kind="dataset", title=title, publisher=publisher, url=url, retrieved=retrieved or _now())


def edgar_document_source(terms: OfferTerms, cik: int | str | None = None) -> Source:
    """One prospectus source per EDGAR filing: its accession number is its identity."""
    acc = terms.doc_ref
    url = (f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/{acc.replace('-', '')}/" if cik
           else f"https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&filenum=&type={terms.form}")
    return Source(id=f"edgar:{acc}", kind="prospectus", title=f"{terms.deal} {terms.form} ({acc})",
                  publisher="U.S. SEC (EDGAR)", url=url, published=terms.filed, retrieved=_now())


def hkex_document_source(res: AllotmentResult) -> Source:
    ref = res.doc_ref or ""
    tail = ref.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "announcement"
    return Source(id=f"hkexnews:{tail}", kind="exchange_filing",
                  title=f"{res.name or res.code or 'HK IPO'} allotment results announcement",
                  publisher="HKEX (HKEXnews)", url=ref if ref.startswith("http") else None, published=res.announced,
                  date_note=None if res.announced else "the announcement's date is not in its reference",
                  retrieved=_now())


def _adder(facts: list[Fact], entity: str, source_id: str, as_of: dt.date | None, note: str | None):
    def add(field: str, value=None, text=None, currency=None, unit=None, qualifier="exact") -> None:
        if value is None and text is None:
            return
        facts.append(Fact(entity=entity, field=field, source_id=source_id, value=value, text=text,
                          currency=currency, unit=unit, qualifier=qualifier, as_of=as_of, note=note,
                          ext_id=f"{entity}:{field}"))
    return add


def offer_facts(terms: OfferTerms, entity: str, source_id: str) -> list[Fact]:
    """What the filing states about the offering, as facts of ``entity`` dated by the filing."""
    facts: list[Fact] = []
    add = _adder(facts, entity, source_id, terms.filed, f"EDGAR {terms.form} {terms.doc_ref}")
    cur = terms.currency
    add("offer_price", terms.price, currency=cur)
    add("offer_price_low", terms.price_low, currency=cur)
    add("offer_price_high", terms.price_high, currency=cur)
    add("shares_offered", terms.shares, unit="shares")
    add("proceeds_gross", terms.gross_proceeds, currency=cur)
    add("proceeds_net", terms.net_proceeds, currency=cur)
    # the fee table's proposed maximum aggregate offering price bounds the raise from above (Rule 457(o))
    add("funds_raised_planned", terms.max_aggregate_offering, currency=cur, qualifier="at_most")
    if terms.underwriters and UNDERWRITERS_FIELD in FIELDS:
        add(UNDERWRITERS_FIELD, text="; ".join(terms.underwriters))
    return facts


def allotment_facts(res: AllotmentResult, entity: str, source_id: str) -> list[Fact]:
    facts: list[Fact] = []
    add = _adder(facts, entity, source_id, res.announced, "allotment results announcement")
    add("offer_price", res.final_offer_price, currency=res.currency)
    add("offer_price_low", res.offer_price_low, currency=res.currency)
    add("offer_price_high", res.offer_price_high, currency=res.currency)
    add("public_applicants", res.valid_applications, unit="count")
    add("oversubscription_public", res.oversubscription_public, unit="x")
    add("lot_size", res.lot_size, unit="shares")
    add("one_lot_success_rate", res.one_lot_success_rate, unit="pct")
    add("proceeds_gross", res.gross_proceeds, currency=res.currency)
    add("proceeds_net", res.net_proceeds, currency=res.currency)
    add("expected_listing_date", text=res.listing_date.isoformat() if res.listing_date else None)
    return facts


def calendar_facts(e: CalendarEntry, source_id: str) -> list[Fact]:
    """An A-share issue's calendar as facts of its listing (``e.code``), with the valuation columns."""
    facts: list[Fact] = []
    add = _adder(facts, e.code, source_id, e.subscription_date, None)

    def day(field: str, d: dt.date | None) -> None:
        add(field, text=d.isoformat() if d else None)

    day("subscription_date", e.subscription_date)
    day("allotment_results_date", e.allotment_results_date)
    day("subscription_payment_date", e.payment_date)
    day("listing_date", e.listing_date)
    add("subscription_code", text=e.subscription_code)
    add("subscription_limit_shares", e.subscription_limit_shares, unit="shares")
    add("subscription_min_market_value", e.subscription_min_market_value, currency=e.currency)
    add("offer_price", e.offer_price, currency=e.currency)
    add("shares_offered", e.shares_offered, unit="shares")
    add("issue_pe", e.issue_pe, unit="x")
    add("industry_pe", e.industry_pe, unit="x")
    add("lottery_rate", e.lottery_rate, unit="pct")
    return [f for f in facts if f.field in FIELDS]  # P2's calendar fields; absent ones are not invented here


def calendar_entities(entries, known: set[str]) -> list[Entity]:
    """A listing entity for each calendar issue the ledger does not know yet."""
    out, seen = [], set(known)
    for e in entries:
        if e.code in seen:
            continue
        lc = parse_code(e.code)
        # the listings' market as sink.new_entities spells it: STAR by board, else the exchange (a ChiNext code is SZ)
        out.append(Entity(e.code, "listing", "STAR" if lc.board == "STAR" else lc.market, lc.display, None, e.name))
        seen.add(e.code)
    return out
