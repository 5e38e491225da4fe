"""CLI: ``stats``, ``compare`` and ``report``. Only typer is imported at start-up; the rest loads when a command
runs, so ``ipolens --help`` stays fast."""
from __future__ import annotations

import typer

BY_CHOICES = ("band", "year", "sponsor", "route", "market", "year_market", "nday")


def _open():
    from ._common import open_db

    return open_db()


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code)


def _fmt(v, digits: int = 1, pct: bool = False) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v != v:  # NaN
        return "—"
    if isinstance(v, float):
        s = f"{v:,.{digits}f}"
        return s + ("%" if pct else "")
    return str(v)


def _s(v) -> str:
    """Text cell: missing (None/NaN) shows as an em dash."""
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    from rich.markup import escape

    return escape(str(v))


def _money(v) -> str:
    """HK$ bn / m, the way the articles quote them."""
    if v is None or v != v:
        return "—"
    if abs(v) >= 1e9:
        return f"{v / 1e9:,.2f}bn"
    return f"{v / 1e6:,.1f}m"


def stats_cmd(
    by: str = typer.Option("band", "--by", help=f"Grouping: {', '.join(BY_CHOICES)}"),
    market: str = typer.Option(None, "--market", help="HK, STAR, SH, SZ or NASDAQ (default: all)"),
    year: int = typer.Option(None, "--year", help="Listing year"),
    years: str = typer.Option(None, "--years", help="Listing years as a range, e.g. 2018-2022"),
    all_listings: bool = typer.Option(False, "--all-listings",
                                      help="Include listings the source does not count as IPOs"),
    top: int = typer.Option(20, "--top", help="Sponsor rows to print (table output only)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """First-day return statistics by oversubscription band, year, sponsor or route; N-day returns vs the HSI."""
    if by not in BY_CHOICES:
        _fail(f"--by must be one of {', '.join(BY_CHOICES)}")
    import json

    from ipolens.analytics import stats

    db = _open()
    try:
        ipos = db.ipos(market=market, year=year)
    except ValueError as exc:
        _fail(str(exc))
    if years:
        try:
            lo, _, hi = years.partition("-")
            lo_y, hi_y = int(lo), int(hi or lo)
        except ValueError:
            _fail("--years takes YYYY or YYYY-YYYY")
        ys = ipos["listing_date"].map(lambda d: d.year)
        ipos = ipos[(ys >= lo_y) & (ys <= hi_y)].reset_index(drop=True)
    if by == "nday":
        after = db.aftermarket(market.upper() if market else None)
        keep = stats.ipo_rows(ipos, ipos_only=not all_listings)[["entity", "vendor_discrepancy"]]
        result = stats.nday_vs_index(after.merge(keep, on="entity", how="inner"))
    else:
        result = stats.first_day_by(ipos, by, ipos_only=not all_listings)
    result["filters"] = {"market": market, "year": year, "years": years, "ipos_only": not all_listings}
    result["source"] = "first_day_return: resolved ledger values (see `ipolens facts CODE first_day_return`)"
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    _print_stats(result, by, top)


def _print_stats(result: dict, by: str, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if by == "nday":
        t = Table(title="N-day returns vs HSI (percent; stock re-based to the listing-day close)")
        for c in ("day", "count", "mean from offer", "mean from listing close", "mean HSI", "mean excess",
                  "median excess", "% beating HSI"):
            t.add_column(c, justify="right")
        for r in result["days"]:
            t.add_row(str(r["day"]), str(r["count"]), _fmt(r["mean_from_offer"]), _fmt(r["mean_from_listing_close"]),
                      _fmt(r["mean_hsi_from_listing_close"]), _fmt(r["mean_excess_vs_hsi"]),
                      _fmt(r["median_excess_vs_hsi"]), _fmt(r["pct_beating_hsi"]))
        console.print(t)
        console.print(f"{result['excluded_rows']} rows left out (vendor disagreement on day 0 or no day-0 price). "
                      + result["note"])
        return
    groups = result["groups"]
    if by == "sponsor":
        t = Table(title=f"Sponsor track record ({result['sponsors']} sponsors; first-day return, percent)")
        for c in ("sponsor", "IPOs", "mean debut", "median", "% broken"):
            t.add_column(c, justify="left" if c == "sponsor" else "right")
        for r in groups[:top]:
            t.add_row(r["sponsor"], str(r["ipos"]), _fmt(r["mean"]), _fmt(r["median"]), _fmt(r["pct_broken"]))
        console.print(t)
        console.print(result["note"])
        return
    key = {"band": ["band"], "year": ["year"], "route": ["route"], "market": ["market"],
           "year_market": ["year", "market"]}[by]
    t = Table(title=f"First-day return by {by} (percent)")
    for c in (*key, "n", "mean", "median", "% up", "% broken", "p10", "p25", "p75", "p90"):
        t.add_column(c, justify="right")
    for r in groups:
        t.add_row(*[str(r.get(k)) for k in key], str(r["count"]), _fmt(r["mean"]), _fmt(r["median"]),
                  _fmt(r["pct_positive"]), _fmt(r["pct_broken"]), _fmt(r["p10"]), _fmt(r["p25"]), _fmt(r["p75"]),
                  _fmt(r["p90"]))
    a = result["all"]
    t.add_row(*(["all"] + [""] * (len(key) - 1)), str(a["count"]), _fmt(a["mean"]), _fmt(a["median"]),
              _fmt(a["pct_positive"]), _fmt(a["pct_broken"]), _fmt(a["p10"]), _fmt(a["p25"]), _fmt(a["p75"]),
              _fmt(a["p90"]))
    console.print(t)
    if by == "band":
        console.print(f"{result['ipos_banded']} IPOs banded = {result['ipos_with_multiple']} with a multiple + "
                      f"{result['ipos_flagged_undersubscribed_without_multiple']} flagged under-subscribed; "
                      f"{result['ipos_unbanded']} without either. {result['note']}")


def compare_cmd(
    codes: list[str] = typer.Argument(..., help="Codes or names, e.g. 6082.HK 688795 2513.HK HWEP"),
    currency: str = typer.Option("HKD", "--currency", help="Target currency: HKD, CNY or USD"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Market cap, first-day return, revenue, P/S and R&D intensity in one currency, with each FX rate's date
    and source, then the median per market."""
    import json

    from ipolens.analytics import compare
    from ipolens.api import EntityNotFound

    db = _open()
    try:
        table = compare.gather(db, codes, currency=currency.upper())
    except EntityNotFound as exc:
        _fail(str(exc))
    medians = compare.market_medians(table)
    if as_json:
        out = {"currency": currency.upper(),
               "rows": json.loads(table.to_json(orient="records", date_format="iso")),
               "medians": json.loads(medians.to_json(orient="records"))}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    ccy = currency.upper()
    t = Table(title=f"Cross-market comparison in {ccy} (money converted at the valuation date's rate)")
    for c in ("code", "name", "market", f"mkt cap {ccy}", "as of", "day-1 %", f"revenue {ccy}", "period", "P/S",
              "R&D/rev %", "FX (mkt cap)", "FX (revenue)"):
        t.add_column(c, justify="right" if c not in ("code", "name", "market", "FX (mkt cap)", "FX (revenue)")
                     else "left", overflow="fold")
    for r in table.to_dict("records"):
        t.add_row(_s(r["code"]), _s(r["name"]), _s(r["market"]), _money(r["market_cap_conv"]),
                  _s(r["valuation_date"]), _fmt(r["first_day_return"]), _money(r["revenue_conv"]),
                  _s(r["revenue_period"]), _fmt(r["ps"]), _fmt(r["rd_intensity"]),
                  _fx_text(r, "mc"), _fx_text(r, "rev"))
    console = Console(width=max(160, Console().width))
    console.print(t)
    m = Table(title=f"Median per market ({ccy})")
    for c in ("market", "companies", f"mkt cap {ccy}", "day-1 %", "P/S", "R&D/rev %"):
        m.add_column(c, justify="right")
    for r in medians.to_dict("records"):
        m.add_row(r["market"], str(r["companies"]), _money(r["market_cap_conv"]), _fmt(r["first_day_return"]),
                  _fmt(r["ps"]), _fmt(r["rd_intensity"]))
    console.print(m)
    markets = list(medians["market"])
    for a in markets:
        for b in markets:
            if a < b:
                p = compare.premium(medians, "market_cap_conv", a, b)
                if p is not None:
                    console.print(f"median market cap, {a} over {b}: {p:+,.1f}%")
    for r in table.to_dict("records"):
        if _s(r["note"]) != "—":
            console.print(f"{r['code']}: {_s(r['note'])}")
    used = sorted({str(v) for c in ("mc_fx_source", "rev_fx_source") for v in table[c].dropna()} - {"same currency"})
    for sid in used:
        src = db.ledger.query("SELECT title, publisher, url FROM sources WHERE id = ?", [sid])
        desc = " — ".join(str(x) for x in src.iloc[0].tolist() if x) if len(src) else "(source record not loaded)"
        console.print(f"FX source {_s(sid)}: {_s(desc)}")
    console.print("Sources of each value: `ipolens facts CODE --field FIELD`; FX rows: the fx_rates table.")


def _fx_text(r: dict, prefix: str) -> str:
    if r.get(f"{prefix}_fx_rate") is None or r.get(f"{prefix}_fx_rate") != r.get(f"{prefix}_fx_rate"):
        return "—"
    if r.get(f"{prefix}_fx_source") == "same currency":
        return "same currency"
    return _s(f"{r[f'{prefix}_fx_pair']} {r[f'{prefix}_fx_rate']:.6g} on {r[f'{prefix}_fx_date']} "
              f"[{r[f'{prefix}_fx_source']}]")


def report_cmd(
    target: str = typer.Argument(..., help="A code (6082.HK) for an IPO brief, or 'market' for a market report"),
    out: str = typer.Option(None, "--out", "-o", help="Output HTML file (default: <target>.html)"),
    lang: str = typer.Option("en", "--lang", help="en or zh"),
    market: str = typer.Option("HK", "--market", help="Market for 'report market'"),
    year: int = typer.Option(None, "--year", help="Listing year for 'report market'"),
) -> None:
    """Write a self-contained HTML report (charts inline, no network)."""
    if lang not in ("en", "zh"):
        _fail("--lang must be en or zh")
    from pathlib import Path

    from ipolens.api import EntityNotFound
    from ipolens.report import render_ipo, render_market

    db = _open()
    try:
        if target.lower() == "market":
            html = render_market(db, market=market, year=year, lang=lang)
            default = f"market-{market}-{year or 'all'}.html"
        else:
            html = render_ipo(db, target, lang=lang)
            ent = db.ledger.entity(db.resolve(target)) or {}  # 6082.HK, not whatever spelling was typed
            default = f"{(ent.get('code') or target).replace('/', '_').replace(':', '_')}.html"
    except EntityNotFound as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc))
    path = Path(out or default)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_cmd)
    app.command("compare")(compare_cmd)
    app.command("report")(report_cmd)
