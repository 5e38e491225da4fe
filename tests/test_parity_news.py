"""One answer per news check: ``ipolens news check FILE --json`` prints exactly what POST /api/news/check returns for
the same text, and both refuse an empty text with the same message (CLI exit 2, HTTP 400).

The article is written here, so the test needs nothing beside the repository. Its numbers are checked by hand:
(34.46 / 19.6 − 1) = 75.82%, so the stated 75.8% is consistent; (35.7 / 19.6 − 1) = 82.14% against a stated 90%
is inconsistent."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

ARTICLE = ("标题: 壁仞科技上市首日\n=====\n"
           "壁仞科技(06082.HK)于2026年1月2日在港交所挂牌,发行价19.6港元,首日开盘35.7港元,较发行价高开90%。\n"
           "截至1月5日,壁仞科技总市值达855.4亿港元,折合约110亿美元。首日收于34.46港元,全日涨幅75.8%。\n")


from conftest import same  # noqa: E402,F401  (fixtures `client` and `cli` live in conftest)


def _post(client, body: dict, **params):
    return client.post("/api/news/check", json=body, params=params)


def test_check_file_and_post_give_the_same_json(cli, client, tmp_path):
    path = tmp_path / "biren-debut.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out = cli("news", "check", str(path), "--published", "2026-01-06", "--market", "HK", "--json")
    assert code == 0, out
    r = _post(client, {"text": ARTICLE, "published": "2026-01-06", "market": "HK", "name": str(path)})
    assert r.status_code == 200, r.text
    assert r.json() == out
    # the verdicts worked by hand (module docstring), so equal answers are also right ones
    by_metric = {c["metric"]: c for c in out["claims"]}
    assert by_metric["first_day_return"]["verdict"] == "consistent"
    assert by_metric["first_day_open_return"]["verdict"] == "inconsistent"
    assert any(f["check"] == "pct_change" and f["verdict"] == "inconsistent" for f in out["flagged"])
    assert out["characters"] == len(ARTICLE)


def test_query_parameters_still_work(client):
    body = {"text": ARTICLE, "published": "2026-01-06", "market": "HK"}
    in_body = _post(client, body).json()
    in_query = _post(client, {"text": ARTICLE}, published="2026-01-06", market="HK").json()
    assert in_query == in_body and in_body["claims"][0]["id"].startswith("<request>#")


def test_empty_text_is_refused_by_both(cli, client, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    code, message = cli("news", "check", str(path), "--json")
    r = _post(client, {"text": "  \n", "name": str(path)})
    assert code == 2 and r.status_code == 400
    assert r.json()["detail"] == message == f"empty article: {path}"


def test_unknown_market_is_refused_by_both(cli, client, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, message = cli("news", "check", str(path), "--market", "JP", "--json")
    r = _post(client, {"text": ARTICLE, "market": "JP"})
    assert code == 2 and r.status_code == 400
    assert r.json()["detail"] == message == "market must be HK, CN or US, got 'JP'"


def test_a_check_past_its_deadline_stops(store):
    """The web passes a deadline; the long loops check it, so an expired one stops the use case."""
    import time

    from ipolens.app.base import TimeLimit
    from ipolens.app.news import check_text

    with pytest.raises(TimeLimit):
        check_text(store, ARTICLE * 50, market="HK", deadline=time.monotonic() - 1)
