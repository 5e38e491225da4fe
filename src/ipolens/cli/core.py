"""Core commands: ipo, ipos, facts, conflicts. Each parses, calls one use case of ``app.profile``, renders."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from ._common import emit, fail, fmt_number, handle_errors, is_missing as _na, open_store, print_out as _print, \
    table as _table
from ..report.terminal import facts_ref as _facts, pair_text, print_profile

IPOS_HEADERS = {"oversubscription_public": "oversub x", "one_lot_success_rate": "1-lot %", "lot_size": "lot",
                "lots_to_secure_one_lot": "lots for 1", "first_day_return": "day-1 %", "grey_market_return": "grey %",
                "listing_date": "listed", "offer_price": "offer", "currency": "ccy"}
# The terminal leaves out what the code column already says, then what a narrow terminal cannot fit.
IPOS_HIDDEN = ("entity", "market", "public_undersubscribed", "market_cap", "market_cap_as_of", "proceeds_gross",
               "counts_as_ipo")
NARROW = ((170, ("route", "sponsors")), (125, ("name_zh", "grey_market_return")),
          (100, ("lot_size", "one_lot_success_rate", "lots_to_secure_one_lot")))


def register(app: typer.Typer) -> None:
    for fn in (ipo, ipos, facts, conflicts):
        app.command(fn.__name__)(fn)


@handle_errors
def ipo(code: str = typer.Argument(..., help="Listing code in any spelling (6082.HK, 06082, 6082 HK) or a name"),
        json_out: bool = typer.Option(False, "--json", help="Print the profile as JSON (keys: see README)")) -> None:
    """Profile of one IPO: deal, first day, valuation and fundamentals, each value with its source."""
    from ..app.profile import ipo_profile  # use cases load when a command runs: start-up imports only typer

    emit(ipo_profile(open_store(), code), json_out, lambda r: print_profile(r.to_dict()))


@handle_errors
def ipos(market: Optional[str] = typer.Option(None, help="HK | STAR | SH | SZ | NASDAQ"),
         year: Optional[int] = typer.Option(None, help="Listing year"),
         sort: Optional[str] = typer.Option(None, help="Column to sort by; prefix with - for descending"),
         q: Optional[str] = typer.Option(None, "--search", "-q", help="Substring of code or name"),
         ipos_only: bool = typer.Option(False, "--ipos-only", help="Leave out introductions and transfers"),
         undated: bool = typer.Option(False, "--undated", help="List the listings without a listing date"),
         fmt: str = typer.Option("table", "--format", help="table | csv | json"),
         all_columns: bool = typer.Option(False, "--all-columns", help="Every resolved column, not the summary"),
         limit: Optional[int] = typer.Option(None, min=0, help="Show at most N rows")) -> None:
    """List IPOs from the ledger and say what it left out. Percent columns are percent numbers; money is in ccy."""
    if fmt not in ("table", "csv", "json"):
        fail(f"unknown format {fmt!r}; expected table, csv or json")
    from ..analytics.left_out import text
    from ..app.profile import ipos as ipo_table

    res = ipo_table(open_store(), market=market, year=year, sort=sort, q=q, ipos_only=ipos_only, limit=limit,
                    all_columns=all_columns, undated=undated)
    if fmt == "csv":
        return res.rows.to_csv(sys.stdout, index=False)
    emit(res, fmt == "json", lambda r: _print_ipos(r.rows, f"{len(r.rows)} {'undated listings' if undated else 'IPOs'}"
                                                   + (f" · {market}" if market else "") + (f" · {year}" if year else "")
                                                   + " (returns and rates in %)", all_columns, text(r.left_out)))


def _print_ipos(df, title: str, all_columns: bool, note: str) -> None:
    from rich.console import Console

    from ..ledger.fields import FIELDS

    console = Console()
    drop = () if all_columns else IPOS_HIDDEN + sum((cols for w, cols in NARROW if console.width < w), ())
    df = df.drop(columns=[c for c in drop if c in df.columns])
    t = _table(title)
    kinds = {c: FIELDS[c].kind if c in FIELDS else "text" for c in df.columns}
    cells = [[_cell(v, kinds[c]) for c, v in zip(df.columns, r)] for r in df.itertuples(index=False)]
    for i, c in enumerate(df.columns):  # numbers, codes and dates are never cut (114.28 must not print as 114.)
        numeric = kinds[c] not in ("text", "date")
        t.add_column(IPOS_HEADERS.get(c, c), justify="right" if numeric else "left", max_width=24,
                     min_width=max([len(row[i]) for row in cells] + [1]) if numeric or c == "code" else
                     (3 if c == "currency" else 10 if kinds[c] == "date" else 8),
                     no_wrap=numeric or c in ("code", "listing_date"),
                     overflow="ellipsis" if c in ("sponsors", "route") else "fold")
    for row in cells:
        t.add_row(*row)
    console.print(t, note, sep="\n")


def _cell(v, kind: str) -> str:
    if _na(v):
        return ""
    if not isinstance(v, float):
        return str(v)
    if kind in ("pct", "x"):
        return f"{v:,.2f}"
    if kind in ("shares", "count", "flag") and v.is_integer():
        return f"{int(v):,}"
    if kind == "money" and abs(v) < 1e6:  # a price keeps its cents and any third decimal: 114.28, 0.225
        text = f"{v:,.4f}".rstrip("0")
        return text + "0" * max(0, 2 - len(text.split(".")[1]))
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"


@handle_errors
def facts(code: str = typer.Argument(..., help="Listing code or name"),
          field: Optional[str] = typer.Option(None, "--field", help="Only this field (e.g. market_cap)"),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Ledger rows for one listing: every value with its source, date, qualifier and quote."""
    from ..app.profile import facts as fact_rows

    emit(fact_rows(open_store(), code, field), json_out, lambda r: _print_facts(r, code, field))


