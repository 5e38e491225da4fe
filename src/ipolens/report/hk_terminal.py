"""Terminal rendering of the HK mechanics (``ipolens hk ...``, ``ipolens lockups``): the use cases' results as
tables in the reader's language. Cells are text, never markup."""
from __future__ import annotations

from ..i18n import has, t
from .terminal import fmt_value, formula_text, known, market_label, reason_text, show, tr

__all__ = ["print_tranche", "print_odds", "print_calibration", "print_subscription", "print_stabilisation",
           "print_lockups"]


def _show(title: str, rows: list[tuple], headers: tuple[str, ...] = ("hk.col.item", "hk.col.value"), width: int = 0,
          notes: tuple[str, ...] = ()) -> None:
    """A table whose first column holds catalogue keys (a row's label) or text; notes the use case wrote in English
    read in the reader's language where the catalogue knows them (``known``)."""
    show(title, headers, [(tr(r[0]), *r[1:]) if r and isinstance(r[0], str) else r for r in rows],
         tuple(known(n) for n in notes), width, left=headers)


def _regime(code: str, name: str | None = None) -> str:
    """A regime's name from the catalogue (hk_regime.*), else the one the rules give."""
    key = f"hk_regime.{code.replace('-', '_')}"
    return t(key) if has(key) else (name or code)


def _pct(v: float, spec: str = "g") -> str:
    return f"{v:{spec}}%"


def _of(code) -> str:
    return t("hk.of_code", code=code) if code else ""


def _field(name: str) -> str:
    from .profile_terminal import field_label

    return field_label(name)


def _coded(field: str, text: str) -> str:
    """A text value: a coded one (a route, a board) in the reader's language, anything else as the source wrote it."""
    from ..i18n import current_lang
    from .common import value_label
    from .profile_terminal import VALUE_VOCABULARY

    return value_label(VALUE_VOCABULARY.get(field, field), text, current_lang())


def _input_row(i: dict) -> tuple[str, str]:
    """One ledger input of the tranche: its value (coded text in words), source id and note."""
    value = _coded(i["field"], i["value"]) if isinstance(i["value"], str) else \
        fmt_value(i["value"], currency=i["currency"])
    return t("hk.input", field=_field(i["field"])), \
        f"{value} [{i['source_id']}] {formula_text(known(i['note']) or '')}".rstrip()


def print_tranche(r) -> None:
    """``ipolens hk tranche``: the final public tranche, its multiplier, share counts and the ledger's inputs."""
    rows = [("hk.regime", f"{r.regime} ({_regime(r.regime, r.regime_name)})"),
            ("hk.why", formula_text(known(r.regime_reason))),
            ("hk.source", r.source), ("hk.public_demand", t("unit.times", v=f"{r.subscription:,.2f}")),
            ("hk.initial_tranche", _pct(r.initial_pct)),
            ("hk.final_tranche", t("hk.of_initial_offer", v=_pct(r.final_pct))), ("hk.multiplier", f"{r.multiplier:g}")]
    rows += [("hk.placing_cap", t("hk.of_offer_not_modelled", v=_pct(c)))
             for c in [r.placing_reallocation_cap_pct] if c is not None]
    if r.offer_shares is not None:
        rows += [("hk.offer_shares", f"{r.offer_shares:,}"), ("hk.initial_shares", f"{r.initial_shares:,}"),
                 ("hk.final_shares", f"{r.final_shares:,}")]
    rows += [("hk.ledger_allocation", t("hk.matches" if r.matches_ledger else "hk.does_not_match", m=f"{m:.3f}",
                                        v=_pct(r.observed_final_pct)))
             for m in [r.observed_multiplier] if m is not None]
    rows += [_input_row(i) for i in r.inputs] + [("term.note", known(n)) for n in r.notes] + \
        [("hk.unconfirmed", known(u)) for u in r.unconfirmed]
    _show(t("hk.tranche_title", code=_of(r.code)), rows)


