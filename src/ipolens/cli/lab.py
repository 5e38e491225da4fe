"""``ipolens lab``: each command parses its options, calls one use case of ``ipolens.app.lab`` and prints it.
Only typer is imported at module level (start-up stays fast); the app, pandas and numba load when a command runs."""
from __future__ import annotations

import sys
from typing import Optional

import typer

from ._common import FULL_PRECISION, emit, handle_errors, open_store, show, wants_full_precision

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
_SKIP = ("market", "from", "to", "entry", "exit", "filter", "fees", "left_out")  # in the title / excluded rows


def _lab():
    from ..app import lab

    return lab


def _num(v) -> str:
    return "–" if v is None else f"{v:,.4f}" if isinstance(v, float) else str(v)


def _write_csv(frame, path: str, full_precision: bool) -> None:
    """A result table as CSV, rounded as every command's CSV is (``report.terminal.tidy_frame``: no float noise,
    whole numbers without ".0") unless --full-precision / IPOLENS_FULL_PRECISION asks for every digit."""
    from ..report.terminal import tidy_frame

    tidy_frame(frame, full_precision or wants_full_precision()).to_csv(path, index=False)


def _echo_excluded(excluded: dict, why: dict) -> None:
    from rich.console import Console
    from rich.text import Text

    from ..i18n import t
    from ..report.terminal import reason_text

    con = Console()  # wrapped to the terminal, like the tables
    for k, n in excluded.items():
        if n:
            con.print(Text(t("lab.excluded", n=n, why=reason_text(k, why[k]))))


def _metric(name: str) -> str:
    """A result's key as a label: ``lab.m.<key>`` from the catalogue (English keeps the keys scripts read: hit_rate,
    mean_return_pct); a dotted key (universe.listings) label by label."""
    from ..i18n import has, t

    def one(p: str) -> str:
        side, _, rest = p.partition("_")  # a walk-forward summary's train_<column> / test_<column>
        if not has(f"lab.m.{p}") and side in ("train", "test") and has(f"lab.m.{rest}"):
            return t(f"lab.m.{side}_of", x=t(f"lab.m.{rest}"))
        return t(f"lab.m.{p}") if has(f"lab.m.{p}") else p

    return t("lab.m.sep").join(one(p) for p in name.split("."))


def _pct_head(name: str) -> str:
    from ..i18n import t

    return t("lab.pct_head", h=_metric(name))


def _rule(text) -> str:
    """An entry or exit rule as the reader's words: offer, debut, day:N, open:K, close:K (else as typed)."""
    from ..i18n import has, t

    s = str(text)
    kind, _, n = s.partition(":")
    if n.isdigit() and has(f"lab.rule.{kind}_n"):
        return t(f"lab.rule.{kind}_n", n=int(n))
    return t(f"lab.rule.{s}") if has(f"lab.rule.{s}") else s


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
    emit(res, as_json, _render_flip, full_precision)


def _render_flip(res) -> None:
    from ..i18n import t
    from ..report.terminal import reason_text

    rows = []
    for k, v in res.to_dict().items():
        if k == "universe":
            which = t("lab.ipos_only" if v["ipos_only"] else "lab.all_listings")
            rows.append((_metric("universe.listings"), f"{v['listings']}  ({which})"))
            rows += [(_metric(f"excluded.{kk}"), f"{n}  ({reason_text(kk, v['excluded_why'][kk])})")
                     for kk, n in v["excluded"].items() if n]
        elif isinstance(v, dict) and k not in _SKIP:
            rows += [(_metric(f"{k}.{kk}"), _num(vv)) for kk, vv in v.items()]
        elif k == "currency" and v:
            rows.append((_metric(k), t(f"currency_name.{v}")))
        elif isinstance(v, list) and k not in _SKIP:  # the kinds of price bars used
            rows.append((_metric(k), ", ".join(_metric(str(x)) for x in v)))
        elif k not in _SKIP and v is not None:
            rows.append((_metric(k), _num(v)))
    from ..i18n import current_lang
    from ..report.common import value_label

    show(t("lab.flip_title", market=value_label("market", res.market, current_lang()), start=res.start or "", end=res.end or "", entry=_rule(res.entry),
           exit=_rule(res.exit)) + (t("lab.flip_filter", filter=res.filter) if res.filter else ""),
         ["lab.col.metric", "lab.col.value"], rows, left=("lab.col.metric",))


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
    emit(res, as_json, lambda r: _render_grid(r, top), full_precision)


