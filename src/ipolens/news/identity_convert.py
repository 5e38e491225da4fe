"""Two kinds that only ever support: the article's own conversion rate, and figures in their order.

One amount stated in two currencies where no outside rate tests the conversion ('310亿港元(约合286.26亿元人民币)'):
an article converts at one rate, so two conversions of different figures that imply the same rate, within the
written rounding of all four amounts, support each other. A conversion that agrees with no other says nothing (the
rates may be of two dates), and no conversion ever makes a figure an error."""
from __future__ import annotations

from . import rounding
from .identity_claims import interval_of
from .identity_defs import Identity, Outcome
from .identity_judge import _range

Interval = tuple[float, float]


def own_rate(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    base, quote = ident.currency.split("/")
    names = [r for r in roles if r not in ident.roles[1:]] if ident.roles[:1] == ("*",) else ident.roles
    pairs = []  # (role, base figure, quote figure, implied quote-per-base interval)
    for role in names:
        cs = [c for c in roles.get(role, []) if not getattr(c, "known", False) and not getattr(c, "end_of", None)
              and c.value]
        quotes: dict[str, list] = {}
        for c in cs:
            if c.unit == quote:
                quotes.setdefault(c.sentence, []).append(c)
        for b in [c for c in cs if c.unit == base]:
            for q in quotes.get(b.sentence, ()):  # a conversion is written beside its amount, in its sentence
                bi, qi = interval_of(b, role), interval_of(q, role)
                if bi[0] > 0 and qi[0] > 0:
                    pairs.append((role, b, q, (qi[0] / bi[1], qi[1] / bi[0])))
    out, done = [], set()
    for (r1, b1, q1, iv1), (r2, b2, q2, iv2) in _overlapping(pairs):
        if {b1.id, q1.id} & {b2.id, q2.id}:
            continue
        both = (max(iv1[0], iv2[0]), min(iv1[1], iv2[1]))
        for role, b, q, other in ((r1, b1, q1, (b2, q2)), (r2, b2, q2, (b1, q1))):
            working = (f"{role} {q.quote!r} / {b.quote!r} implies {_range(both)} {quote} per {base}, the rate "
                       f"{other[1].quote!r} / {other[0].quote!r} implies too (no outside rate tests either)")
            for c, partner in ((b, q), (q, b)):
                if (c.id, partner.id) not in done:
                    done.add((c.id, partner.id))
                    out.append(Outcome(ident.kind_name, "consistent", working,
                                       [c.id, partner.id, other[0].id, other[1].id], False, False))
    return out


def _overlapping(pairs: list) -> list:
    """The pairs of conversions whose implied rates overlap, by a sweep over the rates in order (a long article has
    many conversions; comparing each with each would cost their square)."""
    ordered = sorted(pairs, key=lambda p: p[3][0])
    out, active = [], []
    for p in ordered:
        active = [a for a in active if a[3][1] >= p[3][0]]
        out += [(a, p) for a in active]
        active.append(p)
    return out


def in_order(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    """Figures of roles that must come in the declared order (the lowest winning bid <= the weighted average <= the
    highest): each figure that keeps its place, within the rounding of all, is supported by the others. One out of
    order is said nothing of: the figures may be of two days or two deals (a role reading is the likelier slip)."""
    firsts = [[c for c in roles.get(r, []) if not getattr(c, "known", False) and not getattr(c, "end_of", None)]
              for r in ident.roles]
    if not all(firsts) or any(len({c.value for c in cs}) != 1 for cs in firsts):
        return []  # one value per role, or the order says nothing about which figure goes with which
    members = [cs[0] for cs in firsts]
    if len({c.unit for c in members}) != 1 or len({c.date for c in members if c.date}) > 1:
        return []
    ivs = [interval_of(c, r) for c, r in zip(members, ident.roles)]
    if not all(a[0] <= b[1] for a, b in zip(ivs, ivs[1:])):
        return []
    working = " <= ".join(f"{r} {c.value:g}" for r, c in zip(ident.roles, members))
    ids = [c.id for c in members]
    return [Outcome(ident.kind_name, "consistent", working, [i] + [j for j in ids if j != i], False, False)
            for i in ids]
