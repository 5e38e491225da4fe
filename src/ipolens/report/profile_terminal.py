"""The profile of one IPO in the terminal (``ipolens ipo``): one screen by default (deal, first day, valuation, a
short fundamentals block, a line per conflict, the sources), every fact grouped with ``--full``.

Groups follow the field vocabulary (``ledger/fields.py``: each field's view), so a new field lands in its group
without a list here: listings -> deal; first_day, aftermarket, market_stats -> trading; financials -> fundamentals;
companies -> company; anything else (product specifications, statements) -> products and other facts.
"""
from __future__ import annotations

import re

from ..i18n import current_lang, t
from ..ledger.fields import FIELDS
from .common import value_label
from .terminal import QUALIFIER_MARK, company_head, company_tables, facts_ref, fmt_value, formula_text, is_missing, \
    known, label, pair_text, table

# The one-screen page: the fields an investor reads first, in this order (a missing one is skipped).
SHORT_DEAL = ("listing_date", "route", "offer_price", "offer_price_low", "offer_price_high", "lot_size",
              "proceeds_gross", "oversubscription_public", "one_lot_success_rate", "lottery_rate",
              "final_public_pct", "cornerstone_share_of_offer")
SHORT_FIRST_DAY = ("grey_market_return", "open_price", "close_price", "first_day_open_return", "first_day_return")
SHORT_VALUATION = ("market_cap", "market_cap_at_offer", "market_cap_at_first_close", "price_to_sales")
NET_RESULT = ("adjusted_net_loss", "net_loss", "net_profit")  # the first one the periods state is shown
SHORT_PERIODS = 3
SHORT_CONFLICTS = 6  # a line each; the rest are counted and shown by --full
SIGNED = ("return", "growth", "change", "cagr")
# a key the profile derives per period pair: revenue_growth_FY2022_FY2023, adjusted_net_loss_change_FY2023_FY2024
DERIVED_PAIR = re.compile(r"^(?P<base>.+)_(?P<kind>growth|change)_(?P<a>[^_]+)_(?P<b>[^_]+)$")
# a field whose coded values are another vocabulary's (a board is a market: STAR -> 科创板); else the field's own
VALUE_VOCABULARY = {"board": "market"}
GROUP_OF_VIEW = {"listings": "deal", "first_day": "trading", "aftermarket": "trading", "market_stats": "trading",
                 "financials": "fundamentals", "companies": "company"}


def field_label(name: str) -> str:
    """The catalogue's label of a field, else its vocabulary label, else its name."""
    base = name.split(" @ ")[0]
    f = FIELDS.get(base)
    m = DERIVED_PAIR.match(base)
    if not f and t(f"field.{base}") == f"field.{base}" and m:  # a derived pair: its field's label and the periods
        return t(f"term.derived_{m['kind']}").format(field=field_label(m["base"]), a=m["a"], b=m["b"]) + \
            name[len(base):]
    text = label(f"field.{base}", f.label if f and f.label != base.replace("_", " ") else base)
    return text + name[len(base):]


def period_label(key: str) -> str:
    """A period key as the page shows it: FY2024 and 2025H1 as they are; the profile's "undated" translated."""
    return t("term.undated") if key == "undated" else key


def value_text(v: dict, name: str = "") -> str:
    """A value as the page shows it: qualifier, number by unit (F1's fmt_value), sign on returns, a range."""
    if v.get("basis") == "missing":
        return f"{t('missing')}: {v.get('missing', '')}".rstrip(": ")
    x = v.get("value")
    if isinstance(x, str):  # a coded value (route, stage, market) in the reader's language when catalogued
        return QUALIFIER_MARK.get(v.get("qualifier") or "exact", "") + \
            value_label(VALUE_VOCABULARY.get(name.split(" @ ")[0], name.split(" @ ")[0]), x, current_lang())
    if is_missing(x):
        return t("missing")
    unit, cur = v.get("unit"), v.get("currency")
    text = fmt_value(x, unit=unit, currency=cur, qualifier=v.get("qualifier"))
    if unit == "pct" and x > 0 and any(w in name for w in SIGNED):
        i = next((n for n, ch in enumerate(text) if ch.isdigit()), 0)
        text = text[:i] + "+" + text[i:]
    if not is_missing(v.get("value_high")):
        text += " – " + fmt_value(v["value_high"], unit=unit, currency=cur)
    return text