# grid columns, most important first (the rule's parameters, then the outcome): a narrow terminal hides the last
_GRID_PRIORITY = ("exit_day", "stop_loss", "take_profit", "trailing", "min_oversubscription", "mean_net_return",
                  "n_trades", "mean_return", "hit_rate", "mean_pnl_per_lot", "median_return", "avg_win", "avg_loss",
                  "std_return", "stop_hits", "take_profit_hits", "trailing_hits", "open_positions")

_RULE_PARAMS = ("stop_loss", "take_profit", "trailing")  # fractions the user set, not outcomes


def _render_grid(res, top: int) -> None:
    from ..i18n import t
    from ..report.columns_terminal import Col, render

    df, uni, pct = res.rows, res.universe, _lab().GRID_PCT

    def cell(c, v) -> str:
        if c == "exit_day":
            return _rule("debut") if int(v) == 0 else _rule(f"day:{int(v)}")
        if isinstance(v, float):
            # a return or rate in percent with two decimals (10.36, 7.71, 3.34 line up; four significant digits are
            # for small probabilities, not returns); a rule's parameter as set (a 25 % stop reads 25)
            if v != v:
                return "–"
            return f"{v * 100:.4g}" if c in _RULE_PARAMS else f"{v * 100:.2f}" if c in pct else \
                f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"  # P&L per lot, oversubscription: never 1.2e+04
        return _metric(v) if c in ("window", "segment", "sample") and isinstance(v, str) else str(v)

    def table(title: str, frame, note: str = "") -> None:
        off = [c for c in frame.columns if c in _GRID_PRIORITY and c != "exit_day" and frame[c].isna().all()]
        frame = frame.drop(columns=off)  # a rule left off in every combination says nothing per row
        cols = [Col(c, _pct_head(c) if c in pct else t("lab.col.exit") if c == "exit_day" else _metric(c),
                    numeric=c != "exit_day") for c in frame.columns]
        rows = [[cell(c, v) for c, v in zip(frame.columns, r)] for r in frame.itertuples(index=False)]
        notes = ((t("lab.not_set", cols=", ".join(map(_metric, off))),) if off else ()) + ((note,) if note else ())
        render(title, cols, rows, priority=[res.sort, *_GRID_PRIORITY, *frame.columns], notes=notes,
               option="--csv FILE")

    table(t("lab.grid_title", n=f"{len(df):,}", top=min(top, len(df)), sort=_metric(res.sort.lstrip("-")),
            listings=uni["listings"], what=t("lab.what_ipos" if uni["ipos_only"] else "lab.what_listings")),
          df.head(top))
    if res.summary is not None and len(res.summary):  # walk-forward: best on train, then test; or bootstrap
        table(t("lab.sweep_summary"), res.summary.dropna(axis=1, how="all"))
    _echo_excluded(uni["excluded"], uni["excluded_why"])


def _render_run(res) -> None:
    """Metrics down, sleeves across: stays readable in an 80-column terminal."""
    from ..i18n import t

    s, pct = res.book.summary, _lab().RUN_PCT
    rows = [[_pct_head(c) if c in pct else _metric(c)]  # fractions in JSON; percent here, like the rest of the tool
            + ["–" if v != v else f"{v * 100:,.4g}" if c in pct else f"{v:,.0f}" if abs(v) >= 1e4
               else f"{v:,.4g}" for v in s[c].tolist()] for c in _lab().RUN_COLUMNS]
    show(t("lab.run_title", name=res.name, start=res.book.dates[0].date(), end=res.book.dates[-1].date(),
           p=f"{res.periods_per_year:g}", rf=f"{res.risk_free:g}"),
         ["lab.col.metric", *(_metric(str(x)) for x in s.index)], rows, left=("lab.col.metric",))
    _echo_excluded(*res.excluded())
    if res.samples is not None:  # one row per sample: the book's total
        tot = res.samples[res.samples["sleeve"] == "total"].dropna(axis=1, how="all")
        show(t("lab.samples_title", n=len(tot)), [_metric(str(c)) for c in tot.columns],
             [[_metric(v) if isinstance(v, str) else _num(v) for v in r] for r in tot.values])
    if res.report:
        typer.echo(t("lab.report_written", path=res.report))


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
         _render_run)


@lab_app.command("barbell")
@handle_errors
def barbell(report: Optional[str] = typer.Option(None, "--report", help="write an HTML tear sheet"),
            as_json: bool = _OPT_JSON, db: Optional[str] = _OPT_DB) -> None:
    """The documented barbell example (same as examples/barbell.yaml): swing sleeve + mega-IPO cash reserve."""
    emit(_lab().barbell(open_store(db), report), as_json, _render_run)


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
    emit(res, as_json, lambda r: [typer.echo(f"{k:>20}  {v:.6g}" if isinstance(v, float) else f"{k:>20}  {v}")
                                  for k, v in r.values().items()])


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
