"""The embedded pipeline (SpaceX, OpenAI, Anthropic) and the faces: `ipolens pipeline --json` shows each deal's
stage, date and every valuation claim with its source; the CLI and the web API agree; bad input exits 2. Expected
values are read here from the shipped YAML/CSV files with yaml and csv, not from the code under test."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from conftest import same

EMBEDDED = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"
RULES = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "ledger" / "pipeline_stages.yaml"
FIX = Path(__file__).parent / "fixtures" / "pipeline"
ON = "2026-12-01"
COMPANY = {"SpaceX": "CO:spacex", "OpenAI": "CO:openai", "Anthropic": "CO:anthropic"}
# Read by hand from pipeline.yaml: the latest stage of each deal (SpaceX: priced and listed both on 2026-06-12, and
# listing follows pricing).
CURRENT = {"SpaceX": ("listed", "2026-06-12"), "OpenAI": ("drs_confidential", "2026-06-08"),
           "Anthropic": ("drs_confidential", "2026-06-01")}


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _expected_claims(deal: dict) -> set[tuple]:
    """(value, source, kind, as_of) of every valuation claim the shipped files hold for the deal and its company."""
    kinds = _yaml(RULES)["valuation_fields"]
    published = {s["id"]: s.get("published") for s in _yaml(EMBEDDED / "sources.yaml")}
    out = set()
    for f in deal.get("facts", []):
        if f["field"] in kinds:
            as_of = f.get("as_of") or published.get(f["source"])
            out.add((float(f["value"]), f["source"], kinds[f["field"]], str(as_of) if as_of else None))
    with (EMBEDDED / "article_facts.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["entity"] == COMPANY[deal["deal"]] and r["field"] in kinds and r["value"]:
                as_of = r["as_of"] or published.get(r["source_id"])
                out.add((float(r["value"]), r["source_id"], kinds[r["field"]], str(as_of) if as_of else None))
    return out


@pytest.fixture(scope="module")
def listing(cli):
    code, body = cli("pipeline", "--json", "--on", ON)
    assert code == 0, body
    return body


def test_pipeline_json_shows_the_three_deals_with_stage_date_and_every_valuation_claim(listing):
    deals = {d["name"]: d for d in listing["deals"]}
    shipped = _yaml(EMBEDDED / "pipeline.yaml")["deals"]
    assert {d["deal"] for d in shipped} == set(CURRENT) <= set(deals)
    for d in shipped:
        got = deals[d["deal"]]
        assert (got["stage"], got["stage_date"]) == CURRENT[d["deal"]]
        assert got["market"] == d["market"]
        claims = {(v["value"], v["source"], v["kind"], v["as_of"]) for v in got["valuations"]}
        assert claims == _expected_claims(d), d["deal"]
        assert len(got["valuations"]) == len(claims)  # none merged away
        for v in got["valuations"]:
            for key in ("value", "currency", "as_of", "kind", "qualifier", "source", "quote"):
                assert key in v
            assert v["source"] in listing["sources"]
        stated = sorted((str(s["date"]), s["stage"], s["source"]) for s in d["stages"])
        assert sorted((s["date"], s["stage"], s["source"]) for s in got["stages"]) == stated


def test_pipeline_json_keys_follow_the_contract(listing):
    assert set(listing) >= {"deals", "sources", "on"}
    for d in listing["deals"]:
        assert set(d) >= {"key", "name", "market", "code", "stage", "stage_date", "next_step", "price_range", "raise",
                          "valuations", "stages"}
        for s in d["stages"]:
            assert set(s) >= {"stage", "date", "source", "doc_ref"}
        if d["price_range"] is not None:
            assert set(d["price_range"]) >= {"low", "high", "currency"}
        if d["raise"] is not None:
            assert set(d["raise"]) >= {"value", "currency", "qualifier", "source"}


def test_spacex_price_range_and_raise_come_from_their_sources(listing):
    spacex = next(d for d in listing["deals"] if d["name"] == "SpaceX")
    facts = next(d for d in _yaml(EMBEDDED / "pipeline.yaml")["deals"] if d["deal"] == "SpaceX")["facts"]
    low = next(f for f in facts if f["field"] == "offer_price_low")
    assert (spacex["price_range"]["low"], spacex["price_range"]["currency"]) == (low["value"], low["currency"])
    raises = {(float(f["value"]), f["source"]) for f in facts if f["field"] == "funds_raised_planned"}
    assert (spacex["raise"]["value"], spacex["raise"]["source"]) in raises


def test_cli_and_web_agree_on_pipeline_and_deal(cli, client):
    same(cli("pipeline", "--json", "--on", ON), client.get(f"/api/pipeline?on={ON}"))
    same(cli("pipeline", "--json", "--on", ON, "--market", "HK", "--stage", "listed"),
         client.get(f"/api/pipeline?on={ON}&market=HK&stage=listed"))
    body = same(cli("deal", "SpaceX", "--json", "--on", ON), client.get(f"/api/deal/SpaceX?on={ON}"))
    assert body["key"] == "DEAL:NASDAQ:spacex" and body["sources"]
    same(cli("deal", "NOPE-NOT-A-DEAL", "--json"), client.get("/api/deal/NOPE-NOT-A-DEAL"))
    same(cli("pipeline", "--json", "--stage", "floated"), client.get("/api/pipeline?stage=floated"))


@pytest.mark.parametrize("args,needle", [
    (("pipeline", "--market", "MOON"), "--market"),
    (("pipeline", "--stage", "floated"), "--stage"),
    (("deal", "NOPE-NOT-A-DEAL"), "no deal matches"),
    (("pipeline", "import", str(FIX / "bad_rows.csv")), "bad_rows.csv: row 3, field date"),
    (("pipeline", "import", str(FIX / "out_of_order.csv")), "field stage"),
    (("pipeline", "import", str(FIX / "no_such_file.csv")), "no such file"),
])
def test_cli_bad_input_exits_2_with_the_reason(run_cli, args, needle):
    r = run_cli(*args)
    assert r.exit_code == 2
    assert r.output.startswith("error: ") and needle in r.output


def test_cli_import_then_deal(run_cli):
    r = run_cli("pipeline", "import", str(FIX / "us_walk.yaml"), "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    events = _yaml(FIX / "us_walk.yaml")["events"]
    assert body["events"] == len(events)
    r = run_cli("deal", "Fixture Space Co", "--json", "--on", ON)
    d = json.loads(r.stdout)
    assert (d["stage"], d["stage_date"]) == ("listed", str(events[-1]["date"]))
    r = run_cli("deal", "Fixture Space Co", "--on", ON)  # the table renders
    assert r.exit_code == 0 and "Stages" in r.output


def test_help_documents_json(run_cli):
    for args in (("pipeline", "--help"), ("deal", "--help"), ("pipeline", "import", "--help")):
        r = run_cli(*args)
        assert r.exit_code == 0 and "--json" in r.output
    assert "valuations" in run_cli("pipeline", "--help").output


@pytest.mark.parametrize("width", [80, 120])
def test_pipeline_table_fits_the_terminal_and_names_hidden_columns(store, width):
    from rich.console import Console

    from ipolens.app.pipeline import pipeline
    from ipolens.report.pipeline_terminal import print_pipeline

    con = Console(width=width, record=True)
    d = pipeline(store).to_dict()
    print_pipeline(d, console=con)
    text = con.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text  # no header or cell cut to an ellipsis
    for x in d["deals"]:  # the deal and its stage are always shown
        assert x["name"] in text and x["stage"] in text
    headers = ("market", "next step", "price range", "raise")
    missing = [h for h in headers if h not in text.split("note:")[0]]
    if missing:  # a column left out is named in the note
        assert "hidden" in text and all(h in text.split("note:", 1)[1] for h in missing)