class Marks:
    """Source markers [1], [2] … in order of first use; [d] for a value ipolens derived."""

    def __init__(self):
        self.ids: dict[str, str] = {}

    def of_source(self, src: str) -> str:
        if str(src).startswith("derived:"):  # ipolens's own recomputation: no source to list
            return "[d]"
        return self.ids.setdefault(src, f"[{len(self.ids) + 1}]")

    def of(self, v: dict) -> str:
        if v.get("basis") in ("derived", "missing"):
            return "[d]" if v["basis"] == "derived" else ""
        return self.of_source(v.get("source")) + ("*" if v.get("basis") == "derived_by_source" else "")


def print_profile(p: dict, full: bool = False, console=None) -> None:
    from rich.console import Console

    con = console or Console()
    (_print_full if full else _print_short)(p, con)


# -- one screen ----------------------------------------------------------------------------------------------------
def _pairs(section: dict, names: tuple, marks: Marks) -> list[tuple[str, str]]:
    out = []
    for n in names:
        v = section.get(n)
        if isinstance(v, dict) and "basis" in v:
            note = f" ({v['as_of']})" if n.startswith("market_cap") and v.get("as_of") else ""
            out.append((field_label(n), f"{value_text(v, n)} {marks.of(v)}{note}".strip()))
    return out


