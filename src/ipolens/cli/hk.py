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


def _show(title: str, rows: list[tuple], headers: tuple[str, ...] = ("hk.col.item", "hk.col.value"), width: int = 0,
          notes: tuple[str, ...] = ()) -> None:
    """A table whose first column holds catalogue keys (a row's label) or text; notes the use case wrote in English
    read in the reader's language where the catalogue knows them (``report.terminal.known``)."""
    from ..report.terminal import known, tr

    show(title, headers, [(tr(r[0]), *r[1:]) if r and isinstance(r[0], str) else r for r in rows],
         tuple(known(n) for n in notes), width, left=headers)


def _t(key: str, **fields) -> str:
    from ..i18n import t

    return t(key, **fields)


def _regime(code: str, name: str | None = None) -> str:
    """A regime's name from the catalogue (hk_regime.*), else the one the rules give."""
    from ..i18n import has

    key = f"hk_regime.{code.replace('-', '_')}"
    return _t(key) if has(key) else (name or code)


def _known(text):
    from ..report.terminal import known

    return known(text)


def _pct(v: float, spec: str = "g") -> str:
    return f"{v:{spec}}%"


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
    from ..report.terminal import fmt_value, formula_text

    rows = [("hk.regime", f"{r.regime} ({_regime(r.regime, r.regime_name)})"),
            ("hk.why", formula_text(_known(r.regime_reason))),
            ("hk.source", r.source), ("hk.public_demand", _t("unit.times", v=f"{r.subscription:,.2f}")),
            ("hk.initial_tranche", _pct(r.initial_pct)),
            ("hk.final_tranche", _t("hk.of_initial_offer", v=_pct(r.final_pct))), ("hk.multiplier", f"{r.multiplier:g}")]
    rows += [("hk.placing_cap", _t("hk.of_offer_not_modelled", v=_pct(c)))
             for c in [r.placing_reallocation_cap_pct] if c is not None]
    if r.offer_shares is not None:
        rows += [("hk.offer_shares", f"{r.offer_shares:,}"), ("hk.initial_shares", f"{r.initial_shares:,}"),
                 ("hk.final_shares", f"{r.final_shares:,}")]
    rows += [("hk.ledger_allocation", _t("hk.matches" if r.matches_ledger else "hk.does_not_match", m=f"{m:.3f}",
                                         v=_pct(r.observed_final_pct)))
             for m in [r.observed_multiplier] if m is not None]
    rows += [(_t("hk.input", field=_field(i["field"])),
              f"{_coded(i['field'], i['value']) if isinstance(i['value'], str) else fmt_value(i['value'], currency=i['currency'])} [{i['source_id']}] {formula_text(_known(i['note']) or '')}".rstrip())
             for i in r.inputs] + [("term.note", _known(n)) for n in r.notes] + \
        [("hk.unconfirmed", _known(u)) for u in r.unconfirmed]
    _show(_t("hk.tranche_title", code=_of(r.code)), rows)


def _coded(field: str, text: str) -> str:
    from .core import _coded_text

    return _coded_text(field, text)


def _market(code: str) -> str:
    from ..i18n import current_lang
    from ..report.common import value_label

    return value_label("market", code, current_lang()) if code else ""


def _of(code) -> str:
    return _t("hk.of_code", code=code) if code else ""


