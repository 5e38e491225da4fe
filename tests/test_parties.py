"""Cornerstone investors as entities: the records parser, the import through store.write(), `investors`,
`investor NAME` (deals, amounts, lock-up expiries, first-day returns) and the CLI's JSON."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ipolens.app.base import EntityNotFound, Refused, UserError
from ipolens.app.parties import import_cornerstones, investor, investors
from ipolens.data.parties.cornerstones import parse_amount

FIX = Path(__file__).parent / "fixtures" / "cornerstones"
BIG, SMALL = FIX / "cornerstones_hk.json", FIX / "cornerstones_small.csv"
EMBEDDED = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"
GIC_SPELLINGS = {"GIC Private Limited", "GIC Pte. Ltd.", "新加坡政府投资公司"}  # as make_cornerstones.py writes them


def _rows(store) -> int:
    with store.read() as led:
        has = led.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'deal_parties'")
        return int(led.query("SELECT count(*) AS n FROM deal_parties")["n"][0]) if has["n"][0] else 0


def _write(tmp_path, deals, name="c.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"deals": deals}, ensure_ascii=False), encoding="utf-8")
    return p


def _amount(v) -> tuple[float, str | None]:
    """Independent reader for the fixture's amount styles: 195000000.0 / 'HKD 117,000,000' / 'US$30m'."""
    if isinstance(v, (int, float)):
        return float(v), None
    m = re.fullmatch(r"(USD|HKD) ([0-9,]+)", v)
    if m:
        return float(m.group(2).replace(",", "")), m.group(1)
    m = re.fullmatch(r"(US|HK)\$([0-9.]+)m", v)
    return float(m.group(2)) * 1e6, m.group(1) + "D"


def _first_day(code: str) -> float:
    with open(EMBEDDED / "hk_listings_2018_2022.csv", newline="", encoding="utf-8") as fh:
        return float(next(r for r in csv.DictReader(fh) if r["code"] == code.lstrip("0"))["first_day_return"])


@pytest.mark.parametrize("text,expected", [
    ("USD 50,000,000", (5e7, "USD")), ("50,000,000 USD", (5e7, "USD")), ("HK$1.2bn", (1.2e9, "HKD")),
    ("US$30m", (3e7, "USD")), ("3.9亿港元", (3.9e8, "HKD")), ("1,234,567.5", (1234567.5, None)), (12, (12.0, None))])
def test_amount_cells(text, expected):
    amount, ccy = parse_amount(text)
    assert amount == pytest.approx(expected[0]) and ccy == expected[1]


@pytest.mark.parametrize("text", ["19,6", "1,2,3", "USD 5m HKD", "about 5m", "-5", float("nan"), True])
def test_amount_cells_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_import_fixture_counts_and_investor_totals(fresh_store):
    doc = json.loads(BIG.read_text(encoding="utf-8"))
    assert len(doc["deals"]) >= 150
    lines = [(d["code"], c) for d in doc["deals"] for c in d["cornerstones"]]
    res = import_cornerstones(fresh_store, BIG, "Broker cornerstone sheet")
    assert res.records == len(lines) == _rows(fresh_store)
    assert res.deals == sum(1 for d in doc["deals"] if d["cornerstones"])
    # GIC under three spellings is one investor
    gic_lines = [(code, c) for code, c in lines if c["name"] in GIC_SPELLINGS]
    rows = {r["id"]: r for r in investors(fresh_store).to_dict()["rows"]}
    assert rows["cornerstone:gic"]["deals"] == len({code for code, _ in gic_lines})
    totals: dict[str, float] = {}
    for _, c in gic_lines:
        amount, ccy = _amount(c["amount"])
        ccy = c.get("currency") or ccy
        totals[ccy] = totals.get(ccy, 0.0) + amount
    assert rows["cornerstone:gic"]["amounts"] == pytest.approx(totals)
    assert not any(r["name_en"] in GIC_SPELLINGS - {"GIC"} for r in rows.values())


