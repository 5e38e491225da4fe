"""From findings to one verdict per claim: the evidence ladder, and the suspects of a failing relation."""
from __future__ import annotations

import itertools
from typing import Callable

from .extract import Claim
from .findings import RANK, Finding
from .identity_defs import _config, canonical
from .verdict_evidence import gate

__all__ = ["assign", "ladder"]

def assign(articles: dict[str, list[Claim]], findings: list[Finding], tick: Callable[[], None]) -> None:
    by_id = {c.id: c for cs in articles.values() for c in cs}
    best: dict[str, list[Finding]] = {}
    for f in findings:
        if f.claims and f.check != "ledger_conflict":  # the ledger's own disagreements are not the article's
            best.setdefault(f.claims[0], []).append(f)
    gate(best, by_id)  # a failing check flags only on well-founded readings (verdict_evidence)
    _rival_inputs(best, by_id)
    _suspects(best)
    _conversion_suspect(best)
    for cid, c in by_id.items():
        tick()
        fs = best.get(cid)
        if not fs:
            c.verdict = "unverifiable"
            c.why = (f"no check applies: nothing else states {c.metric} for {c.entity or 'this subject'}"
                     if c.value is not None or c.text else "no value")
            continue
        c.verdict, lead = ladder(fs)
        c.why = lead + " | ".join(f"[{f.check}] {f.why}" for f in sorted(fs, key=lambda f: -RANK[f.verdict]))


def _suspects(by_claim: dict[str, list[Finding]]) -> None:
    """A failing relation says one of its members is wrong, not which: flag the member(s) the evidence points to.

    Support counting first: a member that something else supports (an identity, a restatement, another source) is not
    the suspect while an unsupported member shares the failure. Among the unsupported, the suspects are the smallest
    set of members whose removal leaves no failing relation (a minimum hitting set, at most ``_MAX_SUSPECTS``); when
    several sets tie, evidence decides first (a member whose digits are the relation's value with two neighbours
    swapped is a slip by itself), then the ones holding more computed sides win (a return, rate or total is worked
    out by the writer from the figures it names, so a slip lands there more often than in a copied price or count),
    and what still ties is flagged together. A member only that habit cleared, when it and the suspect are the
    relation's only unconfirmed members, is not flagged either: its why names the suspect ("either may be the slip").
    One failing relation earns one flag: a second flag on it is wrong at least half the time, and every flag that is
    not an error costs the reader's precision (issue 13: measured on the tune halves and dev, see the report). The
    other members keep the finding as unverifiable with the suspect named."""
    # support is an exact agreement: a bound ('超17亿') or an approximate restatement does not clear a suspect
    supported = {cid for cid, fs in by_claim.items() if any(f.verdict == "consistent" and f.exact for f in fs)}
    # an approximate input counts as confirmed only by an exact identity relation: an FX conversion or a restatement
    # says the figure is written consistently, not that it is the quantity the identity needs
    _judge_confirmed_inputs(by_claim, {cid for cid, fs in by_claim.items() if any(
        f.verdict == "consistent" and f.exact and f.confirms and f.computed is not None for f in fs)})
    failing: dict[frozenset, dict[str, int]] = {}  # one failing relation (its members) -> member -> finding index
    computed: set[str] = set()
    swapped: set[str] = set()
    for cid, fs in by_claim.items():
        for i, f in enumerate(fs):
            if f.computed is not None and f.verdict in ("inconsistent", "tension"):
                failing.setdefault(frozenset(f.claims), {})[cid] = i
                if f.computed:
                    computed.add(cid)
                if f.swapped:
                    swapped.add(cid)
    loose = {g: frozenset(m for m in g if m in by_claim and m not in supported) for g in failing}
    suspects, tied = _hitting_set([s for s in loose.values() if s], computed, swapped)
    for g, at in failing.items():
        named = sorted(loose[g] & suspects) if suspects is not None else sorted(loose[g])
        if not named:
            continue  # every member is supported: the ladder weighs the evidence
        for cid, i in at.items():
            if cid in named or _confirmed(by_claim[cid]):
                continue  # a confirmed claim is the ladder's: it names the disagreement it outweighs
            f = by_claim[cid][i]
            if cid in tied and len(loose[g]) == 2:
                # every other member is confirmed and no evidence tells this figure from the suspect: only the
                # habit of writers (a computed side is worked out, so slips land there more often) chose, so the
                # figure is left unjudged with a why naming both (the suspect alone carries the flag)
                by_claim[cid][i] = Finding(f.check, "unverifiable", f"{f.why}; nothing else supports this figure or "
                                           f"{', '.join(named)}: either may be the slip (the computed side is the "
                                           "likelier)", f.claims, False, f.confirms, f.computed)
                continue
            why = "nothing else supports it" if len(named) == 1 else "nothing else supports them"
            by_claim[cid][i] = Finding(f.check, "unverifiable", f"{f.why}; the evidence points to "
                                       f"{', '.join(named)} ({why}), not to this figure", f.claims, False,
                                       f.confirms, f.computed)
        _tie_unjudged(by_claim, g, at, named, loose[g], tied)


