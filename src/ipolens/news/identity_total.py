"""Parts and a stated total of one role: figures listed one by one and then summed after a total word ('分别认购1亿股、
5000万股及625万股, 总计1.6250亿股'; 'a combined 40 million shares'). The total is the role's figure whose own words
before it end with a total word (``total_words`` in lexicon/identities.yaml); the other figures of the role are its
parts. Parts that sum to it confirm each other. A list and its total in one sentence that disagree flag the total;
across sentences, parts short of it say nothing (a list need not name every part) and parts above it are reported,
not flagged (a part restated, or another basis)."""
from __future__ import annotations

import re
from functools import lru_cache

from . import rounding
from .identity_defs import Identity, Outcome, _config
from .identity_judge import _range

Interval = tuple[float, float]
LEAD = 12  # characters before a figure in which its total word must stand
LIST_GAP = 30  # characters: a figure this close before the first part is a member of the same list


@lru_cache(maxsize=1)
def _total_word() -> re.Pattern:
    words = _config().get("total_words") or ["(?!)"]
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")\s*$", re.I)


def is_total(c) -> bool:
    lead = (getattr(c, "_gap", "") or "")[-LEAD:]
    # the figure's own lead: a number word ('约', 'about') may sit between the total word and the figure
    lead = re.sub(r"(?:约|約|近|逾|about|approximately|some)\s*$", "", lead.rstrip(), flags=re.I)
    return bool(_total_word().search(lead))


def parts_and_total(ident: Identity, roles: dict[str, list], _next_to: dict[str, list]) -> list[Outcome]:
    stated = [c for c in roles.get(ident.roles[0], []) if not getattr(c, "known", False) and c.value is not None]
    totals = [c for c in stated if is_total(c)]
    if len(totals) != 1:
        return []  # no total, or two: which parts belong to which is not said
    total = totals[0]
    # keyed by claim: two parts of equal value ('5000万股、5000万股') are two parts, a claim listed twice is one
    parts = list({c.id: c for c in stated if c is not total and c.unit == total.unit}.values())
    # the parts are the figures listed before the total (a later figure of the role is another statement)
    parts = [c for c in parts if c._nstart < total._nstart]
    if len(parts) < 2:
        return []
    ivs = [rounding.of_claim(c) for c in parts]
    summed = (sum(i[0] for i in ivs), sum(i[1] for i in ivs))
    whole = rounding.of_claim(total)
    working = (" + ".join(f"{c.value:g}" for c in parts) + f" = {_range(summed)}; stated total {total.quote!r} admits "
               f"{_range(whole)}")
    ids = [c.id for c in parts] + [total.id]
    if rounding.overlap(summed, whole):
        exact = all(c.qualifier == "exact" for c in parts + [total])
        return [Outcome(ident.kind_name, "consistent", working, [i] + [j for j in ids if j != i], exact, True)
                for i in ids]
    if all(c.sentence == total.sentence for c in parts):
        # the list and its total in one sentence: the total is the list's sum, whichever way it misses - when the
        # reader took every listed figure as a part (one read in another role leaves the sum short of the list)
        if stray := _stray_member(total, parts, roles):
            return [Outcome(ident.kind_name, "unverifiable", working + f": no overlap, but not judged, the list also "
                            f"holds {stray.quote!r} read as {stray.metric} (the parts are not established)",
                            [total.id] + [c.id for c in parts], False, doubt="reading")]
        exact = all(c.qualifier == "exact" for c in parts + [total])
        verdict = "inconsistent" if exact else "tension"
        why = working + ": no overlap" + ("" if exact else ", but a figure is approximate")
        return [Outcome(ident.kind_name, verdict, why, [total.id] + [c.id for c in parts], exact, True)]
    if summed[0] > whole[1]:
        return [Outcome(ident.kind_name, "unverifiable", working + ": the parts exceed the total (a part restated, "
                        "or another basis)", [i] + [j for j in ids if j != i], False) for i in ids]
    return []  # parts of other sentences short of the total: the article need not list them all


def _stray_member(total, parts: list, roles: dict[str, list]):
    """A figure of the total's unit inside the listed span (from just before the first part to the total, one
    sentence) that the reader gave another role: a member of the list, missing from the sum."""
    start = min(c._nstart for c in parts)
    mine = {id(c) for c in parts} | {id(total)}
    for cs in roles.values():
        for c in cs:
            if (id(c) not in mine and not getattr(c, "known", False) and c.unit == total.unit
                    and c.sentence == total.sentence and start - LIST_GAP <= c._nstart < total._nstart
                    and c.value not in {p.value for p in parts}):
                return c
    return None