def _grid(items: list[tuple[str, str]], width: int):
    """Label/value pairs, two to a line when both fit the width unfolded, else one to a line."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    lw = max(cell_len(a) for a, _ in items)
    vw = max(cell_len(b) for _, b in items)
    per_line = 2 if 2 * (lw + vw) + 3 <= width else 1
    g = Table.grid(padding=(0, 1))
    for _ in range(per_line):
        g.add_column(style="dim", no_wrap=True)
        g.add_column(overflow="fold", min_width=min(vw, width - lw - 1))
    for i in range(0, len(items), per_line):
        chunk = items[i:i + per_line]
        chunk += [("", "")] * (per_line - len(chunk))
        g.add_row(*(Text(cell) for pair in chunk for cell in pair))
    return g


def _fundamentals_short(p: dict, marks: Marks):
    """The last periods (fiscal years and a later interim) with revenue, the net result and R&D; None if empty."""
    from rich.table import Table
    from rich.text import Text

    periods = p["fundamentals"].get("periods", {})
    keys = [k for k in periods if k[:2] == "FY" or k[:1].isdigit()][-SHORT_PERIODS:]
    if not keys:
        return None
    net = next((n for n in NET_RESULT if any(n in periods[k] for k in keys)), None)
    cols = [c for c in ("revenue", net, "rd_expense") if c and any(c in periods[k] for k in keys)]
    if not cols:
        return None
    tab = Table(box=None, show_edge=False, pad_edge=False, header_style="dim")
    tab.add_column(t("term.period"), no_wrap=True)
    for c in cols:
        tab.add_column(field_label(c), justify="right", overflow="fold")
    for k in keys:
        vals = periods[k]
        tab.add_row(Text(k), *(Text(f"{value_text(vals[c], c)} {marks.of(vals[c])}" if c in vals else "—")
                               for c in cols))
    return tab


def _conflict_lines(p: dict, marks: Marks) -> list[str]:
    out = []
    for c in p.get("conflicts", []):
        a, b = pair_text(c)
        out.append(f"  {field_label(c['field'])} ({c.get('date_key') or t('term.deal_date')}): "
                   f"{a} {marks.of_source(c['source_a'])} ≠ {b} {marks.of_source(c['source_b'])}")
    return out


def _source_line(mark: str, s: dict) -> str:
    date = s.get("published") or t("term.undated")
    publisher = s.get("publisher") or t("term.publisher_not_stated")
    return f"{mark} {s.get('title', s.get('id'))} — {publisher} ({date}) [{s.get('kind', '')}]"


def _print_short(p: dict, con) -> None:
    from rich.rule import Rule
    from rich.text import Text

    marks = Marks()
    con.print(Rule(Text(_title(p), style="bold")))
    shown = 0
    blocks = (("term.section.deal", p["deal"], SHORT_DEAL), ("term.section.first_day", p["first_day"],
                                                             SHORT_FIRST_DAY),
              ("term.section.valuation", p["valuation"], SHORT_VALUATION))
    for key, section, names in blocks:
        items = _pairs(section, names, marks)
        if items:
            con.print(Text(t(key), style="bold"))
            con.print(_grid(items, con.width))
            shown += len(items)
    fund = _fundamentals_short(p, marks)
    if fund is not None:
        con.print(Text(t("term.section.fundamentals"), style="bold"))
        con.print(fund)
        cagr = p["fundamentals"].get("derived", {}).get("revenue_cagr")
        if cagr:
            con.print(Text(f"{field_label('revenue_cagr')} {cagr.get('start', '')}–{cagr.get('end', '')}: "
                           f"{value_text(cagr, 'revenue_cagr')} [d]", style="dim"))
    comp = p.get("company") or {}
    others = comp.get("other_listings") or []
    if others:  # the company line, its other listings, and the H/A discount notes (one line each)
        con.print(Text(company_head(comp, p["entity"]), style="bold"))
        con.print(Text(f"  {t('term.other_listings')}: " + ", ".join(
            f"{x.get('code') or x.get('key')} ({x.get('share_class') or x.get('role') or ''})".replace(" ()", "")
            for x in others)))
        for note in company_tables(comp, p["entity"])[1:]:
            con.print(Text(f"  {note}"), no_wrap=True, overflow="ellipsis")
    lines = _conflict_lines(p, marks)
    if lines:
        con.print(Text(f"{t('term.section.conflicts')} ({len(lines)})", style="bold"))
        for line in lines[:SHORT_CONFLICTS]:
            con.print(Text(line), no_wrap=True, overflow="ellipsis")
        if len(lines) > SHORT_CONFLICTS:
            con.print(Text(f"  … +{len(lines) - SHORT_CONFLICTS} (--full)", style="dim"))
    con.print(Text(t("term.section.sources"), style="bold"))
    for src, mark in marks.ids.items():
        con.print(Text(_source_line(mark, p["sources"].get(src, {}) | {"id": src})), no_wrap=True,
                  overflow="ellipsis")
    more = _count_values(p) - shown
    hint = t("term.more_in_full").format(n=more, cmd=f"ipolens ipo {p.get('code') or p['entity']} --full")
    con.print(Text(f"{hint}  [d] {t('term.derived_short')}", style="dim"), no_wrap=True, overflow="ellipsis")


def _title(p: dict) -> str:
    return f"{p.get('code') or p['entity']}  {p.get('name_en') or ''}  {p.get('name_zh') or ''}".strip()


def _count_values(p: dict) -> int:
    return sum(len(rows) for _, rows in full_sections(p, Marks()))


# -- everything, grouped -------------------------------------------------------------------------------------------
def _note(name: str, v: dict, marks: Marks) -> str:
    note = v.get("as_of") or v.get("period") or ""
    if v.get("basis") == "derived":
        note = f"{formula_text(v['derivation']['formula'])}  {facts_ref(v['derivation'])}".strip()
        if v.get("fx"):
            fx = v["fx"]
            note += f"; {t('report.fx')} " + t("report.fx_note").format(pair=fx["pair"], rate=f"{fx['rate']:.5g}",
                                                                           date=fx["date"], source=fx["source"])
        for s in v.get("stated_values", []):
            verdict = t("term.agrees") if s["agrees_with_derived"] else t("term.disagrees")
            note += f"; {t('term.stated')} {value_text(s, name)} {marks.of(s)} {verdict}"
    elif v.get("label"):
        note = f"{note} {known(v['label'])}".strip()
    if v.get("recomputed"):
        r = v["recomputed"]
        note += (f"; {t('term.disagrees')}: {value_text(r, name)} = {formula_text(r['derivation']['formula'])} "
                 f"{facts_ref(r['derivation'])}").rstrip()
    if v.get("other_values"):
        note += ("; " if note else "") + t("term.also") + " " + ", ".join(
            f"{value_text(a, name)} {marks.of(a)}" for a in v["other_values"])
    return note


def _group(name: str) -> str:
    f = FIELDS.get(name)
    return GROUP_OF_VIEW.get(f.view, "other") if f else "other"


def full_sections(p: dict, marks: Marks) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Every value of the profile as (title, rows of field, value, source mark, date/note), grouped."""
    other = {(name if "series" not in v else f"{name} @ {i.get('as_of') or i.get('period') or n}"): (name, i)
             for name, v in p.get("other", {}).items() for n, i in enumerate(v["series"] if "series" in v else [v])}
    extra = {g: {k: i for k, (name, i) in other.items() if _group(name) == g}
             for g in ("deal", "trading", "fundamentals", "company", "other")}
    series = p["valuation"].get("market_cap_series") or []
    sections = [(t("term.section.deal"), {**p["deal"], **extra["deal"]}),
                (t("term.section.first_day"), p["first_day"]),
                (t("term.section.valuation"), {k: v for k, v in p["valuation"].items() if k != "market_cap_series"}),
                (t("term.section.market_cap_series"),
                 {f"market_cap @ {v.get('as_of') or t('term.undated')}": v for v in series} if len(series) > 1 else {}),
                (t("term.section.trading_other"), extra["trading"]),
                *((f"{t('term.section.fundamentals')} {period_label(k)}", v)
                  for k, v in p["fundamentals"].get("periods", {}).items()),
                (t("term.section.fundamentals_derived"), p["fundamentals"].get("derived", {})),
                (t("term.section.fundamentals_other"), extra["fundamentals"]),
                (t("term.section.company"), extra["company"]),
                (t("term.section.other"), extra["other"])]
    out = []
    for title, items in sections:
        rows = [(field_label(name), value_text(v, name), marks.of(v), _note(name, v, marks))
                for name, v in items.items() if isinstance(v, dict) and "basis" in v]
        if rows:
            out.append((title, rows))
    return out


