"""Follow-on offering maths (pure): TERP, nil-paid rights, A-share 配股 ex-rights price, dilution and size, the HK
benchmarked price, discount caps and the theoretical dilution effect, the A-share 定增 floor, and ``assess`` which
checks a proposed or recorded offering against the rule files (passed in as data, see hk/followon_rules*.yaml).

All arithmetic is decimal: inputs are read as the decimals they were written as (a float through its shortest repr),
so 7.90 / 10.00 is exactly 0.79, and a cap decision rounds the percentage to the rule file's ``decision_places``
before comparing (``reaches``). Percentages are percent numbers (21 means 21%); ``holder_dilution`` is a fraction.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from ..ledger.calendars import add_months
from ..ledger.offerings import OFFERING_TYPES

__all__ = ["TYPES", "HK_TYPES", "CN_TYPES", "Ratio", "Prior", "Proposal", "dec", "parse_ratio", "terp",
           "nil_paid_value", "ex_rights_price_cn", "holder_dilution", "size", "discount_pct", "benchmarked_price",
           "reaches", "theoretical_dilution", "aggregate_tde", "vwap", "ding_zeng_floor", "months_before", "assess"]

TYPES = OFFERING_TYPES
HK_TYPES = ("rights", "open_offer", "placing", "top_up")
CN_TYPES = ("pei_gu", "ding_zeng")
HUNDRED = Decimal(100)


def dec(value, name: str = "value") -> Decimal:
    """A finite Decimal from text, int, float (via its shortest repr) or Decimal; ValueError names ``name``."""
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, bool) or value is None:
        raise ValueError(f"{name}: not a number: {value!r}")
    else:
        try:
            out = Decimal(repr(value) if isinstance(value, float) else str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"{name}: not a number: {value!r}") from None
    if not out.is_finite():
        raise ValueError(f"{name}: not a finite number: {value!r}")
    if out and not -9 <= out.adjusted() <= 15:  # beyond any price or share count: keeps the decimal maths exact
        raise ValueError(f"{name}: out of range: {value!r}")
    return out


@dataclass(frozen=True)
class Ratio:
    """``new`` shares offered for every ``held`` shares held."""
    new: Decimal
    held: Decimal

    @property
    def per_share(self) -> Decimal:
        return self.new / self.held

    def __str__(self) -> str:
        return f"{self.new}:{self.held} (new:held)"


_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?::|/|-?for-?|\s+for\s+|配)\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


def parse_ratio(text: str, held_first: bool = False) -> Ratio:
    """'1:4' (1 new for every 4 held) -> Ratio(1, 4); with ``held_first`` (the A-share 配股 habit) '10:3' or '10配3'
    -> Ratio(3, 10). Both numbers must be positive."""
    m = _RATIO.match(str(text or ""))
    if not m:
        order = "HELD:NEW, e.g. 10:3 or 10配3" if held_first else "NEW:HELD, e.g. 1:4"
        raise ValueError(f"ratio {text!r}: expected {order}")
    a, b = Decimal(m.group(1)), Decimal(m.group(2))
    if "配" in text:
        held_first = True
    new, held = (b, a) if held_first else (a, b)
    if new <= 0 or held <= 0:
        raise ValueError(f"ratio {text!r}: both numbers must be positive")
    return Ratio(new, held)


# -- prices -----------------------------------------------------------------------------------------------------------
def terp(market: Decimal, subscription: Decimal, ratio: Ratio) -> Decimal:
    """Theoretical ex-rights price: (held x market + new x subscription) / (held + new)."""
    return (ratio.held * market + ratio.new * subscription) / (ratio.held + ratio.new)


def nil_paid_value(terp_price: Decimal, subscription: Decimal) -> Decimal:
    """Theoretical value of one nil-paid right: max(0, TERP - subscription price); a right to buy above TERP is
    worth nothing, not less (nobody is obliged to take it up)."""
    return max(Decimal(0), terp_price - subscription)


def ex_rights_price_cn(prev_close: Decimal, price: Decimal, r: Decimal) -> Decimal:
    """A-share 配股除权价: (前收盘 + 配股价 x r) / (1 + r), r = new shares per share held."""
    return (prev_close + price * r) / (1 + r)


def discount_pct(price: Decimal, reference: Decimal) -> Decimal:
    """(1 - price / reference) x 100: positive is a discount, negative a premium."""
    return (1 - price / reference) * HUNDRED


def benchmarked_price(agreement_close: Decimal | None, avg5: Decimal | None) -> Decimal | None:
    """The higher of the agreement-date close and the 5-day average (13.36(5) / 17.42B); None if either is missing."""
    if agreement_close is None or avg5 is None:
        return None
    return max(agreement_close, avg5)


def reaches(value_pct: Decimal, limit_pct, places: int, strictly: bool = False) -> bool:
    """Is ``value_pct`` at or above (``strictly``: above) the limit, after rounding it half-up to ``places``?"""
    with localcontext() as ctx:
        ctx.prec = 80  # room for the quantized digits of any in-range percentage
        v = value_pct.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
        return v > dec(limit_pct) if strictly else v >= dec(limit_pct)


# -- size and dilution ------------------------------------------------------------------------------------------------
def holder_dilution(new_shares: Decimal, shares_before: Decimal) -> Decimal:
    """Fraction of a holder's stake lost by not taking part: new / (before + new), in [0, 1)."""
    return new_shares / (shares_before + new_shares)


