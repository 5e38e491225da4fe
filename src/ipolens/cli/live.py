"""Live-data commands: ``fetch ipos|prices|fx|lockups``, ``export --parquet``, ``import-prices``.

Start-up imports only typer; providers, pandas and DuckDB load inside the commands. Exit codes: 1 a provider or
file error (in a batch: any listing failed, the others are stored), 2 a bad option or the live extra is missing,
3 no network. Options are checked before anything touches the network.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

__all__ = ["register", "fetch_app"]

fetch_app = typer.Typer(help="Fetch IPOs, daily prices, FX rates and lock-up releases from live providers "
                             "(needs: pip install 'ipolens[live]').", no_args_is_help=True)

EXIT_PROVIDER, EXIT_NO_LIVE, EXIT_NO_NETWORK = 1, 2, 3
OFFLINE_HELP = "Do not touch the network: keep using the embedded dataset and earlier fetches."


def _err(message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    # escape: the message holds brackets ("ipolens[live]") that rich would read as markup
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {escape(message)}", markup=True)


def _run(action) -> None:
    """Run ``action`` and turn provider failures into a message and an exit code (never a traceback)."""
    from ipolens.data.export import ExportError
    from ipolens.data.prices import PriceImportError
    from ipolens.data.providers.base import LiveExtraMissing, NoNetworkError, ProviderError

    try:
        action()
    except NoNetworkError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_NO_NETWORK) from None
    except LiveExtraMissing as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_NO_LIVE) from None
    except (ProviderError, PriceImportError, ExportError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_PROVIDER) from None


def _fetch_each(items, fetch_one, store_one) -> list[str]:
    """``fetch_one(item)`` then ``store_one(item, result)`` per item; returns the failures' messages.

    One bad listing in a batch must not cost the others: each is stored as soon as it is fetched (in its own
    transaction), a vendor error is noted and the loop moves on. No network stops the batch (every other call
    would fail the same way); what was stored stays.
    """
    from ipolens.data.providers.base import LiveExtraMissing, NoNetworkError, ProviderError

    failures = []
    for item in items:
        try:
            result = fetch_one(item)
        except (NoNetworkError, LiveExtraMissing):
            raise
        except ProviderError as exc:
            failures.append(str(exc))
            continue
        store_one(item, result)
    return failures


def _fail_if_any(failures: list[str], total: int, what: str) -> None:
    """Report a batch's failures after its progress bar is gone; exit 1 if there were any."""
    if not failures:
        return
    for message in failures:
        _err(message)
    if total > 1:
        stored = total - len(failures)
        _err(f"{len(failures)} of {total} {what} failed" + (f"; the other {stored} were stored" if stored else ""))
    raise typer.Exit(EXIT_PROVIDER)


def _ledger():
    from ._common import open_db  # the shared helper: a clear message when another process holds the ledger

    return open_db().ledger


def _date(text: Optional[str], option: str):
    if text is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def _window(start: Optional[str], end: Optional[str]):
    """--from and --to as dates; refused up front (exit 2) when --from is later than --to."""
    start_d, end_d = _date(start, "--from"), _date(end, "--to")
    if start_d is not None and end_d is not None and start_d > end_d:
        raise typer.BadParameter(f"--from {start_d} is later than --to {end_d}", param_hint="--from/--to")
    return start_d, end_d


def _keys(codes: List[str], param: str, market: Optional[str] = None) -> list[str]:
    """Entity keys of the codes given, checked before anything else (--offline included): a typo is exit 2."""
    from ipolens.data.providers.base import ProviderError, parse_code_key

    keys = []
    for c in codes:
        try:
            key = parse_code_key(c)
        except ProviderError as exc:
            raise typer.BadParameter(str(exc), param_hint=param) from None
        if market and not key.startswith(market + ":"):
            raise typer.BadParameter(f"{c!r} is not a {market} listing", param_hint=param)
        keys.append(key)
    return keys


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True)


def _say(text: str) -> None:
    from rich.console import Console

    Console(highlight=False).print(text, markup=False)


