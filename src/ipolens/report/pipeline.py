"""The market report's pipeline section: deals of the report's market that have not listed yet (or are listing), each
with its stage, stage date, next step, price range, raise and every valuation claim side by side with its kind, date
and source, then the sources behind them. The data is ``ipolens.app.pipeline.pipeline`` (the same use case as
``ipolens pipeline --json``); without it the section says the pipeline is not available."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .common import L, esc, fmt_num, is_missing, lang_of, qualifier_label, sources_table, value_label

if TYPE_CHECKING:
    from ..app.store import Store

__all__ = ["pipeline_section_data", "render_pipeline", "MAX_OTHER"]

MAX_OTHER = 30  # other markets' deals shown in a market report; the rest are counted



def _l(key: str, lang: str, **kw) -> str:
    return L(f"pipeline_{key}", lang, **kw)


def pipeline_section_data(store: "Store", market: str) -> dict[str, Any]:
    """{"market", "deals" (of ``market``), "other_deals" (the other markets', at most MAX_OTHER, newest stage first),
    "left_out" ({market: count} past the cap), "sources" (DataFrame), "unavailable"}. Other markets are shown too:
    the US mega-IPOs have no US market report until they list."""
    empty = {"market": market, "deals": [], "other_deals": [], "left_out": {}, "sources": pd.DataFrame()}
    from ..app import pipeline as pl
    from ..app.base import UserError
    from ..app.profile import sources

    try:
        deals = pl.pipeline(store).to_dict().get("deals") or []
    except UserError as exc:
        return {**empty, "unavailable": str(exc)}
    mine = [d for d in deals if d.get("market") == market]
    others = [d for d in deals if d.get("market") != market]
    left_out: dict[str, int] = {}
    for d in others[MAX_OTHER:]:
        left_out[d.get("market") or "?"] = left_out.get(d.get("market") or "?", 0) + 1
    others = others[:MAX_OTHER]
    ids = _source_ids(mine + others)
    rows = sources(store).rows if ids else pd.DataFrame()
    if len(rows):
        rows = rows[rows["id"].isin(ids)]
    return {"market": market, "deals": mine, "other_deals": others, "left_out": dict(sorted(left_out.items())),
            "sources": rows, "unavailable": None}


def _source_ids(deals: list[dict]) -> list[str]:
    ids: list[str] = []
    for d in deals:
        for s in d.get("stages") or []:
            ids.append(s.get("source"))
        ids.append((d.get("raise") or {}).get("source"))
        ids += [v.get("source") for v in d.get("valuations") or []]
    return [i for i in dict.fromkeys(ids) if i]


def _money(v: dict | None, lang: str) -> str:
    if not v or is_missing(v.get("value")):
        return fmt_num(None, lang=lang)
    q, hi, ccy = v.get("qualifier"), v.get("value_high"), v.get("currency")
    out = fmt_num(v["value"], ccy, lang)
    if not is_missing(hi) and hi != v["value"]:
        out += f" – {fmt_num(hi, ccy, lang)}"
    return out + (f" <span class=tag>{esc(qualifier_label(q, lang))}</span>" if q and q not in ("exact", "range") else "")


def _range(r: dict | None, lang: str) -> str:
    if not r or (is_missing(r.get("low")) and is_missing(r.get("high"))):
        return fmt_num(None, lang=lang)
    lo, hi, ccy = r.get("low"), r.get("high"), r.get("currency")
    return fmt_num(lo, ccy, lang) if hi in (None, lo) else f"{fmt_num(lo, ccy, lang)} – {fmt_num(hi, ccy, lang)}"


def _claims(vals: list[dict], lang: str) -> str:
    if not vals:
        return fmt_num(None, lang=lang)
    items = []
    for v in vals:
        meta = " · ".join(esc(x) for x in (v.get("kind"), v.get("as_of") or v.get("date_note") or L("undated", lang)) if x)
        quote = f"<br><span class=muted>“{esc(v['quote'])}”</span>" if v.get("quote") else ""
        items.append(f"<li data-kind=\"{esc(v.get('kind'))}\">{_money(v, lang)} <span class=muted>{meta}</span> "
                     f"<code>{esc(v.get('source') or '—')}</code>{quote}</li>")
    return f"<ul class=claims>{''.join(items)}</ul>"


def _text(v: Any, lang: str) -> str:
    return fmt_num(None, lang=lang) if v is None or v == "" else esc(v)


def _table(deals: list[dict], lang: str, with_market: bool) -> str:
    rows = "".join(
        f"<tr data-deal=\"{esc(d.get('name'))}\"><td>{esc(d.get('name'))}"
        f"{'<br><span class=muted>' + esc(d['code']) + '</span>' if d.get('code') else ''}</td>"
        + (f"<td>{_text(value_label('market', d.get('market'), lang), lang)}</td>" if with_market else "")
        + f"<td>{_text(value_label('stage', d.get('stage'), lang), lang)}</td><td>{_text(d.get('stage_date'), lang)}"
        f"</td><td>{_text(d.get('next_step'), lang)}</td><td class=num>{_range(d.get('price_range'), lang)}</td>"
        f"<td class=num>{_money(d.get('raise'), lang)}</td><td>{_claims(d.get('valuations') or [], lang)}</td></tr>"
        for d in deals)
    keys = ("deal", "market", "stage", "since", "next", "range", "raise", "claims")
    head = "".join(f"<th>{esc(_l(k, lang))}</th>" for k in keys if with_market or k != "market")
    return f"<table class=pipeline><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_pipeline(section: dict[str, Any], lang: str = "en") -> str:
    """The pipeline section as an HTML fragment: the report market's deals, the other markets' deals, the notes
    and the sources."""
    lang = lang_of(lang)
    head = f"<h2 id=pipeline>{esc(_l('title', lang))}: {esc(value_label('market', section['market'], lang))}</h2>"
    if section.get("unavailable"):
        return head + f"<p class=missing>{esc(_l('unavailable', lang, why=section['unavailable']))}</p>"
    parts = [head]
    deals, others = section["deals"], section.get("other_deals") or []
    parts.append(_table(deals, lang, False) if deals else
                 f"<p class=missing>{esc(_l('none', lang, market=value_label('market', section['market'], lang)))}</p>")
    if others:
        parts += [f"<h3 id=pipeline-other>{esc(_l('other_title', lang))}</h3>", _table(others, lang, True)]
    if section.get("left_out"):
        counts = ", ".join(f"{value_label('market', m, lang)} {n}" for m, n in section["left_out"].items())
        parts.append(f"<p class=muted>{esc(_l('left_out', lang, others=counts))}</p>")
    if deals or others:
        parts.append(f"<p class=muted>{esc(_l('note', lang))}</p>")
    ids = _source_ids(deals + others)
    if ids:
        parts += [f"<h3>{esc(_l('sources', lang))}</h3>", sources_table(section["sources"], ids, lang)]
    return "".join(parts)
