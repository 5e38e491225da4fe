"""``ipolens lab``: flip statistics, parameter grids, strategy specs with tear sheets, the barbell example.

Only typer is imported at module level (CLI start-up stays fast); each command imports pandas/numba when it runs.
"""
from __future__ import annotations

import contextlib

from typing import Optional

import typer

lab_app = typer.Typer(help="Strategy lab: test IPO trading rules on the ledger's listings.", no_args_is_help=True)

_OPT_MARKET = typer.Option("HK", "--market", help="HK, STAR, SH, SZ or NASDAQ")
_OPT_FROM = typer.Option(None, "--from", help="first listing year")
_OPT_TO = typer.Option(None, "--to", help="last listing year")
_OPT_DB = typer.Option(None, "--db", help="ledger file or :memory: (default: $IPOLENS_HOME / user data dir)")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _clean(v):
    """JSON-safe: NaN (undefined) -> null, +-inf -> "inf" / "-inf" (a real limit, e.g. a riskless gain's Sharpe),
    numpy scalars -> Python."""
    import math

    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):  # arrays of size > 1 stay as they are
            v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _dump(obj) -> None:
    import json
    import sys

    sys.stdout.write(json.dumps(_clean(obj), ensure_ascii=False, indent=2, default=str) + "\n")


_OPT_ALL = typer.Option(False, "--all-listings",
                        help="also include listings the source does not count as IPOs (introductions, transfers, "
                             "secondary listings); default: IPOs only (counts_as_ipo), as in `ipolens stats`")
_OPT_IPOS_ONLY = typer.Option(False, "--ipos-only", hidden=True, help="the default now; kept for old scripts")

_EXCLUDED_WHY = {
    "not_ipo": "not an IPO by the source's counts_as_ipo flag (include with --all-listings)",
    "no_prices": "no debut or later price in the data",
    "no_offer_price": "no offer price, so nothing to be allotted at (enter at open:K or close:K instead)",
}


def _universe(db_path, market, start, end, all_listings, ipos_only=False, bars="auto"):
    from ..lab.universe import from_database

    from ._common import open_db

    if all_listings and ipos_only:
        _fail("--all-listings and --ipos-only contradict each other (IPOs only is the default)")
    db = open_db(db_path)
    return from_database(db, market=market, start=start, end=end, ipos_only=not all_listings, bars=bars)


def _universe_report(u, no_offer: int, all_listings: bool) -> dict:
    """How many listings the universe holds and how many were left out of trades, by reason."""
    excluded = {k: int(v) for k, v in u.excluded.items()}
    excluded["no_offer_price"] = int(no_offer)
    return {"ipos_only": not all_listings, "listings": len(u), "excluded": excluded,
            "excluded_why": {k: _EXCLUDED_WHY[k] for k, v in excluded.items() if v}}


def _fees(market, slippage, commission, handling_fee):
    from ..lab.fees import schedule

    return schedule(market).with_overrides(slippage=slippage, commission=commission, handling_fee=handling_fee)


def _opt_fraction(v: Optional[float], name: str) -> Optional[float]:
    if v is None:
        return None
    if not (0 < v < 1) and name != "take_profit":
        _fail(f"--{name.replace('_', '-')} is a fraction in (0, 1): 0.15 = 15%")
    return v


