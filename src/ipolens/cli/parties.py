"""CLI: cornerstone investors (``investors``, ``investor NAME``, ``import-cornerstones FILE``): parse and render."""
from __future__ import annotations

import typer

from ._common import emit, fmt_number, handle_errors, open_store, print_out, table

JSON = typer.Option(False, "--json", help="Print JSON")


def _money(amounts: dict) -> str:  # {"USD": 5e7, "HKD": 3.9e8} -> '50,000,000 USD (5,000.00万); ...'
    return "; ".join(fmt_number(v, currency=c) for c, v in amounts.items()) or "—"


@handle_errors
def investors_cmd(limit: int = typer.Option(50, help="Rows to print"), as_json: bool = JSON) -> None:
    """Cornerstone investors with their deal counts and amounts (per currency)."""
    from ..app.parties import investors
    emit(investors(open_store(), limit=limit), as_json, lambda r: print_out(table(
        f"Cornerstone investors ({len(r.rows)} of {r.total}); {r.note}", ("investor", "中文", "type", "deals", "amounts"),
        [(d["name_en"] or "—", d["name_zh"] or "—", d["type"] or "—", d["deals"], _money(d["amounts"]))
         for d in r.rows])))


@handle_errors
def investor_cmd(name: str = typer.Argument(..., help="Investor name (English or Chinese, any known spelling)"),
                 as_json: bool = JSON) -> None:
    """One cornerstone investor's deals: amounts, lock-up expiries and the deals' first-day returns."""
    from ..app.parties import investor
    def render(r) -> None:
        s, inv = r.summary, r.investor
        print_out(table(f"{inv['name_en'] or inv['name_zh']} ({inv['type'] or 'type not stated'}): {s['deals']} deals, "
                        f"{_money(s['amounts'])}; mean first-day return "
                        f"{fmt_number(s['mean_first_day_return'], 'pct', name='return')}",
                        ("code", "name", "listed", "amount", "shares", "lock-up", "first tradable", "day-1", "source"),
                        [(d["code"], d["name_en"] or d["name_zh"] or "—", d["listing_date"] or "undated",
                          fmt_number(d["amount"], currency=d["currency"]), fmt_number(d["shares"]),
                          f"{d['lockup_months']}m ({d['lockup_basis']})" if d["lockup_months"] else d["lockup_basis"],
                          d["first_tradable"] or "—", fmt_number(d["first_day_return"], "pct", name="return"),
                          d["source_title"]) for d in r.deals]))
        typer.echo(r.note)
    emit(investor(open_store(), name), as_json, render)


@handle_errors
def import_cornerstones_cmd(file: str = typer.Argument(..., help="JSON of cornerstone lists, or a CSV (one row each)"),
                            source_title: str = typer.Option(None, "--source-title", help="Title of the source"),
                            replace: bool = typer.Option(False, "--replace", help="Replace a source of another title"),
                            as_json: bool = JSON) -> None:
    """Import cornerstone investors per deal (name, type, amount, currency, shares, lock-up) in one transaction."""
    from ..app.parties import import_cornerstones
    emit(import_cornerstones(open_store(), file, source_title, replace=replace), as_json, lambda r: typer.echo(
        f"imported {r.records} cornerstone rows for {r.deals} deals ({r.investors} investors, {r.new_investors} new) "
        f"as source {r.source_id}" + (f"; replaced {r.replaced_rows} earlier rows" if r.replaced_rows else "")))


def register(app: typer.Typer) -> None:
    for name, fn in (("investors", investors_cmd), ("investor", investor_cmd),
                     ("import-cornerstones", import_cornerstones_cmd)):
        app.command(name)(fn)
