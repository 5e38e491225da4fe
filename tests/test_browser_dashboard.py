"""Browser tests: Debian's chromium driven headless by Playwright (Python).

They skip only where no browser can be had on a developer machine; under CI (CI=true) a missing browser or a
missing playwright package is a failure, never a skip. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import contextlib

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _chromium() -> str | None:
    for cand in (os.environ.get("IPOLENS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if cand and Path(cand).exists():
            return cand
    return None


def _unavailable(why: str):
    if IN_CI:
        pytest.fail(f"browser tests must run in CI: {why} (.ci/run installs chromium and playwright)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    exe = _chromium()
    if exe is None:
        _unavailable("no chromium found (apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`ipolens serve` as a user runs it, on a free loopback port with a throwaway IPOLENS_HOME."""
    port = _free_port()
    env = {**os.environ, "IPOLENS_HOME": str(tmp_path_factory.mktemp("serve-home"))}
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "ipolens.cli", "serve", "--port", str(port)],
                                stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(OSError):  # not listening yet: poll again
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("ipolens serve did not come up:\n" + log.read_text(errors="replace"))
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _only_local(page, allowed_prefix: str) -> list[str]:
    """Abort every request that leaves ``allowed_prefix``; return the list of what was attempted."""
    outside: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(allowed_prefix) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", handle)
    return outside


