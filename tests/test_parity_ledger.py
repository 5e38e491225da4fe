"""One answer per question: ``ipolens ipo / ipos / facts / conflicts --json`` and the web API return the same JSON
for the same inputs, and refuse the same inputs with the same message (CLI exit 2, HTTP 400 or 404)."""
from __future__ import annotations


import pytest

pytest.importorskip("fastapi")


from conftest import same  # noqa: E402,F401  (fixtures `client` and `cli` live in conftest)


@pytest.mark.parametrize("code", ["6082.HK", "6082 HK", "688795", "智譜", "2513.HK"])
def test_ipo(cli, client, code):
    p = same(cli("ipo", code, "--json"), client.get(f"/api/ipos/{code}"))
    assert p["code"] and p["deal"] and p["sources"]


def test_ipo_unknown_code_is_refused_by_both(cli, client):
    msg = same(cli("ipo", "NOPE.HK", "--json"), client.get("/api/ipos/NOPE.HK"))
    assert "NOPE.HK" in msg


@pytest.mark.parametrize("params", [
    {"market": "HK", "year": 2020, "sort": "-oversubscription_public"},
    {"market": "STAR"},
    {"market": "hkex", "year": 2026, "sort": "first_day_return"},
    {"q": "biren"},
    {"q": "摩爾"},
    {"year": 2019, "ipos_only": True},
])
def test_ipos(cli, client, params):
    args = ["ipos", "--format", "json", "--limit", "5000"]
    for k, v in params.items():
        args += ["--ipos-only"] if k == "ipos_only" else ["--search" if k == "q" else f"--{k}", str(v)]
    body = same(cli(*args), client.get("/api/ipos", params={**params, "limit": 5000}))
    assert body["total"] == len(body["rows"]) > 0
    assert all(set(r) == set(body["columns"]) for r in body["rows"])
    if "sort" in params:
        col = params["sort"].lstrip("-")
        vals = [r[col] for r in body["rows"] if r[col] is not None]
        assert vals == sorted(vals, reverse=params["sort"].startswith("-"))
    if params.get("ipos_only"):
        assert all(r["counts_as_ipo"] in (1, None) for r in body["rows"])
    if "year" in params:
        assert {r["listing_date"][:4] for r in body["rows"]} == {str(params["year"])}


@pytest.mark.parametrize("params, words", [
    ({"market": "LSE"}, "unknown market 'LSE'"),
    ({"sort": "oversubscription"}, "did you mean"),
])
def test_ipos_refusals_match(cli, client, params, words):
    args = ["ipos", "--format", "json"] + [a for k, v in params.items() for a in (f"--{k}", v)]
    assert words in same(cli(*args), client.get("/api/ipos", params=params))


@pytest.mark.parametrize("code, field", [("6082.HK", "market_cap"), ("688795", None), ("2513.HK", "valuation")])
def test_facts(cli, client, code, field):
    args = ["facts", code, "--json"] + (["--field", field] if field else [])
    body = same(cli(*args), client.get("/api/facts", params={"code": code, **({"field": field} if field else {})}))
    assert body["total"] == len(body["rows"]) > 0
    assert field is None or {r["field"] for r in body["rows"]} == {field}


@pytest.mark.parametrize("code, field, words", [("6082.HK", "market_kap", "did you mean market_cap"),
                                                ("NOPE.HK", None, "NOPE.HK")])
def test_facts_refusals_match(cli, client, code, field, words):
    args = ["facts", code, "--json"] + (["--field", field] if field else [])
    r = client.get("/api/facts", params={"code": code, **({"field": field} if field else {})})
    assert r.status_code == 404 and words in same(cli(*args), r)


@pytest.mark.parametrize("code", ["2513.HK", "6082.HK", None])
def test_conflicts(cli, client, code):
    body = same(cli("conflicts", *([code] if code else []), "--json"),
                client.get("/api/conflicts", params={"code": code} if code else {}))
    assert body["total"] == len(body["rows"]) > 0


def test_conflicts_unknown_code_is_refused_by_both(cli, client):
    same(cli("conflicts", "NOPE.HK", "--json"), client.get("/api/conflicts", params={"code": "NOPE.HK"}))


def test_python_api_gives_the_use_cases_results(store):
    # the Python API is a third face over the same use cases: same dicts as the app functions
    import ipolens
    from ipolens.app import hk, stats

    db = ipolens.Database(store)
    assert db.hk_tranche("6082.HK").to_dict() == hk.tranche(store, "6082.HK").to_dict()
    assert db.compare(["6082.HK", "688795"]).to_dict() == stats.compare(store, ["6082.HK", "688795"]).to_dict()
    assert db.stats(by="year", market="HK").to_dict() == stats.stats(store, by="year", market="HK").to_dict()
    res = db.check_news("壁仞科技(06082.HK)的发行价定为19.6港元，2026年1月2日挂牌。").to_dict()
    assert any(c.get("value") == 19.6 for c in res["claims"])
