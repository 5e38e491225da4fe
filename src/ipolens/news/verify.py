"""Verification of claims: arithmetic inside an article, agreement across articles, and against the ledger.

Inside an article the declared identities (``news.identities``, lexicon/identities.yaml) are solved with interval
arithmetic; every stated figure admits the interval of ``news.rounding``. The verdict follows the evidence
(``ladder``): inconsistent only when exact inputs of one date and basis contradict the claim beyond the rounding of
both; tension when the mismatch has a reason (different dates, an approximate input, a stated basis, an outside
assumption, a ledger that disagrees with itself); consistent when an identity confirms it (a claim an exact identity
confirms is never flagged for a weaker disagreement); unverifiable when the inputs are missing or the reading is
doubtful (``why`` says which). Disagreements inside the ledger are findings of kind ``ledger_conflict``.

This module runs the checks; each lives in its own module (``checks_*``, ``ledger_check``), the verdict ladder in
``verdicts`` and the shared helpers in ``findings``.
"""
from __future__ import annotations

from typing import Callable

from . import identities
from .extract import Claim
from .checks_across import across
from .checks_article import (_cagr, _directions, _first_day_cap, _growth_without_base, _market_values_at_prices,
                             _multiples, _price_returns, _share_of_offer, _shares_of_whole, _title_copies)
from .checks_calendar import _weekdays
from .checks_fx import PEG_BAND, _fx_pairs
from .findings import RANK, Finding, _fmt, _fmt_range, _safe
from .ledger_check import LedgerFacts, against_ledger, checkable, known_values
from .verdicts import assign, ladder

__all__ = ["Finding", "verify", "LedgerFacts", "checkable", "PEG_BAND", "RANK", "ladder", "_fmt", "_fmt_range"]


def verify(articles: dict[str, list[Claim]], ledger: "LedgerFacts | None" = None, fx=None,
           own_sources: set[str] | None = None, tick: Callable[[], None] | None = None) -> list[Finding]:
    """Check every claim; sets ``verdict`` and ``why`` on the claims and returns the findings.

    ``ledger``: the candidate ledger facts (None: no ledger check); ``fx``: an ``analytics.fx.FxTable`` (None: FX
    pairs fall back to the HKD peg band); ``tick``: called between items so a caller's time limit can stop a run."""
    tick = tick or _no_tick
    findings: list[Finding] = []
    for path, cs in articles.items():
        findings += _within(cs, fx, known_values(cs, ledger, own_sources or set()))
        tick()
    findings += across(articles, tick)
    if ledger is not None:
        findings += _safe(against_ledger, articles, ledger, own_sources or set(), fx, tick)
    assign(articles, findings, tick)
    return findings


def _no_tick() -> None:
    return None


def _within(cs: list[Claim], fx, known: list | None = None) -> list[Finding]:
    out: list[Finding] = []
    entities = dict.fromkeys(c.entity_key for c in cs)  # text order: findings come out the same every run
    for e in entities:
        mine = [c for c in cs if c.entity_key == e]
        out += _safe(_price_returns, mine)
        out += _safe(_multiples, mine, cs)
        out += _safe(_first_day_cap, mine)
    out += _safe(_identities, cs, known or [], fx)
    out += _safe(_cagr, cs)
    out += _safe(_fx_pairs, cs, fx)
    out += _safe(_directions, cs)
    out += _safe(_growth_without_base, cs)
    out += _safe(_share_of_offer, cs)
    out += _safe(_shares_of_whole, cs)
    out += _safe(_market_values_at_prices, cs)
    out += _safe(_weekdays, cs)
    out += _safe(_title_copies, cs)
    return out


def _identities(cs: list[Claim], known: list, fx=None) -> list[Finding]:
    """The declared identities (lexicon/identities.yaml) solved over the article's claims and the known values."""
    return [Finding(o.check, o.verdict, o.why, o.claims, o.exact, o.confirms, o.computed, o.suspects, o.swapped,
                    o.doubt, o.via)
            for o in identities.check_claims(cs, known, fx)]
