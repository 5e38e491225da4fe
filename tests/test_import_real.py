"""The importer on real-world files: a broker-style sheet of 160 HK IPOs imported in one run with one mapping
(checked against the fixture read with the csv module), the mapping's features, and the catalogued bad inputs
of issue 12 item 6 (docs/import.md, "Real files")."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from ipolens.app.base import Refused, UserError
from ipolens.app.data import import_file, import_prices
from ipolens.data.import_values import CellError, parse_expr, parse_number, split_list
from ipolens.data.importer import ImportFailed
from ipolens.data.prices import PriceImportError

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
BROKER, BROKER_MAP = FIX / "broker_hk_2025_26.csv", FIX / "broker_hk_map.yaml"
BROKER_CS = FIX / "broker_hk_cornerstones.json"


def _snapshot(store) -> str:
    with store.read() as led:
        rows = led.con.execute("SELECT * FROM facts ORDER BY id").fetchall()
        rows += led.con.execute("SELECT * FROM sources ORDER BY id").fetchall()
        rows += led.con.execute("SELECT * FROM entities ORDER BY key").fetchall()
        rows += led.con.execute("SELECT * FROM prices ORDER BY ALL").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _facts(store, source_id: str) -> dict[tuple[str, str], tuple]:
    with store.read() as led:
        rows = led.con.execute("SELECT entity, field, value_num, value_text, currency, as_of FROM facts "
                               "WHERE source_id = ?", [source_id]).fetchall()
    return {(e, f): (v, t, c, a) for e, f, v, t, c, a in rows}


# -- the broker sheet ---------------------------------------------------------------------------------------------
SPONSOR_NAMES = [  # the banks as their legal names are written, hand-listed (the generator's pool)
    "China International Capital Corporation Hong Kong Securities Limited", "Goldman Sachs (Asia) L.L.C.",
    "Morgan Stanley Asia Limited", "UBS AG, Hong Kong Branch", "China Merchants Securities (HK) Co., Limited",
    "CITIC Securities (Hong Kong) Limited", "Huatai Financial Holdings (Hong Kong) Limited",
    "J.P. Morgan Securities (Far East) Limited", "BOCI Asia Limited", "Haitong International Capital Limited",
    "中信证券(香港)有限公司", "国泰君安融资有限公司"]


def _num(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def _net_hkd(text: str) -> float:
    """The three spellings the sheet uses for net proceeds, read independently of the importer."""
    if m := re.fullmatch(r"HK\$([\d.]+)bn", text):
        return float(m[1]) * 1e9
    if m := re.fullmatch(r"([\d.]+)亿港元", text):
        return float(m[1]) * 1e8
    m = re.fullmatch(r"([\d,]+) HKD", text)
    return float(m[1].replace(",", ""))


def _expected_sponsors(cell: str) -> list[str]:
    found = [(cell.find(n.replace(", ", ",")), n) for n in SPONSOR_NAMES if n.replace(", ", ",") in cell]
    return [n for _, n in sorted(found)]


def test_broker_sheet_imports_in_one_run_with_one_mapping(fresh_store):
    with open(BROKER, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 150
    res = import_file(fresh_store, BROKER, "Broker sheet 2025-26", BROKER_MAP)
    assert res.rows == len(rows) and res.entities == len(rows)
    got = _facts(fresh_store, res.source_id)
    approx = pytest.approx
    with_six = with_oa = 0
    for r in rows:
        key = "HK:" + r["股票代码"][:5]
        listed = dt.date.fromisoformat(r["上市日期"].replace("/", "-"))
        assert got[(key, "listing_date")][1] == listed.isoformat()
        offer = float(r["发售价(港元)"])
        assert got[(key, "offer_price")][0] == offer and got[(key, "offer_price")][2] == "HKD"
        assert got[(key, "shares_offered")][0] == _num(r["发售股数"])
        assert got[(key, "proceeds_gross")][0] == approx(float(r["募资总额(百万美元)"]) * 1e6)
        assert got[(key, "proceeds_gross")][2] == "USD"  # the USD column beside HKD prices
        assert got[(key, "proceeds_net")][0] == approx(_net_hkd(r["募资净额"]))
        assert got[(key, "proceeds_net")][2] == "HKD"
        assert got[(key, "oversubscription_public")][0] == approx(_num(r["公开发售认购倍数"]))
        assert got[(key, "one_lot_success_rate")][0] == approx(_num(r["一手中签率"]))
        assert got[(key, "founded_year")][0] == int(r["成立日期"][:4])  # a date feeding a year field
        assert got[(key, "sponsors")][1].split("; ") == _expected_sponsors(r["保荐人"])
        assert got[(key, "close_price")][0] == float(r["首日收盘价(港元)"])
        assert got[(key, "name_zh")][1] == r["股票简称"]
        if r["超额配售股数"]:
            with_oa += 1
            expected = _num(r["超额配售股数"]) / _num(r["发售股数"]) * 100
            assert got[(key, "greenshoe_pct")][0] == approx(expected)
        else:
            assert (key, "greenshoe_pct") not in got
        if r["半年收盘价(港元)"]:
            with_six += 1
            v, _, _, as_of = got[(key, "cumulative_return_since_ipo")]
            assert v == approx((float(r["半年收盘价(港元)"]) / offer - 1) * 100)
            assert as_of == dt.date.fromisoformat(r["半年收盘日"])  # its own date, not the listing date
        else:
            assert (key, "cumulative_return_since_ipo") not in got
        assert got[(key, "offer_price")][3] == listed  # undated columns carry the listing date
    assert with_six > 50 and with_oa > 50
    ignored = {(k, f) for k, f in got if f in ("序号", "备注")}
    assert not ignored
    _check_cornerstones(fresh_store, res)


def _cs_amount(rec: dict) -> tuple[float, str]:
    """The JSON's amount spellings (a number with a currency, HK$…m, US$…m, 'HKD 1,234'), read by hand."""
    a = rec["amount"]
    if not isinstance(a, str):
        return float(a), rec["currency"]
    if m := re.fullmatch(r"(HK|US)\$([\d.]+)m", a):
        return float(m[2]) * 1e6, "HKD" if m[1] == "HK" else "USD"
    m = re.fullmatch(r"HKD ([\d,]+)", a)
    return float(m[1].replace(",", "")), "HKD"


