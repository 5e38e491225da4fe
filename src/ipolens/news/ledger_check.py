"""Claims against the ledger: each claim vs the ledger facts of its entity and field (dated series, currencies through
the dated FX table), and claims about a pipeline deal vs the deal's rows (``against_deals``). The parts live in
ledger_facts (which facts), ledger_dating (which dates), ledger_compare and ledger_conflicts (the verdicts); the
names other modules import from here are re-exported."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Callable

from .extract import Claim
from .findings import Finding, _day, _fmt_range, _iv, _overlap, _safe, _simp
from .ledger_basis import second_readings
from .ledger_compare import _ledger_findings
from .ledger_dating import _dated, _same_date
from .ledger_facts import LedgerFacts, checkable, known_values  # re-exported: verify imports them from here
from .ledger_rows import _ledger_rate, _ledger_value, _unconfirmed


# -- against the ledger --------------------------------------------------------------------------------------------


def against_ledger(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
                    tick: Callable[[], None]) -> list[Finding]:
    """Each claim vs the ledger facts of the same entity and field.

    Point-in-time fields form a dated series (a fact's date is its ``as_of``, else its source's publication date):
    a dated claim is checked against the value(s) of its own date, else the nearest earlier date within
    ``WINDOW_DAYS`` (said in ``why``); an undated claim that fits some value of a series and not another is a
    tension, and inconsistent only when it fits none. A money claim in another currency than the ledger value is
    converted at the fx_rates row of the value's (else the claim's) date, and ``why`` cites the rate.
    """
    from ipolens.ledger.fields import FIELDS

    out = []
    for cs in articles.values():
        for c in cs:
            tick()
            if not checkable(c):
                continue
            recs = ledger.records(c.entity_key, c.metric, own_sources)
            if recs:
                recs = recs + second_readings(c, recs, ledger, own_sources)
            if not recs:
                continue
            dating = FIELDS[c.metric].dating
            rows = []
            for r in recs:
                if dating == "period" and str(r.period or "").lstrip("FY") != (c.period or "").lstrip("FY"):
                    continue
                when, dated_by = _day(r.as_of), "as of"
                if when is None and _day(r.published) is not None:
                    when, dated_by = _day(r.published), "source published"
                rows.append((r, when, dated_by))
            if dating == "point":
                rows, note = _same_date(c, rows)
            else:
                note = ""
            out += _ledger_findings(c, rows, note, dating, fx)
    out += _safe(against_deals, articles, ledger, own_sources, fx, tick)
    return out


# -- pipeline deals (issue 14) ---------------------------------------------------------------------------------------
# The pseudo-fields under which ledger.queries.news.deal_context puts a named entity's deal (the same strings there).
DEAL_LINK, DEAL_STAGE, DEAL_VALUE = "deal:link", "deal:stage", "deal:value"
DEAL_FIELDS = (DEAL_LINK, DEAL_STAGE, DEAL_VALUE)


@lru_cache(maxsize=1)
def _deal_vocab() -> dict:
    """lexicon/roles.yaml ``deal_claims``: the stages a claim's day names, the kind of value a claim states."""
    import yaml

    from .roles import LEXICON_PATH

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the lexicon is long: the C parser when there is one
    return yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=loader)["deal_claims"]


@lru_cache(maxsize=1)
def _kind_fields() -> dict[str, tuple[str, ...]]:
    """Kind of value -> the deal's ledger fields of that kind (valuation kinds from the pipeline rules)."""
    from ipolens.ledger.pipeline_rules import valuation_fields

    out: dict[str, list[str]] = {}
    for name, kind in valuation_fields().items():
        out.setdefault(kind, []).append(name)
    for kind, names in _deal_vocab()["raise_fields"].items():
        out.setdefault(kind, []).extend(names)
    return {k: tuple(v) for k, v in out.items()}


def _regime(market) -> str | None:
    from ipolens.ledger.pipeline_rules import regime_for

    try:
        return regime_for(str(market)).name
    except ValueError:
        return None


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


def _deal_label(deal) -> str:
    return f"deal {deal.deal_name or deal.deal} ({deal.market})"


def _src(r) -> str:
    return f"{r.source_id}{', graded UNCONFIRMED' if _unconfirmed(r) else ''}"


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