# -- fetch ipos --------------------------------------------------------------------------------------------------------
@fetch_app.command("ipos")
def fetch_ipos(
    market: str = typer.Option(..., "--market", "-m", help="HK | STAR | NASDAQ"),
    since: Optional[str] = typer.Option(None, "--since", help="Only IPOs listed on or after this date (YYYY-MM-DD)."),
    code: List[str] = typer.Option([], "--code", help="HK: listing(s) whose profile to read (repeatable); default: "
                                                      "the new-listing list and the ledger's HK listings since "
                                                      "--since (or of the last year)."),
    offline: bool = typer.Option(False, "--offline", help=OFFLINE_HELP),
) -> None:
    """New listings with offer price, lot size, listing date and (A-shares) the lottery rate, as dataset facts."""
    m = market.upper()
    if m not in ("HK", "STAR", "NASDAQ"):
        raise typer.BadParameter(f"{market!r}: expected HK, STAR or NASDAQ", param_hint="--market")
    since_d = _date(since, "--since")
    keys = _keys(code, "--code", "HK")
    if code and m != "HK":
        raise typer.BadParameter("--code reads HK profiles; STAR and NASDAQ list every new issue",
                                 param_hint="--code")
    if offline:
        _say("offline: nothing fetched; the embedded dataset and earlier fetches stay in use")
        return

    def go() -> None:
        from ipolens.data.providers import sink

        if m == "HK":
            _fetch_hk_profiles(keys, since_d)
            return
        if m == "STAR":
            from ipolens.data.providers.akshare.fetchers import NewIssueFetcher

            events = NewIssueFetcher().fetch({"market": "STAR", "since": since_d})
            provider = "akshare"
            ledger = _ledger()
        else:
            from ipolens.data.providers.yfinance.fetchers import IpoCalendarFetcher

            events = IpoCalendarFetcher().fetch({"market": "NASDAQ", "since": since_d})
            provider = "yfinance"
            ledger = _ledger()
        sid = sink.provider_source(ledger, provider)
        added = sink.store_ipo_events(ledger, events, sid)
        _say(f"{len(events)} {m} IPO(s) from {provider}; {added} new fact(s) under source {sid}")

    _run(go)


def _fetch_hk_profiles(keys: list[str], since_d) -> None:
    """One profile call per listing (spaced 1 s); each listing's facts land as soon as they arrive."""
    import datetime as dt

    from ipolens.data.providers import sink
    from ipolens.data.providers.akshare.fetchers import HkProfileFetcher

    fetcher = HkProfileFetcher()
    fetcher.transport  # noqa: B018 - fail fast offline, before the ledger opens
    ledger = _ledger()
    done = {"events": 0, "added": 0, "sid": None}
    codes = list(keys)
    if not keys:
        # without --code: the new-listing list says which HK listings are new (stored as it comes), and the
        # profiles of those and of the ledger's HK listings in the window add board lots and share counts
        from ipolens.data.providers.akshare.fetchers import HkNewIssueFetcher

        window = since_d or dt.date.today() - dt.timedelta(days=365)
        listed = HkNewIssueFetcher().fetch({"since": window})
        added = 0
        if listed:
            ths = sink.provider_source(ledger, "akshare-ths")
            added = sink.store_ipo_events(ledger, listed, ths)
        _say(f"{len(listed)} HK listing(s) since {window.isoformat()} on the new-listing list; {added} new fact(s)")
        codes = list(dict.fromkeys([e.code for e in listed] + _hk_codes(ledger, window)))
    if not codes:
        _say("no HK listings to read: pass --code or an earlier --since")
        return

    def store(_key, events) -> None:
        done["sid"] = done["sid"] or sink.provider_source(ledger, "akshare")
        done["events"] += len(events)
        done["added"] += sink.store_ipo_events(ledger, events, done["sid"])

    with _progress() as bar:
        task = bar.add_task("HK profiles", total=len(codes))

        def fetch_one(key):
            try:
                return fetcher.fetch({"code": key, "since": since_d})
            finally:
                bar.advance(task)

        failures = _fetch_each(codes, fetch_one, store)
    if done["sid"]:
        _say(f"{done['events']} HK IPO(s) from akshare; {done['added']} new fact(s) under source {done['sid']}")
    _fail_if_any(failures, len(codes), "HK listing(s)")


def _hk_codes(ledger, since) -> list[str]:
    sql = "SELECT entity FROM listings WHERE market = 'HK' AND listing_date IS NOT NULL"
    params = []
    if since is not None:
        sql += " AND listing_date >= ?"
        params.append(since)
    return [r[0] for r in ledger.con.execute(sql + " ORDER BY listing_date", params).fetchall()]


