"""Terminal rendering of results (rich tables, number formats, the profile page): what the CLI prints.

rich loads when something is printed, so importing this module stays cheap (``ipolens --help`` never pays for it).
"""
from __future__ import annotations

QUALIFIER_MARK = {"exact": "", "about": "约 ", "nearly": "近 ", "more_than": "> ", "at_least": "≥ ",
                  "at_most": "≤ ", "range": "", "order_of_magnitude": "~ "}


SIGNED = ("return", "growth", "change", "cagr")


def fmt_number(v: float | None, unit: str | None = None, currency: str | None = None, name: str = "") -> str:
    """19.6 HKD -> '19.60 HKD'; 85540000000 HKD -> '85,540,000,000 HKD (855.40亿)'; 82.14 pct -> '+82.14%'."""
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if unit == "pct":
        sign = "+" if any(w in name for w in SIGNED) else ""
        return f"{v:{sign},.2f}%" if abs(v) >= 0.01 or v == 0 else f"{v:{sign}.6g}%"
    if unit == "x":
        return f"{v:,.2f}x"
    if unit == "year":  # a calendar year reads 2019, not 2,019
        return f"{int(v)}" if float(v).is_integer() else f"{v:g}"
    if currency or unit in ("HKD", "CNY", "USD"):
        cur = currency or unit
        if abs(v) >= 1e8:
            return f"{v:,.0f} {cur} ({v / 1e8:,.2f}亿)"
        if abs(v) >= 1e4:
            return f"{v:,.0f} {cur} ({v / 1e4:,.2f}万)"
        return f"{v:,.2f} {cur}"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.4g}"


def table(title: str, columns: tuple = (), rows=(), fold: bool = True, **kw):
    """A rich table of text cells (escaped: a source's "[1]" is text, not markup)."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=title, **kw)
    for c in columns:
        t.add_column(c, overflow="fold" if fold else "ellipsis", justify="right" if c == "value" else "left")
    for r in rows:
        t.add_row(*(escape(str(x)) for x in r))
    return t


def show(title: str, headers, rows, notes=(), width: int = 0, left=("item", "metric")) -> None:
    """Print one table of text cells (never parsed as markup): the first column and ``left`` headers left-aligned,
    the rest right-aligned; then each note."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(h, justify="left" if i == 0 or h in left else "right", overflow="fold")
    for r in rows:
        t.add_row(*(Text(str(x)) for x in r))
    con = Console(width=max(Console().width, width)) if width else Console()
    con.print(t)
    for n in notes:
        con.print(Text.assemble(("note: ", "bold yellow"), n))


def print_out(*things) -> None:
    from rich.console import Console

    Console().print(*things)


def is_missing(v) -> bool:
    try:
        return v is None or v != v
    except (TypeError, ValueError):
        return False


def facts_ref(derivation: dict) -> str:
    return "(facts " + ", ".join(f"#{i}" for i in derivation.get("facts", [])) + ")"


def compact(v: float) -> str:
    """855.4亿 rather than 8.554e+10: the way the sources write large amounts."""
    return f"{v / 1e8:,.6g}亿" if abs(v) >= 1e8 else f"{v / 1e4:,.6g}万" if abs(v) >= 1e4 else f"{v:,.6g}"


def pair_text(r: dict) -> tuple[str, str]:
    """The two sides of a conflict as the sources write them; a pair in two currencies shows B in A's currency."""
    a, b = (str(r[f"text_{x}"]) if is_missing(r[f"value_{x}"]) else
            f"{QUALIFIER_MARK.get(r[f'qualifier_{x}'], '')}{compact(r[f'value_{x}'])}" for x in "ab")
    if not is_missing(r.get("fx_rate_lo")):  # two currencies: B converted into A's, at the dated rates
        a += f" {r['currency_a']}"
        b += (f" {r['currency_b']} = {compact(r['value_b_converted_lo'])}–{compact(r['value_b_converted_hi'])}"
              f" {r['currency_a']} at {r['fx_rate_lo']:.5g}–{r['fx_rate_hi']:.5g} ({r['fx_dates']}, "
              f"{r['fx_source']})")
    return a, b


