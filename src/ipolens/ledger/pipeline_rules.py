"""The stage machine of the IPO pipeline, from the rules in ``pipeline_stages.yaml``: which stage may follow which,
the HK six-month lapse, and the next step. Pure (no DuckDB): the ledger's writer refuses events out of order with it
(it lives here, below analytics, because the ledger may not import upwards) and analytics/pipeline.py summarises
deals with it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from .calendars import add_months

__all__ = ["Stage", "Lapse", "Regime", "Step", "Walk", "StageOrderError", "regimes", "regime_for", "add_months",
           "walk", "rule_sources", "valuation_fields", "raise_fields", "START"]

START = "start"
RULES_PATH = Path(__file__).with_name("pipeline_stages.yaml")


class StageOrderError(ValueError):
    """A stage that does not follow the deal's current stage by the rules; ``event`` is the offending event."""

    def __init__(self, message: str, event: dict):
        super().__init__(message)
        self.event = event


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    after: tuple[str, ...]
    next_step: str
    source: str
    terminal: bool = False


@dataclass(frozen=True)
class Lapse:
    months: int
    counted_from: tuple[str, ...]
    during: tuple[str, ...]
    stage: str
    restarts: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Regime:
    name: str
    markets: tuple[str, ...]
    stages: dict[str, Stage]
    path: dict[str, int]  # stage -> its place on the main road (stages sharing a place are alternatives)
    lapse: Lapse | None = None

    def follows(self, current: str | None, code: str) -> bool:
        """May ``code`` come next after ``current`` (None: nothing recorded yet, so any stage may come first)?"""
        if current is None or current in self.stages[code].after:
            return True
        return current in self.path and code in self.path and self.path[code] > self.path[current]

    def order(self, code: str) -> int:
        return list(self.stages).index(code) if code in self.stages else len(self.stages)

    def lapse_day(self, state: str | None, anchor: dt.date | None) -> dt.date | None:
        """The day the application lapses when it stays in ``state`` (None when no lapse rule applies)."""
        if self.lapse is None or anchor is None or state not in self.lapse.during:
            return None
        return add_months(anchor, self.lapse.months)


@dataclass(frozen=True)
class Step:
    stage: str
    date: dt.date
    kind: str  # stage (a transition) | restated (a stage already reached, reported again) | computed (a lapse)
    event: dict | None = None
    counted_from: str | None = None  # a computed lapse: the row it is counted from (an A1 row or the earliest stage)


@dataclass
class Walk:
    stage: str | None = None
    since: dt.date | None = None
    steps: list[Step] = field(default_factory=list)
    lapse_day: dt.date | None = None  # when the current application lapses unless it progresses
    lapse_from: str | None = None  # what the lapse is counted from: "a1_filed 2026-01-15" or the earliest stage


@lru_cache(maxsize=1)
def _doc() -> dict:
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def rule_sources() -> dict[str, str]:
    return dict(_doc()["sources"])


def valuation_fields() -> dict[str, str]:
    return dict(_doc()["valuation_fields"])


def raise_fields() -> tuple[str, ...]:
    return tuple(_doc()["raise_fields"])


@lru_cache(maxsize=1)
def regimes() -> dict[str, Regime]:
    out = {}
    for name, r in _doc()["regimes"].items():
        stages = {s["code"]: Stage(s["code"], s["label"], tuple(s["after"]), s["next_step"], s["source"],
                                   bool(s.get("terminal"))) for s in r["stages"]}
        lp = r.get("lapse")
        lapse = None if not lp else Lapse(int(lp["months"]), tuple(lp["counted_from"]), tuple(lp["while"]),
                                          lp["stage"], tuple(lp["restarts"]), lp["source"])
        path = {c: i for i, place in enumerate(r["path"]) for c in ([place] if isinstance(place, str) else place)}
        out[name] = Regime(name, tuple(r["markets"]), stages, path, lapse)
    return out


def regime_for(market: str) -> Regime:
    """The regime whose markets include ``market`` (a markets.yaml name such as HK, STAR, NASDAQ)."""
    for r in regimes().values():
        if market in r.markets:
            return r
    known = sorted(m for r in regimes().values() for m in r.markets)
    raise ValueError(f"no pipeline stage rules for market {market!r}; rules exist for {', '.join(known)}")


def _sort_key(regime: Regime, e: dict) -> tuple:
    return e["date"], regime.order(e["stage"]), e.get("_seq", 0)


