"""``ipolens lab``: each command parses its options, calls one use case of ``ipolens.app.lab`` and prints it.
Only typer is imported at module level (start-up stays fast); the app, pandas and numba load when a command runs."""
from __future__ import annotations

import sys
from typing import Optional

import typer

from ._common import FULL_PRECISION, emit, handle_errors, open_store, wants_full_precision

lab_app = typer.Typer(help="Strategy lab: test IPO trading rules on the ledger's listings.", no_args_is_help=True)

_OPT_MARKET = typer.Option("HK", "--market", help="HK, STAR, SH, SZ or NASDAQ")
_OPT_FROM = typer.Option(None, "--from", help="first listing year")
_OPT_TO = typer.Option(None, "--to", help="last listing year")
_OPT_DB = typer.Option(None, "--db", help="ledger file or :memory: (default: $IPOLENS_HOME / user data dir)")
_OPT_JSON = typer.Option(False, "--json", help="machine-readable output")
_OPT_ALL = typer.Option(False, "--all-listings",
                        help="also include listings the source does not count as IPOs (introductions, transfers, "
                             "secondary listings); default: IPOs only (counts_as_ipo), as in `ipolens stats`")
_OPT_IPOS_ONLY = typer.Option(False, "--ipos-only", hidden=True, help="the default now; kept for old scripts")
_OPT_ENGINE = typer.Option("threads", "--engine", help="local, threads (all cores) or dask (ipolens[scale])")
_OPT_SCHED = typer.Option(None, "--scheduler", help="dask scheduler (default: $IPOLENS_DASK_SCHEDULER, else local)")
_OPT_WORKERS = typer.Option(None, "--workers", help="threads or local dask workers (default: one per core)")
_OPT_WALK = typer.Option(None, "--walk-forward", help="TRAIN:TEST[:STEP] listing years: also run on each window")
_OPT_BOOT = typer.Option(0, "--bootstrap", help="N resamples of the listings (with replacement) as a sweep dimension")
_OPT_SEED = typer.Option(0, "--seed", help="seed of the bootstrap resamples (same rows on every engine)")
_OPT_LAKE = typer.Option(None, "--lake", help="read a Parquet lake (export --parquet; folder or fsspec URL)")


def _lab():
    from ..app import lab

    return lab


def _terminal():
    """The renderers (``report.lab_terminal``), loaded once the use case has answered."""
    from ..report import lab_terminal

    return lab_terminal


def _write_csv(frame, path: str, full_precision: bool) -> None:
    """A result table as CSV, rounded as every command's CSV is (``report.terminal.tidy_frame``: no float noise,
    whole numbers without ".0") unless --full-precision / IPOLENS_FULL_PRECISION asks for every digit."""
    from ..report.terminal import tidy_frame

    tidy_frame(frame, full_precision or wants_full_precision()).to_csv(path, index=False)


@lab_app.command("flip")
@handle_errors
def flip(
    market: str = _OPT_MARKET, start: Optional[int] = _OPT_FROM, end: Optional[int] = _OPT_TO,
    exit_: str = typer.Option("debut", "--exit", help="debut (day-0 close) or day:N (close of trading day N)"),
    entry: str = typer.Option("offer", "--entry", help="offer, open:K or close:K"),
    filter_: Optional[str] = typer.Option(None, "--filter", help='e.g. "oversubscription>=100, sector==Healthcare"'),
    stop_loss: Optional[float] = typer.Option(None, "--stop", help="hard stop, fraction (0.15 = -15%)"),
    take_profit: Optional[float] = typer.Option(None, "--take", help="take-profit, fraction"),
    trailing: Optional[float] = typer.Option(None, "--trail", help="trailing stop, fraction"),
    all_listings: bool = _OPT_ALL, ipos_only: bool = _OPT_IPOS_ONLY,
    slippage: Optional[float] = typer.Option(None, "--slippage", help="per fill, fraction of price (default 0)"),
    commission: Optional[float] = typer.Option(None, "--commission", help="broker rate on market orders"),
    handling_fee: Optional[float] = typer.Option(None, "--handling-fee", help="per IPO application (Futu: 50)"),
    trades_csv: Optional[str] = typer.Option(None, "--trades", help="write the per-trade table to this CSV"),
    full_precision: bool = FULL_PRECISION, as_json: bool = _OPT_JSON, db: Optional[str] = _OPT_DB,
) -> None:
    """Buy every matching listing (at the offer by default) and sell at the debut close or on day N."""
    res = _lab().flip(open_store(db), market, start, end, exit_, entry, filter_, stop_loss, take_profit, trailing,
                   all_listings, ipos_only, slippage, commission, handling_fee)
    if trades_csv:
        _write_csv(res.trades, trades_csv, full_precision)
    emit(res, as_json, _terminal().print_flip, full_precision)