def _field(name: str) -> str:
    from ..report.profile_terminal import field_label

    return field_label(name)


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
    from ..report.terminal import formula_text

    rows = [("hk.regime", f"{r.regime} ({formula_text(_known(r.regime_reason))})"),
            ("hk.public_demand", _t("unit.times", v=f"{r.subscription:,.2f}")),
            ("hk.final_tranche", f"{_pct(r.final_public_pct)} (x{r.multiplier:g})"),
            ("hk.tranche_shares", f"{r.final_tranche_shares:,}" + (_t("hk.tranche_assumed")
                                                                   if r.tranche_size_assumed else "")),
            ("dash.mech_pool_lots", f"{r.pool_a_lots:,} / {r.pool_b_lots:,}"),
            ("hk.modelled_applicants", f"{r.modelled_applicants:,}"),
            ("field.one_lot_success_rate", f"{100 * r.one_lot_success_rate:.3f}%"),
            ("hk.lots_to_secure", r.lots_to_secure_one_lot or _t("hk.no_sure_bracket"))]
    rows += [(_t("hk.reported", what=_field(k)), f"{v:g}{'%' * k.endswith('rate')}") for k, v in r.reported.items()
             if v is not None]
    if a := r.application:
        rows.append((_t("hk.your_lots", n=a["lots"]), _t("hk.rejected") if a["rejected"] else _t(
            "hk.application", pool=a["pool"], e=f"{a['expected_lots']:.4f}", p=f"{100 * a['p_at_least_one']:.3f}%")))
    rows += [("hk.simulated", _t("hk.simulated_v", seed=s["seed"], n=f"{s['allotted_lots']:,}"))
             for s in [r.simulation] if s]
    _show(_t("hk.odds_title", code=_of(r.code)), rows)
    _show("hk.brackets", [(str(b["lots"]), b["pool"], f"{b['applicants']:,}", b["guaranteed_lots"],
                           f"{b['expected_lots']:.4f}", f"{100 * b['p_at_least_one']:.3f}%") for b in r.brackets],
          ("hk.col.lots_applied", "hk.col.pool", "hk.col.applicants", "hk.col.sure_lots", "hk.col.e_lots",
           "hk.col.p_one"))


@_command
def calibrate(
    refit: bool = Opt(False, "--fit", help="Re-fit the model parameters (grid search, a few minutes)."),
    as_json: bool = JSON,
) -> None:
    """Error of the predicted one-lot success rate against the 2018-2022 HK IPOs (percentage points)."""
    emit(_hk().calibrate(open_store(), refit), as_json, _render_calibration)


