"""The `ipolens news` commands: JSON output, flags, clear errors, ledger writes, light start-up."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ipolens.cli import app

from conftest import SHARED  # noqa: E402

DATA = SHARED / "data"
ICEFIRE = DATA / "articles" / "2026-01-icefire-overview.zh-Hans.txt"
DEBUT = DATA / "articles" / "2026-01-06-biren-debut-cold.zh-Hans.txt"
needs_shared = pytest.mark.needs_shared
runner = CliRunner()


def _articles():
    return sorted((DATA / "articles").glob("*.txt"))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    return tmp_path


@needs_shared
def test_extract_json(home):
    r = runner.invoke(app, ["news", "extract", str(ICEFIRE), "--json"])
    assert r.exit_code == 0, r.output
    claims = json.loads(r.stdout)["claims"]
    cap = [c for c in claims if c["metric"] == "market_cap" and c["value"] == 85540000000]
    assert cap and cap[0]["unit"] == "HKD" and cap[0]["code"] == "06082.HK" and cap[0]["date"] == "2026-01-05"
    assert all({"entity", "code", "metric", "value", "unit", "qualifier", "start", "end", "quote", "verdict",
                "why"} <= set(c) for c in claims)


def test_extract_market_flag_decides_bare_yuan(home, tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("入场费14,605.83元。", encoding="utf-8")
    hk = json.loads(runner.invoke(app, ["news", "extract", str(p), "--market", "HK", "--json"]).stdout)["claims"]
    cn = json.loads(runner.invoke(app, ["news", "extract", str(p), "--market", "CN", "--json"]).stdout)["claims"]
    assert hk[0]["unit"] == "HKD" and cn[0]["unit"] == "CNY" and hk[0]["currency_inferred"]


def test_published_flag_resolves_relative_dates(home, tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("壁仞科技今(8)日公布,市值855.4亿港元。", encoding="utf-8")
    r = runner.invoke(app, ["news", "extract", str(p), "--published", "2026-01-08", "--json"])
    claims = json.loads(r.stdout)["claims"]
    assert claims[0]["date"] == "2026-01-08"


@needs_shared
def test_check_flags_the_tensions(home):
    r = runner.invoke(app, ["news", "check", *map(str, _articles()), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    checks = {(f["check"], f["verdict"]) for f in out["flagged"]}
    assert ("fx", "tension") in checks and ("cross_article", "tension") in checks
    assert not [f for f in out["findings"] if f["verdict"] == "inconsistent"]


@needs_shared
def test_check_text_output(home):
    r = runner.invoke(app, ["news", "check", *map(str, _articles())])
    assert r.exit_code == 0
    assert "flagged" in r.stdout and "TENSION" in r.stdout


@needs_shared
def test_add_to_ledger_one_transaction(home):
    from ipolens.app.store import open_store

    r = runner.invoke(app, ["news", "extract", str(DEBUT), "--add-to-ledger", "--published", "2026-01-06"])
    assert r.exit_code == 0, r.output
    with open_store().read() as led:
        df = led.query("SELECT * FROM facts WHERE source_id = 'news:2026-01-06-biren-debut-cold' "
                       "AND ext_id LIKE '2026-01-06-biren-debut-cold#%'")
        src = led.query("SELECT * FROM sources WHERE id = 'news:2026-01-06-biren-debut-cold'")
    assert len(df) > 20
    assert str(src["published"].iloc[0])[:10] == "2026-01-06"
    # re-running replaces, it does not duplicate
    assert runner.invoke(app, ["news", "extract", str(DEBUT), "--add-to-ledger"]).exit_code == 0
    with open_store().read() as led:
        again = led.query("SELECT count(*) AS n FROM facts WHERE ext_id LIKE '2026-01-06-biren-debut-cold#%'")
    assert int(again["n"].iloc[0]) == len(df)


def test_add_to_ledger_derives_the_first_day_return(home, tmp_path):
    """An article stating the offer and the close of a new listing: after `news extract --add-to-ledger` alone,
    `ipolens ipo CODE --json` shows the first-day return derived from them (the write path refreshes it)."""
    from ipolens.app.store import open_store
    from ipolens.ledger.model import Entity

    with open_store().write() as led:  # a listing the embedded data set does not know, so nothing else prices it
        led.add_entities([Entity("HK:08989", "listing", "HK", "08989.HK", "Testco Robotics", "测试机器人科技")])
    before = json.loads(runner.invoke(app, ["ipo", "8989.HK", "--json"]).stdout)
    assert not (before.get("first_day") or {}).get("first_day_return")
    p = tmp_path / "testco-debut.txt"
    p.write_text("2026年3月2日,测试机器人科技(08989.HK)在港交所上市,发行价10.00港元,首日收盘报12.50港元。",
                 encoding="utf-8")
    r = runner.invoke(app, ["news", "extract", str(p), "--add-to-ledger", "--published", "2026-03-02", "--json"])
    assert r.exit_code == 0, r.output
    metrics = {c["metric"]: c["value"] for c in json.loads(r.stdout)["claims"]}
    assert metrics["offer_price"] == 10.0 and metrics["close_price"] == 12.5
    r = runner.invoke(app, ["ipo", "8989.HK", "--json"])
    assert r.exit_code == 0, r.output
    ret = json.loads(r.stdout)["first_day"]["first_day_return"]
    assert ret["value"] == pytest.approx((12.50 / 10.00 - 1) * 100)
    assert ret["source"].startswith("derived")
    # and the ledger itself holds it (the profile could compute one on the fly; stored facts serve every reader)
    with open_store().read() as led:
        stored = led.query("SELECT value_num FROM facts WHERE entity = 'HK:08989' AND field = 'first_day_return' "
                           "AND source_id = 'derived:ipolens'")
    assert list(stored["value_num"]) == [pytest.approx(25.0)]


@pytest.mark.parametrize("args,needle", [
    (["news", "extract", "/nonexistent/a.txt", "--json"], "cannot read"),
    (["news", "extract", "ARTICLE", "--published", "2026/01/06"], "YYYY-MM-DD"),
    (["news", "extract", "ARTICLE", "--market", "JP"], "HK, CN or US"),
    (["news", "check", "EMPTY"], "empty article"),
])
def test_bad_input_exits_2(home, tmp_path, args, needle):
    article, empty = tmp_path / "a.txt", tmp_path / "empty.txt"
    article.write_text("壁仞科技发行价19.6港元。", encoding="utf-8")
    empty.write_text("  \n", encoding="utf-8")
    args = [str(article) if a == "ARTICLE" else str(empty) if a == "EMPTY" else a for a in args]
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert needle in r.stderr


def test_undecodable_file_error(home, tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 4)
    r = runner.invoke(app, ["news", "check", str(p)])
    assert r.exit_code == 2
    assert "UTF-8" in r.stderr and "GBK" in r.stderr


@needs_shared
def test_eval_command(home):
    r = runner.invoke(app, ["news", "eval", "--articles", str(DATA / "articles"), "--facts",
                            str(DATA / "article_facts.yaml")])
    assert r.exit_code == 0, r.output
    assert "value recall=" in r.stdout and "currency_accuracy=" in r.stdout


def test_cli_module_imports_only_typer():
    code = ("import sys; import ipolens.cli.news; "
            "bad = [m for m in ('pandas', 'duckdb', 'numba', 'opencc', 'cn2an', 'ipolens.news.extract') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
