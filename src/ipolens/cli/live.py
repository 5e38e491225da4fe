"""``import``, ``import-prices``, ``fetch ipos|prices|fx|lockups``, ``export``: each parses its options, calls one
use case of ``app.data`` and prints the result. Start-up imports only typer. Exits: 1 a provider or file error (in a
batch: any item failed, the others are stored), 2 a bad option or no live extra, 3 no network."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import List, Optional

import typer

from ._common import fail, handle_errors, open_store

__all__ = ["register", "fetch_app"]

fetch_app = typer.Typer(help="Fetch IPOs, daily prices, FX rates and lock-up releases from live providers "
                             "(needs: pip install 'ipolens[live]').", no_args_is_help=True)
EXIT_PROVIDER, EXIT_NO_LIVE, EXIT_NO_NETWORK = 1, 2, 3
OFFLINE = typer.Option(False, "--offline", help="Do not touch the network: keep using the embedded dataset and "
                                                 "earlier fetches.")
TO = typer.Option(None, "--to", help="Last date (default: today).")
CODE = typer.Option(None, "--code", help="Prices: the listing of a file without a code column.")


def _say(text: str, err: bool = False) -> None:
    from rich.console import Console
    from rich.markup import escape

    # escape: messages hold brackets ("ipolens[live]") that rich would read as markup
    Console(stderr=err, highlight=False).print(f"[bold red]error:[/] {escape(text)}" if err else escape(text))


def _run(action):
    """Run ``action`` and turn provider and file failures into a message and an exit code (never a traceback)."""
    from ipolens.data.prices import PriceImportError
    from ipolens.data.providers.base import LiveExtraMissing, NoNetworkError, ProviderError
    from ipolens.ledger.export import ExportError

    try:
        return action()
    except (ProviderError, PriceImportError, ExportError) as exc:
        _say(str(exc), True)
        code = {NoNetworkError: EXIT_NO_NETWORK, LiveExtraMissing: EXIT_NO_LIVE}.get(type(exc), EXIT_PROVIDER)
        raise typer.Exit(code) from None


@contextlib.contextmanager
def _progress(label: str, total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def _fetch(fn, *args, use_case: str = "data", **kwargs) -> None:
    """Run a fetch use case of ``ipolens.app.<use_case>``, print its lines, then its failures; exit 1 if any item
    failed."""
    import importlib

    module = importlib.import_module(f"ipolens.app.{use_case}")
    res = _run(lambda: getattr(module, fn)(open_store(), *args, **kwargs))
    for line in res.lines:
        _say(line)
    for message in res.failures + ([res.failure_summary] if res.failure_summary else []):
        _say(message, True)
    if res.failures:
        raise typer.Exit(EXIT_PROVIDER)


@fetch_app.command("ipos")
@handle_errors
def fetch_ipos(market: str = typer.Option(..., "--market", "-m", help="HK | STAR | NASDAQ"),
               since: Optional[str] = typer.Option(None, "--since", help="Only IPOs listed on or after this date."),
               code: List[str] = typer.Option([], "--code", help="HK: listing(s) whose profile to read; default: "
                                              "the new-listing list's and the ledger's since --since (or a year)."),
               offline: bool = OFFLINE) -> None:
    """New listings with offer price, lot size, listing date and (A-shares) the lottery rate, as dataset facts."""
    _fetch("fetch_ipos", market, since, code, offline=offline, progress=_progress)


@fetch_app.command("prices")
@handle_errors
def fetch_prices(codes: List[str] = typer.Argument(..., help="Listing codes in any spelling: 6082.HK, 688795.SH"),
                 start: Optional[str] = typer.Option(None, "--from", help="First date (default: the listing date, "
                                                     "so the IPO day is the first bar; else the full history)."),
                 end: Optional[str] = TO,
                 provider: str = typer.Option("yfinance", "--provider", help="yfinance (any), akshare (HK/SH/SZ)"),
                 offline: bool = OFFLINE) -> None:
    """Daily OHLCV bars into the prices table (raw, plus Yahoo's adjusted bars). Re-runs add nothing."""
    _fetch("fetch_prices", codes, start, end, provider=provider, offline=offline,
           progress=_progress)


@fetch_app.command("fx")
@handle_errors
def fetch_fx(start: Optional[str] = typer.Option(None, "--from", help="First date (default: one year back)."),
             end: Optional[str] = TO,
             offline: bool = OFFLINE) -> None:
    """Daily USD/HKD and USD/CNY (and the derived CNY/HKD) into fx_rates, next to the embedded ECB table."""
    _fetch("fetch_fx", start, end, offline=offline, progress=_progress)


@fetch_app.command("lockups")
@handle_errors
def fetch_lockups(start: Optional[str] = typer.Option(None, "--from", help="First release date (default: today)."),
                  end: Optional[str] = typer.Option(None, "--to", help="Last release date (default: 90 days on)."),
                  offline: bool = OFFLINE) -> None:
    """A-share lock-up expiries (Eastmoney via AKShare) into the lockup_releases table."""
    _fetch("fetch_lockups", start, end, offline=offline)


@handle_errors
def export_command(parquet: Path = typer.Option(..., "--parquet", help="Directory to write prices/ and facts/ "
                                                "into, partitioned by market and year.")) -> None:
    """Write prices and facts as Parquet partitioned by market and year (for Spark, Dask or DuckDB clusters)."""
    from ipolens.app.data import export

    res = _run(lambda: export(open_store(), parquet))
    _say(", ".join(f"{n} {t} row(s)" for t, n in res.rows.items()) + f" written under {parquet}")


@handle_errors
def import_prices_command(file: Path = typer.Argument(..., help="CSV or Parquet, Yahoo or AKShare layout."),
                          source_title: Optional[str] = typer.Option(None, "--source-title", help="Source title."),
                          code: Optional[str] = CODE) -> None:
    """Bulk-import daily prices in one transaction; a bad row anywhere leaves the store unchanged."""
    from ipolens.app.data import import_prices

    res = _run(lambda: import_prices(open_store(), file, source_title=source_title, code=code))
    _say(f"{res.rows} price row(s) imported from {file}")


@handle_errors
def import_cmd(file: str = typer.Argument(..., help="CSV, XLSX or JSON of listings or facts (or: prices FILE)"),
               file2: Optional[str] = typer.Argument(None, hidden=True),
               source_title: Optional[str] = typer.Option(None, "--source-title", help="Title of the source"),
               mapping: Optional[str] = typer.Option(None, "--mapping", help="YAML column mapping (docs/import.md)"),
               kind: str = typer.Option("user", "--kind", help="user | dataset | prospectus | exchange_filing | news"),
               publisher: Optional[str] = typer.Option(None), published: Optional[str] = typer.Option(None),
               url: Optional[str] = typer.Option(None), code: Optional[str] = CODE,
               replace: bool = typer.Option(False, "--replace", help="Replace a source of the same id imported "
                                            "from another file.")) -> None:
    """Import listings or facts in one transaction; any bad cell aborts the import and changes nothing."""
    from ipolens.app import data
    from ipolens.data.importer import ImportFailed, problem_report

    if file == "prices" or file2:
        if file != "prices" or not file2:
            fail("usage: ipolens import prices FILE" if file == "prices" else f"unexpected extra argument {file2!r}")
        res = data.import_prices(open_store(), file2, source_title=source_title, code=code)
        return typer.echo(f"imported {res.rows} price rows from {file2}")
    try:
        res = data.import_file(open_store(), file, source_title, mapping, kind=kind, publisher=publisher,
                               published=published, url=url, replace=replace)
    except ImportFailed as exc:
        shown, report = problem_report(exc, file)
        for line in shown:
            typer.echo(f"error: {line}", err=True)
        more = f" ({len(shown)} shown; all {len(exc.problems)} are listed in {report})" if report else ""
        typer.echo(f"import aborted: {len(exc.problems)} problem(s){more}; the ledger is unchanged", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"imported {res.facts} facts for {res.entities} listings from {res.rows} rows as source "
               f"{res.source_id}" + (" (replacing its earlier import)" if res.replaced else "")
               + (f", with {res.cornerstone_rows} cornerstone rows" if res.cornerstone_rows else ""))
    for note in res.new_listings:  # a reused code: a different listing, never merged into the old one
        typer.echo(note)


def register(app: typer.Typer) -> None:
    app.add_typer(fetch_app, name="fetch")
    app.command("export")(export_command)
    app.command("import-prices")(import_prices_command)
    app.command("import")(import_cmd)
