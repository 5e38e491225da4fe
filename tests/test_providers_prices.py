"""``import prices``: Yahoo and AKShare layouts through the alias table, Parquet, one transaction, clear errors."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ipolens.app import data
from ipolens.data.prices import PriceImportError, map_header
from ipolens.ledger.access import Store


class Ledger:
    """A bare in-memory Store (no embedded dataset) with a ledger-like face for the assertions: ``con.execute``
    runs on a cursor of the store, ``counts()`` reads through it."""

    def __init__(self, path: str = ":memory:"):
        self.store = Store(path)
        self.con = self

    def execute(self, sql: str, params=()):
        with self.store.read() as led:
            return _Rows(led.con.execute(sql, list(params)).fetchall())

    def counts(self) -> dict:
        with self.store.read() as led:
            return led.counts()

    def close(self) -> None:
        self.store.close()


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def fetchall(self):
        return self.rows

    def fetchone(self):
        return self.rows[0] if self.rows else None


def import_prices(led: Ledger, path, **kwargs) -> int:
    """The use case on the test's store; the rows written."""
    return data.import_prices(led.store, path, **kwargs).rows

YAHOO = """Date,Open,High,Low,Close,Adj Close,Volume
2020-07-09,20.0,21.5,19.8,21.0,20.5,1000000
2020-07-10,21.0,22.0,20.5,21.8,21.3,800000
2020-07-13,21.8,22.4,21.0,22.0,,650000
"""
AKSHARE = """日期,开盘,收盘,最高,最低,成交量,成交额,换手率
2025-12-05,650.0,600.5,688.0,580.0,26310000,16150000000.0,88.21
2025-12-08,588.0,640.1,660.0,575.1,15020000,9420000000.0,50.36
"""


@pytest.fixture()
def ledger():
    led = Ledger(":memory:")
    yield led
    led.close()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _snapshot(led: Ledger):
    return (led.con.execute("SELECT * FROM prices ORDER BY ALL").fetchall(),
            led.con.execute("SELECT id FROM sources ORDER BY id").fetchall())


def test_yahoo_layout_code_from_file_name(ledger, tmp_path):
    n = import_prices(ledger, _write(tmp_path, "6082.HK.csv", YAHOO))
    assert n == 5  # three raw bars, two adjusted (the third row has no Adj Close)
    raw = ledger.con.execute("SELECT date::VARCHAR, open, close, volume FROM prices WHERE NOT adjusted "
                             "ORDER BY date").fetchall()
    assert raw[0] == ("2020-07-09", 20.0, 21.0, 1000000.0)
    adj = ledger.con.execute("SELECT open, high, low, close FROM prices WHERE adjusted ORDER BY date").fetchall()
    f = 20.5 / 21.0
    assert adj[0] == pytest.approx((20.0 * f, 21.5 * f, 19.8 * f, 20.5))
    assert {r[0] for r in ledger.con.execute("SELECT DISTINCT code FROM prices").fetchall()} == {"HK:06082"}
    src = ledger.con.execute("SELECT kind, title FROM sources WHERE id LIKE 'user:prices:6082.HK.csv:%'").fetchall()
    assert src == [("user", "Prices imported from 6082.HK.csv")]


def test_no_adjusted_series_when_adj_close_equals_close(ledger, tmp_path):
    text = "code,Date,Open,High,Low,Close,Adj Close,Volume\n" \
           "0700.HK,2020-07-09,20,21.5,19.8,21,21,1\n0700.HK,2020-07-10,21,22,20.5,21.8,21.8,1\n" \
           "0005.HK,2020-07-09,50,51,49,50,48,1\n0005.HK,2020-07-10,50,51,49,50.5,50.5,1\n"
    assert import_prices(ledger, _write(tmp_path, "two.csv", text)) == 6
    adj = ledger.con.execute("SELECT code, count(*) FROM prices WHERE adjusted GROUP BY code").fetchall()
    assert adj == [("HK:00005", 2)]  # a whole adjusted series for the listing whose Adj Close moved, none for 0700


