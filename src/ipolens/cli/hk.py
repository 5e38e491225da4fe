"""``ipolens hk ...`` (tranche, odds, calibrate, subscribe, stabilise) and ``ipolens lockups``.

Only typer is imported at module level; each command imports pandas, numpy and the hk engine when it runs.
"""
from __future__ import annotations

from typing import Optional

import typer

hk_app = typer.Typer(help="HK IPO mechanics: clawback regimes, Pool A/B ballot odds, subscription costs, "
                          "stabilisation.", no_args_is_help=True)

JSON_HELP = "Print stable machine-readable JSON instead of tables."


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code=code)


def _emit_json(obj) -> None:
    import json

    typer.echo(json.dumps(obj, indent=2, sort_keys=True, default=str, ensure_ascii=False))


def _console():
    from rich.console import Console

    return Console()


def _table(title: str, rows: list[tuple], headers: tuple[str, ...] = ("item", "value")):
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(h, justify="left")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t


def _open_db():
    """The user's ledger (so imports and fetched data count), with a clear message if it is locked."""
    from ._common import open_db

    return open_db()


def _listing(code: str) -> dict:
    from ipolens.api import EntityNotFound

    db = _open_db()
    try:
        row = db.listing(code)
    except EntityNotFound:
        _fail(f"unknown code {code!r}: not in the ledger (try `ipolens ipos --market HK`)")
    finally:
        db.close()
    return row


def _missing(what: str, code: str, where: str, option: str) -> None:
    _fail(f"{what} of {code} is not in the dataset; it is stated in {where}. Pass {option} to supply it.")


def _check_nonneg(name: str, value) -> None:
    if value is not None and value < 0:
        _fail(f"{name} must be non-negative, got {value:g}")


def _ladder(text: Optional[str]):
    if not text:
        return None
    from ipolens.hk.regimes import parse_ladder

    try:
        return parse_ladder(text)
    except ValueError as exc:
        _fail(str(exc))


def _regime(regime_id: str):
    from ipolens.hk.regimes import UnknownRegime, regime

    try:
        return regime(regime_id)
    except UnknownRegime as exc:
        _fail(str(exc))


def _deal_inputs(code: str, regime: Optional[str] = None, need_regime: bool = True) -> dict:
    """Regime, tranche and demand of a ledger listing, with the reason the regime was chosen.

    An explicit ``regime`` wins before any guess (inference may fail, e.g. a post-reform deal without its initial
    tranche). Only HKEX listings are accepted: the regimes, pools and HKD fee schedule mean nothing elsewhere.
    """
    from ipolens.hk.tranche import infer_regime

    row = _listing(code)
    name = row.get("code", code)
    market = row.get("market") or ("HK" if str(row.get("entity", "")).startswith("HK:") else None)
    if market != "HK":
        _fail(f"{name} is not an HK listing (market {market or 'unknown'}): `ipolens hk` models HKEX listings only "
              "(HK clawback regimes, Pool A/B, HK fees); see `ipolens ipo` and `ipolens lockups --market`")
    reg, why = (_regime(regime).id, "given by --regime") if regime else (None, None)
    if reg is None and need_regime:
        try:
            reg, why = infer_regime(row)
        except ValueError as exc:
            _fail(f"{name}: {exc}")
    price = row.get("offer_price")
    base_shares = None
    if row.get("proceeds_gross") and price:
        base_shares = round(row["proceeds_gross"] / price)  # proceeds_gross is offer price x base offer shares
    return {"row": row, "code": name, "regime": reg, "regime_reason": why,
            "initial_pct": row.get("initial_public_pct"), "subscription": row.get("oversubscription_public"),
            "price": price, "lot_size": row.get("lot_size"), "base_shares": base_shares,
            "applicants": row.get("public_applicants"), "currency": row.get("currency") or "HKD"}


