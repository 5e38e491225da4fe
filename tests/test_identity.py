"""Listing identity: a listing is (market, code, listing date). HKEX reuses codes, so an imported 2025 IPO under a
code a 2019 embedded IPO used must become a second listing (``HK:00302@2025``), leave the 2019 deal and the
2018-22 statistics untouched, and make a bare ``ipo 00302`` ask which listing is meant.

The fixture tests/fixtures/identity/reused_codes.csv is a broker-style sheet (Chinese headers): row 2 reuses 00302
(CMGE, listed 2019-10-31 in the embedded dataset, offer 2.83 HKD, one-lot rate 15%), rows 3-4 hold one code
listed twice (2023 and 2025) in the same file. Expected values are read from the file with the csv module.
"""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from ipolens.app.data import import_file
from ipolens.app.profile import ipo_profile, ipos
from ipolens.app.stats import stats
from ipolens.data.importer import ImportFailed
from ipolens.ledger.codes import CodeError, RELISTING_DAYS, listing_key, parse_code, split_listing
from ipolens.ledger.store import AmbiguousListing, EntityNotFound

FIXTURE = Path(__file__).parent / "fixtures" / "identity" / "reused_codes.csv"


def _fixture_rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(code: str, day: str) -> dict:
    return next(r for r in _fixture_rows() if r["代码"] == code and r["上市日期"] == day)


def _snapshot(store) -> str:
    with store.read() as led:
        rows = led.con.execute("SELECT * FROM facts ORDER BY id").fetchall()
        rows += led.con.execute("SELECT * FROM entities ORDER BY key").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _views(store) -> dict:
    """What must not move when a reused code is imported: the 2019 deal, the 2018-22 HK statistics, 2019's IPOs."""
    return {"profile": ipo_profile(store, "HK:00302").to_dict(),
            "stats": stats(store, by="year", market="HK", years="2018-2022").to_dict(),
            "ipos": ipos(store, year=2019).to_dict()}


def test_embedded_dataset_has_no_reused_code():
    """Nothing migrates: no embedded entity has two listing dates more than the relisting distance apart, and no
    embedded key carries an ``@``."""
    from ipolens.app.store import open_store

    s = open_store(":memory:")
    try:
        with s.read() as led:
            keys = [r[0] for r in led.con.execute("SELECT key FROM entities").fetchall()]
            dates = led.con.execute("SELECT entity, value_text FROM facts WHERE field = 'listing_date'").fetchall()
    finally:
        s.close()
    assert keys and not [k for k in keys if "@" in k]
    import datetime as dt

    by: dict[str, list[dt.date]] = {}
    for entity, text in dates:
        by.setdefault(entity, []).append(dt.date.fromisoformat(text[:10]))
    spread = {e: (max(d) - min(d)).days for e, d in by.items()}
    assert len(spread) > 400
    assert max(spread.values()) <= RELISTING_DAYS


def test_reused_code_imports_as_two_listings(fresh_store):
    before = _views(fresh_store)
    res = import_file(fresh_store, FIXTURE, "broker sheet 2025")
    new = _row("00302.HK", "2025-07-09")
    assert res.rows == 3 and res.entities == 3
    assert any("00302.HK listed 2019-10-31 is a different listing: created 00302.HK@2025" in n
               for n in res.new_listings), res.new_listings
    assert res.to_dict()["new_listings"] == res.new_listings
    with fresh_store.read() as led:
        ents = {k: c for k, c in led.con.execute(
            "SELECT key, code FROM entities WHERE split_part(key, '@', 1) IN ('HK:00302', 'HK:02592')").fetchall()}
    assert ents == {"HK:00302": "00302.HK", "HK:00302@2025": "00302.HK", "HK:02592": "02592.HK",
                    "HK:02592@2025": "02592.HK"}
    # the 2019 deal, 2018-22 statistics and 2019's IPO list are exactly as before; only their "left out" notes
    # count the fixture's listings (all three listed outside the years asked for)
    after = _views(fresh_store)
    assert after["profile"] == before["profile"]
    for view in ("stats", "ipos"):
        out_before, out_after = before[view].pop("left_out"), after[view].pop("left_out")
        assert after[view] == before[view], view
        years = {r["reason"]: r["count"] for r in out_after}["out_of_years"]
        assert years == {r["reason"]: r["count"] for r in out_before}["out_of_years"] + len(_fixture_rows())
        assert [r for r in out_after if r["reason"] != "out_of_years"] == [
            r for r in out_before if r["reason"] != "out_of_years"]
    # the new deal carries the file's values, none of the 2019 deal's
    p = ipo_profile(fresh_store, "00302@2025").to_dict()
    assert p["entity"] == "HK:00302@2025" and p["code"] == "00302.HK" and p["name_en"] == new["name"]
    assert p["deal"]["offer_price"]["value"] == float(new["发行价"])
    assert p["deal"]["one_lot_success_rate"]["value"] == float(new["一手中签率"])
    assert p["deal"]["lot_size"]["value"] == float(new["每手股数"])
    assert "grey_market_return" not in p["first_day"] or p["first_day"]["grey_market_return"].get("value") is None


