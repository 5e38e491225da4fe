"""The kinds of identity entries: relation (any role solved from the others), parts of a whole, inside a range, a
range's midpoint, a bounded ratio, a restatement, one amount in two currencies. Each takes the claims by role and
returns outcomes; none holds a rule for a particular metric."""
from __future__ import annotations

import datetime as dt
import itertools
import re
import math

from . import rounding
from .identity_claims import _ByPosition, interval_of, range_end
from .identity_convert import in_order, own_rate
from .identity_defs import MONEY, Identity, Outcome, _config, canonical, undated
from .identity_judge import SAME_QUANTITY, _far_from_any, _judge, _range, _show, _weakness, fmt
from .identity_fx import RateFn, converted
from .identity_total import parts_and_total
from .intervals import _div, _has, solve_for

Interval = tuple[float, float]

def _relation(ident: Identity, by_role: dict[str, list], next_to: dict[str, list],
              rate: RateFn | None = None) -> list[Outcome]:
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
            results = []
            for combo in itertools.product(*pools):
                members = [(unknown, u)] + list(zip(others, combo))
                if any(u.id in getattr(c, "sources", ()) for _, c in members[1:]):
                    continue  # a value derived from this very figure cannot check it
                if ident.previous and not _day_before(ident.previous, members):
                    continue  # the previous day's figure must be of the trading day before the others' day
                if ident.currency and any(c.unit in MONEY and c.unit != ident.currency for _, c in members):
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
                    results += _bounded(ident, unknown, u, known, members)
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
                if results[-1].verdict == "consistent" and results[-1].exact:
                    break  # nothing can outrank the first exact agreement (see _best)
            if results:
                best = _best(results)
                if best.verdict in ("inconsistent", "tension") and any(m.startswith("fx:") for m in best.claims):
                    # an outside rate decides the mismatch: support when it fits, nothing said when it misses
                    best = Outcome(best.check, "unverifiable", best.why + "; not judged, an input is converted at an "
                                   "outside rate", best.claims, False, best.confirms)
                if ident.support_only:  # a market convention: it supports a figure, it never contradicts one
                    best = best if best.verdict == "consistent" else Outcome(
                        best.check, "unverifiable", best.why + "; not judged, the relation is a convention", best.claims,
                        False, best.confirms)
                    best.exact = False
                best.computed = _has(ident.lhs, unknown)
                if getattr(u, "end_of", None) and best.verdict == "consistent":
                    best.confirms = False  # one end of a range that fits says nothing of the other end
                out.append(best)
    return out


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


