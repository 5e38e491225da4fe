"""HTML tear sheet: conventions header, summary table, equity curve, drawdown, return distribution, trades.

Plots are plotly with the library inlined once (``include_plotlyjs=True``): the file opens offline, no CDN.
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from .book import BookResult

__all__ = ["render_html", "write_report"]

_CSS = """body{font-family:system-ui,sans-serif;margin:24px auto;padding:0 16px;max-width:1200px;color:#222}
table{border-collapse:collapse;font-size:13px;display:block;max-width:100%;overflow-x:auto}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}td.t{text-align:left}
.conv{font-size:13px;color:#444;background:#fafafa;border:1px solid #eee;padding:8px}h2{margin-top:28px}"""


def _fmt(v) -> str:
    """A cell: '–' for missing (None, NaN, NaT), whole numbers without decimals (87, not 87.0000), dates as ISO."""
    if v is None or v is pd.NaT or (isinstance(v, (float, np.floating)) and np.isnan(v)):
        return "–"
    if isinstance(v, (int, np.integer, float, np.floating)) and not isinstance(v, (bool, np.bool_)):
        x = float(v)
        if x.is_integer():
            return f"{int(x):,}"
        return f"{x:,.4f}" if abs(x) < 1000 else f"{x:,.0f}"
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return html.escape(str(v))


def _table(df: pd.DataFrame, max_rows: int = 2000) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [df.index.name or ""] + list(df.columns))
    body = []
    for idx, row in df.head(max_rows).iterrows():
        cells = "".join(f"<td class='t'>{_fmt(v)}</td>" if isinstance(v, str) else f"<td>{_fmt(v)}</td>"
                        for v in row.tolist())
        body.append(f"<tr><td class='t'>{html.escape(str(idx))}</td>{cells}</tr>")
    more = f"<p>{len(df) - max_rows} more rows not shown.</p>" if len(df) > max_rows else ""
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{more}"


def _from_start(res: BookResult, column: str) -> np.ndarray:
    """The equity of one column with its starting capital in front (the base of the first session's return)."""
    return np.concatenate(([float(res.summary.loc[column, "start_equity"])], res.equity[column].to_numpy()))


def render_html(res: BookResult, title: str = "ipolens strategy lab") -> str:
    import plotly.graph_objects as go
    import plotly.io as pio

    figs = []
    eq = go.Figure()
    for c in res.equity.columns:
        eq.add_trace(go.Scatter(x=res.dates, y=res.equity[c], name=c, mode="lines"))
    eq.update_layout(title="Equity", height=380, margin=dict(l=40, r=20, t=40, b=30))
    figs.append(eq)
    dd = go.Figure()
    for c in res.equity.columns:
        # from the starting capital, like max_drawdown in the summary: a first-session loss is a drawdown
        v = _from_start(res, c)
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero-weight sleeve has no drawdown to draw
            d = (v / np.maximum.accumulate(v) - 1.0)[1:]
        dd.add_trace(go.Scatter(x=res.dates, y=d * 100, name=c, mode="lines", fill="tozeroy" if c == "total"
                                else None))
    dd.update_layout(title="Drawdown (%), from the start value", height=300, margin=dict(l=40, r=20, t=40, b=30))
    figs.append(dd)
    dist = go.Figure()
    if len(res.trades) and "gross_return" in res.trades:
        for name, g in res.trades.groupby("sleeve", sort=False):
            dist.add_trace(go.Histogram(x=g["gross_return"] * 100, name=f"{name} trades", opacity=0.6, nbinsx=40))
        dist.update_layout(title="Trade return distribution (%, gross)", barmode="overlay")
    else:
        v = _from_start(res, "total")
        r = (v[1:] / v[:-1] - 1.0) * 100
        dist.add_trace(go.Histogram(x=r, name="daily", nbinsx=60))
        dist.update_layout(title="Daily return distribution (%)")
    dist.update_layout(height=300, margin=dict(l=40, r=20, t=40, b=30))
    figs.append(dist)
    plots = [pio.to_html(f, full_html=False, include_plotlyjs=(k == 0), config={"displaylogo": False})
             for k, f in enumerate(figs)]

    conv = res.conventions
    conv_txt = (f"Periods per year P = {conv.get('periods_per_year')} ({conv.get('calendar')} sessions); "
                f"risk-free {conv.get('risk_free_annual')} annual, converted once to per period; returns: "
                f"{conv.get('returns')}; Sharpe arithmetic, ddof 1; Sortino with target downside deviation over "
                f"all observations; max drawdown {conv.get('max_drawdown')}; CAGR by number of periods. "
                f"Fees: {conv.get('fees')} schedule, slippage {conv.get('slippage')} per fill. "
                f"Capital {conv.get('capital'):,.0f}. Period {res.dates[0].date()} to {res.dates[-1].date()}.")
    summary = res.summary.copy()
    summary.index.name = "sleeve"
    trades = res.trades.copy()
    if len(trades):
        keep = [c for c in ("sleeve", "code", "name", "listing_date", "entry_date", "exit_date", "entry_day",
                            "exit_day", "entry_price",
                            "exit_price", "reason", "gross_return", "shares", "notional", "pnl", "mae",
                            "suspect") if c in trades]
        trades = trades[keep]
        trades.index = range(1, len(trades) + 1)
        trades.index.name = "#"
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>
<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>
<div class="conv">{html.escape(conv_txt)}</div>
<h2>Summary</h2>{_table(summary)}
<h2>Equity curve</h2>{plots[0]}<h2>Drawdown</h2>{plots[1]}<h2>Return distribution</h2>{plots[2]}
<h2>Trades</h2>{_table(trades) if len(trades) else '<p>No trades.</p>'}
<p style="font-size:12px;color:#666">Generated by ipolens.lab. Data: embedded HKEX 2018–2022 set (Apache-2.0,
HKEX-IPO-app; AASTOCKS/Yahoo provenance) where used.</p></body></html>"""


def write_report(res: BookResult, path: str | Path, title: str = "ipolens strategy lab") -> Path:
    p = Path(path)
    if p.parent and not p.parent.exists():
        raise ValueError(f"report directory does not exist: {p.parent}")
    p.write_text(render_html(res, title), encoding="utf-8")
    return p
