"""`ipolens followon ...` and the follow-on web routes: the exact commands of issue 14, exit codes on bad input, and
the same JSON on both faces. Expected numbers are worked by hand in the comments."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

FIX = Path(__file__).parent / "fixtures" / "followons"


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rights_issue_command(run_cli):
    # TERP = (4 x 1.50 + 1.00) / 5 = 1.40; nil-paid right = 1.40 - 1.00 = 0.40
    d = _json(run_cli("followon", "calc", "--type", "rights", "--ratio", "1:4", "--price", "1.00", "--last-close",
                      "1.50", "--json"))
    assert d["terp"] == pytest.approx(1.40, abs=1e-12) and d["nil_paid_value"] == pytest.approx(0.40, abs=1e-12)


def test_general_mandate_placing_commands(run_cli):
    # benchmark = max(10.00, 9.90) = 10.00; 7.90 is 21% below it (>= 20%: flagged); 8.02 is 19.8% below (allowed)
    base = ("followon", "calc", "--type", "placing", "--mandate", "general", "--last-close", "10.00", "--avg5",
            "9.90", "--json")
    bad = _json(run_cli(*base, "--price", "7.90"))
    assert bad["flagged"] is True and bad["discount_to_benchmark"] == pytest.approx(21.0)
    assert bad["benchmark_price"] == 10.0
    ok = _json(run_cli(*base, "--price", "8.02"))
    assert ok["flagged"] is False and ok["discount_to_benchmark"] == pytest.approx(19.8)


def test_table_output(run_cli):
    r = run_cli("followon", "calc", "--type", "placing", "--mandate", "general", "--price", "7.90", "--last-close",
                "10.00", "--avg5", "9.90")
    assert r.exit_code == 0 and "FLAGGED" in r.stdout and "13.36(5)" in r.stdout


@pytest.mark.parametrize("args, message", [
    (("--type", "rights", "--ratio", "1:0", "--price", "1"), "--ratio"),
    (("--type", "rights", "--ratio", "one:four", "--price", "1"), "--ratio"),
    (("--type", "rights", "--ratio", "1:4", "--price", "-1"), "--price: must be positive"),
    (("--type", "rights", "--price", "1"), "--ratio: required"),
    (("--type", "swap", "--price", "1"), "--type"),
    (("--type", "placing", "--price", "abc"), "--price"),
    (("--type", "placing", "--price", "1", "--prior", "2026-01-01,rights,10"), "--prior"),
])
def test_bad_input_exits_2(run_cli, args, message):
    r = run_cli("followon", "calc", *args)
    assert r.exit_code == 2 and r.output.startswith("error: ") and message in r.output, r.output


def test_followon_code_and_add(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path))
    run = CliRunner()
    r = run.invoke(app, ["followon", "add", str(FIX / "placings.csv"), "--source-title", "test placings"])
    assert r.exit_code == 0, r.output
    d = json.loads(run.invoke(app, ["followon", "6082.HK", "--json"]).stdout)
    assert [o["key"] for o in d["offerings"]] == ["OF:HK:06082:placing:2026-03-05"]
    assert d["offerings"][0]["discount_to_benchmark"] == pytest.approx(100 * (1 - 30 / 36))
    bad = run.invoke(app, ["followon", "add", str(FIX / "bad.csv"), "--source-title", "bad"])
    assert bad.exit_code == 2 and "bad.csv row 1, field price" in bad.output
    assert run.invoke(app, ["followon", "NO SUCH THING XYZ"]).exit_code == 2


def test_web_routes_match_the_cli(fresh_store, run_cli):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from ipolens.web import create_app

    with TestClient(create_app(store=fresh_store)) as c:
        r = c.get("/api/followon/calc", params={"type": "rights", "ratio": "1:4", "price": "1.00", "last_close": "1.50"})
        assert r.status_code == 200
        cli = _json(run_cli("followon", "calc", "--type", "rights", "--ratio", "1:4", "--price", "1.00",
                            "--last-close", "1.50", "--json"))
        assert r.json() == cli
        bad = c.get("/api/followon/calc", params={"type": "rights", "ratio": "1:0", "price": "1"})
        assert bad.status_code == 400 and "--ratio" in bad.json()["detail"]
        assert c.get("/api/followons/688256").json()["listings"] == ["SH:688256"]
        assert c.get("/api/followons/NOSUCHTHINGXYZ").status_code == 404