def test_reimport_same_title_replaces_and_other_title_is_refused(fresh_store):
    first = import_cornerstones(fresh_store, SMALL, "Small sheet")
    again = import_cornerstones(fresh_store, SMALL, "Small sheet")
    assert again.replaced_rows == first.records and _rows(fresh_store) == first.records
    with pytest.raises(Refused, match="already imported as 'Small sheet'"):
        import_cornerstones(fresh_store, SMALL, "small SHEET!")  # same source id, another title
    assert _rows(fresh_store) == first.records
    import_cornerstones(fresh_store, SMALL, "small SHEET!", replace=True)
    assert _rows(fresh_store) == first.records


def test_csv_with_chinese_headers(fresh_store):
    with open(SMALL, newline="", encoding="utf-8") as fh:
        data = list(csv.DictReader(fh))
    res = import_cornerstones(fresh_store, SMALL, "Small sheet")
    assert res.records == len(data) and res.deals == len({r["股票代码"] for r in data})


def test_investor_lockups_and_first_day_returns(fresh_store, tmp_path):
    # 01849.HK listed Thu 2019-06-26: 6 months end Thu 2019-12-26, Boxing Day (an HKEX holiday) -> Fri 2019-12-27.
    # 02885.HK listed Fri 2019-01-11: end Thu 2019-07-11, a session. No months stated: the HK cornerstone rule (6).
    # 01931.HK listed Fri 2019-07-12: 12 months stated, end Sun 2020-07-12 -> Mon 2020-07-13.
    p = _write(tmp_path, [
        {"code": "1849", "listing_date": "2019-06-26", "cornerstones": [
            {"name": "Test Fund Alpha Limited", "name_zh": "测试阿尔法基金", "type": "Asset manager",
             "amount": "HKD 78,000,000", "shares": "1,200,000", "lockup_months": 6}]},
        {"code": "02885.HK", "listing_date": "2019-01-11", "cornerstones": [
            {"name": "Test Fund Alpha Ltd", "amount": 5000000, "currency": "usd"}]},
        {"code": "1931.HK", "cornerstones": [{"name": "測試阿爾法基金", "amount": "US$2m", "lockup_months": "12 months"}]},
    ])
    import_cornerstones(fresh_store, p, "Lock-up test")
    out = investor(fresh_store, "test fund alpha").to_dict()
    assert out["investor"]["name_zh"] == "测试阿尔法基金" and out["investor"]["type"] == "asset manager"
    by = {d["code"]: d for d in out["deals"]}
    assert set(by) == {"01849.HK", "02885.HK", "01931.HK"}
    assert (by["01849.HK"]["lockup_end"], by["01849.HK"]["first_tradable"]) == ("2019-12-26", "2019-12-27")
    assert by["02885.HK"]["lockup_months"] == 6 and by["02885.HK"]["lockup_basis"].startswith("rule")
    assert by["02885.HK"]["first_tradable"] == "2019-07-11"
    assert (by["01931.HK"]["lockup_end"], by["01931.HK"]["first_tradable"]) == ("2020-07-12", "2020-07-13")
    assert by["01849.HK"]["shares"] == 1_200_000 and by["02885.HK"]["currency"] == "USD"
    assert by["01931.HK"]["amount"] == 2e6 and by["01931.HK"]["currency"] == "USD"
    for code in by:
        assert by[code]["first_day_return"] == pytest.approx(_first_day(code))
    rets = [_first_day(c) for c in by]
    assert out["summary"]["mean_first_day_return"] == pytest.approx(sum(rets) / 3)
    assert out["summary"]["amounts"] == pytest.approx({"HKD": 78e6, "USD": 7e6})
    # the Chinese name (traditional or simplified) names the same investor
    assert investor(fresh_store, "測試阿爾法基金").investor["id"] == out["investor"]["id"]
    assert dt.date.fromisoformat(by["01849.HK"]["first_tradable"]).weekday() == 4


