"""Strategy lab use cases: flip statistics, parameter grids, strategy specs (and the built-in barbell), metrics.

The ledger is read once per use case (listings, event-horizon returns, daily bars); the lab layer builds the
universe and simulates. Every rule of the lab's options (defaults, contradictions, which exits exist) lives here.
"""
from __future__ import annotations

import contextlib
import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import numpy as np
import pandas as pd

from ..lab.book import BookResult
from ..lab.executor import DaskMissing, Executor, resolve
from ..lab.fees import FeeSchedule, schedule
from ..lab.grid import GRID_COLUMNS, MAX_COMBOS, count_combos, parse_values, run_grid
from ..lab.rules import Exit, Strategy, parse_entry, parse_exit, parse_filters, simulate
from ..lab.spec import BARBELL_EXAMPLE, Spec, load_spec, parse_spec
from ..lab import sweep as sw
from ..analytics.left_out import REASONS, codes_of, report
from ..lab.universe import Universe, excess_summary, from_frames, select_listings, split_daily_bars
from ..ledger.access import Store
from ..ledger.lake import lake_daily_bars
from ..ledger.markets import normalise_market
from ..ledger.queries.lab import lab_aftermarket, lab_daily_bars, lab_listings
from ..ledger.queries.left_out import undated_rows
from .base import Result, UserError, jsonable

__all__ = ["FlipResult", "GridResult", "RunResult", "MetricsResult", "load_universe", "flip", "grid", "run",
           "barbell", "metrics", "EXCLUDED_WHY", "executor"]

EXCLUDED_WHY = {
    "no_listing_date": REASONS["no_listing_date"],
    "out_of_years": "listed outside --from/--to",
    "not_ipo": "not an IPO by the source's counts_as_ipo flag (include with --all-listings)",
    "no_prices": REASONS["no_prices"],
    "no_offer_price": REASONS["no_offer_price"],
}
# grid rows hold fractions (0.25 = 25%); these are the columns a table shows in percent
GRID_PCT = ("stop_loss", "take_profit", "trailing", "mean_return", "median_return", "std_return", "hit_rate",
            "avg_win", "avg_loss", "mean_net_return")
# the `lab run` table's rows, and those that are fractions (shown in percent)
RUN_COLUMNS = ("weight", "total_return", "cagr", "annual_volatility", "sharpe_ratio", "sortino_ratio",
               "max_drawdown", "calmar_ratio", "trades", "hit_rate", "hit_rate_after_fees", "exposure", "turnover",
               "end_equity")
RUN_PCT = ("total_return", "cagr", "annual_volatility", "max_drawdown", "hit_rate", "hit_rate_after_fees",
           "exposure")
