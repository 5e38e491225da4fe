"""HTML reports: one self-contained file, charts inline, no network references to load; every label from the
catalogue in the reader's language (issue 16), the currency in every chart title and table, "differs" only for
values that disagree at the dated FX rate."""
from __future__ import annotations

import html as htmllib
import json
import re

import pytest
import yaml

from ipolens.app.base import UserError
from ipolens.i18n import set_colors
from ipolens.report import ipo_report, market_report


def render_ipo(store, code: str, lang: str = "en") -> str:
    return ipo_report(store, code, lang).html


def render_market(store, market: str = "HK", year: int | None = None, lang: str = "en") -> str:
    return market_report(store, market, year, lang).html

_LOADS = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']https?://", re.I)


def _offline(html: str) -> None:
    assert not _LOADS.search(html), _LOADS.search(html).group(0)
    assert "cdn.plot.ly" not in html.split("</head>")[0]


@pytest.mark.parametrize("lang,heading", [("en", "Deal terms"), ("zh", "发行条款"), ("zh-Hans", "发行条款"),
                                          ("zh-Hant", "發行條款")])
def test_ipo_brief(store, lang, heading):
    html = render_ipo(store, "6082.HK", lang=lang)
    _offline(html)
    assert html.count("Plotly.newPlot") >= 2
    assert 'id="chart-first-day"' in html and 'id="chart-fundamentals"' in html
    assert "19.60" in html  # the offer price
    assert "dataset:urop-hk-ipo-2026" in html  # its source
    assert "壁仞科技" in html and heading in html
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


def test_cli_report_in_traditional_chinese(run_cli, tmp_path):
    """The issue's exact form: ipolens report 6082.HK --lang zh-Hant --out F."""
    out = tmp_path / "F.html"
    res = run_cli("report", "6082.HK", "--lang", "zh-Hant", "--out", str(out))
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in page and "發行條款與首日表現" in page and "港股發行機制" in page


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
    assert "HKD 51.20bn" in row and "USD 7.00bn" in row and "51200000000" not in row
    assert "HKD 51.78bn–HKD 57.24bn" in row and "fx:ecb-eurofxref" in row and "2026-01-05" in row
    row = re.search(r'<tr data-conflict="first_day_return">.*?</tr>', _section(render_ipo(store, "688795"), "claims"))
    assert "425.46%" in row.group(0) and "468.78%" in row.group(0) and "425.4637" not in row.group(0)


def test_claimed_years_have_no_thousands_separator(store):
    claims = _section(render_ipo(store, "6082.HK"), "claims")
    row = re.search(r'<tr data-claim-field="founded_year">.*?</tr>', claims).group(0)
    assert "2019" in row and "2,019" not in row


def test_market_report_offer_shows_its_currency(store):
    html = render_market(store, "STAR")
    assert re.search(r"<tr><td>688795\.SH</td>.*?<td class=num>CNY 114\.28</td>", html)
    assert re.search(r"<tr><td>06082\.HK</td>.*?<td class=num>HKD 19\.60</td>", render_market(store, "HK", 2026))


# --- issue 16: currencies, "differs", languages, colours ---------------------------------------------------------

def _chart_title(html: str, div_id: str) -> str:
    """The plotly layout title of one chart, decoded from the page's inline JSON."""
    call = html.split(f'Plotly.newPlot(                        "{div_id}"', 1)
    if len(call) == 1:
        call = re.split(rf'Plotly\.newPlot\(\s*"{re.escape(div_id)}"', html, maxsplit=1)
    assert len(call) == 2, f"no chart {div_id}"
    m = re.search(r'"title":\{"text":"((?:[^"\\]|\\.)*)"', call[1])
    return json.loads(f'"{m.group(1)}"')


def test_star_price_chart_is_titled_in_cny(store):
    # 688795.SH trades on the SSE STAR Market in renminbi; its offer price 114.28 is a CNY figure (issue 16)
    en = render_ipo(store, "688795.SH")
    assert _chart_title(en, "chart-first-day") == "Offer, open and close (CNY)"
    assert "人民币" in _chart_title(render_ipo(store, "688795.SH", "zh-Hans"), "chart-first-day")
    assert _chart_title(render_ipo(store, "6082.HK"), "chart-first-day") == "Offer, open and close (HKD)"


def test_peer_tables_are_in_the_listing_currency_and_say_how_they_converted(store):
    val = _section(render_ipo(store, "688795.SH"), "valuation")
    assert "<th>Market cap (CNY)</th>" in val and "converted to CNY at the FX rate of the date" in val
    assert "HKD" not in val  # its STAR peers are all in CNY: nothing shown in another currency
    # Biren's peers in HKD: Moore Threads' CNY market cap converted, with the pair, rate date and source in its row
    val = _section(render_ipo(store, "6082.HK"), "valuation")
    assert "<th>Market cap (HKD)</th>" in val
    row = re.search(r"<tr><td>688795\.SH</td>.*?</tr>", val).group(0)
    assert re.search(r"CNY/HKD [0-9.]+ on 20\d\d-\d\d-\d\d, <code>fx:ecb-eurofxref</code>", row), row


def _claim_rows(html: str, field: str) -> list[str]:
    return re.findall(rf'<tr data-claim-field="{field}">.*?</tr>', _section(html, "claims"))


