"""One IPO on one page: deal terms and the first day, valuation against peers, fundamentals, HK mechanics,
checked news claims and the sources behind every number."""
from __future__ import annotations

import pandas as pd

from ..app.report import IpoReportData
from ..i18n import colors, t
from .common import (MONEY, Charts, L, esc, field_label, fmt_conflict_value, fmt_num, is_missing, lang_of, page,
                     qualifier_label, signed_class, sources_table, text, value_label)

DEAL_FIELDS = ("listing_date", "route", "listing_chapter", "offer_price", "lot_size", "proceeds_gross",
               "oversubscription_public", "public_applicants", "initial_public_pct", "final_public_pct",
               "aggregate_allocation_pct", "cornerstone_count", "cornerstone_amount", "cornerstone_share_of_offer",
               "greenshoe_pct")
FIRST_DAY_FIELDS = ("open_price", "close_price", "first_day_open_return", "first_day_return", "turnover")
CODED = {"route": "route", "board": "market", "exchange": "market"}  # fields whose values are catalogue codes
RETURN_FIELDS = ("first_day_open_return", "first_day_return", "grey_market_return", "cumulative_return_since_ipo")


def _value_rows(section: dict, fields: tuple[str, ...] | None, lang: str) -> str:
    names = [f for f in (fields or section.keys()) if f in section] + \
        ([f for f in section if fields and f not in fields])
    rows = []
    for f in names:
        v = section.get(f)
        if not isinstance(v, dict):
            continue
        unit = v.get("unit") or v.get("currency")
        value = value_label(CODED[f], v.get("value"), lang) if f in CODED else v.get("value")
        shown = fmt_num(value, unit, lang, sign=f in RETURN_FIELDS)
        if not is_missing(v.get("value_high")) and v.get("value_high") != v.get("value"):
            shown += "–" + fmt_num(v.get("value_high"), unit, lang)
        src = v.get("source") or ""
        basis = v.get("basis")
        if basis == "derived" or src == "derived":
            formula = (v.get("derivation") or {}).get("formula", "")
            src_html = f'<span class="tag">{esc(L("derived", lang))}</span> <span class=muted>{esc(formula)}</span>'
        else:
            src_html = f"<code>{esc(src)}</code>"
            if v.get("quote"):
                src_html += f'<br><span class="muted">“{esc(v["quote"])}”</span>'
            if v.get("note") and basis == "derived_by_source":
                src_html += f'<br><span class="muted">{esc(v["note"])}</span>'
        # a stated figure and its recomputation, whichever is shown, are checked against each other in view
        for s in v.get("stated_values") or []:
            verdict = L("agrees" if s.get("agrees_with_derived") else "differs", lang)
            src_html += (f'<br><span class="muted">{esc(fmt_num(s.get("value"), unit, lang))} '
                         f'<code>{esc(s.get("source") or "")}</code>: {esc(verdict)}</span>')
        if v.get("recomputed"):
            r = v["recomputed"]
            src_html += (f'<br><span class="muted">{esc(fmt_num(r.get("value"), unit, lang))} = '
                         f'{esc((r.get("derivation") or {}).get("formula", ""))}: {esc(L("differs", lang))}</span>')
        cls = signed_class(v.get("value")) if f in RETURN_FIELDS else ""
        rows.append(f"<tr><td>{esc(field_label(f, lang))}</td><td class=num data-field=\"{esc(f)}\"><span{cls}>"
                    f"{shown}</span></td><td>{esc(qualifier_label(v.get('qualifier'), lang))}</td><td>{fmt_num(v.get('as_of'), lang=lang) if v.get('as_of') else ''}"
                    f"</td><td>{src_html}</td></tr>")
    if not rows:
        return f'<p class="missing">{esc(L("not_on_file", lang))}</p>'
    head = "".join(f"<th>{esc(L(k, lang))}</th>" for k in ("field", "value", "qualifier", "as_of", "source"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _val(section: dict, f: str) -> float | None:
    v = section.get(f)
    if isinstance(v, dict) and isinstance(v.get("value"), (int, float)) and not is_missing(v.get("value")):
        return float(v["value"])
    return None


def _currency_of(*vals: dict | None) -> str:
    """The currency the values are stated in; '' when none says (a chart is then titled without one)."""
    for v in vals:
        ccy = (v or {}).get("currency") or (v or {}).get("unit")
        if ccy in MONEY:
            return ccy
    return ""


def _first_day_chart(prof: dict, charts: Charts, lang: str) -> str:
    """Offer, open and close in the currency they are stated in (CNY for a STAR listing), never an assumed HKD."""
    import plotly.graph_objects as go

    deal, fd = prof.get("deal", {}), prof.get("first_day", {})
    names, vals, ccys = [], [], set()
    for label, sec, f in (("offer_label", deal, "offer_price"), ("open_label", fd, "open_price"),
                          ("close_label", fd, "close_price")):
        v = _val(sec, f)
        if v is not None:
            names.append(L(label, lang))
            vals.append(v)
            ccys.add(_currency_of(sec.get(f)))
    if not vals:
        return ""
    if len(ccys) > 1:  # prices in two currencies cannot share an axis; show none rather than a wrong one
        return ""
    ccy = ccys.pop()
    fig = go.Figure(go.Bar(x=names, y=vals, text=[f"{v:,.2f}" for v in vals], textposition="outside",
                           marker_color=["#5b7fa6", "#d08c2b", "#2f8f5b"][:len(vals)]))
    title = L("first_day_chart", lang, ccy=t(f"currency_name.{ccy}", lang) if ccy else "?")
    fig.update_layout(title=title, height=340, margin=dict(t=50, b=30, l=40, r=20), autosize=True)
    return charts.div(fig, "chart-first-day")


def _valuation(table: pd.DataFrame, ccy: str, prof: dict, charts: Charts, lang: str) -> str:
    """The peers in the listing's currency, the listing first, with the FX row (pair, rate, date, source) behind
    each conversion."""
    import plotly.graph_objects as go

    up_down = colors(lang=lang)
    rows = []
    for r in table.to_dict("records"):
        fx = ""
        if not is_missing(r.get("mc_fx_rate")) and r.get("mc_fx_source") != "same currency":
            fx = L("fx_note", lang, pair=esc(r["mc_fx_pair"]), rate=f"{r['mc_fx_rate']:.6g}",
                   date=esc(text(r["mc_fx_date"])), source=f"<code>{esc(r['mc_fx_source'])}</code>")
        rows.append(f"<tr><td>{esc(r['code'])}</td><td>{esc(r['name'])}</td><td>{esc(value_label('market', r['market'], lang))}</td>"
                    f"<td class=num>{fmt_num(r['market_cap_conv'], ccy, lang)}</td>"
                    f"<td>{fmt_num(r['valuation_date'], lang=lang) if not is_missing(r['valuation_date']) else ''}</td>"
                    f"<td class=num><span{signed_class(r['first_day_return'])}>"
                    f"{fmt_num(r['first_day_return'], 'pct', lang, sign=True)}</span></td>"
                    f"<td class=num>{fmt_num(r['ps'], 'x', lang)}</td>"
                    f"<td class=num>{fmt_num(r['rd_intensity'], 'pct', lang)}</td><td>{fx}</td></tr>")
    heads = [L("code", lang), L("name", lang), L("market", lang), L("market_cap_in", lang, ccy=t(f"currency_name.{ccy}", lang)),
             L("as_of", lang), L("fdr", lang), L("ps", lang), L("rd_revenue", lang), L("fx", lang)]
    html = (f"<table><thead><tr>{''.join(f'<th>{esc(h)}</th>' for h in heads)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p class=muted>{esc(L('peer_note', lang, ccy=t(f'currency_name.{ccy}', lang)))}</p>")
    have = table[table["first_day_return"].notna()]
    if len(have):
        own = table.iloc[0]["code"]
        # the listing itself outlined; every bar coloured by the sign of its return in the reader's convention
        bar_colors = [up_down["up"] if v > 0 else up_down["down"] for v in have["first_day_return"]]
        widths = [3 if c == own else 0 for c in have["code"]]
        fig = go.Figure(go.Bar(x=have["code"], y=have["first_day_return"], marker_color=bar_colors,
                               marker_line=dict(width=widths, color="#1d2733"),
                               text=[f"{v:+,.1f}%" for v in have["first_day_return"]], textposition="outside"))
        fig.update_layout(title=L("peer_chart", lang), height=360, margin=dict(t=50, b=40, l=40, r=20))
        html = charts.div(fig, "chart-peers") + html
    return html


def _fundamentals(prof: dict, charts: Charts, lang: str) -> str:
    import plotly.graph_objects as go

    from ipolens.analytics.fundamentals import period_sort_key

    periods = (prof.get("fundamentals") or {}).get("periods") or {}
    pts = []
    for p, vals in periods.items():
        if p == "undated" or not isinstance(vals, dict):
            continue
        rev, rd = _val(vals, "revenue"), _val(vals, "rd_expense")
        loss = _val(vals, "adjusted_net_loss")
        if rev is None and rd is None and loss is None:
            continue
        ccy = _currency_of(*(vals.get(f) for f in ("revenue", "rd_expense", "adjusted_net_loss")))
        pts.append((p, rev, rd, loss, ccy))
    if not pts:
        return f'<p class="missing">{esc(L("no_fundamentals", lang))}</p>'
    pts.sort(key=lambda x: period_sort_key(x[0]))
    x = [p[0] for p in pts]
    table = "".join(f"<h3 class=muted>{esc(p)}</h3>" + _value_rows(periods[p], None, lang) for p in x)
    ccys = {p[4] for p in pts if p[4]}
    if len(ccys) != 1:  # periods in different currencies (or none stated) are not charted on one axis
        return table
    ccy = ccys.pop()
    fig = go.Figure()
    for i, name in ((1, "revenue"), (2, "rd_expense"), (3, "adjusted_net_loss")):
        ys = [p[i] / 1e6 if p[i] is not None else None for p in pts]
        if any(y is not None for y in ys):
            fig.add_bar(x=x, y=ys, name=field_label(name, lang))
    fig.update_layout(title=L("fund_chart", lang, ccy=t(f"currency_name.{ccy}", lang)), barmode="group",
                      height=360, margin=dict(t=50, b=40, l=50, r=20))
    return charts.div(fig, "chart-fundamentals") + table


def _mechanics(mech: dict, lang: str) -> str:
    if not mech.get("available"):
        why = f" ({esc(mech['reason'])})" if mech.get("reason") else ""
        return f'<p class="missing">{esc(L("no_mechanics", lang))}{why}</p>'
    stated = mech.get("stated_final_pct")
    pct = lambda v: fmt_num(v, "pct", lang)  # noqa: E731 - a local shorthand
    # English: the rule file's own name; Chinese: the catalogue's translation of it, when it has one
    name = value_label("hk_regime", mech["regime"], lang) if lang != "en" else mech["regime"]
    name = mech["regime_name"] if name == mech["regime"] else name
    rows = [("mech_regime", f"{mech['regime']} — {name}"), ("mech_why", mech["reason"]),
            ("mech_subscription", fmt_num(mech["subscription"], "x", lang)),
            ("mech_initial", pct(mech["initial_pct"])),
            ("mech_final_model", L("mech_of_initial", lang, v=pct(mech["final_pct"]))),
            ("mech_final_stated", L("mech_of_final", lang, v=pct(stated)) if stated is not None else "—"),
            ("mech_rule_source", mech["source"])]
    rows += [("mech_unconfirmed", u) for u in mech.get("unconfirmed", [])]
    return ("<table class=mechanics>" + "".join(f"<tr><th>{esc(L(k, lang))}</th><td>{esc(v)}</td></tr>"
                                                for k, v in rows) + "</table>")


_VERDICT_CLASS = {"agrees": "good", "agrees_at_rate": "good", "differs": "bad"}


def _claims(claims: list[dict], prof: dict, lang: str) -> str:
    """News claims on file for this IPO, each against the ledger's resolved value with the ledger's own verdict
    (``app.report._claims``: the comparison ``ipolens conflicts`` makes), plus the recorded conflicts."""
    if not claims:
        return f'<p class="missing">{esc(L("no_claims", lang))}</p>'
    rows = []
    for c in claims:
        ref, ref_txt = c.get("ref"), ""
        if ref:
            ref_txt = f"{fmt_num(ref['value'], ref.get('unit'), lang)} <code>{esc(ref['source_id'])}</code>"
        word = L(c["verdict"], lang) if ref else "—"
        fx = c.get("fx")
        if fx:
            note = L("fx_note", lang, pair=esc(fx["pair"]), rate=f"{fx['rate']:.6g}", date=esc(fx["date"]),
                     source=f"<code>{esc(fx['source'])}</code>")
            word += f"<br><span class=muted>{note}</span>"
        cls = _VERDICT_CLASS.get(c["verdict"]) if ref else None
        verdict = f"<span class={cls}>{word}</span>" if cls else word
        quote = f"<br><span class=muted>“{esc(c['quote'])}”</span>" if text(c.get("quote")) else ""
        rows.append(f"<tr data-claim-field=\"{esc(c['field'])}\"><td>{esc(field_label(c['field'], lang))}</td>"
                    f"<td class=num>{fmt_num(c['value'], c.get('unit'), lang)} <span class=muted>"
                    f"({esc(qualifier_label(c.get('qualifier'), lang))})</span></td><td>{ref_txt}</td>"
                    f"<td>{verdict}</td><td><code>{esc(c['source_id'])}</code>{quote}</td></tr>")
    conflicts = prof.get("conflicts") or []
    conf = ""
    if conflicts:
        conf = (f"<h3>{esc(L('conflicts', lang))}</h3><table><tbody>" + "".join(
            f"<tr data-conflict=\"{esc(c.get('field', ''))}\"><td>{esc(field_label(c.get('field', ''), lang))}</td>"
            f"<td>{fmt_conflict_value(c, 'a', lang)} <code>{esc(c.get('source_a'))}</code></td>"
            f"<td>{fmt_conflict_value(c, 'b', lang)} ({esc(qualifier_label(c.get('qualifier_b'), lang))}) "
            f"<code>{esc(c.get('source_b'))}</code></td></tr>" for c in conflicts) + "</tbody></table>")
    head = "".join(f"<th>{esc(L(k, lang))}</th>" for k in ("field", "claim", "ledger", "verdict", "source"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>" + conf


def render_ipo(data: IpoReportData) -> str:
    """The brief as one self-contained HTML page."""
    lang, prof = lang_of(data.lang), data.profile
    zh = lang.startswith("zh")
    charts = Charts()
    name = prof.get("name_zh") if zh and prof.get("name_zh") else prof.get("name_en")
    title = f"{name or prof['code']} ({prof['code']}) — {L('brief', lang)}"
    deal_html = _value_rows(prof.get("deal", {}), DEAL_FIELDS, lang)
    fd_html = _first_day_chart(prof, charts, lang) + _value_rows(prof.get("first_day", {}), FIRST_DAY_FIELDS, lang)
    val_html = _valuation(data.peers, data.peer_currency, prof, charts, lang)
    own_val = _value_rows({k: v for k, v in (prof.get("valuation") or {}).items() if isinstance(v, dict)}, None, lang)
    body = (f"<h1>{esc(name)} <span class=muted>{esc(prof['code'])}</span></h1>"
            f"<p class=muted>{esc(prof.get('name_en') if zh else prof.get('name_zh') or '')} · "
            f"{esc(value_label('market', prof.get('market'), lang))}</p>"
            f"<h2 id=deal>{esc(L('deal', lang))}</h2>{deal_html}{fd_html}"
            f"<h2 id=valuation>{esc(L('valuation', lang))}</h2>{own_val}{val_html}"
            f"<h2 id=fundamentals>{esc(L('fundamentals', lang))}</h2>{_fundamentals(prof, charts, lang)}"
            f"<h2 id=mechanics>{esc(L('mechanics', lang))}</h2>{_mechanics(data.mechanics, lang)}"
            f"<h2 id=claims>{esc(L('claims', lang))}</h2>{_claims(data.claims, prof, lang)}"
            f"<h2 id=sources>{esc(L('sources', lang))}</h2>{sources_table(data.sources, data.source_ids, lang)}")
    if 'class="chart"' not in body:
        # Every brief carries at least one chart element, even when a company has almost no numbers on file.
        import plotly.graph_objects as go

        body = body.replace("</h1>", "</h1>" + charts.div(go.Figure().update_layout(
            title=L("not_on_file", lang), height=200), "chart-empty"), 1)
    return page(title, body, lang)