@lab_app.command("flip")
def flip(
    market: str = _OPT_MARKET,
    start: Optional[int] = _OPT_FROM,
    end: Optional[int] = _OPT_TO,
    exit_: str = typer.Option("debut", "--exit", help="debut (day-0 close) or day:N (close of trading day N)"),
    entry: str = typer.Option("offer", "--entry", help="offer, open:K or close:K"),
    filter_: Optional[str] = typer.Option(None, "--filter", help='e.g. "oversubscription>=100, sector==Healthcare"'),
    stop_loss: Optional[float] = typer.Option(None, "--stop", help="hard stop, fraction (0.15 = -15%)"),
    take_profit: Optional[float] = typer.Option(None, "--take", help="take-profit, fraction"),
    trailing: Optional[float] = typer.Option(None, "--trail", help="trailing stop, fraction"),
    all_listings: bool = _OPT_ALL,
    ipos_only: bool = _OPT_IPOS_ONLY,
    slippage: Optional[float] = typer.Option(None, "--slippage", help="per fill, fraction of price (default 0)"),
    commission: Optional[float] = typer.Option(None, "--commission", help="broker rate on market orders"),
    handling_fee: Optional[float] = typer.Option(None, "--handling-fee", help="per IPO application (Futu: 50)"),
    trades_csv: Optional[str] = typer.Option(None, "--trades", help="write the per-trade table to this CSV"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    db: Optional[str] = _OPT_DB,
) -> None:
    """Buy every matching listing (at the offer by default) and sell at the debut close or on day N."""
    try:
        from ..lab.rules import Exit, Strategy, parse_entry, parse_exit, parse_filters, simulate

        strat = Strategy(parse_entry(entry), Exit(parse_exit(exit_), _opt_fraction(stop_loss, "stop_loss"),
                                                  _opt_fraction(take_profit, "take_profit"),
                                                  _opt_fraction(trailing, "trailing")),
                         tuple(parse_filters(filter_)))
        fees = _fees(market, slippage, commission, handling_fee)
        u = _universe(db, market, start, end, all_listings, ipos_only)
        if strat.exit.day not in u.horizons():
            import difflib

            have = [f"day:{d}" if d else "debut" for d in u.horizons()]
            hint = difflib.get_close_matches(exit_, have, n=1)
            _fail(f"no bars on trading day {strat.exit.day} in this data (have: {', '.join(have[:12])})"
                  + (f"; did you mean {hint[0]}?" if hint else ""))
        res = simulate(u, strat, fees)
    except ValueError as exc:
        _fail(str(exc))
    import numpy as np

    from ..lab.universe import excess_vs_bench

    st = dict(res.stats)
    st.pop("kernel", None)
    uni = _universe_report(u, st.pop("excluded_no_offer_price"), all_listings)
    out = {"market": market.upper(), "from": start, "to": end, "entry": entry, "exit": exit_, "filter": filter_,
           "stop_loss": stop_loss, "take_profit": take_profit, "trailing": trailing, "currency": fees.currency,
           "bars": sorted(set(u.meta["source"])), **st, "universe": uni,
           "fees": {"schedule": fees.market, "slippage": fees.slippage}}
    if strat.exit.day > 0 and np.isfinite(u.bench).any():
        # HSI runs from the listing-day close: compare from there, whatever the entry (SOURCE.md re-basing)
        ex = excess_vs_bench(u, strat.exit.day)[res.closed["listing"].to_numpy(np.int64)]
        ex = ex[np.isfinite(ex)]
        out["excess_vs_hsi_from_debut_close"] = {
            "count": int(ex.size), "mean_pct": float(ex.mean() * 100) if ex.size else None,
            "median_pct": float(np.median(ex) * 100) if ex.size else None}
    if trades_csv:
        res.trades.drop(columns=["entry_bar", "exit_bar", "listing"]).to_csv(trades_csv, index=False)
    if as_json:
        _dump(out)
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"flip {market.upper()} {start or ''}–{end or ''}  entry {entry}  exit {exit_}"
                    + (f"  filter {filter_}" if filter_ else ""))
    t.add_column("metric")
    t.add_column("value", justify="right")
    for k, v in out.items():
        if k in ("market", "from", "to", "entry", "exit", "filter", "fees") or v is None:
            continue
        if k == "universe":
            t.add_row("universe.listings", str(v["listings"]) + ("  (IPOs only)" if v["ipos_only"] else
                                                                 "  (all listings)"))
            for kk, vv in v["excluded"].items():
                if vv:
                    t.add_row(f"excluded.{kk}", f"{vv}  ({_EXCLUDED_WHY[kk]})")
            continue
        if isinstance(v, dict):
            for kk, vv in v.items():
                t.add_row(f"{k}.{kk}", "–" if vv is None else f"{vv:,.4f}" if isinstance(vv, float) else str(vv))
            continue
        t.add_row(k, f"{v:,.4f}" if isinstance(v, float) else str(v))
    Console().print(t)


