"""``ipolens hk ...`` and ``ipolens lockups``: parse, call ``ipolens.app.hk``, render. Imports only typer at start."""
from pathlib import Path
from typing import Optional

import typer

from ._common import emit, handle_errors, open_store, show

hk_app = typer.Typer(help="HK IPO mechanics: clawback, Pool A/B ballot odds, subscription costs, stabilisation.",
                     no_args_is_help=True)

Opt = typer.Option
JSON = Opt(False, "--json", help="Print stable machine-readable JSON instead of tables.")


def _command(fn):
    return hk_app.command()(handle_errors(fn))


def _hk():
    from ipolens.app import hk
    return hk


def _show(title: str, rows: list[tuple], headers: tuple[str, ...] = ("item", "value"), width: int = 0,
          notes: tuple[str, ...] = ()) -> None:
    show(title, headers, rows, notes, width, left=headers)


@_command
def tranche(
    code: Optional[str] = typer.Argument(None, help="Listing code or name; regime and inputs come from the ledger."),
    regime: Optional[str] = Opt(None, "--regime", help="pn18, 2025a, 2025b, 18c or pn18-ld60-2."),
    initial_pct: Optional[float] = Opt(None, "--initial-pct", help="Initial public tranche, % of offer."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand, x initial tranche."),
    offer_shares: Optional[int] = Opt(None, "--offer-shares", help="Shares initially offered."),
    ladder: Optional[str] = Opt(None, "--ladder", help='Deal-stated ladder, e.g. "15:30,50:40,100:50".'),
    placing_cap: Optional[float] = Opt(None, "--placing-cap", help="Placing reallocation cap, % (reported only)."),
    as_json: bool = JSON,
) -> None:
    """Final public tranche after reallocation, its multiplier over the initial tranche, and share counts."""
    emit(_hk().tranche(open_store(), code, regime, subscription, initial_pct, offer_shares, ladder, placing_cap),
         as_json, _render_tranche)


def _render_tranche(r) -> None:
    rows = [("regime", f"{r.regime} ({r.regime_name})"), ("why", r.regime_reason), ("source", r.source),
            ("public demand", f"{r.subscription:,.2f}x"), ("initial public tranche", f"{r.initial_pct:g}%"),
            ("final public tranche", f"{r.final_pct:g}% of the initial offer"), ("multiplier", f"{r.multiplier:g}")]
    rows += [("placing reallocation cap", f"{c:g}% of the offer (not modelled)")
             for c in [r.placing_reallocation_cap_pct] if c is not None]
    if r.offer_shares is not None:
        rows += [("offer shares", f"{r.offer_shares:,}"), ("initial public shares", f"{r.initial_shares:,}"),
                 ("final public shares", f"{r.final_shares:,}")]
    rows += [("ledger's allocation", f"x{m:.3f} = {r.observed_final_pct:g}%: " + ("matches" if r.matches_ledger else
              "does NOT match") + " the ladder") for m in [r.observed_multiplier] if m is not None]
    rows += [(f"input {i['field']}", f"{i['value']} {i['currency'] or ''} [{i['source_id']}] {i['note'] or ''}")
             for i in r.inputs] + [("note", n) for n in r.notes] + [("UNCONFIRMED", u) for u in r.unconfirmed]
    _show(f"Public tranche{' of ' + r.code if r.code else ''}", rows)


@_command
def odds(
    code: Optional[str] = typer.Argument(None, help="Listing code or name (inputs from the ledger)."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand, x initial tranche."),
    lot_size: Optional[int] = Opt(None, "--lot-size", help="Shares per board lot."),
    price: Optional[float] = Opt(None, "--price", help="Offer price, HK$."),
    regime: Optional[str] = Opt(None, "--regime", help="Tranche regime (default: inferred, else pn18)."),
    initial_pct: Optional[float] = Opt(None, "--initial-pct"),
    tranche_shares: Optional[int] = Opt(None, "--tranche-shares", help="Initial public tranche, shares."),
    applicants: Optional[int] = Opt(None, "--applicants", help="Valid public applications."),
    lots: Optional[int] = Opt(None, "--lots", help="Also show the odds of an application of N lots."),
    brackets: Optional[str] = Opt(None, "--brackets", help='Applications "LOTS:APPLICANTS,..." (not the model).'),
    simulate_seed: Optional[int] = Opt(None, "--simulate", help="Run one seeded ballot draw (seed)."),
    as_json: bool = JSON,
) -> None:
    """Pool A/B ballot odds per application bracket, and the one-lot success rate."""
    emit(_hk().odds(open_store(), code, subscription, lot_size, price, regime, initial_pct, tranche_shares,
                    applicants, lots, brackets, simulate_seed), as_json, _render_odds)


def _render_odds(r) -> None:
    rows = [("regime", f"{r.regime} ({r.regime_reason})"), ("public demand", f"{r.subscription:,.2f}x"),
            ("final public tranche", f"{r.final_public_pct:g}% (x{r.multiplier:g})"),
            ("tranche shares", f"{r.final_tranche_shares:,}" + (" (model default size: tranche not in the data)"
                                                                if r.tranche_size_assumed else "")),
            ("Pool A / Pool B lots", f"{r.pool_a_lots:,} / {r.pool_b_lots:,}"),
            ("modelled applicants", f"{r.modelled_applicants:,}"),
            ("one-lot success rate", f"{100 * r.one_lot_success_rate:.3f}%"),
            ("lots to secure one lot", r.lots_to_secure_one_lot or "none: no bracket is sure of a lot")]
    rows += [(f"reported {k.replace('_', ' ')}", f"{v:g}{'%' * k.endswith('rate')}") for k, v in r.reported.items()
             if v is not None]
    if a := r.application:
        rows.append((f"your {a['lots']} lots", "rejected (above one pool)" if a["rejected"] else f"pool {a['pool']}: "
                     f"E(lots) {a['expected_lots']:.4f}, P(>=1 lot) {100 * a['p_at_least_one']:.3f}%"))
    rows += [("simulated draw", f"seed {s['seed']}: {s['allotted_lots']:,} lots allotted") for s in [r.simulation] if s]
    _show(f"Ballot odds{' of ' + r.code if r.code else ''}", rows)
    _show("Brackets", [(b["lots"], b["pool"], f"{b['applicants']:,}", b["guaranteed_lots"], f"{b['expected_lots']:.4f}",
                        f"{100 * b['p_at_least_one']:.3f}%") for b in r.brackets],
          ("lots applied", "pool", "applicants", "sure lots", "E(lots)", "P(>=1 lot)"))


@_command
def calibrate(
    refit: bool = Opt(False, "--fit", help="Re-fit the model parameters (grid search, a few minutes)."),
    as_json: bool = JSON,
) -> None:
    """Error of the predicted one-lot success rate against the 2018-2022 HK IPOs (percentage points)."""
    emit(_hk().calibrate(open_store(), refit), as_json, _render_calibration)


def _render_calibration(r) -> None:
    rows = [("deals", r.n)] + [(f"{k} |error|", f"{getattr(r, k + '_abs_error_pp'):.2f} pp") for k in ("median", "p90",
                               "mean")] + [("median error (bias)", f"{r.bias_pp:+.2f} pp")]
    rows += [(f"median |error| {k}", f"{v['median_abs_error_pp']:.2f} pp (n={v['n']})")
             for k, v in r.median_abs_error_pp_by_band.items() if v["n"]]
    rows += [(f"param {k}", f"{v:g}") for k, v in r.params.items()]
    _show("One-lot success rate model vs 2018-2022 HK IPOs", rows)


@_command
def subscribe(
    code: str = typer.Argument(..., help="Listing code or name."),
    lots: int = Opt(..., "--lots", help="Lots to apply for."),
    margin: float = Opt(0.0, "--margin", help="Share of the application financed by the broker (0-1)."),
    rate: float = Opt(0.035, "--rate", help="Annual margin interest rate (0.035 = 3.5%), actual/365."),
    days: int = Opt(7, "--days", help="Days the loan is outstanding."),
    handling_fee: Optional[float] = Opt(None, "--handling-fee", help="Fee per application, HK$ (50 cash, 100 margin)."),
    lot_size: Optional[int] = Opt(None, "--lot-size", help="Shares per board lot (if not in the dataset)."),
    price: Optional[float] = Opt(None, "--price", help="Offer price, HK$ (default: the ledger's)."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand x (default: ledger)."),
    regime: Optional[str] = Opt(None, "--regime", help="Tranche regime (default: inferred from the ledger)."),
    sell_commission: Optional[float] = Opt(None, "--sell-commission", help="Broker commission rate on the sale (0)."),
    seed: int = Opt(0, "--seed", help="Seed of the P&L simulation."),
    as_json: bool = JSON,
) -> None:
    """Application amount to the cent, financing cost, expected allotment and first-day P&L."""
    emit(_hk().subscribe(open_store(), code, lots, margin, rate, days, handling_fee, lot_size, price, subscription,
                         regime, sell_commission, seed), as_json, _render_subscribe)


def _render_subscribe(r) -> None:
    from ipolens.hk.fees import fmt

    amt, fin, al, oc = r.application_cents, r.financing, r.allotment, r.outcome
    rows = [(k.replace("_", " "), fmt(v)) for k, v in amt.items() if k != "total"]
    _show(f"{r.code}: {r.lots} lots x {r.lot_size:,} shares at HK${r.price:g}",
          rows + [("application amount", fmt(amt["total"])), ("entry fee (one lot)", fmt(r.entry_fee_cents))],
          ("HK$", "amount"))
    _show("Financing", [("margin", f"{fin['margin']:.0%}"), ("loan", fmt(fin["loan_cents"])),
                        ("cash deposit", fmt(fin["cash_cents"])), ("handling fee", fmt(fin["handling_fee_cents"])),
                        ("interest", f"{fmt(fin['interest_cents'])} ({fin['rate']:.2%} x {fin['days']}d / 365)"),
                        ("sunk cost", fmt(fin["interest_cents"] + fin["handling_fee_cents"]))])
    rows = [("regime", al["regime"]), ("public demand", f"{al['subscription']:,.2f}x"),
            ("P(at least one lot)", f"{100 * al['p_at_least_one_lot']:.3f}%"),
            ("expected lots", f"{al['expected_lots']:.4f}"), ("band", f"{oc['band']} (n={oc['band_n']} past HK IPOs)")]
    if oc["band_n"]:
        rows += [("band first-day return", f"mean {oc['band_mean_return_pct']:.2f}%, median "
                                           f"{oc['band_median_return_pct']:.2f}%"),
                 ("expected P&L", fmt(oc["expected_pnl_cents"])), ("P&L std", fmt(oc["pnl_std_cents"])),
                 ("P&L p10 / p50 / p90", " / ".join(fmt(oc[f"pnl_p{p}_cents"]) for p in (10, 50, 90))),
                 ("P(loss)", f"{100 * oc['p_loss']:.1f}%")]
    _show("Expected outcome (sold at the first-day close)", rows, notes=r.notes)


@_command
def stabilise(
    code: Optional[str] = typer.Argument(None, help="Listing code (offer price, greenshoe %, base shares)."),
    offer_price: Optional[float] = Opt(None, "--offer-price", help="Offer price, HK$."),
    base_shares: Optional[int] = Opt(None, "--base-shares", help="Base offer shares (before greenshoe)."),
    over_allotment: Optional[float] = Opt(None, "--over-allotment", help="% of base offer (default 15)."),
    path: str = Opt(..., "--path", help="Closes over the window: '20.1,19.2,...' or a CSV file date,close."),
    deadline: Optional[str] = Opt(None, "--deadline", help="Last day for public applications (YYYY-MM-DD)."),
    daily_cap: Optional[int] = Opt(None, "--daily-cap", help="Max shares bought back per day."),
    buy_at_offer: bool = Opt(False, "--buy-at-offer", help="Also buy on days closing exactly at the offer."),
    as_json: bool = JSON,
) -> None:
    """Shares bought back, greenshoe exercised and the resulting float, from a price path."""
    text = Path(path).read_text(encoding="utf-8") if Path(path).is_file() else path
    emit(_hk().stabilise(open_store(), text, code, offer_price, base_shares, over_allotment, deadline, daily_cap,
                         buy_at_offer), as_json, _render_stabilise)


def _render_stabilise(r) -> None:
    rows = [("offer price", f"HK${r.offer_price:g}"), ("base offer shares", f"{r.base_shares:,}"),
            ("over-allotted", f"{r.over_allotted_shares:,} ({r.over_allotment_pct:g}%)"),
            ("window ends", r.window_end or "n/a (no --deadline)"), ("days in window", r.days_used),
            ("shares bought back", f"{r.shares_bought_back:,}"), ("buy-back cost", f"HK${r.buyback_cost_hkd:,.2f}"),
            ("greenshoe exercised", f"{r.greenshoe_exercised_shares:,} ({r.greenshoe_exercised_pct:.4g}%, "
                                    f"{r.exercise})"),
            ("offer shares after greenshoe", f"{r.final_offer_shares:,}")]
    rows += [("ignored", f"{r.days_ignored_after_window} prices after the window")] * bool(r.days_ignored_after_window)
    _show(f"Stabilisation{' of ' + r.code if r.code else ''}", rows)


@handle_errors
def lockups(
    date_from: Optional[str] = Opt(None, "--from", help="First expiry session (YYYY-MM-DD)."),
    date_to: Optional[str] = Opt(None, "--to", help="Last expiry session (YYYY-MM-DD)."),
    market: str = Opt("HK", "--market", help="HK, STAR or NASDAQ."),
    stage_18c: Optional[str] = Opt(None, "--18c-stage", help="commercial or pre-commercial (default both)."),
    as_json: bool = JSON,
) -> None:
    """Lock-up expiries on the listing exchange's trading calendar (HK: calendar months, rolled forward)."""
    emit(_hk().lockups(open_store(), date_from, date_to, market, stage_18c), as_json, _render_lockups)


def _render_lockups(r) -> None:
    rows = [(e["expiry_session"], e["code"], e["listing_date"], e["holder"], e["period"], e["end_date"],
             "; ".join(x for x in ("UNCONFIRMED" if e["unconfirmed"] else "", e["calendar_note"]) if x))
            for e in r.events]
    _show(f"Lock-up expiries ({r.market}, {len(r.events)} events; first tradable session on {r.calendar})", rows,
          ("first tradable", "code", "listed", "holder", "period", "nominal end", "flag"), width=120,
          notes=tuple(f"left out {x['count']} of {r.listings} listings, {x['why']}: {', '.join(x['codes'])}"
                      for x in r.left_out))
    if r.investors:
        from ..report.terminal import fmt_number

        _show("Cornerstone investors' lock-up expiries", [
            (i["first_tradable"], i["code"], i["investor"], fmt_number(i["shares"]), i["lockup_basis"],
             fmt_number(i["value_at_last_close"], currency=i["currency"]) + (f" (close {i['last_close_date']})"
                                                                           if i["last_close_date"] else ""))
            for i in r.investors], ("first tradable", "code", "investor", "shares", "lock-up", "value at last close"),
              width=120)


def register(app: typer.Typer) -> None:
    app.add_typer(hk_app, name="hk")
    app.command("lockups")(lockups)