# -- fetch prices ------------------------------------------------------------------------------------------------------
@fetch_app.command("prices")
def fetch_prices(
    codes: List[str] = typer.Argument(..., help="Listing codes in any spelling: 6082.HK, 688795.SH, HWEP"),
    start: Optional[str] = typer.Option(None, "--from", help="First date (default: the listing date, so the IPO "
                                                             "day is the first bar; else the full history)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last date (default: today)."),
    provider: str = typer.Option("yfinance", "--provider", help="yfinance (any market) or akshare (HK, SH, SZ)."),
    offline: bool = typer.Option(False, "--offline", help=OFFLINE_HELP),
) -> None:
    """Daily OHLCV bars into the prices table (raw, plus Yahoo's adjusted bars). Re-runs add nothing."""
    start_d, end_d = _window(start, end)
    if provider not in ("yfinance", "akshare"):
        raise typer.BadParameter(f"{provider!r}: expected yfinance or akshare", param_hint="--provider")
    keys = _keys(codes, "CODES")
    if offline:
        _say("offline: nothing fetched; prices already in the ledger stay in use")
        return

    def go() -> None:
        from ipolens.data.providers import sink

        fetchers = {key: _price_fetcher(provider, key) for key in keys}
        for f in {type(f): f for f in fetchers.values()}.values():
            f.transport  # noqa: B018 - probe network and live extra before the ledger opens
        ledger = _ledger()
        done = {"sid": None, "new": 0}

        def store(key, bars) -> None:  # one transaction per listing: a later failure cannot undo it
            done["sid"] = done["sid"] or sink.provider_source(ledger, provider)
            added = sink.store_bars(ledger, bars, done["sid"])
            done["new"] += added
            raw = [b for b in bars if not b.adjusted]
            note = ""
            listed = _listing_date(ledger, key)
            if raw and listed and start_d is None and raw[0].date != listed:
                note = f" (first bar {raw[0].date} is not the listing date {listed})"
            _say(f"{key}: {len(raw)} bar(s) {raw[0].date if raw else '-'}..{raw[-1].date if raw else '-'}, "
                 f"{added} new row(s){note}")

        with _progress() as bar:
            task = bar.add_task(f"prices ({provider})", total=len(keys))

            def fetch_one(key):
                try:
                    first = start_d or _listing_date(ledger, key)
                    return fetchers[key].fetch({"code": key, "start": first, "end": end_d})
                finally:
                    bar.advance(task)

            failures = _fetch_each(keys, fetch_one, store)
        if done["sid"]:
            _say(f"{done['new']} new price row(s) under source {done['sid']}")
        _fail_if_any(failures, len(keys), "listing(s)")

    _run(go)


def _price_fetcher(provider: str, key: str):
    if provider == "yfinance":
        from ipolens.data.providers.yfinance.fetchers import HistoryFetcher

        return HistoryFetcher()
    from ipolens.data.providers.akshare.fetchers import AShareHistoryFetcher, HkHistoryFetcher
    from ipolens.data.providers.base import ProviderError

    if key.startswith("HK:"):
        return HkHistoryFetcher()
    if key.startswith(("SH:", "SZ:")):
        return AShareHistoryFetcher()
    raise ProviderError(f"akshare serves HK, SH and SZ listings here; use --provider yfinance for {key}")


def _listing_date(ledger, key: str):
    try:
        row = ledger.con.execute("SELECT listing_date FROM listings WHERE entity = ?", [key]).fetchall()
        row = row[0] if row else None
    except Exception:  # noqa: BLE001 - a ledger without the listings view simply has no date to offer
        return None
    if not row or row[0] is None:
        return None
    import datetime as dt

    v = row[0]
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


