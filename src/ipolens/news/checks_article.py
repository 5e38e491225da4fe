"""Checks inside one article beside the identity solver: a return's missing inputs, valuation multiples, a
first-day market cap rescaled by later returns, CAGR, change words (收窄至 / 增长至), growth without its base, and a
cornerstone share without the offer size."""
from __future__ import annotations

import re

from .extract import Claim
from .findings import Finding, _first, _fmt, _iv, _judge, _pct_gap, _simp

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


_TITLE_COPY = re.compile(r"also in the title at \d+-\d+")


def _title_copies(cs: list[Claim]) -> list[Finding]:
    """A body figure the title states again (the reader keeps one claim for both, see ``news.dedupe``): the second
    statement supports it, as any restatement does (it does not confirm it: a copy repeats a slip too)."""
    return [Finding("restatement", "consistent", "stated again in the title", [c.id], c.qualifier == "exact", False)
            for c in cs if c.value is not None and any(_TITLE_COPY.search(str(n)) for n in c.notes)]


def _multiples(mine: list[Claim], all_cs: list[Claim]) -> list[Finding]:
    """A valuation multiple against the later valuation over the private one, in one currency."""
    out = []
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


_UP = re.compile(r"增长至|增至|升至|跃升|猛增|攀升|爬升|扩大至|上升至|提升至")
_DOWN = re.compile(r"收窄至|收窄|降至|下降至|减少至|回落至|跌至")


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


# figures of one list: only list words between them ('57.6%和42.4%', '10%, 30% and 60%')
_LIST_WORDS = re.compile(r"\s*(?:、|,|，|;|；|和|及|以及|与|and|,\s*and)?\s*", re.I)


def _shares_of_whole(cs: list[Claim]) -> list[Finding]:
    """Percentages listed together whose sum admits 100% within their rounding are the shares of one whole (a split
    by channel, tranche or segment): the sum confirms each of them. Support only: a list short of 100% need not
    name every part, and one above it may be of different wholes, so a miss says nothing."""
    out: list[Finding] = []
    ordered = sorted((c for c in cs if c.unit == "pct" and c.value is not None), key=lambda c: c._nstart)
    run: list[Claim] = []
    for c in ordered + [None]:
        if c is not None and run and c.sentence == run[-1].sentence and _LIST_WORDS.fullmatch(c._gap or ""):
            run.append(c)
            continue
        if len(run) >= 2 and all(0 < float(x.value) < 100 for x in run):
            lo = sum(_iv(x)[0] for x in run)
            hi = sum(_iv(x)[1] for x in run)
            if lo <= 100 <= hi:
                parts = " + ".join(f"{x.value:g}%" for x in run)
                for x in run:
                    out.append(Finding("shares_of_whole", "consistent", f"{parts} = 100% within rounding: the "
                                       "shares of one whole", [x.id] + [y.id for y in run if y is not x]))
        run = [c] if c is not None else []
    return out


# a market value of the whole company at one price (not a target, a private round or an expected valuation)
_MARKET_VALUES = frozenset({"market_cap", "first_day_market_cap", "market_cap_intraday", "valuation_at_open",
                            "market_cap_at_offer", "valuation_at_offer"})


def _market_values_at_prices(cs: list[Claim]) -> list[Finding]:
    """Two market values of one company, each stated right after the per-share price it is taken at ('股价53.1港元,
    市值250亿港元' ... '报44.90港元/股, 总市值211.29亿港元'), imply one share count when the count is the same: the
    agreement confirms both. Support only: shares issued in between (an over-allotment) change the count, and a
    value may be taken at another price than the one before it, so a miss says nothing."""
    prices = _price_roles()
    ordered = sorted((c for c in cs if c.value is not None), key=lambda c: c._nstart)
    pairs: list[tuple[Claim, Claim]] = []
    last_price: Claim | None = None
    for c in ordered:
        if last_price is not None and last_price.sentence != c.sentence:
            last_price = None
        if c.metric in _MARKET_VALUES and c.unit in _MONEY and last_price is not None \
                and last_price.unit == c.unit and 0 < float(last_price.value) < float(c.value):
            pairs.append((c, last_price))
        elif c.unit in _MONEY and c.metric in prices and c.qualifier == "exact":
            last_price = c
    out: list[Finding] = []
    for i, (cap_a, px_a) in enumerate(pairs):
        for cap_b, px_b in pairs[i + 1:]:
            if cap_a.entity_key != cap_b.entity_key or px_a.value == px_b.value or cap_a.value == cap_b.value:
                continue
            a_lo, a_hi = _iv(cap_a)
            b_lo, b_hi = _iv(cap_b)
            sa = (a_lo / float(px_a.value), a_hi / float(px_a.value))
            sb = (b_lo / float(px_b.value), b_hi / float(px_b.value))
            if max(sa[0], sb[0]) <= min(sa[1], sb[1]):
                why = (f"{cap_a.value:g} at {px_a.value:g} and {cap_b.value:g} at {px_b.value:g} imply one share count "
                       f"({_fmt(max(sa[0], sb[0]))}–{_fmt(min(sa[1], sb[1]))}): one company valued at two prices")
                out.append(Finding("market_cap_rescales", "consistent", why, [cap_a.id, cap_b.id, px_a.id, px_b.id]))
                out.append(Finding("market_cap_rescales", "consistent", why, [cap_b.id, cap_a.id, px_b.id, px_a.id]))
    return out


_MONEY = ("HKD", "CNY", "USD")


def _price_roles() -> frozenset[str]:
    from .identity_defs import _config

    return frozenset(r for r in (_config().get("exact_as_written") or ()) if r != "lot_size")
