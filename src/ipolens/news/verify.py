"""Verification of claims: arithmetic inside an article, agreement across articles, and against the ledger.

Inside an article the declared identities (``news.identities``, lexicon/identities.yaml) are solved with interval
arithmetic; every stated figure admits the interval of ``news.rounding``. The verdict follows the evidence
(``ladder``): inconsistent only when exact inputs of one date and basis contradict the claim beyond the rounding of
both; tension when the mismatch has a reason (different dates, an approximate input, a stated basis, an outside
assumption, a ledger that disagrees with itself); consistent when an identity confirms it (a claim an exact identity
confirms is never flagged for a weaker disagreement); unverifiable when the inputs are missing or the reading is
doubtful (``why`` says which). Disagreements inside the ledger are findings of kind ``ledger_conflict``.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

from . import identities, rounding
from .extract import Claim

__all__ = ["Finding", "verify", "LedgerFacts", "checkable", "PEG_BAND", "RANK"]

PEG_BAND = (7.75, 7.85)  # HKD per USD: HKMA Linked Exchange Rate System convertibility undertakings
RANK = {"inconsistent": 3, "tension": 2, "consistent": 1, "unverifiable": 0}
_BASIS = re.compile(r"以[^,。]{0,12}计算|假设|按[^,。]{0,10}计|中位数")


@dataclass
class Finding:
    check: str
    verdict: str
    why: str
    claims: list[str] = field(default_factory=list)  # claim ids; the first is the claim being checked
    # exact: inputs exact, of one date and basis (a contradiction is an error, not a tension);
    # confirms: arithmetic that confirms the claim on its own (a restatement or a bound only supports it)
    exact: bool = True
    confirms: bool = True
    computed: bool | None = None  # an identity relation's finding: whether the claim is the computed side

    def to_json(self) -> dict:
        return {"check": self.check, "verdict": self.verdict, "why": self.why, "claims": self.claims}


def _iv(c: Claim) -> tuple[float, float]:
    """Interval of true values the claim admits (``news.rounding``: as written, widened by its qualifier)."""
    return rounding.of_claim(c)


def _fmt(x: float) -> str:
    if x == math.inf:
        return "∞"
    if x == -math.inf:
        return "-∞"
    if abs(x) >= 1e8:
        return f"{_trim(f'{x / 1e8:,.2f}')}亿"
    if abs(x) >= 1e4:
        return f"{_trim(f'{x / 1e4:,.2f}')}万"
    return f"{x:,.4g}"


def _trim(s: str) -> str:
    """'800.00' -> '800', '855.40' -> '855.4': trailing zeros of a display value carry no meaning."""
    return s.rstrip("0").rstrip(".") if "." in s else s


def _fmt_range(lo: float, hi: float, sep: str = "–") -> str:
    """'65.76亿' for a degenerate range, else 'lo–hi'."""
    a, b = _fmt(lo), _fmt(hi)
    return a if a == b else f"{a}{sep}{b}"


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _judge(stated: Claim, lo: float, hi: float, working: str, allow_truncation: bool = False) -> tuple[str, str]:
    s_lo, s_hi = _iv(stated)
    if _overlap((lo, hi), (s_lo, s_hi)):
        return "consistent", f"{working}; stated {stated.quote!r} admits [{_fmt(s_lo)}, {_fmt(s_hi)}]"
    if allow_truncation and stated.qualifier == "exact" and float(stated.value).is_integer() and \
            math.floor(lo) <= stated.value <= math.floor(hi):
        return "consistent", f"{working}; an integer headline may be truncated: floor gives {stated.value:g}"
    return "inconsistent", f"{working}; stated {stated.quote!r} admits [{_fmt(s_lo)}, {_fmt(s_hi)}]: no overlap"


def _first(cs: list[Claim], metric: str, entity: str | None = None, **kw) -> Claim | None:
    for c in cs:
        if c.metric == metric and c.value is not None and (entity is None or c.entity_key == entity) and all(
                getattr(c, k) == v for k, v in kw.items()):
            return c
    return None


def verify(articles: dict[str, list[Claim]], ledger: "LedgerFacts | None" = None, fx=None,
           own_sources: set[str] | None = None, tick: Callable[[], None] | None = None) -> list[Finding]:
    """Check every claim; sets ``verdict`` and ``why`` on the claims and returns the findings.

    ``ledger``: the candidate ledger facts (None: no ledger check); ``fx``: an ``analytics.fx.FxTable`` (None: FX
    pairs fall back to the HKD peg band); ``tick``: called between items so a caller's time limit can stop a run."""
    tick = tick or _no_tick
    findings: list[Finding] = []
    for path, cs in articles.items():
        findings += _within(cs, fx, _known(cs, ledger, own_sources or set()))
        tick()
    findings += _across(articles, tick)
    if ledger is not None:
        findings += _safe(_against_ledger, articles, ledger, own_sources or set(), fx, tick)
    _assign(articles, findings, tick)
    return findings


