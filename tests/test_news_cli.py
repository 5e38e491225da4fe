"""The `ipolens news` commands: JSON output, flags, clear errors, ledger writes, light start-up."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.cli import app

DATA = Path(__file__).parents[1].parent / "shared" / "data"
ARTICLES = sorted((DATA / "articles").glob("*.txt"))
ICEFIRE = DATA / "articles" / "2026-01-icefire-overview.zh-Hans.txt"
DEBUT = DATA / "articles" / "2026-01-06-biren-debut-cold.zh-Hans.txt"
runner = CliRunner()


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    return tmp_path


def test_extract_json(home):
    r = runner.invoke(app, ["news", "extract", str(ICEFIRE), "--json"])
    assert r.exit_code == 0, r.output
    claims = json.loads(r.stdout)
    cap = [c for c in claims if c["metric"] == "market_cap" and c["value"] == 85540000000]
    assert cap and cap[0]["unit"] == "HKD" and cap[0]["code"] == "06082.HK" and cap[0]["date"] == "2026-01-05"
    assert all({"entity", "code", "metric", "value", "unit", "qualifier", "start", "end", "quote", "verdict",
                "why"} <= set(c) for c in claims)


def test_extract_market_flag_decides_bare_yuan(home, tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("入场费14,605.83元。", encoding="utf-8")
    hk = json.loads(runner.invoke(app, ["news", "extract", str(p), "--market", "HK", "--json"]).stdout)
    cn = json.loads(runner.invoke(app, ["news", "extract", str(p), "--market", "CN", "--json"]).stdout)
    assert hk[0]["unit"] == "HKD" and cn[0]["unit"] == "CNY" and hk[0]["currency_inferred"]


def test_published_flag_resolves_relative_dates(home, tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("壁仞科技今(8)日公布,市值855.4亿港元。", encoding="utf-8")
    r = runner.invoke(app, ["news", "extract", str(p), "--published", "2026-01-08", "--json"])
    claims = json.loads(r.stdout)
    assert claims[0]["date"] == "2026-01-08"


def test_check_flags_the_tensions(home):
    r = runner.invoke(app, ["news", "check", *map(str, ARTICLES), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    checks = {(f["check"], f["verdict"]) for f in out["flagged"]}
    assert ("fx", "tension") in checks and ("cross_article", "tension") in checks
    assert not [f for f in out["findings"] if f["verdict"] == "inconsistent"]


def test_check_text_output(home):
    r = runner.invoke(app, ["news", "check", *map(str, ARTICLES)])
    assert r.exit_code == 0
    assert "flagged" in r.stdout and "TENSION" in r.stdout


def test_add_to_ledger_one_transaction(home):
    import ipolens

    r = runner.invoke(app, ["news", "extract", str(DEBUT), "--add-to-ledger", "--published", "2026-01-06"])
    assert r.exit_code == 0, r.output
    db = ipolens.open()
    df = db.ledger.query("SELECT * FROM facts WHERE source_id = 'news:2026-01-06-biren-debut-cold' "
                         "AND ext_id LIKE '2026-01-06-biren-debut-cold#%'")
    assert len(df) > 20
    src = db.ledger.query("SELECT * FROM sources WHERE id = 'news:2026-01-06-biren-debut-cold'")
    assert str(src["published"].iloc[0])[:10] == "2026-01-06"
    db.close()
    # re-running replaces, it does not duplicate
    runner.invoke(app, ["news", "extract", str(DEBUT), "--add-to-ledger"])
    db = ipolens.open()
    again = db.ledger.query("SELECT count(*) AS n FROM facts WHERE ext_id LIKE '2026-01-06-biren-debut-cold#%'")
    assert int(again["n"].iloc[0]) == len(df)
    db.close()


@pytest.mark.parametrize("args,needle", [
    (["news", "extract", "/nonexistent/a.txt", "--json"], "cannot read"),
    (["news", "extract", "ARTICLE", "--published", "2026/01/06"], "YYYY-MM-DD"),
    (["news", "extract", "ARTICLE", "--market", "JP"], "HK, CN or US"),
])
def test_bad_input_exits_non_zero(home, args, needle):
    args = [str(ARTICLES[0]) if a == "ARTICLE" else a for a in args]
    r = runner.invoke(app, args)
    assert r.exit_code != 0
    assert needle in r.stderr


def test_undecodable_file_error(home, tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 4)
    r = runner.invoke(app, ["news", "check", str(p)])
    assert r.exit_code == 2
    assert "UTF-8" in r.stderr and "GBK" in r.stderr


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
