"""A market on one page: the first-day return distribution, by year, band and route, N-day returns vs the HSI,
and the list of listings."""
from __future__ import annotations

from ..app.report import MarketReportData
from .common import LABELS, Charts, esc, fmt_num, page, sources_table


def _stat_table(groups: list[dict], key: str, key_label: str, lang: str) -> str:
    L = LABELS[lang]
    rows = "".join(
        f"<tr><td>{esc(g.get(key))}</td><td class=num>{g['count']}</td><td class=num>{fmt_num(g['mean'], 'pct', lang)}"
        f"</td><td class=num>{fmt_num(g['median'], 'pct', lang)}</td><td class=num>"
        f"{fmt_num(g['pct_positive'], 'pct', lang)}</td><td class=num>{fmt_num(g['pct_broken'], 'pct', lang)}</td></tr>"
        for g in groups)
    return (f"<table><thead><tr><th>{esc(key_label)}</th><th>{L['count']}</th><th>{L['mean']}</th>"
            f"<th>{L['median']}</th><th>{L['pct_positive']}</th><th>{L['pct_broken']}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def render_market(data: MarketReportData, pipeline: dict | None = None) -> str:
    """The market report as one self-contained HTML page; ``pipeline`` (``report.pipeline.pipeline_section_data``)
    adds the pipeline section before the sources."""
    import numpy as np
    import plotly.graph_objects as go

    lang, market, year, summary, band = data.lang, data.market, data.year, data.summary, data.band
    L = LABELS[lang]
    charts = Charts()
    fdr = np.asarray(data.first_day_returns, dtype=float)  # a typed array: plotly embeds it compactly
    # fixed-width bins in percentage points so two reports read alike
    hist = go.Figure(go.Histogram(x=fdr, xbins=dict(size=10 if len(fdr) < 50 else 5), marker_color="#5b7fa6"))
    hist.update_layout(title=f"{L['dist']} (n={summary['count']})", xaxis_title="%", height=340,
                       margin=dict(t=50, b=40, l=40, r=20))
    bar = go.Figure(go.Bar(x=[g["band"] for g in band["groups"]], y=[g["mean"] for g in band["groups"]],
                           text=[f"n={g['count']}" for g in band["groups"]], textposition="outside",
                           marker_color="#d08c2b"))
    bar.update_layout(title=L["by_band"] + " (mean %)", height=340, margin=dict(t=50, b=40, l=40, r=20))
    parts = [f"<h1>{esc(L['market_report'])}: {esc(market)}{' ' + str(year) if year else ''}</h1>",
             f"<p class=muted>{L['ipos']} n={summary['count']} · {L['mean']} "
             f"{fmt_num(summary['mean'], 'pct', lang)} · {L['median']} {fmt_num(summary['median'], 'pct', lang)} · "
             f"{L['pct_positive']} {fmt_num(summary['pct_positive'], 'pct', lang)}</p>",
             charts.div(hist, "chart-distribution"),
             f"<h2>{L['year']}</h2>", _stat_table(data.by_year["groups"], "year", L["year"], lang),
             f"<h2>{L['by_band']}</h2>", charts.div(bar, "chart-bands"),
             _stat_table(band["groups"], "band", L["band"], lang),
             f"<p class=muted>{esc(band['note'])}</p>",
             f"<h2>{L['by_route']}</h2>", _stat_table(data.by_route["groups"], "route", L["route"], lang)]
    nd = data.nday
    if any(d["count"] for d in nd["days"]):
        nd_rows = "".join(
            f"<tr><td>{d['day']}</td><td class=num>{d['count']}</td><td class=num>"
            f"{fmt_num(d['mean_from_listing_close'], 'pct', lang)}</td><td class=num>"
            f"{fmt_num(d['mean_hsi_from_listing_close'], 'pct', lang)}</td><td class=num>"
            f"{fmt_num(d['mean_excess_vs_hsi'], 'pct', lang)}</td><td class=num>"
            f"{fmt_num(d['pct_beating_hsi'], 'pct', lang)}</td></tr>" for d in nd["days"])
        parts += [f"<h2>{L['nday']}</h2><table><thead><tr><th>day</th><th>n</th><th>stock</th><th>HSI</th>"
                  f"<th>excess</th><th>% beating HSI</th></tr></thead><tbody>{nd_rows}</tbody></table>"
                  f"<p class=muted>{esc(nd['note'])}; {nd['excluded_rows']} rows left out.</p>"]
    # the offer price carries its currency: STAR prices are CNY, HK prices HKD
    listing_rows = "".join(
        f"<tr><td>{esc(r['code'])}</td><td>{esc(r['name_zh'] if lang == 'zh' and r['name_zh'] else r['name_en'])}"
        f"</td><td>{esc(r['listing_date'])}</td><td class=num>{fmt_num(r['offer_price'], r.get('currency') or None, lang)}</td>"
        f"<td class=num>{fmt_num(r['oversubscription_public'], 'x', lang)}</td>"
        f"<td class=num>{fmt_num(r['first_day_return'], 'pct', lang)}</td><td>{esc(r['route_group'])}</td></tr>"
        for r in data.listings.to_dict("records"))
    parts += [f"<h2>{L['list']}</h2><table><thead><tr><th>{L['code']}</th><th>{L['name']}</th><th>{L['date']}</th>"
              f"<th>{L['offer']}</th><th>{L['subs']}</th><th>{L['fdr']}</th><th>{L['route']}</th></tr></thead>"
              f"<tbody>{listing_rows}</tbody></table>"]
    if pipeline is not None:
        from .pipeline import render_pipeline

        parts.append(render_pipeline(pipeline, lang))
    parts += [f"<h2>{L['sources']}</h2>", sources_table(data.sources, data.source_ids, lang)]
    return page(f"{L['market_report']} {market} {year or ''}".strip(), "".join(parts), lang)
