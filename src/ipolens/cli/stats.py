"""CLI: ``stats``, ``compare`` and ``report``: parse, call the use case, render. Only typer loads at start-up."""
from __future__ import annotations

import typer

from ._common import emit, fail, handle_errors, open_store, show

JSON = typer.Option(False, "--json", help="Print JSON")
STAT_COLS = ("count", "mean", "median", "pct_positive", "pct_broken", "p10", "p25", "p75", "p90")
NDAY_COLS = ("day", "count", "mean_from_offer", "mean_from_listing_close", "mean_hsi_from_listing_close",
             "mean_excess_vs_hsi", "median_excess_vs_hsi", "pct_beating_hsi")
SPONSOR_COLS, PREMIUM_COLS = ("sponsor", "ipos", "mean", "median", "pct_broken"), ("market", "over", "premium_pct")
LEFT = ("sponsor", "code", "name", "FX (mkt cap)", "FX (revenue)", "note", "id", "title", "publisher", "url")


def _fmt(v, money: bool = False) -> str:
    """A table cell: missing (None/NaN) is an em dash; money in bn/m as the articles quote it; numbers through the
    one formatter (``i18n.format.fmt_value``: one decimal, integers without ".0"); text as it is."""
    from ..i18n.format import fmt_value, is_missing

    if v is None or (isinstance(v, float) and is_missing(v)):
        return "—"
    if not isinstance(v, float):
        return str(v)
    return (f"{v / 1e9:,.2f}bn" if abs(v) >= 1e9 else f"{v / 1e6:,.1f}m") if money else fmt_value(v, precision=1)


def _table(title: str, recs: list[dict], cols) -> None:
    """``cols``: column names (headers ``stats.col.<name>`` from the catalogue) or {header: column or function}."""
    cols = cols if isinstance(cols, dict) else {f"stats.col.{c}": c for c in cols}
    show(title, tuple(cols), [[f(r) if callable(f) else _cell(f, r.get(f)) for f in cols.values()] for r in recs],
         width=160, left=LEFT + tuple(f"stats.col.{c}" for c in LEFT))


def _cell(col: str, v) -> str:
    """A group's name in the reader's language (a route, a market, the "all" row); else the formatted value."""
    from ..i18n import current_lang, t
    from ..report.common import value_label

    if col in ("route", "market") and isinstance(v, str) and v:
        return value_label(col, v, current_lang())
    return t("dash.all") if v == _ALL else _fmt(v)


_ALL = object()  # the "all" row's group name, written in the reader's language


@handle_errors
def stats_cmd(by: str = typer.Option("band", help="band, year, sponsor, route, market, year_market or nday"),
              market: str = typer.Option(None, help="HK, STAR, SH, SZ or NASDAQ (default: all)"),
              year: int = typer.Option(None, help="Listing year"), as_json: bool = JSON,
              years: str = typer.Option(None, help="Listing years as a range, e.g. 2018-2022"),
              all_listings: bool = typer.Option(False, help="Include listings the source does not count as IPOs"),
              top: int = typer.Option(20, help="Sponsor rows to print (table output only)"),
              lake: str = typer.Option(None, "--lake",
                                       help="read a Parquet lake (export --parquet; folder or fsspec URL)")) -> None:
    """First-day return statistics by oversubscription band, year, sponsor or route; N-day returns vs the HSI."""
    from ..app.stats import stats

    def render(res) -> None:
        from ..i18n import t
        from ..report.terminal import known, left_out_text

        d, keys = res.to_dict(), by.split("_")  # year_market groups by year and market
        if by == "nday":
            _table(t("stats.title_nday", n=d["excluded_rows"]), d["days"], NDAY_COLS)
        elif by == "sponsor":
            _table(t("stats.title_sponsor", n=d["sponsors"]), d["groups"][:top], SPONSOR_COLS)
        else:
            _table(t("stats.title_by", by=t(f"stats.by.{by}")), [*d["groups"], {keys[0]: _ALL, **d["all"]}],
                   (*keys, *STAT_COLS))
        if by == "band":
            typer.echo(t("stats.band_note", **{k: d[k] for k in (
                "ipos_banded", "ipos_with_multiple", "ipos_flagged_undersubscribed_without_multiple", "ipos_unbanded")}))
        typer.echo(" ".join(filter(None, [known(d.get("note")), left_out_text(d["left_out"])])))

    emit(stats(open_store(), by, market=market, year=year, ipos_only=not all_listings, years=years, lake=lake),
         as_json, render)


@handle_errors
def compare_cmd(codes: list[str] = typer.Argument(..., help="Codes or names, e.g. 6082.HK 688795 2513.HK HWEP"),
                currency: str = typer.Option("HKD", help="Target currency: HKD, CNY or USD"), as_json: bool = JSON):
    """Market cap, day-1 return, revenue, P/S, R&D intensity in one currency (FX date and source); market medians."""
    from ..app.stats import compare

    def render(res) -> None:
        def fx(r: dict, p: str) -> str:
            rate, src = r[f"{p}_fx_rate"], r[f"{p}_fx_source"]
            return _fmt(src if rate is None or src == "same currency" else f"{r[p + '_fx_pair']} {rate:.6g} on "
                        f"{r[p + '_fx_date']} [{src}]")
        d, c = res.to_dict(), currency.upper()
        money = {f"mkt cap {c}": lambda r: _fmt(r["market_cap_conv"], money=True), "day-1 %": "first_day_return",
                 "P/S": "ps", "R&D/rev %": "rd_intensity"}
        _table(f"Cross-market comparison in {c} (money converted at the valuation date's rate)", d["rows"],
               {"code": "code", "name": "name", "market": "market", **money, "as of": "valuation_date",
                f"revenue {c}": lambda r: _fmt(r["revenue_conv"], money=True), "period": "revenue_period",
                "FX (mkt cap)": lambda r: fx(r, "mc"), "FX (revenue)": lambda r: fx(r, "rev"), "note": "note"})
        _table(f"Median per market ({c})", d["medians"], {"market": "market", "companies": "companies", **money})
        _table("Premium of median market caps, %", [p for p in d["premiums"] if p["market"] < p["over"]], PREMIUM_COLS)
        _table("FX sources", d["fx_sources"], ("id", "title", "publisher", "url"))
        typer.echo("Sources of each value: `ipolens facts CODE --field FIELD`; FX rows: the fx_rates table.")

    emit(compare(open_store(), codes, currency=currency), as_json, render)


@handle_errors
def report_cmd(target: str = typer.Argument(..., help="A code (6082.HK) for an IPO brief, or 'market'"),
               out: str = typer.Option(None, "--out", "-o", help="Output file (default: <code>.html)"),
               lang: str = typer.Option(None, help="en, zh-Hans or zh-Hant (zh = zh-Hans); default: the global --lang"), year: int = typer.Option(None, help="For 'market'"),
               market: str = typer.Option("HK", help="For 'market'")) -> None:
    """Write a self-contained HTML report (charts inline, no network)."""
    from pathlib import Path

    from ..report import ipo_report, market_report

    res = market_report(open_store(), market, year, lang) if target.lower() == "market" else ipo_report(
        open_store(), target, lang)
    try:
        (path := Path(out or res.file_name)).write_text(res.html, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


def register(app: typer.Typer) -> None:
    for name, fn in (("stats", stats_cmd), ("compare", compare_cmd), ("report", report_cmd)):
        app.command(name)(fn)
