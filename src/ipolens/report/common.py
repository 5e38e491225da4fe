"""Shared pieces of the HTML reports: labels from the catalogue (``ipolens.i18n``, en / zh-Hans / zh-Hant), numbers
through ``ipolens.i18n.format``, the page shell with the colour convention, charts.

Reports are one self-contained file: plotly.js is inlined once (``include_plotlyjs=True`` on the first chart),
the CSS is inline, and nothing refers to a network address except the source URLs listed as text links.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pandas as pd

from ..i18n import colors, field_label as _field_label, normalise_lang, t
from ..i18n.format import MONEY, fmt_value, is_missing as _missing

__all__ = ["MONEY", "L", "Charts", "esc", "is_missing", "text", "fmt_num", "fmt_conflict_value", "field_label",
           "qualifier_label", "value_label", "signed_class", "page", "sources_table", "lang_of"]


def lang_of(lang: str | None) -> str:
    """en, zh-Hans or zh-Hant; ``zh`` (the reports' former spelling) reads as zh-Hans."""
    return normalise_lang(lang) if lang else "en"


def L(key: str, lang: str, **kw: Any) -> str:
    """A report label from the catalogue (``report.<key>``), with its {placeholders} filled."""
    s = t(f"report.{key}", lang)
    return s.format(**kw) if kw else s


CSS = """
body{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;margin:0 auto;max-width:1100px;
padding:1.5rem;color:#1d2733;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #d8dee6;padding-bottom:.2rem;
margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border-bottom:1px solid #e4e8ee;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7785;font-size:.85rem}
.missing{color:#9aa4b0;font-style:italic}.tag{display:inline-block;padding:0 .35rem;border-radius:3px;
background:#eef2f7;font-size:.8rem}
.chart{max-width:100%;overflow-x:auto}table{display:block;overflow-x:auto}@media(min-width:700px){table{display:table}}
ul.claims{margin:0;padding-left:1rem}
"""


def esc(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def is_missing(v: Any) -> bool:
    if isinstance(v, (list, dict, tuple)):
        return False
    return _missing(v)


def text(v: Any) -> str:
    """A text cell: '' for None/NaN/NaT, else str(v)."""
    return "" if is_missing(v) else str(v)


def field_label(name: str, lang: str) -> str:
    return _field_label(name, lang_of(lang))


def value_label(prefix: str, value: Any, lang: str) -> str:
    """A coded value in the reader's language (market HK -> 港股, stage hearing_passed -> 通过上市聆讯, route
    '18C specialist tech' -> 18C 特专科技) when the catalogue has ``<prefix>.<slug>``; else the value as it is."""
    v = text(value)
    if not v:
        return ""
    key = f"{prefix}.{re.sub(r'[^a-z0-9]+', '_', v.lower()).strip('_')}"
    if prefix == "market":
        key = f"market.{v.upper()}"
    label = t(key, lang_of(lang))
    return v if label == key else label


def qualifier_label(q: Any, lang: str) -> str:
    """A qualifier word in the reader's language ('exact' -> 精确); '' when there is none."""
    q = text(q)
    return t(f"qualifier.{q}", lang_of(lang)) if q else ""


def signed_class(v: Any) -> str:
    """' class="up"' / ' class="down"' for a positive / negative return: the page's colour convention colours it."""
    if is_missing(v) or not isinstance(v, (int, float)):
        return ""
    return ' class="up"' if v > 0 else ' class="down"' if v < 0 else ""


def fmt_num(v: Any, unit: str | None = None, lang: str = "en", qualifier: str | None = None,
            sign: bool = False) -> str:
    """A value with its unit as HTML (``ipolens.i18n.format.fmt_value``, escaped); a missing value is marked, not
    blank."""
    lang = lang_of(lang)
    if is_missing(v):
        return f'<span class="missing">{esc(L("not_on_file", lang))}</span>'
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    if isinstance(v, str):
        return esc(v)
    if unit in MONEY:
        return esc(fmt_value(v, "money", unit, lang, qualifier, sign=sign))
    return esc(fmt_value(v, unit, None, lang, qualifier, sign=sign))


def fmt_conflict_value(c: dict, side: str, lang: str = "en") -> str:
    """One side of a recorded conflict as HTML: the value with its currency (or % / x) and sensible rounding;
    for a cross-currency B, its converted range and the FX rates, dates and source used."""
    unit = c.get("unit")
    ccy = text(c.get(f"currency_{side}")) or (unit if unit in MONEY else "")
    out = fmt_num(c.get(f"value_{side}"), ccy or (unit if unit in ("pct", "x") else None), lang)
    to = text(c.get("currency_a")) or text(unit)
    lo, hi = c.get("value_b_converted_lo"), c.get("value_b_converted_hi")
    if side == "b" and not is_missing(lo) and to in MONEY:
        rng = fmt_num(lo, to, lang) if is_missing(hi) or hi == lo else f"{fmt_num(lo, to, lang)}–{fmt_num(hi, to, lang)}"
        rlo, rhi = c.get("fx_rate_lo"), c.get("fx_rate_hi")
        rate = "?" if is_missing(rlo) else f"{rlo:.4f}" if is_missing(rhi) or rhi == rlo else f"{rlo:.4f}–{rhi:.4f}"
        extra = ", ".join(esc(x) for x in (text(c.get("fx_dates")), text(c.get("fx_source"))) if x)
        out += f' <span class=muted>≈ {rng} (1 {esc(ccy)} = {rate} {esc(to)}{", " + extra if extra else ""})</span>'
    return out


def page(title: str, body: str, lang: str) -> str:
    lang = lang_of(lang)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    c = colors(lang=lang)
    css = CSS + f".up{{color:{c['up']}}}.down{{color:{c['down']}}}.good{{color:#1f7a3a}}.bad{{color:#b3261e}}"
    note = L("colors_note", lang, conv=t(f"colors.{c['convention']}", lang))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{esc(title)}</title>'
            f"<style>{css}</style></head><body>{body}"
            f'<p class="muted">{esc(L("generated", lang))} · {stamp} · {esc(note)}</p></body></html>\n')


class Charts:
    """Turns plotly figures into HTML divs; the first one carries plotly.js inline, the rest reuse it."""

    def __init__(self) -> None:
        self._first = True

    def div(self, fig, div_id: str) -> str:
        out = fig.to_html(full_html=False, include_plotlyjs=self._first, div_id=div_id,
                          config={"displaylogo": False, "responsive": True})
        self._first = False
        return f'<div class="chart" data-chart="{esc(div_id)}">{out}</div>'


def sources_table(sources: pd.DataFrame, ids: list[str], lang: str) -> str:
    """The sources behind the page: ``ids`` in order, described by the ``sources`` records (a DataFrame)."""
    lang = lang_of(lang)
    ids = [i for i in dict.fromkeys(ids) if i and i not in ("derived", "same currency", "identity")]
    if not ids:
        return f'<p class="missing">{esc(L("not_on_file", lang))}</p>'
    known = {r["id"]: r for r in sources.to_dict("records")} if len(sources) else {}
    rows = []
    for sid in ids:
        r = known.get(sid)
        if r is None:
            rows.append(f"<tr><td><code>{esc(sid)}</code></td><td colspan=4 class=missing>"
                        f"{esc(L('src_not_in_ledger', lang))}</td></tr>")
            continue
        url = r.get("url")
        link = f'<a href="{esc(url)}">{esc(url)}</a>' if not is_missing(url) else ""
        # Why text(): pandas hands NULL text columns back as NaN, which is truthy and printed as "nan".
        pub, note = r.get("published"), text(r.get("date_note"))
        when = fmt_num(pub, lang=lang) if not is_missing(pub) else esc(note or L("undated", lang))
        rows.append(f"<tr><td><code>{esc(sid)}</code></td><td>{esc(text(r.get('title')))}<br>"
                    f"<span class=muted>{esc(text(r.get('publisher')))}</span></td><td>{when}</td>"
                    f"<td>{esc(text(r.get('licence')) or '—')}</td><td>{link}</td></tr>")
    head = "".join(f"<th>{esc(L(k, lang))}</th>" for k in ("src_id", "src_title", "src_published", "src_licence",
                                                               "src_url"))
    return f"<table class=sources><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
