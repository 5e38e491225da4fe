"""Claims against the ledger: each claim vs the ledger facts of its entity and field (dated series, currencies through
the dated FX table), ledger facts as known inputs of the identities, and the ledger's own disagreements reported as
``ledger_conflict`` findings, never as errors of the article. Claims about a pipeline deal (a stage's day, a
valuation, a raise) are compared with the deal's stage rows and valuation facts, and with other articles' claims
about the deal (``against_deals``)."""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

from . import identities, rounding
from .claim import UNNAMED
from .extract import Claim
from .identity_defs import VENUE_DOUBT, venue_priced
from .identity_judge import CLOSE_WORD
from .ledger_basis import before_pricing, part_unstated, second_readings, too_far, undated_apart, within_spread
from .findings import BASIS, Finding, _day, _fmt, _fmt_range, _iv, _overlap, _pct_gap, _safe, _simp

class LedgerFacts:
    """Candidate ledger facts by (entity, field), from the frame ``ledger.queries.news.claim_candidates`` gives.

    Rows are indexed once and read as plain records (``records``): per-claim pandas selections cost more than the
    whole of reading an article, which a batch of thousands of short articles pays every time."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._pos: dict[tuple[str, str], list[int]] = {}
        self._recs: list | None = None
        if len(frame):
            for i, key in enumerate(zip(frame["entity"], frame["field"])):
                self._pos.setdefault(key, []).append(i)

    def rows(self, entity: str, field_name: str) -> pd.DataFrame:
        pos = self._pos.get((entity, field_name))
        return self._frame.iloc[pos].reset_index(drop=True) if pos else self._frame.iloc[0:0]

    def records(self, entity: str, field_name: str, exclude: set[str] | frozenset = frozenset()) -> list:
        """The rows of (entity, field) in ledger order as named tuples (columns as attributes), without those of
        the ``exclude`` sources."""
        pos = self._pos.get((entity, field_name))
        if not pos:
            return []
        if self._recs is None:
            row = _row_type(tuple(self._frame.columns))
            self._recs = [row(*v) for v in self._frame.to_numpy(dtype=object).tolist()]  # one conversion
        return [r for r in (self._recs[i] for i in pos) if r.source_id not in exclude]


@lru_cache(maxsize=16)
def _row_type(columns: tuple[str, ...]):
    from collections import namedtuple

    return namedtuple("LedgerRow", columns, rename=True)


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
        ref = next((_day(c._ref) for c in cs if c.entity_key == e and _day(c._ref)), None)
        for role in sorted(identities.roles_of_all() - stated):
            for r in ledger.records(e, role, own_sources):
                unit = r.currency if isinstance(r.currency, str) else r.unit
                when = _day(r.as_of)
                if when and ref and abs((ref - when).days) > FAR_YEARS:
                    continue  # a value years from the article is another deal's (or the entity reading is wrong)
                if before_pricing(role, ref, when):
                    continue  # a final term the article could not know: not the basis of its figures
                out.append(identities.Known(
                    id=f"{r.source_id}:{role}", metric=role, value=float(r.value_num), unit=unit, entity_key=e,
                    iv=(float(r.lo), float(r.hi)), date=when.isoformat() if when else None,
                    quote=f"ledger {role} {_ledger_value(r)} ({r.source_id})"))
    return out


# -- against the ledger --------------------------------------------------------------------------------------------


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
    # an undated claim against a dated series: fitting one value and not another is a tension, not a contradiction
    series = dating == "point" and _day(c.date) is None and len({x[5] for x in results}) > 1
    any_agree = any(x[0] for x in results)
    out = []
    for agrees, desc, ia, ib, r, when, conv in results:
        if agrees:
            out.append(Finding("ledger", "consistent", f"{lead}{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] "
                                                       f"agrees with {desc}", [c.id]))
        elif not c._named or c.metric in venue_priced():
            doubt = UNNAMED if not c._named else VENUE_DOUBT
            out.append(Finding("ledger", "unverifiable",
                               f"{lead}{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: not judged, {doubt}", [c.id], False))
        elif c.metric == "first_day_return" and not CLOSE_WORD.search(_simp(c.sentence)):
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
        elif dating == "point" and (day := undated_apart(c, when)):
            out.append(Finding("ledger", "unverifiable",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: not judged, the text gives no date and the "
                               f"ledger value is of {day}, not of the article's day: a value that moves may differ",
                               [c.id], False))
        elif note:
            out.append(Finding("ledger", "tension",
                               f"{lead}{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint, but the dates differ: a price move "
                               "may explain it", [c.id]))
        elif before_pricing(c.metric, _day(c.date) or _day(c._ref), when):
            out.append(Finding("ledger", "unverifiable",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: not judged, the article is of "
                               f"{_day(c.date) or _day(c._ref)}, before the deal fixed this term (listing "
                               f"{when}): its figure is the range's or an estimate", [c.id], False))
        elif doubt := (_reading_doubt(c, when) or too_far(c, ib) or part_unstated(c)):
            out.append(Finding("ledger", "unverifiable",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: not judged, {doubt}", [c.id], False))
        elif _unconfirmed(r):
            out.append(Finding("ledger", "tension",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint, but the ledger's source is graded "
                               "UNCONFIRMED", [c.id], False))
        else:
            out.append(Finding("ledger", "inconsistent",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint", [c.id]))
    return out


def _unconfirmed(r) -> bool:
    """Whether a candidate row's source is graded UNCONFIRMED (a frame made without the column: not graded)."""
    import numpy as np

    v = getattr(r, "unconfirmed", None)
    return v is True or (isinstance(v, np.bool_) and bool(v))


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