def test_akshare_headers_with_code_option_and_title(ledger, tmp_path):
    n = import_prices(ledger, _write(tmp_path, "moore.csv", AKSHARE), source_title="My A-share bars", code="688795")
    assert n == 2
    row = ledger.con.execute("SELECT code, open, high, low, close, volume, turnover FROM prices "
                             "WHERE date = DATE '2025-12-05'").fetchall()
    # 收盘 comes before 最高 in AKShare's order: the alias table, not the position, decides
    assert row == [("SH:688795", 650.0, 688.0, 580.0, 600.5, 26310000.0, 16150000000.0)]
    assert ledger.con.execute("SELECT title FROM sources WHERE id LIKE 'user:prices:%'").fetchall() == \
        [("My A-share bars",)]


def test_code_column_in_any_spelling(ledger, tmp_path):
    text = "股票代码,日期,开盘,收盘,最高,最低,成交量\n688795,2025-12-05,1,2,3,0.5,10\n6082.HK,2026-01-02,1,2,3,0.5,10\n"
    assert import_prices(ledger, _write(tmp_path, "mixed.csv", text)) == 2
    codes = sorted(r[0] for r in ledger.con.execute("SELECT code FROM prices").fetchall())
    assert codes == ["HK:06082", "SH:688795"]


def test_parquet(ledger, tmp_path):
    src = _write(tmp_path, "in.csv", YAHOO)
    pq = tmp_path / "6082.HK.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{src}')) TO '{pq}' (FORMAT parquet)")
    assert import_prices(ledger, pq) == 5
    assert ledger.con.execute("SELECT count(*) FROM prices WHERE NOT adjusted").fetchall()[0][0] == 3


def test_reimport_adds_nothing(ledger, tmp_path):
    p = _write(tmp_path, "6082.HK.csv", YAHOO)
    import_prices(ledger, p)
    before = _snapshot(ledger)
    import_prices(ledger, p)
    assert _snapshot(ledger) == before


def test_bad_row_near_the_end_leaves_store_unchanged(ledger, tmp_path):
    rows = 300_000
    p = tmp_path / "big.csv"
    duckdb.sql(f"""COPY (SELECT printf('%05d.HK', 1 + i % 500) AS code,
                          DATE '2000-01-01' + CAST(i // 500 AS INTEGER) AS "Date",
                          CASE WHEN i = {rows - 2} THEN 'n/a' ELSE CAST(10.0 + i % 7 AS VARCHAR) END AS "Open",
                          11.0 AS "High", 9.0 AS "Low", 10.5 AS "Close", 100 + i AS "Volume"
                   FROM range({rows}) t(i)) TO '{p}' (HEADER)""")
    import_prices(ledger, _write(tmp_path, "6082.HK.csv", YAHOO))  # something already in the store
    before = _snapshot(ledger)
    with pytest.raises(PriceImportError) as err:
        import_prices(ledger, p)
    msg = str(err.value)
    assert str(p) in msg and f"row {rows - 1}" in msg and "field Open" in msg and "'n/a'" in msg
    assert _snapshot(ledger) == before
    assert ledger.con.execute("SELECT count(*) FROM sources WHERE id LIKE 'user:prices:big.csv:%'").fetchall()[0][0] == 0


def test_bad_date_is_named(ledger, tmp_path):
    text = "Date,Open,High,Low,Close,Volume\n2020-07-09,1,2,0.5,1.5,10\n09/07/2020x,1,2,0.5,1.5,10\n"
    with pytest.raises(PriceImportError, match=r"row 2 \(line 3\), field Date: '09/07/2020x' is not a date"):
        import_prices(ledger, _write(tmp_path, "6082.HK.csv", text))
    assert ledger.counts()["prices"] == 0


def test_duplicate_dates_fail_whole(ledger, tmp_path):
    text = "Date,Open,High,Low,Close,Volume\n2020-07-09,1,2,0.5,1.5,10\n2020-07-09,1,2,0.5,1.6,10\n"
    with pytest.raises(PriceImportError, match="second bar"):
        import_prices(ledger, _write(tmp_path, "6082.HK.csv", text))
    assert ledger.counts()["prices"] == 0


