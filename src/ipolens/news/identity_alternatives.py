"""Another reading of a failing relation: a figure of a member's own sentence that the reader could not place by
its own words (no role, or one a topic, a neighbour or a default gave), as precise as the member, that in the
member's place makes the relation hold. Then the mismatch more likely lies in the reading (the reader gave the role
to the wrong one of two figures side by side: a day's high taken for the close, a grey-market close for the first
day's) than in the article, and the relation judges none of its members. A copying slip leaves no such figure; a
second copy of the member in its own role that agrees with the relation says the copies disagree (the article's
error), and a looser figure ('五成' for 49.46%) fits by its looseness alone. When the judged
figure's own role is weak (a carried topic: '开盘报9.00元,较招股价10元低10%,盘中一度跌至8.70元,低13%'), the doubt
may be its role, not its neighbour's: a figure placed by its own words (the low) that in an input's place makes
the relation hold is a rival too (the 13% is the low's move, not the open's)."""
from __future__ import annotations

from . import rounding
from .identity_claims import _signed, interval_of
from .identity_defs import Identity
from .intervals import solve_for
from .verdict_evidence import OWN_WORDS



def _width(iv: tuple[float, float]) -> float:
    return iv[1] - iv[0]


def stated_by_unit(claims: list) -> dict[str, list]:
    """The article's stated figures (not ledger facts, not values derived here) by unit, in text order."""
    out: dict[str, list] = {}
    for c in sorted((c for c in claims if c.value is not None and not getattr(c, "known", False)
                     and not str(c.id).startswith("derived:")), key=lambda c: c._nstart):
        out.setdefault(c.unit, []).append(c)
    return out


def other_reading(ident: Identity, unknown: str, members: list, stated: dict[str, list]) -> str:
    """Why the relation's mismatch for ``members[0]`` may be a misreading: the first figure of one member's sentence,
    read in another role and no looser than the member, that in its place makes the relation hold ('' when there is
    none). A figure read in
    the member's own role is a second copy of it: that the copies disagree is the article's, not a misreading."""
    ids = {c.id for _, c in members}
    known = {r: interval_of(c, r) for r, c in members[1:]}
    mine = interval_of(members[0][1], unknown)
    judged_weak = getattr(members[0][1], "_role", "") not in OWN_WORDS
    for i, (r, c) in enumerate(members):
        if getattr(c, "known", False):
            continue
        for o in stated.get(c.unit, ()):
            if o.id in ids or o.metric == c.metric or o.value == c.value or o.sentence != c.sentence:
                continue
            if o._role in OWN_WORDS and (i == 0 or not judged_weak):
                continue  # a figure placed by its own words is not the misread one, unless the judged one is weak
            iv = interval_of(_signed(o, r), r)
            if not rounding.is_finite(iv) or _width(iv) > _width(interval_of(c, r)):
                continue  # a looser figure ('五成' for 49.46%) fits by its looseness: no rival reading
            try:  # the member replaced: the claim itself (the relation's value is another figure?) or an input
                derived, stated_iv = (solve_for(ident, unknown, known), iv) if i == 0 else \
                    (solve_for(ident, unknown, {**known, r: iv}), mine)
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if rounding.is_finite(derived) and rounding.overlap(derived, stated_iv):
                return (f"with {o.quote!r} ({o.value:g}, read as {o.metric}) as its {r} in place of {c.value:g} the "
                        "relation holds: which figure is the input is in doubt")
    return ""
