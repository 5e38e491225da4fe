"""Terminal rendering of the pipeline (``ipolens pipeline``, ``ipolens deal``): rich tables built from the use
cases' JSON. Source markers such as [1] are plain text, never markup."""
from __future__ import annotations

from .terminal import QUALIFIER_MARK, table

__all__ = ["pipeline_tables", "deal_tables"]


def _money(v: float | None, ccy: str | None) -> str:
    if v is None:
        return "—"
    for step, word in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(v) >= step:
            return f"{v / step:,.2f}{word} {ccy or ''}".strip()
    return f"{v:,.2f} {ccy or ''}".strip()


def _claim(v: dict) -> str:
    hi = f"–{_money(v['value_high'], None)}" if v.get("value_high") else ""
    return f"{QUALIFIER_MARK.get(v.get('qualifier') or 'exact', '')}{_money(v['value'], v.get('currency'))}{hi}"


def pipeline_tables(d: dict) -> list:
    """The pipeline table (and a note on what is left out) for ``ipolens pipeline``."""
    rows = []
    for x in d["deals"]:
        vals = "; ".join(f"{_claim(v)} {v['kind']}" for v in x["valuations"][-3:])
        pr = x["price_range"]
        rows.append((x["name"] or x["key"], x["market"] or "", x["code"] or "", x["stage"] or "—",
                     x["stage_date"] or "", (x["next_step"] or "")[:70],
                     f"{_money(pr['low'], None)}–{_money(pr['high'], pr['currency'])}" if pr else "",
                     _claim(x["raise"]) if x["raise"] else "", vals))
    title = f"Pipeline on {d['on']}: {len(rows)} deal{'s' if len(rows) != 1 else ''}"
    out = [table(title, ("deal", "market", "code", "stage", "since", "next step", "price range", "raise",
                         "valuation claims (the last 3, oldest first)"), rows)]
    if not d["include_listed"] and d["stage"] is None:
        out.append("Listings without tracked stages are left out: --all (or --stage listed) adds them.")
    return out


def deal_tables(d: dict) -> list:
    """One deal's header, stages, valuation claims and sources for ``ipolens deal``."""
    head = (f"{d['name'] or d['key']} ({d['market']}{', ' + d['code'] if d['code'] else ''}) — {d['stage'] or '—'} "
            f"since {d['stage_date'] or '—'} ({d['stage_basis'] or 'no stage'}) on {d['on']}")
    marks = {sid: f"[{i + 1}]" for i, sid in enumerate(d["sources"])}
    stages = [(s["date"], s["stage"], s["basis"], marks.get(s["source"], s["source"] or ""), s["doc_ref"] or "",
               s["quote"] or s["note"] or "") for s in d["stages"]]
    vals = [(v["as_of"] or "undated", _claim(v), v["kind"], v["field"], marks.get(v["source"], v["source"]),
             v["quote"] or "") for v in d["valuations"]]
    from rich.text import Text

    lines = [head, f"Next step: {d['next_step'] or '—'}"]
    if d["price_range"]:
        pr = d["price_range"]
        lines.append(f"Price range: {pr['low']}–{pr['high']} {pr['currency']}")
    if d["raise"]:
        lines.append(f"Raise: {_claim(d['raise'])} ({d['raise']['field']}) {marks.get(d['raise']['source'], '')}")
    out = [Text("\n".join(lines))]  # Text: a source marker such as [1] is not markup
    out.append(table("Stages (every source kept)", ("date", "stage", "basis", "src", "document", "quote / note"),
                     stages))
    out.append(table("Valuation claims (side by side, never merged)", ("as of", "value", "kind", "field", "src",
                                                                       "quote"), vals))
    out.append(table("Sources", ("", "source", "date", "note"),
                     [(marks[k], f"{s['title']} — {s['publisher'] or ''}", s["published"] or s["date_note"] or "",
                       s["note"] or "") for k, s in d["sources"].items()]))
    return out