def walk(regime: Regime, events: Iterable[dict], on: dt.date | None = None) -> Walk:
    """Walk a deal's stage events (dicts with ``stage`` and ``date``) in date order, then stage order. Returns the
    current stage (as of ``on`` when given, counting a lapse due by then), every step, and the lapse day ahead.
    Raises StageOrderError at the first event that follows neither the current stage nor restates a reached one."""
    w = Walk()
    reached: set[str] = set()
    anchor: dt.date | None = None
    anchor_from: str | None = None
    filed = False  # is the anchor an A1 row (not the earliest stage standing in for it)?
    for e in sorted(events, key=lambda e: _sort_key(regime, e)):
        if on is not None and e["date"] > on:
            break
        if e["stage"] not in regime.stages:
            raise StageOrderError(f"unknown stage {e['stage']!r} for the {regime.name} regime; expected one of "
                                  f"{', '.join(regime.stages)}", e)
        if regime.lapse and anchor is None and not w.steps:
            # no A1 row (yet): the filing came no later than the earliest stage recorded, so the lapse is counted
            # from that stage at the latest; a later A1 row replaces the anchor
            anchor, anchor_from = e["date"], f"the earliest stage recorded ({e['stage']} on {e['date']}; no A1 row)"
        if regime.lapse and e["stage"] == regime.lapse.stage and filed:
            earliest = add_months(anchor, regime.lapse.months)
            if e["date"] < earliest:
                raise StageOrderError(f"stage {e['stage']!r} on {e['date']} comes before the application can lapse: "
                                      f"{regime.lapse.months} months after {anchor_from} is {earliest} "
                                      f"({rule_sources()[regime.lapse.source].split(' as quoted')[0]})", e)
        due = regime.lapse_day(w.stage, anchor)
        if due is not None and due <= e["date"] and e["stage"] != regime.lapse.stage:
            w.steps.append(Step(regime.lapse.stage, due, "computed", counted_from=anchor_from))
            w.stage, w.since = regime.lapse.stage, due
            reached.add(regime.lapse.stage)
        stage = regime.stages[e["stage"]]
        if regime.follows(w.stage, stage.code):
            w.steps.append(Step(stage.code, e["date"], "stage", e))
            w.stage, w.since = stage.code, e["date"]
            reached.add(stage.code)
            if regime.lapse and stage.code in regime.lapse.counted_from:
                anchor, anchor_from, filed = e["date"], f"{stage.code} on {e['date']}", True
        elif stage.code in reached and _restates(w.steps, stage.code, e["date"]):
            w.steps.append(Step(stage.code, e["date"], "restated", e))
        else:
            current = f"{w.stage!r} (since {w.since})" if w.stage else "no earlier stage"
            why = ""
            if w.stage == getattr(regime.lapse, "stage", None) and w.steps and w.steps[-1].kind == "computed":
                why = (f"; the application lapsed on {w.since}, {regime.lapse.months} months after {anchor} "
                       f"({rule_sources()[regime.lapse.source].split(' as quoted')[0]}): a refiling must come first")
            road = [c for c in regime.path if regime.path[c] < regime.path.get(stage.code, -1)]
            allowed = ", ".join(dict.fromkeys([*road, *(a for a in stage.after if a != START)]))
            if stage.code in reached:
                why += (f"; {stage.code} was reached before and a later stage followed it, so a report of it dated "
                        f"{e['date']} is not a restatement")
            raise StageOrderError(f"stage {stage.code!r} on {e['date']} cannot follow {current}: {stage.code} "
                                  f"follows only {allowed}{why}", e)
    if on is not None:
        due = regime.lapse_day(w.stage, anchor)
        if due is not None and due <= on:
            w.steps.append(Step(regime.lapse.stage, due, "computed", counted_from=anchor_from))
            w.stage, w.since = regime.lapse.stage, due
    w.lapse_day = regime.lapse_day(w.stage, anchor)
    w.lapse_from = anchor_from if w.lapse_day is not None or w.stage == getattr(regime.lapse, "stage", None) else None
    return w


def _restates(steps: list[Step], code: str, day: dt.date) -> bool:
    """Is ``code`` on ``day`` another source's date for a stage already reached? Only while it is dated on or before
    the next stage reached after it: a stage reported again after the deal moved on is out of order, not a restatement."""
    last = max(i for i, s in enumerate(steps) if s.stage == code and s.kind != "restated")
    later = [s for s in steps[last + 1:] if s.kind != "restated"]
    return not later or day <= later[0].date
