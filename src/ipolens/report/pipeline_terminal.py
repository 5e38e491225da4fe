"""Terminal rendering of the pipeline (``ipolens pipeline``, ``ipolens deal``): rich tables built from the use
cases' JSON. Source markers such as [1] are plain text, never markup."""
from __future__ import annotations

from .terminal import QUALIFIER_MARK, table

__all__ = ["print_pipeline", "deal_tables"]


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


# columns least needed first to go when the terminal is narrow (report/columns_terminal.py names the hidden ones)
_PRIORITY = ["deal", "stage", "since", "valuations", "code", "raise", "market", "next", "range"]


def print_pipeline(d: dict, console=None) -> None:
    """``ipolens pipeline``: the deals table fitted to the terminal's width, with a note on hidden columns."""
    from .columns_terminal import Col, render

    cols = [Col("deal", "deal", wrap=True, wrap_min=10), Col("market", "market"), Col("code", "code"),
            Col("stage", "stage", wrap=True, wrap_min=12), Col("since", "since"),
            Col("next", "next step", wrap=True, wrap_min=16), Col("range", "price range", wrap=True, wrap_min=12),
            Col("raise", "raise", wrap=True, wrap_min=10),
            Col("valuations", "valuation claims (the last 3, oldest first)", wrap=True, wrap_min=24)]
    rows = []
    for x in d["deals"]:
        vals = "\n".join(f"{_claim(v)} {v['kind']}" for v in x["valuations"][-3:])
        pr = x["price_range"]
        rows.append([x["name"] or x["key"], x["market"] or "", x["code"] or "", x["stage"] or "—",
                     x["stage_date"] or "", (x["next_step"] or "")[:70],
                     f"{_money(pr['low'], None)}–{_money(pr['high'], pr['currency'])}" if pr else "",
                     _claim(x["raise"]) if x["raise"] else "", vals])
    title = f"Pipeline on {d['on']}: {len(rows)} deal{'s' if len(rows) != 1 else ''}"
    notes = ()
    if not d["include_listed"] and d["stage"] is None:
        notes = ("Listings without tracked stages are left out: --all (or --stage listed) adds them.",)
    render(title, cols, rows, console=console, priority=_PRIORITY, notes=notes, key="deal")


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
