"""The ledger's own disagreements: two sources' values of one day that cannot both hold are reported as a
``ledger_conflict``, never as an error of the article; the claim is then judged against the disagreement."""
from __future__ import annotations

from .extract import Claim
from .findings import Finding, _fmt_range, _overlap, _simp
from .identity_judge import CLOSE_WORD
from .ledger_basis import within_spread


def conflict_findings(c: Claim, results: list, lead: str) -> list[Finding]:
    """The ``ledger_conflict`` among ``results`` (the comparisons of ``ledger_compare``) and the claim's verdict
    against a ledger that disagrees with itself; nothing when the ledger agrees with itself."""
    conflict = _ledger_conflict(c, results)
    if conflict is None:
        return []
    agree = [x for x in results if x[0]]
    if agree:
        return [conflict, Finding("ledger", "consistent", f"{lead}{c.quote!r} agrees with {agree[0][1]}; the "
                                                          "ledger disagrees with itself (ledger_conflict)", [c.id])]
    if c.metric == "first_day_return" and not CLOSE_WORD.search(_simp(c.sentence)):
        return [conflict, Finding("ledger", "unverifiable", f"{lead}{c.quote!r} differs from the ledger, but "
                                  "the text does not say it is the close, and the ledger disagrees with itself: "
                                  + conflict.why, [c.id], False)]
    if within_spread(results[0][2], [x[3] for x in results]):
        # inside the ledger's own disagreement: which source is the figure's basis is unknown, no flag
        return [conflict, Finding("ledger", "unverifiable", f"{lead}{c.quote!r} differs from the ledger, but "
                                  "lies within the ledger's own disagreement: " + conflict.why, [c.id], False)]
    return [conflict, Finding("ledger", "tension", f"{lead}{c.quote!r} differs from the ledger, but the ledger "
                                                   "disagrees with itself: " + conflict.why, [c.id], False)]


def _ledger_conflict(c: Claim, results: list) -> Finding | None:
    """Ledger values of one date (or all undated) for the claim's entity and field whose intervals are disjoint:
    the ledger's own disagreement, reported as such and never as an error of the article."""
    by_day: dict = {}
    for x in results:
        if not x[6]:  # values in the claim's own currency only
            by_day.setdefault(x[5], []).append(x)
    for day, xs in by_day.items():
        for i, a in enumerate(xs):
            for b in xs[i + 1:]:
                if not _overlap(a[3], b[3]):
                    return Finding("ledger_conflict", "tension",
                                   f"{c.metric} of {c.entity or c.entity_key}: {a[1]} and {b[1]} disagree "
                                   f"({_fmt_range(*a[3])} vs {_fmt_range(*b[3])})", [c.id], False, False)
    return None