# -- pipeline deals (issue 14) ---------------------------------------------------------------------------------------
# The pseudo-fields under which ledger.queries.news.deal_context puts a named entity's deal (the same strings there).
DEAL_LINK, DEAL_STAGE, DEAL_VALUE = "deal:link", "deal:stage", "deal:value"
DEAL_FIELDS = (DEAL_LINK, DEAL_STAGE, DEAL_VALUE)


@lru_cache(maxsize=1)
def _deal_vocab() -> dict:
    """lexicon/roles.yaml ``deal_claims``: the stages a claim's day names, the kind of value a claim states."""
    import yaml

    from .roles import LEXICON_PATH

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the lexicon is long: the C parser when there is one
    return yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=loader)["deal_claims"]


@lru_cache(maxsize=1)
def _kind_fields() -> dict[str, tuple[str, ...]]:
    """Kind of value -> the deal's ledger fields of that kind (valuation kinds from the pipeline rules)."""
    from ipolens.ledger.pipeline_rules import valuation_fields

    out: dict[str, list[str]] = {}
    for name, kind in valuation_fields().items():
        out.setdefault(kind, []).append(name)
    for kind, names in _deal_vocab()["raise_fields"].items():
        out.setdefault(kind, []).extend(names)
    return {k: tuple(v) for k, v in out.items()}


def _regime(market) -> str | None:
    from ipolens.ledger.pipeline_rules import regime_for

    try:
        return regime_for(str(market)).name
    except ValueError:
        return None


def against_deals(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
                  tick: Callable[[], None]) -> list[Finding]:
    """Claims whose entity links to one pipeline deal: a stage's day vs the deal's stage rows of that stage (same day:
    consistent; another day: a tension citing both sources), a valuation or raise vs the deal's facts of the same kind
    and date (a source graded UNCONFIRMED, a rumour, a plan or a private round never makes it inconsistent), and two
    articles' values of one kind for the deal on one day. The claim's notes name the deal."""
    vocab = _deal_vocab()
    out: list[Finding] = []
    values: list[tuple[Claim, str, str, dt.date]] = []
    for cs in articles.values():
        for c in cs:
            tick()
            if not c.entity_key or (c.metric not in vocab["stage_dates"] and c.metric not in vocab["values"]):
                continue
            links = ledger.rows(c.entity_key, DEAL_LINK)
            if not len(links):
                continue
            keys = list(dict.fromkeys(links["deal"]))
            if len(keys) > 1:
                out.append(Finding("deal", "unverifiable", f"{c.entity or c.entity_key} links to {len(keys)} deals "
                                   f"({', '.join(keys)}): not compared", [c.id], False, False))
                continue
            deal = links.iloc[0]
            if f"deal {deal.deal}" not in c.notes:
                c.notes.append(f"deal {deal.deal}")
            stages = ledger.rows(c.entity_key, DEAL_STAGE)
            stages = stages[~stages["source_id"].isin(own_sources)] if len(stages) else stages
            if c.metric in vocab["stage_dates"]:
                out += _deal_stage(c, deal, stages, vocab["stage_dates"][c.metric])
            elif c.value is not None:
                kind = _value_kind(c, vocab["values"][c.metric], stages)
                if kind is None:
                    continue
                rows = ledger.rows(c.entity_key, DEAL_VALUE)
                rows = rows[~rows["source_id"].isin(own_sources)] if len(rows) else rows
                out += _deal_value(c, deal, kind, rows, fx, set(vocab["soft_kinds"]))
                day = _day(c.date) or _day(c._ref)
                if day is not None:
                    values.append((c, deal.deal, kind, day))
    out += _deal_across(values, set(vocab["soft_kinds"]))
    return out