def _rival_inputs(by_claim: dict[str, list[Finding]], by_id: dict[str, Claim]) -> None:
    """A failing relation read with an input that nothing confirms, while the article confirms one other value of
    that input's role for the same subject (a deal term an offer has one value of, ``one_per_subject``: 'priced at
    $33', confirmed, and 'preferred shares at $50 each'), was read with another quantity: the relation's reading is
    in doubt, not the claim it judges. Only when the subject's confirmed values of the role are one value: several
    confirmed offer prices say the figures of several companies share the subject (names the reader does not know),
    and then no value is the subject's. (The input itself, judged from its own side, keeps its finding.)"""
    single = set(_config().get("one_per_subject") or ())
    confirmed = {cid for cid, fs in by_claim.items() if _confirmed(fs)}
    held: dict[tuple, set] = {}  # (subject, role) -> the values the article confirms
    for cid in confirmed:
        c = by_id.get(cid)
        if c is not None and c.value is not None and canonical(c.metric) in single:
            held.setdefault((c.entity_key, canonical(c.metric)), set()).add(float(c.value))
    for fs in by_claim.values():
        for i, f in enumerate(fs):
            if f.computed is None or f.verdict not in ("inconsistent", "tension"):
                continue
            for m in f.claims[1:]:
                c = by_id.get(m)
                if c is None or c.value is None or m in confirmed:
                    continue
                rival = held.get((c.entity_key, canonical(c.metric)), set())
                if len(rival) == 1 and float(c.value) not in rival:
                    fs[i] = Finding(f.check, "unverifiable", f"{f.why}; not judged: {c.quote!r} is read as "
                                    f"{c.metric}, but the article confirms {next(iter(rival)):g} as this subject's "
                                    f"{c.metric}: it is another quantity", f.claims, False, f.confirms, f.computed,
                                    doubt="reading")
                    break


def _conversion_suspect(by_claim: dict[str, list[Finding]]) -> None:
    """An amount and its conversion that disagree say one of the two is wrong; the check judges the converted one.
    When something else (an identity, a restatement, another conversion of the same amount) supports the converted
    amount and nothing supports the source, the evidence points to the source: it takes the finding, and the
    converted amount keeps it unjudged."""
    def backed(cid: str, other: str) -> bool:
        return any(f.verdict == "consistent" and other not in f.claims and f.check not in ("fx", "fx_source")
                   for f in by_claim.get(cid, ()))

    for cid, fs in list(by_claim.items()):
        for i, f in enumerate(fs):
            if f.check != "fx" or f.verdict not in ("inconsistent", "tension") or len(f.claims) < 2:
                continue
            src = f.claims[1]
            if src == cid or not backed(cid, src) or backed(src, cid):
                continue
            fs[i] = Finding(f.check, "unverifiable", f"{f.why}; the evidence points to {src} (nothing else "
                            "supports it), not to this figure", f.claims, False, f.confirms)
            by_claim.setdefault(src, []).append(Finding("fx_source", f.verdict, f.why, [src, cid], f.exact,
                                                        f.confirms))


