"""One claim against the ledger rows of its entity and field: interval overlap (currencies converted at the dated
rate, a truncated figure read as the identities read it), then the verdict, weakened wherever the disagreement may
be the reading's, the date's or the ledger's own rather than the article's."""
from __future__ import annotations

from . import rounding
from .claim import UNNAMED
from .extract import Claim
from .findings import BASIS, Finding, _day, _fmt, _fmt_range, _iv, _overlap, _pct_gap, _simp
from .identity_defs import VENUE_DOUBT, venue_priced
from .identity_judge import CLOSE_WORD
from .ledger_basis import before_pricing, part_unstated, too_far, undated_apart
from .ledger_conflicts import conflict_findings
from .ledger_dating import _reading_doubt
from .ledger_rows import _ledger_rate, _ledger_value, _unconfirmed


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
    if conflicted := conflict_findings(c, results, lead):
        return conflicted
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