def _value_kind(c: Claim, spec: dict, stages) -> str | None:
    """The kind of deal value ``c`` states: a private round's when its quote names one, else the kind before or
    after the deal's pricing (its first priced or listed stage row) on the claim's day; None when that is unknown."""
    if spec.get("private") and re.search(spec["private"], _simp(c.quote), re.I):
        return "private_round"
    priced = [_day(r.as_of) for r in stages.itertuples() if r.stage in ("priced", "listed")] if len(stages) else []
    priced = [d for d in priced if d is not None]
    if not priced or spec["before"] == spec["after"]:
        return spec["before"]
    day = _day(c.date) or _day(c._ref)
    if day is None:
        return None
    return spec["before"] if day < min(priced) else spec["after"]



def _deal_value(c: Claim, deal, kind: str, rows, fx, soft: set[str]) -> list[Finding]:
    fields = _kind_fields().get(kind, ())
    cands = []
    for r in rows.itertuples() if len(rows) else ():
        if r.value_field not in fields or (r.fact_entity == c.entity_key and r.value_field == c.metric):
            continue  # another kind, or the pair the plain ledger check compares
        cands.append((r, _day(r.as_of) or _day(r.published)))
    day = _day(c.date) or _day(c._ref)
    cands, note = _dated(cands, kind, day, soft)
    results = []
    for r, when in cands:
        unit = r.currency if isinstance(r.currency, str) else r.unit
        ia, conv = _iv(c), ""
        if unit != c.unit:
            rate = _ledger_rate(fx, c.unit, unit, when or day) if c.unit in ("HKD", "CNY", "USD") else None
            if rate is None:
                continue
            ia, conv = (ia[0] * rate.rate, ia[1] * rate.rate), f" (converted at {rate.describe()})"
        desc = (f"{r.value_field} {_ledger_value(r)}{' ' + unit if isinstance(unit, str) else ''} ({_src(r)}"
                f"{', ' + when.isoformat() if when else ', undated'})")
        results.append((_overlap(ia, (float(r.lo), float(r.hi))), desc, r, when, conv))
    if not results:
        return []
    lead = f"{_deal_label(deal)}, {kind.replace('_', ' ')}{'; ' + note if note else ''}: "
    agree = [x for x in results if x[0]]
    if agree:
        rest = [x[1] for x in results if not x[0]]
        also = f"; the ledger also keeps {', '.join(rest[:3])} side by side" if rest else ""
        return [Finding("deal_value", "consistent", f"{lead}{c.quote!r}{agree[0][4]} [{_fmt_range(*_iv(c), ', ')}] "
                        f"agrees with {agree[0][1]}{also}", [c.id], False, False)]
    hard = kind not in soft and not note and not any(_unconfirmed(x[2]) or x[3] is None for x in results)
    why = ("" if hard else "; " + ("reports of a rumoured target, a plan or a private round may differ" if kind in soft
                                   else "the ledger's value is undated or its source is graded UNCONFIRMED"))
    return [Finding("deal_value", "inconsistent" if hard else "tension",
                    f"{lead}{c.quote!r}{results[0][4]} [{_fmt_range(*_iv(c), ', ')}] vs "
                    f"{', '.join(x[1] for x in results[:3])}: disjoint{why}", [c.id], hard, False)]


def _deal_across(values: list[tuple[Claim, str, str, dt.date]], soft: set[str]) -> list[Finding]:
    """Two articles' values of one kind for one deal on one day (pairs of one entity and metric are the plain
    cross-article check's)."""
    groups: dict[tuple, list[Claim]] = {}
    for c, deal, kind, day in values:
        groups.setdefault((deal, kind, day), []).append(c)
    out = []
    for (deal, kind, day), cs in groups.items():
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a.article == b.article or a.unit != b.unit or (a.entity_key, a.metric) == (b.entity_key, b.metric):
                    continue
                ia, ib = _iv(a), _iv(b)
                ok = _overlap(ia, ib)
                verdict = "consistent" if ok else "tension" if kind in soft else "inconsistent"
                for x, y, ix, iy in ((b, a, ib, ia), (a, b, ia, ib)):
                    text = (f"{deal} {kind.replace('_', ' ')} on {day.isoformat()}: {x.quote!r} "
                            f"[{_fmt_range(ix[0], ix[1], ', ')}] and {y.quote!r} in {y.article} "
                            f"[{_fmt_range(iy[0], iy[1], ', ')}] " + ("overlap" if ok else "are disjoint"))
                    out.append(Finding("deal_across", verdict, text, [x.id, y.id], verdict == "inconsistent", False))
    return out