@lab_app.command("grid")
@handle_errors
def grid(
    market: str = _OPT_MARKET, start: Optional[int] = _OPT_FROM, end: Optional[int] = _OPT_TO,
    entry: str = typer.Option("offer", "--entry", help="offer, open:K or close:K"),
    exits: str = typer.Option("debut", "--exit", help="list: debut,day:80,day:120"),
    stops: str = typer.Option("none", "--stop", help="list or range: none,0.1,0.15 or 0.05:0.3:0.05"),
    takes: str = typer.Option("none", "--take", help="list or range of take-profit fractions"),
    trails: str = typer.Option("none", "--trail", help="list or range of trailing-stop fractions"),
    min_oversub: str = typer.Option("none", "--min-oversub", help="list of minimum oversubscription (x)"),
    filter_: Optional[str] = typer.Option(None, "--filter", help="base filter applied to every combination"),
    all_listings: bool = _OPT_ALL, ipos_only: bool = _OPT_IPOS_ONLY,
    force: bool = typer.Option(False, "--force", help="allow more than 10^7 combinations"),
    sort: str = typer.Option("mean_net_return", "--sort", help="column to sort by (descending)"),
    top: int = typer.Option(20, "--top", help="rows to print (all rows go to --csv / --json)"),
    csv: Optional[str] = typer.Option(None, "--csv", help="write every combination to this CSV"),
    engine: str = _OPT_ENGINE, scheduler: Optional[str] = _OPT_SCHED, workers: Optional[int] = _OPT_WORKERS,
    walk_forward: Optional[str] = _OPT_WALK, bootstrap: int = _OPT_BOOT, seed: int = _OPT_SEED,
    lake: Optional[str] = _OPT_LAKE, full_precision: bool = FULL_PRECISION,
    as_json: bool = _OPT_JSON, db: Optional[str] = _OPT_DB,
) -> None:
    """Evaluate every combination of exit day, stop, take-profit, trailing stop and demand floor in one call."""
    from rich.progress import Progress

    ex = _lab().executor(engine, scheduler, workers)
    with Progress(transient=True, disable=as_json or not sys.stdout.isatty()) as bar:  # shown for big grids
        task = bar.add_task("grid", visible=False)
        res = _lab().grid(open_store(db), market, start, end, entry, exits, stops, takes, trails, min_oversub,
                       filter_, all_listings, ipos_only, force, sort,
                       lambda done, n: bar.update(task, completed=done, total=n, visible=n >= 20_000),
                       ex, walk_forward, bootstrap, seed, lake)
    if csv:
        _write_csv(res.rows, csv, full_precision)
    emit(res, as_json, lambda r: _terminal().print_grid(r, top), full_precision)


@lab_app.command("run")
@handle_errors
def run(spec_path: str = typer.Argument(..., metavar="STRATEGY.yaml"),
        report: Optional[str] = typer.Option(None, "--report", help="write an HTML tear sheet (works offline)"),
        engine: str = _OPT_ENGINE, scheduler: Optional[str] = _OPT_SCHED, workers: Optional[int] = _OPT_WORKERS,
        walk_forward: Optional[str] = _OPT_WALK, bootstrap: int = _OPT_BOOT, seed: int = _OPT_SEED,
        lake: Optional[str] = _OPT_LAKE,
        as_json: bool = _OPT_JSON, db: Optional[str] = _OPT_DB) -> None:
    """Run a strategy spec (one strategy or a book of sleeves) and optionally write a tear sheet."""
    ex = _lab().executor(engine, scheduler, workers)
    emit(_lab().run(open_store(db), spec_path, report, ex, walk_forward, bootstrap, seed, lake), as_json,
         _terminal().print_run)


@lab_app.command("barbell")
@handle_errors
def barbell(report: Optional[str] = typer.Option(None, "--report", help="write an HTML tear sheet"),
            as_json: bool = _OPT_JSON, db: Optional[str] = _OPT_DB) -> None:
    """The documented barbell example (same as examples/barbell.yaml): swing sleeve + mega-IPO cash reserve."""
    emit(_lab().barbell(open_store(db), report), as_json, _terminal().print_run)


@lab_app.command("metrics")
@handle_errors
def metrics_cmd(
    path: str = typer.Argument(..., help="CSV file with one numeric column per series"),
    column: Optional[str] = typer.Option(None, "--column", help="column to read (default: the only numeric one)"),
    prices: bool = typer.Option(False, "--prices", help="the column holds prices / equity values"),
    returns: bool = typer.Option(False, "--returns", help="the column holds simple returns (fractions)"),
    periods_per_year: float = typer.Option(252, "--periods-per-year", help="252 daily, 52 weekly, 12 monthly"),
    risk_free: float = typer.Option(0.0, "--risk-free", help="ANNUAL risk-free rate, fraction"),
    as_json: bool = _OPT_JSON,
) -> None:
    """Tear-sheet metrics of one series. Say --prices or --returns: the input type is never guessed."""
    res = _lab().metrics(path, column, prices, returns, periods_per_year, risk_free)
    emit(res, as_json, _terminal().print_metrics)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
