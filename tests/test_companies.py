"""Companies: a company links listings (A+H, dual primary, relisting). Expected values are computed here from the
shipped files with the csv module, or by hand; never by the code under test."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from ipolens.app import companies as co
from ipolens.app.base import Refused, UserError
from ipolens.app.store import open_store
from ipolens.ledger.access import Store
from ipolens.ledger.model import Entity, Source
from ipolens.ledger.store import EntityNotFound

EMBEDDED = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"


def _rows(name: str) -> list[dict]:
    with (EMBEDDED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _key(code: str) -> str:  # '8441.HK' -> 'HK:08441' (the dataset's HK codes, by hand)
    digits, _, market = code.partition(".")
    assert market == "HK"
    return f"HK:{int(digits):05d}"


def _keys(res) -> list[str]:
    return [x["key"] for x in res.listings]


# -- migration --------------------------------------------------------------------------------------------------------
def test_old_ledger_file_migrates(tmp_path):
    """A ledger written with the schema before companies (no company_links table, its schema version) gains the
    table on open and keeps what it held; before that, a read-only open still answers `company`."""
    from ipolens.ledger import schema
    from ipolens.ledger.companies import DDL_COMPANIES
    from ipolens.ledger.views import view_sql

    assert "7777.HK" not in {r["code"] for r in _rows("hk_listings_2018_2022.csv") + _rows("hk_ai_listings_2026.csv")}
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for stmt in schema.DDL:
        if stmt not in DDL_COMPANIES:
            con.execute(stmt)
    for stmt in view_sql():
        con.execute(stmt)
    con.execute("INSERT INTO meta VALUES ('schema_version', 'before-companies')")
    con.execute("INSERT INTO sources (id, kind, title) VALUES ('user:mine', 'user', 'my sheet')")
    con.execute("INSERT INTO entities VALUES ('HK:07777', 'listing', 'HK', '07777.HK', 'Mine Co', NULL)")
    con.execute("INSERT INTO facts (entity, field, value_text, source_id) VALUES "
                "('HK:07777', 'listing_date', '2024-05-02', 'user:mine')")
    con.close()
    old = Store(path)
    with old.read() as led:
        assert not led.con.execute("SELECT count(*) FROM information_schema.tables "
                                   "WHERE table_name = 'company_links'").fetchone()[0]
    assert co.company(old, "HK:07777").company is None  # read-only, old schema: no links, still an answer

    store = open_store(path)
    with store.read() as led:
        assert led.con.execute("SELECT count(*) FROM company_links").fetchone()[0] == 0
        assert led.get_meta("schema_version") != "before-companies"
        assert led.con.execute("SELECT value_text FROM facts WHERE entity = 'HK:07777'").fetchone()[0] == "2024-05-02"
    assert co.company(store, "HK:07777").listings[0]["listing_date"] == "2024-05-02"
    assert _keys(co.company(store, "IWS GROUP")) == ["HK:08441", "HK:06663"]  # the embedded data now in it
    res = co.link(store, "HK:07777", "6663")  # joins the company 06663 has (the same names as 08441)
    assert set(_keys(res)) == {"HK:07777", "HK:06663", "HK:08441"} and res.company == "CO:iws-group"


# -- what the embedded dataset says -----------------------------------------------------------------------------------
def _expected_groups() -> list[set[str]]:
    """Listings of the 2018-22 file with the same English and Chinese name, and of both files with the same legal
    name once ' - H shares' is dropped: grouped by hand, no union-find needed when the groups are disjoint."""
    by: dict[tuple, set[str]] = defaultdict(set)
    for r in _rows("hk_listings_2018_2022.csv"):
        if r["name_en"] and r["name_zh"]:
            by[("names", r["name_en"].strip().lower(), r["name_zh"].strip())].add(_key(r["code"]))
    for r in _rows("hk_ai_listings_2026.csv"):
        base = r["legal_name"].lower().replace("- h shares", "").strip(" -")
        by[("legal", base)].add(_key(r["code"]))
    groups = [g for g in by.values() if len(g) > 1]
    assert sum(map(len, groups)) == len(set().union(*groups))  # disjoint
    return groups


def test_embedded_companies_are_those_the_source_files_state(store):
    groups = _expected_groups()
    assert groups, "the 2018-22 file has GEM-to-Main-Board transfers under the same names"
    for g in groups:
        for key in g:
            res = co.company(store, key)
            assert res.company and set(_keys(res)) == g, (key, res.to_dict())
    grouped = set().union(*groups)
    alone = [_key(r["code"]) for r in _rows("hk_listings_2018_2022.csv")[:60] if _key(r["code"]) not in grouped]
    for key in alone:
        assert co.company(store, key).company is None and _keys(co.company(store, key)) == [key]


def test_embedded_share_classes_roles_and_a_shares_not_in_the_ledger(store):
    h_shares = {_key(r["code"]) for r in _rows("hk_ai_listings_2026.csv") if "h shares" in r["legal_name"].lower()}
    h_shares |= {_key(r["code"]) for r in _rows("hk_listings_2018_2022.csv") if "h shares" in r["name_en"].lower()}
    secondary = {_key(r["code"]) for r in _rows("hk_listings_2018_2022.csv")
                 if r["name_en"].strip().upper().endswith(("-S", "-SW", "-SB"))}
    a_plus_h = {_key(r["code"]) for r in _rows("hk_ai_listings_2026.csv") if r["route"].startswith("A+H")}
    assert len(h_shares) >= 7 and len(secondary) >= 10 and len(a_plus_h) == 3
    for key in h_shares | secondary | a_plus_h:
        me = next(x for x in co.company(store, key).listings if x["key"] == key)
        assert (me["share_class"] == "H") == (key in h_shares), key
        assert (me["role"] == "secondary") == (key in secondary), key
        notes = " ".join(co.company(store, key).not_in_ledger)
        assert ("A shares" in notes) == (key in a_plus_h), key
        assert ("primary listing" in notes) == (key in secondary), key


def test_relisting_under_a_reused_code_is_not_the_same_company(fresh_store):
    from ipolens.app.data import import_file

    fixture = Path(__file__).parent / "fixtures" / "identity" / "reused_codes.csv"
    import_file(fresh_store, fixture, "broker sheet 2025")
    old, new = co.company(fresh_store, "HK:00302"), co.company(fresh_store, "HK:00302@2025")
    assert old.company is None and new.company is None
    assert _keys(old) == ["HK:00302"] and _keys(new) == ["HK:00302@2025"]


# -- import ----------------------------------------------------------------------------------------------------------
CSV = """代码,名称,上市日期,发行价,公司,A股代码,股份类别
3750.HK,Battery Maker,2025-05-20,263.00 HKD,Battery Maker Holdings,300750.SZ,
2097.HK,Spice Group,2025-03-03,20.00 HKD,Spice Group Holdings,,H
9878.HK,Spice Group B,2025-04-04,10.00 HKD,Spice Group Holdings,,
"""


def _import_files(tmp_path, text: str = CSV) -> tuple[Path, Path]:
    f = tmp_path / "sheet.csv"
    f.write_text(text, encoding="utf-8")
    m = tmp_path / "map.yaml"
    m.write_text("columns:\n  名称: name_en\n  公司: company\n", encoding="utf-8")
    return f, m


def test_import_reads_company_columns(tmp_path):
    from ipolens.data.importer import parse_file

    f, m = _import_files(tmp_path)
    parsed = parse_file(f, "sheet", m)
    got = {r["listing"]: (r["company"], r["share_class"]) for r in parsed.links}
    assert got == {"HK:03750": ("CO:battery-maker-holdings", "H"), "SZ:300750": ("CO:battery-maker-holdings", "A"),
                   "HK:02097": ("CO:spice-group-holdings", "H"), "HK:09878": ("CO:spice-group-holdings", None)}
    assert "SZ:300750" in parsed.entities and parsed.entities["SZ:300750"].kind == "listing"


@pytest.mark.parametrize("row, field, words", [
    ("3750.HK,X,2025-05-20,1 HKD,X Co,0700.HK,", "a_share_code", "not an A-share code"),
    ("3750.HK,X,2025-05-20,1 HKD,X Co,,Z", "share_class", "unknown share class"),
    ("300750.SZ,X,2025-05-20,1 CNY,,300750,", "a_share_code", "the row's own listing"),
    ("3750.HK,,2025-05-20,1 HKD,,300750.SZ,", "company", "needs the company's name"),
])
def test_import_refuses_bad_company_cells(tmp_path, row, field, words):
    from ipolens.data.importer import ImportFailed, parse_file

    f, m = _import_files(tmp_path, CSV.splitlines()[0] + "\n" + row + "\n")
    with pytest.raises(ImportFailed) as exc:
        parse_file(f, "sheet", m)
    p = exc.value.problems[0]
    assert (p.row, p.field) == (2, field) and words in p.message


def test_import_links_written_as_the_import_writes_them(fresh_store, tmp_path):
    """The links of a parsed file, filed under its source inside one write (what `import` does once wired)."""
    from ipolens.data.importer import parse_file
    from ipolens.ledger.companies import write_import_links

    f, m = _import_files(tmp_path)
    parsed = parse_file(f, "sheet", m)
    with fresh_store.write() as led:
        led.add_source(parsed.source)
        led.add_entities(parsed.entities.values())
        led.add_facts(parsed.facts)
        write_import_links(led, parsed.links, parsed.source.id)
    res = co.company(fresh_store, "Spice Group Holdings")
    assert (res.company, _keys(res)) == ("CO:spice-group-holdings", ["HK:02097", "HK:09878"])
    res = co.company(fresh_store, "300750")
    assert res.name_en == "Battery Maker Holdings"
    assert {(x["key"], x["share_class"]) for x in res.listings} == {("HK:03750", "H"), ("SZ:300750", "A")}
    assert all(x["source"] == parsed.source.id for x in res.listings)
    with fresh_store.write() as led:  # a re-import replaces the source's links
        write_import_links(led, parsed.links[:1], parsed.source.id)
    assert co.company(fresh_store, "HK:09878").company is None


def test_ipolens_import_stores_company_links(fresh_store, tmp_path):
    from ipolens.app.data import import_file

    f, m = _import_files(tmp_path)
    import_file(fresh_store, f, "sheet", m)
    # the embedded data has a 2018-22 listing of 09878: the 2025 row is a new listing of the reused code, and the
    # company link follows it there
    assert _keys(co.company(fresh_store, "Spice Group Holdings")) == ["HK:02097", "HK:09878@2025"]
    f.write_text(CSV.replace("Spice Group Holdings", ""), encoding="utf-8")
    import_file(fresh_store, f, "sheet", m, replace=True)  # the source re-imported without the company: links go
    assert _keys(co.company(fresh_store, "Spice Group Holdings")) == []


# -- link / unlink ----------------------------------------------------------------------------------------------------
def test_link_and_unlink(fresh_store):
    res = co.link(fresh_store, "0501", "688256", "Lens Group")
    assert res.company == "CO:lens-group" and res.name_en == "Lens Group"
    assert {(x["key"], x["share_class"]) for x in res.listings} == {("HK:00501", "H"), ("SH:688256", "A")}
    assert not res.not_in_ledger  # the A shares the route names are now in the company
    assert _keys(co.company(fresh_store, "lens group")) == _keys(res)
    res = co.link(fresh_store, "HK:09903", "0501")  # no --company: the company 0501 already has
    assert res.company == "CO:lens-group" and len(res.listings) == 3
    with pytest.raises(Refused, match="give --company"):
        co.link(fresh_store, "8441", "0501")  # two companies: say which
    res = co.unlink(fresh_store, "09903")
    assert res.company is None and "detached" in res.listings[0]["basis"]
    assert "HK:09903" not in _keys(co.company(fresh_store, "CO:lens-group"))
    co.unlink(fresh_store, "6663")  # detaches a link the facts imply (same names)
    assert _keys(co.company(fresh_store, "8441")) == ["HK:08441"]
    assert co.company(fresh_store, "6663").company is None
    with pytest.raises(Refused, match="nothing to unlink"):
        co.unlink(fresh_store, "6663")
    with pytest.raises(UserError, match="same listing"):
        co.link(fresh_store, "6082", "06082.HK")
    with pytest.raises(UserError, match="not a listing"):
        co.link(fresh_store, "6082", "CATL")
    with pytest.raises(UserError, match="share classes"):
        co.link(fresh_store, "6082", "688795", classes="H")


# -- the A/H discount --------------------------------------------------------------------------------------------------
def _hkd_to_cny(day: str) -> float:
    rows = [r for r in _rows("fx_rates.csv") if r["date"] == day and {r["base"], r["quote"]} == {"HKD", "CNY"}]
    assert len(rows) == 1
    r = rows[0]
    return float(r["rate"]) if r["base"] == "HKD" else 1.0 / float(r["rate"])


def test_ah_discount_computed_by_hand(fresh_store):
    import pandas as pd

    h = next(r for r in _rows("hk_ai_listings_2026.csv") if r["code"] == "0501.HK")
    day, offer = h["listing_date"], float(h["offer_price"])
    with fresh_store.write() as led:
        led.add_source(Source("user:test-prices", "user", "test prices"))
        led.add_entities([Entity("SH:603501", "listing", "SH", "603501.SH", "Lens A")])
        led.insert_frame("prices", pd.DataFrame({
            "code": ["HK:00501", "SH:603501"], "date": [pd.Timestamp(day).date()] * 2, "close": [120.0, 150.0],
            "adjusted": [False, False], "source_id": ["user:test-prices"] * 2}))
    co.link(fresh_store, "0501", "603501")
    rate = _hkd_to_cny(day)
    d = co.company(fresh_store, "0501").ah_discount
    assert len(d) == 1 and d[0]["date"] == day and "missing" not in d[0]
    d = d[0]
    assert d["close_discount_pct"] == pytest.approx((1 - 120.0 * rate / 150.0) * 100, rel=1e-9)
    assert d["offer_discount_pct"] == pytest.approx((1 - offer * rate / 150.0) * 100, rel=1e-9)
    assert d["fx"]["pair"] == "HKD/CNY" and d["fx"]["date"] == day and d["fx"]["source"] == "fx:ecb-eurofxref"
    assert d["a_close"]["source"] == "user:test-prices" and d["h_offer"]["source"] == "dataset:urop-hk-ipo-2026"
    from ipolens.app.profile import ipo_profile

    p = ipo_profile(fresh_store, "0501").to_dict()["company"]
    assert p["share_class"] == "H" and [x["key"] for x in p["other_listings"]] == ["SH:603501"]
    assert p["ah_discount"][0]["close_discount_pct"] == pytest.approx(d["close_discount_pct"])


def test_ah_discount_names_what_is_missing(fresh_store):
    co.link(fresh_store, "3986", "688256")
    d = co.company(fresh_store, "3986").ah_discount
    assert len(d) == 1 and "no close of 688256.SH" in d[0]["missing"]


# -- ambiguity ---------------------------------------------------------------------------------------------------------
def test_a_name_matching_two_companies_lists_both(fresh_store):
    co.link(fresh_store, "0501", "688256", "Northwind Holdings")
    co.link(fresh_store, "3986", "688795", "Northwind Group")
    with pytest.raises(co.AmbiguousCompany) as exc:
        co.company(fresh_store, "Northwind")
    assert exc.value.choices == ["CO:northwind-group", "CO:northwind-holdings"]
    assert "CO:northwind-group" in str(exc.value) and "CO:northwind-holdings" in str(exc.value)
    assert co.company(fresh_store, "Northwind Group").company == "CO:northwind-group"
    with pytest.raises(EntityNotFound):
        co.company(fresh_store, "no such company anywhere")


def test_database_company_is_a_frame(db):
    df = db.company("IWS GROUP")
    assert list(df["key"]) == ["HK:08441", "HK:06663"] and set(df["company"]) == {"CO:iws-group"}


# -- one answer on every face ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["IWS GROUP", "6663", "9988", "0501", "CATL", "CO:maxicity", "Shanghai", "NOPE.HK",
                                  "nothing matches this"])
def test_company_parity(cli, client, name):
    pytest.importorskip("fastapi")
    from conftest import same

    body = same(cli("company", name, "--json"), client.get(f"/api/company/{name}"))
    if name == "Shanghai":
        assert "ambiguous" in body and "HK:06082" in body and "HK:09903" in body
    if name == "IWS GROUP":
        assert [x["key"] for x in body["listings"]] == ["HK:08441", "HK:06663"]


def test_cli_link_unlink_and_render(run_cli):
    out = run_cli("link", "0501", "688256", "--company", "Render Test Co")
    assert out.exit_code == 0 and "CO:render-test-co" in out.stdout and "688256.SH" in out.stdout
    out = run_cli("ipo", "0501")
    assert out.exit_code == 0 and "Company CO:render-test-co" in out.stdout and "share class H" in out.stdout
    out = run_cli("unlink", "0501", "--json")
    assert out.exit_code == 0 and '"company": null' in out.stdout
    out = run_cli("company", "Shanghai")
    assert out.exit_code == 2 and "ambiguous" in out.output


def test_a_partner_code_of_a_reused_code_is_chosen_never_guessed(fresh_store, tmp_path):
    """09878 has an embedded 2022 listing; this file adds a 2025 one. An A-share row naming 9878.HK as its H share
    must say which listing (the oldest would be another company), and 9878.HK@2025 picks the new one."""
    from ipolens.app.data import import_file
    from ipolens.data.importer import ImportFailed

    head = "代码,名称,上市日期,发行价,币种,H股代码,公司\n"
    rows = "9878.HK,Spice Group,2025-04-04,10,HKD,,Spice Group Holdings\n" \
           "300999.SZ,Spice Group A,2020-01-10,5,CNY,{h},Spice Group Holdings\n"
    m = tmp_path / "map.yaml"
    m.write_text("columns:\n  名称: name_en\n  公司: company\n  H股代码: h_share_code\n", encoding="utf-8")
    f = tmp_path / "ah.csv"
    f.write_text(head + rows.format(h="9878.HK"), encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, f, "ah", m)
    p = exc.value.problems[0]
    assert (p.row, p.field) == (3, "h_share_code") and "CODE@YEAR" in p.message
    f.write_text(head + rows.format(h="9878.HK@2025"), encoding="utf-8")
    import_file(fresh_store, f, "ah", m, replace=True)
    assert sorted(_keys(co.company(fresh_store, "Spice Group Holdings"))) == ["HK:09878@2025", "SZ:300999"]


def test_a_dash_for_a_company_is_a_problem_of_its_row(tmp_path):
    from ipolens.data.importer import ImportFailed, parse_file

    f = tmp_path / "dash.csv"
    f.write_text("代码,名称,上市日期,发行价,币种,公司\n3750.HK,X,2025-05-20,1,HKD,—\n", encoding="utf-8")
    m = tmp_path / "map.yaml"
    m.write_text("columns:\n  名称: name_en\n  公司: company\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        parse_file(f, "dash", m)
    assert (exc.value.problems[0].row, exc.value.problems[0].field) == (2, "company")


def test_company_names_match_exactly_before_any_prefix(fresh_store):
    co.link(fresh_store, "0501", "688256", "Northwind Holdings")
    res = co.link(fresh_store, "3986", "688795", "Northwind")  # a new, shorter name is a new company
    assert res.company == "CO:northwind" and sorted(_keys(res)) == ["HK:03986", "SH:688795"]
    assert sorted(_keys(co.company(fresh_store, "Northwind Holdings"))) == ["HK:00501", "SH:688256"]
    # a listing's exact name beats a company whose name merely starts with it
    co.link(fresh_store, "6082", "09903", "Iluvatar CoreX Semiconductor Group")
    assert co.company(fresh_store, "Iluvatar CoreX").company == "CO:iluvatar-corex-semiconductor-group"