def _render_calibration(r) -> None:
    rows = [("hk.deals", r.n)] + [(_t(f"hk.abs_error.{k}"), _t("unit.pp", v=f"{getattr(r, k + '_abs_error_pp'):.2f}"))
                                  for k in ("median", "p90", "mean")]
    rows += [("hk.bias", _t("unit.pp", v=f"{r.bias_pp:+.2f}"))]
    rows += [(_t("hk.abs_error_band", band=k), f"{_t('unit.pp', v=format(v['median_abs_error_pp'], '.2f'))} (n={v['n']})")
             for k, v in r.median_abs_error_pp_by_band.items() if v["n"]]
    rows += [(_t("hk.param", name=k), f"{v:g}") for k, v in r.params.items()]
    _show("hk.calibration_title", rows)


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
    rows = [(f"hk.fee.{k}", fmt(v)) for k, v in amt.items() if k != "total"]
    _show(_t("hk.subscribe_title", code=r.code, lots=r.lots, lot=f"{r.lot_size:,}", price=f"{r.price:g}"),
          rows + [("hk.application_amount", fmt(amt["total"])), ("dash.entry_fee", fmt(r.entry_fee_cents))],
          ("hk.col.hkd", "hk.col.amount"))
    _show("hk.financing", [("hk.margin", f"{fin['margin']:.0%}"), ("hk.loan", fmt(fin["loan_cents"])),
                           ("hk.cash_deposit", fmt(fin["cash_cents"])),
                           ("hk.handling_fee", fmt(fin["handling_fee_cents"])),
                           ("hk.interest", _t("hk.interest_v", v=fmt(fin["interest_cents"]), rate=f"{fin['rate']:.2%}",
                                              days=fin["days"])),
                           ("hk.sunk_cost", fmt(fin["interest_cents"] + fin["handling_fee_cents"]))])
    rows = [("hk.regime", al["regime"]), ("hk.public_demand", _t("unit.times", v=f"{al['subscription']:,.2f}")),
            ("hk.p_one_lot", f"{100 * al['p_at_least_one_lot']:.3f}%"),
            ("hk.expected_lots", f"{al['expected_lots']:.4f}"),
            ("hk.band", _t("hk.band_v", band=oc["band"], n=oc["band_n"]))]
    if oc["band_n"]:
        rows += [("hk.band_return", _t("hk.band_return_v", mean=f"{oc['band_mean_return_pct']:.2f}%",
                                       median=f"{oc['band_median_return_pct']:.2f}%")),
                 ("hk.expected_pnl", fmt(oc["expected_pnl_cents"])), ("hk.pnl_std", fmt(oc["pnl_std_cents"])),
                 ("hk.pnl_pct", " / ".join(fmt(oc[f"pnl_p{p}_cents"]) for p in (10, 50, 90))),
                 ("hk.p_loss", f"{100 * oc['p_loss']:.1f}%")]
    _show("hk.outcome_title", rows, notes=r.notes)


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
    rows = [("field.offer_price", f"HK${r.offer_price:g}"), ("hk.base_shares", f"{r.base_shares:,}"),
            ("hk.over_allotted", f"{r.over_allotted_shares:,} ({r.over_allotment_pct:g}%)"),
            ("hk.window_ends", r.window_end or _t("hk.no_deadline")), ("hk.days_in_window", r.days_used),
            ("hk.bought_back", f"{r.shares_bought_back:,}"), ("hk.buyback_cost", f"HK${r.buyback_cost_hkd:,.2f}"),
            ("hk.greenshoe_exercised", f"{r.greenshoe_exercised_shares:,} ({r.greenshoe_exercised_pct:.4g}%, "
                                       f"{_t('hk.exercise.' + r.exercise) if _has('hk.exercise.' + r.exercise) else r.exercise})"),
            ("hk.after_greenshoe", f"{r.final_offer_shares:,}")]
    rows += [("hk.ignored", _t("hk.ignored_v", n=r.days_ignored_after_window))] * bool(r.days_ignored_after_window)
    _show(_t("hk.stabilise_title", code=_of(r.code)), rows)


def _has(key: str) -> bool:
    from ..i18n import has

    return has(key)


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
    from ..report.terminal import fmt_value, reason_text

    rows = [(e["expiry_session"], e["code"], e["listing_date"], _known(e["holder"]), _known(e["period"]), e["end_date"],
             "; ".join(x for x in (_t("dash.unconfirmed") if e["unconfirmed"] else "", _known(e["calendar_note"])) if x))
            for e in r.events]
    _show(_t("hk.lockups_title", market=_market(r.market), n=len(r.events), calendar=r.calendar), rows,
          ("hk.col.first_tradable", "pl.col.code", "hk.col.listed", "dash.holder", "dash.period", "hk.col.nominal_end",
           "hk.col.flag"), width=120,
          notes=tuple(_t("hk.lockups_left_out", n=x["count"], of=r.listings, why=reason_text(x.get("reason", ""), x["why"]),
                         codes=", ".join(x["codes"])) for x in r.left_out))
    if r.investors:
        _show("hk.cornerstone_lockups", [
            (i["first_tradable"], i["code"], i["investor"], fmt_value(i["shares"], "shares"), _known(i["lockup_basis"]),
             fmt_value(i["value_at_last_close"], currency=i["currency"]) + (
                 _t("hk.close_on", date=i["last_close_date"]) if i["last_close_date"] else ""))
            for i in r.investors], ("hk.col.first_tradable", "pl.col.code", "hk.col.investor", "hk.col.shares",
                                    "hk.col.lockup", "hk.col.value_last_close"), width=120)


def register(app: typer.Typer) -> None:
    app.add_typer(hk_app, name="hk")
    app.command("lockups")(lockups)