def _print_full(p: dict, con) -> None:
    from rich.rule import Rule
    from rich.text import Text

    marks = Marks()
    con.print(Rule(Text(_title(p), style="bold")))
    heads = (t("term.col.field"), t("term.col.value"), t("term.col.src"), t("term.col.note"))
    for title, rows in full_sections(p, marks):
        con.print(table(title, heads, rows, title_justify="left", header_style="bold"))
    comp = p.get("company") or {}
    if comp.get("other_listings") or comp.get("not_in_ledger") or comp.get("ah_discount"):
        for thing in company_tables(comp, p["entity"]):
            con.print(thing)
    if p.get("conflicts"):
        con.print(table(t("term.section.conflicts"),
                        (t("term.col.field"), t("term.col.date"), "A", t("term.col.src_a"), "B", t("term.col.src_b")),
                        [(field_label(c["field"]), c["date_key"] or t("term.deal_date"), a,
                          marks.of_source(c["source_a"]), b, marks.of_source(c["source_b"]))
                         for c in p["conflicts"] for a, b in [pair_text(c)]], title_justify="left"))
    legend = [(m, _source_line("", p["sources"].get(k, {}) | {"id": k}).strip()) for k, m in marks.ids.items()]
    legend += [("[d]", t("term.derived_long")), ("*", t("term.derived_by_source"))]
    con.print(table(t("term.section.sources"), ("", ""), legend, title_justify="left", show_header=False))
    con.print(Text(t("term.qualifiers_legend"), style="dim"))