def size(new_shares: Decimal, shares_before: Decimal) -> dict[str, Decimal]:
    """The issue as % of the existing and of the enlarged share capital."""
    return {"pct_existing": new_shares / shares_before * HUNDRED,
            "pct_enlarged": new_shares / (shares_before + new_shares) * HUNDRED}


def theoretical_dilution(benchmark: Decimal, shares_before: Decimal, new_shares: Decimal,
                         price: Decimal) -> tuple[Decimal, Decimal]:
    """(theoretical diluted price, TDE %) of one issue (7.27B note 1): TDP = (B x Q + P x N) / (Q + N);
    TDE = (1 - TDP / B) x 100, negative when the issue is priced above B (a theoretical premium)."""
    tdp = (benchmark * shares_before + price * new_shares) / (shares_before + new_shares)
    return tdp, (1 - tdp / benchmark) * HUNDRED


def aggregate_tde(shares_before_first: Decimal, issues: list[tuple[Decimal, Decimal]]) -> Decimal:
    """TDE % of issues aggregated under 7.27B note 1(c): all treated as made with the first (its shares before),
    funds from the total new shares at the share-weighted average discount of each issue to its own benchmarked price.
    ``issues``: (new shares, discount %). Then TDE = sum(N) / (Q + sum(N)) x weighted discount."""
    total = sum((n for n, _ in issues), Decimal(0))
    if total == 0:
        return Decimal(0)
    weighted = sum((n * d for n, d in issues), Decimal(0)) / total
    return total / (shares_before_first + total) * weighted


def vwap(turnover: Decimal, volume: Decimal) -> Decimal:
    """The A-share 20-day average: total turnover / total volume."""
    return turnover / volume


