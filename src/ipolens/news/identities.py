"""The identity solver: declared relations among metric roles (lexicon/identities.yaml), solved with interval
arithmetic over the claims of one entity in one article.

Every claim that fills a role of an identity takes its turn as the unknown: the other roles' claims give an interval
for it (each input widened by its rounding, ``news.rounding``), which is compared with the interval the claim itself
admits. A new identity is a new YAML entry; this module holds no rule for any particular metric.
"""
from __future__ import annotations

from . import rounding
from .identity_claims import (Known, _adjacent_prices, _ByPosition, _groups, _MAX_CANDIDATES, _nearest, interval_of,
                              roles_of_all)
from .identity_defs import (CONSTANTS, MONEY, Identity, Outcome, _config, canonical, identities, undated,
                            unit_family)
from .identity_alternatives import stated_by_unit
from .identity_fx import rate_finder
from .identity_kinds import _KINDS
from .intervals import interval_eval, solve_for

__all__ = ["Identity", "Outcome", "Known", "identities", "canonical", "solve_for", "check_claims", "CONSTANTS",
           "MONEY", "interval_eval", "interval_of", "roles_of_all", "unit_family", "undated"]

# the module's parts: identity_defs (declarations), intervals (arithmetic), identity_claims (claims by role),
# identity_judge (one verdict), identity_kinds and identity_relation (the entry kinds); names below stay
# importable from here
_ = (_ByPosition, _MAX_CANDIDATES, _nearest, _config)


def check_claims(claims: list, known: list | None = None, fx=None) -> list[Outcome]:
    """Every declared identity over the claims of one article, per entity; ``known`` values (ledger facts) serve as
    inputs for roles the article does not state; ``fx`` (an ``analytics.fx.FxTable``, or None for the HKD peg only)
    converts the inputs of a relation stated in two currencies."""
    out = []
    rate = rate_finder(fx)
    claims = list(claims) + list(known or ())
    next_to = _adjacent_prices([c for c in claims if c.value is not None])
    stated = stated_by_unit(claims)  # rival readings of a failing relation's inputs (identity_alternatives)
    for roles in _groups(claims).values():
        _derive(roles)
        _refine(roles)
        conventions = []
        for ident in identities():
            try:
                if ident.kind == "relation":
                    got = _KINDS["relation"](ident, roles, next_to, rate, stated)
                else:
                    got = _KINDS[ident.kind](ident, roles, next_to)
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            (conventions if ident.support_only else out).extend(got)
        out += _one_convention(conventions)
    return out


def _one_convention(outcomes: list[Outcome]) -> list[Outcome]:
    """Support-only outcomes (a market convention, e.g. two board lot sizes): a figure that two of them fit is
    supported by neither (one of the two fits by coincidence, and which is not said)."""
    fitting: dict[tuple, int] = {}
    for o in outcomes:
        if o.verdict == "consistent":
            fitting[(o.claims[0], o.check)] = fitting.get((o.claims[0], o.check), 0) + 1
    return [o if fitting.get((o.claims[0], o.check), 0) < 2 else
            Outcome(o.check, "unverifiable", o.why + "; not judged, another convention fits too", o.claims, False,
                    o.confirms, o.computed) for o in outcomes]


def _derive(roles: dict[str, list]) -> None:
    """Roles the article leaves out but an identity fixes from unambiguous stated figures (a board lot from the
    cash due for one lot and the price) join ``roles`` as known values, so that another identity can use them (the
    per-lot gain at that lot). The first identity that can derive a role does (those reading no other metric into a
    role first, then the YAML order); a derived value is never used to check the figures it came from."""
    found: dict[str, list] = {}
    for ident in sorted(identities(), key=lambda i: bool(i.fillers)):
        if ident.kind != "relation":
            continue
        missing = [r for r in ident.roles if not roles.get(r)]
        if len(missing) != 1 or missing[0] not in (_config().get("derivable") or ()) or missing[0] in found:
            continue
        given = {}
        for r in ident.roles:
            if r == missing[0]:
                continue
            stated = [c for c in roles[r] if not getattr(c, "known", False) and c.qualifier == "exact"]
            if len({(c.value, c.unit) for c in stated}) != 1:
                break  # one figure, in one currency (263港元 and 263元人民币 are two)
            given[r] = stated[0]
        else:
            if ident.currency and any(c.unit in MONEY and c.unit != ident.currency for c in given.values()):
                continue  # an identity of one market's fee schedule says nothing about another currency's figures
            try:
                iv = solve_for(ident, missing[0], {r: interval_of(c, r) for r, c in given.items()})
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if not rounding.is_finite(iv):
                continue
            mid = (iv[0] + iv[1]) / 2
            src = ", ".join(f"{r} {c.value:g}" for r, c in given.items())
            first = next(iter(given.values()))
            found.setdefault(missing[0], []).append(Known(
                id=f"derived:{ident.id}:{missing[0]}", metric=missing[0], value=mid, unit=None,
                entity_key=first.entity_key, iv=iv, date=None, quote=f"derived by {ident.id} from {src}",
                sources=tuple(c.id for c in given.values()), _nstart=first._nstart))
    roles.update(found)


def _refine(roles: dict[str, list]) -> None:
    """A deal term written coarsely ('47 million shares') that an identity over other stated figures fixes more
    finely ((net + fees) / price = 39.1m): both hold, so the true value lies in the overlap of the two intervals. The
    overlap joins ``roles`` as a known value that other identities take as their input in place of the stated
    figure (``refinable`` roles only; a figure never checks the values derived from it). A disagreement narrows
    nothing: it is the identity's own finding."""
    for role in _config().get("refinable") or ():
        stated = [c for c in roles.get(role, ()) if not getattr(c, "known", False) and c.qualifier == "exact"]
        if len({c.value for c in stated}) != 1 or len(stated) != len(roles[role]):
            continue
        own = stated[0]
        iv, used, srcs = interval_of(own, role), [], [own.id]
        for ident in identities():
            if ident.kind != "relation" or role not in ident.roles or ident.fillers:
                continue
            given = _single_inputs(ident, role, roles)
            if given is None:
                continue
            try:
                d = solve_for(ident, role, {r: interval_of(c, r) for r, c in given.items()})
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if rounding.is_finite(d) and rounding.overlap(d, iv) and (d[0] > iv[0] or d[1] < iv[1]):
                iv = (max(iv[0], d[0]), min(iv[1], d[1]))
                used += [f"{ident.id} ({', '.join(f'{r} {c.value:g}' for r, c in given.items())})"]
                srcs += [c.id for c in given.values()]
        if used:
            roles[role].append(Known(
                id=f"refined:{own.id}", metric=role, value=(iv[0] + iv[1]) / 2, unit=own.unit,
                entity_key=own.entity_key, iv=iv, date=own.date, quote=f"{own.quote} narrowed by {'; '.join(used)}",
                sources=tuple(dict.fromkeys(srcs)), refines=own.id, _nstart=own._nstart, sentence=own.sentence))


def _single_inputs(ident, role: str, roles: dict[str, list]) -> dict | None:
    """The other roles' stated figures when each has exactly one exact value in one currency (else None)."""
    given = {}
    for r in ident.roles:
        if r == role:
            continue
        stated = [c for c in roles.get(r, ()) if not getattr(c, "known", False) and c.qualifier == "exact"]
        if len({c.value for c in stated}) != 1:
            return None
        given[r] = stated[0]
    money = {c.unit for c in given.values() if c.unit in MONEY}
    if len(money) > 1 or (ident.currency and money and money != {ident.currency}):
        return None
    return given
