"""One answer per question: ``ipolens stats / compare --json`` and GET /api/stats, GET /api/compare,
POST /api/compare/batch return the same JSON for the same inputs and refuse the same inputs with the same message
(CLI exit 2, HTTP 400 or 404); ``ipolens report CODE`` writes the page GET /report/{code} serves."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")

STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")  # the page's "generated at" minute


from conftest import same  # noqa: E402,F401  (fixtures `client` and `cli` live in conftest)


def _cli_args(params: dict) -> list[str]:
    args = ["stats", "--json"]
    for k, v in params.items():
        if k == "ipos_only":
            args += [] if v else ["--all-listings"]
        else:
            args += [f"--{k}", str(v)]
    return args


@pytest.mark.parametrize("params", [
    {"by": "band", "market": "HK", "years": "2018-2022"},
    {"by": "year", "market": "HK"},
    {"by": "nday", "market": "HK"},
    {"by": "nday", "market": "hk", "years": "2019-2020", "ipos_only": False},
    {"by": "sponsor", "market": "HK", "year": 2020},
    {"by": "route", "ipos_only": False},
    {"by": "market"},
    {"by": "year_market", "year": 2026},
])
def test_stats(cli, client, params):
    out = same(cli(*_cli_args(params)), client.get("/api/stats", params=params))
    assert out["filters"]["ipos_only"] == params.get("ipos_only", True)
    rows = out["days"] if params["by"] == "nday" else out["groups"]
    assert rows and any(r.get("count", r.get("with_return")) for r in rows)


def test_stats_filters_reach_the_numbers(cli, client):
    """The year filter is applied, not only echoed: the 2026 HK year has 8 IPOs with a first-day return."""
    out = same(cli(*_cli_args({"by": "year", "market": "HK", "years": "2026"})),
               client.get("/api/stats", params={"by": "year", "market": "HK", "years": "2026"}))
    assert [(g["year"], g["count"]) for g in out["groups"]] == [(2026, 8)]


@pytest.mark.parametrize("params,needle", [
    ({"by": "nonsense"}, "unknown grouping"),
    ({"by": "band", "market": "XX"}, "unknown market"),
    ({"by": "band", "years": "20x8"}, "YYYY"),
    ({"by": "band", "years": "2022-2018"}, "after the last"),
    ({"by": "band", "year": 1800}, "between"),
])
def test_stats_refused_by_both(cli, client, params, needle):
    msg = same(cli(*_cli_args(params)), client.get("/api/stats", params=params))
    assert needle in msg


@pytest.mark.parametrize("codes,currency", [
    (["6082.HK", "688795", "HWEP"], "HKD"),
    (["2513.HK", "688795"], "CNY"),
    (["6082.HK", "06082", "壁仞"], "USD"),
])
def test_compare(cli, client, codes, currency):
    out = same(cli("compare", *codes, "--currency", currency, "--json"),
               client.get("/api/compare", params={"codes": ",".join(codes), "currency": currency}))
    assert out["currency"] == currency and out["rows"]
    post = client.post("/api/compare/batch", json={"codes": codes, "currency": currency})
    assert post.status_code == 200 and post.json() == out


def test_compare_premiums_match_the_medians(cli, client):
    out = same(cli("compare", "6082.HK", "688795", "--json"),
               client.get("/api/compare", params={"codes": "6082.HK,688795"}))
    med = {m["market"]: m["market_cap_conv"] for m in out["medians"]}
    got = {(p["market"], p["over"]): p["premium_pct"] for p in out["premiums"]}
    assert got == {("HK", "STAR"): pytest.approx((med["HK"] / med["STAR"] - 1) * 100),
                   ("STAR", "HK"): pytest.approx((med["STAR"] / med["HK"] - 1) * 100)}


@pytest.mark.parametrize("codes,currency,status,needle", [
    (["6082.HK", "NOPE.HK"], "HKD", 404, "NOPE.HK"),
    (["6082.HK"], "EUR", 400, "unknown currency"),
    (["6082.HK"] * 31, "HKD", 400, "at most 30"),
])
def test_compare_refused_by_both(cli, client, codes, currency, status, needle):
    resp = client.get("/api/compare", params={"codes": ",".join(codes), "currency": currency})
    assert resp.status_code == status
    assert needle in same(cli("compare", *codes, "--currency", currency, "--json"), resp)


def test_compare_batch_refuses_an_unknown_code_like_the_cli(cli, client):
    resp = client.post("/api/compare/batch", json={"codes": ["NOPE.HK"]})
    assert resp.status_code == 404
    same(cli("compare", "NOPE.HK", "--json"), resp)


@pytest.mark.parametrize("code,lang", [("6082.HK", "en"), ("688795", "zh")])
def test_report_page_is_the_file_the_cli_writes(cli, client, tmp_path, code, lang):
    out = tmp_path / "brief.html"
    code_, msg = cli("report", code, "--lang", lang, "--out", str(out), raw=True)
    assert code_ == 0, msg
    resp = client.get(f"/report/{code}", params={"lang": lang})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    written = out.read_text(encoding="utf-8")
    assert STAMP.search(written) and 'id="chart-peers"' in written
    assert STAMP.sub("", written) == STAMP.sub("", resp.text)


@pytest.mark.parametrize("code,lang,status", [("NOPE.HK", "en", 404), ("6082.HK", "fr", 400)])
def test_report_refused_by_both(cli, client, tmp_path, code, lang, status):
    resp = client.get(f"/report/{code}", params={"lang": lang})
    assert resp.status_code == status
    same(cli("report", code, "--lang", lang, "--out", str(tmp_path / "x.html")), resp)
    assert not (tmp_path / "x.html").exists()