def test_unknown_code_names_the_row(ledger, tmp_path):
    text = "code,Date,Open,High,Low,Close\n6082.HK,2020-07-09,1,2,0.5,1.5\nnot a code!,2020-07-10,1,2,0.5,1.5\n"
    with pytest.raises(PriceImportError, match=r"row 2, field code: 'not a code!' is not a listing code"):
        import_prices(ledger, _write(tmp_path, "x.csv", text))
    assert ledger.counts()["prices"] == 0


def test_missing_column_suggests(tmp_path):
    with pytest.raises(PriceImportError, match="did you mean 'closing'"):
        map_header(["Date", "Open", "High", "Low", "Closing"], "f.csv")


def test_file_without_code_needs_one(ledger, tmp_path):
    with pytest.raises(PriceImportError, match="pass --code"):
        import_prices(ledger, _write(tmp_path, "prices.csv", YAHOO))


def test_import_prices_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    p = _write(tmp_path, "moore.csv", AKSHARE)
    r = CliRunner().invoke(app, ["import-prices", str(p), "--code", "688795.SH"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "2 price row(s)" in r.output
    bad = _write(tmp_path, "bad.csv", AKSHARE.replace("650.0", "abc"))
    r = CliRunner().invoke(app, ["import-prices", str(bad), "--code", "688795.SH"], catch_exceptions=False)
    assert r.exit_code == 1 and "field 开盘" in r.output


def test_duplicate_bar_in_a_file_is_refused(tmp_path):
    L = Ledger(":memory:")
    p = tmp_path / "dup.csv"
    p.write_text("code,Date,Open,High,Low,Close,Volume\n6082.HK,2026-01-02,1,1,1,1,1\n"
                 "6082.HK,2026-01-05,1,1,1,1,1\n06082,2026-01-02,2,2,2,2,2\n", encoding="utf-8")
    with pytest.raises(PriceImportError, match=r"row 3 \(line 4\).*second bar"):
        import_prices(L, p)
    assert L.con.execute("SELECT count(*) FROM prices").fetchone()[0] == 0


def test_reimport_replaces_instead_of_adding(tmp_path):
    L = Ledger(":memory:")
    p = tmp_path / "6082.HK.csv"
    p.write_text("Date,Open,High,Low,Close,Volume\n2026-01-02,35.7,40,30,34.46,1\n", encoding="utf-8")
    import_prices(L, p)
    p.write_text("Date,Open,High,Low,Close,Volume\n2026-01-02,35.7,40,30,34.5,1\n2026-01-05,1,1,1,1,1\n",
                 encoding="utf-8")
    import_prices(L, p)
    rows = L.con.execute("SELECT date, close FROM prices ORDER BY date").fetchall()
    assert [r[1] for r in rows] == [34.5, 1.0]


def test_spellings_outside_the_sql_mapping_fall_back_to_parse_code(ledger, tmp_path):
    # "SH688795" and "6082 HK" are left NULL by the one-pass SQL mapping; the import must still map every row
    # through parse_code, and the abandoned first attempt must leave nothing behind.
    text = ("代码,日期,开盘,收盘,最高,最低\nSH688795,2025-12-05,1,2,3,0.5\n688795,2025-12-08,1,2,3,0.5\n"
            "6082 HK,2026-01-02,1,2,3,0.5\n0700.HK,2026-01-02,1,2,3,0.5\n")
    assert import_prices(ledger, _write(tmp_path, "odd.csv", text)) == 4
    rows = ledger.con.execute("SELECT code, date::VARCHAR FROM prices ORDER BY code, date").fetchall()
    assert rows == [("HK:00700", "2026-01-02"), ("HK:06082", "2026-01-02"), ("SH:688795", "2025-12-05"),
                    ("SH:688795", "2025-12-08")]
    assert ledger.con.execute("SELECT count(*) FROM sources WHERE id LIKE 'user:prices:odd.csv:%'").fetchone()[0] == 1


@pytest.mark.parametrize("bitmap_limit", [1 << 28, 0])  # day-bitmaps, and the exact distinct count beyond the limit
def test_repeated_day_found_by_both_counting_methods(ledger, tmp_path, monkeypatch, bitmap_limit):
    from ipolens.ledger import price_load

    monkeypatch.setattr(price_load, "_BITMAP_LIMIT", bitmap_limit)
    text = ("code,Date,Open,High,Low,Close\n600000,2024-01-02,1,1,1,1\n000001,2024-01-02,1,1,1,1\n"
            "600000,1999-06-01,1,1,1,1\n000001,2024-01-03,1,1,1,1\n000001,2024-01-02,2,2,2,2\n")
    with pytest.raises(PriceImportError, match=r"row 5 \(line 6\), field Date: a second bar for SZ:000001 on "
                                               r"2024-01-02"):
        import_prices(ledger, _write(tmp_path, "dups.csv", text))
    assert ledger.counts()["prices"] == 0
    ok = text.rsplit("\n", 2)[0] + "\n"  # without the repeated day the same file imports
    assert import_prices(ledger, _write(tmp_path, "ok.csv", ok)) == 4


def test_staged_reimport_and_direct_first_import_agree(tmp_path):
    """The first import (one pass, codes mapped in SQL) and a re-import (staged, codes mapped in Python) of the same
    file leave the same rows."""
    text = "code,Date,Open,High,Low,Close,Volume,Turnover\n" + "".join(
        f"{c},2024-01-{d:02d},{d},{d + 1},{d - 0.5},{d + 0.25},{100 * d},{1e4 * d}\n"
        for c in ("600000", "300750.SZ", "0700.HK", "09988.HK", "HWEP") for d in range(2, 12))
    p = _write(tmp_path, "many.csv", text)
    first, second = Ledger(":memory:"), Ledger(":memory:")
    import_prices(first, p)
    import_prices(second, p)
    second.con.execute("UPDATE prices SET close = -1")  # a re-import must replace every bar
    import_prices(second, p)
    rows = [led.con.execute("SELECT * FROM prices ORDER BY ALL").fetchall() for led in (first, second)]
    assert rows[0] == rows[1] and len(rows[0]) == 50
    assert {r[0] for r in rows[0]} == {"SH:600000", "SZ:300750", "HK:00700", "HK:09988", "US:HWEP"}


@pytest.mark.parametrize("body, expected", [
    ("600000,2024-01-02,1,1,1,1\n600000,,1,1,1,1\n", r"row 2 \(line 3\), field Date: an empty cell is not a date"),
    ("600000,2024-01-02,1,1,1,1\n,2024-01-03,1,1,1,1\n", r"row 2, field code: an empty cell is not a listing code"),
])
def test_empty_cells_are_named(ledger, tmp_path, body, expected):
    with pytest.raises(PriceImportError, match=expected):
        import_prices(ledger, _write(tmp_path, "gaps.csv", "code,Date,Open,High,Low,Close\n" + body))
    assert ledger.counts()["prices"] == 0
    # the failed import leaves the connection in DuckDB's default, file-ordered mode
    assert ledger.con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0] is True


def test_missing_and_empty_files_are_named(ledger, tmp_path):
    with pytest.raises(PriceImportError, match=r"nowhere\.csv: no such file"):
        import_prices(ledger, tmp_path / "nowhere.csv")
    with pytest.raises(PriceImportError, match=r"6082\.HK\.csv: empty file"):
        import_prices(ledger, _write(tmp_path, "6082.HK.csv", ""))
    assert ledger.counts()["prices"] == 0 and ledger.counts()["sources"] == 0


def test_same_file_name_in_two_folders_is_two_sources(ledger, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _write(tmp_path / "a", "6082.HK.csv", "Date,Open,High,Low,Close\n2026-01-05,1,1,1,10\n")
    b = _write(tmp_path / "b", "6082.HK.csv", "Date,Open,High,Low,Close\n2026-01-05,1,1,1,20\n")
    import_prices(ledger, a)
    import_prices(ledger, b)
    rows = ledger.con.execute("SELECT close FROM prices ORDER BY close").fetchall()
    assert rows == [(10.0,), (20.0,)]  # b did not overwrite a's bar
    urls = {u for (u,) in ledger.con.execute("SELECT url FROM sources WHERE id LIKE 'user:prices:%'").fetchall()}
    assert urls == {a.resolve().as_uri(), b.resolve().as_uri()}


@pytest.mark.parametrize("body, rows", [
    ("Date;Open;High;Low;Close\r\n2026-01-05;1;2;0.5;1.5\r\n", 1),            # semicolons, CRLF
    ("Date, Open, High, Low, Close\n2026-01-05, 1, 2, 0.5, 1.5\n", 1),          # spaces after commas
    ("Date,Open,High,Low,Close\n20260105,1,2,0.5,1.5\n2026/1/6,1,2,0.5,1.6\n", 2),  # compact and slashed dates
    ("Date,Open,High,Low,Close\n2026-01-05 00:00:00,1,2,0.5,1.5\n", 1),         # a timestamp
    ("Date,Open,High,Low,Close\n2026-01-05,1,2,0.5,1.5\n2026-01-06,null,null,null,null\n", 1),  # Yahoo placeholder
])
def test_odd_but_valid_layouts(ledger, tmp_path, body, rows):
    assert import_prices(ledger, _write(tmp_path, "6082.HK.csv", body)) == rows
    assert ledger.con.execute("SELECT min(date)::VARCHAR FROM prices").fetchone()[0] == "2026-01-05"


@pytest.mark.parametrize("body, expected", [
    ("2026-01-05,1,2,0.5,nan\n", r"row 1 \(line 2\), field Close: 'nan' is not a finite number"),
    ("2026-01-05,1,2,0.5,inf\n", r"row 1 \(line 2\), field Close: 'inf' is not a finite number"),
    ("2026-01-05,1,2,0.5,1\n2026-01-06,1,2,0.5,\n", r"row 2 \(line 3\), field Close: an empty cell"),
    ("2026-01-05,-inf,2,0.5,1\n", r"row 1 \(line 2\), field Open: '-inf' is not a finite number"),
])
def test_non_finite_or_missing_close_is_named(ledger, tmp_path, body, expected):
    with pytest.raises(PriceImportError, match=expected):
        import_prices(ledger, _write(tmp_path, "6082.HK.csv", "Date,Open,High,Low,Close\n" + body))
    assert ledger.counts()["prices"] == 0


def test_files_that_are_not_price_tables(ledger, tmp_path):
    with pytest.raises(PriceImportError, match="a directory, not a file"):
        import_prices(ledger, tmp_path)
    fake = _write(tmp_path, "6082.HK.parquet", "Date,Open\n")
    with pytest.raises(PriceImportError, match="not a readable Parquet file"):
        import_prices(ledger, fake)
    gbk = tmp_path / "6082.HK.csv"
    gbk.write_bytes("日期,开盘,收盘,最高,最低\n2026-01-05,1,1,1,1\n".encode("gbk"))
    with pytest.raises(PriceImportError, match="not UTF-8"):
        import_prices(ledger, gbk)
    pq = tmp_path / "ints.parquet"
    duckdb.sql(f"COPY (SELECT 2594 AS code, DATE '2026-01-05' AS date, 1.0 AS open, 1.0 AS high, 1.0 AS low, "
               f"1.0 AS close) TO '{pq}' (FORMAT parquet)")
    with pytest.raises(PriceImportError, match="leading zeros"):
        import_prices(ledger, pq)
    assert ledger.counts()["prices"] == 0 and ledger.counts()["sources"] == 0


def test_a_late_date_in_another_format_still_imports_and_a_bad_one_is_named(ledger, tmp_path):
    # 300 ISO dates let the reader parse the column itself; row 301 switches format, which must not fail the file
    import datetime as dt

    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(301)]
    lines = [f"{d.isoformat()},1,2,0.5,1.5" for d in days[:300]] + [days[300].strftime("%Y/%m/%d") + ",1,2,0.5,1.5"]
    p = _write(tmp_path, "6082.HK.csv", "Date,Open,High,Low,Close\n" + "\n".join(lines) + "\n")
    assert import_prices(ledger, p) == 301
    assert ledger.con.execute("SELECT max(date) FROM prices").fetchone()[0] == days[300]
    bad = _write(tmp_path, "0700.HK.csv", "Date,Open,High,Low,Close\n" + "\n".join(lines[:300])
                 + "\nsoon,1,2,0.5,1.5\n")
    with pytest.raises(PriceImportError, match=r"row 301 \(line 302\), field Date: 'soon' is not a date"):
        import_prices(ledger, bad)
    assert ledger.counts()["prices"] == 301