def _check_cornerstones(store, res) -> None:
    """Every cornerstone line of the JSON landed on its deal, from the same run and source."""
    import json

    deals = json.loads(BROKER_CS.read_text(encoding="utf-8"))["deals"]
    expected = sorted(("HK:" + d["code"][:5], c["shares"], *_cs_amount(c), c["lockup_months"])
                      for d in deals for c in d["cornerstones"])
    assert res.cornerstone_rows == len(expected) > 150
    with store.read() as led:
        rows = led.con.execute("SELECT entity, shares, amount, currency, lockup_months FROM deal_parties "
                               "WHERE role = 'cornerstone' AND source_id = ?", [res.source_id]).fetchall()
        # the two spellings of one insurer in the JSON are one party holding all its lines
        crane = led.con.execute(
            "SELECT count(DISTINCT party), count(*) FROM deal_parties WHERE source_id = ? AND party IN "
            "(SELECT party FROM party_aliases WHERE alias LIKE 'crane%')", [res.source_id]).fetchone()
    names = [c["name"] for d in deals for c in d["cornerstones"] if c["name"].startswith("Crane Harbor")]
    assert len(set(names)) == 2 and crane == (1, len(names))
    got = sorted((e, s, a, c, m) for e, s, a, c, m in rows)
    assert [g[:2] + g[3:] for g in got] == [x[:2] + x[3:] for x in expected]
    assert [g[2] for g in got] == pytest.approx([x[2] for x in expected])


