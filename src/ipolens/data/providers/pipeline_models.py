"""Standard models of the pipeline providers (issue 14): a dated stage of a deal, a deal's offer terms, an A-share
new-share calendar row, an HK allotment-results announcement.

Same rules as ``models.py``: small, fixed units (prices in the deal's currency, shares as a count, money in base
units, percentages as percent numbers), anything else in ``extra``. A stage event is the row
``ledger.pipeline.write_stage_events`` takes (``STAGE_EVENT_COLUMNS``); ``stage_frame`` builds that frame.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = ["StageEvent", "OfferTerms", "CalendarEntry", "AllotmentResult", "FilingsQuery", "DocumentQuery",
           "BoardQuery", "FeedQuery", "STAGE_EVENT_COLUMNS", "stage_frame", "clip_quote"]

# the columns of the events frame (the contract with ledger.pipeline.write_stage_events)
STAGE_EVENT_COLUMNS = ["deal", "market", "code", "stage", "date", "doc_ref", "quote"]
QUOTE_MAX = 80


# -- queries ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FilingsQuery:
    company: str  # a ticker or CIK (EDGAR)
    market: str | None = None  # NASDAQ | NYSE; None: read from the exchange's certification filing, if any
    deal: str | None = None  # display name; default: the registrant's name
    since: dt.date | None = None


@dataclass(frozen=True)
class DocumentQuery:
    ref: str  # an accession number (EDGAR) or a document URL / local path (HKEXnews)
    deal: str | None = None
    market: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class BoardQuery:
    market: str  # STAR | CHINEXT | SH | SZ | ALL
    since: dt.date | None = None


@dataclass(frozen=True)
class FeedQuery:
    feed: str  # active | phip | inactive | listed | returned
    board: str = "sehk"  # sehk (Main Board) | gem
    since: dt.date | None = None


# -- data ------------------------------------------------------------------------------------------------------------
@dataclass
class StageEvent:
    deal: str
    market: str
    stage: str
    date: dt.date
    code: str | None = None  # listing code once known (06082.HK, 688795.SH, SPCX)
    doc_ref: str | None = None
    quote: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class OfferTerms:
    """The terms one offering document states (an S-1/F-1 or amendment, a 424B prospectus)."""

    deal: str
    market: str
    form: str
    filed: dt.date
    doc_ref: str
    code: str | None = None
    currency: str = "USD"
    price: float | None = None  # final offer price (424B)
    price_low: float | None = None  # the range a preliminary prospectus states
    price_high: float | None = None
    shares: float | None = None
    gross_proceeds: float | None = None
    net_proceeds: float | None = None
    max_aggregate_offering: float | None = None  # registration fee table: an upper bound, not the raise
    underwriters: tuple[str, ...] = ()
    offering_type: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CalendarEntry:
    """One A-share new issue on the subscription calendar (money in CNY base units, rates in percent)."""

    code: str  # entity key, SH:688802
    name: str | None
    market: str  # STAR | CHINEXT | SH | SZ
    subscription_date: dt.date | None = None
    allotment_results_date: dt.date | None = None
    payment_date: dt.date | None = None
    listing_date: dt.date | None = None
    subscription_code: str | None = None
    subscription_limit_shares: float | None = None
    subscription_min_market_value: float | None = None
    offer_price: float | None = None
    shares_offered: float | None = None
    issue_pe: float | None = None
    industry_pe: float | None = None
    lottery_rate: float | None = None
    currency: str = "CNY"


@dataclass
class AllotmentResult:
    """What an HKEX allotment-results announcement states (prices in HKD, rates in percent)."""

    name: str | None
    code: str | None  # entity key, HK:06082
    final_offer_price: float | None = None
    currency: str = "HKD"
    offer_price_low: float | None = None
    offer_price_high: float | None = None
    valid_applications: float | None = None
    successful_applications: float | None = None
    oversubscription_public: float | None = None
    lot_size: float | None = None
    one_lot_applications: float | None = None
    one_lot_success_rate: float | None = None
    gross_proceeds: float | None = None
    net_proceeds: float | None = None
    listing_date: dt.date | None = None
    announced: dt.date | None = None
    doc_ref: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def clip_quote(text: str | None) -> str | None:
    """A quote of at most 80 characters (the ledger's limit), whitespace collapsed."""
    if not text:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= QUOTE_MAX else flat[:QUOTE_MAX - 1] + "…"


def stage_frame(events: Iterable[StageEvent]):
    """The events as the frame ``write_stage_events`` takes: STAGE_EVENT_COLUMNS, ISO dates, quotes ≤ 80 chars,
    sorted by deal and date (the order a deal went through its stages)."""
    import pandas as pd

    rows = [(e.deal, e.market, e.code, e.stage, e.date.isoformat(), e.doc_ref, clip_quote(e.quote)) for e in events]
    df = pd.DataFrame(rows, columns=STAGE_EVENT_COLUMNS)
    order = df.assign(_i=range(len(df))).sort_values(["deal", "date", "_i"], kind="stable")
    return order.drop(columns="_i").reset_index(drop=True)
