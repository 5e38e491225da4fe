"""`ipolens import`: good files land in one transaction; each catalogued bad input exits non-zero, names the file,
row and field, and leaves the store unchanged. The catalogue is docs/import.md."""
from __future__ import annotations

import hashlib

import pytest

from ipolens.app.data import import_file
from ipolens.data.importer import ImportFailed

GOOD = "code,name,listing date,offer price,currency,lot size,一手中签率\n6666.HK,NEW CO,2026-03-02,10.5,HKD,500,12.5\n"


def _snapshot(store) -> str:
    with store.read() as led:
        rows = led.con.execute("SELECT * FROM facts ORDER BY id").fetchall()
        rows += led.con.execute("SELECT * FROM sources ORDER BY id").fetchall()
        rows += led.con.execute("SELECT * FROM entities ORDER BY key").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _listing(store, code: str) -> dict:
    with store.read() as led:
        return led.query("SELECT * FROM listings WHERE entity = ?", [led.resolve_entity(code)]).iloc[0].to_dict()


def _facts_count(store) -> int:
    with store.read() as led:
        return led.counts()["facts"]


def _xlsx_merged_header(path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "offer price", None, "currency"])
    ws.merge_cells("B1:C1")
    ws.append(["6666.HK", 10.5, 11, "HKD"])
    wb.save(path)


