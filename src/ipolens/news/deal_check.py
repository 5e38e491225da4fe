"""Claims about a pipeline deal against the deal's rows: a claim's entity links to one deal, whose stage rows date
its stages (``_deal_stage`` here) and whose facts hold its valuations and raises (``deal_values``)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable

from .deal_terms import DEAL_LINK, DEAL_STAGE, DEAL_VALUE, _deal_label, _deal_vocab, _regime
from .deal_values import _deal_across, _deal_value, _value_kind
from .extract import Claim
from .findings import Finding, _day
from .ledger_rows import _src

if TYPE_CHECKING:
    from .ledger_facts import LedgerFacts


def against_deals(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
                  tick: Callable[[], None]) -> list[Finding]:
    """Claims whose entity links to one pipeline deal: a stage's day vs the deal's stage rows of that stage (same day:
    consistent; another day: a tension citing both sources), a valuation or raise vs the deal's facts of the same kind
    and date (a source graded UNCONFIRMED, a rumour, a plan or a private round never makes it inconsistent), and two
    articles' values of one kind for the deal on one day. The claim's notes name the deal."""
    vocab = _deal_vocab()
    out: list[Finding] = []
    values: list[tuple[Claim, str, str, dt.date]] = []
    for cs in articles.values():
        for c in cs:
            tick()
            if not c.entity_key or (c.metric not in vocab["stage_dates"] and c.metric not in vocab["values"]):
                continue
            links = ledger.rows(c.entity_key, DEAL_LINK)
            if not len(links):
                continue
            keys = list(dict.fromkeys(links["deal"]))
            if len(keys) > 1:
                out.append(Finding("deal", "unverifiable", f"{c.entity or c.entity_key} links to {len(keys)} deals "
                                   f"({', '.join(keys)}): not compared", [c.id], False, False))
                continue
            deal = links.iloc[0]
            if f"deal {deal.deal}" not in c.notes:
                c.notes.append(f"deal {deal.deal}")
            stages = ledger.rows(c.entity_key, DEAL_STAGE)
            stages = stages[~stages["source_id"].isin(own_sources)] if len(stages) else stages
            if c.metric in vocab["stage_dates"]:
                out += _deal_stage(c, deal, stages, vocab["stage_dates"][c.metric])
            elif c.value is not None:
                kind = _value_kind(c, vocab["values"][c.metric], stages)
                if kind is None:
                    continue
                rows = ledger.rows(c.entity_key, DEAL_VALUE)
                rows = rows[~rows["source_id"].isin(own_sources)] if len(rows) else rows
                out += _deal_value(c, deal, kind, rows, fx, set(vocab["soft_kinds"]))
                day = _day(c.date) or _day(c._ref)
                if day is not None:
                    values.append((c, deal.deal, kind, day))
    out += _deal_across(values, set(vocab["soft_kinds"]))
    return out


def _deal_stage(c: Claim, deal, rows, stage_map: dict) -> list[Finding]:
    day = _day(c.text) or _day(c.date)
    if day is None:
        return []  # a year or a month names no stage row's day
    regime = _regime(deal.market)
    codes = stage_map.get(regime) if regime else None
    if not codes:
        return [Finding("deal_stage", "unverifiable", f"{c.quote!r}: {c.metric} names no stage of a "
                        f"{(regime or str(deal.market)).upper()} deal ({_deal_label(deal)})", [c.id], False, False)]
    mine = [(r, _day(r.as_of)) for r in rows.itertuples() if r.stage in codes] if len(rows) else []
    if not mine:
        return [Finding("deal_stage", "unverifiable", f"{c.quote!r} dates {' or '.join(codes)} of {_deal_label(deal)} "
                        f"{day.isoformat()}; the ledger has no such stage row", [c.id], False, False)]
    same = [r for r, d in mine if d == day]
    if same:
        return [Finding("deal_stage", "consistent", f"{c.quote!r} ({day.isoformat()}) agrees with {_deal_label(deal)}: "
                        f"{same[0].stage} on {day.isoformat()} ({'; '.join(_src(r) for r in same)})", [c.id],
                        False, False)]
    shown = "; ".join(f"{r.stage} on {d.isoformat()} ({_src(r)}: {r.quote!r})" for r, d in mine[:3])
    return [Finding("deal_stage", "tension", f"{c.quote!r} dates {c.metric} {day.isoformat()}; {_deal_label(deal)} "
                    f"has {shown}: the dates differ, both kept (an announcement may trail the filing)", [c.id],
                    False, False)]