def _no_tick() -> None:
    return None


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
def _known(cs: list[Claim], ledger: "LedgerFacts | None", own_sources: set[str]) -> list:
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


def _within(cs: list[Claim], fx, known: list | None = None) -> list[Finding]:
    out: list[Finding] = []
    entities = dict.fromkeys(c.entity_key for c in cs)  # text order: findings come out the same every run
    for e in entities:
        mine = [c for c in cs if c.entity_key == e]
        out += _safe(_price_returns, mine)
        out += _safe(_multiples, mine, cs)
        out += _safe(_first_day_cap, mine)
    out += _safe(_identities, cs, known or [])
    out += _safe(_cagr, cs)
    out += _safe(_fx_pairs, cs, fx)
    out += _safe(_directions, cs)
    out += _safe(_increment, cs)
    out += _safe(_growth_without_base, cs)
    out += _safe(_share_of_offer, cs)
    out += _safe(_weekdays, cs)
    return out


def _safe(check, *args) -> list[Finding]:
    """A check whose arithmetic breaks down (a zero base, a −100% return) has nothing to say, it does not crash."""
    try:
        return check(*args)
    except (ZeroDivisionError, OverflowError, ValueError):
        return []


def _identities(cs: list[Claim], known: list) -> list[Finding]:
    """The declared identities (lexicon/identities.yaml) solved over the article's claims and the known values."""
    return [Finding(o.check, o.verdict, o.why, o.claims, o.exact, o.confirms, o.computed)
            for o in identities.check_claims(cs, known)]


def _price_returns(cs: list[Claim]) -> list[Finding]:
    """A return without its prices: name the missing input (the identity solver judges the ones it can)."""
    out = []
    offer = _first(cs, "offer_price")
    for ret_m, px_m in (("first_day_open_return", "open_price"), ("first_day_return", "close_price")):
        for ret in [c for c in cs if c.metric == ret_m and c.value is not None]:
            px = _first(cs, px_m)
            if offer and px:
                continue
            else:
                missing = [n for n, c in (("offer price", offer), (px_m.replace("_", " "), px)) if c is None]
                implied = f"; implied {px_m.replace('_', ' ')} = {offer.value * (1 + ret.value / 100):.2f}" \
                    if offer and not px else ""
                out.append(Finding("pct_change", "unverifiable",
                                   f"needs {' and '.join(missing)}, not stated in the article{implied}", [ret.id]))
    return out


def _multiples(mine: list[Claim], all_cs: list[Claim]) -> list[Finding]:
    out = []
    for m in [c for c in mine if c.metric == "price_multiple_trough_to_peak" and c.value is not None]:
        lo_c, hi_c = _first(mine, "trough_price"), _first(mine, "peak_price")
        if lo_c and hi_c:
            r = hi_c.value / lo_c.value
            v, why = _judge(m, r, r, f"{hi_c.value:g}/{lo_c.value:g} = {r:.2f}x (as a gain: {r - 1:.2f}x)")
            if v != "consistent" and _overlap((r - 1, r - 1), _iv(m)):
                v, why = "consistent", why + f"; read as a gain {r - 1:.2f}x it fits"
            out.append(Finding("multiple", v, why, [m.id, lo_c.id, hi_c.id]))
    for m in [c for c in mine if c.metric == "valuation_change_multiple" and c.value is not None]:
        base = _first(mine, "private_valuation")
        later = [c for c in mine if c.metric in ("valuation", "market_cap") and c.value is not None
                 and c.start < m.start and base and c.unit == base.unit]
        if base and later:
            new = later[-1]
            r = new.value / base.value
            v, why = _judge(m, r, r, f"{_fmt(new.value)} {new.unit} / {_fmt(base.value)} {base.unit} "
                                     f"({base.period or 'earlier'}) = {r:.2f}x")
            out.append(Finding("multiple", v, why, [m.id, base.id, new.id]))
        elif base:
            out.append(Finding("multiple", "unverifiable", "no later valuation in the same currency", [m.id]))
    return out


