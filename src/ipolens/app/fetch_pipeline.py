"""Pipeline data from live providers (issue 14): ``fetch pipeline`` (HKEXnews applications; the A-share review queue
and new-share calendar through AKShare), ``fetch filings`` (a US registrant's EDGAR history and offer terms through
edgartools), ``fetch allotment`` (an HKEX allotment-results announcement).

Stage events go through ``ledger.pipeline.write_stage_events`` (the stage rules check their order); facts through
``ledger.sink.replace_facts``; every write is one ``store.write()``. A batch the rules refuse is retried deal by
deal, so one deal out of order costs that deal only and is reported. No network or a missing extra stops the fetch
(the faces map it to its exit); a vendor error on one registrant is reported and the others are stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, Sequence

from ..data.providers import pipeline_sink as psink
from ..data.providers.base import LiveExtraMissing, NoNetworkError, ProviderError
from ..data.providers.pipeline_models import CalendarEntry, StageEvent, stage_frame
from ..ledger import sink as ledger_sink
from ..ledger.access import Store
from ..ledger.model import Source
from .base import UserError
from .data import FetchResult, _day

__all__ = ["fetch_pipeline", "fetch_filings", "fetch_allotment", "PIPELINE_MARKETS", "store_stage_events"]

PIPELINE_MARKETS = ("HK", "STAR", "CHINEXT")
HK_FEEDS = ("active", "phip", "inactive", "listed", "returned")


def _offline(what: str) -> FetchResult:
    return FetchResult(what, offline=True,
                       lines=["offline: nothing fetched; the embedded dataset and earlier fetches stay in use"])


def store_stage_events(store: Store, events: Sequence[StageEvent], source: Source,
                       facts: Callable | None = None) -> tuple[int, list[str]]:
    """Write ``events`` under ``source`` (and, in the same transaction, ``facts(led)``'s writes). If the stage
    rules refuse the batch, each deal is written on its own and the refused ones are returned as failures.
    Returns (rows gained, failures)."""
    from ..ledger.pipeline import StageEventError, write_stage_events

    frame = stage_frame(events)
    try:
        with store.write(refresh=facts is not None) as led:  # stages alone change no derived fact
            gained = write_stage_events(led, frame, source) if len(frame) else 0
            if facts is not None:
                gained += facts(led)
        return gained, []
    except StageEventError:  # the rules refused some deal: nothing was written; write deal by deal
        return _deal_by_deal(store, frame, source, facts)


def _deal_by_deal(store: Store, frame, source: Source, facts: Callable | None) -> tuple[int, list[str]]:
    """Each deal's events in a transaction of its own: the refused deals become failures, the others are stored."""
    from ..ledger.pipeline import StageEventError, write_stage_events

    gained, failures = 0, []
    for deal, rows in frame.groupby("deal", sort=False):
        try:
            with store.write(refresh=False) as led:  # stages alone change no derived fact
                gained += write_stage_events(led, rows.reset_index(drop=True), source)
        except StageEventError as exc:
            failures.append(f"{deal}: {exc}")
    if facts is not None:
        with store.write() as led:
            gained += facts(led)
    return gained, failures


# -- fetch pipeline ---------------------------------------------------------------------------------------------------
def fetch_pipeline(store: Store, market: str, since: dt.date | str | None = None,
                   offline: bool = False) -> FetchResult:
    """HK: the HKEXnews Application Proof / PHIP index (active, PHIP, inactive, listed, returned) as stages.
    STAR / CHINEXT: the review queue (受理 and latest state), the listing committee's decisions and the new-share
    calendar (subscription, listing and the calendar's facts with the A-share valuation columns)."""
    since_d = _day(since, "--since")
    m = str(market or "").strip().upper()
    if m not in PIPELINE_MARKETS:
        raise UserError(f"{market!r}: expected {', '.join(PIPELINE_MARKETS)} (US deals: ipolens fetch filings "
                        "TICKER)")
    if offline:
        return _offline(f"pipeline {m}")
    return _fetch_hk(store, since_d) if m == "HK" else _fetch_a_share(store, m, since_d)


def _fetch_hk(store: Store, since: dt.date | None) -> FetchResult:
    from ..data.providers.hkexnews.fetchers import ApplicationsFetcher

    fetcher = ApplicationsFetcher()
    fetcher.transport  # noqa: B018 - fail fast offline, before the ledger opens
    res = FetchResult("pipeline HK", total=len(HK_FEEDS), items="HKEXnews feed(s)")
    events: list[StageEvent] = []
    for feed in HK_FEEDS:
        try:
            got = fetcher.fetch({"feed": feed, "board": "sehk", "since": since})
        except (NoNetworkError, LiveExtraMissing):
            raise
        except ProviderError as exc:
            res.failures.append(str(exc))
            continue
        events.extend(got)
        res.lines.append(f"{feed}: {len(got)} stage event(s)")
        res.lines.extend(getattr(fetcher, "notes", []))
    src = psink.pipeline_source("hkexnews")
    res.added, refused = store_stage_events(store, events, src)
    res.failures.extend(refused)
    res.source_id, res.fetched = src.id, len(events)
    res.lines.append(f"{len(events)} HK stage event(s); {res.added} new row(s) under source {src.id}")
    return res


def _fetch_a_share(store: Store, market: str, since: dt.date | None) -> FetchResult:
    from ..data.providers.akshare.pipeline import (NewShareCalendarFetcher, RegisterFetcher, ReviewFetcher,
                                                   calendar_events)

    register = RegisterFetcher()
    register.transport  # noqa: B018 - fail fast offline
    res = FetchResult(f"pipeline {market}", total=3, items="AKShare call(s)")
    events: list[StageEvent] = []
    entries: list[CalendarEntry] = []
    for name, fetcher in (("review queue", register), ("committee decisions", ReviewFetcher()),
                          ("new-share calendar", NewShareCalendarFetcher())):
        try:
            got = fetcher.fetch({"market": market, "since": since})
        except (NoNetworkError, LiveExtraMissing):
            raise
        except ProviderError as exc:
            res.failures.append(str(exc))
            continue
        if got and isinstance(got[0], CalendarEntry):
            entries = got
        else:
            events.extend(got)
        res.lines.append(f"{name}: {len(got)} row(s)")
        res.lines.extend(getattr(fetcher, "notes", []))
    review_src = psink.pipeline_source("akshare-review")
    added, refused = store_stage_events(store, events, review_src)
    res.failures.extend(refused)
    if entries:
        cal_src = psink.pipeline_source("akshare-calendar")

        def calendar_facts(led) -> int:
            led.add_source(cal_src)
            known = {k for (k,) in led.con.execute("SELECT key FROM entities").fetchall()}
            facts = [f for e in entries for f in psink.calendar_facts(e, cal_src.id)]
            return ledger_sink.replace_facts(led, facts, psink.calendar_entities(entries, known), cal_src.id)

        gained, refused = store_stage_events(store, _full_names(calendar_events(entries), events), cal_src,
                                             facts=calendar_facts)
        added += gained
        res.failures.extend(refused)
    res.added, res.fetched, res.source_id = added, len(events) + len(entries), review_src.id
    res.lines.append(f"{len(events)} {market} review stage(s) and {len(entries)} calendar row(s); {added} new "
                     "row(s)")
    return res


def _full_names(cal: list[StageEvent], review: Iterable[StageEvent]) -> list[StageEvent]:
    """The calendar names an issue by its short name (示例芯片); the committee list pairs that short name with the
    applicant's full name, under which the review stages are kept: use it, so that one deal has one history."""
    full = {e.extra.get("short_name"): e.deal for e in review if e.extra.get("short_name")}
    for e in cal:
        e.deal = full.get(e.deal, e.deal)
    return cal


# -- fetch filings ----------------------------------------------------------------------------------------------------
def fetch_filings(store: Store, companies: Sequence[str], market: str | None = None, deal: str | None = None,
                  terms: bool = True, offline: bool = False) -> FetchResult:
    """Each registrant's EDGAR history as US stages (DRS ... 424B4, RW) and, with ``terms``, the offer terms of its
    first amendment stating a price range and of its final prospectus, as facts of the deal."""
    if not companies:
        raise UserError("give at least one ticker or CIK")
    if deal and len(companies) > 1:
        raise UserError("--deal names one registrant's deal; give one ticker or CIK with it")
    if market is not None and market.upper() not in ("NASDAQ", "NYSE"):
        raise UserError(f"--market {market!r}: expected NASDAQ or NYSE")
    if offline:
        return _offline("filings")
    from ..data.providers.edgar.fetchers import FilingHistoryFetcher

    history = FilingHistoryFetcher()
    history.transport  # noqa: B018 - fail fast offline, before the ledger opens
    res = FetchResult("filings", total=len(companies), items="registrant(s)")
    src = psink.pipeline_source("edgar")
    for company in companies:
        try:
            events = history.fetch({"company": company, "market": market, "deal": deal})
            docs = _offer_terms(events) if terms and events else []
        except (NoNetworkError, LiveExtraMissing):
            raise
        except ProviderError as exc:
            res.failures.append(str(exc))
            continue
        res.lines.extend(getattr(history, "notes", []))
        for t in docs:
            ev = _price_range_event(t)
            if ev:
                events.append(ev)
        added, refused = store_stage_events(store, events, src, facts=_terms_writer(docs))
        res.failures.extend(refused)
        res.added += added
        res.fetched += len(events)
        stages = " > ".join(f"{e.stage} {e.date}" for e in events)
        res.lines.append(f"{company}: {len(events)} stage(s) ({stages or 'none'}); {len(docs)} offering "
                         f"document(s) read; {added} new row(s)")
    res.source_id = src.id
    return res


def _offer_terms(events: list[StageEvent]) -> list:
    """The terms of the first amendment that states a price range, and of the final prospectus."""
    from ..data.providers.edgar.fetchers import OfferTermsFetcher

    fetcher, out = OfferTermsFetcher(), []
    base = {"market": events[0].market, "deal": events[0].deal}
    for e in events:
        if e.stage == "s1_amended" and e.doc_ref and not any(t.price_low for t in out):
            out.append(fetcher.fetch({**base, "accession": e.doc_ref, "code": e.code})[0])
        elif e.stage == "priced" and e.doc_ref:
            out.append(fetcher.fetch({**base, "accession": e.doc_ref, "code": e.code})[0])
    return [t for t in out if t.price_low is not None or t.form.startswith("424B")]


def _price_range_event(terms) -> StageEvent | None:
    from ..data.providers.edgar.parse import price_range_event

    return price_range_event(terms)


def _terms_writer(docs: list):
    if not docs:
        return None

    def write(led) -> int:
        from ..ledger.pipeline import deal_entity

        gained = 0
        for t in docs:
            src = psink.edgar_document_source(t)
            led.add_source(src)
            ent = deal_entity(t.market, t.deal, t.code)
            gained += ledger_sink.replace_facts(led, psink.offer_facts(t, ent.key, src.id), [ent], src.id)
        return gained

    return write


# -- fetch allotment --------------------------------------------------------------------------------------------------
def fetch_allotment(store: Store, ref: str, deal: str | None = None, code: str | None = None,
                    offline: bool = False) -> FetchResult:
    """An HKEX allotment-results announcement (URL or saved file): the final price, applications, subscription
    level, board lot and one-lot success rate as facts of the listing, and the ``allotted`` stage of its deal."""
    if offline:
        return _offline("allotment")
    from ..data.providers.hkexnews.fetchers import AllotmentResultsFetcher
    from ..ledger.codes import parse_code

    (r,) = AllotmentResultsFetcher().fetch({"ref": ref, "deal": deal, "code": code})
    if r.code is None:
        raise UserError(f"{ref}: the announcement prints no stock code; pass --code")
    src = psink.hkex_document_source(r)
    name = deal or r.name or parse_code(r.code).display
    events = [StageEvent(name, "HK", "allotted", r.announced, parse_code(r.code).display, r.doc_ref,
                         "allotment results announcement")] if r.announced else []

    def facts(led) -> int:
        led.add_source(src)
        known = {k for (k,) in led.con.execute("SELECT key FROM entities WHERE key = ?", [r.code]).fetchall()}
        entity = [] if known else [_listing_entity(r.code, r.name)]
        return ledger_sink.replace_facts(led, psink.allotment_facts(r, r.code, src.id), entity, src.id)

    added, refused = store_stage_events(store, events, src, facts=facts)
    res = FetchResult("allotment", src.id, 1, added, 1, failures=refused)
    res.lines.append(f"{parse_code(r.code).display}: final offer price {r.final_offer_price} {r.currency}, "
                     f"{r.valid_applications or '-'} valid applications, one-lot success rate "
                     f"{'-' if r.one_lot_success_rate is None else f'{r.one_lot_success_rate:.2f}%'}; {added} new "
                     "row(s)" + ("" if r.announced else "; no announcement date in the reference: no stage written"))
    return res


def _listing_entity(key: str, name: str | None):
    from ..ledger.codes import parse_code
    from ..ledger.model import Entity

    lc = parse_code(key)
    return Entity(key, "listing", "HK", lc.display, name, None)
