"""The kinds of identity entries: relation (identity_relation), parts of a whole, inside a range, a range's
midpoint, a bounded ratio, a restatement, one amount in two currencies. Each takes the claims by role and returns
outcomes; none holds a rule for a particular metric."""
from __future__ import annotations

from . import rounding
from .identity_claims import _ByPosition, interval_of, range_end
from .identity_convert import in_order, own_rate
from .identity_defs import Identity, Outcome, undated
from .identity_judge import SAME_QUANTITY, _range, _show, _weakness, fmt
from .identity_relation import _relation
from .identity_total import parts_and_total
from .intervals import _div


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


_KINDS = {"order": in_order, "own_rate": own_rate, "converts": _converts, "relation": _relation, "parts": _parts,
          "ratio": _ratio, "restates": _restates, "inside": _inside, "midpoint": _midpoint,
          "parts_total": parts_and_total}