GRID_UNITS = {"fraction (0.25 = 25%)": list(GRID_PCT), "x (times covered)": ["min_oversubscription"],
              "currency per board lot": ["mean_pnl_per_lot"], "trading days (0 = debut)": ["exit_day"]}


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """The lab layer says what is wrong with a ValueError; to the faces that is the user's input (exit 2, 400)."""
    try:
        yield
    except UserError:
        raise
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _label_inf(v: Any) -> Any:
    """+-inf is a real limit here (a riskless gain's Sharpe): JSON shows it as "inf"/"-inf", not null."""
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, dict):
        return {k: _label_inf(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_label_inf(x) for x in v]
    return v


def _json(obj: dict) -> dict:
    return jsonable(_label_inf(obj))


def _ipos_only(all_listings: bool, ipos_only: bool) -> bool:
    if all_listings and ipos_only:
        raise UserError("--all-listings and --ipos-only contradict each other (IPOs only is the default)")
    return not all_listings


def executor(engine: str = "threads", scheduler: Optional[str] = None, workers: Optional[int] = None) -> Executor:
    """The executor the options ask for (``lab.executor.resolve``), its errors as the user's."""
    try:
        return resolve(engine, scheduler, workers)
    except (DaskMissing, ValueError) as exc:
        raise UserError(str(exc)) from None


def _samples(u: Universe, walk_forward: Optional[str], bootstrap: int, seed: int) -> list:
    with _user_errors():
        return sw.samples(len(u), u.meta["listing_date"], walk_forward, bootstrap, seed)


def _sweep(walk_forward: Optional[str], bootstrap: int, seed: int) -> Optional[dict]:
    if not walk_forward and not bootstrap:
        return None
    return {"walk_forward": walk_forward, "bootstrap": bootstrap, "seed": seed}


def load_universe(store: Store, market: str = "HK", start: Optional[int] = None, end: Optional[int] = None,
                  ipos_only: bool = True, bars: str = "auto", lake: Optional[str] = None,
                  last_day: Optional[int] = None) -> Universe:
    """The lab's universe of ``market``'s listings with listing year in [start, end] (IPOs only by default).
    ``lake``: the daily bars come from that Parquet lake (``ipolens export --parquet``), not the ledger; with
    ``last_day`` (the last trading day the job looks at), only each listing's bars up to that day are read."""
    with _user_errors():
        market = normalise_market(market)
        if lake:  # facts (listings, returns) and daily bars both from the lake
            from .stats import lake_store

            store = lake_store(lake)
        with store.read() as led:
            listings = lab_listings(led, market)
            undated = undated_rows(led, market)
            sel, left = select_listings(listings, market, start, end, ipos_only)
            after = lab_aftermarket(led, market)
            # bars are stored per listing (entity key): two listings of a reused code never share them
            if bars == "events":
                prices = None
            elif lake:  # day k is the listing's k-th bar from its listing date (from_frames): read no further
                prices = lake_daily_bars(lake, sel["entity"].tolist(), sel["listing_date"].tolist(),
                                         None if last_day is None else last_day + 1)
            else:
                prices = lab_daily_bars(led, sel["entity"].tolist())
        return from_frames(sel, after, split_daily_bars(prices), bars=bars, market=market,
                           left_out={"no_listing_date": codes_of(undated), **left})


def _no_offer_codes(u: Universe, strategies) -> list[str]:
    """Listings an offer entry of any of ``strategies`` would take but cannot: they have no offer price."""
    mask = np.zeros(len(u), dtype=bool)
    for s in strategies:
        mask |= s.active(u) & s.no_offer(u)
    return codes_of(u.meta[mask])


def _left_out(u: Universe, no_offer: list[str]) -> list[dict]:
    """``left_out`` of a backtest: the universe's reasons in order, then the listings with no offer price."""
    return report([*u.left_out.items(), ("no_offer_price", no_offer)])


def _universe_report(u: Universe, no_offer: list[str], ipos_only: bool) -> dict:
    """How many listings the universe holds and how many were left out of trades, by reason (with their codes)."""
    excluded = {k: int(v) for k, v in u.excluded.items()}
    excluded["no_offer_price"] = len(no_offer)
    return {"ipos_only": ipos_only, "listings": len(u), "excluded": excluded,
            "excluded_why": {k: EXCLUDED_WHY[k] for k, v in excluded.items() if v}}


def _fees(market: str, slippage: Optional[float], commission: Optional[float],
          handling_fee: Optional[float]) -> FeeSchedule:
    return schedule(market).with_overrides(slippage=slippage, commission=commission, handling_fee=handling_fee)


@dataclass
class FlipResult(Result):
    market: str
    start: Optional[int]
    end: Optional[int]
    entry: str
    exit: str
    filter: Optional[str]
    stop_loss: Optional[float]
    take_profit: Optional[float]
    trailing: Optional[float]
    currency: str
    bars: list
    stats: dict  # count, mean/median return (percent), hit rates, P&L per lot, stop hits...
    universe: dict
    fees: dict
    excess_vs_hsi: Optional[dict]  # from the debut close, day:N exits on event-horizon bars only
    trades: pd.DataFrame = field(repr=False)  # one row per trade (the --trades CSV), not in the JSON
    left_out: list = field(default_factory=list)  # listings left out, by reason, with their codes

    def to_dict(self) -> dict:
        out = {"market": self.market, "from": self.start, "to": self.end, "entry": self.entry, "exit": self.exit,
               "filter": self.filter, "stop_loss": self.stop_loss, "take_profit": self.take_profit,
               "trailing": self.trailing, "currency": self.currency, "bars": self.bars, **self.stats,
               "universe": self.universe, "left_out": self.left_out, "fees": self.fees}
        if self.excess_vs_hsi is not None:
            out["excess_vs_hsi_from_debut_close"] = self.excess_vs_hsi
        return _json(out)


def flip(store: Store, market: str = "HK", start: Optional[int] = None, end: Optional[int] = None,
         exit: str = "debut", entry: str = "offer", filter: Optional[str] = None,
         stop_loss: Optional[float] = None, take_profit: Optional[float] = None, trailing: Optional[float] = None,
         all_listings: bool = False, ipos_only: bool = False, slippage: Optional[float] = None,
         commission: Optional[float] = None, handling_fee: Optional[float] = None) -> FlipResult:
    """Buy every matching listing (at the offer by default) and sell at the debut close or on day N."""
    only_ipos = _ipos_only(all_listings, ipos_only)
    with _user_errors():
        market = normalise_market(market)
        strat = Strategy(parse_entry(entry), Exit(parse_exit(exit), stop_loss, take_profit, trailing),
                         tuple(parse_filters(filter)))
        fees = _fees(market, slippage, commission, handling_fee)
        u = load_universe(store, market, start, end, ipos_only=only_ipos)
        if strat.exit.day not in u.horizons():
            have = [f"day:{d}" if d else "debut" for d in u.horizons()]
            hint = difflib.get_close_matches(exit, have, n=1)
            raise UserError(f"no bars on trading day {strat.exit.day} in this data (have: {', '.join(have[:12])})"
                            + (f"; did you mean {hint[0]}?" if hint else ""))
        res = simulate(u, strat, fees)
    stats = {k: v for k, v in res.stats.items() if k not in ("kernel", "excluded_no_offer_price")}
    # HSI runs from the listing-day close: compare from there, whatever the entry (SOURCE.md re-basing)
    excess = excess_summary(u, res.closed["listing"].to_numpy(), strat.exit.day)
    return FlipResult(market, start, end, entry, exit, filter, stop_loss, take_profit, trailing, fees.currency,
                      sorted(set(u.meta["source"])), stats,
                      _universe_report(u, no_offer := _no_offer_codes(u, [strat]), only_ipos),
                      {"schedule": fees.market, "slippage": fees.slippage}, excess,
                      res.trades.drop(columns=["entry_bar", "exit_bar", "listing"]), _left_out(u, no_offer))


@dataclass
class GridResult(Result):
    market: str
    start: Optional[int]
    end: Optional[int]
    entry: str
    sort: str
    universe: dict
    rows: pd.DataFrame  # one row per combination (and sample), sorted; fractions, not percent (see GRID_UNITS)
    left_out: list = field(default_factory=list)  # listings left out, by reason, with their codes
    sweep: Optional[dict] = None  # walk-forward / bootstrap settings; None for a plain grid
    summary: Optional[pd.DataFrame] = None  # per window: best on train, result on test; or bootstrap intervals

    def to_dict(self) -> dict:
        out = {"market": self.market, "from": self.start, "to": self.end, "entry": self.entry,
               "combinations": len(self.rows), "units": GRID_UNITS, "universe": self.universe,
               "left_out": self.left_out, "rows": self.rows.to_dict("records")}
        if self.sweep is not None:
            out["sweep"] = self.sweep
            out["summary"] = self.summary.to_dict("records") if self.summary is not None else []
        return _json(out)


def grid(store: Store, market: str = "HK", start: Optional[int] = None, end: Optional[int] = None,
         entry: str = "offer", exits: str = "debut", stops: str = "none", takes: str = "none",
         trails: str = "none", min_oversub: str = "none", filter: Optional[str] = None, all_listings: bool = False,
         ipos_only: bool = False, force: bool = False, sort: str = "mean_net_return",
         progress: Optional[Callable[[int, int], None]] = None, engine: Executor | str = "threads",
         walk_forward: Optional[str] = None, bootstrap: int = 0, seed: int = 0, lake: Optional[str] = None
         ) -> GridResult:
    """Every combination of exit day, stop, take-profit, trailing stop and demand floor, in one kernel call.
    ``sort``: a column, descending (``-column``: ascending). ``progress(done, total)`` is called per chunk.
    ``engine``: an Executor or its name (same rows on every engine). ``walk_forward`` (``TRAIN:TEST[:STEP]`` years)
    and ``bootstrap`` (resamples, drawn from ``seed``) sweep the universe as well; ``lake``: read daily bars from an
    ``ipolens export --parquet`` folder or URL instead of the ledger."""
    only_ipos = _ipos_only(all_listings, ipos_only)
    ex = engine if isinstance(engine, Executor) else executor(engine)
    with _user_errors():
        market = normalise_market(market)
        params = {"exit_day": parse_values(exits, integer=True), "stop_loss": parse_values(stops),
                  "take_profit": parse_values(takes), "trailing": parse_values(trails),
                  "min_oversubscription": parse_values(min_oversub)}
        n = count_combos(params)
        if n > MAX_COMBOS and not force:
            raise UserError(f"{n:,} combinations is over {MAX_COMBOS:,}; narrow the grid or pass --force")
        base = Strategy(parse_entry(entry), filters=tuple(parse_filters(filter)))
        key = sort.lstrip("-")
        if key not in GRID_COLUMNS:
            raise UserError(f"cannot sort by {sort!r}")
        # no combination looks past its exit day (nor the entry, which comes first)
        last = max(int(max(params["exit_day"])), base.entry.day)
        u = load_universe(store, market, start, end, ipos_only=only_ipos, lake=lake, last_day=last)
        samples = _samples(u, walk_forward, bootstrap, seed)
        df = run_grid(u, base, params, force=force, progress=progress, executor=ex, samples=samples)
    labels = [c for c in sw.LABELS if c in df]
    up = sort.startswith("-")
    # within each sample (in sample order) the rows sort by the key; a stable sort keeps ties in grid order
    per = len(df) // len(samples)
    rows = pd.concat([df.iloc[k * per:(k + 1) * per].sort_values(key, ascending=up, na_position="last",
                                                                   kind="stable") for k in range(len(samples))])
    summary = None
    if walk_forward and not bootstrap:
        summary = sw.walk_forward_summary(df, list(params), key, lowest=up)
    elif bootstrap:
        summary = sw.bootstrap_summary(df, list(params), key)
    no_offer = _no_offer_codes(u, [base])
    return GridResult(market, start, end, entry, sort, _universe_report(u, no_offer, only_ipos),
                      rows.reset_index(drop=True), _left_out(u, no_offer), _sweep(walk_forward, bootstrap, seed),
                      summary if labels else None)


@dataclass
class RunResult(Result):
    name: str
    book: BookResult
    report: Optional[str]
    periods_per_year: float
    risk_free: float
    left_out: list = field(default_factory=list)  # listings left out of the book, by reason, with their codes
    sweep: Optional[dict] = None  # walk-forward / bootstrap settings; None for a plain run
    samples: Optional[pd.DataFrame] = None  # one row per sample and sleeve (and total): labels + summary metrics

    def to_dict(self) -> dict:
        out = {"name": self.name, **self.book.to_dict(), "left_out": self.left_out}
        if self.report:
            out["report"] = self.report
        if self.sweep is not None:
            out["sweep"] = self.sweep
            out["samples"] = self.samples.to_dict("records") if self.samples is not None else []
        return _json(out)

    def excluded(self) -> tuple[dict, dict]:
        """(count, why) of the listings left out of the book, by reason; no offer price is summed over sleeves."""
        uni = self.book.conventions.get("universe", {})
        counts = {**uni.get("excluded", {}), "no_offer_price": sum(uni.get("excluded_no_offer_price", {}).values())}
        return {k: int(v) for k, v in counts.items()}, EXCLUDED_WHY


def _run_spec(store: Store, sp: Spec, report: Optional[str], engine: Executor | str = "threads",
              walk_forward: Optional[str] = None, bootstrap: int = 0, seed: int = 0,
              lake: Optional[str] = None) -> RunResult:
    from ..lab.executor import Shared, map_tasks

    ex = engine if isinstance(engine, Executor) else executor(engine)
    u = load_universe(store, sp.market, sp.start, sp.end, ipos_only=sp.ipos_only, bars=sp.bars, lake=lake,
                      last_day=max(sl.strategy.last_day() for sl in sp.book.sleeves))
    with _user_errors():
        swept = _samples(u, walk_forward, bootstrap, seed) if (walk_forward or bootstrap) else []
        # the full book first, then every sample; the universe travels to each worker once
        shared = Shared(universe=u, book=sp.book, fees=sp.fees, periods_per_year=sp.periods_per_year,
                        risk_free=sp.risk_free, samples=[None] + [s.index for s in swept])
        parts = map_tasks(sw.book_task, list(range(len(shared.samples))), shared, ex)
        res = parts[0]
        if report:
            from ..lab.tearsheet import write_report

            write_report(res, report, f"ipolens lab: {sp.name}")
    return RunResult(sp.name, res, str(report) if report else None, sp.periods_per_year, sp.risk_free,
                     _left_out(u, _no_offer_codes(u, [sl.strategy for sl in sp.book.sleeves])),
                     _sweep(walk_forward, bootstrap, seed), _sample_rows(swept, parts[1:]) if swept else None)


def _sample_rows(samples: list, summaries: list) -> pd.DataFrame:
    """One row per sample and sleeve (and the total): the sample's labels, then the summary metrics."""
    frames = []
    for s, summ in zip(samples, summaries):
        f = summ.reset_index().rename(columns={"index": "sleeve"})
        for k, c in enumerate(c for c in sw.LABELS if c in s.labels):
            f.insert(k, c, s.labels[c])
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def run(store: Store, spec_path: str, report: Optional[str] = None, engine: Executor | str = "threads",
        walk_forward: Optional[str] = None, bootstrap: int = 0, seed: int = 0, lake: Optional[str] = None
        ) -> RunResult:
    """Run a STRATEGY.yaml (one strategy or a book of sleeves); ``report``: write an offline HTML tear sheet.
    ``walk_forward`` / ``bootstrap`` also run the book on each window or resample (``samples`` in the result)."""
    with _user_errors():
        sp = load_spec(spec_path)
    return _run_spec(store, sp, report, engine, walk_forward, bootstrap, seed, lake)


def barbell(store: Store, report: Optional[str] = None, engine: Executor | str = "threads") -> RunResult:
    """The documented barbell (examples/barbell.yaml): swing sleeve + mega-IPO cash reserve."""
    with _user_errors():
        sp = parse_spec(BARBELL_EXAMPLE, source="barbell")
    return _run_spec(store, sp, report, engine)


@dataclass
class MetricsResult(Result):
    column: str
    kind: str
    periods_per_year: float
    risk_free_annual: float
    metrics: dict

    def values(self) -> dict:
        """The flat mapping the JSON shows, with raw floats (NaN, inf) for text output."""
        return {"column": self.column, "kind": self.kind, "periods_per_year": self.periods_per_year,
                "risk_free_annual": self.risk_free_annual, **self.metrics}

    def to_dict(self) -> dict:
        return _json(self.values())


def metrics(path: str, column: Optional[str] = None, prices: bool = False, returns: bool = False,
            periods_per_year: float = 252, risk_free: float = 0.0) -> MetricsResult:
    """Tear-sheet metrics of one CSV column; the caller states whether it holds prices or returns."""
    from ..lab.metrics import compute

    if prices == returns:
        raise UserError("state exactly one of --prices or --returns (the input type is never guessed)")
    if not Path(path).exists():
        raise UserError(f"no such file: {path}")
    with _user_errors():
        df = pd.read_csv(path)
        if column is None:
            num = df.select_dtypes("number").columns
            if len(num) != 1:
                raise UserError(f"{len(num)} numeric columns in {path}; pick one with --column")
            column = str(num[0])
        if column not in df:
            raise UserError(f"no column {column!r} in {path} (have: {', '.join(map(str, df.columns))})")
        kind = "prices" if prices else "returns"
        out = compute(df[column].to_numpy(), kind=kind, periods_per_year=periods_per_year, risk_free=risk_free)
    return MetricsResult(column, kind, periods_per_year, risk_free, out)