def _first_day_cap(cs: list[Claim]) -> list[Finding]:
    out = []
    cap1 = _first(cs, "first_day_market_cap")
    r1 = _first(cs, "first_day_return")
    if not (cap1 and r1):
        return out
    for cum in [c for c in cs if c.metric == "cumulative_return_since_ipo" and c.value is not None]:
        cap_d = next((c for c in cs if c.metric == "market_cap" and c.value is not None and c.date == cum.date), None)
        if not cap_d:
            continue
        est = cap_d.value * (1 + r1.value / 100) / (1 + cum.value / 100)
        v, why = _judge(cap1, est, est, f"{_fmt(cap_d.value)} × (1 + {r1.value:g}%) / (1 + {cum.value:g}%) = "
                                        f"{_fmt(est)} (constant share count assumed)")
        out.append(Finding("first_day_cap", v, why, [cap1.id, cap_d.id, r1.id, cum.id]))
    return out


def _cagr(cs: list[Claim]) -> list[Finding]:
    out = []
    for c in [c for c in cs if c.metric == "cagr" and c.value is not None]:
        m = re.fullmatch(r"(\d{4})-(\d{4})", c.period or "")
        if not m:
            out.append(Finding("cagr", "unverifiable", "no start and end year for the growth rate", [c.id]))
            continue
        a, b = m[1], m[2]
        money = [x for x in cs if x.value is not None and x.unit in ("HKD", "CNY", "USD")
                 and x.entity_key == c.entity_key and abs(x._nstart - c._nstart) < 200]
        va = next((x for x in money if x.period in (a, f"FY{a}")), None)
        vb = next((x for x in money if x.period in (b, f"FY{b}") and (va is None or x.unit == va.unit)), None)
        if not (va and vb):
            out.append(Finding("cagr", "unverifiable", f"needs the values for {a} and {b}", [c.id]))
            continue
        n = int(b) - int(a)
        r = ((vb.value / va.value) ** (1 / n) - 1) * 100
        lo, hi = r - 1.0, r + 1.0  # ±1 pp: endpoints are themselves rounded
        v, why = _judge(c, lo, hi, f"({_fmt(vb.value)}/{_fmt(va.value)})^(1/{n}) − 1 = {r:.1f}% (±1 pp)")
        out.append(Finding("cagr", v, why, [c.id, va.id, vb.id]))
    return out


def _fx_pairs(cs: list[Claim], fx) -> list[Finding]:
    """'855.4亿港元, 约合110亿美元' / '512亿港元(约70亿美元)': the implied rate against a dated rate or the peg band."""
    out = []
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
            out.append(Finding("fx", "unverifiable", f"no {src.unit}/{conv.unit} rate available "
                                                     f"(implied {src.value / conv.value:.4f})", [conv.id, src.id]))
            continue
        lo_r, hi_r = rate
        lo, hi = sorted((src.value / hi_r, src.value / lo_r))
        working = (f"implied rate {src.value / conv.value:.3f} {src.unit}/{conv.unit}; at {basis} "
                   f"{_fmt(src.value)} {src.unit} = {_fmt_range(lo, hi)} {conv.unit}")
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
        out.append(Finding("fx", v, why, [conv.id, src.id]))
    return out


_CONVERSION = re.compile(r"约合|折合|相当于|≈|合共|\bor\b|equivalent", re.I)
_CONV_GAP = re.compile(r"[\s,;()]*(?:约合|折合|相当于|≈|合共|约|大约|或|即|or|equivalent to|about|around|roughly|"
                       r"approximately|i\.e\.)?[\s,;()]*", re.I)