def _print_facts(res, code: str, field: Optional[str]) -> None:
    rows = []
    for r in res.rows.to_dict("records"):
        value = r["text"] if r["text"] is not None and _na(r["value"]) else \
            fmt_number(r["value"], r["unit"], r["currency"])
        date = r["period"] if isinstance(r["period"], str) else \
            (str(r["as_of"])[:10] if not _na(r["as_of"]) else (r["date_key"] or ""))
        published = str(r["source_published"])[:10] if not _na(r["source_published"]) else "undated"
        quote = r["quote"] if isinstance(r["quote"], str) else ""
        if not quote and isinstance(r.get("derived_from"), str):  # a derivation shows its formula and inputs
            d = json.loads(r["derived_from"])
            quote = f"= {d.get('formula', '')} {_facts(d)}"
        rows.append((r["id"], r["field"], value, r["qualifier"], date, f"{r['source_id']} ({published})", quote,
                     "✓" if r["is_resolved"] else ""))
    _print(_table(f"{res.total} facts for {code}" + (f" · {field}" if field else ""),
                  ("id", "field", "value", "qualifier", "date", "source", "quote", "resolved"), rows))


@handle_errors
def conflicts(code: Optional[str] = typer.Argument(None, help="Listing code or name (default: all)"),
              json_out: bool = typer.Option(False, "--json")) -> None:
    """Values for the same entity, field and date that disagree by more than their qualifiers allow."""
    from ..app.profile import conflicts as conflict_rows

    emit(conflict_rows(open_store(), code), json_out, lambda res: _print(_table(
        f"{res.total} conflicts", ("entity", "field", "date", "A", "source A", "B", "source B"),
        [(r["entity"], r["field"], r["date_key"] or "(deal)", a, r["source_a"], b, r["source_b"])
         for r in res.rows.to_dict("records") for a, b in [pair_text(r)]])))
