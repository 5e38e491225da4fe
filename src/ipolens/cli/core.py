"""Core commands: ipo, ipos, facts, conflicts, import."""
from __future__ import annotations

import json
from typing import Optional

import typer

from ._common import dump_json, fail, fmt_number, handle_errors, open_db

QUALIFIER_MARK = {"exact": "", "about": "约 ", "nearly": "近 ", "more_than": "> ", "at_least": "≥ ",
                  "at_most": "≤ ", "range": "", "order_of_magnitude": "~ "}


def register(app: typer.Typer) -> None:
    app.command("ipo")(ipo)
    app.command("ipos")(ipos)
    app.command("facts")(facts)
    app.command("conflicts")(conflicts)
    app.command("import")(import_cmd)


@handle_errors
def ipo(code: str = typer.Argument(..., help="Listing code in any spelling (6082.HK, 06082, 6082 HK) or a name"),
        json_out: bool = typer.Option(False, "--json", help="Print the profile as JSON (keys: see README)")) -> None:
    """Profile of one IPO: deal, first day, valuation and fundamentals, each value with its source."""
    db = open_db()
    prof = db.ipo(code)
    if json_out:
        dump_json(prof.to_dict())
        return
    _print_profile(prof.to_dict())


def _print_profile(p: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    markers: dict[str, str] = {}

    def mark(v: dict) -> str:
        src = v.get("source")
        if v.get("basis") == "derived":
            return "[d]"
        if v.get("basis") == "missing":
            return ""
        if src not in markers:
            markers[src] = f"[{len(markers) + 1}]"
        m = markers[src]
        return m + ("*" if v.get("basis") == "derived_by_source" else "")

    def show(v: dict, name: str = "") -> str:
        if v.get("basis") == "missing":
            return f"missing: {v['missing']}"
        q = QUALIFIER_MARK.get(v.get("qualifier", "exact"), "")
        val = fmt_number(v.get("value"), v.get("unit"), v.get("currency"), name)
        if v.get("value_high") is not None:
            val += " – " + fmt_number(v["value_high"], v.get("unit"), v.get("currency"), name)
        return q + val

    def section(title: str, items: dict, labels: dict | None = None) -> None:
        t = Table(title=title, title_justify="left", show_header=True, header_style="bold")
        t.add_column("field")
        t.add_column("value", justify="right")
        t.add_column("src")
        t.add_column("date / note", overflow="fold")
        for name, v in items.items():
            if not isinstance(v, dict) or "basis" not in v:
                continue
            note = v.get("as_of") or v.get("period") or ""
            if v.get("basis") == "derived":
                note = v["derivation"]["formula"] + "  (facts " + ", ".join(
                    f"#{i}" for i in v["derivation"]["facts"]) + ")"
                if v.get("fx"):
                    fx = v["fx"]
                    note += f"; FX {fx['pair']} {fx['rate']:.5g} on {fx['date']} ({fx['source']})"
                for s in v.get("stated_values", []):
                    verdict = "agrees" if s["agrees_with_derived"] else "DISAGREES"
                    note += f"; stated {QUALIFIER_MARK.get(s['qualifier'], '')}{s['value']:g} {mark(s)} {verdict}"
            elif v.get("label"):
                note = f"{note} {v['label']}".strip()
            if v.get("recomputed"):
                r = v["recomputed"]
                note += (f"; DISAGREES with {r['value']:+.2f} recomputed as {r['derivation']['formula']} (facts "
                         + ", ".join(f"#{i}" for i in r["derivation"]["facts"]) + ")")
            alts = v.get("other_values") or []
            if alts:
                note += ("; " if note else "") + "also " + ", ".join(f"{show(a, name)} {mark(a)}" for a in alts)
            t.add_row(*(escape(c) for c in ((labels or {}).get(name, name), show(v, name), mark(v), note)))
        if t.row_count:
            console.print(t)

    title = f"{p['code'] or p['entity']}  {p.get('name_en') or ''}  {p.get('name_zh') or ''}".strip()
    console.rule(f"[bold]{title}")
    section("Deal", p["deal"])
    section("First day", p["first_day"])
    val = {k: v for k, v in p["valuation"].items() if k != "market_cap_series"}
    section("Valuation", val)
    series = p["valuation"].get("market_cap_series") or []
    if len(series) > 1:
        section("Market cap, dated series", {f"market_cap @ {v.get('as_of') or 'undated'}": v for v in series})
    for period, vals in p["fundamentals"].get("periods", {}).items():
        section(f"Fundamentals {period}", vals)
    section("Fundamentals, derived", p["fundamentals"].get("derived", {}))
    other: dict = {}
    for name, v in p.get("other", {}).items():
        for i, item in enumerate(v["series"] if "series" in v else [v]):
            label = name if "series" not in v else f"{name} @ {item.get('as_of') or item.get('period') or i}"
            other[label] = item
    section("Other facts", other)
    if p["conflicts"]:
        t = Table(title="Conflicts (kept, not merged)", title_justify="left")
        for c in ("field", "date", "value A", "src A", "value B", "src B"):
            t.add_column(c)
        for c in p["conflicts"]:
            a, b = _pair_text(c)
            t.add_row(*(escape(str(x)) for x in (
                c["field"], c["date_key"] or "(deal)", a, _marker_for(markers, c["source_a"]), b,
                _marker_for(markers, c["source_b"]))))
        console.print(t)
    legend = Table(title="Sources", title_justify="left", show_header=False)
    legend.add_column("mark")
    legend.add_column("source", overflow="fold")
    for src, m in markers.items():
        s = p["sources"].get(src, {})
        date = s.get("published") or s.get("date_note") or "undated"
        legend.add_row(escape(m), escape(f"{s.get('title', src)} — {s.get('publisher') or 'publisher not stated'} "
                                         f"({date}) [{s.get('kind', '')}]"))
    legend.add_row(escape("[d]"), "derived by ipolens from the facts listed (formula shown)")
    legend.add_row("*", "derived by the source itself, not a reported figure")
    console.print(legend)
    console.print("Qualifiers: 约 about, 近 nearly (just under), > more than, ≥ at least, ~ order of magnitude.")


def _marker_for(markers: dict, src: str) -> str:
    if src not in markers:
        markers[src] = f"[{len(markers) + 1}]"
    return markers[src]


IPOS_COLUMNS = ["code", "name_en", "name_zh", "listing_date", "lot_size", "offer_price", "currency",
                "oversubscription_public", "one_lot_success_rate", "lots_to_secure_one_lot", "first_day_return",
                "grey_market_return", "route", "sponsors"]


@handle_errors
def ipos(market: Optional[str] = typer.Option(None, help="HK | STAR | SH | SZ | NASDAQ"),
         year: Optional[int] = typer.Option(None, help="Listing year"),
         sort: Optional[str] = typer.Option(None, help="Column to sort by; prefix with - for descending"),
         fmt: str = typer.Option("table", "--format", help="table | csv | json"),
         all_columns: bool = typer.Option(False, "--all-columns", help="Every resolved column, not the summary"),
         limit: Optional[int] = typer.Option(None, min=0, help="Show at most N rows")) -> None:
    """List IPOs from the ledger. Percent columns are percent numbers; money is in the currency column."""
    if fmt not in ("table", "csv", "json"):
        fail(f"unknown format {fmt!r}; expected table, csv or json")
    db = open_db()
    df = db.ipos(market=market, year=year, sort=sort)
    if not all_columns:
        df = df[[c for c in IPOS_COLUMNS if c in df.columns]]
    if limit is not None:
        df = df.head(limit)
    if fmt == "csv":
        import sys

        df.to_csv(sys.stdout, index=False)
        return
    if fmt == "json":
        dump_json(df.astype(object).where(df.notna(), None).to_dict("records"))
        return
    from rich.console import Console
    from rich.table import Table

    from ..ledger.fields import FIELDS

    console = Console()
    if not all_columns:  # a narrow terminal drops the wide text columns rather than squeezing every column
        drop = (["route", "sponsors"] if console.width < 170 else []) + \
               (["name_zh", "grey_market_return"] if console.width < 125 else []) + \
               (["lot_size", "one_lot_success_rate", "lots_to_secure_one_lot"] if console.width < 100 else [])
        df = df.drop(columns=[c for c in drop if c in df.columns])
    t = Table(title=f"{len(df)} IPOs" + (f" · {market}" if market else "") + (f" · {year}" if year else "")
              + " (returns and rates in %)")
    kinds = {c: FIELDS[c].kind if c in FIELDS else "text" for c in df.columns}
    cells = [[_cell(v, kinds[c]) for c, v in zip(df.columns, r)] for r in df.itertuples(index=False)]
    for i, c in enumerate(df.columns):
        numeric = kinds[c] not in ("text", "date")
        # numbers, codes and dates are never cut (114.28 must not print as 114.); names wrap instead
        whole = max([len(row[i]) for row in cells] + [1]) if numeric or c == "code" else None
        t.add_column(IPOS_HEADERS.get(c, c), justify="right" if numeric else "left",
                     min_width=whole if whole else (3 if c == "currency" else 10 if kinds[c] == "date" else 8),
                     no_wrap=numeric or c in ("code", "listing_date"), overflow="ellipsis" if c in ("sponsors", "route")
                     else "fold", max_width=24)
    for row in cells:
        t.add_row(*row)
    console.print(t)


IPOS_HEADERS = {"oversubscription_public": "oversub x", "one_lot_success_rate": "1-lot %",
                "lots_to_secure_one_lot": "lots for 1", "first_day_return": "day-1 %", "grey_market_return": "grey %",
                "listing_date": "listed", "offer_price": "offer", "lot_size": "lot", "currency": "ccy"}


def _cell(v, kind: str) -> str:
    if _na(v):
        return ""
    if isinstance(v, float):
        if kind in ("pct", "x"):
            return f"{v:,.2f}"
        if kind in ("shares", "count", "flag") and v.is_integer():
            return f"{int(v):,}"
        if kind == "money" and abs(v) < 1e6:  # a price keeps its cents and any third decimal: 114.28, 0.225
            text = f"{v:,.4f}".rstrip("0")
            return text + "0" * max(0, 2 - len(text.split(".")[1]))
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def _na(v) -> bool:
    try:
        return v is None or v != v
    except (TypeError, ValueError):
        return False


@handle_errors
def facts(code: str = typer.Argument(..., help="Listing code or name"),
          field: Optional[str] = typer.Option(None, "--field", help="Only this field (e.g. market_cap)"),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Ledger rows for one listing: every value with its source, date, qualifier and quote."""
    db = open_db()
    df = db.facts(code, field)
    if json_out:
        dump_json(df.astype(object).where(df.notna(), None).to_dict("records"))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"{len(df)} facts for {code}" + (f" · {field}" if field else ""))
    for c in ("id", "field", "value", "qualifier", "date", "source", "quote", "resolved"):
        t.add_column(c, overflow="fold")
    for r in df.to_dict("records"):
        value = r["text"] if r["text"] is not None and r["value"] != r["value"] else fmt_number(
            r["value"], r["unit"], r["currency"])
        date = r["period"] if isinstance(r["period"], str) else (str(r["as_of"])[:10] if not _na(r["as_of"])
                                                                  else (r["date_key"] or ""))
        src = f"{r['source_id']} ({str(r['source_published'])[:10] if not _na(r['source_published']) else 'undated'})"
        quote = r["quote"] if isinstance(r["quote"], str) else ""
        if not quote and isinstance(r.get("derived_from"), str):  # a derivation shows its formula and inputs
            d = json.loads(r["derived_from"])
            quote = f"= {d.get('formula', '')} (facts " + ", ".join(f"#{i}" for i in d.get("facts", [])) + ")"
        t.add_row(*(escape(str(x)) for x in (r["id"], r["field"], value, r["qualifier"], date, src,
                                             quote, "✓" if r["is_resolved"] else "")))
    Console().print(t)


def _compact(v: float) -> str:
    """855.4亿 rather than 8.554e+10: the way the sources write large amounts."""
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.6g}亿"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.6g}万"
    return f"{v:,.6g}"


def _pair_text(r: dict) -> tuple[str, str]:
    """The two sides of a conflict as the sources write them; a pair in two currencies shows B in A's currency."""
    def side(x: str) -> str:
        if _na(r[f"value_{x}"]):
            return str(r[f"text_{x}"])
        return f"{QUALIFIER_MARK.get(r[f'qualifier_{x}'], '')}{_compact(r[f'value_{x}'])}"

    a, b = side("a"), side("b")
    if not _na(r.get("fx_rate_lo")):  # two currencies: B converted into A's, at the dated rates
        a += f" {r['currency_a']}"
        b += (f" {r['currency_b']} = {_compact(r['value_b_converted_lo'])}–{_compact(r['value_b_converted_hi'])}"
              f" {r['currency_a']} at {r['fx_rate_lo']:.5g}–{r['fx_rate_hi']:.5g} ({r['fx_dates']}, "
              f"{r['fx_source']})")
    return a, b


@handle_errors
def conflicts(code: Optional[str] = typer.Argument(None, help="Listing code or name (default: all)"),
              json_out: bool = typer.Option(False, "--json")) -> None:
    """Values for the same entity, field and date that disagree by more than their qualifiers allow."""
    db = open_db()
    df = db.conflicts(code)
    if json_out:
        dump_json(df.astype(object).where(df.notna(), None).to_dict("records"))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{len(df)} conflicts")
    for c in ("entity", "field", "date", "A", "source A", "B", "source B"):
        t.add_column(c, overflow="fold")
    for r in df.to_dict("records"):
        a, b = _pair_text(r)
        t.add_row(r["entity"], r["field"], r["date_key"] or "(deal)", a, r["source_a"], b, r["source_b"])
    Console().print(t)


def import_cmd(file: str = typer.Argument(..., help="CSV or XLSX of listings or facts (or: prices FILE)"),
               file2: Optional[str] = typer.Argument(None, hidden=True),
               source_title: Optional[str] = typer.Option(None, "--source-title", help="Title of the source"),
               mapping: Optional[str] = typer.Option(None, "--mapping", help="YAML column mapping"),
               kind: str = typer.Option("user", "--kind", help="Source kind: user | dataset | prospectus | "
                                                               "exchange_filing | news"),
               publisher: Optional[str] = typer.Option(None), published: Optional[str] = typer.Option(None),
               url: Optional[str] = typer.Option(None),
               code: Optional[str] = typer.Option(None, "--code", help="prices: the listing, when the file has "
                                                                      "no code column")) -> None:
    """Import listings or facts in one transaction; any bad cell aborts the import and changes nothing."""
    if file == "prices":
        if not file2:
            fail("usage: ipolens import prices FILE")
        from ..data.prices import PriceImportError, import_prices

        db = open_db()
        try:
            n = import_prices(db.ledger, file2, source_title=source_title, code=code)
        except (PriceImportError, FileNotFoundError) as exc:
            fail(f"{exc}")
        typer.echo(f"imported {n} price rows from {file2}")
        return
    if file2:
        fail(f"unexpected extra argument {file2!r}")
    if not source_title:
        fail("--source-title is required: every imported value must name its source")
    from ..data.importer import ImportFailed, import_file
    from ..ledger.model import FactError

    db = open_db()
    try:
        res = import_file(db.ledger, file, source_title, mapping, source_kind=kind, publisher=publisher,
                          published=published, url=url)
    except ImportFailed as exc:
        for p in exc.problems:
            typer.echo(f"error: {p}", err=True)
        typer.echo(f"import aborted: {len(exc.problems)} problem(s); the ledger is unchanged", err=True)
        raise typer.Exit(2)
    except FactError as exc:
        fail(f"{file}: {exc}; the ledger is unchanged")
    typer.echo(f"imported {res['facts']} facts for {res['entities']} listings from {res['rows']} rows "
               f"as source {res['source_id']}")
