"""Which failing checks may flag a claim: only those whose every figure is surely the quantity the check reads it as.

A check that fails says the article's figures disagree, if each figure is what the check took it for. On articles
the reader was not written from, most false flags come from a figure given the wrong role (issue 13: on held-out
articles the flags were right only when the roles were): the verdict then trusts a role that a cue far from the
figure, the topic of an earlier figure or a default by unit chose. So a failing check flags only when every figure
it reads from another sentence took its role from its own words (``claim_roles.ROLE_BASES``: a cue in its own
clause, its table row's key, its own noun or unit, a list's names; a value derived or narrowed by an identity, such
as a lot from the entry fee and the price, by the figures it came from); a check against another source (the ledger,
another article) asks that of the figure itself, and that its paragraph names its company. Otherwise the check
leaves its figures unjudged, and its why names the weak link.
"""
from __future__ import annotations

from .claim import Claim
from .claim_roles import OWN_WORDS  # the bases read from the figure's own words
from .findings import Finding

__all__ = ["gate", "weak_link", "OWN_WORDS"]

_WEAK = {"sentence": "a cue in another clause of its sentence", "carried": "the role of an earlier figure (no cue "
         "of its own)", "neighbour": "the figure next to it, not its own words", "measure": "its measure word alone",
         "head": "a generic head noun", "none": "no cue"}
# checks that pair figures by their place (a conversion in brackets) or read a date's weekday: no role is trusted
ROLE_FREE = frozenset(("fx", "fx_source", "weekday"))
OUTSIDE = frozenset(("ledger", "cross_article", "deal", "deal_stage", "deal_value", "deal_across", "loss_vs_opex",
                     "comparative"))
_AGAINST = ("inconsistent", "tension")


def weak_link(c: Claim, outside: bool = False) -> str | None:
    """Why ``c`` is not surely the quantity its role names (None when its role is read from its own words, and, for
    a check against another source (``outside``), its company is named by its own paragraph)."""
    if c._role not in OWN_WORDS:
        return f"{c.id} is read as {c.metric} from {_WEAK.get(c._role, c._role)}"
    if outside and not c._named:
        return f"{c.id}'s company is not named in its paragraph"
    return None


def gate(by_claim: dict[str, list[Finding]], by_id: dict[str, Claim]) -> None:
    """Each failing finding whose figures are not all well-founded becomes unjudged (in place), naming the weak
    link: the disagreement may be between two other quantities, not an error of the article."""
    for fs in by_claim.values():
        for i, f in enumerate(fs):
            if f.verdict not in _AGAINST or f.check in ROLE_FREE or (judged := by_id.get(f.claims[0])) is None:
                continue
            outside = f.check in OUTSIDE
            # a weak role in the judged figure's own sentence is read with it: the writer put the figures of one
            # sentence together, and its cues are about them ('上市首日收于600.50元,涨幅425.26%'); one reached from
            # another sentence, or set against another source, rests on the reading alone
            # a member derived from other figures (a lot from the entry fee and the price) is as sure as they are
            weak = [w for c in _readings(f, by_id) if (outside or c.sentence != judged.sentence)
                    and (w := weak_link(c, outside))]
            if weak:
                fs[i] = Finding(f.check, "unverifiable", f"{f.why}; not judged: {'; '.join(weak)}", f.claims, False,
                                f.confirms, f.computed, doubt="reading")


def _readings(f: Finding, by_id: dict[str, Claim]) -> list[Claim]:
    """The claims whose roles ``f`` rests on: its members, a derived member by the claims it was derived from."""
    ids = (s for m in f.claims for s in ((m,) if m in by_id else f.via.get(m, ())))
    return [by_id[m] for m in dict.fromkeys(ids) if m in by_id]
