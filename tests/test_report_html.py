"""HTML reports: one self-contained file, charts inline, no network references to load."""
from __future__ import annotations

import re

import pytest

from ipolens.app.base import UserError
from ipolens.report import ipo_report, market_report


def render_ipo(store, code: str, lang: str = "en") -> str:
    return ipo_report(store, code, lang).html


def render_market(store, market: str = "HK", year: int | None = None) -> str:
    return market_report(store, market, year).html

_LOADS = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']https?://", re.I)


def _offline(html: str) -> None:
    assert not _LOADS.search(html), _LOADS.search(html).group(0)
    assert "cdn.plot.ly" not in html.split("</head>")[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ipo_brief(store, lang):
    html = render_ipo(store, "6082.HK", lang=lang)
    _offline(html)
    assert html.count("Plotly.newPlot") >= 2
    assert 'id="chart-first-day"' in html and 'id="chart-fundamentals"' in html
    assert "19.60" in html  # the offer price
    assert "dataset:urop-hk-ipo-2026" in html  # its source
    assert ("壁仞科技" in html) and (("发行条款" in html) if lang == "zh" else ("Deal terms" in html))
    assert "fx:ecb-eurofxref" in html  # peers converted through the FX table


def test_brief_for_sparse_listing_still_has_a_chart(store):
    html = render_ipo(store, "3309.HK")
    _offline(html)
    assert 'class="chart"' in html


def test_market_report(store):
    html = render_market(store, "HK", 2026)
    _offline(html)
    assert 'id="chart-distribution"' in html and "06082.HK" in html
    with pytest.raises(UserError, match="no listings"):
        render_market(store, "HK", 1999)


def test_cli_report_writes_one_file(run_cli, tmp_path):
    out = tmp_path / "x.html"
    res = run_cli("report", "6082.HK", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 100_000  # plotly.js inline
    assert list(tmp_path.iterdir()) == [out]
    res = run_cli("report", "market", "--market", "HK", "--year", "2026", "--out", str(tmp_path / "m.html"))
    assert res.exit_code == 0, res.output
    assert run_cli("report", "6082.HK", "--lang", "fr").exit_code != 0
    assert run_cli("report", "NOPE.HK", "--out", str(tmp_path / "n.html")).exit_code != 0


def test_brief_shows_a_stated_figure_that_differs_from_its_recomputation(store):
    html = render_ipo(store, "688795")
    # Moore Threads: 600.50 / 114.28 gives +425.46%; the launch article's 468.78% is shown beside it, flagged
    assert re.search(r"468\.78%\s*<code>news:2025-12-biren-ipo-launch</code>: differs", html)


def _section(html: str, anchor: str) -> str:
    return html.split(f"<h2 id={anchor}>", 1)[1].split("<h2", 1)[0]


def test_sources_table_never_prints_nan(store):
    html = render_ipo(store, "688795")
    sources = _section(html, "sources")
    row = re.search(r"<tr><td><code>derived:ipolens</code>.*?</tr>", sources).group(0)
    assert "undated" in row and "<td>—</td>" in row
    assert not re.search(r">\s*nan\s*<", sources), sources


def test_conflicts_carry_currency_and_rounding(store):
    claims = _section(render_ipo(store, "2513.HK"), "claims")
    row = re.search(r'<tr data-conflict="valuation">.*?</tr>', claims).group(0)
    assert "HKD 51.200bn" in row and "USD 7.000bn" in row and "51200000000" not in row
    assert "HKD 51.779bn–HKD 57.240bn" in row and "fx:ecb-eurofxref" in row and "2026-01-05" in row
    row = re.search(r'<tr data-conflict="first_day_return">.*?</tr>', _section(render_ipo(store, "688795"), "claims"))
    assert "425.46%" in row.group(0) and "468.78%" in row.group(0) and "425.4637" not in row.group(0)


def test_claimed_years_have_no_thousands_separator(store):
    claims = _section(render_ipo(store, "6082.HK"), "claims")
    row = re.search(r"<tr><td>founded year</td>.*?</tr>", claims).group(0)
    assert "2019" in row and "2,019" not in row


def test_market_report_offer_shows_its_currency(store):
    html = render_market(store, "STAR")
    assert re.search(r"<tr><td>688795\.SH</td>.*?<td class=num>CNY 114\.28</td>", html)
    assert re.search(r"<tr><td>06082\.HK</td>.*?<td class=num>HKD 19\.60</td>", render_market(store, "HK", 2026))