@lab_app.command("grid")
def grid(
    market: str = _OPT_MARKET,
    start: Optional[int] = _OPT_FROM,
    end: Optional[int] = _OPT_TO,
    entry: str = typer.Option("offer", "--entry", help="offer, open:K or close:K"),
    exits: str = typer.Option("debut", "--exit", help="list: debut,day:80,day:120"),
    stops: str = typer.Option("none", "--stop", help="list or range: none,0.1,0.15 or 0.05:0.3:0.05"),
    takes: str = typer.Option("none", "--take", help="list or range of take-profit fractions"),
    trails: str = typer.Option("none", "--trail", help="list or range of trailing-stop fractions"),
    min_oversub: str = typer.Option("none", "--min-oversub", help="list of minimum oversubscription (x)"),
    filter_: Optional[str] = typer.Option(None, "--filter", help="base filter applied to every combination"),
    all_listings: bool = _OPT_ALL,
    ipos_only: bool = _OPT_IPOS_ONLY,
    force: bool = typer.Option(False, "--force", help="allow more than 10^7 combinations"),
    sort: str = typer.Option("mean_net_return", "--sort", help="column to sort by (descending)"),
    top: int = typer.Option(20, "--top", help="rows to print (all rows go to --csv / --json)"),
    csv: Optional[str] = typer.Option(None, "--csv", help="write every combination to this CSV"),
    as_json: bool = typer.Option(False, "--json"),
    db: Optional[str] = _OPT_DB,
) -> None:
    """Evaluate every combination of exit day, stop, take-profit, trailing stop and demand floor in one call."""
    try:
        from ..lab.grid import count_combos, parse_values, run_grid
        from ..lab.rules import Strategy, parse_entry, parse_filters

        params = {"exit_day": parse_values(exits, integer=True), "stop_loss": parse_values(stops),
                  "take_profit": parse_values(takes), "trailing": parse_values(trails),
                  "min_oversubscription": parse_values(min_oversub)}
        n = count_combos(params)
        from ..lab.grid import MAX_COMBOS

        if n > MAX_COMBOS and not force:
            _fail(f"{n:,} combinations is over {MAX_COMBOS:,}; narrow the grid or pass --force")
        base = Strategy(parse_entry(entry), filters=tuple(parse_filters(filter_)))
        u = _universe(db, market, start, end, all_listings, ipos_only)
        if sort.lstrip("-") not in ("exit_day", "stop_loss", "take_profit", "trailing", "min_oversubscription",
                                    "n_trades", "mean_return", "median_return", "std_return", "hit_rate",
                                    "avg_win", "avg_loss", "stop_hits", "take_profit_hits", "trailing_hits",
                                    "mean_net_return", "mean_pnl_per_lot", "open_positions"):
            _fail(f"cannot sort by {sort!r}")
        if n >= 20_000 and not as_json:
            from rich.progress import Progress

            with Progress(transient=True) as prog:
                task = prog.add_task("grid", total=n)
                df = run_grid(u, base, params, force=force,
                              progress=lambda done, tot: prog.update(task, completed=done))
        else:
            df = run_grid(u, base, params, force=force)
    except ValueError as exc:
        _fail(str(exc))
    df = df.sort_values(sort.lstrip("-"), ascending=sort.startswith("-"), na_position="last", kind="stable")
    if csv:
        df.to_csv(csv, index=False)
    uni = _universe_report(u, df.attrs.get("excluded_no_offer_price", 0), all_listings)
    if as_json:
        _dump({"market": market.upper(), "from": start, "to": end, "entry": entry, "combinations": len(df),
               "units": _GRID_UNITS, "universe": uni, "rows": df.to_dict("records")})
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"grid: {len(df):,} combinations, top {min(top, len(df))} by {sort}  "
                    f"({uni['listings']} {'IPOs' if uni['ipos_only'] else 'listings'}; % = percent)")
    pct = [c in _GRID_PCT for c in df.columns]
    for c, p in zip(df.columns, pct):
        t.add_column(f"{c} %" if p else "exit" if c == "exit_day" else c, justify="right")
    for row in df.head(top).itertuples(index=False):
        cells = []
        for c, p, v in zip(df.columns, pct, row):
            if c == "exit_day":
                cells.append("debut" if int(v) == 0 else f"day:{int(v)}")
            elif isinstance(v, float):
                cells.append("–" if v != v else f"{v * 100:.4g}" if p else f"{v:.4g}")
            else:
                cells.append(str(v))
        t.add_row(*cells)
    Console().print(t)
    _print_excluded(uni)


# grid rows hold fractions (0.25 = 25%) in JSON/CSV; the table shows these columns in percent
_GRID_PCT = ("stop_loss", "take_profit", "trailing", "mean_return", "median_return", "std_return", "hit_rate",
             "avg_win", "avg_loss", "mean_net_return")
_GRID_UNITS = {"fraction (0.25 = 25%)": list(_GRID_PCT), "x (times covered)": ["min_oversubscription"],
               "currency per board lot": ["mean_pnl_per_lot"], "trading days (0 = debut)": ["exit_day"]}
# `lab run` / `barbell` summary columns that are fractions, shown in percent in the table
_RUN_PCT = ("total_return", "cagr", "annual_volatility", "max_drawdown", "hit_rate", "hit_rate_after_fees",
            "exposure")


def _print_excluded(uni: dict) -> None:
    for k, v in uni["excluded"].items():
        if v:
            typer.echo(f"excluded {v} listing(s): {_EXCLUDED_WHY[k]}")


