"""STRATEGY.yaml: a book of sleeves (or one ``strategy``) plus data, fee and metric conventions.

Unknown keys are errors with a "did you mean" suggestion, so a typo never silently turns a rule off.
See docs/lab.md for the format and examples/barbell.yaml for a full example.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..ledger.markets import normalise_market
from .book import Book, Sleeve
from .rules import Exit, LockUp, Sizing, Strategy, parse_entry, parse_exit, parse_filters

__all__ = ["Spec", "SpecError", "load_spec", "parse_spec", "BARBELL_EXAMPLE"]

TOP_KEYS = {"name", "description", "market", "from", "to", "ipos_only", "bars", "capital", "periods_per_year",
            "risk_free", "fees", "strategy", "sleeves", "report"}
SLEEVE_KEYS = {"name", "weight", "cash_rate", "entry", "exit", "filter", "lockup", "sizing", "exact_exit"}
EXIT_KEYS = {"day", "stop_loss", "take_profit", "trailing"}
FEE_KEYS = {"market", "slippage", "commission", "handling_fee"}
LOCKUP_KEYS = {"action", "months", "before", "after"}
SIZING_KEYS = {"fraction", "round_lots"}
REPORT_KEYS = {"title"}


class SpecError(ValueError):
    """A strategy file that cannot be run; the message names the key at fault."""


@dataclass
class Spec:
    name: str
    market: str
    start: int | None
    end: int | None
    ipos_only: bool
    bars: str
    book: Book
    fees: object
    periods_per_year: float
    risk_free: float
    description: str = ""


def _check(d, allowed: set[str], where: str) -> dict:
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise SpecError(f"{where}: expected a mapping, got {type(d).__name__}")
    for k in d:
        if k not in allowed:
            hint = difflib.get_close_matches(str(k), sorted(allowed), n=1)
            raise SpecError(f"{where}: unknown key {k!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                            + f" (allowed: {', '.join(sorted(allowed))})")
    return d


def _exit(v, where: str) -> Exit:
    if isinstance(v, (str, int)):
        return Exit(parse_exit(v) if isinstance(v, str) else int(v))
    d = _check(v, EXIT_KEYS, where)
    day = d.get("day", 0)
    day = parse_exit(day) if isinstance(day, str) else int(day)
    return Exit(day, d.get("stop_loss"), d.get("take_profit"), d.get("trailing"))


def _strategy(d: dict, where: str) -> Strategy:
    filt = d.get("filter")
    lock = d.get("lockup")
    sizing = _check(d.get("sizing"), SIZING_KEYS, f"{where}.sizing")
    return Strategy(
        entry=parse_entry(d.get("entry", "offer")),
        exit=_exit(d.get("exit", "debut"), f"{where}.exit"),
        filters=tuple(parse_filters(filt if isinstance(filt, (str, list)) or filt is None else str(filt))),
        lockup=LockUp(**_check(lock, LOCKUP_KEYS, f"{where}.lockup")) if lock else None,
        sizing=Sizing(**sizing) if sizing else Sizing(),
        exact_exit=bool(d.get("exact_exit", True)),
    )


def parse_spec(data: dict, *, source: str = "spec") -> Spec:
    """Validate a loaded YAML mapping and build the Spec; errors name the offending key."""
    from .fees import schedule

    try:
        d = _check(data, TOP_KEYS, source)
        if "strategy" in d and "sleeves" in d:
            raise SpecError(f"{source}: give either 'strategy' (one sleeve) or 'sleeves', not both")
        if "sleeves" in d:
            raw = d["sleeves"]
            if not isinstance(raw, list) or not raw:
                raise SpecError(f"{source}.sleeves: expected a non-empty list")
        elif "strategy" in d:
            raw = [dict(_check(d["strategy"], SLEEVE_KEYS - {"name", "weight"}, f"{source}.strategy"),
                        name="strategy", weight=1.0)]
        else:
            raise SpecError(f"{source}: needs 'strategy' or 'sleeves'")
        sleeves = []
        for k, s in enumerate(raw):
            where = f"{source}.sleeves[{k}]"
            s = _check(s, SLEEVE_KEYS, where)
            sleeves.append(Sleeve(str(s.get("name", f"sleeve{k}")), float(s.get("weight", 1.0)),
                                  _strategy(s, where), float(s.get("cash_rate", 0.0))))
        market = normalise_market(str(d.get("market", "HK")))
        fd = _check(d.get("fees"), FEE_KEYS, f"{source}.fees")
        fees = schedule(fd.get("market", market)).with_overrides(
            slippage=fd.get("slippage"), commission=fd.get("commission"), handling_fee=fd.get("handling_fee"))
        _check(d.get("report"), REPORT_KEYS, f"{source}.report")
        bars = str(d.get("bars", "auto"))
        if bars not in ("auto", "events", "daily"):
            raise SpecError(f"{source}.bars: must be auto, events or daily (got {bars!r})")
        ppy = float(d.get("periods_per_year", 252))
        if ppy <= 0:
            raise SpecError(f"{source}.periods_per_year must be > 0")
        return Spec(name=str(d.get("name", "strategy")), market=market, start=_year(d.get("from")),
                    end=_year(d.get("to")), ipos_only=bool(d.get("ipos_only", True)), bars=bars,
                    book=Book(tuple(sleeves), float(d.get("capital", 1_000_000))), fees=fees, periods_per_year=ppy,
                    risk_free=float(d.get("risk_free", 0.0)), description=str(d.get("description", "")))
    except SpecError:
        raise
    except (ValueError, TypeError) as exc:
        raise SpecError(f"{source}: {exc}") from None


def _year(v) -> int | None:
    if v is None:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise SpecError(f"from/to must be years, got {v!r}") from None


def load_spec(path: str | Path) -> Spec:
    import yaml

    p = Path(path)
    if not p.exists():
        raise SpecError(f"no such strategy file: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{p}: not valid YAML: {exc}") from None
    return parse_spec(data, source=p.name)


# The documented barbell (examples/barbell.yaml holds the same mapping; a test keeps them equal).
BARBELL_EXAMPLE: dict = {
    "name": "barbell",
    "description": "micro-cap swing sleeve under hard stops + T-bill reserve deployed on mega-IPO dates",
    "market": "HK", "from": 2019, "to": 2022, "capital": 1000000, "risk_free": 0.02, "periods_per_year": 252,
    "fees": {"market": "HK", "slippage": 0.002},
    "sleeves": [
        {"name": "swing", "weight": 0.6, "entry": "close:0", "exit": {"day": 80, "stop_loss": 0.15},
         "filter": "market_cap_bn<=3, oversubscription>=20", "sizing": {"fraction": 0.05}},
        {"name": "reserve", "weight": 0.4, "cash_rate": 0.02, "entry": "offer", "exit": "debut",
         "filter": "market_cap_bn>=200", "sizing": {"fraction": 0.5}},
    ],
}