def _tranche_shares(regime_id: str, initial_pct: Optional[float], offer_shares: Optional[int]) -> Optional[int]:
    """Initial public tranche in shares, derived exactly as ``hk tranche`` derives it: the snapped percentage, or the
    regime's base when the data lacks it. None without the base offer size (the odds model then assumes a size)."""
    if offer_shares is None:
        return None
    from ipolens.hk.tranche import initial_public_shares

    return initial_public_shares(_regime(regime_id), initial_pct, offer_shares)


def _lot_size_source(code: str) -> tuple[Optional[str], Optional[str]]:
    """(source id, note) of the resolved board-lot fact, so a lot taken from the reference notes can be flagged."""
    db = _open_db()
    try:
        f = db.facts(code, "lot_size")
    finally:
        db.close()
    f = f[f["is_resolved"]] if len(f) else f
    if not len(f):
        return None, None
    r = f.iloc[0]
    return str(r["source_id"]), (None if r["note"] is None or r["note"] != r["note"] else str(r["note"]))


# ---------------------------------------------------------------------------------------------------------- tranche
@hk_app.command()
def tranche(
    code: Optional[str] = typer.Argument(None, help="Listing code or name; regime and inputs come from the ledger."),
    regime: Optional[str] = typer.Option(None, "--regime", help="pn18, 2025a, 2025b, 18c or pn18-ld60-2."),
    initial_pct: Optional[float] = typer.Option(None, "--initial-pct", help="Initial public tranche, % of offer."),
    subscription: Optional[float] = typer.Option(None, "--subscription", help="Public demand, x initial tranche."),
    offer_shares: Optional[int] = typer.Option(None, "--offer-shares", help="Shares initially offered."),
    ladder: Optional[str] = typer.Option(None, "--ladder", help='Deal-stated ladder, e.g. "15:30,50:40,100:50".'),
    placing_cap: Optional[float] = typer.Option(None, "--placing-cap",
                                                help="Cap on reallocation from an undersubscribed placing, % of the "
                                                     "offer (reported, not modelled; 2025a default 15, UNCONFIRMED)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Final public tranche after reallocation, its multiplier over the initial tranche, and share counts."""
    from ipolens.hk.tranche import allocate

    _check_nonneg("subscription", subscription)
    _check_nonneg("offer shares", offer_shares)
    if placing_cap is not None and not 0 < placing_cap <= 100:
        _fail(f"--placing-cap must be in (0, 100] % of the offer, got {placing_cap:g}")
    reason = "given by --regime"
    if code:
        d = _deal_inputs(code, regime)
        regime, reason = d["regime"], d["regime_reason"]
        initial_pct = initial_pct if initial_pct is not None else d["initial_pct"]
        subscription = subscription if subscription is not None else d["subscription"]
        offer_shares = offer_shares if offer_shares is not None else d["base_shares"]
        if subscription is None:
            _missing("public oversubscription", d["code"], "the allotment results announcement", "--subscription")
    if regime is None or subscription is None:
        _fail("give a CODE, or --regime and --subscription")
    reg = _regime(regime)
    lad = _ladder(ladder)
    if lad:
        reg = reg.with_ladder(lad)
    if placing_cap is not None:
        reg = reg.with_placing_cap(placing_cap)
    try:
        res = allocate(reg, initial_pct, subscription, offer_shares)
    except ValueError as exc:
        _fail(str(exc))
    out = res.to_dict()
    out["regime_reason"] = reason
    if code:
        out["code"] = d["code"]
    if as_json:
        _emit_json(out)
        return
    rows = [("regime", f"{res.regime} ({res.regime_name})"), ("why", reason), ("source", res.source),
            ("public demand", f"{res.subscription:,.2f}x"), ("initial public tranche", f"{res.initial_pct:g}%"),
            ("final public tranche", f"{res.final_pct:g}% of the initial offer"), ("multiplier", f"{res.multiplier:g}")]
    if res.placing_reallocation_cap_pct is not None:
        rows.append(("placing reallocation cap", f"{res.placing_reallocation_cap_pct:g}% of the offer (not modelled)"))
    if res.offer_shares is not None:
        rows += [("offer shares", f"{res.offer_shares:,}"), ("initial public shares", f"{res.initial_shares:,}"),
                 ("final public shares", f"{res.final_shares:,}")]
    rows += [("note", n) for n in res.notes] + [("UNCONFIRMED", u) for u in res.unconfirmed]
    _console().print(_table(f"Public tranche{' of ' + out['code'] if code else ''}", rows))


# ---------------------------------------------------------------------------------------------------------- odds
@hk_app.command()
def odds(
    code: Optional[str] = typer.Argument(None, help="Listing code or name (inputs from the ledger)."),
    subscription: Optional[float] = typer.Option(None, "--subscription", help="Public demand, x initial tranche."),
    lot_size: Optional[int] = typer.Option(None, "--lot-size", help="Shares per board lot."),
    price: Optional[float] = typer.Option(None, "--price", help="Offer price, HK$."),
    regime: Optional[str] = typer.Option(None, "--regime", help="Tranche regime (default: inferred, else pn18)."),
    initial_pct: Optional[float] = typer.Option(None, "--initial-pct"),
    tranche_shares: Optional[int] = typer.Option(None, "--tranche-shares", help="Initial public tranche, shares."),
    applicants: Optional[int] = typer.Option(None, "--applicants", help="Valid public applications."),
    lots: Optional[int] = typer.Option(None, "--lots", help="Also show the odds of an application of N lots."),
    brackets: Optional[str] = typer.Option(None, "--brackets",
                                           help='Spread of applications "LOTS:APPLICANTS,..." instead of the model.'),
    simulate_seed: Optional[int] = typer.Option(None, "--simulate", help="Run one seeded ballot draw (seed)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Pool A/B ballot odds per application bracket, and the one-lot success rate."""
    from ipolens.hk.odds import deal_odds

    for n, v in (("subscription", subscription), ("applicants", applicants), ("tranche shares", tranche_shares)):
        _check_nonneg(n, v)
    if lot_size is not None and lot_size <= 0:
        _fail("lot size must be positive")
    if lots is not None and lots < 1:
        _fail(f"lots must be at least 1, got {lots}")
    why, actual, name = "given", {}, "--subscription"
    if code:
        d = _deal_inputs(code, regime)
        name = d["code"]
        regime, why = d["regime"], d["regime_reason"]
        subscription = subscription if subscription is not None else d["subscription"]
        lot_size = lot_size or (int(d["lot_size"]) if d["lot_size"] else None)
        price = price or d["price"]
        initial_pct = initial_pct if initial_pct is not None else d["initial_pct"]
        applicants = applicants or (int(d["applicants"]) if d["applicants"] else None)
        if tranche_shares is None:
            tranche_shares = _tranche_shares(regime, initial_pct, d["base_shares"])
        actual = {k: d["row"].get(k) for k in ("one_lot_success_rate", "lots_to_secure_one_lot")}
        if subscription is None:
            _missing("public oversubscription", name, "the allotment results announcement", "--subscription")
        if lot_size is None:
            _missing("board lot size", name, "the prospectus ('board lot') and the allotment results announcement",
                     "--lot-size")
        if price is None:
            _missing("offer price", name, "the allotment results announcement", "--price")
    if subscription is None or lot_size is None or price is None:
        _fail("give a CODE, or --subscription, --lot-size and --price")
    if price <= 0:
        _fail("price must be positive")
    reg = regime or "pn18"
    _regime(reg)
    spread = None
    if brackets:
        from ipolens.hk.pools import Bracket

        try:
            spread = [Bracket(int(k), int(n)) for k, n in (p.split(":") for p in brackets.split(",") if p.strip())]
        except ValueError:
            _fail(f"bad --brackets {brackets!r}; write LOTS:APPLICANTS pairs, e.g. 1:50000,10:2000")
        if any(b.lots < 1 or b.applicants < 0 for b in spread):
            _fail("--brackets: lots must be >= 1 and applicants >= 0")
        if tranche_shares is None:
            _fail("--brackets needs --tranche-shares (the initial public tranche)")
    try:
        res = deal_odds(subscription, lot_size, price, regime=reg, initial_pct=initial_pct,
                        initial_tranche_shares=tranche_shares, applicants=applicants, brackets=spread)
    except ValueError as exc:
        _fail(str(exc))
    b = res.ballot
    out = {"code": name if code else None, "regime": res.tranche.regime, "regime_reason": why,
           "subscription": subscription, "lot_size": lot_size, "price": price,
           "final_public_pct": res.tranche.final_pct, "multiplier": res.tranche.multiplier,
           "initial_tranche_shares": res.initial_tranche_shares, "tranche_size_assumed": res.assumed_tranche_size,
           "final_tranche_shares": b.tranche_shares, "modelled_applicants": res.applicants,
           "applications_source": "given --brackets" if spread else "applications model (ballot-model.yaml)",
           "pool_a_lots": b.pool_a_lots, "pool_b_lots": b.pool_b_lots, "allotted_shares": b.allotted_shares,
           "unallotted_shares": b.unallotted_shares, "one_lot_success_rate": res.one_lot_rate(),
           "lots_to_secure_one_lot": res.lots_to_secure_one_lot(), "reported": actual,
           "brackets": [{"lots": r.lots, "pool": r.pool, "applicants": r.applicants,
                         "guaranteed_lots": r.guaranteed_lots, "extra_winners": r.extra_winners,
                         "expected_lots": r.expected_lots, "p_at_least_one": r.p_at_least_one} for r in b.brackets]}
    if lots:
        out["application"] = {"lots": lots, **b.odds_for(lots)}
    if simulate_seed is not None:
        from ipolens.hk.pools import simulate

        draw = simulate(b, simulate_seed)
        one = draw.get(1)
        out["simulation"] = {"seed": simulate_seed, "allotted_lots": int(sum(v.sum() for v in draw.values())),
                             "one_lot_success_rate": None if one is None or not len(one) else float((one >= 1).mean())}
    if as_json:
        _emit_json(out)
        return
    con = _console()
    rows = [("regime", f"{out['regime']} ({why})"), ("public demand", f"{subscription:,.2f}x"),
            ("final public tranche", f"{out['final_public_pct']:g}% (x{out['multiplier']:g})"),
            ("tranche shares", f"{b.tranche_shares:,}" + (" (model default size: tranche not in the data)"
                                                          if res.assumed_tranche_size else "")),
            ("Pool A / Pool B lots", f"{b.pool_a_lots:,} / {b.pool_b_lots:,}"),
            ("modelled applicants", f"{res.applicants:,}"),
            ("one-lot success rate", f"{100 * res.one_lot_rate():.3f}%"),
            ("lots to secure one lot", out["lots_to_secure_one_lot"] or "none: no bracket is sure of a lot")]
    if actual.get("one_lot_success_rate") is not None:
        rows.append(("reported one-lot rate", f"{actual['one_lot_success_rate']:g}%"))
    if actual.get("lots_to_secure_one_lot") is not None:
        rows.append(("reported lots for one lot", f"{actual['lots_to_secure_one_lot']:g}"))
    if "application" in out:
        a = out["application"]
        rows.append((f"your {lots} lots", "rejected (above one pool)" if a["rejected"] else
                     f"pool {a['pool']}: E(lots) {a['expected_lots']:.4f}, P(>=1 lot) {100 * a['p_at_least_one']:.3f}%"))
    if "simulation" in out:
        s = out["simulation"]
        rows.append(("simulated draw", f"seed {s['seed']}: {s['allotted_lots']:,} lots allotted"))
    con.print(_table(f"Ballot odds{' of ' + name if code else ''}", rows))
    con.print(_table("Brackets", [(r.lots, r.pool, f"{r.applicants:,}", r.guaranteed_lots, f"{r.expected_lots:.4f}",
                                   f"{100 * r.p_at_least_one:.3f}%") for r in b.brackets],
                     ("lots applied", "pool", "applicants", "sure lots", "E(lots)", "P(>=1 lot)")))


# ---------------------------------------------------------------------------------------------------------- calibrate
@hk_app.command()
def calibrate(
    refit: bool = typer.Option(False, "--fit", help="Re-fit the model parameters (grid search, a few minutes)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Error of the predicted one-lot success rate against the 2018-2022 HK IPOs (percentage points)."""
    from ipolens.hk import calibrate as cal

    db = _open_db()
    sample = cal.calibration_sample(db)
    db.close()
    params = cal.fit(sample) if refit else None
    res = cal.evaluate(sample, params)
    if as_json:
        _emit_json(res.to_dict())
        return
    rows = [("deals", res.n), ("median |error|", f"{res.median_abs_error_pp:.2f} pp"),
            ("p90 |error|", f"{res.p90_abs_error_pp:.2f} pp"), ("mean |error|", f"{res.mean_abs_error_pp:.2f} pp"),
            ("median error (bias)", f"{res.bias_pp:+.2f} pp")]
    rows += [(f"median |error| {k}", f"{v['median_abs_error_pp']:.2f} pp (n={v['n']})")
             for k, v in res.median_abs_error_pp_by_band.items() if v["n"]]
    rows += [(f"param {k}", f"{v:g}") for k, v in res.params.items()]
    _console().print(_table("One-lot success rate model vs 2018-2022 HK IPOs", rows))


# ---------------------------------------------------------------------------------------------------------- subscribe
@hk_app.command()
def subscribe(
    code: str = typer.Argument(..., help="Listing code or name."),
    lots: int = typer.Option(..., "--lots", help="Lots to apply for."),
    margin: float = typer.Option(0.0, "--margin", help="Share of the application financed by the broker (0-1)."),
    rate: float = typer.Option(0.035, "--rate", help="Annual margin interest rate (0.035 = 3.5%), actual/365."),
    days: int = typer.Option(7, "--days", help="Days the loan is outstanding."),
    handling_fee: Optional[float] = typer.Option(None, "--handling-fee",
                                                 help="Broker handling fee per application, HK$ (default 50 cash, 100 margin)."),
    lot_size: Optional[int] = typer.Option(None, "--lot-size", help="Shares per board lot (if not in the dataset)."),
    price: Optional[float] = typer.Option(None, "--price", help="Offer price, HK$ (default: the ledger's)."),
    subscription: Optional[float] = typer.Option(None, "--subscription", help="Public demand x (default: ledger)."),
    regime: Optional[str] = typer.Option(None, "--regime", help="Tranche regime (default: inferred from the ledger)."),
    sell_commission: Optional[float] = typer.Option(None, "--sell-commission",
                                                    help="Broker commission rate on the sale (default 0)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the P&L simulation."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Application amount to the cent, financing cost, expected allotment and first-day P&L."""
    if lots is None or lots < 1:
        _fail(f"lots must be a positive whole number, got {lots}")
    if not 0 <= margin <= 1:
        _fail(f"margin must be between 0 and 1 (0.9 = 90% financed), got {margin:g}")
    for n, v in (("rate", rate), ("days", days), ("handling fee", handling_fee), ("subscription", subscription),
                 ("sell commission", sell_commission)):
        _check_nonneg(n, v)
    if lot_size is not None and lot_size <= 0:
        _fail("lot size must be positive")
    if price is not None and price <= 0:
        _fail("price must be positive")
    d = _deal_inputs(code, regime)
    if d["currency"] != "HKD":
        _fail(f"{d['code']} is priced in {d['currency']}: the HK fee schedule is in HKD")
    price = price or d["price"]
    lot_source, lot_note = ("--lot-size", None) if lot_size else _lot_size_source(d["code"])
    lot_size = lot_size or (int(d["lot_size"]) if d["lot_size"] else None)
    subscription = subscription if subscription is not None else d["subscription"]
    if price is None:
        _missing("offer price", d["code"], "the allotment results announcement", "--price")
    if lot_size is None:
        _missing("board lot size", d["code"],
                 "the prospectus cover ('board lot') and the allotment results announcement on HKEXnews", "--lot-size")
    if subscription is None:
        _missing("public oversubscription", d["code"], "the allotment results announcement", "--subscription")

    from ipolens.hk import fees
    from ipolens.hk import subscribe as sub
    from ipolens.hk.odds import deal_odds

    sched = fees.fee_schedule()["handling_fee_hkd"]
    hf = handling_fee if handling_fee is not None else float(sched["margin" if margin > 0 else "cash"])
    shares = lots * lot_size
    app_amt = fees.application_amount(price, shares)
    entry = fees.application_amount(price, lot_size).total
    fin = sub.financing(app_amt.total, margin, rate, days, hf)
    tranche_shares = _tranche_shares(d["regime"], d["initial_pct"], d["base_shares"])
    try:
        od = deal_odds(subscription, lot_size, price, regime=d["regime"], initial_pct=d["initial_pct"],
                       initial_tranche_shares=tranche_shares,
                       applicants=int(d["applicants"]) if d["applicants"] else None)
    except ValueError as exc:
        _fail(str(exc))
    o = od.ballot.odds_for(lots)
    notes = []
    from ipolens.data.embedded import REFERENCE_SOURCE

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
    db = _open_db()
    label, rets = sub.band_sample(db.ipos(market="HK"), subscription, exclude_entity=d["row"].get("entity"))
    db.close()
    pnl = sub.expected_pnl(lots, lot_size, price, o["guaranteed_lots"], o["p_extra"], rets, fin, sell_commission,
                           seed=seed)
    if not len(rets):
        notes.append("no past IPOs with a first-day return in this band: P&L not estimated")
    out = {
        "code": d["code"], "currency": d["currency"], "lots": lots, "lot_size": lot_size,
        "lot_size_source": lot_source, "shares_applied": shares,
        "price": price, "application_cents": app_amt.to_dict(), "entry_fee_cents": entry,
        "financing": {"margin": margin, "rate": rate, "days": days, "loan_cents": fin.loan, "cash_cents": fin.cash,
                      "interest_cents": fin.interest, "handling_fee_cents": fin.handling_fee},
        "allotment": {"regime": d["regime"], "regime_reason": d["regime_reason"], "subscription": subscription,
                      "initial_tranche_shares": od.initial_tranche_shares if not od.assumed_tranche_size else None,
                      "pool": o["pool"],
                      "expected_lots": o["expected_lots"], "guaranteed_lots": o["guaranteed_lots"],
                      "p_at_least_one_lot": o["p_at_least_one"], "rejected": o["rejected"]},
        "outcome": {"band": label, "band_n": int(len(rets)),
                    "band_mean_return_pct": float(rets.mean()) if len(rets) else None,
                    "band_median_return_pct": float(rets.median()) if len(rets) else None,
                    "seed": seed, **{f"{k}_cents" if k != "p_loss" else k: v for k, v in pnl.items()}},
        "notes": notes,
    }
    if as_json:
        _emit_json(out)
        return
    f = fees.fmt
    con = _console()
    rows = [(k.replace("_", " "), f(v)) for k, v in app_amt.items.items()] + [("application amount", f(app_amt.total)),
                                                                          ("entry fee (one lot)", f(entry))]
    con.print(_table(f"{d['code']}: {lots} lots x {lot_size:,} shares at HK${price:g}", rows, ("HK$", "amount")))
    if lot_source == REFERENCE_SOURCE:
        from rich.text import Text

        con.print(Text.assemble(("note: ", "bold yellow"), notes[0]))  # Text: data never parsed as markup
    con.print(_table("Financing", [("margin", f"{margin:.0%}"), ("loan", f(fin.loan)), ("cash deposit", f(fin.cash)),
                                   ("interest", f"{f(fin.interest)} ({rate:.2%} x {days}d / 365)"),
                                   ("handling fee", f(fin.handling_fee)),
                                   ("sunk cost", f(fin.interest + fin.handling_fee))]))
    oc = out["outcome"]
    rows = [("regime", d["regime"]), ("public demand", f"{subscription:,.2f}x"),
            ("P(at least one lot)", f"{100 * o['p_at_least_one']:.3f}%"), ("expected lots", f"{o['expected_lots']:.4f}"),
            ("band", f"{label} (n={oc['band_n']} past HK IPOs)")]
    if oc["band_n"]:
        rows += [("band first-day return", f"mean {oc['band_mean_return_pct']:.2f}%, median "
                                           f"{oc['band_median_return_pct']:.2f}%"),
                 ("expected P&L", f(pnl["expected_pnl"])), ("P&L std", f(pnl["pnl_std"])),
                 ("P&L p10 / p50 / p90", f"{f(pnl['pnl_p10'])} / {f(pnl['pnl_p50'])} / {f(pnl['pnl_p90'])}"),
                 ("P(loss)", f"{100 * pnl['p_loss']:.1f}%")]
    rows += [("note", n) for n in notes]
    con.print(_table("Expected outcome (sold at the first-day close)", rows))


# ---------------------------------------------------------------------------------------------------------- stabilise
@hk_app.command()
def stabilise(
    code: Optional[str] = typer.Argument(None, help="Listing code (offer price, greenshoe %, base shares)."),
    offer_price: Optional[float] = typer.Option(None, "--offer-price", help="Offer price, HK$."),
    base_shares: Optional[int] = typer.Option(None, "--base-shares", help="Base offer shares (before greenshoe)."),
    over_allotment: Optional[float] = typer.Option(None, "--over-allotment", help="% of base offer (default 15)."),
    path: str = typer.Option(..., "--path", help="Closes over the window: '20.1,19.2,...' or a CSV file date,close."),
    deadline: Optional[str] = typer.Option(None, "--deadline", help="Last day for public applications (YYYY-MM-DD)."),
    daily_cap: Optional[int] = typer.Option(None, "--daily-cap", help="Max shares bought back per day."),
    buy_at_offer: bool = typer.Option(False, "--buy-at-offer", help="Also buy on days closing exactly at the offer."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Shares bought back, greenshoe exercised and the resulting float, from a price path."""
    import datetime as dt
    from pathlib import Path

    from ipolens.hk.stabilise import stabilise as run

    if code:
        d = _deal_inputs(code, need_regime=False)
        offer_price = offer_price or d["price"]
        base_shares = base_shares if base_shares is not None else d["base_shares"]
        if over_allotment is None and d["row"].get("greenshoe_pct") is not None:
            over_allotment = float(d["row"]["greenshoe_pct"])
        if base_shares is None:
            _missing("base offer size", d["code"], "the prospectus ('Offer Shares')", "--base-shares")
    if offer_price is None or base_shares is None:
        _fail("give a CODE, or --offer-price and --base-shares")
    over_allotment = 15.0 if over_allotment is None else over_allotment
    try:
        end = dt.date.fromisoformat(deadline) if deadline else None
    except ValueError:
        _fail(f"bad --deadline {deadline!r}; use YYYY-MM-DD")
    points: list = []
    try:
        if Path(path).is_file():
            for line in Path(path).read_text().splitlines():
                parts = [p.strip() for p in line.split(",")]
                if not parts[0] or parts[0].lower() in ("date", "day"):
                    continue
                if len(parts) == 1:
                    points.append((None, float(parts[0])))
                else:
                    points.append((dt.date.fromisoformat(parts[0]), float(parts[1])))
        else:
            points = [(None, float(p)) for p in path.split(",") if p.strip()]
    except ValueError as exc:
        _fail(f"cannot read the price path: {exc}")
    if not points:
        _fail("the price path is empty")
    try:
        res = run(offer_price, base_shares, points, over_allotment, end, daily_cap, buy_at_offer)
    except ValueError as exc:
        _fail(str(exc))
    out = res.to_dict()
    if end is None:
        out["note"] = "no --deadline: every price in the path is treated as inside the window"
    if as_json:
        _emit_json(out)
        return
    rows = [("offer price", f"HK${res.offer_price:g}"), ("base offer shares", f"{res.base_shares:,}"),
            ("over-allotted", f"{res.over_allotted_shares:,} ({over_allotment:g}%)"),
            ("window ends", res.window_end or "n/a (no --deadline)"),
            ("days in window", res.days_used), ("shares bought back", f"{res.shares_bought_back:,}"),
            ("buy-back cost", f"HK${res.buyback_cost_hkd:,.2f}"),
            ("greenshoe exercised", f"{res.greenshoe_exercised_shares:,} ({res.greenshoe_exercised_pct:.4g}%, "
                                    f"{res.exercise})"),
            ("offer shares after greenshoe", f"{res.final_offer_shares:,}")]
    if res.days_ignored_after_window:
        rows.append(("ignored", f"{res.days_ignored_after_window} prices after the window"))
    _console().print(_table("Stabilisation", rows))


# ---------------------------------------------------------------------------------------------------------- lockups
def lockups(
    date_from: Optional[str] = typer.Option(None, "--from", help="First expiry session (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Last expiry session (YYYY-MM-DD)."),
    market: str = typer.Option("HK", "--market", help="HK, STAR or NASDAQ."),
    stage_18c: Optional[str] = typer.Option(None, "--18c-stage", help="commercial or pre-commercial (default both)."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Lock-up expiries on the listing exchange's trading calendar (HK: calendar months, rolled forward)."""
    import datetime as dt

    m = market.upper()
    if m not in ("HK", "STAR", "NASDAQ"):
        _fail(f"unknown market {market!r}; expected HK, STAR or NASDAQ")
    if stage_18c not in (None, "commercial", "pre-commercial"):
        _fail("--18c-stage must be commercial or pre-commercial")
    try:
        start = dt.date.fromisoformat(date_from) if date_from else None
        end = dt.date.fromisoformat(date_to) if date_to else None
    except ValueError as exc:
        _fail(f"bad date: {exc}; use YYYY-MM-DD")
    if start and end and end < start:
        _fail("--to is before --from")
    from ipolens.hk.lockups import calendar_events

    db = _open_db()
    ipos = db.ipos(market=m)
    db.close()
    events = calendar_events(ipos, start, end, stage_18c)
    if as_json:
        _emit_json([e.to_dict() for e in events])
        return
    rows = [(e.expiry_session, e.code, e.listing_date, e.holder, e.period, e.end_date,
             "; ".join(x for x in ("UNCONFIRMED" if e.unconfirmed else "", e.calendar_note) if x)) for e in events]
    from rich.console import Console

    Console(width=max(_console().width, 120)).print(
        _table(f"Lock-up expiries ({m}, {len(events)} events; first tradable session on {events[0].calendar if events else 'the exchange calendar'})",
               rows, ("first tradable", "code", "listed", "holder", "period", "nominal end", "flag")))


def register(app: typer.Typer) -> None:
    app.add_typer(hk_app, name="hk")
    app.command("lockups")(lockups)
