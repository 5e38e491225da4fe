"""Two amounts side by side, one converted into another currency ('市值300亿港元, 约合38亿美元'): the implied rate
against the dated fx_rates row, else the HKD/USD peg band (an outside assumption, so a miss there is a tension)."""
from __future__ import annotations

import datetime as dt
import math
import re

from . import rounding
from .extract import Claim
from .findings import Finding, _day, _fmt, _fmt_range, _judge
from .identity_fx import RATE_SLACK

PEG_BAND = (7.75, 7.85)  # HKD per USD: HKMA Linked Exchange Rate System convertibility undertakings


def _fx_pairs(cs: list[Claim], fx) -> list[Finding]:
    """'300亿港元, 约合38亿美元' / '80亿港元(约10亿美元)': the implied rate against a dated rate or the peg band."""
    out, unrated = [], []
    money = [c for c in cs if c.value and c.unit in ("HKD", "CNY", "USD")]
    for a, b in zip(money, money[1:]):
        if a.unit == b.unit or b._nstart - a._nend > 8 or a.sentence != b.sentence:
            continue
        # one amount restated: same entity and metric, nothing but a conversion word or a bracket between them
        # ('市值855.4亿港元, 智谱募资约合5.6亿美元' names two amounts of two companies)
        if a.entity_key != b.entity_key or a.metric != b.metric or not _CONV_GAP.fullmatch(b._gap):
            continue
        if not (_CONVERSION.search(b.quote) or b.qualifier == "about" or "(" in b._gap):
            continue  # two amounts side by side, not one amount converted
        src, conv = (a, b) if b.qualifier in ("about", "exact") else (b, a)
        pair = (src.unit, conv.unit)
        rate, basis = _rate(pair, fx, _day(src.date) or _day(conv.date) or _day(src._ref))
        if rate is None:
            unrated.append((src, conv))
            continue
        lo_r, hi_r = rate
        lo, hi = sorted((src.value / hi_r, src.value / lo_r))
        working = (f"implied rate {src.value / conv.value:.3f} {src.unit}/{conv.unit}; at {basis} "
                   f"{_fmt(src.value)} {src.unit} = {_fmt_range(lo, hi)} {conv.unit}")
        if lo_r == hi_r:
            # a writer converts at a bank's, a screen's or the previous day's rate: the row's rate within ±1%
            lo, hi = lo * (1 - RATE_SLACK), hi * (1 + RATE_SLACK)
            working += f" (±{RATE_SLACK:.0%}: {_fmt_range(lo, hi)})"
        v, why = _judge(conv, lo, hi, working)
        if v == "inconsistent":
            sig1 = {float(f"{x:.1g}") for x in (lo, hi)}
            if conv.value in sig1:
                v = "tension"
                why += (f"; it fits only as one-significant-figure rounding, "
                        f"{(conv.value / ((lo + hi) / 2) - 1) * 100:+.1f}% off the converted value")
            elif "band" in basis:
                v = "tension"
                why += "; the band is an outside assumption, not a fact from the article"
            elif src.qualifier != "exact":
                v = "tension"  # an approximate amount converted: a mismatch, but not between exact inputs
                why += f"; the converted amount {src.quote!r} is itself approximate"
        out.append(Finding("fx", v, why, [conv.id, src.id]))
        if v == "consistent":  # a conversion that fits supports the source amount too: support, not a proof (it
            # does not outweigh a disagreement elsewhere, which may lie with the source)
            out.append(Finding("fx_source", v, why, [src.id, conv.id], exact=False))
    return out + _one_rate(unrated)


def _one_rate(pairs: list[tuple[Claim, Claim]]) -> list[Finding]:
    """Conversions without a rate to test them: an article converts at one rate, so two conversions between the same
    currencies that imply the same rate (within the written rounding of all four amounts) support each other. A
    mismatch says nothing (the rates may be of two dates)."""
    out = []
    rates = [_implied(s, c) for s, c in pairs]
    for i, (src, conv) in enumerate(pairs):
        agree = [j for j, r in enumerate(rates) if j != i and r[0] == rates[i][0] and rounding.overlap(r[1], rates[i][1])]
        if agree:
            o_src, o_conv = pairs[agree[0]]
            name, (lo, hi) = rates[i]
            why = (f"implied rate {_fmt_range(lo, hi)} {name} agrees with the rate implied by {o_src.quote!r} and "
                   f"{o_conv.quote!r} (no dated rate to test either)")
            out += [Finding("fx", "consistent", why, [conv.id, src.id], False),
                    Finding("fx", "consistent", why, [src.id, conv.id], False)]
        else:
            out.append(Finding("fx", "unverifiable", f"no {src.unit}/{conv.unit} rate available "
                                                     f"(implied {src.value / conv.value:.4f})", [conv.id, src.id]))
    return out


def _implied(a: Claim, b: Claim) -> tuple[str, tuple[float, float]]:
    """('HKD/CNY', interval) for two amounts in two currencies: units of the first currency (alphabetically) per unit
    of the second, each amount within its written rounding (a conversion word is about the rate, not the digits)."""
    x, y = (a, b) if a.unit < b.unit else (b, a)
    xi = rounding.stated(float(x.value), "exact", getattr(x, "_resn", None))
    yi = rounding.stated(float(y.value), "exact", getattr(y, "_resn", None))
    if yi[0] <= 0:
        return f"{x.unit}/{y.unit}", (-math.inf, math.inf)
    return f"{x.unit}/{y.unit}", (xi[0] / yi[1], xi[1] / yi[0])


_CONVERSION = re.compile(r"约合|折合|相当于|≈|合共|\bor\b|equivalent", re.I)
_CONV_GAP = re.compile(r"[\s,;()]*(?:约合|折合|相当于|≈|合共|约|大约|或|即|or|equivalent to|about|around|roughly|"
                       r"approximately|i\.e\.)?[\s,;()]*", re.I)


def _rate(pair: tuple[str, str], fx, date: dt.date | None) -> tuple[tuple[float, float] | None, str]:
    """(low, high) rate in src-per-conv units and a description of where it came from.

    The rate is the fx_rates row of the claim's date (or the publication date), or the latest one within a week
    before it (``ipolens.analytics.fx.find_rate``); never the latest row of the table."""
    if fx is not None and date is not None:
        from ipolens.analytics.fx import FxMissing, find_rate

        try:
            r = find_rate(fx, pair[1], pair[0], date)
        except FxMissing:
            r = None
        if r is not None:
            # a writer converts at the rate of a bank, a screen or the day before: the row is the rate within ±1%
            when = "" if r.date == date else f", the latest on or before {date.isoformat()}"
            return (r.rate, r.rate), (f"the fx_rates row of {r.date.isoformat()} ({r.source_id}, {r.via}{when}) "
                                      f"{r.rate:.4f}")
    why = "no date for the conversion" if date is None else f"no dated rate within a week before {date.isoformat()}"
    if pair == ("HKD", "USD"):
        return PEG_BAND, f"the HKD/USD Linked Exchange Rate band 7.75–7.85 (HKMA; assumption, {why})"
    if pair == ("USD", "HKD"):
        return (1 / PEG_BAND[1], 1 / PEG_BAND[0]), f"the HKD/USD Linked Exchange Rate band (assumption, {why})"
    return None, ""