def _tie_unjudged(by_claim: dict[str, list[Finding]], g: frozenset, at: dict[str, int], named: list[str],
                  loose: frozenset, tied: set[str]) -> None:
    """The tied member of a pair that the relation, judged from its own side, left unjudged because its inputs stand
    far from it in the text: the relation failed from the suspect's side with exact inputs, and it is one finding
    about both figures, so the member's why names it (unjudged: the suspect alone carries the flag). (Left unjudged because the value the relation
    asks of it is another quantity altogether, it is no suspect: such a slip is not one.)"""
    lead = next((by_claim[n][at[n]] for n in named if n in at), None)
    if lead is None or len(loose) != 2 or lead.verdict != "inconsistent":
        return
    for cid in sorted((loose & tied) - set(at) - set(named)):
        own = [f for f in by_claim.get(cid, ()) if f.computed is not None and frozenset(f.claims) == g]
        if own and all(f.doubt == "placement" for f in own) and not _confirmed(by_claim[cid]):
            by_claim[cid].append(Finding(lead.check, "unverifiable", f"{lead.why}; nothing else supports this figure or "
                                         f"{', '.join(named)}: either may be the slip (the computed side is the "
                                         "likelier)", [cid] + [m for m in lead.claims if m != cid], False,
                                         lead.confirms, False))


def _judge_confirmed_inputs(by_claim: dict[str, list[Finding]], supported: set[str]) -> None:
    """An identity that left a mismatch unjudged because an approximate input may be another quantity (a rumoured
    size) judges it after all when an exact identity confirms every such input: the input is that quantity, so
    the mismatch stands, as a tension (an approximate input never makes an error)."""
    for fs in by_claim.values():
        for i, f in enumerate(fs):
            if f.verdict == "unverifiable" and f.suspects and all(s in supported for s in f.suspects):
                fs[i] = Finding(f.check, "tension", f"{f.why}; but {', '.join(f.suspects)} "
                                f"{'is' if len(f.suspects) == 1 else 'are'} confirmed elsewhere, so the mismatch "
                                "stands", f.claims, False, f.confirms, f.computed)


_MAX_SUSPECTS = 3  # more independent slips than this in one article: the readings are doubtful, keep them all




def _hitting_set(sets: list[frozenset], computed: set[str], swapped: set[str] = frozenset()
                 ) -> tuple[set[str] | None, set[str]]:
    """The union of the best minimum hitting sets of ``sets`` (None when none has at most _MAX_SUSPECTS members),
    and the members of the sets that tied with them until the computed sides chose. Evidence first: a member whose
    digits are its relation's value with two neighbours swapped is a slip by itself, named before the count of
    slips is minimised over the failures it leaves; then the computed sides (a writer's habit, not evidence)."""
    slips = {m for s in sets for m in s if m in swapped}
    sets = [s for s in sets if not s & slips]
    if not sets:
        return slips, set()
    universe = sorted(set().union(*sets))
    for k in range(1, min(_MAX_SUSPECTS, len(universe)) + 1):
        hits = [set(c) for c in itertools.combinations(universe, k) if all(s & set(c) for s in sets)]
        if hits:
            top = max(len(h & computed) for h in hits)
            best = set().union(*(h for h in hits if len(h & computed) == top))
            return best | slips, set().union(*hits) - best
    return None, set()


_OUTSIDE = ("ledger", "cross_article")  # other sources: their agreement supports a claim, it does not confirm it


def _confirmed(fs: list[Finding]) -> list[Finding]:
    return [f for f in fs if f.verdict == "consistent" and f.exact and f.confirms and f.check not in _OUTSIDE]


def ladder(fs: list[Finding]) -> tuple[str, str]:
    """The verdict the evidence supports, and a lead for ``why`` when the evidence is mixed.

    A claim that an exact identity confirms is consistent: a disagreement elsewhere lies with another figure or a
    weaker source. Otherwise an exact contradiction (exact inputs, one date, one basis) is inconsistent; any other
    disagreement is a tension; agreement is consistent."""
    confirmed = _confirmed(fs)
    against = [f for f in fs if f.verdict in ("inconsistent", "tension")]
    if confirmed:
        lead = (f"confirmed by [{confirmed[0].check}]; the disagreement of [{against[0].check}] lies with another "
                "figure or a weaker source: ") if against else ""
        return "consistent", lead
    if any(f.verdict == "inconsistent" and f.exact for f in fs):
        return "inconsistent", ""
    if against:
        return "tension", ""
    if any(f.verdict == "consistent" for f in fs):
        return "consistent", ""
    return "unverifiable", ""
