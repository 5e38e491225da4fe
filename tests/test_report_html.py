"""HTML reports: one self-contained file, charts inline, no network references to load."""
from __future__ import annotations

import re

import pytest

from ipolens.report import render_ipo, render_market

_LOADS = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']https?://", re.I)


def _offline(html: str) -> None:
    assert not _LOADS.search(html), _LOADS.search(html).group(0)
    assert "cdn.plot.ly" not in html.split("</head>")[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ipo_brief(db, lang):
    html = render_ipo(db, "6082.HK", lang=lang)
    _offline(html)
    assert html.count("Plotly.newPlot") >= 2
    assert 'id="chart-first-day"' in html and 'id="chart-fundamentals"' in html
    assert "19.60" in html  # the offer price
    assert "dataset:urop-hk-ipo-2026" in html  # its source
    assert ("壁仞科技" in html) and (("发行条款" in html) if lang == "zh" else ("Deal terms" in html))
    assert "fx:ecb-eurofxref" in html  # peers converted through the FX table


def test_brief_for_sparse_listing_still_has_a_chart(db):
    html = render_ipo(db, "3309.HK")
    _offline(html)
    assert 'class="chart"' in html


def test_market_report(db):
    html = render_market(db, "HK", 2026)
    _offline(html)
    assert 'id="chart-distribution"' in html and "06082.HK" in html
    with pytest.raises(ValueError):
        render_market(db, "HK", 1999)


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


def test_brief_shows_a_stated_figure_that_differs_from_its_recomputation(db):
    html = render_ipo(db, "688795")
    # Moore Threads: 600.50 / 114.28 gives +425.46%; the launch article's 468.78% is shown beside it, flagged
    assert re.search(r"468\.78%\s*<code>news:2025-12-biren-ipo-launch</code>: differs", html)
