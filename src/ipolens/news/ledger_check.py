"""Claims against the ledger: each claim vs the ledger facts of its entity and field (dated series, currencies through
the dated FX table), then claims about a pipeline deal (deal_check). The parts live in ledger_facts (which facts),
ledger_dating (which dates), ledger_compare and ledger_conflicts (the verdicts); names other modules and tests import
from here are re-exported."""
from __future__ import annotations

from typing import Callable

from .deal_check import against_deals
from .deal_terms import DEAL_FIELDS  # re-exported: api imports it from here
from .deal_values import _value_kind  # re-exported: tests read it from here
from .extract import Claim
from .findings import Finding, _day, _safe
from .ledger_basis import second_readings
from .ledger_compare import _ledger_findings
from .ledger_dating import _same_date
from .ledger_facts import LedgerFacts, checkable, known_values  # re-exported: verify imports them from here


def against_ledger(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
                    tick: Callable[[], None]) -> list[Finding]:
    """Each claim vs the ledger facts of the same entity and field.

    Point-in-time fields form a dated series (a fact's date is its ``as_of``, else its source's publication date):
    a dated claim is checked against the value(s) of its own date, else the nearest earlier date within
    ``ledger_dating.WINDOW_DAYS`` (said in ``why``); an undated claim that fits some value of a series and not
    another is a tension, and inconsistent only when it fits none. A money claim in another currency than the
    ledger value is converted at the fx_rates row of the value's (else the claim's) date, and ``why`` cites the
    rate.
    """
    from ipolens.ledger.fields import FIELDS

    out = []
    for cs in articles.values():
        for c in cs:
            tick()
            if not checkable(c):
                continue
            recs = ledger.records(c.entity_key, c.metric, own_sources)
            if recs:
                recs = recs + second_readings(c, recs, ledger, own_sources)
            if not recs:
                continue
            dating = FIELDS[c.metric].dating
            rows = []
            for r in recs:
                if dating == "period" and str(r.period or "").lstrip("FY") != (c.period or "").lstrip("FY"):
                    continue
                when, dated_by = _day(r.as_of), "as of"
                if when is None and _day(r.published) is not None:
                    when, dated_by = _day(r.published), "source published"
                rows.append((r, when, dated_by))
            if dating == "point":
                rows, note = _same_date(c, rows)
            else:
                note = ""
            out += _ledger_findings(c, rows, note, dating, fx)
    out += _safe(against_deals, articles, ledger, own_sources, fx, tick)
    return out
