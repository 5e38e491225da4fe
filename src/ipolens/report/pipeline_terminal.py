"""Terminal rendering of the pipeline (``ipolens pipeline``, ``ipolens deal``): rich tables built from the use
cases' JSON. Source markers such as [1] are plain text, never markup."""
from __future__ import annotations

from ..i18n import current_lang, has, t
from .common import value_label
from .terminal import fmt_value, known, table

__all__ = ["print_pipeline", "deal_tables"]


def _money(v: float | None, ccy: str | None, qualifier: str | None = None) -> str:
    return "—" if v is None else fmt_value(v, unit="money" if ccy else None, currency=ccy, qualifier=qualifier)


def _claim(v: dict) -> str:
    hi = f"–{_money(v['value_high'], v.get('currency'))}" if v.get("value_high") else ""
    return f"{_money(v['value'], v.get('currency'), v.get('qualifier'))}{hi}"


def _kind(kind: str | None) -> str:
    """A valuation claim's kind (rumour, private_round, filed, priced) in the reader's language."""
    return t(f"valuation_kind.{kind}") if kind and has(f"valuation_kind.{kind}") else (kind or "")


def _stage(code: str | None) -> str:
    """A stage: its code in English (a1_filed, what --stage takes), its label in Chinese (递交 A1 申请)."""
    if not code:
        return "—"
    return code if current_lang() == "en" else value_label("stage", code, current_lang())


def _market(code: str | None) -> str:
    return value_label("market", code, current_lang()) if code else ""


# columns least needed first to go when the terminal is narrow (report/columns_terminal.py names the hidden ones)
_PRIORITY = ["deal", "stage", "since", "valuations", "code", "raise", "market", "next", "range"]


def print_pipeline(d: dict, console=None) -> None:
    """``ipolens pipeline``: the deals table fitted to the terminal's width, with a note on hidden columns."""
    from .columns_terminal import Col, render

    cols = [Col("deal", "pl.col.deal", wrap=True, wrap_min=10), Col("market", "pl.col.market"),
            Col("code", "pl.col.code"), Col("stage", "pl.col.stage", wrap=True, wrap_min=12),
            Col("since", "pl.col.since"), Col("next", "pl.col.next", wrap=True, wrap_min=16),
            Col("range", "pl.col.range", wrap=True, wrap_min=12), Col("raise", "pl.col.raise", wrap=True, wrap_min=10),
            Col("valuations", "pl.col.valuations", wrap=True, wrap_min=24)]
    rows = []
    for x in d["deals"]:
        vals = "\n".join(f"{_claim(v)} {_kind(v['kind'])}" for v in x["valuations"][-3:])
        pr = x["price_range"]
        rows.append([x["name"] or x["key"], _market(x["market"]), x["code"] or "", _stage(x["stage"]),
                     x["stage_date"] or "", (known(x["next_step"]) or "")[:70],
                     f"{_money(pr['low'], pr['currency'])}–{_money(pr['high'], pr['currency'])}" if pr else "",
                     _claim(x["raise"]) if x["raise"] else "", vals])
    title = t("pl.title_one" if len(rows) == 1 else "pl.title", on=d["on"], n=len(rows))
    notes = ()
    if not d["include_listed"] and d["stage"] is None:
        notes = ("pl.note_listed",)
    render(title, cols, rows, console=console, priority=_PRIORITY, notes=notes, key="deal")


def deal_tables(d: dict) -> list:
    """One deal's header, stages, valuation claims and sources for ``ipolens deal``."""
    code = t("deal.code", code=d["code"]) if d["code"] else ""
    basis = t(f"deal.basis.{d['stage_basis']}") if d["stage_basis"] and has(f"deal.basis.{d['stage_basis']}") \
        else (d["stage_basis"] or t("deal.no_stage"))
    head = t("deal.head", name=d["name"] or d["key"], market=_market(d["market"]), code=code, stage=_stage(d["stage"]),
             since=d["stage_date"] or "—", basis=basis, on=d["on"])
    marks = {sid: f"[{i + 1}]" for i, sid in enumerate(d["sources"])}
    stages = [(s["date"], _stage(s["stage"]), t(f"deal.basis.{s['basis']}") if has(f"deal.basis.{s['basis']}")
               else s["basis"], marks.get(s["source"], s["source"] or ""), s["doc_ref"] or "",
               s["quote"] or known(s["note"]) or "") for s in d["stages"]]
    from .profile_terminal import field_label

    vals = [(v["as_of"] or t("term.undated"), _claim(v), _kind(v["kind"]), field_label(v["field"]) if v["field"]
             else "", marks.get(v["source"], v["source"]), v["quote"] or "") for v in d["valuations"]]
    from rich.text import Text

    lines = [head, t("deal.next", v=known(d["next_step"]) or "—")]
    if d["price_range"]:
        pr = d["price_range"]
        lines.append(t("deal.range", v=f"{_money(pr['low'], pr['currency'])}–{_money(pr['high'], pr['currency'])}"))
    if d["raise"]:
        lines.append(t("deal.raise", v=_claim(d["raise"]), field=field_label(d["raise"]["field"]),
                       src=marks.get(d["raise"]["source"], "")).rstrip())
    out = [Text("\n".join(lines))]  # Text: a source marker such as [1] is not markup
    out.append(table("deal.stages", ("term.col.date", "pl.col.stage", "deal.col.basis", "term.col.src",
                                     "deal.col.document", "deal.col.quote_note"), stages))
    out.append(table("deal.valuations", ("deal.col.as_of", "term.col.value", "deal.col.kind", "term.col.field",
                                         "term.col.src", "term.col.quote"), vals))
    out.append(table("term.section.sources", ("", "term.col.source", "term.col.date", "deal.col.note"),
                     [(marks[k], f"{s['title']} — {s['publisher'] or ''}", s["published"] or s["date_note"] or "",
                       s["note"] or "") for k, s in d["sources"].items()]))
    return out