def test_usd_market_cap_that_agrees_at_the_dated_rate_is_not_differs(store, db):
    """Biren: "约合110亿美元" and 855.4亿港元 on 2026-01-05 (issue 16). By hand from the ECB reference rates of
    2026-01-05 (HKD/EUR 9.0822, USD/EUR 1.1664): 1 USD = 9.0822 / 1.1664 = 7.78652 HKD; about 11bn USD (±5%) is
    10.45bn..11.55bn USD = 81.37bn..89.93bn HKD, which holds 85.54bn: they agree."""
    rate = 9.0822 / 1.1664
    assert 11e9 * 0.95 * rate <= 85.54e9 <= 11e9 * 1.05 * rate
    conf = db.conflicts()
    assert not ((conf["entity"] == "HK:06082") & (conf["field"] == "market_cap")).any()  # `ipolens conflicts` agrees
    rows = [r for r in _claim_rows(render_ipo(store, "6082.HK"), "market_cap") if "USD 11.00bn" in r]
    assert len(rows) == 1
    assert "differs" not in rows[0] and "agrees at the dated rate" in rows[0]
    assert "USD/HKD 7.78652 on 2026-01-05" in rows[0] and "fx:ecb-eurofxref" in rows[0]


def test_a_real_conflict_still_differs(store):
    # 约64% (60.8..67.2 at ±5%) against the deal data's 51.93%: no overlap, a listed conflict
    rows = [r for r in _claim_rows(render_ipo(store, "6082.HK"), "cornerstone_share_of_offer") if "64.00%" in r]
    assert rows and all("differs" in r for r in rows)


_SKIP = re.compile(r"<(script|style|code)\b.*?</\1>", re.S | re.I)
_EDGE = " \t\n()（）[]:：;；,，.。·—–"


def _text_nodes(page: str) -> set[str]:
    body = _SKIP.sub("<x>", page.split("<body>", 1)[1])
    nodes = (htmllib.unescape(x).strip(_EDGE) for x in re.split(r"<[^>]+>", body))
    return {n for n in nodes if n}


def _english_labels(lang: str, catalogue: str = "messages.yaml") -> dict[str, re.Pattern]:
    """The catalogue's English labels whose translation differs, each as a pattern for a whole text node
    (placeholders such as {ccy} match anything)."""
    from pathlib import Path

    import ipolens.i18n

    msgs = yaml.safe_load(Path(ipolens.i18n.__file__).with_name(catalogue).read_text(encoding="utf-8"))
    out = {}
    for key, entry in msgs.items():
        en, tr = entry.get("en", ""), entry.get(lang, "")
        if en == tr or not re.search(r"[A-Za-z]{2}", en):
            continue
        parts = re.split(r"\{[a-z_]+\}", en.strip(_EDGE))
        if len(parts) > 1 and len(re.findall(r"[A-Za-z]", "".join(parts))) < 6:
            continue  # "{pair} {rate} on {date}": too little fixed text to tell a label from prose
        out[key] = re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$", re.I | re.S)
    return out


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("what", ["6082.HK", "688795.SH", "2513.HK", "market"])
def test_zh_report_has_no_english_catalogue_label(store, lang, what):
    """Every text node of a zh report, and every chart title, against every English label of the catalogue: a
    label the renderer prints untranslated is a whole node (a heading, a header cell, a field name, a qualifier)."""
    page = render_market(store, "HK", 2026, lang) if what == "market" else render_ipo(store, what, lang)
    labels = _english_labels(lang)
    assert len(labels) > 150  # the catalogue is loaded: the field labels alone are more
    titles = {json.loads(f'"{t}"').strip(_EDGE) for t in re.findall(r'"title":\{"text":"((?:[^"\\]|\\.)*)"', page)}
    found = sorted((key, n) for n in _text_nodes(page) | titles for key, pat in labels.items() if pat.match(n))
    assert not found, found[:20]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(titles))  # the chart titles are Chinese too


def test_the_label_check_catches_an_english_label():
    # the check above must be able to fail: an English header cell and a qualifier in a zh page are found
    labels = _english_labels("zh-Hans")
    nodes = _text_nodes("<body><table><tr><th>Field</th><td>51.93%</td><td>(exact)</td></tr></table></body>")
    assert {k for n in nodes for k, p in labels.items() if p.match(n)} >= {"report.field", "qualifier.exact"}

def test_colour_convention_follows_the_language_and_the_option(store):
    red, green = "#c0392b", "#1f7a3a"
    try:
        zh, en = render_ipo(store, "6082.HK", "zh-Hans"), render_ipo(store, "6082.HK", "en")
        assert f".up{{color:{red}}}" in zh and f".down{{color:{green}}}" in zh  # red up in Chinese
        assert f".up{{color:{green}}}" in en and f".down{{color:{red}}}" in en
        set_colors("us")
        assert f".up{{color:{green}}}" in render_ipo(store, "6082.HK", "zh-Hans")
    finally:
        set_colors(None)
    # Biren closed +75.82% on day one: its return cell is marked up, so the page's convention colours it
    row = re.search(r'data-field="first_day_return"><span class="up">\+75\.82%</span>', zh)
    assert row, "first-day return not marked up"