# -- fetch fx ----------------------------------------------------------------------------------------------------------
@fetch_app.command("fx")
def fetch_fx(
    start: Optional[str] = typer.Option(None, "--from", help="First date (default: one year back)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last date (default: today)."),
    offline: bool = typer.Option(False, "--offline", help="Only report the embedded dated FX table."),
) -> None:
    """Daily USD/HKD and USD/CNY (and the derived CNY/HKD) into fx_rates, next to the embedded ECB table."""
    start_d, end_d = _window(start, end)

    def go() -> None:
        if offline:
            ledger = _ledger()
            row = ledger.con.execute("SELECT count(*), min(date), max(date) FROM fx_rates").fetchall()[0]
            _say(f"offline: {row[0]} FX rate(s) in the ledger, {row[1]}..{row[2]} (embedded table and earlier "
                 "fetches)")
            return
        from ipolens.data.providers import sink
        from ipolens.data.providers.fx.constants import DEFAULT_PAIRS
        from ipolens.data.providers.fx.fetchers import FxFetcher, cross_rates

        fetcher = FxFetcher()
        fetcher.transport  # noqa: B018 - fail fast offline, before the ledger opens
        ledger = _ledger()
        rates = []
        with _progress() as bar:
            task = bar.add_task("fx", total=len(DEFAULT_PAIRS))

            def fetch_one(pair):
                try:
                    return fetcher.fetch({"base": pair[0], "quote": pair[1], "start": start_d, "end": end_d})
                finally:
                    bar.advance(task)

            # the pairs that answered land together (the cross needs both; with one, none is derived)
            failures = _fetch_each(DEFAULT_PAIRS, fetch_one, lambda _pair, got: rates.extend(got))
        if len(failures) < len(DEFAULT_PAIRS):
            sid = sink.provider_source(ledger, "fx")
            added = sink.store_fx(ledger, rates, sid)
            added += sink.store_fx(ledger, cross_rates(rates), sid, note="derived: USD/HKD / USD/CNY")
            _say(f"{len(rates)} FX rate(s) fetched; {added} new row(s) under source {sid}")
        _fail_if_any(failures, len(DEFAULT_PAIRS), "currency pair(s)")

    _run(go)


# -- fetch lockups -----------------------------------------------------------------------------------------------------
@fetch_app.command("lockups")
def fetch_lockups(
    start: Optional[str] = typer.Option(None, "--from", help="First release date (default: today)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last release date (default: 90 days on)."),
    offline: bool = typer.Option(False, "--offline", help=OFFLINE_HELP),
) -> None:
    """A-share lock-up expiries (Eastmoney via AKShare) into the lockup_releases table."""
    import datetime as dt

    start_d, end_d = _window(start, end)
    start_d = start_d or dt.date.today()
    end_d = end_d or start_d + dt.timedelta(days=90)
    if end_d < start_d:  # only --to given, before today
        raise typer.BadParameter(f"--to {end_d} is before --from (default: today, {start_d})", param_hint="--to")
    if offline:
        _say("offline: nothing fetched")
        return

    def go() -> None:
        from ipolens.data.providers import sink
        from ipolens.data.providers.akshare.fetchers import LockupFetcher

        releases = LockupFetcher().fetch({"start": start_d, "end": end_d})
        ledger = _ledger()
        sid = sink.provider_source(ledger, "akshare")
        added = sink.store_lockups(ledger, releases, sid)
        _say(f"{len(releases)} lock-up release(s) {start_d}..{end_d}; {added} new row(s)")

    _run(go)


# -- export / import ---------------------------------------------------------------------------------------------------
def export_command(
    parquet: Path = typer.Option(..., "--parquet", help="Directory to write prices/ and facts/ into, partitioned "
                                                        "by market and year."),
) -> None:
    """Write prices and facts as Parquet partitioned by market and year (for Spark, Dask or DuckDB clusters)."""

    def go() -> None:
        from ipolens.data.export import export_parquet

        counts = export_parquet(_ledger(), parquet)
        _say(", ".join(f"{n} {t} row(s)" for t, n in counts.items()) + f" written under {parquet}")

    _run(go)


def import_prices_command(
    file: Path = typer.Argument(..., help="CSV or Parquet: Yahoo (Date,Open,High,Low,Close,Adj Close,Volume), "
                                          "AKShare (日期,开盘,收盘,最高,最低,成交量,成交额,换手率) or lower-case names."),
    source_title: Optional[str] = typer.Option(None, "--source-title", help="Title of the source the rows cite."),
    code: Optional[str] = typer.Option(None, "--code", help="Listing code for a file without a code column."),
) -> None:
    """Bulk-import daily prices in one transaction; a bad row anywhere leaves the store unchanged."""

    def go() -> None:
        from ipolens.data.prices import import_prices

        n = import_prices(_ledger(), file, source_title=source_title, code=code)
        _say(f"{n} price row(s) imported from {file}")

    _run(go)


def register(app: typer.Typer) -> None:
    app.add_typer(fetch_app, name="fetch")
    app.command("export")(export_command)
    app.command("import-prices")(import_prices_command)
