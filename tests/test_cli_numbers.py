"""CSV and JSON without float noise unless --full-precision (issue 16 item 4, the terminal/CSV/JSON side)."""
import csv
import io
import json


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
