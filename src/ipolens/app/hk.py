"""HK IPO mechanics: tranche, odds, subscribe, stabilise, lockups and calibrate, one function per use case.

Every rule lives here once, so ``ipolens hk ...`` and ``/api/hk/...`` answer alike: the mechanics apply only to the
markets the registry marks ``hk`` (a STAR or Nasdaq listing is refused even with an explicit regime); an explicit
regime wins over the inferred one (``hk.tranche.infer``: route or chapter, listing date, initial tranche and the
ledger's final allocation); the base offer size is the listing's shares offered, else its gross proceeds, converted
through the dated FX table into the offer price's currency, over the offer price; every result that can give share
counts gives them, and the tranche says which ledger values it used (field, value, source id). Every number given
must be finite: NaN and infinity are refused like any other bad value.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TypeVar

from ..analytics.fx import FxMissing, FxTable, convert
from ..data.embedded import REFERENCE_SOURCE
from ..hk import calibrate as cal, fees, lockups as lk, subscribe as sub
from ..hk.odds import deal_odds
from ..hk.pools import parse_brackets, simulate as simulate_draw
from ..hk.regimes import Regime, parse_ladder, regime as get_regime
from ..hk.stabilise import parse_path, stabilise as run_stabilise
from ..hk.tranche import allocate, evidence, fits, infer, initial_public_shares
from ..ledger.access import Store
from ..ledger.markets import MARKETS, market as market_info, markets_with, normalise_market
from ..ledger.queries import fx as fx_q, hk as q
from ..ledger.queries.parties import deal_party_rows
from ..ledger.store import Ledger
from .base import EntityNotFound, Refused, Result, UserError

__all__ = ["tranche", "odds", "subscribe", "stabilise", "lockups", "calibrate", "TrancheResult", "OddsResult",
           "SubscribeResult", "StabiliseResult", "LockupsResult", "CalibrationResult", "GIVEN"]

GIVEN = "given explicitly"
DEFAULT_REGIME = "pn18"  # what-if odds without a code or a regime
DEFAULT_OVER_ALLOTMENT_PCT = 15.0  # the HK maximum (rules doc 1.5)
SIMULATE_MAX_APPLICANTS = 20_000_000  # a seeded draw holds one integer per applicant
T = TypeVar("T")


# ------------------------------------------------------------------------------------------------------ helpers
def _checked(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a pure-layer computation; its ValueErrors (bad regime, value out of range) are the user's to fix."""
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _finite(**values: Optional[float]) -> None:
    """NaN and infinity are not numbers a user can mean (``--price nan``, ``--subscription inf``): refuse them."""
    for name, v in values.items():
        if isinstance(v, float) and not math.isfinite(v):
            raise UserError(f"{name.replace('_', ' ')} must be a finite number, got {v}")


def _nonneg(**values: Optional[float]) -> None:
    _finite(**values)
    for name, v in values.items():
        if v is not None and v < 0:
            raise UserError(f"{name.replace('_', ' ')} must be non-negative, got {v:g}")


def _positive(**values: Optional[float]) -> None:
    _finite(**values)
    for name, v in values.items():
        if v is not None and v <= 0:
            raise UserError(f"{name.replace('_', ' ')} must be positive, got {v:g}")


def _first(*values):
    return next((v for v in values if v is not None), None)


