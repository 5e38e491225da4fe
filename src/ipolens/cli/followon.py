"""``ipolens followon CODE``, ``followon calc ...`` and ``followon add FILE``: parse, call ``ipolens.app.followons``,
render. ``followon CODE`` is the default: a first word that is not a subcommand is a listing code or company name."""
from __future__ import annotations

from typing import List, Optional

import typer
from typer.core import TyperGroup

from ._common import emit, handle_errors, open_store, show
from ..report.terminal import fmt_value

Opt = typer.Option
JSON = Opt(False, "--json", help="Print JSON (exactly what the web API returns).")


class _DefaultToShow(TyperGroup):
    """`followon 6082.HK` runs `followon show 6082.HK`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


followon_app = typer.Typer(cls=_DefaultToShow, no_args_is_help=True,
                           help="Follow-on offerings: `followon CODE` lists a listing's or company's placings, rights "
                                "issues, 配股 and 定增; `followon calc` checks a proposed one; `followon add` records "
                                "them.")


def _pct(v) -> str:
    return "" if v is None else f"{v:.2f}%"


def _word(prefix: str, v) -> str:
    """A coded word (a type, a check's status) in the reader's language when catalogued; else as it is."""
    from ..i18n import has, t

    return t(f"{prefix}.{v}") if v is not None and has(f"{prefix}.{v}") else ("" if v is None else str(v))


def _number(key: str, v: float) -> str:
    """A figure of the calculation through the one formatter: percentages (discounts, dilution) as such."""
    pct = any(w in key for w in ("discount", "dilution", "pct", "tde", "effect"))
    return fmt_value(v, "pct") if pct else fmt_value(v)


def _render_calc(r) -> None:
    from ..i18n import t
    from ..report.terminal import known

    d = r.to_dict()
    skip = {"checks", "flags", "flagged", "rules_version", "type"}
    rows = [(_word("fo.item", k) or k, _number(k, v) if isinstance(v, float) else
             _word(f"fo.{k}", v) if k in ("mandate", "type") else known(str(v))) for k, v in d.items()
            if k not in skip and v is not None and not isinstance(v, (list, dict))]
    show(t("fo.calc_title", type=_word("fo.type", d["type"])), ("hk.col.item", "hk.col.value"), rows, (), 0,
         left=("hk.col.item", "hk.col.value"))
    checks = [(known(c["item"]), known(c["rule"] or ""), "" if c["value"] is None else f"{c['value']:.4f}",
               str(c["limit"]), _word("fo.status", c["status"]),
               (t("dash.unconfirmed") + " " if c["unconfirmed"] else "") + (known(c["note"]) or ""))
              for c in d["checks"]]
    if checks:
        show("fo.checks_title", ("fo.col.check", "fo.col.rule", "hk.col.value", "fo.col.limit", "fo.col.status",
                                 "deal.col.note"), checks, (), 0,
             left=("fo.col.check", "fo.col.rule", "fo.col.status", "deal.col.note"))
    flags = [t("fo.flag", item=known(c["item"]), rule=c["rule"]) for c in d["checks"] if c["status"] == "flagged"]
    typer.echo(t("fo.flagged", flags="; ".join(flags or d["flags"])) if d["flagged"] else t("fo.none_flagged"))


def _render_list(r) -> None:
    from ..i18n import t

    d = r.to_dict()
    title = t("fo.list_title", who=d["listing"] or d["company"], listings=", ".join(d["listings"]))
    if not d["offerings"]:
        typer.echo(t("fo.none_recorded", title=title))
        return
    rows = [(o["announced"], o["listing"], _word("fo.type", o["type"]),
             fmt_value(o["price"], currency=o["currency"]) if o["currency"] else fmt_value(o["price"], precision=2),
             fmt_value(o["shares"], "shares") if o["shares"] is not None else "", _pct(o["discount_to_last_close"]),
             _pct(o["discount_to_benchmark"]), _pct(o["dilution"]), "; ".join(o["flags"]), o["source"])
            for o in d["offerings"]]
    show(title, ("dash.fo_announced", "fo.col.listing", "dash.fo_type", "dash.fo_price", "fo.col.new_shares",
                 "fo.col.disc_close", "fo.col.disc_benchmark", "dash.fo_dilution", "dash.fo_flags", "term.col.source"),
         rows, ("fo.note_benchmark", "fo.note_dilution"), 0,
         left=("dash.fo_announced", "fo.col.listing", "dash.fo_type", "dash.fo_flags", "term.col.source"))


@followon_app.command("show")
@handle_errors
def show_cmd(code: str = typer.Argument(..., help="Listing code or company name"), as_json: bool = JSON) -> None:
    """A listing's (and its company's other listings') follow-ons with discounts, dilution and rule checks."""
    from ..app.followons import followons
    emit(followons(open_store(), code), as_json, _render_list)


@followon_app.command("calc")
@handle_errors
def calc_cmd(
    type_: str = Opt(..., "--type", help="rights | open_offer | placing | top_up | pei_gu | ding_zeng | us_follow_on"),
    price: str = Opt(..., "--price", help="Issue (subscription) price per share."),
    ratio: Optional[str] = Opt(None, "--ratio", help="rights/open offer NEW:HELD (1:4 = 1 new per 4 held); "
                                                      "pei_gu HELD:NEW (10:3 or 10配3 = 3 per 10 held)."),
    last_close: Optional[str] = Opt(None, "--last-close", help="Close on the agreement date (前收盘 for 配股)."),
    avg5: Optional[str] = Opt(None, "--avg5", help="Average close of the 5 trading days before (HK benchmark)."),
    avg20: Optional[str] = Opt(None, "--avg20", help="定增: 20-day average (turnover / volume)."),
    turnover20: Optional[str] = Opt(None, "--turnover20", help="定增: 20-day total turnover (with --volume20)."),
    volume20: Optional[str] = Opt(None, "--volume20", help="定增: 20-day total volume (with --turnover20)."),
    mandate: Optional[str] = Opt(None, "--mandate", help="general | specific (placings default to general)."),
    shares_before: Optional[str] = Opt(None, "--shares-before", help="Shares in issue before the offering."),
    new_shares: Optional[str] = Opt(None, "--new-shares", help="New shares offered."),
    funds: Optional[str] = Opt(None, "--funds", help="Gross funds raised (new shares = funds / price if not given)."),
    holder: str = Opt("other", "--holder", help="定增 lock-up: controlling | other."),
    regime: Optional[str] = Opt(None, "--regime", help="定增 rules: current (80%) | legacy (90%)."),
    floor_price: Optional[str] = Opt(None, "--floor-price", help="定增: the floor the issuer states."),
    announced: Optional[str] = Opt(None, "--announced", help="Announcement date YYYY-MM-DD (12-month windows)."),
    prior: Optional[List[str]] = Opt(None, "--prior", help="Earlier issue: DATE,TYPE,NEW_SHARES,DISCOUNT_PCT"
                                                           "[,MANDATE] (repeatable)."),
    as_json: bool = JSON,
) -> None:
    """Figures and HK / A-share rule checks of a proposed follow-on (TERP, nil-paid value, 配股除权价, discounts,
    dilution, TDE, 定增 floor)."""
    from ..app.followons import followon_calc
    emit(followon_calc(None, type=type_, price=price, ratio=ratio, last_close=last_close, avg5=avg5, avg20=avg20,
                       turnover20=turnover20, volume20=volume20, mandate=mandate, shares_before=shares_before,
                       new_shares=new_shares, funds=funds, holder=holder, regime=regime, floor_price=floor_price,
                       announced=announced, prior=prior), as_json, _render_calc)


@followon_app.command("add")
@handle_errors
def add_cmd(file: str = typer.Argument(..., help="YAML (with its sources) or CSV of follow-on offerings"),
            source_title: Optional[str] = Opt(None, "--source-title", help="The source of a CSV file's rows."),
            source_url: Optional[str] = Opt(None, "--source-url"),
            published: Optional[str] = Opt(None, "--published", help="The source's date, YYYY-MM-DD."),
            as_json: bool = JSON) -> None:
    """Record follow-on offerings, validated completely and written in one transaction."""
    from ..app.followons import add_followons
    r = add_followons(open_store(), file, source_title=source_title, source_url=source_url, published=published)
    emit(r, as_json, lambda x: typer.echo(f"{x.written} offering row(s) from {x.file} under "
                                          f"{', '.join(x.sources)}: {', '.join(x.offerings)}"))


def register(app: typer.Typer) -> None:
    app.add_typer(followon_app, name="followon")
