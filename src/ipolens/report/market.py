"""A market on one page: the first-day return distribution, by year, band and route, N-day returns vs the HSI,
and the list of listings. Labels from the catalogue; returns coloured by the reader's convention."""
from __future__ import annotations

from ..app.report import MarketReportData
from .common import Charts, L, esc, fmt_num, lang_of, page, signed_class, sources_table, value_label


def _ret(v, lang: str) -> str:
    """A return cell: signed, coloured up / down."""
    return f"<td class=num><span{signed_class(v)}>{fmt_num(v, 'pct', lang, sign=True)}</span></td>"


def _stat_table(groups: list[dict], key: str, key_label: str, lang: str) -> str:
    rows = "".join(
        f"<tr><td>{esc(value_label(key, g.get(key), lang) if key == 'route' else g.get(key))}</td><td class=num>{fmt_num(g['count'], 'count', lang)}</td>"
        f"{_ret(g['mean'], lang)}{_ret(g['median'], lang)}<td class=num>{fmt_num(g['pct_positive'], 'pct', lang)}"
        f"</td><td class=num>{fmt_num(g['pct_broken'], 'pct', lang)}</td></tr>"
        for g in groups)
    heads = [key_label] + [L(k, lang) for k in ("count", "mean", "median", "pct_positive", "pct_broken")]
    return (f"<table><thead><tr>{''.join(f'<th>{esc(h)}</th>' for h in heads)}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def render_market(data: MarketReportData, pipeline: dict | None = None) -> str:
    """The market report as one self-contained HTML page; ``pipeline`` (``report.pipeline.pipeline_section_data``)
    adds the pipeline section before the sources."""
    import numpy as np
    import plotly.graph_objects as go

    from ..i18n import colors

    lang = lang_of(data.lang)
    market, year, summary, band = data.market, data.year, data.summary, data.band
    up_down = colors(lang=lang)
    charts = Charts()
    fdr = np.asarray(data.first_day_returns, dtype=float)  # a typed array: plotly embeds it compactly
    # fixed-width bins in percentage points so two reports read alike
    hist = go.Figure(go.Histogram(x=fdr, xbins=dict(size=10 if len(fdr) < 50 else 5), marker_color="#5b7fa6"))
    hist.update_layout(title=f"{L('dist', lang)} (n={summary['count']})", xaxis_title="%", height=340,
                       margin=dict(t=50, b=40, l=40, r=20))
    means = [g["mean"] for g in band["groups"]]
    bar = go.Figure(go.Bar(x=[g["band"] for g in band["groups"]], y=means,
                           text=[f"n={g['count']}" for g in band["groups"]], textposition="outside",
                           marker_color=[up_down["up"] if (m or 0) >= 0 else up_down["down"] for m in means]))
    bar.update_layout(title=L("by_band_mean", lang), height=340, margin=dict(t=50, b=40, l=40, r=20))
    parts = [f"<h1>{esc(L('market_report', lang))}: {esc(value_label('market', market, lang))}{' ' + str(year) if year else ''}</h1>",
             # each label in its own element: a label is a text node of its own, never glued to a number
             f"<p class=muted><span>{esc(L('ipos', lang))}</span> n={summary['count']} · "
             f"<span>{esc(L('mean', lang))}</span> {fmt_num(summary['mean'], 'pct', lang, sign=True)} · "
             f"<span>{esc(L('median', lang))}</span> {fmt_num(summary['median'], 'pct', lang, sign=True)} · "
             f"<span>{esc(L('pct_positive', lang))}</span> {fmt_num(summary['pct_positive'], 'pct', lang)}</p>",
             charts.div(hist, "chart-distribution"),
             f"<h2>{esc(L('year', lang))}</h2>", _stat_table(data.by_year["groups"], "year", L("year", lang), lang),
             f"<h2>{esc(L('by_band', lang))}</h2>", charts.div(bar, "chart-bands"),
             _stat_table(band["groups"], "band", L("band", lang), lang),
             f"<p class=muted>{esc(band['note'])}</p>",
             f"<h2>{esc(L('by_route', lang))}</h2>",
             _stat_table(data.by_route["groups"], "route", L("route", lang), lang)]
    nd = data.nday
    if any(d["count"] for d in nd["days"]):
        nd_rows = "".join(
            f"<tr><td>{d['day']}</td><td class=num>{fmt_num(d['count'], 'count', lang)}</td>"
            f"{_ret(d['mean_from_listing_close'], lang)}{_ret(d['mean_hsi_from_listing_close'], lang)}"
            f"{_ret(d['mean_excess_vs_hsi'], lang)}<td class=num>{fmt_num(d['pct_beating_hsi'], 'pct', lang)}</td></tr>"
            for d in nd["days"])
        heads = "".join(f"<th>{esc(L(k, lang))}</th>" for k in ("day", "n", "stock", "hsi", "excess", "beating_hsi"))
        parts += [f"<h2>{esc(L('nday', lang))}</h2><table><thead><tr>{heads}</tr></thead><tbody>{nd_rows}</tbody>"
                  f"</table><p class=muted>{esc(nd['note'])}; <span>{esc(L('rows_left_out', lang, n=nd['excluded_rows']))}</span></p>"]
    zh = lang.startswith("zh")
    # the offer price carries its currency: STAR prices are CNY, HK prices HKD
    listing_rows = "".join(
        f"<tr><td>{esc(r['code'])}</td><td>{esc(r['name_zh'] if zh and r['name_zh'] else r['name_en'])}"
        f"</td><td>{esc(r['listing_date'])}</td><td class=num>{fmt_num(r['offer_price'], r.get('currency') or None, lang)}</td>"
        f"<td class=num>{fmt_num(r['oversubscription_public'], 'x', lang)}</td>"
        f"{_ret(r['first_day_return'], lang)}<td>{esc(value_label('route', r['route_group'], lang))}</td></tr>"
        for r in data.listings.to_dict("records"))
    heads = "".join(f"<th>{esc(L(k, lang))}</th>" for k in ("code", "name", "date", "offer", "subs", "fdr", "route"))
    parts += [f"<h2>{esc(L('list', lang))}</h2><table><thead><tr>{heads}</tr></thead>"
              f"<tbody>{listing_rows}</tbody></table>"]
    if pipeline is not None:
        from .pipeline import render_pipeline

        parts.append(render_pipeline(pipeline, lang))
    parts += [f"<h2>{esc(L('sources', lang))}</h2>", sources_table(data.sources, data.source_ids, lang)]
    return page(f"{L('market_report', lang)} {market} {year or ''}".strip(), "".join(parts), lang)