def _date(text: Optional[str], what: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise UserError(f"bad {what} date {text!r}; use YYYY-MM-DD") from None


def _missing(what: str, code: str, where: str, option: str) -> UserError:
    return UserError(f"{what} of {code} is not in the dataset; it is stated in {where}. "
                     f"Pass --{option} (API: {option.replace('-', '_')}) to supply it.")


def _regime(regime_id: str, ladder: Optional[str] = None, placing_cap: Optional[float] = None) -> Regime:
    reg = _checked(get_regime, regime_id)
    if ladder:
        reg = reg.with_ladder(_checked(parse_ladder, ladder))
    if placing_cap is not None:
        reg = _checked(reg.with_placing_cap, placing_cap)
    return reg


def _market_of(row: dict, entity: str) -> Optional[str]:
    if row.get("market"):
        return str(row["market"])
    by_prefix = [m for m in MARKETS if market_info(m).code_prefix == entity.split(":")[0]]
    return by_prefix[0] if len(by_prefix) == 1 else None


@dataclass
class _Deal:
    """A ledger listing as the HK mechanics see it."""
    code: str
    entity: str
    row: dict
    regime: Optional[str]
    regime_reason: Optional[str]
    base_shares: Optional[int]
    got: dict  # field -> {value, currency, as_of, source_id}: the ledger values behind ``row``
    base_inputs: list[dict]  # how base_shares was obtained
    notes: list[str]

    def get(self, key: str):
        return self.row.get(key)

    def int_of(self, key: str) -> Optional[int]:
        v = self.row.get(key)
        return int(v) if v else None


def _deal(led: Ledger, code: str, regime: Optional[str] = None, need_regime: bool = True) -> _Deal:
    """The listing behind ``code``: refused unless HK mechanics apply to its market; regime explicit, else inferred."""
    try:
        entity = led.resolve_entity(code)
    except EntityNotFound:
        raise EntityNotFound(f"unknown code {code!r}: not in the ledger (try `ipolens ipos --market HK`)") from None
    row = q.listing(led, entity)
    name = str(row.get("code", code))
    mkt, allowed = _market_of(row, entity), markets_with("hk")
    if mkt not in allowed:
        raise Refused(f"{name} is not an HK listing (market {mkt or 'unknown'}): the HK mechanics (clawback regimes, "
                      f"Pool A/B, HK fees) apply to {', '.join(allowed)} listings only; see `ipolens ipo` and "
                      "`ipolens lockups --market`")
    reg, why, notes = (_regime(regime).id, GIVEN, []) if regime else (None, None, [])
    if reg is None and need_regime:
        try:
            inf = infer(row)
        except ValueError as exc:
            raise UserError(f"{name}: {exc}") from None
        reg, why, notes = inf.regime, inf.reason, list(inf.notes)
    got = q.deal_inputs(led, entity, DEAL_FIELDS)
    base, base_inputs, base_notes = _base_shares(led, row, got)
    return _Deal(code=name, entity=entity, row=row, regime=reg, regime_reason=why, base_shares=base, got=got,
                 base_inputs=base_inputs, notes=notes + base_notes)


DEAL_FIELDS = ("listing_date", "route", "listing_chapter", "initial_public_pct", "oversubscription_public",
               "aggregate_allocation_pct", "final_public_pct", "shares_offered", "proceeds_gross", "offer_price")
COMPUTED = "computed"


def _input(name: str, info: dict, note: Optional[str] = None) -> dict:
    return {"field": name, "value": info["value"], "currency": info.get("currency"), "source_id": info["source_id"],
            "note": note}


def _base_shares(led: Ledger, row: dict, got: dict) -> tuple[Optional[int], list[dict], list[str]]:
    """(base offer shares, the inputs behind them, notes): the ledger's shares offered; else gross proceeds (offer
    price x base shares) converted at the dated FX rate into the offer price's currency, over the offer price."""
    if "shares_offered" in got:
        return round(got["shares_offered"]["value"]), [_input("shares_offered", got["shares_offered"])], []
    proceeds, price = got.get("proceeds_gross"), got.get("offer_price")
    if not proceeds or not price or not price["value"]:
        return None, [], []
    amount, used = proceeds["value"], [_input("proceeds_gross", proceeds), _input("offer_price", price)]
    have, want = proceeds["currency"], price["currency"]
    if have and want and have != want:
        day = proceeds["as_of"] or _as_date(row.get("listing_date"))
        why = f"gross proceeds are in {have} and the offer price in {want}"
        if day is None:
            return None, used, [f"{why}, and with no listing date no dated FX rate applies: base offer shares "
                                "unknown (pass --offer-shares)"]
        try:
            amount, rate = convert(FxTable(fx_q.fx_rates(led)), amount, have, want, day)
        except FxMissing as exc:
            return None, used, [f"{why}, and {exc}: base offer shares unknown (`ipolens fetch fx`, or pass "
                                "--offer-shares)"]
        used.append({"field": "fx_rate", "value": rate.rate, "currency": f"{have}->{want}",
                     "source_id": rate.source_id, "note": rate.describe()})
    shares = round(amount / price["value"])
    used.append({"field": "offer_shares", "value": shares, "currency": None, "source_id": COMPUTED,
                 "note": f"proceeds_gross {amount:,.2f} {want or ''} / offer_price {price['value']:g}"})
    return shares, used, []


def _as_date(v) -> Optional[dt.date]:
    if v is None:
        return None
    return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else dt.date.fromisoformat(str(v)[:10])


# ------------------------------------------------------------------------------------------------------ tranche
@dataclass
class TrancheResult(Result):
    code: Optional[str]
    regime: str
    regime_name: str
    regime_reason: str
    source: str
    initial_pct: float
    subscription: float
    final_pct: float
    multiplier: float
    tier_at_least: Optional[float]
    offer_shares: Optional[int]
    initial_shares: Optional[int]
    final_shares: Optional[int]
    placing_reallocation_cap_pct: Optional[float]
    stated_final_public_pct: Optional[float]
    unconfirmed: list[str]
    notes: list[str]
    observed_multiplier: Optional[float] = None  # final / initial public shares from the ledger's final allocation
    observed_final_pct: Optional[float] = None
    matches_ledger: Optional[bool] = None  # the regime's ladder reproduces the ledger's final allocation
    evidence: Optional[str] = None
    inputs: list[dict] = field(default_factory=list)  # field, value, currency, source_id, note


def tranche(store: Store, code: Optional[str] = None, regime: Optional[str] = None,
            subscription: Optional[float] = None, initial_pct: Optional[float] = None,
            offer_shares: Optional[int] = None, ladder: Optional[str] = None,
            placing_cap: Optional[float] = None) -> TrancheResult:
    """Final public tranche after reallocation, its multiplier over the initial tranche, and share counts."""
    args = (regime, subscription, initial_pct, offer_shares, ladder, placing_cap)
    if not code:
        return tranche_in(None, None, *args)
    with store.read() as led:
        return tranche_in(led, code, *args)


def tranche_in(led: Optional[Ledger], code: Optional[str], regime: Optional[str] = None,
               subscription: Optional[float] = None, initial_pct: Optional[float] = None,
               offer_shares: Optional[int] = None, ladder: Optional[str] = None,
               placing_cap: Optional[float] = None) -> TrancheResult:
    """``tranche`` for a use case already reading the ledger (the IPO brief uses it, so it agrees with the CLI)."""
    _nonneg(subscription=subscription, offer_shares=offer_shares, initial_pct=initial_pct, placing_cap=placing_cap)
    if placing_cap is not None and not 0 < placing_cap <= 100:
        raise UserError(f"placing-cap must be in (0, 100] % of the offer, got {placing_cap:g}")
    given = {"initial_public_pct": initial_pct, "oversubscription_public": subscription, "offer_shares": offer_shares}
    name, reason, stated, ev, inputs, notes = None, GIVEN, None, None, [], []
    if code:
        d = _deal(led, code, regime)
        name, regime, reason, stated = d.code, d.regime, d.regime_reason, d.get("final_public_pct")
        initial_pct = _first(initial_pct, d.get("initial_public_pct"))
        subscription = _first(subscription, d.get("oversubscription_public"))
        offer_shares = _first(offer_shares, d.base_shares)
        if subscription is None:
            raise _missing("public oversubscription", d.code, "the allotment results announcement", "subscription")
        ev, notes = evidence(d.row), d.notes
        inputs = [_input(k, d.got[k]) for k in DEAL_FIELDS[:7] if k in d.got and given.get(k) is None]
        if given["offer_shares"] is None:
            inputs += d.base_inputs
    inputs += [{"field": k, "value": v, "currency": None, "source_id": GIVEN, "note": None}
               for k, v in given.items() if v is not None]
    if regime is None or subscription is None:
        raise UserError("give a code, or a regime and a subscription multiple (--regime and --subscription)")
    reg = _regime(regime, ladder, placing_cap)
    res = _checked(allocate, reg, initial_pct, subscription, offer_shares)
    out = res.to_dict()
    out["notes"] = notes + out["notes"]
    observed = None if ev is None or ev.multiplier is None else round(ev.multiplier, 6)
    return TrancheResult(code=name, regime_reason=reason, stated_final_public_pct=stated, **out,
                         observed_multiplier=observed,
                         observed_final_pct=None if observed is None else round(res.initial_pct * observed, 4),
                         matches_ledger=fits(reg, initial_pct, subscription, ev), evidence=ev and ev.text,
                         inputs=inputs)


# ------------------------------------------------------------------------------------------------------ odds
@dataclass
class OddsResult(Result):
    code: Optional[str]
    regime: str
    regime_reason: str
    subscription: float
    lot_size: int
    price: float
    final_public_pct: float
    multiplier: float
    initial_tranche_shares: int
    tranche_size_assumed: bool
    final_tranche_shares: int
    modelled_applicants: int
    applications_source: str
    pool_a_lots: int
    pool_b_lots: int
    allotted_shares: int
    unallotted_shares: int
    one_lot_success_rate: float
    lots_to_secure_one_lot: Optional[int]
    reported: dict
    brackets: list[dict]
    application: Optional[dict] = None  # the odds of an application of ``lots`` lots, when asked
    simulation: Optional[dict] = None  # one seeded ballot draw, when asked


def odds(store: Store, code: Optional[str] = None, subscription: Optional[float] = None,
         lot_size: Optional[int] = None, price: Optional[float] = None, regime: Optional[str] = None,
         initial_pct: Optional[float] = None, tranche_shares: Optional[int] = None,
         applicants: Optional[int] = None, lots: Optional[int] = None, brackets: Optional[str] = None,
         simulate: Optional[int] = None) -> OddsResult:
    """Pool A/B ballot odds per application bracket and the one-lot success rate.

    ``brackets`` ("LOTS:APPLICANTS,...", an announced spread of applications) replaces the applications model."""
    _nonneg(subscription=subscription, applicants=applicants, tranche_shares=tranche_shares, initial_pct=initial_pct)
    _positive(lot_size=lot_size, price=price)
    if lots is not None and lots < 1:
        raise UserError(f"lots must be at least 1, got {lots}")
    name, reason, reported = None, GIVEN, {}
    if code:
        with store.read() as led:
            d = _deal(led, code, regime)
        name, regime, reason = d.code, d.regime, d.regime_reason
        subscription = _first(subscription, d.get("oversubscription_public"))
        lot_size, price = lot_size or d.int_of("lot_size"), price or d.get("offer_price")
        initial_pct = _first(initial_pct, d.get("initial_public_pct"))
        applicants = applicants or d.int_of("public_applicants")
        if tranche_shares is None and d.base_shares is not None:
            tranche_shares = initial_public_shares(_regime(regime), initial_pct, d.base_shares)
        reported = {k: d.get(k) for k in ("one_lot_success_rate", "lots_to_secure_one_lot")}
        for value, what, where, option in (
                (subscription, "public oversubscription", "the allotment results announcement", "subscription"),
                (lot_size, "board lot size", "the prospectus ('board lot') and the allotment results announcement",
                 "lot-size"),
                (price, "offer price", "the allotment results announcement", "price")):
            if value is None:
                raise _missing(what, d.code, where, option)
    if subscription is None or lot_size is None or price is None:
        raise UserError("give a code, or a subscription multiple, a lot size and a price "
                        "(--subscription, --lot-size, --price)")
    regime = _regime(regime or DEFAULT_REGIME).id
    spread = _checked(parse_brackets, brackets) if brackets else None
    if spread and tranche_shares is None:
        raise UserError("brackets need the initial public tranche in shares (--tranche-shares)")
    res = _checked(deal_odds, subscription, lot_size, price, regime=regime, initial_pct=initial_pct,
                   initial_tranche_shares=tranche_shares, applicants=applicants, brackets=spread)
    b = res.ballot
    out = OddsResult(
        code=name, regime=res.tranche.regime, regime_reason=reason, subscription=subscription, lot_size=lot_size,
        price=price, final_public_pct=res.tranche.final_pct, multiplier=res.tranche.multiplier,
        initial_tranche_shares=res.initial_tranche_shares, tranche_size_assumed=res.assumed_tranche_size,
        final_tranche_shares=b.tranche_shares, modelled_applicants=res.applicants,
        applications_source="given brackets" if spread else "applications model (ballot-model.yaml)",
        pool_a_lots=b.pool_a_lots, pool_b_lots=b.pool_b_lots, allotted_shares=b.allotted_shares,
        unallotted_shares=b.unallotted_shares, one_lot_success_rate=res.one_lot_rate(),
        lots_to_secure_one_lot=res.lots_to_secure_one_lot(), reported=reported,
        brackets=[{"lots": r.lots, "pool": r.pool, "applicants": r.applicants, "guaranteed_lots": r.guaranteed_lots,
                   "extra_winners": r.extra_winners, "expected_lots": r.expected_lots,
                   "p_at_least_one": r.p_at_least_one} for r in b.brackets])
    if lots:
        out.application = {"lots": lots, **b.odds_for(lots)}
    if simulate is not None:
        if sum(r.applicants for r in b.brackets) > SIMULATE_MAX_APPLICANTS:
            raise Refused(f"the simulated draw handles up to {SIMULATE_MAX_APPLICANTS:,} applicants")
        draw = simulate_draw(b, simulate)
        one = draw.get(1)
        out.simulation = {"seed": simulate, "allotted_lots": int(sum(v.sum() for v in draw.values())),
                          "one_lot_success_rate": None if one is None or not len(one) else float((one >= 1).mean())}
    return out


# ------------------------------------------------------------------------------------------------------ subscribe
@dataclass
class SubscribeResult(Result):
    code: str
    currency: str
    lots: int
    lot_size: int
    lot_size_source: Optional[str]
    shares_applied: int
    price: float
    application_cents: dict  # line items and total
    entry_fee_cents: int
    financing: dict
    allotment: dict
    outcome: dict
    notes: list[str] = field(default_factory=list)


def subscribe(store: Store, code: str, lots: int, margin: float = 0.0, rate: float = 0.035, days: int = 7,
              handling_fee: Optional[float] = None, lot_size: Optional[int] = None, price: Optional[float] = None,
              subscription: Optional[float] = None, regime: Optional[str] = None,
              sell_commission: Optional[float] = None, seed: int = 0) -> SubscribeResult:
    """Application amount to the cent, financing cost, expected allotment and first-day P&L of one application."""
    if lots is None or lots < 1:
        raise UserError(f"lots must be a positive whole number, got {lots}")
    _finite(margin=margin)
    if not 0 <= margin <= 1:
        raise UserError(f"margin must be between 0 and 1 (0.9 = 90% financed), got {margin:g}")
    _nonneg(rate=rate, days=days, handling_fee=handling_fee, subscription=subscription,
            sell_commission=sell_commission)
    _positive(lot_size=lot_size, price=price)
    with store.read() as led:
        d = _deal(led, code, regime)
        lot_source, lot_note = ("--lot-size", None) if lot_size else q.resolved_source(led, d.entity, "lot_size")
        band_ipos = q.market_ipos(led, "HK")
    currency = d.get("currency") or "HKD"
    if currency != "HKD":
        raise Refused(f"{d.code} is priced in {currency}: the HK fee schedule is in HKD")
    price, lot_size = price or d.get("offer_price"), lot_size or d.int_of("lot_size")
    subscription = _first(subscription, d.get("oversubscription_public"))
    for value, what, where, option in (
            (price, "offer price", "the allotment results announcement", "price"),
            (lot_size, "board lot size",
             "the prospectus cover ('board lot') and the allotment results announcement on HKEXnews", "lot-size"),
            (subscription, "public oversubscription", "the allotment results announcement", "subscription")):
        if value is None:
            raise _missing(what, d.code, where, option)

    sched = fees.fee_schedule()["handling_fee_hkd"]
    hf = handling_fee if handling_fee is not None else float(sched["margin" if margin > 0 else "cash"])
    shares = lots * lot_size
    amount = _checked(fees.application_amount, price, shares)
    fin = _checked(sub.financing, amount.total, margin, rate, days, hf)
    initial_pct = d.get("initial_public_pct")
    tranche_shares = None if d.base_shares is None else initial_public_shares(d.regime, initial_pct, d.base_shares)
    od = _checked(deal_odds, subscription, lot_size, price, regime=d.regime, initial_pct=initial_pct,
                  initial_tranche_shares=tranche_shares, applicants=d.int_of("public_applicants"))
    o = od.ballot.odds_for(lots)
    label, rets = sub.band_sample(band_ipos, subscription, exclude_entity=d.entity)
    pnl = sub.expected_pnl(lots, lot_size, price, o["guaranteed_lots"], o["p_extra"], rets, fin, sell_commission,
                           seed=seed)
    notes = []
    if lot_source == REFERENCE_SOURCE:
        # A lot from the shared reference notes is a worked-example value, not a prospectus figure: say so.
        notes.append(f"board lot {lot_size:,} comes from the ipolens reference notes (reference_facts.yaml), not a "
                     f"prospectus or dataset: {lot_note or 'confirm against the prospectus cover'}; "
                     "pass --lot-size to override")
    if od.assumed_tranche_size:
        notes.append("public tranche size not in the data: the odds model assumes its default tranche size")
    if o["rejected"]:
        notes.append(f"{lots} lots exceed the one-pool maximum of {od.ballot.max_application_shares:,} shares: "
                     "the application would be rejected")
    if not len(rets):
        notes.append("no past IPOs with a first-day return in this band: P&L not estimated")
    return SubscribeResult(
        code=d.code, currency=currency, lots=lots, lot_size=lot_size, lot_size_source=lot_source,
        shares_applied=shares, price=price, application_cents=amount.to_dict(),
        entry_fee_cents=fees.application_amount(price, lot_size).total,
        financing={"margin": margin, "rate": rate, "days": days, "loan_cents": fin.loan, "cash_cents": fin.cash,
                   "interest_cents": fin.interest, "handling_fee_cents": fin.handling_fee},
        allotment={"regime": d.regime, "regime_reason": d.regime_reason, "subscription": subscription,
                   "initial_tranche_shares": None if od.assumed_tranche_size else od.initial_tranche_shares,
                   "pool": o["pool"], "expected_lots": o["expected_lots"], "guaranteed_lots": o["guaranteed_lots"],
                   "p_at_least_one_lot": o["p_at_least_one"], "rejected": o["rejected"]},
        outcome={"band": label, "band_n": int(len(rets)),
                 "band_mean_return_pct": float(rets.mean()) if len(rets) else None,
                 "band_median_return_pct": float(rets.median()) if len(rets) else None,
                 "seed": seed, **{k if k == "p_loss" else f"{k}_cents": v for k, v in pnl.items()}},
        notes=notes)


# ------------------------------------------------------------------------------------------------------ stabilise
@dataclass
class StabiliseResult(Result):
    code: Optional[str]
    offer_price: float
    base_shares: int
    over_allotment_pct: float
    over_allotted_shares: int
    window_end: Optional[str]
    shares_bought_back: int
    buyback_cost_hkd: float
    average_buyback_price: Optional[float]
    greenshoe_exercised_shares: int
    greenshoe_exercised_pct: float
    exercise: str
    final_offer_shares: int
    greenshoe_proceeds_hkd: float
    days_used: int
    days_ignored_after_window: int
    purchases: list[dict]
    note: Optional[str] = None


def stabilise(store: Store, path: str, code: Optional[str] = None, offer_price: Optional[float] = None,
              base_shares: Optional[int] = None, over_allotment: Optional[float] = None,
              application_deadline: Optional[str] = None, daily_cap: Optional[int] = None,
              buy_at_offer: bool = False) -> StabiliseResult:
    """Shares bought back, greenshoe exercised and the resulting float, from a price path.

    ``path``: closes "20.1,19.2,..." or CSV text with lines "date,close"; ``application_deadline``: the last day for
    public applications (YYYY-MM-DD), which ends the window 30 days later."""
    _positive(offer_price=offer_price)
    _nonneg(base_shares=base_shares, over_allotment=over_allotment, daily_cap=daily_cap)
    name = None
    if code:
        with store.read() as led:
            d = _deal(led, code, need_regime=False)
        name, offer_price = d.code, offer_price or d.get("offer_price")
        base_shares = _first(base_shares, d.base_shares)
        over_allotment = _first(over_allotment, d.get("greenshoe_pct"))
        if base_shares is None:
            raise _missing("base offer size", d.code, "the prospectus ('Offer Shares')", "base-shares")
    if offer_price is None or base_shares is None:
        raise UserError("give a code, or an offer price and base shares (--offer-price and --base-shares)")
    over_allotment = DEFAULT_OVER_ALLOTMENT_PCT if over_allotment is None else float(over_allotment)
    end = _date(application_deadline, "deadline")
    points = _checked(parse_path, path)
    res = _checked(run_stabilise, offer_price, base_shares, points, over_allotment, end, daily_cap, buy_at_offer)
    note = None if end else "no deadline given: every price in the path is treated as inside the window"
    return StabiliseResult(code=name, over_allotment_pct=over_allotment, note=note, **res.to_dict())


# ------------------------------------------------------------------------------------------------------ lockups
@dataclass
class LockupsResult(Result):
    market: str
    calendar: str
    date_from: Optional[dt.date]
    date_to: Optional[dt.date]
    stage_18c: Optional[str]
    events: list[dict]
    listings: int = 0  # listings of the market in the ledger, dated or not
    left_out: list[dict] = field(default_factory=list)  # reason, why, count, codes: listings with no calendar
    investors: list[dict] = field(default_factory=list)  # one row per cornerstone investor and deal in the window


STAGES_18C = ("commercial", "pre-commercial")


def lockups(store: Store, date_from: Optional[str] = None, date_to: Optional[str] = None, market: str = "HK",
            stage_18c: Optional[str] = None) -> LockupsResult:
    """Lock-up expiries on the listing exchange's trading calendar (HK: calendar months, rolled forward)."""
    mkt = _checked(normalise_market, market, lk.lockup_markets())
    if stage_18c not in (None, *STAGES_18C):
        raise UserError(f"18c-stage must be {' or '.join(STAGES_18C)}, got {stage_18c!r}")
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if start and end and end < start:
        raise UserError(f"the to date {end} is before the from date {start}")
    with store.read() as led:
        ipos, undated = q.market_ipos(led, mkt), q.undated_listings(led, mkt)
        holders = deal_party_rows(led, "cornerstone", ipos["entity"].tolist())
        last = q.last_closes(led, holders["entity"].unique().tolist())
    cal = lk.lockup_calendar(ipos, start, end, stage_18c)
    no_date = list(dict.fromkeys(cal.left_out.pop(lk.NO_DATE, []) + undated["code"].astype(str).tolist()))
    reasons = ({lk.NO_DATE: no_date} if no_date else {}) | cal.left_out
    return LockupsResult(market=mkt, calendar=market_info(mkt).calendar, date_from=start, date_to=end,
                         stage_18c=stage_18c, events=[e.to_dict() for e in cal.events],
                         listings=len(set(ipos["entity"]) | set(undated["entity"])),
                         left_out=[{"reason": k, "why": lk.WHY[k], "count": len(v), "codes": v}
                                   for k, v in reasons.items()],
                         investors=_investor_expiries(ipos, holders, last, start, end))


def _absent(v) -> bool:
    return v is None or v != v


def _investor_expiries(ipos, holders, last, start: Optional[dt.date], end: Optional[dt.date]) -> list[dict]:
    """Each cornerstone investor's lock-up expiry in each deal (the record's months, else the market's rule), with
    its shares and their value at the latest close in the ledger (missing without a price, never guessed)."""
    listing = ipos.set_index("entity").to_dict("index")
    closes = last.set_index("entity").to_dict("index")
    out = []
    for h in holders.to_dict("records"):
        d = listing[h["entity"]]
        months = None if _absent(h["lockup_months"]) else int(h["lockup_months"])
        lock = lk.investor_lockup(d.get("listing_date"), d.get("market"), d.get("listing_chapter"), months)
        day = lock["first_tradable"]
        if day is None or (start and day < start) or (end and day > end):
            continue
        shares = None if _absent(h["shares"]) else float(h["shares"])
        px = closes.get(h["entity"])
        out.append({"first_tradable": day, "code": d.get("code"), "investor": h["name_en"] or h["name_zh"],
                    "shares": shares, "last_close": px["close"] if px else None,
                    "last_close_date": px["date"] if px else None,
                    "value_at_last_close": shares * px["close"] if px and shares is not None else None,
                    "currency": d.get("currency"), "source_id": h["source_id"], **lock})
    return sorted(out, key=lambda r: (r["first_tradable"], r["code"] or "", r["investor"] or ""))


# ------------------------------------------------------------------------------------------------------ calibrate
@dataclass
class CalibrationResult(cal.Calibration, Result):
    """``hk.calibrate.Calibration`` as a use-case result (same fields, JSON through ``to_dict``)."""


def calibrate(store: Store, refit: bool = False) -> CalibrationResult:
    """Error of the predicted one-lot success rate against the 2018-2022 HK IPOs (percentage points)."""
    with store.read() as led:
        sample = cal.calibration_sample(q.market_ipos(led, "HK"))
    params = cal.fit(sample) if refit else None
    return CalibrationResult(**cal.evaluate(sample, params).to_dict())