def test_sponsor_lists_without_spaces_hand_counted(fresh_store, tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("code,sponsors\n"
                 "6601.HK,\"CICC,UBS AG,Hong Kong Branch\"\n"
                 "6602.HK,中金公司、高盛；摩根士丹利\n"
                 "6603.HK,\"China Merchants Securities (HK) Co.,Limited and CICC\"\n"
                 "6604.HK,UBS AG; 星展银行香港分行\n", encoding="utf-8")
    res = import_file(fresh_store, p, "sponsor lists")
    got = _facts(fresh_store, res.source_id)
    assert got[("HK:06601", "sponsors")][1] == "CICC; UBS AG, Hong Kong Branch"
    assert got[("HK:06602", "sponsors")][1] == "中金公司; 高盛; 摩根士丹利"
    assert got[("HK:06603", "sponsors")][1] == "China Merchants Securities (HK) Co., Limited; CICC"
    assert got[("HK:06604", "sponsors")][1] == "UBS AG; 星展银行香港分行"


@pytest.mark.parametrize("text, value, currency, percent", [
    ("100,000 USD", 100000, "USD", False), ("0.000025 USD", 0.000025, "USD", False),
    ("HK$1.2bn", 1.2e9, "HKD", False), ("12.5亿港元", 1.25e9, "HKD", False), ("37%", 37, None, True),
    ("1,234.5x", 1234.5, None, False), ("US$ 3.5 million", 3.5e6, "USD", False), ("2万", 2e4, None, False),
    ("-0.5", -0.5, None, False), ("1,000,000", 1e6, None, False)])
def test_value_and_unit_cells(text, value, currency, percent):
    n = parse_number(text)
    assert n.value == pytest.approx(value) and n.currency == currency and n.percent == percent


@pytest.mark.parametrize("text", ["19,6", "1,2,3", "1,23", "12,3456", "$5", "5 EUR", "ten"])
def test_cells_refused(text):
    with pytest.raises(CellError):
        parse_number(text)


def test_split_list_keeps_legal_names_whole():
    assert split_list("UBS AG,Hong Kong Branch,CICC") == ["UBS AG, Hong Kong Branch", "CICC"]
    assert split_list("A Co.,Ltd.、B") == ["A Co., Ltd.", "B"]
    assert split_list("A and B；C，D") == ["A", "B", "C", "D"]


def test_expressions_are_parsed_not_evaluated():
    e = parse_expr("(a + 2) * b / 4 - -1")
    assert e.evaluate({"a": 2, "b": 3}) == pytest.approx(4.0) and e.names == {"a", "b"}
    assert e.evaluate({"a": 2}) is None
    for bad in ("__import__('os').system('x')", "a ** 2", "a b", "(a", "a; b", "lambda: 1"):
        with pytest.raises(CellError):
            parse_expr(bad)


def test_mapping_currency_per_column_offset_dates_and_json(fresh_store, tmp_path):
    p = tmp_path / "deals.json"
    p.write_text('{"deals": [{"代码": "6611.HK", "上市": "2025-08-29", "价": 10, "规模": "100,000 USD", '
                 '"市值": "HK$1.2bn", "skip": {"nested": 1}}]}', encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("columns:\n  上市: listing_date\n  价: offer_price\n  规模: proceeds_gross\n  市值: market_cap\n"
                 "ignore: [skip]\ncurrency: {default: HKD, proceeds_gross: USD}\n"
                 "as_of: {market_cap: listing_date + 6 months}\nprecision: {offer_price: 0.01}\n", encoding="utf-8")
    res = import_file(fresh_store, p, "json deals", m)
    got = _facts(fresh_store, res.source_id)
    assert got[("HK:06611@2025", "proceeds_gross")][0] == 100000 and got[("HK:06611@2025", "proceeds_gross")][2] == "USD"
    assert got[("HK:06611@2025", "offer_price")][2] == "HKD"
    assert got[("HK:06611@2025", "market_cap")][0] == 1.2e9
    assert got[("HK:06611@2025", "market_cap")][3] == dt.date(2026, 2, 28)  # Aug 29 + 6 months, clamped


def test_unit_cell_in_another_currency_than_the_column_is_named(fresh_store, tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("code,proceeds_gross\n6612.HK,HK$1.2bn\n", encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("currency: {proceeds_gross: USD}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, p, "c", m)
    assert exc.value.problems[0].field == "proceeds_gross" and "HKD" in exc.value.problems[0].message


def test_every_problem_is_counted_and_listed_in_a_file(run_cli, tmp_path):
    p = tmp_path / "many.csv"
    p.write_text("code,offer price,currency\n" + "".join(f"{6000 + i}.HK,x{i},HKD\n" for i in range(156)),
                 encoding="utf-8")
    r = run_cli("import", str(p), "--source-title", "many")
    assert r.exit_code == 2
    assert "156 problem(s)" in r.output and "20 shown" in r.output
    report = Path(f"{p}.problems.txt")
    lines = report.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 156 and "row 157" in lines[-1] and "offer_price" in lines[-1]


# -- item 6: the same source id from two titles ----------------------------------------------------------------
def test_titles_differing_in_case_and_punctuation_never_delete_each_other(fresh_store, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("code,offer price,currency\n6621.HK,1.5,HKD\n", encoding="utf-8")
    b.write_text("code,offer price,currency\n6622.HK,2.5,HKD\n", encoding="utf-8")
    first = import_file(fresh_store, a, "Broker sheet (2024)")
    before = _snapshot(fresh_store)
    with pytest.raises(Refused) as exc:
        import_file(fresh_store, b, "broker-sheet 2024")
    assert first.source_id in str(exc.value) and "Broker sheet (2024)" in str(exc.value)
    assert "--replace" in str(exc.value)
    assert _snapshot(fresh_store) == before
    import_file(fresh_store, a, "BROKER SHEET 2024")  # the same file again: an idempotent re-import
    assert ("HK:06621", "offer_price") in _facts(fresh_store, first.source_id)
    res = import_file(fresh_store, b, "broker-sheet 2024", replace=True)
    got = _facts(fresh_store, res.source_id)
    assert res.replaced and ("HK:06622", "offer_price") in got and ("HK:06621", "offer_price") not in got


# -- item 6: the catalogue (docs/import.md, "Real files") ---------------------------------------------------------
def _xlsx(path, merge=None, formula=False):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "offer price", "currency"])
    ws.append(["6631.HK", 10.5, "HKD"])
    ws.append(["6632.HK", "=B2*2" if formula else 11, "HKD"])
    if merge:
        ws.merge_cells(merge)
    wb.save(path)


CASES = [  # (case id, file name, content, mapping, row, field, message)
    ("decimal-comma", "dc.csv", 'code,offer price,currency\n6641.HK,"19,6",HKD\n', None, 2, "offer_price",
     "not a thousands separator"),
    ("comma-list-number", "cl.csv", 'code,lot size\n6641.HK,"1,2,3"\n', None, 2, "lot_size",
     "not a thousands separator"),
    ("xlsx-merged-data-cells", "md.xlsx", lambda p: _xlsx(p, merge="B2:B3"), None, 2, "cell B2:B3",
     "merged cells"),
    ("xlsx-formula-without-value", "fx.xlsx", lambda p: _xlsx(p, formula=True), None, 3, "cell B3",
     "no saved value"),
    ("cell-over-128kb", "big.csv", "code,name,offer price,currency\n6641.HK," + "x" * 140_000 + ",1,HKD\n",
     None, 2, "name", "at most 131,072"),
    ("directory-named-csv", "x.csv", "DIR", None, None, None, "a directory"),
    ("mapping-is-a-list", "ok.csv", "code,offer price,currency\n6641.HK,1,HKD\n", "- code\n- offer_price\n",
     None, None, "must be a YAML mapping"),
    ("unit-in-a-count-column", "u.csv", "code,lot size\n6641.HK,500 USD\n", None, 2, "lot_size",
     "a currency in a board lot column"),
    ("nested-record-not-ignored", "n.json", '[{"code": "6641.HK", "cornerstones": [{"name": "A"}]}]', None, 2,
     "cornerstones", "nested records"),
    ("derived-unknown-column", "d.csv", "code,shares_offered\n6641.HK,100\n",
     "derived:\n  greenshoe_pct: oa_shares / shares_offered * 100\n", None, "derived.greenshoe_pct",
     "names no column"),
    ("derived-division-by-zero", "z.csv", "code,shares_offered,oa\n6641.HK,0,15\n",
     "columns:\n  oa: {name: oa}\nderived:\n  greenshoe_pct: oa / shares_offered * 100\n", 2, "greenshoe_pct",
     "division by zero"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_catalogued_bad_input(fresh_store, tmp_path, case):
    _, fname, content, mapping, row, field, msg = case
    path = tmp_path / fname
    if content == "DIR":
        path.mkdir()
    elif callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    mpath = None
    if mapping is not None:
        mpath = tmp_path / "map.yaml"
        mpath.write_text(mapping, encoding="utf-8")
    before = _snapshot(fresh_store)
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, path, "catalogue", mpath)
    p = exc.value.problems[0]
    assert msg in p.message, str(p)
    assert p.file in (str(path), str(mpath)) and p.row == row, str(p)
    if field is not None:
        assert p.field == field, str(p)
    assert _snapshot(fresh_store) == before


def test_cr_only_line_endings_are_read(fresh_store, tmp_path):
    p = tmp_path / "mac.csv"
    p.write_bytes(b"code,offer price,currency\r6651.HK,1.5,HKD\r6652.HK,2.5,HKD\r")
    res = import_file(fresh_store, p, "old mac")
    got = _facts(fresh_store, res.source_id)
    assert got[("HK:06652", "offer_price")][0] == 2.5 and res.rows == 2


def test_cr_only_error_row_is_counted_right(fresh_store, tmp_path):
    p = tmp_path / "mac.csv"
    p.write_bytes(b"code,offer price,currency\r6651.HK,1.5,HKD\r6652.HK,x,HKD\r")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, p, "old mac")
    assert exc.value.problems[0].row == 3


def test_read_only_ledger_folder(run_cli, cli_home, tmp_path, monkeypatch):
    """Root ignores file modes, so the refusal the OS gives on a read-only folder is simulated at the one place a
    write opens the file; reads use the read-only route and still work."""
    import duckdb

    from ipolens.ledger import access

    assert run_cli("ipo", "6082.HK", "--json").exit_code == 0  # builds the ledger file
    real_open = access._open

    def refuse_writes(path, read_only, wait):
        if not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')
        return real_open(path, read_only, wait)

    monkeypatch.setattr(access, "_open", refuse_writes)
    assert run_cli("ipo", "6082.HK", "--json").exit_code == 0
    p = tmp_path / "ok.csv"
    p.write_text("code,offer price,currency\n6661.HK,1.5,HKD\n", encoding="utf-8")
    r = run_cli("import", str(p), "--source-title", "ro")
    assert r.exit_code == 2 and "cannot write the ledger" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("case, bar, field, msg", [
    ("price-negative", "2026-01-05,-1,2,1,1.5,100", "Open", "not above zero"),
    ("price-zero", "2026-01-05,1,2,1,0,100", "Close", "not above zero"),
    ("price-high-below-low", "2026-01-05,1,1,2,1.5,100", "High", "below the low"),
    ("volume-negative", "2026-01-05,1,2,1,1.5,-100", "Volume", "negative"),
])
@pytest.mark.parametrize("reimport", [False, True], ids=["direct", "staged"])
def test_import_prices_refuses_impossible_bars(fresh_store, tmp_path, case, bar, field, msg, reimport):
    p = tmp_path / "bars.csv"
    if reimport:  # a second import of the same file takes the staged route
        p.write_text("Date,Open,High,Low,Close,Volume\n2026-01-02,1,2,1,1.5,100\n", encoding="utf-8")
        import_prices(fresh_store, p, code="6082.HK")
    p.write_text(f"Date,Open,High,Low,Close,Volume\n2026-01-02,1,2,1,1.5,100\n{bar}\n", encoding="utf-8")
    before = _snapshot(fresh_store)
    with pytest.raises(PriceImportError) as exc:
        import_prices(fresh_store, p, code="6082.HK")
    assert f"row 2 (line 3), field {field}" in str(exc.value) and msg in str(exc.value)
    assert _snapshot(fresh_store) == before


def test_new_cases_are_documented():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "import.md").read_text(encoding="utf-8")
    ids = [c[0] for c in CASES] + ["price-negative", "price-zero", "price-high-below-low", "volume-negative",
                                   "cr-only-line-endings", "read-only-ledger", "full-disk", "title-collision",
                                   "too-many-problems"]
    for case in ids:
        assert f"`{case}`" in doc, case


def test_user_error_for_missing_title(fresh_store, tmp_path):
    with pytest.raises(UserError):
        import_file(fresh_store, tmp_path / "none.csv", None)


def test_mapping_precision_reaches_the_fact():
    """The mapping's `precision:` is passed as Fact.precision (what the store then keeps is the ledger's part)."""
    from ipolens.data.importer import parse_file

    parsed = parse_file(BROKER, "Broker sheet 2025-26", BROKER_MAP)
    rates = {f.precision for f in parsed.facts if f.field == "one_lot_success_rate"}
    assert rates == {0.01}
    assert {f.precision for f in parsed.facts if f.field == "offer_price"} == {None}


# -- the same sheet as an XLSX export: a title row, a two-row header with merged groups, typed cells ----------------
GROUPS = {"募资总额(百万美元)": ("募资", "总额(百万美元)"), "募资净额": ("募资", "净额"),
          "首日收盘价(港元)": ("收盘价(港元)", "首日"), "半年收盘价(港元)": ("收盘价(港元)", "半年")}


def _typed(header: str, text: str):
    """Cells as a spreadsheet holds them: numbers as numbers, percentages as fractions with a % format."""
    if not text or header in ("股票代码", "股票简称", "行业", "保荐人", "募资净额", "每股面值", "备注"):
        return text or None, None
    if text.endswith("%"):
        return float(text[:-1].replace(",", "")) / 100, "0.00%"
    if re.fullmatch(r"\d{4}[-/]\d{2}[-/]\d{2}", text):
        return dt.date.fromisoformat(text.replace("/", "-")), "yyyy-mm-dd"
    return float(text.replace(",", "")), None


def _broker_xlsx(path: Path) -> None:
    import openpyxl

    with open(BROKER, encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    wb = openpyxl.Workbook()
    ws = wb.active
    n = len(header)
    ws.cell(1, 1, "港股新股一览 2025-26 (示例导出)")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    for c, h in enumerate(header, start=1):
        if h in GROUPS:
            group, sub = GROUPS[h]
            ws.cell(2, c, group if ws.cell(2, c - 1).value != group else None)
            ws.cell(3, c, sub)
        else:
            ws.cell(2, c, h)
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    for c in range(1, n):  # each group's label is merged over its sub-headers
        if header[c - 1] in GROUPS and header[c] in GROUPS and GROUPS[header[c - 1]][0] == GROUPS[header[c]][0]:
            ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1)
    for r, row in enumerate(rows, start=4):
        for c, (h, text) in enumerate(zip(header, row), start=1):
            value, fmt = _typed(h, text)
            cell = ws.cell(r, c, value)
            if fmt:
                cell.number_format = fmt
    wb.save(path)


def test_broker_sheet_as_xlsx_with_merged_headers_gives_the_same_facts(fresh_store, tmp_path):
    xlsx = tmp_path / "broker.xlsx"
    _broker_xlsx(xlsx)
    mapping = BROKER_MAP.read_text(encoding="utf-8")
    for flat, (group, sub) in GROUPS.items():
        mapping = mapping.replace(f"  {flat}:", f"  {group} / {sub}:")
    mapping = mapping.replace("cornerstones: broker_hk_cornerstones.json", f"cornerstones: {BROKER_CS}")
    (tmp_path / "map.yaml").write_text(mapping, encoding="utf-8")
    from_csv = import_file(fresh_store, BROKER, "Broker sheet CSV", BROKER_MAP)
    from_xlsx = import_file(fresh_store, xlsx, "Broker sheet XLSX", tmp_path / "map.yaml")
    assert from_xlsx.rows == from_csv.rows and from_xlsx.cornerstone_rows == from_csv.cornerstone_rows
    a, b = _facts(fresh_store, from_csv.source_id), _facts(fresh_store, from_xlsx.source_id)
    assert a.keys() == b.keys()
    for k in a:
        (va, ta, ca, da), (vb, tb, cb, db_) = a[k], b[k]
        assert (ta, ca, da) == (tb, cb, db_), k
        assert (vb is None and va is None) or vb == pytest.approx(va, rel=1e-12), k


def test_two_row_header_names_join_group_and_sub_header(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "募资", None, "currency"])
    ws.merge_cells("B1:C1")
    ws.append([None, "总额", "净额", None])  # sub-headers: this header is two rows, read as "募资 / 总额"
    ws.append(["6666.HK", 10.5, 11, "HKD"])
    wb.save(tmp_path / "two.xlsx")
    from ipolens.data.import_read import read_table

    header, rows = read_table(tmp_path / "two.xlsx")
    assert header == ["code", "募资 / 总额", "募资 / 净额", "currency"] and rows == [["6666.HK", "10.5", "11", "HKD"]]


@pytest.mark.parametrize("lead", [[[]], [["港股新股一览"]], [["港股新股一览"], []], [[], ["Title"], []]])
def test_xlsx_blank_and_title_rows_before_the_header(tmp_path, lead):
    """Exports start with blank rows, a title (merged or not), a spacer: the header is the first row of several
    filled cells after them."""
    import openpyxl

    from ipolens.data.import_read import read_table

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in lead:
        ws.append(row or [None])
    ws.append(["code", "offer price", "currency"])
    ws.append(["6666.HK", 10.5, "HKD"])
    ws.cell(1, 8).number_format = "0.00"  # a formatted, empty column far right is not a column
    wb.save(tmp_path / "lead.xlsx")
    header, rows = read_table(tmp_path / "lead.xlsx")
    assert header == ["code", "offer price", "currency"] and rows == [["6666.HK", "10.5", "HKD"]]


@pytest.mark.parametrize("value, fmt, text", [(0.4744, "0.00%", "47.44%"), (47.44, '0.00"%"', "47.44"),
                                               (47.44, "0.00\\%", "47.44"), (0.1 + 0.2, "0%", "30%"),
                                               (0.5, "[Red]0.0%", "50%")])
def test_xlsx_percent_formats(tmp_path, value, fmt, text):
    """Only a real percent format scales by 100 (a quoted or escaped % is a printed suffix); float noise goes."""
    import openpyxl

    from ipolens.data.import_read import read_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "rate"])
    ws.append(["6666.HK", value])
    ws.cell(2, 2).number_format = fmt
    wb.save(tmp_path / "pct.xlsx")
    assert read_table(tmp_path / "pct.xlsx")[1] == [["6666.HK", text]]


def test_xlsx_errors_name_the_row_the_sheet_shows(fresh_store, tmp_path):
    """Under a title, a two-row header and a blank row, a bad cell is reported at its own sheet row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["港股新股一览"])
    ws.merge_cells("A1:C1")
    ws.append(["code", "发售", None])
    ws.append([None, "价格", "币种"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C2")
    ws.append(["6666.HK", 10.5, "HKD"])  # sheet row 4
    ws.append([None, None, None])  # row 5, blank
    ws.append(["6667.HK", "abc", "HKD"])  # sheet row 6
    wb.save(tmp_path / "rows.xlsx")
    (tmp_path / "map.yaml").write_text("columns:\n  发售 / 价格: offer_price\n  发售 / 币种: currency\n",
                                       encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, tmp_path / "rows.xlsx", "rows", tmp_path / "map.yaml")
    p = exc.value.problems[0]
    assert (p.row, p.field) == (6, "offer_price"), str(p)