def _day(value) -> dt.date | None:
    """An ISO date (or the date part of an ISO timestamp) as a date; None for periods, NaT and missing values."""
    if value is None:
        return None
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


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
            when = "" if r.date == date else f", the latest on or before {date.isoformat()}"
            return (r.rate, r.rate), (f"the fx_rates row of {r.date.isoformat()} ({r.source_id}, {r.via}{when}) "
                                      f"{r.rate:.4f}")
    why = "no date for the conversion" if date is None else f"no dated rate within a week before {date.isoformat()}"
    if pair == ("HKD", "USD"):
        return PEG_BAND, f"the HKD/USD Linked Exchange Rate band 7.75–7.85 (HKMA; assumption, {why})"
    if pair == ("USD", "HKD"):
        return (1 / PEG_BAND[1], 1 / PEG_BAND[0]), f"the HKD/USD Linked Exchange Rate band (assumption, {why})"
    return None, ""


_UP = re.compile(r"增长至|增至|升至|跃升|猛增|攀升|爬升|扩大至|上升至|提升至")
_DOWN = re.compile(r"收窄至|收窄|降至|下降至|减少至|回落至|跌至")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@functools.lru_cache(maxsize=1)
def _weekday_patterns() -> tuple[tuple[re.Pattern, re.Pattern], dict[str, int]]:
    """A weekday printed next to a day of the month, either order (星期二(5月20日), 'Thursday, June 5')."""
    names = {n.lower(): i for i, ns in enumerate(identities._config().get("weekdays") or ()) for n in ns}
    wd = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    mon = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    day = (rf"(?:(?:(?P<y>\d{{4}})年)?(?:(?P<m>\d{{1,2}})月)?(?P<d>\d{{1,2}})[日号號]"
           rf"|(?P<mn>{mon})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
           rf"|(?P<d3>\d{{1,2}})\s+(?P<mn3>{mon})(?:\s+(?P<y3>\d{{4}}))?)")
    sep = r"[\s,，、(（]{0,3}"
    rel = r"(?<!下)(?<!上)(?<!本)(?<!这)(?<!這)(?<!next )(?<!last )(?<!this )"
    return (re.compile(rf"{rel}(?<![a-z])(?P<w>{wd})(?![a-z]){sep}{day}", re.I),
            re.compile(rf"{day}{sep}(?<![a-z])(?P<w>{wd})(?![a-z])", re.I)), names


def _weekdays(cs: list[Claim]) -> list[Finding]:
    """A date printed with its weekday: the calendar says which weekday the date is. With the year printed a
    mismatch is an error; with the year inferred, a weekday that fits a neighbouring year says the year reading is
    doubtful (nothing to say), any other mismatch is a tension."""
    pats, names = _weekday_patterns()
    out = []
    for c in cs:
        day = _day(c.date) if c.unit == "date" and c.date and len(str(c.date)) == 10 else None
        if day is None:
            continue
        for m in (m for p in pats for m in p.finditer(c.sentence or "")):
            d = int(m["d"] or m["d2"] or m["d3"])
            mon = m["m"] and int(m["m"]) or next((i + 1 for i, p in enumerate(_MONTHS)
                                                   if (m["mn"] or m["mn3"] or "").lower().startswith(p)), None)
            if d != day.day or (mon is not None and mon != day.month):
                continue
            printed = names[m["w"].lower()]
            year_printed = bool(m["y"] or m["y2"] or m["y3"])
            said = f"{day.isoformat()} is a {day:%A}; printed {m[0]!r}"
            if printed == day.weekday():
                out.append(Finding("weekday", "consistent", said, [c.id]))
            elif year_printed:
                out.append(Finding("weekday", "inconsistent", said, [c.id]))
            elif not any(_same_day(day, y).weekday() == printed for y in (day.year - 1, day.year + 1)
                         if _same_day(day, y)):
                out.append(Finding("weekday", "tension", said + " (the year is inferred)", [c.id], False))
            break
    return out


