"""The dashboard's search endpoint: it finds what the CLI finds (Traditional Chinese, aliases, any code spelling).

Expected listings are read from the ledger's own tables in each test (the listings' codes, the aliases table), never
written down here, so a change of data cannot make these pass by accident."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from ipolens.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store=store)) as c:
        yield c


def _key_of_name(store, simplified: str) -> str:
    """The one listing whose Chinese name contains ``simplified`` (the ledger stores Simplified names)."""
    with store.read() as led:
        rows = led.con.execute("SELECT entity FROM listings WHERE entity_name_zh LIKE ? AND listing_date IS NOT NULL",
                               [f"%{simplified}%"]).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


def _code_of(store, key: str) -> str:
    with store.read() as led:
        return led.con.execute("SELECT code FROM listings WHERE entity = ?", [key]).fetchone()[0]


def _found(client, q: str, **params) -> list[str]:
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return [row["entity"] for row in r.json()["rows"]]


@pytest.mark.parametrize("traditional, simplified", [("摩爾線程", "摩尔线程"), ("智譜", "智谱")])
def test_traditional_names_find_their_listing(client, store, traditional, simplified):
    key = _key_of_name(store, simplified)
    assert key in _found(client, traditional)
    assert key in _found(client, simplified)


def test_every_code_spelling_finds_the_listing(client, store):
    # spellings built from the stored code: 06082.HK -> 6082.HK, 06082, 6082, '6082 HK'; 688795.SH -> .SS, bare
    for key in (_key_of_name(store, "壁仞"), _key_of_name(store, "摩尔线程")):
        code = _code_of(store, key)
        digits, suffix = code.split(".")
        spellings = {code, digits, f"{digits.lstrip('0')} {suffix}", f"{digits.lstrip('0')}.{suffix}"}
        if suffix == "SH":
            spellings |= {f"{digits}.SS"}
        for q in sorted(spellings):
            assert key in _found(client, q), q


def test_aliases_find_their_listing(client, store):
    # every alias the ledger holds for the latest listings, as the user would type it (the aliases are normalised
    # lower-case forms, which the resolver accepts as typed)
    with store.read() as led:
        rows = led.con.execute("""SELECT a.alias, a.entity FROM aliases a JOIN listings l ON l.entity = a.entity
                                  WHERE l.listing_date >= DATE '2026-01-01' AND NOT regexp_matches(a.alias, '^[0-9]')
                                  ORDER BY a.entity, a.alias LIMIT 20""").fetchall()
    assert rows
    misses = [(alias, key) for alias, key in rows if key not in _found(client, alias)]
    assert not misses, misses


def test_same_answer_as_the_cli_resolver(client, store):
    from ipolens.app.profile import resolve

    for q in ("摩爾執行緒", "Zhipu", "6082 HK"):
        assert resolve(store, q) in _found(client, q)


def test_filters_and_notes(client, store):
    key = _key_of_name(store, "壁仞")
    body = client.get("/api/search", params={"q": "6082 HK", "market": "STAR"}).json()
    assert body["rows"] == [] and key in body["resolved"] and key in body["note"]
    body = client.get("/api/search", params={"q": "zzzz-no-such-listing"}).json()
    assert body["total"] == 0 and body["note"]
    assert client.get("/api/search", params={"q": "  "}).status_code == 400
    assert client.get("/api/search", params={"q": "6082", "market": "XX"}).status_code == 400
    # latest listing first
    dates = [r["listing_date"] for r in client.get("/api/search", params={"q": "technology"}).json()["rows"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)


def test_i18n_catalogue_route(client):
    import yaml
    from pathlib import Path

    import ipolens.i18n as i18n

    raw = yaml.safe_load((Path(i18n.__file__).with_name("messages.yaml")).read_text(encoding="utf-8"))
    body = client.get("/api/i18n/zh-Hant").json()
    assert body["lang"] == "zh-Hant" and body["default_colors"] == "cn"
    assert body["messages"]["missing"] == raw["missing"]["zh-Hant"]
    assert client.get("/api/i18n/zh_TW").json()["lang"] == "zh-Hant"
    en = client.get("/api/i18n/en").json()
    assert en["default_colors"] == "us" and en["messages"]["missing"] == raw["missing"]["en"]
    assert client.get("/api/i18n/fr").status_code == 400
