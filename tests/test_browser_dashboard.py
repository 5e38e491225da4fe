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