def test_vocabulary_alias_and_unknown_investor(fresh_store, tmp_path):
    p = _write(tmp_path, [{"code": "1849", "listing_date": "2019-06-26", "cornerstones": [
        {"name": "Temasek Fullerton Alpha Pte. Ltd.", "amount": 1, "currency": "HKD"}]}])
    import_cornerstones(fresh_store, p, "Vocab test")
    assert investor(fresh_store, "淡馬錫").investor["id"] == "cornerstone:temasek"
    with pytest.raises(EntityNotFound, match="no cornerstone investor"):
        investor(fresh_store, "Nobody Capital")


def test_bad_records_change_nothing_and_name_record_and_field(fresh_store, tmp_path):
    import_cornerstones(fresh_store, SMALL, "Small sheet")
    before = _rows(fresh_store)
    p = _write(tmp_path, [
        {"code": "1849", "listing_date": "2019-06-26", "cornerstones": [
            {"name": "A", "amount": "19,6", "currency": "HKD"},
            {"name": "B", "amount": 5, "lockup_months": 120, "currency": "HKD"},
            {"name": "C", "amount": 5}]},
        {"code": "9799.HK", "cornerstones": [{"name": "D"}]},
        {"code": "1849", "cornerstones": [{"name": "E", "pct_of_offer": 3}]}])
    with pytest.raises(UserError) as exc:
        import_cornerstones(fresh_store, p, "Bad file")
    msg = str(exc.value)
    assert msg.startswith(f"4 problems in {p}")  # 19,6; 120 months; no currency; unknown field (09799 is unchecked)
    assert "deals[0].cornerstones[0], field 'amount'" in msg and "'19,6'" in msg
    assert "deals[0].cornerstones[1], field 'lockup_months'" in msg
    assert "deals[0].cornerstones[2], field 'currency'" in msg
    assert "deals[2].cornerstones[0], field 'pct_of_offer'" in msg
    assert _rows(fresh_store) == before
    # a code the ledger lacks is found once the records are valid, and still changes nothing
    with pytest.raises(UserError, match=r"deals\[0\]\.cornerstones\[0\], field 'code': no listing 09799.HK"):
        import_cornerstones(fresh_store, _write(tmp_path, [{"code": "9799.HK", "cornerstones": [{"name": "D"}]}],
                                                "d.json"), "Bad code")
    assert _rows(fresh_store) == before


def test_many_problems_are_counted_exactly_and_written_to_a_file(fresh_store, tmp_path):
    deals = [{"code": "1849", "cornerstones": [{"name": f"N{i}", "amount": "1,2,3", "currency": "HKD"}]}
             for i in range(37)]
    with pytest.raises(UserError) as exc:
        import_cornerstones(fresh_store, _write(tmp_path, deals), "Many")
    msg = str(exc.value)
    assert msg.startswith("37 problems") and "17 more not shown" in msg
    listed = Path(re.search(r"listed in (\S+)$", msg).group(1)).read_text(encoding="utf-8").splitlines()
    assert len(listed) == 37


def test_reused_code_is_told_apart_by_listing_date(fresh_store, tmp_path):
    from ipolens.ledger.model import Entity, Fact, Source

    with fresh_store.write() as led:  # a second listing under 01849.HK, as a reused code gets
        led.add_source(Source("user:reusefixture", "user", "Reuse fixture"))
        led.add_entities([Entity("HK:01849@2025", "listing", "HK", "01849.HK", "New Co")])
        led.add_facts([Fact("HK:01849@2025", "listing_date", "user:reusefixture", text="2025-05-20")])
    inv = [{"name": "Reuse Fund", "amount": 1, "currency": "HKD"}]
    with pytest.raises(UserError, match="names several listings"):
        import_cornerstones(fresh_store, _write(tmp_path, [{"code": "1849", "cornerstones": inv}]), "Reuse")
    p = _write(tmp_path, [{"code": "1849", "listing_date": "2025-05-21", "cornerstones": inv},
                          {"code": "1849", "listing_date": "2019-06-26", "cornerstones": inv}], "two.json")
    import_cornerstones(fresh_store, p, "Reuse")
    entities = [d["entity"] for d in investor(fresh_store, "Reuse Fund").deals]
    assert entities == ["HK:01849", "HK:01849@2025"]
    with pytest.raises(UserError, match="no listing of 01849.HK near 2023-01-01"):
        import_cornerstones(fresh_store, _write(tmp_path, [{"code": "1849", "listing_date": "2023-01-01",
                                                            "cornerstones": inv}], "far.json"), "Reuse far")


