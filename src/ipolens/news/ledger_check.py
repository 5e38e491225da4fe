"""Claims against the ledger: each claim vs the ledger facts of its entity and field (dated series, currencies through
the dated FX table), ledger facts as known inputs of the identities, and the ledger's own disagreements reported as
``ledger_conflict`` findings, never as errors of the article."""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

from . import identities, rounding
from .extract import Claim
from .findings import BASIS, Finding, _day, _fmt, _fmt_range, _iv, _overlap, _pct_gap, _simp

class LedgerFacts:
    """Candidate ledger facts by (entity, field), from the frame ``ledger.queries.news.claim_candidates`` gives."""

    def __init__(self, frame: pd.DataFrame):
        self._by_pair: dict[tuple[str, str], pd.DataFrame] = {}
        self._empty = frame.iloc[0:0]
        if len(frame):
            for key, g in frame.groupby(["entity", "field"], sort=False):
                self._by_pair[key] = g.reset_index(drop=True)

    def rows(self, entity: str, field_name: str) -> pd.DataFrame:
        return self._by_pair.get((entity, field_name), self._empty)


def checkable(c: Claim) -> bool:
    """Whether the ledger check looks ``c`` up: a number about a known entity, in a ledger field."""
    from ipolens.ledger.fields import FIELDS

    return c.value is not None and bool(c.entity_key) and c.metric in FIELDS and c.metric != "statement"


# -- inside one article --------------------------------------------------------------------------------------------
def known_values(cs: list[Claim], ledger: "LedgerFacts | None", own_sources: set[str]) -> list:
    """Ledger facts as known values for the identity roles an entity's claims leave unstated (the app fetches the
    pairs ``ledger_pairs`` names; a role it did not fetch has no rows)."""
    if ledger is None:
        return []
    out = []
    for e in dict.fromkeys(c.entity_key for c in cs if c.entity_key):
        stated = {identities.canonical(c.metric) for c in cs if c.entity_key == e and c.value is not None}
        for role in sorted(identities.roles_of_all() - stated):
            df = ledger.rows(e, role)
            for r in df[~df["source_id"].isin(own_sources)].itertuples() if len(df) else ():
                unit = r.currency if isinstance(r.currency, str) else r.unit
                when = _day(r.as_of)
                out.append(identities.Known(
                    id=f"{r.source_id}:{role}", metric=role, value=float(r.value_num), unit=unit, entity_key=e,
                    iv=(float(r.lo), float(r.hi)), date=when.isoformat() if when else None,
                    quote=f"ledger {role} {_ledger_value(r)} ({r.source_id})"))
    return out


# -- against the ledger --------------------------------------------------------------------------------------------
# Words that fix a first-day figure to the close; without one, "首日大升468.78%" may be the open or the high.
_CLOSE_WORD = re.compile(r"收盘|收报|收于|收涨|收市|收跌|close", re.I)


WINDOW_DAYS = 7  # a dated claim may be checked against the nearest earlier ledger value at most this old


def against_ledger(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
                    tick: Callable[[], None]) -> list[Finding]:
    """Each claim vs the ledger facts of the same entity and field.

    Point-in-time fields form a dated series (a fact's date is its ``as_of``, else its source's publication date):
    a dated claim is checked against the value(s) of its own date, else the nearest earlier date within
    ``WINDOW_DAYS`` (said in ``why``); an undated claim that fits some value of a series and not another is a
    tension, and inconsistent only when it fits none. A money claim in another currency than the ledger value is
    converted at the fx_rates row of the value's (else the claim's) date, and ``why`` cites the rate.
    """
    from ipolens.ledger.fields import FIELDS

    out = []
    for cs in articles.values():
        for c in cs:
            tick()
            if not checkable(c):
                continue
            df = ledger.rows(c.entity_key, c.metric)
            df = df[~df["source_id"].isin(own_sources)]
            if not len(df):
                continue
            dating = FIELDS[c.metric].dating
            rows = []
            for r in df.itertuples():
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
    return out


def _same_date(c: Claim, rows: list) -> tuple[list, str]:
    """The rows a point-in-time claim is checked against, and a note on the date matching."""
    day = _day(c.date)
    if day is None:
        ref = _day(c._ref)
        if ref is None:
            return rows, ""
        # an undated figure is about the article's time: not a value years before it or after it
        return [x for x in rows if x[1] is None or
                ref - dt.timedelta(days=366) <= x[1] <= ref + dt.timedelta(days=WINDOW_DAYS)], ""
    same = [x for x in rows if x[1] == day]
    if same:
        return same, ""
    earlier = [x for x in rows if x[1] is not None and day - dt.timedelta(days=WINDOW_DAYS) <= x[1] < day]
    if not earlier:
        return [], ""
    last = max(x[1] for x in earlier)
    return ([x for x in earlier if x[1] == last],
            f"no ledger value of {day.isoformat()}; nearest earlier value {last.isoformat()} "
            f"({(day - last).days} day(s) before) used")