def test_same_file_reuse_older_keeps_plain_key(fresh_store):
    res = import_file(fresh_store, FIXTURE, "broker sheet 2025")
    old, new = _row("02592.HK", "2023-03-18"), _row("02592.HK", "2025-11-20")
    assert any("02592.HK listed 2023-03-18 (row 3) is a different listing: created 02592.HK@2025" in n
               for n in res.new_listings)
    assert ipo_profile(fresh_store, "02592@2023").to_dict()["deal"]["offer_price"]["value"] == float(old["发行价"])
    assert ipo_profile(fresh_store, "02592.HK@2025").to_dict()["deal"]["offer_price"]["value"] == float(new["发行价"])
    assert ipo_profile(fresh_store, new["name"]).entity == "HK:02592@2025"


def test_bare_code_is_ambiguous_and_names_both(fresh_store):
    import_file(fresh_store, FIXTURE, "broker sheet 2025")
    with fresh_store.read() as led:
        with pytest.raises(AmbiguousListing) as exc:
            led.resolve_entity("00302")
        assert exc.value.choices == ["HK:00302", "HK:00302@2025"]
        msg = str(exc.value)
        assert "00302@2019 CMGE (listed 2019-10-31)" in msg and "00302@2025 NEWCO ROBOTICS (listed 2025-07-09)" in msg
        for spelling in ("00302@2025", "00302.HK@2025", "HK:00302@2025", "0302 HK@2025-07-09", "NEWCO ROBOTICS"):
            assert led.resolve_entity(spelling) == "HK:00302@2025", spelling
        for spelling in ("00302@2019", "CMGE", "HK:00302"):  # an exact key is itself (keys round-trip)
            assert led.resolve_entity(spelling) == "HK:00302", spelling
        with pytest.raises(EntityNotFound, match="listed in 2021.*00302@2019 CMGE.*00302@2025 NEWCO"):
            led.resolve_entity("00302@2021")
        # a code with one listing is unchanged
        assert led.resolve_entity("6082.HK") == "HK:06082"
    # the Python API and the web 404 path refuse the same way
    import ipolens.api as api

    db = api.Database(fresh_store)
    with pytest.raises(EntityNotFound, match="00302@2019 CMGE"):
        db.resolve("00302.HK")
    assert db.ipo("00302@2025").entity == "HK:00302@2025"
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from ipolens.web import create_app

    with TestClient(create_app(store=fresh_store)) as c:
        r = c.get("/api/ipos/00302")
        assert r.status_code == 404 and "00302@2025 NEWCO ROBOTICS" in r.text
        r = c.get("/api/ipos/00302@2025")
        assert r.status_code == 200 and r.json()["entity"] == "HK:00302@2025"