def test_dashboard_filter_open_detail(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = _only_local(page, server)
    page.goto(server + "/")
    page.wait_for_selector("#ipo-table tbody tr")
    assert page.locator("#ipo-table tbody tr").count() > 400  # the whole table before filtering

    page.select_option("#filter-year", "2026")
    page.wait_for_function("document.querySelectorAll('#ipo-table tbody tr').length === 8")
    codes = page.locator("#ipo-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert "06082.HK" in codes and all(c.endswith(".HK") for c in codes)

    # sorting by first-day return (descending on the second click) puts MiniMax (+109%) on top
    page.click("#ipo-table th[data-col=first_day_return]")
    page.click("#ipo-table th[data-col=first_day_return]")
    assert page.locator("#ipo-table tbody tr").first.get_attribute("data-code") == "00100.HK"

    page.click("#ipo-table tbody tr[data-code='06082.HK']")
    page.wait_for_selector("#view-detail:not([hidden])")
    page.wait_for_function("document.querySelector('#detail-offer-price').textContent.includes('19.6')")
    assert "19.6" in page.locator("#detail-offer-price").inner_text()
    assert "dataset:urop-hk-ipo-2026" in page.locator("#detail-offer-price-source").inner_text()
    page.wait_for_selector("#detail-chart .main-svg")
    bars = page.locator("#detail-chart .bars .point").count()
    assert bars == 3  # offer, open, close
    page.wait_for_selector("#detail-fund-chart .main-svg")
    assert page.locator("#detail-sources li").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-6082.png"), full_page=True)

    page.click("#nav-stats")
    page.wait_for_selector("#stats-band-chart .main-svg")
    assert page.locator("#stats-band tbody tr").count() == 5
    page.screenshot(path=str(ARTIFACTS / "dashboard-stats.png"), full_page=True)
    assert not errors, errors
    assert not outside, f"requests left the server: {outside[:5]}"
    page.close()


def test_api_docs_render_without_cdn(browser, server):
    page = browser.new_page()
    outside = _only_local(page, server)
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() >= 10
    assert not outside, f"/docs tried the network: {outside[:5]}"
    page.close()


def test_report_opens_offline(browser, tmp_path):
    from typer.testing import CliRunner

    from ipolens.cli import app

    ARTIFACTS.mkdir(exist_ok=True)
    out = tmp_path / "x.html"
    env = {"IPOLENS_HOME": str(tmp_path / "home")}
    res = CliRunner().invoke(app, ["report", "6082.HK", "--out", str(out)], env=env, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = _only_local(page, "file://")
    page.goto(out.as_uri())
    page.wait_for_selector("#chart-first-day .main-svg")
    assert page.locator(".js-plotly-plot").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "report-6082.png"))
    assert not errors, errors
    assert not outside, f"the report tried the network: {outside[:5]}"
    page.close()


def test_unknown_code_after_a_valid_one_clears_the_detail(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/#/ipo/06082.HK")
    page.wait_for_function("document.querySelector('#detail-offer-price').textContent.includes('19.6')")
    page.wait_for_selector("#detail-chart .main-svg")
    page.evaluate("location.hash = '#/ipo/NOPE'")
    page.wait_for_selector("#error:not([hidden])")
    assert "NOPE" in page.locator("#error").inner_text()
    assert "19.6" not in page.locator("#detail-offer-price").inner_text()
    assert page.locator("#detail-offer-price-source").inner_text() == ""
    assert page.locator("#detail-title").inner_text() == ""
    assert page.locator("#detail-facts tbody tr").count() == 0
    assert page.locator("#detail-sources li").count() == 0
    assert page.locator("#detail-chart .main-svg").count() == 0
    # the error is the first thing on the page, above the (empty) detail view
    assert page.locator("#error").bounding_box()["y"] < page.locator("#view-detail").bounding_box()["y"]
    page.screenshot(path=str(ARTIFACTS / "dashboard-nope.png"), full_page=True)
    assert not errors, errors
    page.close()


def test_conflicts_show_currency_and_rounding(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/#/ipo/02513.HK")
    page.wait_for_selector("#detail-conflicts tbody tr[data-field=valuation]")
    row = page.locator("#detail-conflicts tbody tr[data-field=valuation]").inner_text()
    assert "HKD 51.20bn" in row and "USD 7.00bn" in row and "51200000000" not in row
    assert "≈ HKD 51.78bn–HKD 57.24bn" in row and "fx:ecb-eurofxref" in row, row
    page.goto(server + "/#/ipo/688795.SH")
    page.wait_for_selector("#detail-conflicts tbody tr[data-field=first_day_return]")
    row = page.locator("#detail-conflicts tbody tr[data-field=first_day_return]").inner_text()
    assert "425.46%" in row and "468.78%" in row and "425.4637" not in row, row
    page.close()


def test_table_offer_price_shows_currency(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.wait_for_selector("#ipo-table tbody tr[data-code='688795.SH']")
    assert page.locator("#ipo-table tbody tr[data-code='688795.SH'] td").nth(5).inner_text() == "CNY 114.28"
    assert page.locator("#ipo-table tbody tr[data-code='06082.HK'] td").nth(5).inner_text() == "HKD 19.6"
    page.close()


# -- issue 16: the dashboard in three languages, search through the API, loading indicators ----------------------------
def _catalogue() -> dict:
    import yaml

    import ipolens.i18n as i18n

    return yaml.safe_load(Path(i18n.__file__).with_name("messages.yaml").read_text(encoding="utf-8"))


def _english_fragments(lang: str) -> dict[str, str]:
    """English label text (placeholders cut out) -> its key, for every label the language translates differently.
    Fragments under three characters or without a letter ('n', '%') cannot be told from data and are skipped."""
    import re

    out: dict[str, str] = {}
    for key, entry in _catalogue().items():
        en, other = entry.get("en") or "", entry.get(lang) or ""
        if not en or en == other:
            continue
        for part in re.split(r"\{[a-z_]+\}", en):
            part = part.strip(" ,.:;()·–-")
            if len(part) >= 3 and re.search(r"[A-Za-z]{2}", part):
                out[part] = key
    return out


# Visible text of the page outside ledger text (class "raw": names, quotes, sources, notes), SVG chart text included.
VISIBLE_LABEL_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest(".raw, [hidden], script, style, option:not(:checked)")) continue;
    if (!p.getClientRects().length) continue;
    out.push(n.textContent);
  }
  for (const s of document.querySelectorAll("input[placeholder]")) out.push(s.placeholder);
  return out.join("\\n");
}"""


def _untranslated(page, lang: str) -> list[str]:
    import re

    text = page.evaluate(VISIBLE_LABEL_TEXT)
    return sorted(f"{frag!r} ({key})" for frag, key in _english_fragments(lang).items()
                  # a word, not part of a code such as the stage a1_filed a placeholder gives as an example
                  if re.search(r"(?<![A-Za-z_])" + re.escape(frag) + r"(?![A-Za-z_])", text, re.IGNORECASE))


def _ready(page):
    page.wait_for_function("document.body.dataset.ready === (location.hash || '#/ipos')")


def _key_of_name(store, simplified: str) -> str:
    with store.read() as led:
        rows = led.con.execute("SELECT code FROM listings WHERE entity_name_zh LIKE ? AND listing_date IS NOT NULL",
                               [f"%{simplified}%"]).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_dashboard_languages_search_and_loading(browser, server, store, lang):
    from ipolens.i18n import colors

    shots = ARTIFACTS / "dashboard-i18n" / lang  # beside the other screenshots, which CI keeps
    shots.mkdir(parents=True, exist_ok=True)
    print(f"\ndashboard screenshots ({lang}): {shots}")
    expected = {q: _key_of_name(store, simplified) for q, simplified in (("摩爾線程", "摩尔线程"), ("智譜", "智谱"))}
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = _only_local(page, server)
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "/api/search?" in r.url else None)

    page.goto(server + "/")
    _ready(page)
    if lang != "en":  # the switch in the header; the choice is remembered across a reload
        page.select_option("#lang-select", lang)
        page.wait_for_function(f"document.documentElement.lang === '{lang}'")
        page.reload()
        _ready(page)
        assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#filter-q").get_attribute("placeholder")
    page.screenshot(path=str(shots / "home.png"))
    problems = {"home": _untranslated(page, lang)} if lang != "en" else {}

    for q, code in expected.items():  # typed into the box, answered by the server
        page.fill("#filter-q", q)
        page.wait_for_function(f"document.body.dataset.searched === {q!r}")
        found = page.locator("#ipo-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
        assert code in found, (q, found)
        page.screenshot(path=str(shots / f"search-{code}.png"))
    assert len(searches) >= len(expected), "the search box did not call /api/search"
    page.fill("#filter-q", "")

    page.goto(server + "/#/ipo/" + expected["摩爾線程"])  # STAR: the chart is titled in its own currency
    _ready(page)
    page.wait_for_selector("#detail-chart .main-svg")
    assert _catalogue()["currency.CNY"][lang] in page.locator("#detail-chart .gtitle").text_content()
    page.goto(server + "/#/ipo/06082.HK")
    _ready(page)
    page.wait_for_selector("#detail-chart .main-svg")
    assert page.locator("#sub-entry").inner_text() not in ("", "—")
    assert page.locator("#sub-lockups tbody tr[data-holder]").count() >= 1
    assert page.locator("#sub-mechanics tbody tr[data-key=final_public]").count() == 1
    day1 = page.locator("#detail-facts tbody tr[data-field=first_day_return] td.pos").first
    convention = "cn" if lang.startswith("zh") else "us"
    assert day1.evaluate("e => getComputedStyle(e).color") == _rgb(colors(convention=convention)["up"])
    page.screenshot(path=str(shots / "company-06082.png"), full_page=True)
    if lang != "en":
        problems["company"] = _untranslated(page, lang)
    other = "us" if convention == "cn" else "cn"  # the switch overrides the language's convention, and sticks
    page.select_option("#colors-select", other)
    _ready(page)
    page.reload()
    _ready(page)
    day1 = page.locator("#detail-facts tbody tr[data-field=first_day_return] td.pos").first
    assert day1.evaluate("e => getComputedStyle(e).color") == _rgb(colors(convention=other)["up"])

    held = []  # hold the stats answers, so the page is seen while it loads
    page.route("**/api/stats?*", lambda route: held.append(route))
    page.goto(server + "/#/stats")
    page.wait_for_selector("#stats-loading:not([hidden])")
    page.wait_for_function("document.querySelectorAll('#stats-loading:not([hidden])').length === 1")
    page.screenshot(path=str(shots / "stats-loading.png"))
    deadline = time.monotonic() + 30
    while len(held) < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.unroute("**/api/stats?*")
    for r in held:
        r.continue_()
    page.wait_for_selector("#stats-band-chart .main-svg")
    _ready(page)
    assert page.locator("#stats-loading").is_hidden() and page.locator("#stats-band tbody tr").count() >= 1
    page.screenshot(path=str(shots / "stats.png"), full_page=True)
    if lang != "en":
        problems["stats"] = _untranslated(page, lang)
        page.goto(server + "/#/market/HK")
        _ready(page)
        problems["market"] = _untranslated(page, lang)
    assert not any(problems.values()), problems
    assert not errors, errors
    assert not outside, f"requests left the server: {outside[:5]}"
    page.close()
