"""Issue 14's dashboard pages: the calendar API through TestClient, and in a headless browser the Pipeline page, a
deal page, the Calendar page and the follow-on section of an IPO page. The pipeline and follow-on JSON of the
issue-14 contract is served from hand-made fixtures (Playwright request interception), so the pages are checked
against the contract whether or not those use cases are installed; the calendar runs on the real server."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from test_browser_dashboard import ARTIFACTS, _only_local, browser  # noqa: F401  (the shared chromium fixture)
from test_calendar import load_fixture

pytest.importorskip("fastapi")


# -- the calendar API (TestClient) ----------------------------------------------------------------------------------
@pytest.fixture()
def month_client():
    from fastapi.testclient import TestClient

    from ipolens.ledger.access import Store
    from ipolens.web import create_app

    s = Store(":memory:")
    load_fixture(s, "march_2026.csv")
    with TestClient(create_app(store=s, time_limit=60)) as c:
        yield c, s
    s.close()


def test_calendar_api_is_the_use_case(month_client):
    from ipolens.app.calendar import calendar

    c, s = month_client
    for params, args in ((dict(), ("2026-03-01", "2026-03-31", None)),
                         (dict(market="STAR"), ("2026-03-01", "2026-03-31", "STAR"))):
        r = c.get("/api/calendar", params={"from": "2026-03-01", "to": "2026-03-31", **params})
        assert r.status_code == 200
        assert r.json() == json.loads(json.dumps(calendar(s, *args).to_dict()))
    assert {e["market"] for e in c.get("/api/calendar?from=2026-03-01&to=2026-03-31&market=STAR").json()["events"]} \
        == {"STAR"}


def test_calendar_api_bad_input_is_400(month_client):
    c, _ = month_client
    for q in ("from=2026-03-31&to=2026-03-01", "from=March", "from=2026-03-01&market=MARS"):
        r = c.get("/api/calendar?" + q)
        assert r.status_code == 400 and r.json()["detail"], q


def test_index_and_script_carry_the_new_pages(month_client):
    c, _ = month_client
    page = c.get("/").text
    for needle in ('id="nav-pipeline"', 'id="nav-calendar"', 'id="view-pipeline"', 'id="view-deal"',
                   'id="view-calendar"', 'id="detail-followons"'):
        assert needle in page, needle
    js = c.get("/static/app.js").text
    for route in ("/api/pipeline", "/api/deal/", "/api/calendar?", "/api/followons/"):
        assert route in js, route


# -- the pages in a browser --------------------------------------------------------------------------------------------
PIPELINE = {"deals": [
    {"key": "deal:fixture-us", "name": "Fixture US Rocket", "market": "NASDAQ", "code": None,
     "stage": "s1_public", "stage_date": "2026-05-20", "next_step": "price_range", "price_range": None,
     "raise": {"value": 7.5e10, "currency": "USD", "qualifier": "about", "source": "news:fixture-b"},
     "valuations": [
         {"value": 1.75e12, "currency": "USD", "as_of": "2026-05-21", "kind": "rumour", "qualifier": "about",
          "source": "news:fixture-a", "quote": "worth roughly $1.75 trillion"},
         {"value": 1.77e12, "currency": "USD", "as_of": "2026-05-22", "kind": "rumour", "qualifier": "exact",
          "source": "news:fixture-b", "quote": None},
         {"value": 8e11, "value_high": 1e12, "currency": "USD", "as_of": None, "date_note": "no printed date",
          "kind": "rumour", "qualifier": "range", "source": "news:fixture-a", "quote": None}],
     "stages": [{"stage": "drs_confidential", "date": "2026-04-01", "source": "news:fixture-a", "doc_ref": None},
                {"stage": "s1_public", "date": "2026-05-20", "source": "user:fixture", "doc_ref": "333-000000"}]},
    {"key": "deal:fixture-hk", "name": "Fixture HK Filer", "market": "HK", "code": None, "stage": "a1_filed",
     "stage_date": "2026-03-02", "next_step": None, "price_range": None, "raise": None, "valuations": [],
     "stages": [{"stage": "a1_filed", "date": "2026-03-02", "source": "user:fixture", "doc_ref": None}]},
], "sources": {"news:fixture-a": {"kind": "news", "title": "Fixture article A", "publisher": "Fixture Wire",
                                  "published": "2026-05-21", "url": None}}}
DEAL = {"deal": PIPELINE["deals"][0], "on": "2026-06-01", "sources": PIPELINE["sources"]}  # GET /api/deal/{name}
FOLLOWONS = {"listing": "HK:06082", "company": None, "listings": ["HK:06082"], "offerings": [
    {"key": "fixture-placing", "type": "top_up_placing", "announced": "2026-06-01", "price": 7.9, "currency": "HKD",
     "shares": 1000000, "discount_to_last_close": 21.0, "discount_to_benchmark": 20.2020202, "dilution": 5.0,
     "pct_existing": 5.2631579, "pct_enlarged": 5.0, "flags": ["discount cap: GEM 17.42B / MB 13.36(5)"],
     "source": "user:fixture"}]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The real app over a fresh ledger file, served by uvicorn in a thread on a free loopback port."""
    uvicorn = pytest.importorskip("uvicorn")
    from ipolens.app.store import open_store
    from ipolens.web import create_app

    store = open_store(tmp_path_factory.mktemp("pages-home") / "ipolens.duckdb")
    server = uvicorn.Server(uvicorn.Config(create_app(store=store), host="127.0.0.1", port=_free_port(),
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not t.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    t.join(10)


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def _page(browser, live):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors, _only_local(page, live)


def _fulfil(page, pattern: str, body: dict) -> None:
    page.route(pattern, lambda route: route.fulfill(status=200, content_type="application/json",
                                                    body=json.dumps(body)))


@pytest.mark.browser
def test_pipeline_page_shows_every_claim_with_its_source(browser, live):  # noqa: F811
    page, errors, outside = _page(browser, live)
    _fulfil(page, "**/api/pipeline*", PIPELINE)
    _fulfil(page, "**/api/deal/**", DEAL)
    page.goto(live + "/#/pipeline")
    page.wait_for_selector("#pipeline-table tbody tr")
    rows = page.locator("#pipeline-table tbody tr")
    assert rows.count() == len(PIPELINE["deals"])
    first = page.locator("#pipeline-table tbody tr[data-deal='Fixture US Rocket']")
    claims = first.locator("ul.claims li")
    assert claims.count() == 3  # rumours that disagree: each shown, not merged
    assert "USD 1.75tn" in claims.nth(0).inner_text() and "news:fixture-a" in claims.nth(0).inner_text()
    assert "USD 1.77tn" in claims.nth(1).inner_text() and "news:fixture-b" in claims.nth(1).inner_text()
    assert "USD 800.00bn – USD 1.00tn" in claims.nth(2).inner_text() and "undated" in claims.nth(2).inner_text()
    assert "USD 75.00bn (about)" in first.inner_text()  # the raise, hedged as stated
    quiet = page.locator("#pipeline-table tbody tr[data-deal='Fixture HK Filer']").inner_text()
    assert "not on file" in quiet and "a1 filed" in quiet
    cited = page.locator("#pipeline-sources li").evaluate_all("ls => ls.map(l => l.dataset.source)")
    assert cited == ["news:fixture-a", "news:fixture-b", "user:fixture"]
    assert "Fixture article A · Fixture Wire" in page.locator("#pipeline-sources li[data-source='news:fixture-a']").inner_text()
    assert "not described" in page.locator("#pipeline-sources li[data-source='news:fixture-b']").inner_text()
    first.click()
    page.wait_for_selector("#view-deal:not([hidden]) #deal-stages tbody tr")
    assert page.locator("#deal-stages tbody tr").count() == 2
    assert "333-000000" in page.locator("#deal-stages tbody tr[data-stage='s1_public']").inner_text()
    assert page.locator("#deal-valuations tbody tr").count() == 3
    assert page.locator("#deal-sources li").count() == 3
    page.screenshot(path=str(ARTIFACTS / "dashboard-pipeline-deal.png"), full_page=True)
    assert not errors, errors
    assert not outside, outside[:5]
    page.close()


@pytest.mark.browser
def test_pipeline_page_against_the_server(browser, live):  # noqa: F811
    """Whatever the server's pipeline route answers: a row per deal, or a clear 'not available' line."""
    status, body = _get(live + "/api/pipeline")
    page, errors, _ = _page(browser, live)
    page.goto(live + "/#/pipeline")
    page.wait_for_function("document.body.dataset.ready === '#/pipeline'")
    if status == 200:
        assert page.locator("#pipeline-table tbody tr").count() == len(body["deals"])
        for d in body["deals"]:  # every claim of every deal, each with its source, in the deal's row
            row = page.locator("#pipeline-table tbody tr").filter(has=page.locator(f"td:text-is({json.dumps(d['name'])})"))
            assert row.locator("ul.claims li").count() == len(d["valuations"]), d["name"]
            text = row.inner_text()
            assert all(v["source"] in text for v in d["valuations"]), d["name"]
    else:
        assert status == 404 and "not available" in page.locator("#pipeline-count").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-pipeline.png"), full_page=True)
    assert not errors, errors
    page.close()


@pytest.mark.browser
def test_calendar_page_lists_the_api_events_and_a_share_terms(browser, live):  # noqa: F811
    q = {"from": "2025-12-01", "to": "2026-01-31"}
    status, api = _get(live + "/api/calendar?" + urllib.parse.urlencode(q))
    assert status == 200 and api["events"]
    page, errors, outside = _page(browser, live)
    page.goto(live + "/#/calendar?" + urllib.parse.urlencode(q))
    page.wait_for_function("document.body.dataset.ready && document.body.dataset.ready.startsWith('#/calendar')")
    rows = page.locator("#calendar-table tbody tr")
    assert rows.count() == len(api["events"])
    shown = rows.evaluate_all("rs => rs.map(r => [r.dataset.date, r.dataset.event, r.dataset.code])")
    assert shown == [[e["date"], e["event"], e["code"] or ""] for e in api["events"]]
    a_share = {e["key"]: e for e in api["events"] if "subscription_code" in e}
    assert page.locator("#calendar-ashare tbody tr").count() == len(a_share) > 0
    for e in a_share.values():
        row = page.locator(f"#calendar-ashare tbody tr[data-code='{e['code']}']").inner_text()
        if e["lottery_rate"]:
            assert f"{e['lottery_rate']['value']:.4g}%" in row
        if e["subscription_code"] is None:
            assert "not on file" in row
    assert page.locator("#cal-from").input_value() == q["from"] and page.locator("#cal-to").input_value() == q["to"]
    page.screenshot(path=str(ARTIFACTS / "dashboard-calendar.png"), full_page=True)
    assert not errors, errors
    assert not outside, outside[:5]
    page.close()


@pytest.mark.browser
def test_ipo_page_follow_on_section(browser, live):  # noqa: F811
    status, body = _get(live + "/api/followons/06082.HK")
    page, errors, _ = _page(browser, live)
    page.goto(live + "/#/ipo/06082.HK")
    page.wait_for_function("document.body.dataset.ready === '#/ipo/06082.HK'")
    n = len(body.get("offerings") or []) if status == 200 else 0
    assert page.locator("#detail-followons tbody tr").count() == n
    if n == 0:
        assert "No follow-on offerings" in page.locator("#detail-followons-note").inner_text()
    page.close()

    page, errors2, _ = _page(browser, live)
    _fulfil(page, "**/api/followons/**", FOLLOWONS)
    page.goto(live + "/#/ipo/06082.HK")
    page.wait_for_selector("#detail-followons tbody tr[data-key='fixture-placing']")
    row = page.locator("#detail-followons tbody tr[data-key='fixture-placing']").inner_text()
    assert "top up placing" in row and "HKD 7.9" in row and "21.00%" in row and "20.20%" in row
    assert "GEM 17.42B" in row and "user:fixture" in row
    assert page.locator("#detail-followons-note").inner_text() == ""
    assert not errors and not errors2, errors + errors2
    page.close()