def _deal_label(deal) -> str:
    return f"deal {deal.deal_name or deal.deal} ({deal.market})"


def _src(r) -> str:
    return f"{r.source_id}{', graded UNCONFIRMED' if _unconfirmed(r) else ''}"


def _deal_stage(c: Claim, deal, rows, stage_map: dict) -> list[Finding]:
    day = _day(c.text) or _day(c.date)
    if day is None:
        return []  # a year or a month names no stage row's day
    regime = _regime(deal.market)
    codes = stage_map.get(regime) if regime else None
    if not codes:
        return [Finding("deal_stage", "unverifiable", f"{c.quote!r}: {c.metric} names no stage of a "
                        f"{(regime or str(deal.market)).upper()} deal ({_deal_label(deal)})", [c.id], False, False)]
    mine = [(r, _day(r.as_of)) for r in rows.itertuples() if r.stage in codes] if len(rows) else []
    if not mine:
        return [Finding("deal_stage", "unverifiable", f"{c.quote!r} dates {' or '.join(codes)} of {_deal_label(deal)} "
                        f"{day.isoformat()}; the ledger has no such stage row", [c.id], False, False)]
    same = [r for r, d in mine if d == day]
    if same:
        return [Finding("deal_stage", "consistent", f"{c.quote!r} ({day.isoformat()}) agrees with {_deal_label(deal)}: "
                        f"{same[0].stage} on {day.isoformat()} ({'; '.join(_src(r) for r in same)})", [c.id],
                        False, False)]
    shown = "; ".join(f"{r.stage} on {d.isoformat()} ({_src(r)}: {r.quote!r})" for r, d in mine[:3])
    return [Finding("deal_stage", "tension", f"{c.quote!r} dates {c.metric} {day.isoformat()}; {_deal_label(deal)} "
                    f"has {shown}: the dates differ, both kept (an announcement may trail the filing)", [c.id],
                    False, False)]


def _value_kind(c: Claim, spec: dict, stages) -> str | None:
    """The kind of deal value ``c`` states: a private round's when its quote names one, else the kind before or
    after the deal's pricing (its first priced or listed stage row) on the claim's day; None when that is unknown."""
    if spec.get("private") and re.search(spec["private"], _simp(c.quote), re.I):
        return "private_round"
    priced = [_day(r.as_of) for r in stages.itertuples() if r.stage in ("priced", "listed")] if len(stages) else []
    priced = [d for d in priced if d is not None]
    if not priced or spec["before"] == spec["after"]:
        return spec["before"]
    day = _day(c.date) or _day(c._ref)
    if day is None:
        return None
    return spec["before"] if day < min(priced) else spec["after"]


def _dated(rows: list, kind: str, day: dt.date | None, soft: set[str]) -> tuple[list, str]:
    """The rows a value of ``kind`` on ``day`` is compared with, and a note on the date matching. A rumour or a plan
    is a reading of its day (same day, else the nearest within WINDOW_DAYS, else the undated ones); a private round's
    value holds from its day on (the latest on or before the claim's day, and the undated ones); a filed or priced
    value is the deal's own (all rows)."""
    if day is None or kind not in soft:
        return rows, ""
    if kind == "private_round":
        before = [x for x in rows if x[1] is not None and x[1] <= day]
        last = max((x[1] for x in before), default=None)
        return [x for x in rows if x[1] is None or x[1] == last], ""
    same = [x for x in rows if x[1] == day]
    if same:
        return same, ""
    near = [x for x in rows if x[1] is not None and abs((x[1] - day).days) <= WINDOW_DAYS]
    if near:
        gap = min(abs((x[1] - day).days) for x in near)
        pick = [x for x in near if abs((x[1] - day).days) == gap]
        return pick, f"no ledger value of {day.isoformat()}; the nearest is of {pick[0][1].isoformat()}"
    undated = [x for x in rows if x[1] is None]
    return undated, ("the ledger values are undated" if undated else "")


