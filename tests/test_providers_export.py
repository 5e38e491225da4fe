"""``export --parquet``: prices and facts as Hive-partitioned Parquet that DuckDB reads back whole."""
from __future__ import annotations

from pathlib import Path

import duckdb

from ipolens.data.export import ExportError, export_parquet
from ipolens.data.prices import import_prices

YAHOO = "Date,Open,High,Low,Close,Adj Close,Volume\n2020-07-09,20,21.5,19.8,21,20.5,1000\n2021-01-04,21,22,20.5,21.8,21.3,800\n"
AK = "日期,开盘,收盘,最高,最低,成交量\n2025-12-05,650,600.5,688,580,263\n"


def _two_listings(led, tmp_path: Path) -> None:
    """Biren in the Yahoo layout (2020 and 2021 bars) and Moore Threads in AKShare's (2025)."""
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    (tmp_path / "688795.csv").write_text(AK, encoding="utf-8")
    import_prices(led, tmp_path / "6082.HK.csv")
    import_prices(led, tmp_path / "688795.csv")


def _read(path: Path, table: str):
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}/{table}/**/*.parquet', hive_partitioning=true)")


def test_partitions_by_market_and_year(fresh_db, tmp_path):
    led = fresh_db.ledger
    _two_listings(led, tmp_path)
    out = tmp_path / "lake"
    counts = export_parquet(led, out)
    assert counts["prices"] == 5
    assert counts["facts"] == led.con.execute("SELECT count(*) FROM facts").fetchall()[0][0] > 0
    for part in ("market=HK/year=2020", "market=HK/year=2021", "market=STAR/year=2025"):
        assert list((out / "prices" / part).glob("*.parquet")), part
    back = _read(out, "prices").fetchdf()
    assert len(back) == 5 and set(back["market"]) == {"HK", "STAR"}
    assert back.loc[(back.code == "SH:688795"), "close"].item() == 600.5
    facts = _read(out, "facts")
    n_hk_2020 = duckdb.sql("SELECT count(*) FROM facts WHERE market = 'HK' AND year = 2020").fetchall()[0][0]
    assert n_hk_2020 == led.con.execute("SELECT count(*) FROM facts WHERE entity LIKE 'HK:%' "
                                        "AND year(as_of) = 2020").fetchall()[0][0] > 0
    assert facts is not None


def test_export_replaces_earlier_files(fresh_db, tmp_path):
    led = fresh_db.ledger
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(led, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(led, out)
    export_parquet(led, out)
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


def test_reexport_of_an_emptied_table_leaves_no_stale_rows(fresh_db, tmp_path):
    led = fresh_db.ledger
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(led, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(led, out)
    led.con.execute("DELETE FROM prices")
    assert export_parquet(led, out)["prices"] == 0
    assert _read(out, "prices").fetchall() == []  # the old bars are gone, and readers still get the columns
    assert "close" in _read(out, "prices").columns and "market" in _read(out, "prices").columns


def test_reexport_leaves_no_empty_partition_folders(fresh_db, tmp_path):
    led = fresh_db.ledger
    _two_listings(led, tmp_path)
    out = tmp_path / "lake"
    export_parquet(led, out)
    led.con.execute("DELETE FROM prices WHERE code LIKE 'HK:%'")
    export_parquet(led, out)
    dirs = [p for p in (out / "prices").rglob("*") if p.is_dir()]
    assert all(any(d.rglob("*.parquet")) for d in dirs), _files(out / "prices")
    assert not (out / "prices" / "market=HK").exists()
    assert [p.name for p in out.iterdir()] and all(not p.name.startswith(".") for p in out.iterdir())  # no staging


def test_a_failed_export_keeps_the_previous_one(fresh_db, tmp_path):
    import duckdb
    import pytest

    led = fresh_db.ledger
    (tmp_path / "6082.HK.csv").write_text(YAHOO, encoding="utf-8")
    import_prices(led, tmp_path / "6082.HK.csv")
    out = tmp_path / "lake"
    export_parquet(led, out)
    before = _files(out / "prices")
    led.con.execute("DELETE FROM prices WHERE date > DATE '2020-12-31'")

    class DiskFullAfterCopy:  # the COPY writes its files, then the disk fills up
        def __init__(self, con):
            self._con = con

        def execute(self, sql, *args):
            result = self._con.execute(sql, *args)
            if sql.lstrip().startswith("COPY"):
                raise duckdb.IOException("No space left on device")
            return result

    class Ledger:
        con = DiskFullAfterCopy(led.con)

    with pytest.raises(ExportError, match="previous export is kept"):
        export_parquet(Ledger(), out)
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