def test_cli_ipo_asks_which(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    run = CliRunner()
    r = run.invoke(app, ["import", str(FIXTURE), "--source-title", "broker sheet 2025"])
    assert r.exit_code == 0, r.output
    r = run.invoke(app, ["ipo", "00302"])
    assert r.exit_code == 2
    assert "00302@2019 CMGE" in r.output and "00302@2025 NEWCO ROBOTICS" in r.output
    r = run.invoke(app, ["ipo", "00302@2025", "--json"])
    assert r.exit_code == 0, r.output
    import json

    d = json.loads(r.stdout)
    assert d["entity"] == "HK:00302@2025"
    assert d["deal"]["offer_price"]["value"] == float(_row("00302.HK", "2025-07-09")["发行价"])


def test_reimport_creates_nothing_new(fresh_store):
    first = import_file(fresh_store, FIXTURE, "broker sheet 2025")
    res = import_file(fresh_store, FIXTURE, "broker sheet 2025")
    assert res.new_listings == [] and res.replaced and res.facts == first.facts
    with fresh_store.read() as led:
        assert sorted(r[0] for r in led.con.execute("SELECT key FROM entities WHERE key LIKE '%@%'").fetchall()) == [
            "HK:00302@2025", "HK:02592@2025"]


def test_undated_row_for_reused_code_asks_for_the_date(fresh_store, tmp_path):
    import_file(fresh_store, FIXTURE, "broker sheet 2025")
    bad = tmp_path / "undated.csv"
    bad.write_text("code,offer price,currency\n6082.HK,1.0,HKD\n00302.HK,9.1,HKD\n", encoding="utf-8")
    snap = _snapshot(fresh_store)
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, bad, "undated sheet")
    [p] = exc.value.problems
    assert (p.row, p.field) == (3, "listing_date")
    assert "00302.HK has 2 listings" in str(p) and "00302.HK@2019-10-31" in str(p) and "00302.HK@YEAR" in str(p)
    assert str(bad) in str(p)
    assert _snapshot(fresh_store) == snap
    # the code spelled with its listing year selects the listing
    ok = tmp_path / "undated_at.csv"
    ok.write_text("code,offer price,currency\n00302.HK@2025,9.1,HKD\n", encoding="utf-8")
    res = import_file(fresh_store, ok, "at sheet")
    assert res.new_listings == []
    with fresh_store.read() as led:
        assert led.con.execute("SELECT entity FROM facts WHERE source_id = ?", [res.source_id]).fetchall() == [
            ("HK:00302@2025",)]


def test_rows_close_in_date_are_still_one_listing(fresh_store, tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("code,listing date,offer price,currency\n00302.HK,2025-07-09,8.88,HKD\n"
                 "00302.HK,2025-09-01,8.90,HKD\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, f, "dup sheet")
    [p] = exc.value.problems
    assert (p.row, p.field) == (3, "code") and "duplicate code 00302.HK (first on row 2)" in str(p)
    # a date within the distance of the 2019 listing writes onto it, as before
    g = tmp_path / "near.csv"
    g.write_text("code,listing date,offer price,currency\n00302.HK,2019-10-31,2.83,HKD\n", encoding="utf-8")
    res = import_file(fresh_store, g, "near sheet")
    assert res.new_listings == [] and res.entities == 1
    with fresh_store.read() as led:
        assert led.con.execute("SELECT DISTINCT entity FROM facts WHERE source_id = ?",
                               [res.source_id]).fetchall() == [("HK:00302",)]


def test_relisting_distance_is_a_setting(fresh_store, tmp_path, monkeypatch):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("relisting_days: 3000\n", encoding="utf-8")
    f = tmp_path / "one.csv"
    f.write_text("code,listing date,offer price,currency\n00302.HK,2025-07-09,8.88,HKD\n", encoding="utf-8")
    res = import_file(fresh_store, f, "wide distance", mapping=mapping)
    assert res.new_listings == []  # 2019-10-31 .. 2025-07-09 is 2078 days, under 3000: the same listing
    monkeypatch.setenv("IPOLENS_RELISTING_DAYS", "10")
    g = tmp_path / "two.csv"
    g.write_text("code,listing date,offer price,currency\n06082.HK,2023-01-01,9.0,HKD\n", encoding="utf-8")
    res = import_file(fresh_store, g, "narrow distance")
    assert [n for n in res.new_listings if "created 06082.HK@2023" in n]
    bad = tmp_path / "bad.yaml"
    bad.write_text("relisting_days: soon\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="relisting_days"):
        import_file(fresh_store, f, "bad distance", mapping=bad)


def test_codes_helpers():
    assert split_listing("02718.HK@2025") == ("02718.HK", "2025")
    assert split_listing("02718 @ 2025-07-09") == ("02718", "2025-07-09")
    assert split_listing("02718") == ("02718", None)
    assert parse_code("02718").key == "HK:02718"  # plain codes are unchanged
    with pytest.raises(CodeError):
        parse_code("02718@2025")  # parse_code reads codes; listings are the resolver's
    assert listing_key("HK:02718", "2025-07-09", ["2019-03-01"], {"HK:02718"}) == "HK:02718@2025"
    assert listing_key("HK:02718", "2025-07-09", ["2025-01-02"], {"HK:02718"}) == "HK:02718@2025-07-09"
