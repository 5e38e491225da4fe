"""A pipeline deal as a reader sees it, from its stage rows and facts (plain data in, plain data out): the current
stage on a date (with the HK lapse computed from the rule), the next step, every stage row with its source, the
price range and raise, and every valuation claim side by side with its kind (rumour, private round, filed,
priced). The stage machine itself is ``ledger.pipeline_rules``."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from ..ledger.pipeline_rules import (Regime, StageOrderError, raise_fields, regime_for, rule_sources,
                                     valuation_fields, walk)

__all__ = ["stage_summary", "valuations", "price_range", "raise_of", "VALUE_FIELDS", "regime_or_none"]

PRICE_FIELDS = ("offer_price_low", "offer_price_high", "offer_price")
VALUE_FIELDS = tuple(dict.fromkeys([*valuation_fields(), *raise_fields(), *PRICE_FIELDS]))


def regime_or_none(market: str | None) -> Regime | None:
    try:
        return regime_for(market) if market else None
    except ValueError:
        return None


def _day(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def stage_summary(market: str | None, rows: Iterable[dict], on: dt.date) -> dict[str, Any]:
    """Current stage on ``on`` and every stage row. ``rows``: dicts with stage, date (ISO), source_id, doc_ref,
    quote, note, basis. A lapse the rules imply is added as a computed row citing the rule."""
    rows = sorted(rows, key=lambda r: (str(r["date"]), r["stage"], r.get("source_id") or ""))
    regime = regime_or_none(market)
    out: dict[str, Any] = {"stage": None, "stage_label": None, "stage_date": None, "stage_basis": None,
                           "next_step": None, "lapse_date": None, "terminal": False, "stages": []}
    stages = [{"stage": r["stage"], "date": str(r["date"])[:10], "source": r.get("source_id"),
               "doc_ref": r.get("doc_ref"), "quote": r.get("quote"), "note": r.get("note"),
               "basis": r.get("basis") or "stated"} for r in rows]
    if regime is None:
        past = [s for s in stages if _day(s["date"]) <= on]
        if past:
            out.update(stage=past[-1]["stage"], stage_date=past[-1]["date"], stage_basis="stated",
                       next_step=f"no stage rules for market {market!r}")
        out["stages"] = stages
        return out
    try:
        w = walk(regime, [{"stage": s["stage"], "date": _day(s["date"]), "_seq": i} for i, s in enumerate(stages)],
                 on=on)
    except StageOrderError as exc:  # rows from before a rule change; show them and say why there is no stage
        out.update(stages=stages, next_step=f"stages out of order by the current rules: {exc}")
        return out
    for step in w.steps:
        if step.kind == "computed":
            lp = regime.lapse
            stages.append({"stage": step.stage, "date": step.date.isoformat(), "source": None,
                           "rule": lp.source, "doc_ref": None, "quote": None, "basis": "computed",
                           "note": f"no progress within {lp.months} months of {step.counted_from}: "
                                   f"{rule_sources()[lp.source]}"})
    stages.sort(key=lambda s: (s["date"], regime.order(s["stage"])))
    if w.stage is None:
        out["stages"] = stages
        return out
    st = regime.stages[w.stage]
    last = w.steps[-1] if w.steps else None
    next_step = st.next_step
    if w.lapse_day is not None:
        next_step += (f"; the application lapses on {w.lapse_day.isoformat()} unless it progresses "
                      f"({regime.lapse.months} months after {w.lapse_from}; {rule_sources()[regime.lapse.source]})")
    out.update(stage=w.stage, stage_label=st.label, stage_date=w.since.isoformat(),
               stage_basis="computed" if last is not None and last.kind == "computed" else "stated",
               next_step=next_step, lapse_date=w.lapse_day.isoformat() if w.lapse_day else None, stages=stages,
               terminal=st.terminal)
    return out


def _as_of(f: dict) -> tuple[str | None, str | None]:
    if f.get("as_of"):
        return str(f["as_of"])[:10], "stated"
    if f.get("source_published"):
        return str(f["source_published"])[:10], "source published"
    return None, None


def valuations(facts: Iterable[dict]) -> list[dict]:
    """Every valuation claim among ``facts`` (fact_rank rows), never merged, oldest first (undated last)."""
    kinds = valuation_fields()
    out = []
    for f in facts:
        if f["field"] not in kinds or f.get("value_num") is None:
            continue
        as_of, basis = _as_of(f)
        out.append({"value": f["value_num"], "value_high": f.get("value_high"), "currency": f.get("currency"),
                    "as_of": as_of, "as_of_basis": basis, "date_note": None if as_of else f.get("date_note"),
                    "kind": kinds[f["field"]], "qualifier": f.get("qualifier"), "source": f["source_id"],
                    "quote": f.get("quote"), "field": f["field"], "entity": f["entity"], "note": f.get("note"),
                    "claim_type": f.get("claim_type"), "fact_id": f.get("id")})
    out.sort(key=lambda v: (v["as_of"] is None, v["as_of"] or "", v["value"], v["source"]))
    return out


def _winner(facts: list[dict], fld: str) -> dict | None:
    rows = [f for f in facts if f["field"] == fld and f.get("value_num") is not None]
    best = [f for f in rows if f.get("is_best")]
    return (best or rows or [None])[0]


def price_range(facts: list[dict]) -> dict | None:
    """The resolved offer price range (low, high, currency, sources); None when neither end is known."""
    low, high = _winner(facts, "offer_price_low"), _winner(facts, "offer_price_high")
    if low is None and high is None:
        return None
    return {"low": low and low["value_num"], "high": high and high["value_num"],
            "currency": (low or high).get("currency"),
            "source": sorted({f["source_id"] for f in (low, high) if f}), "qualifier": (low or high).get("qualifier")}


def raise_of(facts: list[dict]) -> dict | None:
    """The raise: the resolved value of the first raise field that has one (stated proceeds before a plan)."""
    for fld in raise_fields():
        w = _winner(facts, fld)
        if w is not None:
            as_of, _ = _as_of(w)
            others = sum(1 for f in facts if f["field"] == fld and f.get("value_num") is not None) - 1
            return {"value": w["value_num"], "currency": w.get("currency"), "qualifier": w.get("qualifier"),
                    "source": w["source_id"], "field": fld, "as_of": as_of, "quote": w.get("quote"),
                    "other_values": others}
    return None
