"""One IPO on one page: deal terms and the first day, valuation against peers, fundamentals, HK mechanics,
checked news claims and the sources behind every number."""
from __future__ import annotations

import pandas as pd

from ..app.report import IpoReportData
from .common import (LABELS, Charts, esc, field_label, fmt_conflict_value, fmt_num, is_missing, page,
                     sources_table)

DEAL_FIELDS = ("listing_date", "route", "listing_chapter", "offer_price", "lot_size", "proceeds_gross",
               "oversubscription_public", "public_applicants", "initial_public_pct", "final_public_pct",
               "aggregate_allocation_pct", "cornerstone_count", "cornerstone_amount", "cornerstone_share_of_offer",
               "greenshoe_pct")
FIRST_DAY_FIELDS = ("open_price", "close_price", "first_day_open_return", "first_day_return", "turnover")


def _value_rows(section: dict, fields: tuple[str, ...] | None, lang: str) -> str:
    L = LABELS[lang]
    names = [f for f in (fields or section.keys()) if f in section] + \
        ([f for f in section if fields and f not in fields])
    rows = []
    for f in names:
        v = section.get(f)
        if not isinstance(v, dict):
            continue
        unit = v.get("unit") or v.get("currency")
        shown = fmt_num(v.get("value"), unit, lang)
        src = v.get("source") or ""
        basis = v.get("basis")
        if basis == "derived" or src == "derived":
            formula = (v.get("derivation") or {}).get("formula", "")
            src_html = f'<span class="tag">{esc(L["derived"])}</span> <span class=muted>{esc(formula)}</span>'
        else:
            src_html = f"<code>{esc(src)}</code>"
            if v.get("quote"):
                src_html += f'<br><span class="muted">“{esc(v["quote"])}”</span>'
            if v.get("note") and basis == "derived_by_source":
                src_html += f'<br><span class="muted">{esc(v["note"])}</span>'
        # a stated figure and its recomputation, whichever is shown, are checked against each other in view
        for s in v.get("stated_values") or []:
            verdict = L["agrees"] if s.get("agrees_with_derived") else L["differs"]
            src_html += (f'<br><span class="muted">{esc(fmt_num(s.get("value"), unit, lang))} '
                         f'<code>{esc(s.get("source") or "")}</code>: {esc(verdict)}</span>')
        if v.get("recomputed"):
            r = v["recomputed"]
            src_html += (f'<br><span class="muted">{esc(fmt_num(r.get("value"), unit, lang))} = '
                         f'{esc((r.get("derivation") or {}).get("formula", ""))}: {esc(L["differs"])}</span>')
        rows.append(f"<tr><td>{esc(field_label(f, lang))}</td><td class=num data-field=\"{esc(f)}\">{shown}</td>"
                    f"<td>{esc(v.get('qualifier') or '')}</td><td>{fmt_num(v.get('as_of'), lang=lang) if v.get('as_of') else ''}"
                    f"</td><td>{src_html}</td></tr>")
    if not rows:
        return f'<p class="missing">{esc(L["missing"])}</p>'
    return (f"<table><thead><tr><th>{L['field']}</th><th>{L['value']}</th><th>{L['qualifier']}</th>"
            f"<th>{L['as_of']}</th><th>{L['source']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _val(section: dict, f: str) -> float | None:
    v = section.get(f)
    if isinstance(v, dict) and isinstance(v.get("value"), (int, float)) and not is_missing(v.get("value")):
        return float(v["value"])
    return None


def _first_day_chart(prof: dict, charts: Charts, lang: str) -> str:
    import plotly.graph_objects as go

    deal, fd = prof.get("deal", {}), prof.get("first_day", {})
    names, vals = [], []
    for label, sec, f in (("offer", deal, "offer_price"), ("open", fd, "open_price"), ("close", fd, "close_price")):
        v = _val(sec, f)
        if v is not None:
            names.append(field_label(f, lang) if lang == "zh" else label)
            vals.append(v)
    if not vals:
        return ""
    fig = go.Figure(go.Bar(x=names, y=vals, text=[f"{v:,.2f}" for v in vals], textposition="outside",
                           marker_color=["#5b7fa6", "#d08c2b", "#2f8f5b"][:len(vals)]))
    fig.update_layout(title=LABELS[lang]["first_day_chart"], height=340, margin=dict(t=50, b=30, l=40, r=20))
    return charts.div(fig, "chart-first-day")


def _valuation(table: pd.DataFrame, prof: dict, charts: Charts, lang: str) -> str:
    """The peers in HKD, the listing first, with the FX row behind each conversion."""
    import plotly.graph_objects as go

    L = LABELS[lang]
    rows = []
    for r in table.to_dict("records"):
        fx = ""
        if not is_missing(r.get("mc_fx_rate")) and r.get("mc_fx_source") != "same currency":
            fx = f"{esc(r['mc_fx_pair'])} {r['mc_fx_rate']:.6g} @ {esc(r['mc_fx_date'])} <code>{esc(r['mc_fx_source'])}</code>"
        rows.append(f"<tr><td>{esc(r['code'])}</td><td>{esc(r['name'])}</td><td>{esc(r['market'])}</td>"
                    f"<td class=num>{fmt_num(r['market_cap_conv'], 'HKD', lang)}</td>"
                    f"<td>{fmt_num(r['valuation_date'], lang=lang) if not is_missing(r['valuation_date']) else ''}</td>"
                    f"<td class=num>{fmt_num(r['first_day_return'], 'pct', lang)}</td>"
                    f"<td class=num>{fmt_num(r['ps'], None, lang)}</td>"
                    f"<td class=num>{fmt_num(r['rd_intensity'], 'pct', lang)}</td><td>{fx}</td></tr>")
    html = (f"<table><thead><tr><th>{L['code']}</th><th>{L['name']}</th><th>market</th><th>market cap (HKD)</th>"
            f"<th>{L['as_of']}</th><th>{L['fdr']}</th><th>P/S</th><th>R&amp;D / revenue</th><th>FX</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p class=muted>{esc(L['peer_note'])}</p>")
    have = table[table["first_day_return"].notna()]
    if len(have):
        colors = ["#c0392b" if c == prof.get("code") or c == table.iloc[0]["code"] else "#7f9cbf"
                  for c in have["code"]]
        fig = go.Figure(go.Bar(x=have["code"], y=have["first_day_return"], marker_color=colors,
                               text=[f"{v:,.1f}%" for v in have["first_day_return"]], textposition="outside"))
        fig.update_layout(title=L["peer_chart"], height=360, margin=dict(t=50, b=40, l=40, r=20))
        html = charts.div(fig, "chart-peers") + html
    return html


def _fundamentals(prof: dict, charts: Charts, lang: str) -> str:
    import plotly.graph_objects as go

    from ipolens.analytics.fundamentals import period_sort_key

    L = LABELS[lang]
    periods = (prof.get("fundamentals") or {}).get("periods") or {}
    pts = []
    for p, vals in periods.items():
        if p == "undated" or not isinstance(vals, dict):
            continue
        rev, rd = _val(vals, "revenue"), _val(vals, "rd_expense")
        loss = _val(vals, "adjusted_net_loss")
        if rev is None and rd is None and loss is None:
            continue
        ccy = next((v.get("currency") for v in vals.values() if isinstance(v, dict) and v.get("currency")), "")
        pts.append((p, rev, rd, loss, ccy))
    if not pts:
        return f'<p class="missing">{esc(L["no_fundamentals"])}</p>'
    pts.sort(key=lambda t: period_sort_key(t[0]))
    x = [t[0] for t in pts]
    ccy = pts[-1][4] or ""
    fig = go.Figure()
    for i, name in ((1, "revenue"), (2, "rd_expense"), (3, "adjusted_net_loss")):
        ys = [t[i] / 1e6 if t[i] is not None else None for t in pts]
        if any(y is not None for y in ys):
            fig.add_bar(x=x, y=ys, name=field_label(name, lang))
    fig.update_layout(title=f"{L['fund_chart']} ({ccy} m)", barmode="group", height=360,
                      margin=dict(t=50, b=40, l=50, r=20))
    table = "".join(f"<h3 class=muted>{esc(p)}</h3>" + _value_rows(periods[p], None, lang) for p in x)
    return charts.div(fig, "chart-fundamentals") + table


def _mechanics(mech: dict, lang: str) -> str:
    L = LABELS[lang]
    if not mech.get("available"):
        why = f" ({esc(mech['reason'])})" if mech.get("reason") else ""
        return f'<p class="missing">{esc(L["no_mechanics"])}{why}</p>'
    stated = mech.get("stated_final_pct")
    rows = [("regime", f"{mech['regime']} — {mech['regime_name']}"), ("why", mech["reason"]),
            ("public subscription", f"{mech['subscription']:,.2f}x"),
            ("initial public tranche", f"{mech['initial_pct']:g}%"),
            ("final public tranche (model)", f"{mech['final_pct']:g}% of the initial offer"),
            ("final public tranche (stated)", f"{stated:g}% of the final offer" if stated is not None else "—"),
            ("rule source", mech["source"])]
    rows += [("unconfirmed", u) for u in mech.get("unconfirmed", [])]
    return ("<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>")


def _claims(facts: pd.DataFrame, prof: dict, lang: str) -> str:
    """News claims on file for this IPO, each against the ledger's resolved value, plus the recorded conflicts."""
    L = LABELS[lang]
    news = facts[facts["source_kind"] == "news"] if "source_kind" in facts else facts.iloc[0:0]
    news = news[news["value"].notna()]
    if news.empty:
        return f'<p class="missing">{esc(L["no_claims"])}</p>'
    resolved = facts[facts["is_resolved"]].drop_duplicates(["field", "date_key"]).set_index(["field", "date_key"])
    rows = []
    for r in news.to_dict("records"):
        key = (r["field"], r["date_key"])
        ref = resolved.loc[key] if key in resolved.index else None
        if ref is None or is_missing(ref["value"]):
            verdict, ref_txt = "—", ""
        else:
            ref_txt = f"{fmt_num(ref['value'], ref['unit'], lang)} <code>{esc(ref['source_id'])}</code>"
            same = abs(float(ref["value"]) - float(r["value"])) <= max(1e-9, 0.01 * abs(float(ref["value"])))
            verdict = (f'<span class=good>{L["agrees"]}</span>' if same or r["qualifier"] != "exact"
                       and _within(r, float(ref["value"])) else f'<span class=bad>{L["differs"]}</span>')
        rows.append(f"<tr><td>{esc(field_label(r['field'], lang))}</td>"
                    f"<td class=num>{fmt_num(r['value'], r['unit'], lang)} <span class=muted>({esc(r['qualifier'])})"
                    f"</span></td><td>{ref_txt}</td><td>{verdict}</td><td><code>{esc(r['source_id'])}</code>"
                    f"{'<br><span class=muted>“' + esc(r['quote']) + '”</span>' if r.get('quote') else ''}</td></tr>")
    conflicts = prof.get("conflicts") or []
    conf = ""
    if conflicts:
        conf = (f"<h3>{esc(L['conflicts'])}</h3><table><tbody>" + "".join(
            f"<tr data-conflict=\"{esc(c.get('field', ''))}\"><td>{esc(field_label(c.get('field', ''), lang))}</td>"
            f"<td>{fmt_conflict_value(c, 'a', lang)} <code>{esc(c.get('source_a'))}</code></td>"
            f"<td>{fmt_conflict_value(c, 'b', lang)} ({esc(c.get('qualifier_b'))}) "
            f"<code>{esc(c.get('source_b'))}</code></td></tr>" for c in conflicts) + "</tbody></table>")
    return (f"<table><thead><tr><th>{L['field']}</th><th>{L['claim']}</th><th>{L['ledger']}</th>"
            f"<th>{L['verdict']}</th><th>{L['source']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            + conf)


def _within(claim: dict, ref: float) -> bool:
    """Does a qualified claim ('about', 'more_than', 'nearly') admit the reference value? Tolerances are loose
    on purpose: these are the articles' own hedges."""
    v, q = float(claim["value"]), claim["qualifier"]
    if q == "more_than":
        return ref >= v
    if q in ("less_than",):
        return ref <= v
    if q == "nearly":
        return v * 0.9 <= ref <= v * 1.0001
    return abs(ref - v) <= 0.1 * abs(v)


def render_ipo(data: IpoReportData) -> str:
    """The brief as one self-contained HTML page."""
    lang, prof = data.lang, data.profile
    L = LABELS[lang]
    charts = Charts()
    name = prof.get("name_zh") if lang == "zh" and prof.get("name_zh") else prof.get("name_en")
    title = f"{name or prof['code']} ({prof['code']}) — {L['brief']}"
    deal_html = _value_rows(prof.get("deal", {}), DEAL_FIELDS, lang)
    fd_html = _first_day_chart(prof, charts, lang) + _value_rows(prof.get("first_day", {}), FIRST_DAY_FIELDS, lang)
    val_html = _valuation(data.peers, prof, charts, lang)
    own_val = _value_rows({k: v for k, v in (prof.get("valuation") or {}).items() if isinstance(v, dict)}, None, lang)
    body = (f"<h1>{esc(name)} <span class=muted>{esc(prof['code'])}</span></h1>"
            f"<p class=muted>{esc(prof.get('name_en') if lang == 'zh' else prof.get('name_zh') or '')} · "
            f"{esc(prof.get('market'))}</p>"
            f"<h2 id=deal>{L['deal']}</h2>{deal_html}{fd_html}"
            f"<h2 id=valuation>{L['valuation']}</h2>{own_val}{val_html}"
            f"<h2 id=fundamentals>{L['fundamentals']}</h2>{_fundamentals(prof, charts, lang)}"
            f"<h2 id=mechanics>{L['mechanics']}</h2>{_mechanics(data.mechanics, lang)}"
            f"<h2 id=claims>{L['claims']}</h2>{_claims(data.facts, prof, lang)}"
            f"<h2 id=sources>{L['sources']}</h2>{sources_table(data.sources, data.source_ids, lang)}")
    if 'class="chart"' not in body:
        # Every brief carries at least one chart element, even when a company has almost no numbers on file.
        import plotly.graph_objects as go

        body = body.replace("</h1>", "</h1>" + charts.div(go.Figure().update_layout(
            title=L["missing"], height=200), "chart-empty"), 1)
    return page(title, body, lang)