def _same_day(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


def _directions(cs: list[Claim]) -> list[Finding]:
    """'从A收窄至B' needs B < A; '从A增长至B' needs B > A (same sentence, entity, metric and unit)."""
    out = []
    for a, b in zip(cs, cs[1:]):
        if a.sentence != b.sentence or a.metric != b.metric or a.unit != b.unit or a.value is None \
                or b.value is None or a.entity_key != b.entity_key:
            continue
        seg = _simp(_between_text(a, b))
        word = _DOWN.search(seg) or _UP.search(seg)
        if not word or a.value == b.value:  # two equal figures are listed side by side, not a change
            continue
        down = bool(_DOWN.search(seg))
        ok = b.value < a.value if down else b.value > a.value
        change = f"change {_pct_gap(a.value, b.value)}"
        out.append(Finding("direction", "consistent" if ok else "inconsistent",
                           f"'{word[0]}' from {_fmt(a.value)} to {_fmt(b.value)}: {change}", [b.id, a.id]))
    return out


def _between_text(a: Claim, b: Claim) -> str:
    s = a.sentence
    i = s.find(a.quote) if a.quote in s else 0
    j = s.find(b.quote, i + 1) if b.quote in s else len(s)
    return s[i:j + len(b.quote)] if j >= 0 else s[i:]


def _increment(cs: list[Claim]) -> list[Finding]:
    out = []
    for inc in [c for c in cs if c.metric == "domestic_market_increment" and c.value is not None]:
        s1 = _first(cs, "domestic_vendor_share")
        s2 = _first(cs, "domestic_vendor_share_forecast")
        if not (s1 and s2):
            continue
        m1 = next((c for c in cs if c.metric == "market_size" and c.period == s1.period), None)
        m2 = next((c for c in cs if c.metric == "market_size_forecast" and c.period == s2.period), None)
        if not (m1 and m2):
            out.append(Finding("increment", "unverifiable", "market sizes for both share years are needed", [inc.id]))
            continue
        val = s2.value / 100 * m2.value - s1.value / 100 * m1.value
        v, why = _judge(inc, val, val, f"{s2.value:g}% × {_fmt(m2.value)} − {s1.value:g}% × {_fmt(m1.value)} = "
                                       f"{_fmt(val)} {m2.unit}")
        out.append(Finding("increment", v, why, [inc.id, s1.id, s2.id, m1.id, m2.id]))
    return out


def _growth_without_base(cs: list[Claim]) -> list[Finding]:
    out = []
    for g in [c for c in cs if c.metric == "revenue_growth_yoy" and c.value is not None]:
        cur = next((c for c in cs if c.metric == "revenue" and c.period and c.period.lstrip("FY") ==
                    (g.period or "").lstrip("FY")), None)
        if cur is None:
            out.append(Finding("growth", "unverifiable", "the revenue of the period and of the year before are "
                                                         "not both stated", [g.id]))
            continue
        lo, hi = _iv(g)
        base = f"implied prior-period revenue {_fmt(cur.value / (1 + hi / 100))}–{_fmt(cur.value / (1 + lo / 100))}"
        out.append(Finding("growth", "unverifiable", f"the prior period's revenue is not stated; {base}", [g.id, cur.id]))
    return out


def _share_of_offer(cs: list[Claim]) -> list[Finding]:
    out = []
    for sh in [c for c in cs if c.metric == "cornerstone_share_of_offer" and c.value]:
        amt = _first(cs, "cornerstone_amount", sh.entity_key)
        if amt:
            lo, hi = _iv(sh)
            size = amt.value / (max(lo, 1e-9) / 100)
            out.append(Finding("share_of_offer", "unverifiable",
                               f"implied offer size {_fmt(amt.value)} / {sh.value:g}% = {_fmt(amt.value / sh.value * 100)}"
                               f" (at most {_fmt(size)}); the offer size itself is not stated", [sh.id, amt.id]))
    return out


# -- across articles -----------------------------------------------------------------------------------------------
def _across(articles: dict[str, list[Claim]], tick: Callable[[], None]) -> list[Finding]:
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
    # '始终维持在70%以上' vs the yearly values; '超过20亿' vs backlog + framework contracts
    all_claims = [c for cs in articles.values() for c in cs]
    for mn in [c for c in all_claims if c.metric == "rd_share_of_opex_min" and c.value is not None]:
        vals = [c for c in all_claims if c.metric == "rd_share_of_opex" and c.entity_key == mn.entity_key
                and c.value is not None]
        if vals:
            low = min(vals, key=lambda c: c.value)
            v, why = _judge(mn, low.value, low.value, f"lowest stated yearly share {low.value:g}% ({low.period})")
            out.append(Finding("cross_article", v, why + "; periods not stated are unverifiable",
                               [mn.id] + [c.id for c in vals]))
    for tot in [c for c in all_claims if c.metric == "backlog_plus_framework" and c.value is not None]:
        bl = _first(all_claims, "backlog", tot.entity_key)
        fw = _first(all_claims, "framework_and_sales_contract_value", tot.entity_key)
        if bl and fw:
            s = bl.value + fw.value
            v, why = _judge(tot, s, s, f"{_fmt(bl.value)} + {_fmt(fw.value)} = {_fmt(s)} (if the two do not overlap;"
                                       f" if the contracts include the backlog the total is {_fmt(fw.value)})")
            out.append(Finding("sum_of_parts", v, why, [tot.id, bl.id, fw.id]))
    out += _safe(_loss_vs_opex, all_claims)
    out += _safe(_comparatives, all_claims)
    for ytd in [c for c in all_claims if c.metric == "southbound_net_inflow" and c.value is not None]:
        cum = _first(all_claims, "southbound_net_inflow_cumulative", ytd.entity_key)
        if cum:
            ok = _iv(ytd)[0] <= _iv(cum)[1]
            out.append(Finding("ordering", "consistent" if ok else "inconsistent",
                               f"year-to-date {_fmt(ytd.value)} must not exceed the cumulative {_fmt(cum.value)} "
                               f"({ytd.value / cum.value * 100:.1f}% of it)", [ytd.id, cum.id]))
    return out


def _loss_vs_opex(cs: list[Claim]) -> list[Finding]:
    """A cumulative net loss larger than all operating expenses of the period needs non-operating losses.

    Opex per year = R&D / R&D share of opex; a later half-year's R&D = cumulative R&D − the yearly figures, and its
    opex is at most that / the stated minimum share.
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
        extra = ""
        cum_rd = _first(cs, "rd_expense_cumulative", loss.entity_key)
        floor = _first(cs, "rd_share_of_opex_min", loss.entity_key)
        if m[3] and cum_rd and floor:
            h1_rd = cum_rd.value - sum(rd[p].value for p in years)
            h1_opex = h1_rd / (floor.value / 100)
            opex += h1_opex
            extra = (f"; {m[2]}H1 R&D = {_fmt(cum_rd.value)} − {_fmt(sum(rd[p].value for p in years))} = "
                     f"{_fmt(h1_rd)}, its opex ≤ {_fmt(h1_opex)} at ≥ {floor.value:g}%")
        elif m[3]:
            out.append(Finding("loss_vs_opex", "unverifiable", f"opex of {m[2]}H1 unknown", [loss.id]))
            continue
        lo = _iv(loss)[0]
        if lo > opex:
            out.append(Finding("loss_vs_opex", "tension",
                               f"operating expenses {working}{extra} total at most {_fmt(opex)}, below the stated "
                               f"loss ({loss.quote!r}): ≥ {_fmt(lo - opex)} must be non-operating (e.g. fair-value "
                               "changes); reported and adjusted losses must not be mixed",
                               [loss.id] + [rd[p].id for p in years]))
        else:
            out.append(Finding("loss_vs_opex", "consistent", f"operating expenses {working}{extra} total "
                                                             f"{_fmt(opex)} ≥ the stated loss", [loss.id]))
    return out


_MORE = re.compile(r"更为亮眼|更加亮眼|更高|更大|更强|更好|高于|超过前者|更为强劲")


def _comparatives(cs: list[Claim]) -> list[Finding]:
    """'B上市首日表现更为亮眼,升幅达682%' after A's 468.78%: B's figure must be the larger."""
    out = []
    for i, b in enumerate(cs):
        if b.value is None or not _MORE.search(_simp(b.sentence)):
            continue
        prev = [a for a in cs[:i] if a.metric == b.metric and a.unit == b.unit and a.value is not None
                and a.entity_key != b.entity_key and a.article == b.article]
        if not prev:
            continue
        a = prev[-1]
        ok = _iv(b)[1] > _iv(a)[0]
        out.append(Finding("comparative", "consistent" if ok else "inconsistent",
                           f"'{_MORE.search(_simp(b.sentence))[0]}': {b.value:g} vs {a.value:g} ({a.entity})",
                           [b.id, a.id]))
    return out


# -- against the ledger --------------------------------------------------------------------------------------------
# Words that fix a first-day figure to the close; without one, "首日大升468.78%" may be the open or the high.
_CLOSE_WORD = re.compile(r"收盘|收报|收于|收涨|收市|收跌|close", re.I)


WINDOW_DAYS = 7  # a dated claim may be checked against the nearest earlier ledger value at most this old


def _against_ledger(articles: dict[str, list[Claim]], ledger: LedgerFacts, own_sources: set[str], fx,
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
        truncated = (not conv and c.qualifier == "exact" and float(c.value).is_integer()
                     and math.floor(r.value_num) == c.value)
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
        elif _BASIS.search(_simp(c.sentence)):
            out.append(Finding("ledger", "tension",
                               f"{lead}{c.quote!r} differs from {desc} ({_pct_gap(c.value, r.value_num)}), "
                               f"but the article states its basis ({_BASIS.search(_simp(c.sentence))[0]}): "
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
        else:
            out.append(Finding("ledger", "inconsistent",
                               f"{c.quote!r}{conv} [{_fmt_range(ia[0], ia[1], ', ')}] vs {desc} "
                               f"[{_fmt_range(ib[0], ib[1], ', ')}]: disjoint", [c.id]))
    return out


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


def _simp(text: str) -> str:
    from .text import to_simplified

    return to_simplified(text)


def _assign(articles: dict[str, list[Claim]], findings: list[Finding], tick: Callable[[], None]) -> None:
    by_id = {c.id: c for cs in articles.values() for c in cs}
    best: dict[str, list[Finding]] = {}
    for f in findings:
        if f.claims and f.check != "ledger_conflict":  # the ledger's own disagreements are not the article's
            best.setdefault(f.claims[0], []).append(f)
    _suspects(best)
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
    several sets tie, the ones holding more computed sides win (a return, rate or total is worked out by the writer
    from the figures it names, so a slip lands there more often than in a copied price or count), and what still
    ties is flagged together. The other members keep the finding as unverifiable with the suspect named."""
    supported = {cid for cid, fs in by_claim.items() if any(f.verdict == "consistent" for f in fs)}
    failing: dict[frozenset, dict[str, int]] = {}  # one failing relation (its members) -> member -> finding index
    computed: set[str] = set()
    for cid, fs in by_claim.items():
        for i, f in enumerate(fs):
            if f.computed is not None and f.verdict in ("inconsistent", "tension"):
                failing.setdefault(frozenset(f.claims), {})[cid] = i
                if f.computed:
                    computed.add(cid)
    loose = {g: frozenset(m for m in g if m in by_claim and m not in supported) for g in failing}
    suspects = _hitting_set([s for s in loose.values() if s], computed)
    for g, at in failing.items():
        named = sorted(loose[g] & suspects) if suspects is not None else sorted(loose[g])
        if not named:
            continue  # every member is supported: the ladder weighs the evidence
        for cid, i in at.items():
            if cid in named or _confirmed(by_claim[cid]):
                continue  # a confirmed claim is the ladder's: it names the disagreement it outweighs
            f = by_claim[cid][i]
            why = "nothing else supports it" if len(named) == 1 else "nothing else supports them"
            by_claim[cid][i] = Finding(f.check, "unverifiable", f"{f.why}; the evidence points to "
                                       f"{', '.join(named)} ({why}), not to this figure", f.claims, False,
                                       f.confirms, f.computed)


_MAX_SUSPECTS = 3  # more independent slips than this in one article: the readings are doubtful, keep them all


def _hitting_set(sets: list[frozenset], computed: set[str]) -> set[str] | None:
    """The union of the best minimum hitting sets of ``sets`` (None when none has at most _MAX_SUSPECTS members)."""
    if not sets:
        return set()
    universe = sorted(set().union(*sets))
    for k in range(1, min(_MAX_SUSPECTS, len(universe)) + 1):
        hits = [set(c) for c in itertools.combinations(universe, k) if all(s & set(c) for s in sets)]
        if hits:
            top = max(len(h & computed) for h in hits)
            return set().union(*(h for h in hits if len(h & computed) == top))
    return None


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


def _pct_gap(stated: float, other: float) -> str:
    return f"{(other / stated - 1) * 100:+.1f}%" if stated else "stated value is zero"
