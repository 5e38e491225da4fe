"""A valuation or a raise stated about a pipeline deal: which kind it is (a private round, before or after pricing),
the deal's facts of that kind and date it meets, and two articles' values of one kind for the deal on one day.
Rumours, plans and private rounds differ between reports, so they make tensions, never errors."""
from __future__ import annotations

import datetime as dt
import re

from .deal_terms import _deal_label, _kind_fields
from .extract import Claim
from .findings import Finding, _day, _fmt_range, _iv, _overlap, _simp
from .ledger_dating import _dated
from .ledger_rows import _ledger_rate, _ledger_value, _src, _unconfirmed


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