def _ledger_findings(c: Claim, rows: list, note: str, dating: str, fx) -> list[Finding]:
    results = []  # (agrees, desc, interval of the claim, interval of the ledger value, row, date, conversion)
    unit_of = lambda r: r.currency if isinstance(r.currency, str) else r.unit  # noqa: E731
    direct_dates = {when for r, when, _ in rows if unit_of(r) == c.unit}
    for r, when, dated_by in rows:
        unit = unit_of(r)
        ia = _iv(c)
        conv = ""
        if c.unit in ("HKD", "CNY", "USD") and unit != c.unit:
            if unit not in ("HKD", "CNY", "USD") or when in direct_dates:
                continue  # a value in the claim's own currency of the same date is the direct check
            on = when or _day(c.date) or _day(c._ref)
            rate = _ledger_rate(fx, c.unit, unit, on)
            if rate is None:
                continue
            ia = (ia[0] * rate.rate, ia[1] * rate.rate)
            conv = (f" (claim converted to {unit} at {rate.describe()}: "
                    f"{_fmt(float(c.value) * rate.rate)} {unit})")
        ib = (r.lo, r.hi)
        date_txt = f", {dated_by} {when.isoformat()}" if when else ""
        unit_txt = f" {unit}" if isinstance(unit, str) and unit in ("HKD", "CNY", "USD") else ""
        desc = f"ledger {_ledger_value(r)}{unit_txt} ({r.source_id}{date_txt})"
        trunc = None if conv else rounding.truncation_of_claim(c)  # the one truncation model (news.rounding)
        truncated = trunc is not None and _overlap(trunc, ib)
        results.append((_overlap(ia, ib) or truncated, desc, ia, ib, r, when, conv))
    if not results:
        return []
    lead = f"{note}; " if note else ""
    conflict = _ledger_conflict(c, results)
    if conflict is not None:
        agree = [x for x in results if x[0]]
        if agree:
            return [conflict, Finding("ledger", "consistent", f"{lead}{c.quote!r} agrees with {agree[0][1]}; the "
                                                              "ledger disagrees with itself (ledger_conflict)", [c.id])]
        return [conflict, Finding("ledger", "tension", f"{lead}{c.quote!r} differs from the ledger, but the ledger "
                                                       "disagrees with itself: " + conflict.why, [c.id], False)]
    # an undated claim against a dated series: fitting one value and not another is a tension, not a contradiction
    series = dating == "point" and _day(c.date) is None and len({x[5] for x in results}) > 1
    any_agree = any(x[0] for x in results)
    out = []
    for agrees, desc, ia, ib, r, when, conv in results:
        if agrees:
            out.append(Finding("ledger", "consistent", f"{lead}{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] "
                                                       f"agrees with {desc}", [c.id]))
        elif c.metric == "first_day_return" and not _CLOSE_WORD.search(_simp(c.sentence)):
            # the ledger's return is at the close; a figure of unstated basis is not comparable with it
            out.append(Finding("ledger", "unverifiable",
                               f"{lead}{c.quote!r} differs from {desc} ({_pct_gap(c.value, r.value_num)}), but the "
                               "text does not say it is the close: an opening or intraday gain would differ",
                               [c.id], False))
        elif BASIS.search(_simp(c.sentence)):
            out.append(Finding("ledger", "tension",
                               f"{lead}{c.quote!r} differs from {desc} ({_pct_gap(c.value, r.value_num)}), "
                               f"but the article states its basis ({BASIS.search(_simp(c.sentence))[0]}): "
                               "explain before use", [c.id]))
        elif series and any_agree:
            out.append(Finding("ledger", "tension",
                               f"{c.quote!r}{conv} gives no date and the ledger holds a dated series: it differs "
                               f"from {desc} [{_fmt_range(ib[0], ib[1], ', ')}] but agrees with another value of "
                               "the series; state the date before use", [c.id]))
        elif note:
            out.append(Finding("ledger", "tension",
                               f"{lead}{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint, but the dates differ: a price move "
                               "may explain it", [c.id]))
        elif doubt := _reading_doubt(c, when):
            out.append(Finding("ledger", "unverifiable",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: not judged, {doubt}", [c.id], False))
        else:
            out.append(Finding("ledger", "inconsistent",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint", [c.id]))
    return out


FAR_YEARS = 366  # days: a ledger value this far from the article's time is likely another deal's


def _reading_doubt(c: Claim, when: dt.date | None) -> str:
    """Why a disagreement with the ledger says more about the reading than about the article: the ledger value is of
    a time more than a year from the article's (a company named in passing, an earlier deal of the same name)."""
    ref = _day(c.date) or _day(c._ref)
    if when is not None and ref is not None and abs((ref - when).days) > FAR_YEARS:
        return (f"the ledger value is of {when.isoformat()}, more than a year from the article "
                f"({ref.isoformat()}): another deal, or the entity reading is doubtful")
    return ""


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


_QUAL_WORD = {"nearly": "近", "more_than": "超", "at_least": "至少", "at_most": "不超过", "about": "约"}


def _ledger_value(r) -> str:
    """'近800亿', '855.4亿', '19.6': the ledger value as a reader would write it."""
    q = r.qualifier if isinstance(r.qualifier, str) else "exact"
    v = _fmt(float(r.value_num))
    if isinstance(r.value_high, (int, float)) and not math.isnan(r.value_high) and r.value_high != r.value_num:
        return f"{v}–{_fmt(float(r.value_high))}"
    return f"{_QUAL_WORD.get(q, '')}{v}"


def _ledger_rate(fx, base: str, quote: str, on: dt.date | None):
    """The dated rate turning ``base`` into ``quote`` (find_rate), or None without a date or a row."""
    if fx is None or on is None:
        return None
    from ipolens.analytics.fx import FxMissing, find_rate

    try:
        return find_rate(fx, base, quote, on)
    except FxMissing:
        return None