def print_odds(r) -> None:
    """``ipolens hk odds``: the model's one-lot odds, an application's chances, then every bracket."""
    rows = [("hk.regime", f"{r.regime} ({formula_text(known(r.regime_reason))})"),
            ("hk.public_demand", t("unit.times", v=f"{r.subscription:,.2f}")),
            ("hk.final_tranche", f"{_pct(r.final_public_pct)} (x{r.multiplier:g})"),
            ("hk.tranche_shares", f"{r.final_tranche_shares:,}" + (t("hk.tranche_assumed")
                                                                   if r.tranche_size_assumed else "")),
            ("dash.mech_pool_lots", f"{r.pool_a_lots:,} / {r.pool_b_lots:,}"),
            ("hk.modelled_applicants", f"{r.modelled_applicants:,}"),
            ("field.one_lot_success_rate", f"{100 * r.one_lot_success_rate:.3f}%"),
            ("hk.lots_to_secure", r.lots_to_secure_one_lot or t("hk.no_sure_bracket"))]
    rows += [(t("hk.reported", what=_field(k)), f"{v:g}{'%' * k.endswith('rate')}") for k, v in r.reported.items()
             if v is not None]
    if a := r.application:
        rows.append((t("hk.your_lots", n=a["lots"]), t("hk.rejected") if a["rejected"] else t(
            "hk.application", pool=a["pool"], e=f"{a['expected_lots']:.4f}", p=f"{100 * a['p_at_least_one']:.3f}%")))
    rows += [("hk.simulated", t("hk.simulated_v", seed=s["seed"], n=f"{s['allotted_lots']:,}"))
             for s in [r.simulation] if s]
    _show(t("hk.odds_title", code=_of(r.code)), rows)
    _show("hk.brackets", [(str(b["lots"]), b["pool"], f"{b['applicants']:,}", b["guaranteed_lots"],
                           f"{b['expected_lots']:.4f}", f"{100 * b['p_at_least_one']:.3f}%") for b in r.brackets],
          ("hk.col.lots_applied", "hk.col.pool", "hk.col.applicants", "hk.col.sure_lots", "hk.col.e_lots",
           "hk.col.p_one"))


def print_calibration(r) -> None:
    """``ipolens hk calibrate``: the model's error against the published one-lot success rates."""
    rows = [("hk.deals", r.n)] + [(t(f"hk.abs_error.{k}"), t("unit.pp", v=f"{getattr(r, k + '_abs_error_pp'):.2f}"))
                                  for k in ("median", "p90", "mean")]
    rows += [("hk.bias", t("unit.pp", v=f"{r.bias_pp:+.2f}"))]
    rows += [(t("hk.abs_error_band", band=k), f"{t('unit.pp', v=format(v['median_abs_error_pp'], '.2f'))} (n={v['n']})")
             for k, v in r.median_abs_error_pp_by_band.items() if v["n"]]
    rows += [(t("hk.param", name=k), f"{v:g}") for k, v in r.params.items()]
    _show("hk.calibration_title", rows)


def print_subscription(r) -> None:
    """``ipolens hk subscribe``: the application amount, its financing, and the expected allotment and P&L."""
    from ..hk.fees import fmt

    amt, fin = r.application_cents, r.financing
    rows = [(f"hk.fee.{k}", fmt(v)) for k, v in amt.items() if k != "total"]
    _show(t("hk.subscribe_title", code=r.code, lots=r.lots, lot=f"{r.lot_size:,}", price=f"{r.price:g}"),
          rows + [("hk.application_amount", fmt(amt["total"])), ("dash.entry_fee", fmt(r.entry_fee_cents))],
          ("hk.col.hkd", "hk.col.amount"))
    _show("hk.financing", [("hk.margin", f"{fin['margin']:.0%}"), ("hk.loan", fmt(fin["loan_cents"])),
                           ("hk.cash_deposit", fmt(fin["cash_cents"])),
                           ("hk.handling_fee", fmt(fin["handling_fee_cents"])),
                           ("hk.interest", t("hk.interest_v", v=fmt(fin["interest_cents"]), rate=f"{fin['rate']:.2%}",
                                             days=fin["days"])),
                           ("hk.sunk_cost", fmt(fin["interest_cents"] + fin["handling_fee_cents"]))])
    _show("hk.outcome_title", _outcome_rows(r.allotment, r.outcome, fmt), notes=r.notes)


