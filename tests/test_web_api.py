"""The JSON API: tables, a profile, stats, compare, the news check, HK mechanics and the error answers."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from ipolens.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store=store)) as c:
        yield c


def test_ipos_filter_sort(client):
    r = client.get("/api/ipos", params={"market": "HK", "year": 2026, "sort": "-first_day_return"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 8
    assert body["rows"][0]["code"] == "00100.HK"  # MiniMax +109%
    assert client.get("/api/ipos", params={"q": "biren"}).json()["rows"][0]["code"] == "06082.HK"
    # the use case checks market and sort column, so the refusal reads as on the command line
    r = client.get("/api/ipos", params={"sort": "nope"})
    assert r.status_code == 400 and r.json()["detail"] == "cannot sort by 'nope'"
    r = client.get("/api/ipos", params={"market": "XX"})
    assert r.status_code == 400 and r.json()["detail"].startswith("unknown market 'XX'; expected one of HK")
    # market names as the registry spells them: 'hkex' is HK
    assert client.get("/api/ipos", params={"market": "hkex", "year": 2026}).json()["total"] == body["total"]
    page = client.get("/api/ipos", params={"market": "HK", "year": 2026, "sort": "-first_day_return",
                                           "offset": 2, "limit": 3}).json()
    assert page["total"] == 8 and page["rows"] == body["rows"][2:5] and page["columns"] == body["columns"]


def test_ipo_profile_and_404(client):
    r = client.get("/api/ipos/6082.HK")
    assert r.status_code == 200
    p = r.json()
    assert p["deal"]["offer_price"]["value"] == 19.6
    assert p["deal"]["offer_price"]["source"] == "dataset:urop-hk-ipo-2026"
    r = client.get("/api/ipos/NOPE.HK")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert "NOPE.HK" in r.json()["detail"]
    assert client.get("/api/ipos/6082.HK/financials").json()["rows"]


def test_facts_conflicts_sources(client):
    facts = client.get("/api/facts", params={"code": "6082.HK", "field": "offer_price"}).json()
    assert facts["total"] >= 1 and all(r["source_id"] for r in facts["rows"])
    assert client.get("/api/facts", params={"code": "6082.HK", "field": "no_such_field"}).status_code == 404
    assert client.get("/api/facts", params={"code": "NOPE.HK"}).status_code == 404
    conflicts = client.get("/api/conflicts", params={"code": "6082.HK"}).json()
    assert any(r["field"] == "cornerstone_share_of_offer" for r in conflicts["rows"])
    ids = {r["id"] for r in client.get("/api/sources").json()["rows"]}
    assert "fx:ecb-eurofxref" in ids or "dataset:urop-hk-ipo-2026" in ids


def test_stats_and_compare(client):
    band = client.get("/api/stats", params={"by": "band", "market": "HK"}).json()
    assert sum(g["listings"] for g in band["groups"]) == band["ipos_banded"]
    assert client.get("/api/stats", params={"by": "nday", "market": "HK"}).json()["days"]
    assert client.get("/api/stats", params={"by": "bogus"}).status_code == 400
    cmp_ = client.get("/api/compare", params={"codes": "6082.HK,688795"}).json()
    assert cmp_["currency"] == "HKD" and len(cmp_["rows"]) == 2
    star = [r for r in cmp_["rows"] if r["market"] == "STAR"][0]
    assert star["mc_fx_source"] == "fx:ecb-eurofxref" and star["mc_fx_date"] == "2025-12-19"
    assert client.get("/api/compare", params={"codes": "NOPE.HK"}).status_code == 404
    assert client.post("/api/compare/batch", json={"codes": ["6082.HK"], "currency": "USD"}).json()["currency"] == "USD"


def test_malformed_json_is_422(client):
    r = client.post("/api/compare/batch", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "malformed" in r.json()["message"]
    r = client.post("/api/news/check", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "malformed" in r.json()["message"]
    assert isinstance(r.json()["detail"], list)
    assert client.get("/api/compare", params={"codes": ",,"}).status_code in (400, 422)


def test_news_check(client):
    text = "标题: 测试\n\n壁仞科技(06082.HK)的发行价定为19.6港元,2026年1月2日挂牌。"
    r = client.post("/api/news/check", json={"text": text})
    assert r.status_code == 200, r.text
    assert "claims" in r.json()
    assert client.post("/api/news/check", json={"text": "   "}).status_code == 400


@pytest.mark.parametrize("size", [2_000_000, 2 * 1024 * 1024])
def test_news_check_2mb_is_413(client, size):
    r = client.post("/api/news/check", content=b'{"text": "' + b"a" * size + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


def test_news_check_413_without_content_length(client):
    def chunks():
        yield b'{"text": "'
        for _ in range(33):
            yield b"b" * 65536
        yield b'"}'

    r = client.post("/api/news/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_hk_tranche(client):
    r = client.get("/api/hk/tranche", params={"code": "6082.HK"})
    assert r.status_code == 200, r.text
    assert r.json()["regime"] == "18c" and r.json()["final_pct"] == 20.0
    assert client.get("/api/hk/tranche").status_code == 400
    assert client.get("/api/hk/tranche", params={"code": "NOPE.HK"}).status_code == 404


def test_dashboard_and_docs_are_local(client):
    html = client.get("/").text
    assert "/static/plotly.min.js" in html and "http" not in html.split("<body>")[0].replace("http-equiv", "")
    assert client.get("/static/plotly.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text and "https://" not in docs.text.split("<body>")[0]
    assert client.get("/static/swagger-ui.css").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/ipos/{code}" in spec["paths"] and "/api/news/check" in spec["paths"]
    r = client.get("/report/6082.HK")
    assert r.status_code == 200 and "chart-first-day" in r.text


def test_serve_binds_loopback_by_default():
    import inspect

    from ipolens.cli import web

    assert inspect.signature(web.serve_cmd).parameters["host"].default.default == "127.0.0.1"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil"])
def test_foreign_host_header_is_refused(client, host):
    # DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 sends its own name as Host
    r = client.get("/api/ipos", params={"limit": 1}, headers={"host": host})
    assert r.status_code == 400 and "host not allowed" in r.json()["detail"]
    assert client.get("/", headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]:8000", "testserver"])
def test_loopback_and_own_host_are_allowed(client, host):
    # "testserver" is the address TestClient's in-process server answers on (scope["server"])
    assert client.get("/healthz", headers={"host": host}).status_code == 200


def test_extra_allowed_host(store):
    with TestClient(create_app(store=store, allowed_hosts=["ipo.lan"])) as c:
        assert c.get("/healthz", headers={"host": "ipo.lan:8000"}).status_code == 200
        assert c.get("/healthz", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("q", ["智譜", "摩爾", "智谱", "摩尔"])
def test_search_matches_traditional_chinese(client, q):
    # the resolver finds 智譜 (traditional) through OpenCC t2s; the table search must too
    rows = client.get("/api/ipos", params={"q": q}).json()["rows"]
    assert rows, q
    assert client.get(f"/api/ipos/{q}").json()["code"] in {r["code"] for r in rows}


def test_unknown_field_message_is_whole(client):
    assert client.get("/api/facts", params={"field": "nope"}).json()["detail"] == "unknown field 'nope'"


def test_422_does_not_echo_huge_input(client):
    r = client.post("/api/compare/batch", json={"codes": ["x" * 1000] * 31})  # under the 64 KB body cap
    assert r.status_code == 422 and len(r.content) < 2000
    assert "truncated" in r.json()["detail"][0]["input"]
    r = client.get("/api/ipos", params={"year": "y" * 5000})
    assert r.status_code == 422 and len(r.content) < 2000


def test_news_check_dates_claims_by_the_publication_date(client):
    """截至1月5日 with publication 2026-01-06 is 2026-01-05: 855.4亿港元 is then the ledger's value of that day."""
    text = "截至1月5日，06082.HK壁仞科技的总市值为855.4亿港元。"
    r = client.post("/api/news/check", params={"published": "2026-01-06", "market": "HK"}, json={"text": text})
    assert r.status_code == 200, r.text
    caps = [c for c in r.json()["claims"] if c.get("metric") == "market_cap"]
    assert caps and caps[0]["verdict"] == "consistent", caps
    assert client.post("/api/news/check", params={"published": "not-a-date"},
                       json={"text": text}).status_code in (400, 422)


def test_a_blank_company_name_is_a_documented_400(client):
    # a name of spaces or a line break only: the use case refuses it, and the API says it may (schemathesis found a
    # 400 the schema did not list)
    r = client.get("/api/company/%0A")
    assert r.status_code == 400 and "company name" in r.json()["detail"]
    documented = client.get("/openapi.json").json()["paths"]["/api/company/{name}"]["get"]["responses"]
    assert "400" in documented