def company_tables(c: dict, listing: str | None = None) -> list:
    """A company and its listings (``ipolens company``; the profile's company section, where ``listing`` is the
    profile's own and the table shows the others), then what is not in the ledger and the A/H discount."""
    rows = c.get("listings", c.get("other_listings", []))
    head = (f"{c.get('company') or 'no company links this listing to another'}: "
            f"{' / '.join(n for n in (c.get('name_en'), c.get('name_zh')) if n)} ({c.get('basis')})")
    if listing:
        head = (f"Company {head}; this listing: share class {c.get('share_class') or 'not stated'}"
                + (f", {c['role']}" if c.get("role") else ""))
    out = [table(head, ("listing", "name", "listed", "class", "role", "basis"),
                 [(x["code"] or x["key"], x["name_en"] or x["name_zh"] or "—", x["listing_date"] or "undated",
                   x["share_class"] or "—", x["role"] or "—", x["basis"]) for x in rows], title_justify="left")]
    notes = [f"not in the ledger: {n}" for n in c.get("not_in_ledger", [])]
    for d in c.get("ah_discount", []):
        if d.get("missing") and "fx" not in d:
            notes.append(f"H/A discount {d['h_listing']} vs {d['a_listing']} on {d['date']}: missing ({d['missing']})")
            continue
        fx = d["fx"]
        parts = [f"{k.replace('_', ' ')} {fmt_number(d[k]['value'], currency=d[k]['currency'])} [{d[k]['source']}]"
                 for k in ("h_close", "h_offer", "a_close") if k in d]
        vals = ", ".join(f"{w} {fmt_number(d[f'{w}_discount_pct'], 'pct')}" for w in ("close", "offer")
                         if d.get(f"{w}_discount_pct") is not None)
        notes.append(f"H/A discount {d['h_listing']} vs {d['a_listing']} on {d['date']}: {vals} = {d['formula']}; "
                     f"{'; '.join(parts)}; FX {fx['pair']} {fx['rate']:.5g} on {fx['date']} ({fx['source']})")
    return out + notes


def print_profile(p: dict) -> None:
    markers: dict[str, str] = {}
    out: list = []

    def marker(src: str) -> str:
        return markers.setdefault(src, f"[{len(markers) + 1}]")

    def mark(v: dict) -> str:
        if v.get("basis") in ("derived", "missing"):
            return "[d]" if v["basis"] == "derived" else ""
        return marker(v.get("source")) + ("*" if v.get("basis") == "derived_by_source" else "")

    def show(v: dict, name: str = "") -> str:
        if v.get("basis") == "missing":
            return f"missing: {v['missing']}"
        val = fmt_number(v.get("value"), v.get("unit"), v.get("currency"), name)
        if v.get("value_high") is not None:
            val += " – " + fmt_number(v["value_high"], v.get("unit"), v.get("currency"), name)
        return QUALIFIER_MARK.get(v.get("qualifier", "exact"), "") + val

    def note_of(name: str, v: dict) -> str:
        note = v.get("as_of") or v.get("period") or ""
        if v.get("basis") == "derived":
            note = f"{v['derivation']['formula']}  {facts_ref(v['derivation'])}"
            if v.get("fx"):
                note += f"; FX {v['fx']['pair']} {v['fx']['rate']:.5g} on {v['fx']['date']} ({v['fx']['source']})"
            for s in v.get("stated_values", []):
                verdict = "agrees" if s["agrees_with_derived"] else "DISAGREES"
                note += f"; stated {QUALIFIER_MARK.get(s['qualifier'], '')}{s['value']:g} {mark(s)} {verdict}"
        elif v.get("label"):
            note = f"{note} {v['label']}".strip()
        if v.get("recomputed"):
            r = v["recomputed"]
            note += (f"; DISAGREES with {r['value']:+.2f} recomputed as {r['derivation']['formula']} "
                     f"{facts_ref(r['derivation'])}")
        if v.get("other_values"):
            note += ("; " if note else "") + "also " + ", ".join(f"{show(a, name)} {mark(a)}"
                                                                 for a in v["other_values"])
        return note

    series = p["valuation"].get("market_cap_series") or []
    sections = [("Deal", p["deal"]), ("First day", p["first_day"]),
                ("Valuation", {k: v for k, v in p["valuation"].items() if k != "market_cap_series"}),
                ("Market cap, dated series", {f"market_cap @ {v.get('as_of') or 'undated'}": v for v in series}
                 if len(series) > 1 else {}),
                *((f"Fundamentals {k}", v) for k, v in p["fundamentals"].get("periods", {}).items()),
                ("Fundamentals, derived", p["fundamentals"].get("derived", {})),
                ("Other facts", {(name if "series" not in v else f"{name} @ {i.get('as_of') or i.get('period') or n}"):
                                 i for name, v in p.get("other", {}).items()
                                 for n, i in enumerate(v["series"] if "series" in v else [v])})]
    for title, items in sections:
        rows = [(name, show(v, name), mark(v), note_of(name, v)) for name, v in items.items()
                if isinstance(v, dict) and "basis" in v]
        if rows:
            out.append(table(title, ("field", "value", "src", "date / note"), rows, title_justify="left",
                             header_style="bold"))
    if p.get("company"):
        out.extend(company_tables(p["company"], p["entity"]))
    if p["conflicts"]:
        out.append(table("Conflicts (kept, not merged)", ("field", "date", "value A", "src A", "value B", "src B"),
                         [(c["field"], c["date_key"] or "(deal)", a, marker(c["source_a"]), b, marker(c["source_b"]))
                          for c in p["conflicts"] for a, b in [pair_text(c)]],
                         fold=False, title_justify="left"))
    src = {m: p["sources"].get(k, {}) | {"id": k} for k, m in markers.items()}
    legend = [(m, f"{s.get('title', s['id'])} — {s.get('publisher') or 'publisher not stated'} "
                  f"({s.get('published') or s.get('date_note') or 'undated'}) [{s.get('kind', '')}]")
              for m, s in src.items()]
    legend += [("[d]", "derived by ipolens from the facts listed (formula shown)"),
               ("*", "derived by the source itself, not a reported figure")]
    from rich.rule import Rule
    title = f"{p['code'] or p['entity']}  {p.get('name_en') or ''}  {p.get('name_zh') or ''}".strip()
    print_out(Rule(f"[bold]{title}"), *out,
              table("Sources", ("mark", "source"), legend, title_justify="left", show_header=False),
              "Qualifiers: 约 about, 近 nearly (just under), > more than, ≥ at least, ~ order of magnitude.")


