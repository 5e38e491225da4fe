"""Checks across articles (one entity's figure stated by two articles) and relations among figures that may sit in
different articles: a cumulative loss against operating expenses, a comparative word against the figure it compares."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from . import identities
from .extract import Claim
from .findings import Finding, _fmt, _iv, _overlap, _safe, _simp

# values stated before a deal prices, which move with time (a rumoured valuation, a planned raise)
_MOVING = frozenset({"valuation", "expected_valuation", "target_market_cap", "proceeds_planned"})


# -- across articles -----------------------------------------------------------------------------------------------
def across(articles: dict[str, list[Claim]], tick: Callable[[], None]) -> list[Finding]:
    return _safe(_across_checks, articles, tick)


def _across_checks(articles: dict[str, list[Claim]], tick: Callable[[], None]) -> list[Finding]:
    from ipolens.ledger.fields import FIELDS

    out = []
    items = [(p, c) for p, cs in articles.items() for c in cs if c.value is not None and c.entity_key
             and c.metric not in ("statement", "duration")]
    # pairs of one entity from different articles, in the order of ``items``; an article's claims are contiguous
    # there, so the partners of a claim start after its article's block (one long article costs no pairs)
    groups: dict[str, list[tuple[str, Claim]]] = {}
    for p, c in items:
        groups.setdefault(c.entity_key, []).append((p, c))
    block_end: dict[str, list[int]] = {}
    for key, g in groups.items():
        ends = [len(g)] * len(g)
        for i in range(len(g) - 2, -1, -1):
            ends[i] = i + 1 if g[i + 1][0] != g[i][0] else ends[i + 1]
        block_end[key] = ends
    seen: dict[str, int] = {}
    for pa, a in items:
        k = seen.get(a.entity_key, 0)
        seen[a.entity_key] = k + 1
        tick()
        for pb, b in groups[a.entity_key][block_end[a.entity_key][k]:]:
            if pa == pb:
                continue
            if a.metric == b.metric and a.unit == b.unit:
                f = FIELDS.get(a.metric)
                dating = f.dating if f else "point"
                if a.metric in _MOVING and (a.date or a._ref) != (b.date or b._ref):
                    continue  # a valuation or a planned raise moves before pricing: reports of one day compare
                if dating == "period" and (a.period or "").lstrip("FY") != (b.period or "").lstrip("FY"):
                    continue
                if dating == "point" and a.date and b.date and a.date != b.date:
                    continue
                ia, ib = _iv(a), _iv(b)
                if _overlap(ia, ib):
                    out.append(Finding("cross_article", "consistent",
                                       f"{a.metric}: {a.quote!r} [{_fmt(ia[0])}, {_fmt(ia[1])}] and {b.quote!r} "
                                       f"[{_fmt(ib[0])}, {_fmt(ib[1])}] overlap", [b.id, a.id]))
                else:
                    gap = (b.value / a.value - 1) * 100 if a.value else float("nan")
                    if dating == "point" and not (a.date and b.date and a.date == b.date):
                        out.append(Finding("cross_article", "tension",
                                           f"{a.metric}: {a.quote!r} ({a.date or 'undated'}) vs {b.quote!r} "
                                           f"({b.date or 'undated'}): {gap:+.1f}%; inconsistent if meant for the same "
                                           "date, else a price move or a different share basis must explain it",
                                           [b.id, a.id]))
                    else:
                        out.append(Finding("cross_article", "inconsistent",
                                           f"{a.metric}: {a.quote!r} vs {b.quote!r} ({gap:+.1f}%): intervals "
                                           f"[{_fmt(ia[0])}, {_fmt(ia[1])}] and [{_fmt(ib[0])}, {_fmt(ib[1])}] "
                                           "are disjoint", [b.id, a.id]))
    all_claims = [c for cs in articles.values() for c in cs]
    out += _safe(_loss_vs_opex, all_claims)
    out += _safe(_comparatives, all_claims)
    return out


def _loss_vs_opex(cs: list[Claim]) -> list[Finding]:
    """A cumulative net loss larger than all operating expenses of the period needs non-operating losses.

    Opex per year = R&D / R&D share of opex, for the years the article states both.
    """
    out = []
    for loss in [c for c in cs if c.metric == "net_loss_cumulative" and c.value is not None]:
        m = re.fullmatch(r"(?:FY)?(\d{4})-(\d{4})(H1)?", loss.period or "")
        rd = {c.period: c for c in cs if c.metric == "rd_expense" and c.entity_key == loss.entity_key
              and c.value is not None and c.period}
        share = {c.period: c for c in cs if c.metric == "rd_share_of_opex" and c.entity_key == loss.entity_key
                 and c.value is not None and c.period}
        years = [p for p in rd if p in share]
        if not m or not years:
            continue
        opex = sum(rd[p].value / (share[p].value / 100) for p in years)
        working = " + ".join(f"{_fmt(rd[p].value)}/{share[p].value:g}%" for p in sorted(years))
        if m[3]:  # a half-year inside the period: its opex is not stated, so the total has no upper bound
            out.append(Finding("loss_vs_opex", "unverifiable", f"opex of {m[2]}H1 unknown", [loss.id]))
            continue
        lo = _iv(loss)[0]
        if lo > opex:
            out.append(Finding("loss_vs_opex", "tension",
                               f"operating expenses {working} total at most {_fmt(opex)}, below the stated "
                               f"loss ({loss.quote!r}): ≥ {_fmt(lo - opex)} must be non-operating (e.g. fair-value "
                               "changes); reported and adjusted losses must not be mixed",
                               [loss.id] + [rd[p].id for p in years]))
        else:
            out.append(Finding("loss_vs_opex", "consistent", f"operating expenses {working} total "
                                                             f"{_fmt(opex)} ≥ the stated loss", [loss.id]))
    return out


@lru_cache(maxsize=1)
def _more() -> re.Pattern:
    """Words saying a figure is larger than the one before it (lexicon/identities.yaml ``comparative_words``)."""
    words = identities._config().get("comparative_words") or []
    return re.compile("|".join(words) or "(?!)", re.I)


def _comparatives(cs: list[Claim]) -> list[Finding]:
    """A figure whose sentence says it is the larger ('表现更好', 'even higher') against the previous figure of the
    same metric and unit for another entity: it must be the larger."""
    out = []
    for i, b in enumerate(cs):
        # the word must lead up to the figure (the text since the previous figure), not sit anywhere in the sentence
        lead = _simp(b._gap or "")
        if b.value is None or not _more().search(lead):
            continue
        prev = [a for a in cs[:i] if a.metric == b.metric and a.unit == b.unit and a.value is not None
                and a.entity_key != b.entity_key and a.article == b.article]
        if not prev:
            continue
        a = prev[-1]
        ok = _iv(b)[1] > _iv(a)[0]
        out.append(Finding("comparative", "consistent" if ok else "inconsistent",
                           f"'{_more().search(lead)[0]}': {b.value:g} vs {a.value:g} ({a.entity})",
                           [b.id, a.id]))
    return out
