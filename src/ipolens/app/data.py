"""Data in and out: import a file of listings or facts, import a price file, fetch from live providers, export.

Every write goes through ``store.write()`` (one transaction; the derived facts are recomputed before it commits),
so an imported or fetched offer and close price give the derived first-day return at once. A fetch batch stores
each listing in its own write as soon as it arrives: one vendor error costs that listing only. No network
(``NoNetworkError``) or a missing live extra (``LiveExtraMissing``) stops the batch; the faces map them to exits.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Sequence

import duckdb

from ..data import export as export_files, prices as price_files
from ..data.importer import parse_file
from ..data.providers import sink
from ..data.providers.base import LiveExtraMissing, NoNetworkError, ProviderError, parse_code_key
from ..ledger import price_load, sink as ledger_sink
from ..ledger.access import Store
from ..ledger.companies import write_import_links
from ..ledger.export import EXPORT_TABLES, export_table
from ..ledger.markets import UnknownMarket, normalise_market
from ..ledger.model import FactError
from ..ledger.codes import base_key, relisting_days, split_listing
from ..ledger.queries import data as q, listings as listing_q
from .parties import read_cornerstones, write_cornerstones
from .base import Refused, Result, UserError

__all__ = ["ImportResult", "PriceImportResult", "FetchResult", "ExportResult", "import_file", "import_prices",
           "fetch_ipos", "fetch_prices", "fetch_fx", "fetch_lockups", "export", "check_window", "FETCH_MARKETS",
           "PRICE_PROVIDERS"]

FETCH_MARKETS = ("HK", "STAR", "NASDAQ")
PRICE_PROVIDERS = ("yfinance", "akshare")
# progress(label, total) -> a context whose value is called once per item done (the CLI draws a bar)
Progress = Callable[[str, int], ContextManager[Callable[[], None]]]


@contextlib.contextmanager
def _no_progress(_label: str, _total: int):
    yield lambda: None


@dataclass
class ImportResult(Result):
    source_id: str
    facts: int
    rows: int
    entities: int
    replaced: bool = False  # the source existed and its facts were replaced
    # one line per new listing of a reused code: "row 2: 00302.HK listed 2019-10-31 is a different listing: created
    # 00302.HK@2025 (listed 2025-07-09)"
    new_listings: list[str] = field(default_factory=list)
    cornerstone_rows: int = 0  # records of the mapping's `cornerstones:` file, written in the same transaction


@dataclass
class PriceImportResult(Result):
    file: str
    source_id: str
    rows: int


@dataclass
class FetchResult(Result):
    """One fetch: what was asked, what landed (``added``: rows the ledger gained), and what failed."""

    what: str
    source_id: str | None = None
    fetched: int = 0
    added: int = 0
    total: int = 0  # items asked for (listings, currency pairs)
    lines: list[str] = field(default_factory=list)  # the summary, one line each, as the CLI prints it
    failures: list[str] = field(default_factory=list)
    offline: bool = False
    items: str = "listing(s)"  # what ``total`` counts

    @property
    def failure_summary(self) -> str | None:
        """'1 of 3 listing(s) failed; the other 2 were stored' for a batch with failures."""
        if not self.failures or self.total <= 1:
            return None
        stored = self.total - len(self.failures)
        return (f"{len(self.failures)} of {self.total} {self.items} failed"
                + (f"; the other {stored} were stored" if stored else ""))


@dataclass
class ExportResult(Result):
    directory: str
    rows: dict[str, int]


# -- import -----------------------------------------------------------------------------------------------------------
def import_file(store: Store, path: str | Path, source_title: str | None, mapping: str | Path | None = None,
                kind: str = "user", publisher: str | None = None, published: str | None = None,
                url: str | None = None, replace: bool = False) -> ImportResult:
    """Validate the whole file (``ImportFailed`` lists every problem), then write it in one transaction.

    Re-importing the same file under a title that makes the same source id replaces that source's facts; a
    different file under such a title is refused unless ``replace`` (titles differing only in case and punctuation
    make one id, so one import would otherwise silently delete the other's facts).

    A row whose listing date is far from that of the ledger's listing of its code (a reused code) becomes a new
    listing (``HK:02718@2025``) instead of writing onto the old one; ``new_listings`` says which."""
    if not source_title:
        raise UserError("--source-title is required: every imported value must name its source")
    with store.read() as led:
        listings = led.listing_identities()
    parsed = parse_file(path, source_title, mapping, source_kind=kind, publisher=publisher, published=published,
                        url=url, listings=listings)
    sid = parsed.source.id
    records = read_cornerstones(parsed.cornerstones) if parsed.cornerstones else []
    with store.read() as led:
        old = q.source_summary(led, sid)
    if old and old[1] != parsed.source.note and not replace:
        raise Refused(f"{path}: the title {source_title!r} makes source id {sid!r}, which already holds "
                      f"{old[2]} fact(s) imported as {old[0]!r} ({old[1] or 'no file recorded'}); this is a "
                      "different file. Pass --replace to replace that source, or choose another --source-title")
    try:
        with store.write() as led:
            led.delete_source(sid)
            led.add_source(parsed.source)
            known = q.entity_keys(led)
            led.add_entities([e for k, e in parsed.entities.items() if k not in known or e.name_en or e.name_zh])
            n = led.add_facts(parsed.facts)
            write_import_links(led, parsed.links, sid)  # every time: a re-import clears the source's old links
            rows = write_cornerstones(led, records, sid, parsed.cornerstones)[0] if records else []
    except FactError as exc:
        raise UserError(f"{path}: {exc}; the ledger is unchanged") from None
    except (OSError, duckdb.IOException, duckdb.PermissionException) as exc:
        raise UserError(f"cannot write the ledger {store.path} ({_first_line(exc)}): reads still work; nothing "
                        f"was imported. Make its folder writable or set IPOLENS_HOME") from None
    return ImportResult(sid, n, parsed.rows, len(parsed.entities), replaced=bool(old), new_listings=parsed.notes,
                        cornerstone_rows=len(rows))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def import_prices(store: Store, path: str | Path, source_title: str | None = None,
                  code: str | None = None) -> PriceImportResult:
    """Bulk-import a CSV or Parquet file of daily bars in one transaction; a bad row anywhere changes nothing and
    ``PriceImportError`` names the file, row and field. Re-importing a file adds nothing."""
    path = Path(path)
    price_files.check_path(path)
    source = price_files.source_for(path, source_title)
    if price_files.is_parquet(path):
        with store.read() as led:
            f = price_files.parquet_file(path, code, price_load.describe_parquet(led, path))
    else:
        f = price_files.csv_file(path, code)
    try:
        try:
            n = _load_prices(store, f, source)
        except price_load.PriceImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a date the reader could not parse: retry with dates as text
            if not (f.fast_dates and "DATE" in str(exc)):
                raise
            f = f.with_text_dates()
            n = _load_prices(store, f, source)
    except price_load.PriceImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any database error: find the row, then report it
        with store.read() as led:
            raise price_load.PriceImportError(price_load.diagnose(led, f, exc)) from None
    return PriceImportResult(str(path), source.id, n)


def _load_prices(store: Store, f: price_load.PriceFile, source) -> int:
    """The direct route for a first import without Adj Close, else (or when it meets a spelling it cannot map in
    SQL, rolled back) the staged route; each in its own write."""
    if "adj_close" not in f.m:
        with store.read() as led:
            fresh = price_load.source_is_new(led, source.id)
        if fresh:
            try:
                with store.write() as led:
                    return price_load.load(led, f, source, direct=True)
            except price_load.SpellingNotCovered:  # a code spelling the one-pass SQL map lacks: staged route below
                pass
    with store.write() as led:
        return price_load.load(led, f, source, direct=False)


# -- fetch: checks ----------------------------------------------------------------------------------------------------
Day = dt.date | str | None  # a date, or its ISO text as typed


def _day(value: Day, option: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def check_window(start: Day, end: Day) -> tuple[dt.date | None, dt.date | None]:
    """--from and --to as dates; refused when --from is later than --to."""
    start, end = _day(start, "--from"), _day(end, "--to")
    if start is not None and end is not None and start > end:
        raise UserError(f"--from {start} is later than --to {end}")
    return start, end


def _keys(codes: Iterable[str], market_prefix: str | None = None) -> list[str]:
    """Entity keys of the codes given, checked before anything else (offline included): a typo is a UserError."""
    keys = []
    for c in codes:
        try:
            key = parse_code_key(c)
        except ProviderError as exc:
            raise UserError(str(exc)) from None
        if market_prefix and not key.startswith(market_prefix + ":"):
            raise UserError(f"{c!r} is not a {market_prefix} listing")
        keys.append(key)
    return keys


def _each(items: Sequence, fetch_one: Callable, store_one: Callable, tick: Callable[[], None]) -> list[str]:
    """``fetch_one(item)`` then ``store_one(item, result)`` per item; returns the failures' messages. A vendor
    error is noted and the loop moves on; no network or a missing extra stops it (every call would fail alike)."""
    failures = []
    for item in items:
        try:
            result = fetch_one(item)
        except (NoNetworkError, LiveExtraMissing):
            raise
        except ProviderError as exc:
            failures.append(str(exc))
            continue
        finally:
            tick()
        store_one(item, result)
    return failures


def _store_events(store: Store, events: list, provider: str, notes: list[str] | None = None) -> tuple[str, int]:
    """IPO events as facts (and listing entities the ledger lacks) under the provider's source. Each event goes to
    the listing it describes (a reused code's 2025 deal never writes onto its 2019 listing); what that decided
    (a new listing, an event left out) is added to ``notes``."""
    src = sink.provider_source(provider)
    with store.write() as led:
        led.add_source(src)
        events, said = sink.key_events(events, led.listing_identities({base_key(e.code) for e in events}),
                                       relisting_days())
        if notes is not None:
            notes.extend(said)
        facts = [f for e in events for f in sink.event_facts(e, src.id)]
        added = ledger_sink.replace_facts(led, facts, sink.new_entities(events, q.entity_keys(led)), src.id)
    return src.id, added


# -- fetch ipos -------------------------------------------------------------------------------------------------------
def fetch_ipos(store: Store, market: str, since: Day = None, codes: Sequence[str] = (),
               offline: bool = False, progress: Progress | None = None) -> FetchResult:
    """New listings with offer price, lot size, listing date and (A-shares) the lottery rate, as dataset facts.
    HK reads the new-listing list, then one profile per listing (``codes``, else the list's and the ledger's HK
    listings since ``since``, default one year back)."""
    since = _day(since, "--since")
    try:
        m = normalise_market(market, allowed=FETCH_MARKETS)
    except UnknownMarket:
        raise UserError(f"{market!r}: expected {', '.join(FETCH_MARKETS)}") from None
    keys = _keys(codes, "HK")
    if codes and m != "HK":
        raise Refused("--code reads HK profiles; STAR and NASDAQ list every new issue")
    if offline:
        return FetchResult(f"ipos {m}", offline=True,
                           lines=["offline: nothing fetched; the embedded dataset and earlier fetches stay in use"])
    if m == "HK":
        return _fetch_hk(store, keys, since, progress or _no_progress)
    if m == "STAR":
        from ..data.providers.akshare.fetchers import NewIssueFetcher

        events, provider = NewIssueFetcher().fetch({"market": "STAR", "since": since}), "akshare"
    else:
        from ..data.providers.yfinance.fetchers import IpoCalendarFetcher

        events, provider = IpoCalendarFetcher().fetch({"market": "NASDAQ", "since": since}), "yfinance"
    notes: list[str] = []
    sid, added = _store_events(store, events, provider, notes)
    return FetchResult(f"ipos {m}", sid, len(events), added, len(events),
                       [f"{len(events)} {m} IPO(s) from {provider}; {added} new fact(s) under source {sid}", *notes])


def _fetch_hk(store: Store, keys: list[str], since: dt.date | None, progress: Progress) -> FetchResult:
    from ..data.providers.akshare.fetchers import HkNewIssueFetcher, HkProfileFetcher

    fetcher = HkProfileFetcher()
    fetcher.transport  # noqa: B018 - fail fast offline, before the ledger opens
    res = FetchResult("ipos HK", items="HK listing(s)")
    codes = list(keys)
    if not keys:
        # the new-listing list says which HK listings are new (stored as it comes); the profiles of those and of
        # the ledger's HK listings in the window add board lots and share counts
        window = since or dt.date.today() - dt.timedelta(days=365)
        listed = HkNewIssueFetcher().fetch({"since": window})
        notes: list[str] = []
        added = _store_events(store, listed, "akshare-ths", notes)[1] if listed else 0
        res.lines.append(f"{len(listed)} HK listing(s) since {window.isoformat()} on the new-listing list; "
                         f"{added} new fact(s)")
        res.lines.extend(notes)
        res.added += added
        with store.read() as led:
            # the vendor serves a code: one profile per code, whichever of its listings the ledger holds
            found = [e.code for e in listed] + q.hk_listing_codes(led, window)
        codes = list(dict.fromkeys(base_key(c) for c in found))
    if not codes:
        res.lines.append("no HK listings to read: pass --code or an earlier --since")
        return res
    profiled = {"events": 0, "added": 0}
    placed: list[str] = []

    def store_one(_key: str, events: list) -> None:
        res.source_id, added = _store_events(store, events, "akshare", placed)
        profiled["events"] += len(events)
        profiled["added"] += added

    with progress("HK profiles", len(codes)) as tick:
        res.failures = _each(codes, lambda key: fetcher.fetch({"code": key, "since": since}), store_one, tick)
    res.total, res.fetched = len(codes), profiled["events"]
    res.added += profiled["added"]
    if res.source_id:
        res.lines.append(f"{profiled['events']} HK IPO(s) from akshare; {profiled['added']} new fact(s) under "
                         f"source {res.source_id}")
    res.lines.extend(placed)
    return res


# -- fetch prices -----------------------------------------------------------------------------------------------------
def _price_fetcher(provider: str, key: str):
    if provider == "yfinance":
        from ..data.providers.yfinance.fetchers import HistoryFetcher

        return HistoryFetcher()
    from ..data.providers.akshare.fetchers import AShareHistoryFetcher, HkHistoryFetcher

    if key.startswith("HK:"):
        return HkHistoryFetcher()
    if key.startswith(("SH:", "SZ:")):
        return AShareHistoryFetcher()
    raise ProviderError(f"akshare serves HK, SH and SZ listings here; use --provider yfinance for {key}")


def _price_targets(store: Store, codes: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """(label, key of the code, listing named or None) per code given. ``02718@2025`` names one listing of a
    reused code (``EntityNotFound`` if the ledger has none listed then); a plain code is read as typed."""
    out = []
    for text in codes:
        code_text, when = split_listing(text)
        base = _keys([code_text])[0]
        if not when:
            out.append((base, base, None))
            continue
        with store.read() as led:
            named = led.resolve_entity(text)
        out.append((named, base, named))
    return out


def fetch_prices(store: Store, codes: Sequence[str], start: Day = None, end: Day = None,
                 provider: str = "yfinance", offline: bool = False, progress: Progress | None = None) -> FetchResult:
    """Daily OHLCV bars into ``prices`` (raw, plus Yahoo's adjusted bars); each listing lands in its own write.
    Without ``start`` a listing's request starts at its listing date, so the IPO day is the first bar.

    The provider serves a code, not a listing: for a code the exchange reused, each bar goes to the listing trading
    on its date (``ledger.queries.listings``); ``02718@2025`` asks for 02718 from that listing's date to the next
    listing's and keeps only those bars."""
    start, end = check_window(start, end)
    if provider not in PRICE_PROVIDERS:
        raise UserError(f"{provider!r}: expected {' or '.join(PRICE_PROVIDERS)}")
    targets = _price_targets(store, codes)
    res = FetchResult(f"prices ({provider})", total=len(targets))
    if offline:
        res.offline = True
        res.lines.append("offline: nothing fetched; prices already in the ledger stay in use")
        return res
    fetchers = {label: _price_fetcher(provider, base) for label, base, _ in targets}
    for f in {type(f): f for f in fetchers.values()}.values():
        f.transport  # noqa: B018 - probe network and live extra before the ledger opens
    src = sink.provider_source(provider)
    listed: dict[str, dt.date | None] = {}
    windows: dict[str, list] = {}

    def fetch_one(target: tuple[str, str, str | None]) -> list:
        label, base, named = target
        with store.read() as led:
            windows[label] = listing_q.windows_of(led, [base]).get(base, [])
            since, until = listing_q.listing_window(led, named) if named else (q.listing_date(led, base), None)
        listed[label] = since
        if named and since and not windows[label]:
            windows[label] = [(named, since, None)]  # the code's only dated listing: still nothing before it
        first, last = start or since, end
        if named and since and (first is None or first < since):
            first = since  # the named listing's bars only: none from before it listed
        if until and (last is None or last >= until):
            last = until - dt.timedelta(days=1)
        if first and last and first > last:
            return []
        return fetchers[label].fetch({"code": base, "start": first, "end": last})

    def store_one(target: tuple[str, str, str | None], bars: list) -> None:
        label, _base, named = target
        bars, dropped = sink.assign_listings(bars, windows.get(label, []), named)
        with store.write() as led:
            led.add_source(src)
            added = ledger_sink.upsert_bars(led, sink.bar_frame(bars, src.id), src.id)
        res.source_id = src.id
        res.added += added
        raw = [b for b in bars if not b.adjusted]
        res.fetched += len(raw)
        note = ""
        if raw and listed.get(label) and start is None and raw[0].date != listed[label]:
            note = f" (first bar {raw[0].date} is not the listing date {listed[label]})"
        if dropped:
            note += (f"; {dropped} bar(s) outside {named}'s trading dates left out" if named else
                     f"; {dropped} bar(s) before the code's first listing left out")
        split = sorted({b.code for b in raw})
        if len(split) > 1:
            note += "; split by listing date: " + ", ".join(
                f"{k} {sum(b.code == k for b in raw)}" for k in split)
        res.lines.append(f"{label}: {len(raw)} bar(s) {raw[0].date if raw else '-'}..{raw[-1].date if raw else '-'}, "
                         f"{added} new row(s){note}")

    with (progress or _no_progress)(res.what, len(targets)) as tick:
        res.failures = _each(targets, fetch_one, store_one, tick)
    if res.source_id:
        res.lines.append(f"{res.added} new price row(s) under source {res.source_id}")
    return res


# -- fetch fx ---------------------------------------------------------------------------------------------------------
def fetch_fx(store: Store, start: Day = None, end: Day = None, offline: bool = False,
             progress: Progress | None = None) -> FetchResult:
    """Daily USD/HKD and USD/CNY and the derived CNY/HKD cross into ``fx_rates``; offline, what the ledger holds.
    The pairs that answered land together (the cross needs both; with one, none is derived)."""
    start, end = check_window(start, end)
    if offline:
        with store.read() as led:
            n, first, last = q.fx_summary(led)
        return FetchResult("fx", offline=True, lines=[
            f"offline: {n} FX rate(s) in the ledger, {first}..{last} (embedded table and earlier fetches)"])
    from ..data.providers.fx.constants import DEFAULT_PAIRS
    from ..data.providers.fx.fetchers import FxFetcher, cross_rates

    fetcher = FxFetcher()
    fetcher.transport  # noqa: B018 - fail fast offline, before the ledger opens
    rates: list = []
    res = FetchResult("fx", total=len(DEFAULT_PAIRS), items="currency pair(s)")
    with (progress or _no_progress)("fx", len(DEFAULT_PAIRS)) as tick:
        res.failures = _each(DEFAULT_PAIRS, lambda p: fetcher.fetch({"base": p[0], "quote": p[1], "start": start,
                                                                     "end": end}),
                             lambda _pair, got: rates.extend(got), tick)
    if len(res.failures) < len(DEFAULT_PAIRS):
        src = sink.provider_source("fx")
        with store.write() as led:
            led.add_source(src)
            res.added = ledger_sink.upsert_rows(led, "fx_rates", sink.fx_rows(rates, src.id), src.id)
            res.added += ledger_sink.upsert_rows(led, "fx_rates", sink.fx_rows(
                cross_rates(rates), src.id, note="derived: USD/HKD / USD/CNY"), src.id)
        res.source_id, res.fetched = src.id, len(rates)
        res.lines.append(f"{len(rates)} FX rate(s) fetched; {res.added} new row(s) under source {src.id}")
    return res


# -- fetch lockups ----------------------------------------------------------------------------------------------------
def fetch_lockups(store: Store, start: Day = None, end: Day = None, offline: bool = False) -> FetchResult:
    """A-share lock-up expiries (Eastmoney via AKShare) from ``start`` (default today) to ``end`` (90 days on)."""
    start, end = check_window(start, end)
    start_d = start or dt.date.today()
    end_d = end or start_d + dt.timedelta(days=90)
    if end_d < start_d:  # only --to given, before today
        raise UserError(f"--to {end_d} is before --from (default: today, {start_d})")
    if offline:
        return FetchResult("lockups", offline=True, lines=["offline: nothing fetched"])
    from ..data.providers.akshare.fetchers import LockupFetcher

    releases = LockupFetcher().fetch({"start": start_d, "end": end_d})
    src = sink.provider_source("akshare")
    with store.write() as led:
        led.add_source(src)
        added = ledger_sink.upsert_rows(led, "lockup_releases", sink.lockup_rows(releases, src.id), src.id)
    return FetchResult("lockups", src.id, len(releases), added, len(releases),
                       [f"{len(releases)} lock-up release(s) {start_d}..{end_d}; {added} new row(s)"])


# -- export -----------------------------------------------------------------------------------------------------------
def export(store: Store, directory: str | Path) -> ExportResult:
    """Prices and facts as Parquet partitioned by market and year under ``directory``; each table's folder is
    replaced whole, so a failed export (``ExportError``) keeps the previous one."""
    out = export_files.prepare(Path(directory))
    rows = {}
    with store.read() as led:
        for table in EXPORT_TABLES:
            with export_files.staged(out, table) as folder:
                rows[table] = export_table(led, table, folder)
    return ExportResult(str(out), rows)