def _run_spec(sp, db, report, as_json, title=None) -> None:
    from ..lab.book import run_book
    from ..lab.universe import from_database


    from ._common import open_db

    u = from_database(open_db(db), market=sp.market, start=sp.start, end=sp.end, ipos_only=sp.ipos_only,
                      bars=sp.bars)
    res = run_book(sp.book, u, sp.fees, periods_per_year=sp.periods_per_year, risk_free=sp.risk_free)
    if report:
        from ..lab.tearsheet import write_report

        write_report(res, report, title or f"ipolens lab: {sp.name}")
    out = {"name": sp.name, **res.to_dict()}
    if report:
        out["report"] = str(report)
    if as_json:
        _dump(out)
        return
    from rich.console import Console
    from rich.table import Table

    cols = ["weight", "total_return", "cagr", "annual_volatility", "sharpe_ratio", "sortino_ratio", "max_drawdown",
            "calmar_ratio", "trades", "hit_rate", "hit_rate_after_fees", "exposure", "turnover", "end_equity"]
    t = Table(title=f"{sp.name}: {out['start']} to {out['end']}  (P = {sp.periods_per_year:g}, "
                    f"rf {sp.risk_free:g} annual)")
    # metrics down, sleeves across: stays readable in an 80-column terminal
    t.add_column("metric")
    for name in res.summary.index:
        t.add_column(str(name), justify="right")
    for c in cols:
        vals = res.summary[c].tolist()
        if c in _RUN_PCT:  # fractions in JSON; percent here, like the rest of the tool
            t.add_row(f"{c} %", *[("–" if v != v else f"{v * 100:,.4g}") for v in vals])
            continue
        t.add_row(c, *[("–" if v != v else f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:,.4g}") for v in vals])
    Console().print(t)
    uni = res.conventions.get("universe", {})
    n_ex = sum(uni.get("excluded_no_offer_price", {}).values())
    _print_excluded({"excluded": {**uni.get("excluded", {}), "no_offer_price": n_ex}})
    if report:
        typer.echo(f"report: {report}")


@lab_app.command("run")
def run(
    spec_path: str = typer.Argument(..., metavar="STRATEGY.yaml"),
    report: Optional[str] = typer.Option(None, "--report", help="write an HTML tear sheet (works offline)"),
    as_json: bool = typer.Option(False, "--json"),
    db: Optional[str] = _OPT_DB,
) -> None:
    """Run a strategy spec (one strategy or a book of sleeves) and optionally write a tear sheet."""
    try:
        from ..lab.spec import load_spec

        sp = load_spec(spec_path)
        _run_spec(sp, db, report, as_json)
    except ValueError as exc:
        _fail(str(exc))


@lab_app.command("barbell")
def barbell(
    report: Optional[str] = typer.Option(None, "--report", help="write an HTML tear sheet"),
    as_json: bool = typer.Option(False, "--json"),
    db: Optional[str] = _OPT_DB,
) -> None:
    """The documented barbell example (same as examples/barbell.yaml): swing sleeve + mega-IPO cash reserve."""
    try:
        from ..lab.spec import BARBELL_EXAMPLE, parse_spec

        _run_spec(parse_spec(BARBELL_EXAMPLE, source="barbell"), db, report, as_json)
    except ValueError as exc:
        _fail(str(exc))


@lab_app.command("metrics")
def metrics_cmd(
    path: str = typer.Argument(..., help="CSV file with one numeric column per series"),
    column: Optional[str] = typer.Option(None, "--column", help="column to read (default: the only numeric one)"),
    prices: bool = typer.Option(False, "--prices", help="the column holds prices / equity values"),
    returns: bool = typer.Option(False, "--returns", help="the column holds simple returns (fractions)"),
    periods_per_year: float = typer.Option(252, "--periods-per-year", help="252 daily, 52 weekly, 12 monthly"),
    risk_free: float = typer.Option(0.0, "--risk-free", help="ANNUAL risk-free rate, fraction"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Tear-sheet metrics of one series. Say --prices or --returns: the input type is never guessed."""
    if prices == returns:
        _fail("state exactly one of --prices or --returns (the input type is never guessed)")
    try:
        import pandas as pd

        from ..lab.metrics import compute

        try:
            df = pd.read_csv(path)
        except FileNotFoundError:
            _fail(f"no such file: {path}")
        if column is None:
            num = df.select_dtypes("number").columns
            if len(num) != 1:
                _fail(f"{len(num)} numeric columns in {path}; pick one with --column")
            column = num[0]
        if column not in df:
            _fail(f"no column {column!r} in {path} (have: {', '.join(map(str, df.columns))})")
        out = compute(df[column].to_numpy(), kind="prices" if prices else "returns",
                      periods_per_year=periods_per_year, risk_free=risk_free)
    except ValueError as exc:
        _fail(str(exc))
    out = {"column": column, "kind": "prices" if prices else "returns", "periods_per_year": periods_per_year,
           "risk_free_annual": risk_free, **out}
    if as_json:
        _dump(out)
        return
    for k, v in out.items():
        typer.echo(f"{k:>20}  {v:.6g}" if isinstance(v, float) else f"{k:>20}  {v}")


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