def test_investors_on_a_ledger_without_party_tables(store):
    assert investors(store).total == 0  # the session store never imported cornerstones


def test_cli_json_equals_the_use_case(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from ipolens.app.store import open_store
    from ipolens.cli import parties as cli_parties

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    app = typer.Typer()
    cli_parties.register(app)
    run = CliRunner().invoke
    res = run(app, ["import-cornerstones", str(SMALL), "--source-title", "Small sheet", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["records"] == 32
    store = open_store()
    with open(SMALL, newline="", encoding="utf-8") as fh:
        name = next(csv.DictReader(fh))["基石投资者"]
    for args, fn in ((["investors", "--json", "--limit", "0"], lambda: investors(store).to_dict()),
                     (["investor", name, "--json"], lambda: investor(store, name).to_dict())):
        res = run(app, args)
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout) == json.loads(json.dumps(fn(), ensure_ascii=False, default=str))
    assert run(app, ["investor", name]).exit_code == 0
    assert run(app, ["investor", "Nobody Capital"]).exit_code == 2
    bad = run(app, ["import-cornerstones", str(tmp_path / "missing.json"), "--source-title", "X"])
    assert bad.exit_code == 2 and "no such file" in bad.output
    assert run(app, ["import-cornerstones", str(SMALL)]).exit_code == 2  # no --source-title


def test_lockups_list_each_investors_expiry_with_value_at_the_last_close(fresh_store, tmp_path):
    # 01849.HK, listing date 2019-06-26, 6 months -> first tradable Fri 2019-12-27 (Boxing Day is an HKEX holiday).
    # Its last unadjusted close in the ledger, written below, is HK$2.50 on 2019-12-20: 1,200,000 x 2.50 = 3,000,000.
    from ipolens.app.hk import lockups

    p = _write(tmp_path, [{"code": "1849", "listing_date": "2019-06-26", "cornerstones": [
        {"name": "Test Fund Beta Limited", "amount": "HKD 10,000,000", "shares": "1,200,000", "lockup_months": 6}]}])
    import_cornerstones(fresh_store, p, "Lock-up value test")
    with fresh_store.write() as led:
        led.insert_frame("prices", pd.DataFrame({
            "code": ["HK:01849"] * 2, "date": [dt.date(2019, 12, 19), dt.date(2019, 12, 20)],
            "close": [2.4, 2.5], "adjusted": [False, False], "source_id": ["user:test-prices"] * 2}))
    res = lockups(fresh_store, "2019-12-01", "2019-12-31", "HK").to_dict()
    rows = [i for i in res["investors"] if i["code"] == "01849.HK"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["first_tradable"], row["investor"]) == ("2019-12-27", "Test Fund Beta Limited")
    assert row["shares"] == 1_200_000 and row["last_close"] == 2.5 and row["last_close_date"] == "2019-12-20"
    assert row["value_at_last_close"] == pytest.approx(1_200_000 * 2.5)
    # outside the window the investor's expiry is not listed
    assert not [i for i in lockups(fresh_store, "2020-01-01", "2020-01-31", "HK").investors if i["code"] == "01849.HK"]


def test_sponsor_chinese_names_cite_sources_that_exist():
    """Every Chinese name marked checked cites a source listed in the file; every unconfirmed one is a name of its
    entry, so the marks cannot drift from the names the matcher uses."""
    import yaml

    doc = yaml.safe_load((Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "parties" /
                          "sponsors.yaml").read_text(encoding="utf-8"))
    sources = doc["sources"]
    for s in doc["sponsors"]:
        names = {s.get("name_zh"), s.get("name_en"), *s.get("legal", []), *s.get("aliases", [])}
        for key in s.get("zh_checked", []):
            assert key in sources, (s["id"], key)
            assert len(sources[key].get("quote", "")) <= 80, key
        for name in s.get("zh_unconfirmed", []):
            assert name in names, (s["id"], name)