# (case id, file name, content (str/bytes/callable), mapping yaml or None, expected row, expected field, message)
CASES = [
    ("wrong-encoding", "gbk.csv", "code,name_zh,offer price,currency\n6666.HK,壁仞科技,1.0,HKD\n".encode("gbk"),
     None, 2, None, "not valid UTF-8"),
    ("empty-file", "empty.csv", b"", None, 1, None, "empty"),
    ("header-only", "header.csv", "code,offer price,currency\n", None, 2, None, "no data rows"),
    ("truncated-row", "trunc.csv", "code,offer price,currency\n6666.HK,10.5,HKD\n6667.HK,1", None, 3, None,
     "truncated"),
    ("unterminated-quote", "quote.csv", 'code,name,offer price,currency\n6666.HK,"NEW CO,10.5,HKD\n', None, 2,
     None, "unterminated"),
    ("missing-code-column", "nocode.csv", "name,offer price,currency\nX,10.5,HKD\n", None, 1, "code",
     "missing required column"),
    ("non-numeric-price", "price.csv", "code,offer price,currency\n6666.HK,ten,HKD\n", None, 2, "offer_price",
     "not a number"),
    ("negative-price", "neg.csv", "code,offer price,currency\n6666.HK,-1.5,HKD\n", None, 2, "offer_price",
     "negative"),
    ("zero-price", "zero.csv", "code,offer price,currency\n6666.HK,0,HKD\n", None, 2, "offer_price", "zero"),
    ("unknown-currency", "cur.csv", "code,offer price,currency\n6666.HK,10.5,EUR\n", None, 2, "currency",
     "unknown currency"),
    ("duplicate-code", "dup.csv", "code,offer price,currency\n6666.HK,10.5,HKD\n06666,10.6,HKD\n", None, 3,
     "code", "duplicate code"),
    ("xlsx-merged-header", "merged.xlsx", _xlsx_merged_header, None, 1, "offer price", "merged header"),
    ("unknown-mapping-key", "ok.csv", GOOD, "columns: {}\nunits: {a: b}\n", None, "units", "unknown mapping key"),
    ("mapping-to-unknown-field", "ok.csv", "代码,价钱,currency\n6666.HK,1,HKD\n", "columns:\n  价钱: offer_prise\n",
     None, "价钱", "did you mean offer_price"),
    ("unknown-column", "col.csv", "code,offer prize,currency\n6666.HK,10.5,HKD\n", None, 1, "offer prize",
     "unknown column"),
    ("bad-code", "badcode.csv", "code,offer price,currency\nnot a code,10.5,HKD\n", None, 2, "code",
     "not a listing code"),
    ("bad-date", "date.csv", "code,listing date\n6666.HK,02/03/2026\n", None, 2, "listing_date", "ISO date"),
    ("rate-out-of-range", "rate.csv", "code,一手中签率\n6666.HK,120\n", None, 2, "one_lot_success_rate",
     "[0, 100]"),
    ("money-without-currency", "nocur.csv", "code,offer price\n6666.HK,10.5\n", None, 2, "offer_price",
     "without a currency"),
    ("facts-unknown-field", "facts.csv", "code,field,value\n6666.HK,offer_prize,1\n", None, 2, "field",
     "unknown field"),
    ("facts-unknown-qualifier", "facts.csv", "code,field,value,qualifier\n6666.HK,cornerstone_count,3,roughly\n",
     None, 2, "qualifier", "unknown qualifier"),
    ("facts-long-quote", "facts.csv", "code,field,value,quote\n6666.HK,cornerstone_count,3," + "长" * 81 + "\n",
     None, 2, "quote", "at most 80"),
    ("unsupported-type", "data.ods", "{}", None, None, None, "unsupported file type"),
    ("bad-row-after-good-rows", "late.csv",
     "code,offer price,currency\n" + "".join(f"{6000 + i}.HK,1.0,HKD\n" for i in range(200)) + "6999.HK,x,HKD\n",
     None, 202, "offer_price", "not a number"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_and_changes_nothing(fresh_store, tmp_path, case):
    _, fname, content, mapping, row, field, msg = case
    path = tmp_path / fname
    if callable(content):
        content(path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    mpath = None
    if mapping is not None:
        mpath = tmp_path / "map.yaml"
        mpath.write_text(mapping, encoding="utf-8")
    before = _snapshot(fresh_store)
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, path, "my test source", mpath)
    problems = exc.value.problems
    p = problems[0]
    assert msg in p.message, str(p)
    assert p.file in (str(path), str(mpath))
    assert p.row == row, str(p)
    if field is not None:
        assert p.field == field, str(p)
    assert _snapshot(fresh_store) == before


def test_catalogue_is_documented():
    from conftest import REPO

    doc = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case[0]}`" in doc, case[0]


def test_good_import_lands_and_is_idempotent(fresh_store, tmp_path):
    p = tmp_path / "good.csv"
    p.write_text(GOOD, encoding="utf-8")
    res = import_file(fresh_store, p, "my list")
    assert res.facts == 5  # name, listing date, offer price, lot size, one-lot rate
    row = _listing(fresh_store, "6666.HK@2026")
    assert row["offer_price"] == 10.5 and row["one_lot_success_rate"] == 12.5 and row["currency"] == "HKD"
    n = _facts_count(fresh_store)
    import_file(fresh_store, p, "my list")
    assert _facts_count(fresh_store) == n
    with fresh_store.read() as led:
        assert led.resolve_entity("NEW CO") == "HK:06666@2026"


def test_chinese_headers_with_mapping_and_scale(fresh_store, tmp_path):
    p = tmp_path / "cn.csv"
    p.write_text("股票代码,名称,上市日期,发行价,募资额(亿)\n688999,测试科技,2026-05-06,20.5,12.3\n", encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("columns:\n  募资额(亿): proceeds_gross\ncurrency: CNY\nscale:\n  proceeds_gross: 1.0e8\n",
                 encoding="utf-8")
    import_file(fresh_store, p, "A-share list", m)
    row = _listing(fresh_store, "688999.SS")
    assert row["proceeds_gross"] == pytest.approx(1.23e9)
    assert row["currency"] == "CNY" and row["market"] == "STAR"


def test_facts_file_and_conflict_with_embedded(fresh_store, tmp_path):
    p = tmp_path / "facts.csv"
    p.write_text("code,field,value,currency,qualifier,as_of,quote\n"
                 "6082.HK,market_cap,95000000000,HKD,exact,2026-01-05,my note\n", encoding="utf-8")
    import_file(fresh_store, p, "analyst sheet")
    with fresh_store.read() as led:
        c = led.query("SELECT field, date_key FROM conflicts WHERE entity = 'HK:06082'")
    assert ((c.field == "market_cap") & (c.date_key == "2026-01-05")).any()


def test_xlsx_import(fresh_store, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["代码", "发行价", "币种"])
    ws.append(["2777.HK", 3.2, "HKD"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    import_file(fresh_store, path, "xlsx list")
    assert _listing(fresh_store, "2777.HK")["offer_price"] == 3.2


def test_cli_import_exit_codes(run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,offer price,currency\n6666.HK,-3,HKD\n", encoding="utf-8")
    r = run_cli("import", str(bad), "--source-title", "t")
    assert r.exit_code == 2
    assert "row 2" in r.output and "offer_price" in r.output and str(bad) in r.output
    r = run_cli("import", str(bad))
    assert r.exit_code == 2 and "--source-title" in r.output


def test_cli_import_prices_route(run_cli, tmp_path):
    good = tmp_path / "bars.csv"
    good.write_text("Date,Open,High,Low,Close,Adj Close,Volume\n2026-01-02,35.7,40,30,34.46,34.46,1000\n",
                    encoding="utf-8")
    r = run_cli("import", "prices", str(good), "--code", "6082.HK")
    assert r.exit_code == 0 and "imported 1 price rows" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Open,High,Low,Close,Adj Close,Volume\n2026-01-05,x,1,1,1,1,1\n", encoding="utf-8")
    r = run_cli("import", "prices", str(bad), "--code", "6082.HK")
    assert r.exit_code == 2 and "Open" in r.output and "nothing was imported" in r.output


def _derived_return(home, key: str) -> list[float]:
    """The ledger's materialised first-day return of ``key`` (what `facts` and `conflicts` see)."""
    from ipolens.ledger.access import Store

    with Store(home / "ipolens.duckdb").read() as led:
        return [r[0] for r in led.con.execute(
            "SELECT value_num FROM facts WHERE source_id = 'derived:ipolens' AND entity = ? "
            "AND field = 'first_day_return'", [key]).fetchall()]


def test_import_of_offer_and_close_gives_the_derived_first_day_return(run_cli, cli_home, tmp_path):
    import json

    offer, close = 12.5, 16.75
    expected = (close - offer) / offer * 100  # 34.0
    p = tmp_path / "new.csv"
    p.write_text(f"code,name,listing date,offer price,close_price,currency\n"
                 f"6777.HK,DERIVED CO,2026-04-01,{offer},{close},HKD\n", encoding="utf-8")
    r = run_cli("import", str(p), "--source-title", "derived check")
    assert r.exit_code == 0, r.output
    r = run_cli("ipo", "6777.HK", "--json")  # no other command in between
    assert r.exit_code == 0, r.output
    ret = json.loads(r.output)["first_day"]["first_day_return"]
    assert ret["basis"] == "derived" and ret["value"] == pytest.approx(expected)
    assert _derived_return(cli_home, "HK:06777") == [pytest.approx(expected)]