def ding_zeng_floor(avg20: Decimal, floor_pct) -> Decimal:
    return avg20 * dec(floor_pct) / HUNDRED


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` minus ``months`` calendar months, clamped to the month's last day."""
    return add_months(day, -months)


# -- assessment ---------------------------------------------------------------------------------------------------------
@dataclass
class Prior:
    """An earlier issue that may count towards the 12-month aggregates."""
    announced: dt.date
    type: str
    new_shares: Decimal
    discount_pct: Decimal | None  # to its own benchmarked price
    mandate: str | None = None
    shares_before: Decimal | None = None
    label: str = ""


@dataclass
class Proposal:
    type: str
    price: Decimal
    last_close: Decimal | None = None
    avg5: Decimal | None = None
    avg20: Decimal | None = None
    ratio: Ratio | None = None
    mandate: str | None = None
    shares_before: Decimal | None = None
    new_shares: Decimal | None = None
    funds: Decimal | None = None
    holder: str = "other"
    regime: str | None = None
    floor_price: Decimal | None = None  # a floor the issuer states (定增 发行底价), checked when no average is given
    announced: dt.date | None = None
    prior: list[Prior] = field(default_factory=list)


def _check(rule: dict, item: str, value, limit, status: str, note: str = "") -> dict:
    return {"item": item, "rule": rule.get("rule"), "value": value, "limit": limit, "status": status, "note": note,
            "source": rule.get("source"),
            "unconfirmed": bool(rule.get("unconfirmed") or rule.get("article_numbers_unconfirmed"))}


def _counts(rule: dict, p_type: str, mandate: str | None) -> bool:
    kinds = rule.get("counts") or []
    return p_type in kinds or (p_type in ("placing", "top_up") and mandate == "specific"
                               and "specific_mandate_placing" in kinds)


def _window(p: Proposal, rule: dict) -> list[Prior]:
    if p.announced is None:
        return []
    start = months_before(p.announced, int(rule.get("window_months", 12)))
    return [x for x in p.prior if start <= x.announced <= p.announced and _counts(rule, x.type, x.mandate)]


def assess(p: Proposal, hk: dict, cn: dict) -> dict:
    """Every figure the inputs allow and every rule check of its type; a figure whose inputs are missing is None and a
    check that cannot be decided is ``unknown`` with the missing input named."""
    if p.type not in TYPES:
        raise ValueError(f"type {p.type!r}: expected one of {', '.join(TYPES)}")
    rules = cn if p.type in CN_TYPES else hk
    places = int(rules.get("decision_places", 10))
    out: dict = {"type": p.type, "price": p.price, "ratio": str(p.ratio) if p.ratio else None, "checks": []}
    checks: list[dict] = out["checks"]
    new = p.new_shares
    if new is None and p.ratio is not None and p.shares_before is not None:
        new = p.shares_before * p.ratio.per_share
    if new is None and p.funds is not None:
        new = p.funds / p.price
    out["new_shares"], out["shares_before"] = new, p.shares_before
    out["funds"] = p.funds if p.funds is not None else (new * p.price if new is not None else None)
    out["discount_to_last_close"] = discount_pct(p.price, p.last_close) if p.last_close else None

    # who loses what by not taking part
    frac = p.ratio.per_share if p.ratio is not None else None
    if frac is None and new is not None and p.shares_before:
        frac = new / p.shares_before
    out["pct_existing"] = frac * HUNDRED if frac is not None else None
    out["pct_enlarged"] = frac / (1 + frac) * HUNDRED if frac is not None else None
    out["dilution"] = out["pct_enlarged"]

    if p.type in ("rights", "open_offer") and p.ratio is not None and p.last_close:
        out["terp"] = terp(p.last_close, p.price, p.ratio)
        if p.type == "rights":
            out["nil_paid_value"] = nil_paid_value(out["terp"], p.price)
            if p.price > out["terp"]:
                out["nil_paid_note"] = (f"out of the money: the subscription price {p.price} is above the TERP "
                                        f"{out['terp']}, so the right has no theoretical value")
        else:
            out["nil_paid_value"] = None
            out["nil_paid_note"] = "open offers carry no renounceable nil-paid rights (" + (
                (hk.get("nil_paid_rights") or {}).get("rule") or "7.23") + ")"
        out["discount_to_terp"] = discount_pct(p.price, out["terp"])
    if p.type == "pei_gu" and p.ratio is not None and p.last_close:
        out["ex_rights_price"] = ex_rights_price_cn(p.last_close, p.price, p.ratio.per_share)
        cap = cn.get("pei_gu") or {}
        if cap.get("size_cap_pct") is not None:
            v = out["pct_existing"]
            checks.append(_check(cap, "配股 size, % of shares before", v, cap["size_cap_pct"],
                                 "flagged" if reaches(v, cap["size_cap_pct"], places, strictly=True) else "ok"))

    if p.type in HK_TYPES:
        _assess_hk(p, hk, out, new, places)
    elif p.type == "ding_zeng":
        _assess_ding_zeng(p, cn, out, places)
    out["flagged"] = any(c["status"] == "flagged" for c in checks)
    out["flags"] = [f"{c['item']}: {c['rule']}" for c in checks if c["status"] == "flagged"]
    return out


def _assess_hk(p: Proposal, hk: dict, out: dict, new: Decimal | None, places: int) -> None:
    checks = out["checks"]
    bench = benchmarked_price(p.last_close, p.avg5)
    out["benchmark_price"] = bench
    out["discount_to_benchmark"] = discount_pct(p.price, bench) if bench else None
    cap = hk.get("general_mandate_discount_cap") or {}
    mandate = p.mandate  # never assumed: a recorded placing without its mandate cannot be held to the general cap
    out["mandate"] = mandate
    if cap and p.type in cap.get("applies_to", ()) and mandate is None:
        checks.append(_check(cap, "discount to the benchmarked price", out["discount_to_benchmark"], cap["cap_pct"],
                             "unknown", "mandate not stated: the cap applies only under a general mandate"))
    elif cap and p.type in cap.get("applies_to", ()) and mandate == cap.get("mandate"):
        limit = cap["cap_pct"]
        if bench is not None:
            status = "flagged" if reaches(out["discount_to_benchmark"], limit, places) else "ok"
            checks.append(_check(cap, "discount to the benchmarked price", out["discount_to_benchmark"], limit, status,
                                 f"benchmarked price {bench} = max(agreement-date close, 5-day average)"))
        elif p.last_close is not None and reaches(out["discount_to_last_close"], limit, places):
            # the benchmark is at least the agreement-date close, so the discount to it is at least this one
            checks.append(_check(cap, "discount to the benchmarked price", out["discount_to_last_close"], limit,
                                 "flagged", "at least the discount to the agreement-date close (5-day average not given)"))
        else:
            checks.append(_check(cap, "discount to the benchmarked price", None, limit, "unknown",
                                 "needs the agreement-date close and the 5-day average close"))
    size_rule = hk.get("general_mandate_size") or {}
    if size_rule and mandate is None and p.type in ("placing", "top_up") and out["pct_existing"] is not None:
        checks.append(_check(size_rule, "new shares, % of shares before (general mandate size)", out["pct_existing"],
                             size_rule["cap_pct"], "unknown", "mandate not stated: the limit binds a general mandate"))
    elif size_rule and mandate == "general" and p.type in ("placing", "top_up") and out["pct_existing"] is not None:
        v = out["pct_existing"]
        checks.append(_check(size_rule, "new shares, % of shares before (general mandate size)", v,
                             size_rule["cap_pct"], "flagged" if reaches(v, size_rule["cap_pct"], places, strictly=True)
                             else "ok", "the limit is on the shares in issue at the mandate resolution"))

    tde_rule = hk.get("theoretical_dilution_effect") or {}
    if tde_rule and _counts(tde_rule, p.type, mandate):
        _tde_check(p, tde_rule, out, new, bench, places)
    minority = hk.get("minority_approval") or {}
    if minority and p.type in minority.get("counts", ()) and out["pct_existing"] is not None:
        prior = _window(p, minority)
        base = p.shares_before
        extra = sum((x.new_shares for x in prior), Decimal(0))
        if prior and base is None:
            checks.append(_check(minority, "increase in issued shares, 12 months", None, minority["threshold_pct"],
                                 "unknown", "needs the shares before"))
            return
        first = (min(prior, key=lambda x: x.announced).shares_before if prior else None) or (
            base - extra if prior else None)
        v = ((extra + new) / first * HUNDRED) if prior and new is not None else out["pct_existing"]
        checks.append(_check(minority, "increase in issued shares, 12 months", v, minority["threshold_pct"],
                             "flagged" if reaches(v, minority["threshold_pct"], places, strictly=True) else "ok",
                             "needs minority shareholders' approval (7.27A) when flagged"))


def _tde_check(p: Proposal, rule: dict, out: dict, new: Decimal | None, bench: Decimal | None,
               places: int) -> None:
    """7.27B: this issue's TDE, aggregated with the counted issues of the 12 months before. TDE depends on the new
    shares per share held only, so a ratio is enough for one issue; aggregating needs share counts. Without the 5-day
    average the close gives a lower bound (the benchmarked price is at least the close and TDE rises with it)."""
    item, cap, checks = "theoretical dilution effect, 12 months aggregated", rule["cap_pct"], out["checks"]
    if new is not None and p.shares_before is not None:
        q, n = p.shares_before, new
    elif out["pct_existing"] is not None:
        q, n = Decimal(1), out["pct_existing"] / HUNDRED
    else:
        checks.append(_check(rule, item, None, cap, "unknown", "needs the shares before and the new shares (or a ratio)"))
        return
    b = bench if bench is not None else p.last_close
    if b is None:
        checks.append(_check(rule, item, None, cap, "unknown", "needs the agreement-date close and the 5-day average"))
        return
    tdp, tde = theoretical_dilution(b, q, n, p.price)
    if bench is not None:
        out["theoretical_diluted_price"], out["tde"] = tdp, tde
        out["theoretical_premium"] = -tde if tde < 0 else Decimal(0)
    prior = _window(p, rule)
    missing = [x.label or x.announced.isoformat() for x in prior if x.discount_pct is None]
    if missing:
        checks.append(_check(rule, item, None, cap, "unknown", "no discount for " + ", ".join(missing)))
        return
    agg = tde
    if prior:
        first = min(prior, key=lambda x: x.announced).shares_before
        if first is None and p.shares_before is not None:
            first = p.shares_before - sum((x.new_shares for x in prior), Decimal(0))  # no other changes assumed
        if first is None or new is None:
            checks.append(_check(rule, item, None, cap, "unknown", "aggregating needs the shares before"))
            return
        agg = aggregate_tde(first, [(x.new_shares, x.discount_pct) for x in prior] + [(new, discount_pct(p.price, b))])
    out["tde_aggregate"], out["tde_counted"] = agg, [x.label or x.announced.isoformat() for x in prior]
    note = (f"with {len(prior)} issue(s) of the 12 months before" if prior else "this issue alone") + (
        "; priced above the benchmarked price: no value dilution" if tde < 0 else "")
    if bench is None:
        if reaches(agg, cap, places):
            checks.append(_check(rule, item, agg, cap, "flagged", note + "; at least this (5-day average not given)"))
        else:
            out["tde_aggregate"] = None
            checks.append(_check(rule, item, agg, cap, "unknown",
                                 note + "; at least this value: needs the 5-day average close"))
        return
    checks.append(_check(rule, item, agg, cap, "flagged" if reaches(agg, cap, places) else "ok", note))


def _assess_ding_zeng(p: Proposal, cn: dict, out: dict, places: int) -> None:
    dz = cn.get("ding_zeng") or {}
    regime = p.regime or dz.get("regime", "current")
    rules = (dz.get("regimes") or {}).get(regime)
    if rules is None:
        raise ValueError(f"regime {regime!r}: expected one of {', '.join(dz.get('regimes') or {})}")
    out["regime"], out["avg20"] = regime, p.avg20
    lock = rules.get("lockup_months") or {}
    out["lockup_months"] = lock.get("controlling" if p.holder == "controlling" else "other")
    if p.avg20 is None and p.floor_price is not None:
        out["floor_price"], out["price_to_floor_pct"] = p.floor_price, p.price / p.floor_price * HUNDRED
        out["checks"].append(_check(rules, "price, % of the stated floor", out["price_to_floor_pct"], 100,
                                    "ok" if reaches(out["price_to_floor_pct"], 100, places) else "flagged",
                                    "floor as the issuer states it (the 20-day average not given)"))
        return
    if p.avg20 is None:
        out["floor_price"] = None
        out["checks"].append(_check(rules, "price floor", None, rules["floor_pct"], "unknown",
                                    "needs the 20-day average (turnover / volume)"))
        return
    floor = ding_zeng_floor(p.avg20, rules["floor_pct"])
    out["floor_price"], out["discount_to_avg20"] = floor, discount_pct(p.price, p.avg20)
    out["price_to_floor_pct"] = p.price / floor * HUNDRED
    below = not reaches(p.price / p.avg20 * HUNDRED, rules["floor_pct"], places)
    out["checks"].append(_check(rules, "price, % of the 20-day average", p.price / p.avg20 * HUNDRED,
                                rules["floor_pct"], "flagged" if below else "ok",
                                f"floor {rules['floor_pct']}% x 20-day average ({regime} rules)"))