def _deal_value(c: Claim, deal, kind: str, rows, fx, soft: set[str]) -> list[Finding]:
    fields = _kind_fields().get(kind, ())
    cands = []
    for r in rows.itertuples() if len(rows) else ():
        if r.value_field not in fields or (r.fact_entity == c.entity_key and r.value_field == c.metric):
            continue  # another kind, or the pair the plain ledger check compares
        cands.append((r, _day(r.as_of) or _day(r.published)))
    day = _day(c.date) or _day(c._ref)
    cands, note = _dated(cands, kind, day, soft)
    results = []
    for r, when in cands:
        unit = r.currency if isinstance(r.currency, str) else r.unit
        ia, conv = _iv(c), ""
        if unit != c.unit:
            rate = _ledger_rate(fx, c.unit, unit, when or day) if c.unit in ("HKD", "CNY", "USD") else None
            if rate is None:
                continue
            ia, conv = (ia[0] * rate.rate, ia[1] * rate.rate), f" (converted at {rate.describe()})"
        desc = (f"{r.value_field} {_ledger_value(r)}{' ' + unit if isinstance(unit, str) else ''} ({_src(r)}"
                f"{', ' + when.isoformat() if when else ', undated'})")
        results.append((_overlap(ia, (float(r.lo), float(r.hi))), desc, r, when, conv))
    if not results:
        return []
    lead = f"{_deal_label(deal)}, {kind.replace('_', ' ')}{'; ' + note if note else ''}: "
    agree = [x for x in results if x[0]]
    if agree:
        rest = [x[1] for x in results if not x[0]]
        also = f"; the ledger also keeps {', '.join(rest[:3])} side by side" if rest else ""
        return [Finding("deal_value", "consistent", f"{lead}{c.quote!r}{agree[0][4]} [{_fmt_range(*_iv(c), ', ')}] "
                        f"agrees with {agree[0][1]}{also}", [c.id], False, False)]
    hard = kind not in soft and not note and not any(_unconfirmed(x[2]) or x[3] is None for x in results)
    why = ("" if hard else "; " + ("reports of a rumoured target, a plan or a private round may differ" if kind in soft
                                   else "the ledger's value is undated or its source is graded UNCONFIRMED"))
    return [Finding("deal_value", "inconsistent" if hard else "tension",
                    f"{lead}{c.quote!r}{results[0][4]} [{_fmt_range(*_iv(c), ', ')}] vs "
                    f"{', '.join(x[1] for x in results[:3])}: disjoint{why}", [c.id], hard, False)]


def _deal_across(values: list[tuple[Claim, str, str, dt.date]], soft: set[str]) -> list[Finding]:
    """Two articles' values of one kind for one deal on one day (pairs of one entity and metric are the plain
    cross-article check's)."""
    groups: dict[tuple, list[Claim]] = {}
    for c, deal, kind, day in values:
        groups.setdefault((deal, kind, day), []).append(c)
    out = []
    for (deal, kind, day), cs in groups.items():
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a.article == b.article or a.unit != b.unit or (a.entity_key, a.metric) == (b.entity_key, b.metric):
                    continue
                ia, ib = _iv(a), _iv(b)
                ok = _overlap(ia, ib)
                verdict = "consistent" if ok else "tension" if kind in soft else "inconsistent"
                for x, y, ix, iy in ((b, a, ib, ia), (a, b, ia, ib)):
                    text = (f"{deal} {kind.replace('_', ' ')} on {day.isoformat()}: {x.quote!r} "
                            f"[{_fmt_range(ix[0], ix[1], ', ')}] and {y.quote!r} in {y.article} "
                            f"[{_fmt_range(iy[0], iy[1], ', ')}] " + ("overlap" if ok else "are disjoint"))
                    out.append(Finding("deal_across", verdict, text, [x.id, y.id], verdict == "inconsistent", False))
    return out