def _parts(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    parts = [c for c in roles.get(ident.roles[0], []) if not getattr(c, "known", False)]
    distinct = list({(c.value, c.quote): c for c in parts}.values())
    wholes = [c for c in roles.get(ident.roles[1], [])] if len(ident.roles) > 1 else []
    if len(distinct) < 2 or (len(ident.roles) > 1 and not wholes):
        return []
    units = {c.unit for c in distinct + wholes[:1]}
    if len(units) > 1:
        return []
    ivs = [rounding.of_claim(c) for c in distinct]
    total = (sum(i[0] for i in ivs), sum(i[1] for i in ivs))
    whole_iv = (ident.whole, ident.whole) if ident.whole is not None else interval_of(wholes[0], ident.roles[1])
    name = f"{ident.whole:g}" if ident.whole is not None else f"{wholes[0].quote!r}"
    working = " + ".join(f"{c.value:g}" for c in distinct) + f" = {_range(total)} of a whole {name}"
    ids = [c.id for c in distinct] + [c.id for c in wholes[:1]]
    at_most = ident.text == "at_most"
    fits = total[0] <= whole_iv[1] and (at_most or total[1] >= whole_iv[0])
    if fits:  # a bound only supports; an exact sum confirms
        return [Outcome(ident.kind_name, "consistent", working, [i] + [j for j in ids if j != i], True, not at_most)
                for i in ids]
    if total[0] > whole_iv[1]:  # more often a part restated or read twice than a slip: reported, not flagged
        return [Outcome(ident.kind_name, "unverifiable", working + ": the parts exceed the whole (a part restated, "
                        "or another basis)", [i] + [j for j in ids if j != i], False) for i in ids]
    return []  # parts short of the whole: the article need not list them all


def _inside(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    inner_r, range_r = ident.roles
    out = []
    for rng in [c for c in roles.get(range_r, []) if c.value_high is not None and not getattr(c, "known", False)]:
        for x in [c for c in roles.get(inner_r, []) if c.unit == rng.unit]:
            lo, hi = rounding.of_claim(rng)
            v = interval_of(x, inner_r)
            working = f"{inner_r} {x.value:g} within {range_r} {rng.value:g}–{rng.value_high:g}"
            if rounding.overlap(v, (lo, hi)):
                out += [Outcome(ident.kind_name, "consistent", working, [rng.id, x.id], True, False),
                        Outcome(ident.kind_name, "consistent", working, [x.id, rng.id], True, False)]
            # outside: a revised range or another deal more often than a slip; nothing to say
            break
    return out


def _midpoint(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    """A stated midpoint against the middle of the stated range. A figure outside the range is another quantity
    (a reading doubt, nothing to say); inside it but off the middle, it is a slip."""
    mid_r, range_r = ident.roles
    out = []
    for rng in [c for c in roles.get(range_r, []) if c.value_high is not None and not getattr(c, "known", False)]:
        lo, hi = (interval_of(range_end(rng, v), range_r) for v in (rng.value, rng.value_high))
        derived = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
        for x in [c for c in roles.get(mid_r, []) if c.unit == rng.unit and not getattr(c, "known", False)]:
            mine = interval_of(x, mid_r)
            if not rounding.overlap(mine, (lo[0], hi[1])):
                continue
            working = (f"{ident.text} with {range_r} {rng.value:g}–{rng.value_high:g}: {mid_r} = "
                       f"{_show((derived[0] + derived[1]) / 2, x.unit)}; stated {x.quote!r} admits {_range(mine)}")
            if rounding.overlap(derived, mine):
                out += [Outcome(ident.kind_name, "consistent", working, [x.id, rng.id], True, True, True),
                        Outcome(ident.kind_name, "consistent", working, [rng.id, x.id], True, True, False)]
            else:
                out.append(Outcome(ident.kind_name, "inconsistent", working + ": no overlap", [x.id, rng.id], True,
                                   True, True))
        break
    return out


def _ratio(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    num_r, den_r = ident.roles
    out = []
    dens = _ByPosition(roles.get(den_r, []))
    for n in [c for c in roles.get(num_r, []) if not getattr(c, "known", False)]:
        for d in dens.nearest(n)[:1]:
            if n.unit != d.unit:
                continue
            r = _div(rounding.of_claim(n), rounding.of_claim(d))
            lo, hi = ident.within
            working = f"{ident.text} = {_range(r)} (plausible {lo:g}–{hi:g})"
            members = [(num_r, n), (den_r, d)]
            if r[0] < hi and r[1] >= lo:
                out += [Outcome(ident.kind_name, "consistent", working, [n.id, d.id], True, False),
                        Outcome(ident.kind_name, "consistent", working, [d.id, n.id], True, False)]
            elif r[0] >= hi * SAME_QUANTITY:
                out.append(Outcome(ident.kind_name, "unverifiable", working + ": not judged, "
                                   "too far above the gross to be its net (a role reading is doubtful)",
                                   [n.id, d.id], False))
            elif r[0] >= hi:
                weak = _weakness(members)
                out.append(Outcome(ident.kind_name, "tension" if weak else "inconsistent",
                                   working + ": net is not below gross" + (", but " + "; ".join(weak) if weak else ""),
                                   [n.id, d.id], not weak))
            else:  # far below: hardly the same offer's net and gross (a role reading is doubtful)
                out.append(Outcome(ident.kind_name, "unverifiable", working + ": not judged, too far below the "
                                   "gross to be its net", [n.id, d.id], False))
    return out


def _restates(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    out = []
    names = [r for r in roles if r not in ident.roles[1:]] if ident.roles[:1] == ("*",) else ident.roles
    for role in names:
        cs = [c for c in roles.get(role, []) if not getattr(c, "known", False) and not getattr(c, "end_of", None)]
        for u in cs:
            others = [c for c in cs if c is not u and c.unit == u.unit and c.value is not None]
            for o in others:
                if not undated(role) and u.date and o.date and u.date != o.date:
                    continue  # a figure of another day is not a restatement
                if rounding.overlap(rounding.of_claim(u), rounding.of_claim(o)):
                    # support only: two different figures of one role are often two things (another tranche,
                    # another day), so a mismatch says nothing
                    out.append(Outcome(ident.kind_name, "consistent", f"restated as {o.quote!r} ({role} {o.value:g})",
                                       [u.id, o.id], u.qualifier == o.qualifier == "exact", False))
                    break
    return out


def _converts(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    """An amount in one currency agreeing with the same role's amount in another through the rate band supports both
    (the rate is an outside constant, so it supports, it does not confirm exactly). A mismatch says nothing here:
    two amounts of one role far apart in the text may be two quantities; the adjacent-pair FX check judges those."""
    base, quote = ident.currency.split("/")
    (name, (r_lo, r_hi)), = ident.constants
    out = []
    names = [r for r in roles if r not in ident.roles[1:]] if ident.roles[:1] == ("*",) else ident.roles
    for role in names:
        cs = [c for c in roles.get(role, []) if not getattr(c, "known", False) and not getattr(c, "end_of", None)]
        for b in [c for c in cs if c.unit == base]:
            for q in [c for c in cs if c.unit == quote]:
                bi, qi = rounding.of_claim(b), rounding.of_claim(q)
                conv = (bi[0] * r_lo, bi[1] * r_hi)
                if rounding.overlap(conv, qi):
                    working = (f"{role} {fmt(b.value)} {base} x {name} {r_lo:g}–{r_hi:g} = {_range(conv)} {quote}, "
                               f"stated {q.quote!r}")
                    out += [Outcome(ident.kind_name, "consistent", working, [b.id, q.id], False, True),
                            Outcome(ident.kind_name, "consistent", working, [q.id, b.id], False, True)]
    return out


_KINDS = {"order": in_order, "own_rate": own_rate, "converts": _converts, "relation": _relation, "parts": _parts, "ratio": _ratio, "restates": _restates, "inside": _inside,
          "midpoint": _midpoint, "parts_total": parts_and_total}
