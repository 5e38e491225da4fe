"""Core commands: ipo, ipos, facts, conflicts. Each parses, calls one use case of ``app.profile``, renders."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from ._common import FULL_PRECISION as _FULL_PRECISION, emit, fail, handle_errors, \
    is_missing as _na, open_store, print_out as _print, table as _table, wants_full_precision
from ..report.terminal import facts_ref as _facts, fmt_value, formula_text, label, pair_text, tidy_frame

# The summary's columns, most important first: a narrow terminal leaves out the last ones and says so.
IPOS_PRIORITY = ("code", "listing_date", "offer_price", "currency", "lot_size", "one_lot_success_rate",
                 "first_day_return", "oversubscription_public", "name_en", "lots_to_secure_one_lot",
                 "grey_market_return", "name_zh", "route", "sponsors")
# The terminal summary leaves out what the code column already says and what has its own command (the market cap).
IPOS_HIDDEN = ("entity", "market", "public_undersubscribed", "market_cap", "market_cap_as_of", "proceeds_gross",
               "counts_as_ipo")
_WRAP = ("name_en", "name_zh", "route", "sponsors")


def register(app: typer.Typer) -> None:
    for fn in (ipo, ipos, facts, conflicts):
        app.command(fn.__name__)(fn)


@handle_errors
def ipo(code: str = typer.Argument(..., help="Listing code in any spelling (6082.HK, 06082, 6082 HK) or a name"),
        json_out: bool = typer.Option(False, "--json", help="Print the profile as JSON (keys: see README)"),
        full: bool = typer.Option(False, "--full", help="Every fact, grouped: deal, trading, fundamentals, products "
                                                        "and other facts (default: one screen)")) -> None:
    """Profile of one IPO on one screen: deal, first day, valuation, fundamentals, conflicts; --full for all."""
    from ..app.profile import ipo_profile  # use cases load when a command runs: start-up imports only typer
    from ..report.profile_terminal import print_profile

    emit(ipo_profile(open_store(), code), json_out, lambda r: print_profile(r.to_dict(), full=full))


@handle_errors
def ipos(market: Optional[str] = typer.Option(None, help="HK | STAR | SH | SZ | NASDAQ"),
         year: Optional[int] = typer.Option(None, help="Listing year"),
         sort: Optional[str] = typer.Option(None, help="Column to sort by; prefix with - for descending"),
         q: Optional[str] = typer.Option(None, "--search", "-q", help="Substring of code or name"),
         ipos_only: bool = typer.Option(False, "--ipos-only", help="Leave out introductions and transfers"),
         undated: bool = typer.Option(False, "--undated", help="List the listings without a listing date"),
         fmt: str = typer.Option("table", "--format", help="table | csv | json"),
         all_columns: bool = typer.Option(False, "--all-columns", help="Every resolved column, not the summary (in "
                                                                       "column pages that fit the terminal)"),
         limit: Optional[int] = typer.Option(None, min=0, help="Show at most N rows"),
         full_precision: bool = _FULL_PRECISION) -> None:
    """List IPOs from the ledger and say what it left out. Percent columns are percent numbers; money is in ccy."""
    if fmt not in ("table", "csv", "json"):
        fail(f"unknown format {fmt!r}; expected table, csv or json")
    from ..app.profile import ipos as ipo_table
    from ..report.terminal import left_out_text as text

    res = ipo_table(open_store(), market=market, year=year, sort=sort, q=q, ipos_only=ipos_only, limit=limit,
                    all_columns=all_columns, undated=undated)
    if fmt == "csv":
        return tidy_frame(res.rows, full_precision or wants_full_precision()).to_csv(sys.stdout, index=False)
    from ..i18n import current_lang, t
    from ..report.common import value_label

    emit(res, fmt == "json", lambda r: print_ipos(
        r.rows, f"{len(r.rows)} {t('term.undated_listings') if undated else t('term.ipos')}"
        + (f" · {value_label('market', market.upper(), current_lang())}" if market else "") + (f" · {year}" if year else "") + f" ({t('term.pct_note')})",
        all_columns, text(r.left_out)))


def print_ipos(df, title: str, all_columns: bool, note: str, console=None) -> list[str]:
    """The IPO table fitted to the terminal (columns by priority, the hidden ones named); ``all_columns``: every
    column in column pages. Returns the headers left out."""
    from ..ledger.fields import FIELDS
    from ..report.columns_terminal import Col, render

    df = df if all_columns else df.drop(columns=[c for c in IPOS_HIDDEN if c in df.columns])
    kinds = {c: FIELDS[c].kind if c in FIELDS else "text" for c in df.columns}
    cells = [[_cell(v, kinds[c], c) for c, v in zip(df.columns, r)] for r in df.itertuples(index=False)]
    cols = [Col(c, label(f"col.{c}", c), numeric=kinds[c] not in ("text", "date"), wrap=c in _WRAP)
            for c in df.columns]
    from ..i18n import current_lang

    priority = list(IPOS_PRIORITY)
    if current_lang().startswith("zh"):  # a Chinese reader keeps the Chinese name before the English one
        priority.remove("name_zh")
        priority.insert(priority.index("name_en"), "name_zh")
    return render(title, cols, cells, console, priority=priority, all_columns=all_columns,
                  notes=(note,), key="code",
                  option="--all-columns")


def _cell(v, kind: str, column: str = "") -> str:
    if _na(v):
        return ""
    if column in ("currency", "route") and isinstance(v, str):  # a coded value in the reader's language
        from ..i18n import current_lang, has, t

        if current_lang() == "en":
            return v
        return t(f"currency_name.{v}") if column == "currency" and has(f"currency_name.{v}") else \
            _coded_text(column, v)
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
    from ..report.profile_terminal import field_label

    rows = []
    for r in res.rows.to_dict("records"):
        r = {k: None if _na(v) else v for k, v in r.items()}  # a missing unit is no unit, never "nan"
        value = _coded_text(r["field"], r["text"]) if r["text"] is not None and r["value"] is None else \
            fmt_value(r["value"], unit=r["unit"], currency=r["currency"])
        date = r["period"] if isinstance(r["period"], str) else \
            (str(r["as_of"])[:10] if not _na(r["as_of"]) else (r["date_key"] or ""))
        published = str(r["source_published"])[:10] if not _na(r["source_published"]) else label("term.undated")
        quote = r["quote"] if isinstance(r["quote"], str) else ""
        if not quote and isinstance(r.get("derived_from"), str):  # a derivation shows its formula and inputs
            d = json.loads(r["derived_from"])
            quote = f"= {formula_text(d.get('formula', ''))} {_facts(d)}".strip()
        qualifier = label(f"qualifier.{r['qualifier']}", r["qualifier"]) if r["qualifier"] else ""
        rows.append((r["id"], field_label(r["field"]), value, qualifier, date, f"{r['source_id']} ({published})", quote,
                     "✓" if r["is_resolved"] else ""))
    from ..report.columns_terminal import Col, render

    h = {k: label(f"term.col.{k}", k) for k in ("id", "field", "value", "qualifier", "date", "source", "quote",
                                                  "resolved")}
    cols = [Col("id", h["id"], numeric=True), Col("field", h["field"], wrap=True, wrap_min=14),
            Col("value", h["value"], numeric=True, wrap=True, wrap_min=14), Col("qualifier", h["qualifier"]),
            Col("date", h["date"]), Col("source", h["source"], wrap=True, wrap_min=16),
            Col("quote", h["quote"], wrap=True, wrap_min=16), Col("resolved", h["resolved"])]
    render(label("term.facts_title").format(n=res.total, code=code) + (f" · {field}" if field else ""), cols,
           [[str(x) for x in r] for r in rows],
           priority=["field", "value", "date", "resolved", "source", "id", "qualifier", "quote"])


def _coded_text(field: str, text: str) -> str:
    """A text value: a coded one (a route, a board) in the reader's language, anything else as the source wrote it."""
    from ..i18n import current_lang
    from ..report.common import value_label
    from ..report.profile_terminal import VALUE_VOCABULARY

    return value_label(VALUE_VOCABULARY.get(field, field), text, current_lang())


@handle_errors
def conflicts(code: Optional[str] = typer.Argument(None, help="Listing code or name (default: all)"),
              json_out: bool = typer.Option(False, "--json")) -> None:
    """Values for the same entity, field and date that disagree by more than their qualifiers allow."""
    from ..app.profile import conflicts as conflict_rows
    from ..report.profile_terminal import field_label

    heads = tuple(label(f"term.col.{k}") for k in ("entity", "field", "date")) + \
        ("A", label("term.col.source_a"), "B", label("term.col.source_b"))
    emit(conflict_rows(open_store(), code), json_out, lambda res: _print(_table(
        label("term.conflicts_title").format(n=res.total), heads,
        [(r["entity"], field_label(r["field"]), r["date_key"] or f"({label('term.deal_date')})", a, r["source_a"], b,
          r["source_b"]) for r in res.rows.to_dict("records") for a, b in [pair_text(r)]])))
