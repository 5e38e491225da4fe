"""``export --parquet``: prices and facts as Hive-partitioned Parquet that DuckDB reads back whole."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ipolens.app.data import export, import_prices
from ipolens.ledger.export import ExportError

YAHOO = "Date,Open,High,Low,Close,Adj Close,Volume\n2020-07-09,20,21.5,19.8,21,20.5,1000\n2021-01-04,21,22,20.5,21.8,21.3,800\n"
AK = "日期,开盘,收盘,最高,最低,成交量\n2025-12-05,650,600.5,688,580,263\n"


def export_parquet(store, out: Path) -> dict[str, int]:
    return export(store, out).rows


def _sql(store, sql: str) -> list[tuple]:
    with store.read() as led:
        return led.con.execute(sql).fetchall()


def _two_listings(store, tmp_path: Path) -> None:
    """Biren in the Yahoo layout (2020 and 2021 bars) and Moore Threads in AKShare's (2025)."""
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    (tmp_path / "688795.csv").write_text(AK, encoding="utf-8")
    import_prices(store, tmp_path / "6082.HK.csv")
    import_prices(store, tmp_path / "688795.csv")


def _read(path: Path, table: str):
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}/{table}/**/*.parquet', hive_partitioning=true)")


def _market_of(key: str) -> str:
    """The partition a key belongs to, written out independently of the export's SQL."""
    prefix, _, code = key.partition(":")
    if prefix == "SH":
        return "STAR" if code[:3] in ("688", "689") else "SH"
    return {"US": "NASDAQ"}.get(prefix, prefix or "OTHER")


def test_partitions_by_market_and_year(fresh_store, tmp_path):
    _two_listings(fresh_store, tmp_path)
    out = tmp_path / "lake"
    counts = export_parquet(fresh_store, out)
    assert counts["prices"] == 5
    assert counts["facts"] == _sql(fresh_store, "SELECT count(*) FROM facts")[0][0] > 0
    for part in ("market=HK/year=2020", "market=HK/year=2021", "market=STAR/year=2025"):
        assert list((out / "prices" / part).glob("*.parquet")), part
    back = _read(out, "prices").fetchdf()
    assert len(back) == 5 and set(back["market"]) == {"HK", "STAR"}
    assert back.loc[(back.code == "SH:688795"), "close"].item() == 600.5


def test_exported_facts_are_the_ledgers_rows(fresh_store, tmp_path):
    """Every fact comes back once, with its values, in the partition its key and date say (computed here in
    Python from the ledger's rows, not by the export's SQL)."""
    import collections

    out = tmp_path / "lake"
    export_parquet(fresh_store, out)
    cols = "id, entity, field, value_num, value_text, currency, source_id"
    ledger_rows = _sql(fresh_store, f"SELECT {cols}, as_of, (SELECT published FROM sources s WHERE s.id = "
                                    f"f.source_id) FROM facts f ORDER BY id")
    back = _read(out, "facts").fetchdf().sort_values("id")
    assert len(back) == len(ledger_rows) > 1000
    assert list(back["id"]) == [r[0] for r in ledger_rows]  # each fact once, none lost or repeated
    exported = {r.id: r for r in back.itertuples()}
    expected_parts = collections.Counter()
    for fid, entity, field, num, text, cur, sid, as_of, published in ledger_rows:
        e = exported[fid]
        assert (e.entity, e.field, e.source_id) == (entity, field, sid)
        assert (e.value_num == num) or (num is None and e.value_num != e.value_num)  # NaN for a missing number
        assert (e.value_text if isinstance(e.value_text, str) else None) == text
        assert (e.currency if isinstance(e.currency, str) else None) == cur
        year = as_of.year if as_of else (published.year if published else 0)
        expected_parts[(_market_of(entity), year)] += 1
    got_parts = collections.Counter(zip(back["market"], back["year"].astype(int)))
    assert got_parts == expected_parts


def test_export_replaces_earlier_files(fresh_store, tmp_path):
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(fresh_store, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(fresh_store, out)
    export_parquet(fresh_store, out)
    assert len(_read(out, "prices").fetchall()) == 4  # not doubled by the second export


def test_export_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    r = CliRunner().invoke(app, ["export", "--parquet", str(tmp_path / "lake")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "facts row(s)" in r.output
    assert list((tmp_path / "lake" / "facts").glob("market=HK/year=*/*.parquet"))


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_reexport_of_an_emptied_table_leaves_no_stale_rows(fresh_store, tmp_path):
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(fresh_store, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(fresh_store, out)
    with fresh_store.write() as led:
        led.con.execute("DELETE FROM prices")
    assert export_parquet(fresh_store, out)["prices"] == 0
    assert _read(out, "prices").fetchall() == []  # the old bars are gone, and readers still get the columns
    assert "close" in _read(out, "prices").columns and "market" in _read(out, "prices").columns


def test_reexport_leaves_no_empty_partition_folders(fresh_store, tmp_path):
    _two_listings(fresh_store, tmp_path)
    out = tmp_path / "lake"
    export_parquet(fresh_store, out)
    with fresh_store.write() as led:
        led.con.execute("DELETE FROM prices WHERE code LIKE 'HK:%'")
    export_parquet(fresh_store, out)
    dirs = [p for p in (out / "prices").rglob("*") if p.is_dir()]
    assert all(any(d.rglob("*.parquet")) for d in dirs), _files(out / "prices")
    assert not (out / "prices" / "market=HK").exists()
    assert [p.name for p in out.iterdir()] and all(not p.name.startswith(".") for p in out.iterdir())  # no staging


def test_a_failed_export_keeps_the_previous_one(fresh_store, tmp_path, monkeypatch):
    import duckdb
    import pytest

    from ipolens.ledger import export as ledger_export

    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(fresh_store, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(fresh_store, out)
    before = _files(out / "prices")
    with fresh_store.write() as led:
        led.con.execute("DELETE FROM prices WHERE date > DATE '2020-12-31'")

    class DiskFullAfterCopy:  # the COPY writes its files, then the disk fills up
        def __init__(self, con):
            self._con = con

        def execute(self, sql, *args):
            result = self._con.execute(sql, *args)
            if sql.lstrip().startswith("COPY"):
                raise duckdb.IOException("No space left on device")
            return result

    real = ledger_export.export_table

    def failing(led, table, folder):
        class Led:
            con = DiskFullAfterCopy(led.con)

        return real(Led(), table, folder)

    monkeypatch.setattr("ipolens.app.data.export_table", failing)
    with pytest.raises(ExportError, match="previous export is kept"):
        export_parquet(fresh_store, out)
    assert _files(out / "prices") == before and len(_read(out, "prices").fetchall()) == 4
    assert all(not p.name.startswith(".") for p in out.iterdir())  # the staging folder is cleaned up


def test_export_to_an_existing_file_is_a_clean_error(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    target = tmp_path / "lake.txt"
    target.write_text("not a folder", encoding="utf-8")
    for path in (target, target / "sub"):
        r = CliRunner().invoke(app, ["export", "--parquet", str(path)], catch_exceptions=False)
        assert r.exit_code == 1 and str(target) in " ".join(r.output.split())
    assert target.read_text(encoding="utf-8") == "not a folder"