_EVAL_ROWS = (("value recall", "matched", "labels", "value_recall"),
              ("currency", "currency_right", "money_matched", "currency"),
              ("metric agreement", "metric_right", "matched", "metric_agreement"),
              ("metric assigned", "metric_assigned", "matched", "metric_assigned_share"),
              ("flag precision", "flagged_right", "flagged", "flag_precision"),
              ("error recall, natural", "errors_natural_caught", "errors_natural", "error_recall_natural"),
              ("error recall, injected", "errors_injected_caught", "errors_injected", "error_recall_injected"),
              ("verified share", "consistent_verified", "consistent_labels", "verified_share"))


def _share(s: dict | None, num: str, den: str, rate: str) -> str:
    if not s:
        return ""
    return "—" if s[rate] is None else f"{s[rate]:.3f}  ({s[num]}/{s[den]})"


def print_news_corpus_eval(d: dict) -> None:
    """``ipolens news eval --corpus``: the split's scores (natural and injected), per language, per article, and the
    details when asked for."""
    nat, inj = d["scores"], d.get("injected")
    notes = [f"flagged on a non-INCONSISTENT label {nat['flagged_on_other_label']}, flagged unmatched "
             f"{nat['flagged_unmatched']}; unassigned metrics {nat['metric_unassigned']}; sign-only misses "
             f"{nat['sign_misses']}; claims extracted {nat['extracted']}"]
    show(f"news eval: {d['corpus']} (split {d['split']}, {nat['articles']} articles"
         f"{_copies(inj)})",
         ("measure", "natural", "injected"),
         [(name, _share(nat, *k), _share(inj, *k)) for name, *k in _EVAL_ROWS], notes, width=100)
    cols = ("value_recall", "currency", "metric_agreement", "flag_precision", "verified_share")
    heads = ("recall", "currency", "metric", "flag prec.", "verified")
    fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
    show("by language", ("language", "labels", *heads), [(k, s["labels"], *(fmt(s[c]) for c in cols))
                                                        for k, s in d["languages"].items()], width=110)
    show("by article", ("article", "lang", "date", "market", "labels", *heads, "flagged", "errors"),
         [(a["article"], a["language"], a["date"] or "—", a["market"] or "—", a["labels"],
           *(fmt(a[c]) for c in cols), a["flagged"],
           f"{a['errors_natural_caught']}/{a['errors_natural']}"
           + (f", inj. {a['errors_injected_caught']}/{a['errors_injected']}" if a["errors_injected"] else ""))
          for a in d["articles"]], left=("article", "lang"),
         width=130)
    for kind, rows in (d.get("details") or {}).items():
        if rows:
            show(f"{kind} ({len(rows)})", ("article", "item"),
                 [(r["article"], "  ".join(f"{k}={v}" for k, v in r.items() if k != "article")) for r in rows],
                 left=("article", "item"), width=160)


def _copies(inj: dict | None) -> str:
    return f", {inj['articles']} injected copies" if inj else ""