def _outcome_rows(al: dict, oc: dict, fmt) -> list[tuple]:
    rows = [("hk.regime", al["regime"]), ("hk.public_demand", t("unit.times", v=f"{al['subscription']:,.2f}")),
            ("hk.p_one_lot", f"{100 * al['p_at_least_one_lot']:.3f}%"),
            ("hk.expected_lots", f"{al['expected_lots']:.4f}"),
            ("hk.band", t("hk.band_v", band=oc["band"], n=oc["band_n"]))]
    if oc["band_n"]:
        rows += [("hk.band_return", t("hk.band_return_v", mean=f"{oc['band_mean_return_pct']:.2f}%",
                                      median=f"{oc['band_median_return_pct']:.2f}%")),
                 ("hk.expected_pnl", fmt(oc["expected_pnl_cents"])), ("hk.pnl_std", fmt(oc["pnl_std_cents"])),
                 ("hk.pnl_pct", " / ".join(fmt(oc[f"pnl_p{p}_cents"]) for p in (10, 50, 90))),
                 ("hk.p_loss", f"{100 * oc['p_loss']:.1f}%")]
    return rows


def print_stabilisation(r) -> None:
    """``ipolens hk stabilise``: shares bought back, greenshoe exercised and the resulting float."""
    how = t("hk.exercise." + r.exercise) if has("hk.exercise." + r.exercise) else r.exercise
    rows = [("field.offer_price", f"HK${r.offer_price:g}"), ("hk.base_shares", f"{r.base_shares:,}"),
            ("hk.over_allotted", f"{r.over_allotted_shares:,} ({r.over_allotment_pct:g}%)"),
            ("hk.window_ends", r.window_end or t("hk.no_deadline")), ("hk.days_in_window", r.days_used),
            ("hk.bought_back", f"{r.shares_bought_back:,}"), ("hk.buyback_cost", f"HK${r.buyback_cost_hkd:,.2f}"),
            ("hk.greenshoe_exercised", f"{r.greenshoe_exercised_shares:,} ({r.greenshoe_exercised_pct:.4g}%, {how})"),
            ("hk.after_greenshoe", f"{r.final_offer_shares:,}")]
    rows += [("hk.ignored", t("hk.ignored_v", n=r.days_ignored_after_window))] * bool(r.days_ignored_after_window)
    _show(t("hk.stabilise_title", code=_of(r.code)), rows)


def print_lockups(r) -> None:
    """``ipolens lockups``: each expiry on the exchange's calendar, then the cornerstone investors' lock-ups."""
    rows = [(e["expiry_session"], e["code"], e["listing_date"], known(e["holder"]), known(e["period"]), e["end_date"],
             "; ".join(x for x in (t("dash.unconfirmed") if e["unconfirmed"] else "", known(e["calendar_note"])) if x))
            for e in r.events]
    _show(t("hk.lockups_title", market=market_label(r.market), n=len(r.events), calendar=r.calendar), rows,
          ("hk.col.first_tradable", "pl.col.code", "hk.col.listed", "dash.holder", "dash.period", "hk.col.nominal_end",
           "hk.col.flag"), width=120,
          notes=tuple(t("hk.lockups_left_out", n=x["count"], of=r.listings, codes=", ".join(x["codes"]),
                        why=reason_text(x.get("reason", ""), x["why"])) for x in r.left_out))
    if r.investors:
        _show("hk.cornerstone_lockups", [
            (i["first_tradable"], i["code"], i["investor"], fmt_value(i["shares"], "shares"), known(i["lockup_basis"]),
             fmt_value(i["value_at_last_close"], currency=i["currency"]) + (
                 t("hk.close_on", date=i["last_close_date"]) if i["last_close_date"] else ""))
            for i in r.investors], ("hk.col.first_tradable", "pl.col.code", "hk.col.investor", "hk.col.shares",
                                    "hk.col.lockup", "hk.col.value_last_close"), width=120)
