"""CSV and JSON without float noise unless --full-precision (issue 16 item 4, the terminal/CSV/JSON side)."""
import csv
import io
import json
import re


def _csv(run_cli, *args):
    r = run_cli("ipos", "--format", "csv", *args)
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_csv_has_no_float_noise_and_integers_without_dot_zero(run_cli):
    rows = _csv(run_cli, "--market", "STAR")
    moore = next(r for r in rows if r["code"] == "688795.SH")
    # (600.50 / 114.28 - 1) x 100 = 425.46377…: four decimals in the CSV, not the float's 17 digits
    assert moore["first_day_return"] == "425.4638"
    hk = _csv(run_cli, "--market", "HK", "--year", "2026")
    lots = [r["lot_size"] for r in hk if r["lot_size"]]
    assert lots and not any(x.endswith(".0") for x in lots)
    assert not any(v in ("nan", "None") for r in hk for v in r.values())


def test_full_precision_on_request(run_cli):
    moore = next(r for r in _csv(run_cli, "--market", "STAR", "--full-precision") if r["code"] == "688795.SH")
    assert abs(float(moore["first_day_return"]) - (600.50 / 114.28 - 1) * 100) < 1e-9
    assert len(moore["first_day_return"].split(".")[1]) > 4


def test_json_keeps_the_web_apis_numbers(run_cli):
    """JSON is what the web API returns (parity): full precision; no NaN (null instead)."""
    r = run_cli("ipos", "--market", "STAR", "--format", "json")
    assert r.exit_code == 0, r.output
    moore = next(x for x in json.loads(r.stdout)["rows"] if x["code"] == "688795.SH")
    assert abs(moore["first_day_return"] - (600.50 / 114.28 - 1) * 100) < 1e-9
    assert "NaN" not in r.stdout


def test_rounded_json_tree():
    from ipolens.report.terminal import jsonable_rounded

    out = jsonable_rounded({"a": 425.46377318865945, "lot": 200.0, "gap": float("nan"), "rows": [13.167000000000002]})
    assert out == {"a": 425.4638, "lot": 200, "gap": None, "rows": [13.167]}
    assert isinstance(out["lot"], int)


def _grid(tmp_path, *extra, env=None):
    from typer.testing import CliRunner

    from ipolens.cli import app

    path = tmp_path / "grid.csv"
    res = CliRunner().invoke(app, ["lab", "grid", "--db", ":memory:", "--from", "2019", "--to", "2022", "--exit",
                                   "debut,day:80", "--stop", "none,0.25", "--csv", str(path), *extra],
                             env={"COLUMNS": "250", **(env or {})})
    assert res.exit_code == 0, res.output
    return res.stdout, list(csv.DictReader(io.StringIO(path.read_text())))


def _decimals(cell: str) -> str:
    return cell.split(".")[1] if "." in cell else ""


def test_lab_grid_csv_rounded_and_table_returns_in_two_decimals(tmp_path, monkeypatch):
    monkeypatch.delenv("IPOLENS_FULL_PRECISION", raising=False)
    out, rows = _grid(tmp_path)
    cells = [v for r in rows for v in r.values() if v]
    # format.round_for_output: four decimals, or four significant digits for a smaller number; never 16 digits
    assert all(len(_decimals(v)) <= 4 or len(_decimals(v).lstrip("0")) <= 4 for v in cells), cells
    # the table: a return / rate column in percent with exactly two decimals in every row (10.36, 7.71, 3.34)
    head = next(line for line in out.splitlines() if "mean_return %" in line)
    i = [c.strip() for c in head.split("┃")].index("mean_return %")
    body = [line.split("│")[i].strip() for line in out.splitlines() if line.startswith("│")]
    assert len(body) == 4 and all(re.fullmatch(r"-?\d+\.\d\d", v) for v in body), body
    # the same numbers as the CSV's fractions x 100, to two decimals (the CSV keeps four significant digits)
    assert sorted(float(v) for v in body) == sorted(round(float(r["mean_return"]) * 100, 2) for r in rows)


def test_lab_grid_csv_full_precision_on_request(tmp_path, monkeypatch):
    monkeypatch.delenv("IPOLENS_FULL_PRECISION", raising=False)
    for extra, env in ((("--full-precision",), None), ((), {"IPOLENS_FULL_PRECISION": "1"})):
        _, rows = _grid(tmp_path, *extra, env=env)
        assert max(len(_decimals(r["mean_pnl_per_lot"])) for r in rows) > 6  # the stored float, every digit
