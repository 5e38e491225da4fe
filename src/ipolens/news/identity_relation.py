"""The relation kind of identity entry: any role of a declared relation solved from the others' claims, each
combination of input figures judged (identity_judge), the best outcome kept. Support-only relations (a market
convention) support a figure only when one combination of inputs fits."""
from __future__ import annotations

import datetime as dt
import itertools
import math
import re

from . import rounding
from .identity_alternatives import other_reading
from .identity_claims import _ByPosition, interval_of
from .identity_defs import MONEY, Identity, Outcome, _config, canonical, undated
from .identity_fx import RateFn, converted
from .identity_judge import _far_from_any, _judge, _range, _show
from .intervals import _has, solve_for

Interval = tuple[float, float]

def _relation(ident: Identity, by_role: dict[str, list], next_to: dict[str, list],
              rate: RateFn | None = None, stated: dict[str, list] | None = None) -> list[Outcome]:
    out = []
    fill = dict(ident.fillers)
    roles = {r: [c for m in fill.get(r, (r,)) for c in by_role.get(m, ())] for r in ident.roles}
    # 'absent' roles: stated in the article or known from the ledger (a value derived here does not count)
    if not all(roles.values()) or any(not str(c.id).startswith("derived:") for r in ident.absent
                                      for c in by_role.get(r, ())):
        return out
    near = {r: _ByPosition(cs) for r, cs in roles.items()}
    fine = {r: [c for c in cs if getattr(c, "refines", None)] for r, cs in roles.items()}  # few: looked up per figure
    # a deal term stated with one value (per currency: 263港元 and its 约243元人民币 are one term) is the same wherever
    # it stands; so is the previous day's close the identity pins by its date
    settled = frozenset((r, unit) for r, cs in roles.items() if undated(r) for unit in {c.unit for c in cs}
                        if len({c.value for c in cs if c.unit == unit}) == 1)
    settled |= {(ident.previous, c.unit) for c in roles.get(ident.previous, ())} if ident.previous else set()
    for unknown in ident.roles:
        for u in roles[unknown]:
            if getattr(u, "known", False):
                continue
            others = [r for r in ident.roles if r != unknown]
            pools = [_inputs(near[r], fine[r], u) for r in others]
            results, fits, tried = [], [], []  # tried: each result's members
            for combo in itertools.product(*pools):
                members = [(unknown, u)] + list(zip(others, combo))
                if any(u.id in getattr(c, "sources", ()) for _, c in members[1:]):
                    continue  # a value derived from this very figure cannot check it
                if ident.previous and not _day_before(ident.previous, members):
                    continue  # the previous day's figure must be of the trading day before the others' day
                if ident.currency and any(c.unit in MONEY and c.unit != ident.currency for _, c in members):
                    continue
                if not _said_around(ident, members):
                    continue
                money = {c.unit for _, c in members if c.unit in MONEY}
                if len(money) > 2 or (len(money) == 2 and (rate is None or ident.currency)):
                    continue
                if len(money) == 2:  # one relation over two currencies: the other currency's inputs converted
                    members = _in_one_currency(members, rate)
                    if members is None:
                        continue
                known = {r: interval_of(c, r) for r, c in members[1:]}
                if not all(rounding.is_finite(iv) for iv in known.values()):
                    results += (bound := _bounded(ident, unknown, u, known, members))
                    tried += [members] * len(bound)
                    continue
                derived = solve_for(ident, unknown, known)
                pt = solve_for(ident, unknown, {r: (float(c.value),) * 2 for r, c in members[1:]})
                point = ((pt[0] + pt[1]) / 2,) * 2  # the middle of the slack, if any
                inputs = ", ".join(f"{r}{_as(c, r)} {c.value:g}" for r, c in members[1:])
                consts = ", ".join(f"{n} {v[0]:.7g}" for n, v in ident.constants)
                working = (f"{ident.text} with {inputs}{', ' + consts if consts else ''}: {unknown} = "
                           f"{_show(point[0], u.unit)} (inputs' rounding: {_show(derived[0], u.unit)}–"
                           f"{_show(derived[1], u.unit)})")
                # the far-reading test only matters on a mismatch: it is solved then, not for every combination
                results.append(_judge(ident.kind_name, u, derived, working, members, next_to,
                                      lambda members=members: _far_from_any(ident, members), settled,
                                      frozenset((ident.previous,)) if ident.previous else frozenset(),
                                      lambda members=members: _loosely(ident, unknown, members), pt,
                                      _base(ident)))
                tried.append(members)
                if results[-1].verdict == "consistent":
                    fits.append(tuple(c.value for _, c in members[1:]))
                if results[-1].verdict == "consistent" and results[-1].exact and not ident.support_only:
                    break  # nothing can outrank the first exact agreement (see _best)
            if results:
                best = _best(results)
                if best.verdict in ("inconsistent", "tension") and stated and \
                        (alt := other_reading(ident, unknown, tried[results.index(best)], stated)):
                    best = Outcome(best.check, "unverifiable", f"{best.why}; not judged, {alt}", best.claims, False,
                                   best.confirms, doubt="reading")
                if best.verdict in ("inconsistent", "tension") and any(m.startswith("fx:") for m in best.claims):
                    # an outside rate decides the mismatch: support when it fits, nothing said when it misses
                    best = Outcome(best.check, "unverifiable", best.why + "; not judged, an input is converted at an "
                                   "outside rate", best.claims, False, best.confirms)
                if ident.support_only:  # a market convention: it supports a figure, it never contradicts one
                    # and only when one reading of its inputs fits (several fitting is a coincidence as likely)
                    why = "several readings of its inputs fit" if len(set(fits)) > 1 else "the relation is a convention"
                    best = best if best.verdict == "consistent" and len(set(fits)) == 1 else Outcome(
                        best.check, "unverifiable", f"{best.why}; not judged, {why}", best.claims, False, best.confirms)
                    best.exact = False
                best.computed = _has(ident.lhs, unknown)
                if getattr(u, "end_of", None) and best.verdict == "consistent":
                    best.confirms = False  # one end of a range that fits says nothing of the other end
                out.append(best)
    return out


def _said_around(ident: Identity, members) -> bool:
    """Whether the members' sentences give the relation its context: each ``context`` role's figure says its
    pattern, and no member's sentence names a part the relation leaves out (``unless_said``)."""
    by_role = dict(members)
    for role, pattern in ident.context:
        c = by_role.get(role)
        if c is not None and not re.search(pattern, getattr(c, "sentence", "") or "", re.I):
            return False
    return not (ident.unless_said and any(re.search(ident.unless_said, getattr(c, "sentence", "") or "", re.I)
                                          for _, c in members))


def _base(ident: Identity) -> str | None:
    """The role a move is measured from: the divisor of a return ('(close_price / offer_price - 1) * 100')."""
    m = re.search(r"/\s*(\w+)\s*-\s*1\s*\)", ident.text) if ident.kind_name == "pct_change" else None
    return m[1] if m else None


def _bounded(ident: Identity, unknown: str, u, known: dict, members) -> list[Outcome]:
    """A relation with a bound among its inputs ('集资逾34.5亿'): the value it leaves open on one side supports a
    figure that lies within it, and says nothing when it misses (a bound is not the figure itself)."""
    lo, hi = solve_for(ident, unknown, known)
    if math.isnan(lo) or math.isnan(hi) or (math.isinf(lo) and math.isinf(hi)):
        return []
    mine = interval_of(u, unknown)
    if not rounding.overlap((lo, hi), mine):
        return []
    inputs = ", ".join(f"{r}{_as(c, r)} {c.quote!r}" for r, c in members[1:])
    return [Outcome(ident.kind_name, "consistent", f"{ident.text} with {inputs}: {unknown} within {_range((lo, hi))}"
                    f" (a bound); stated {u.quote!r} admits {_range(mine)}", [c.id for _, c in members], False,
                    False)]


def _in_one_currency(members, rate: RateFn) -> list | None:
    """The members with every money input in the judged figure's currency (or, when it is not money, the first
    money input's), converted through ``rate``; None when a pair has no rate."""
    target = next(c.unit for _, c in members if c.unit in MONEY)
    out = [members[0]]
    for r, c in members[1:]:
        if c.unit in MONEY and c.unit != target:
            if getattr(c, "known", False):
                return None  # a ledger value is not converted again
            c = converted(c, r, target, rate)
            if c is None:
                return None
        out.append((r, c))
    return out


def _loosely(ident: Identity, unknown: str, members) -> Interval:
    """The unknown's interval with every input read at its weakest (a round number's zeros as rounding, a figure
    as truncated): the one rounding model applied to the inputs as it is to the figure judged."""
    quoted = _config().get("exact_as_written") or ()  # a quoted price is exact, neither rounded nor truncated
    return solve_for(ident, unknown, {r: interval_of(c, r) if r in quoted or canonical(c.metric) in quoted
                                      else rounding.weakest(c, interval_of(c, r)) for r, c in members[1:]})


def _inputs(near: _ByPosition, refined: list, u) -> list:
    """The candidates for one input role: a stated figure narrowed by an identity (``identities._refine``) in place
    of the figure itself, unless the narrowing used ``u``; else the nearest stated figures."""
    usable = [c for c in refined if u.id not in c.sources]
    if usable:
        return usable[:1]
    return [c for c in near.nearest(u) if not getattr(c, "refines", None)] if refined else near.nearest(u)


def _day_before(role: str, members) -> bool:
    """Whether the member in ``role`` is dated the weekday before the one date every other dated member has. A
    holiday between the two days makes no pair: the check is skipped rather than risk comparing two days apart."""
    prev = next((c for r, c in members if r == role), None)
    days = {_day(c.date) for r, c in members if r != role and not undated(r) and c.date}
    if prev is None or len(days) != 1 or None in days or _day(prev.date) is None:
        return False
    (day,) = days
    back = day - dt.timedelta(days=3 if day.weekday() == 0 else 1)
    return _day(prev.date) == back


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _as(c, role: str) -> str:
    """' (as grey_market_price)' when another metric fills the role; the source of a known value."""
    if getattr(c, "known", False):
        return f" (known: {c.quote})"
    m = canonical(c.metric)
    return f" (as {m})" if m != role else ""


def _best(results: list[Outcome]) -> Outcome:
    """Any agreeing combination confirms; otherwise the strongest contradiction speaks, and only then a bound that
    admits the figure (a bound is not the figure: it never outweighs a contradiction)."""
    for v, confirms in (("consistent", True), ("inconsistent", None), ("tension", None), ("consistent", False)):
        hit = [r for r in results if r.verdict == v and confirms in (None, r.confirms)]
        if hit:
            return max(hit, key=lambda r: r.exact)
    return results[0]

