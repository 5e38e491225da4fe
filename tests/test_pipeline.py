"""Pipeline deals and stages (issue 14): a fixture per market walked from first filing to listing, events out of
order refused with file, row and field, the HK six-month lapse and a refiling, idempotent writes, disagreeing
sources kept. Expected values come from the fixture files (read here with csv / yaml) or are worked by hand in the
comments; never from the code under test."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ipolens.app import pipeline as ap
from ipolens.app.base import UserError
from ipolens.ledger import pipeline as lp
from ipolens.ledger.model import Source
from ipolens.ledger.pipeline_rules import add_months
from ipolens.ledger.store import EntityNotFound

FIX = Path(__file__).parent / "fixtures" / "pipeline"
SRC_A = Source("user:pipeline-test-a", "user", "Hand-made stage events A")
SRC_B = Source("user:pipeline-test-b", "user", "Hand-made stage events B")


def _csv(name: str) -> list[dict]:
    with (FIX / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _events(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(("deal", "market", "code", "stage", "date"), r)) for r in rows],
                        columns=lp.STAGE_EVENT_COLUMNS)


# -- a walk per market ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["hk_walk.csv", "us_walk.yaml", "star_walk.csv"])
def test_fixture_walks_a_deal_from_first_filing_to_listing(fresh_store, name):
    if name.endswith(".csv"):
        rows = _csv(name)
    else:
        rows = [{k: str(v) for k, v in r.items()} for r in yaml.safe_load((FIX / name).read_text())["events"]]
    deal_name = rows[0]["deal"]
    res = ap.import_stages(fresh_store, FIX / name, source_title=f"fixture {name}")
    assert (res.events, res.added) == (len(rows), len(rows))
    last = rows[-1]
    d = ap.deal(fresh_store, deal_name, on="2026-12-01").to_dict()
    assert (d["stage"], d["stage_date"], d["stage_basis"]) == ("listed", last["date"], "stated")
    assert d["name"] == deal_name and d["market"] == rows[0]["market"]
    assert [(s["stage"], s["date"]) for s in d["stages"] if s["basis"] == "stated"] == \
        [(r["stage"], r["date"]) for r in rows]
    assert all(s["source"] == res.source for s in d["stages"])
    assert d["next_step"] == "none: listed"
    # the code of the listed row links the deal to its listing key (by hand: 2899 -> HK:02899, FXSPQ -> US:FXSPQ)
    assert d["listing"] == {"hk_walk.csv": "HK:02899", "us_walk.yaml": "US:FXSPQ", "star_walk.csv": "SH:688999"}[name]
    # read on an earlier day, the deal stands at the stage of that day
    mid = rows[len(rows) // 2]
    earlier = ap.deal(fresh_store, deal_name, on=mid["date"]).to_dict()
    same_day = [r["stage"] for r in rows if r["date"] == mid["date"]]
    assert earlier["stage"] == same_day[-1] and earlier["stage_date"] == mid["date"]
    # a re-import adds nothing
    assert ap.import_stages(fresh_store, FIX / name, source_title=f"fixture {name}").added == 0


def test_hk_walk_next_steps_follow_the_rules_file(fresh_store):
    ap.import_stages(fresh_store, FIX / "hk_walk.csv")
    rules = yaml.safe_load((Path(lp.__file__).with_name("pipeline_stages.yaml")).read_text(encoding="utf-8"))
    steps = {s["code"]: s["next_step"] for s in rules["regimes"]["hk"]["stages"]}
    d = ap.deal(fresh_store, "Fixture Robotics Ltd", on="2026-03-03").to_dict()
    assert d["stage"] == "phip"
    # refiled 2026-01-05 + 6 months = 2026-07-05, by hand
    assert d["lapse_date"] == "2026-07-05"
    assert d["next_step"].startswith(steps["phip"]) and "2026-07-05" in d["next_step"] and "9.03" in d["next_step"]


# -- out of order -----------------------------------------------------------------------------------------------------
def test_out_of_order_stage_is_refused_with_file_row_and_field(fresh_store):
    rows = _csv("out_of_order.csv")
    bad_line = next(i + 2 for i, r in enumerate(rows) if r["stage"] == "priced")  # header is line 1
    with pytest.raises(UserError) as exc:
        ap.import_stages(fresh_store, FIX / "out_of_order.csv")
    msg = str(exc.value)
    assert f"out_of_order.csv: row {bad_line}, field stage" in msg and "'priced'" in msg and "'listed'" in msg
    with pytest.raises(EntityNotFound):  # nothing was written
        ap.deal(fresh_store, "Fixture Backwards Ltd")


def test_bad_rows_are_all_listed_and_nothing_is_written(fresh_store):
    with pytest.raises(UserError) as exc:
        ap.import_stages(fresh_store, FIX / "bad_rows.csv")
    msg = str(exc.value)
    for needle in ("row 2, field market", "row 3, field date", "row 4, field stage", "row 5, field quote",
                   "row 6, field deal"):
        assert needle in msg, needle
    with fresh_store.read() as led:
        assert led.query("SELECT count(*) AS n FROM deal_stages WHERE source_id LIKE 'user:pipeline:%'")["n"][0] == 0


def test_a_new_event_that_contradicts_stored_stages_is_refused(fresh_store):
    with fresh_store.write() as led:
        lp.write_stage_events(led, _events(("Fixture Late Co", "NASDAQ", "FXLTQ", "listed", "2026-02-02")), SRC_A)
    with pytest.raises(lp.StageEventError) as exc:
        with fresh_store.write() as led:
            lp.write_stage_events(led, _events(("Fixture Late Co", "NASDAQ", None, "s1_public", "2026-03-01")), SRC_B)
    assert "event 1, field stage" in str(exc.value) and "'s1_public'" in str(exc.value)


# -- the HK lapse -----------------------------------------------------------------------------------------------------
def test_hk_application_without_progress_lapses_six_months_after_its_a1(fresh_store):
    with fresh_store.write() as led:
        lp.write_stage_events(led, _events(("Fixture Lapse Ltd", "HK", None, "a1_filed", "2026-01-15")), SRC_A)
    # 2026-01-15 + 6 months = 2026-07-15 (HK Main Board 9.03 / GEM 12.07), worked by hand
    before = ap.deal(fresh_store, "Fixture Lapse Ltd", on="2026-07-14").to_dict()
    assert (before["stage"], before["lapse_date"]) == ("a1_filed", "2026-07-15")
    after = ap.deal(fresh_store, "Fixture Lapse Ltd", on="2026-07-15").to_dict()
    assert (after["stage"], after["stage_date"], after["stage_basis"]) == ("lapsed", "2026-07-15", "computed")
    computed = [s for s in after["stages"] if s["basis"] == "computed"]
    assert len(computed) == 1 and "9.03" in computed[0]["note"] and computed[0]["source"] is None
    # the pipeline filtered by stage on that day finds it
    on_day = ap.pipeline(fresh_store, stage="lapsed", on="2026-07-15").to_dict()["deals"]
    assert [d["name"] for d in on_day] == ["Fixture Lapse Ltd"]
    # a stage of the old application after the lapse is out of order ...
    with pytest.raises(lp.StageEventError, match="lapsed on 2026-07-15"):
        with fresh_store.write() as led:
            lp.write_stage_events(led, _events(("Fixture Lapse Ltd", "HK", None, "hearing_passed", "2026-08-01")),
                                  SRC_A)
    # ... a refiling restarts it: a new six-month period from 2026-08-03 (to 2027-02-03, by hand)
    with fresh_store.write() as led:
        assert lp.write_stage_events(led, _events(("Fixture Lapse Ltd", "HK", None, "a1_refiled", "2026-08-03")),
                                     SRC_A) == 1
    refiled = ap.deal(fresh_store, "Fixture Lapse Ltd", on="2026-09-01").to_dict()
    assert (refiled["stage"], refiled["lapse_date"]) == ("a1_refiled", "2027-02-03")
    assert [s["stage"] for s in refiled["stages"]] == ["a1_filed", "lapsed", "a1_refiled"]


@pytest.mark.parametrize("day,months,expected", [("2026-01-15", 6, "2026-07-15"), ("2026-08-31", 6, "2027-02-28"),
                                                 ("2027-08-31", 6, "2028-02-29"), ("2026-12-01", 1, "2027-01-01")])
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(dt.date.fromisoformat(day), months).isoformat() == expected


# -- the writer's contract --------------------------------------------------------------------------------------------
def test_write_stage_events_is_idempotent_and_keeps_disagreeing_sources(fresh_store):
    ev = _events(("Fixture Twin Co", "HK", None, "a1_filed", "2026-02-01"),
                 ("Fixture Twin Co", "HK", None, "hearing_passed", "2026-05-04"))
    with fresh_store.write() as led:
        assert lp.write_stage_events(led, ev, SRC_A) == 2
    with fresh_store.write() as led:
        assert lp.write_stage_events(led, ev, SRC_A) == 0
        # another source dates the filing a day later: both rows stay
        assert lp.write_stage_events(led, _events(("Fixture Twin Co", "HK", None, "a1_filed", "2026-02-02")),
                                     SRC_B) == 1
    d = ap.deal(fresh_store, "Fixture Twin Co", on="2026-06-01").to_dict()
    assert [(s["stage"], s["date"], s["source"]) for s in d["stages"]] == [
        ("a1_filed", "2026-02-01", SRC_A.id), ("a1_filed", "2026-02-02", SRC_B.id),
        ("hearing_passed", "2026-05-04", SRC_A.id)]
    assert d["stage"] == "hearing_passed"


def test_deal_entity_is_the_key_the_writer_uses(fresh_store):
    ent = lp.deal_entity("US", "Fixture Space Co", "FXSPQ")
    assert (ent.key, ent.kind, ent.market, ent.code) == ("DEAL:NASDAQ:fixture-space-co", "deal", "NASDAQ", "FXSPQ")
    with fresh_store.write() as led:
        lp.write_stage_events(led, _events(("Fixture Space Co", "NASDAQ", None, "s1_public", "2026-01-05")), SRC_A)
    assert ap.deal(fresh_store, ent.key).to_dict()["key"] == ent.key


def test_a_deal_named_like_a_company_links_to_it_without_an_ambiguous_alias(store):
    with store.read() as led:
        assert led.resolve_entity("SpaceX") == "CO:spacex"  # the deal does not take the company's name
        assert led.resolve_entity("SPCX") == "DEAL:NASDAQ:spacex"
    d = ap.deal(store, "SpaceX", on="2026-12-01").to_dict()
    assert (d["key"], d["company"], d["name"]) == ("DEAL:NASDAQ:spacex", "CO:spacex", "SpaceX")


def test_a_listing_with_a_listing_date_is_a_deal_at_stage_listed(store):
    rows = {r["code"]: r for r in _csv_embedded("hk_ai_listings_2026.csv")}
    d = ap.deal(store, "6082.HK", on="2026-12-01").to_dict()
    assert (d["key"], d["stage"], d["stage_date"]) == ("HK:06082", "listed", rows["6082.HK"]["listing_date"])
    assert ap.pipeline(store, on="2026-12-01").to_dict()["deals"] and \
        "HK:06082" not in {x["key"] for x in ap.pipeline(store, on="2026-12-01").to_dict()["deals"]}
    listed = ap.pipeline(store, stage="listed", on="2026-12-01").to_dict()["deals"]
    assert "HK:06082" in {x["key"] for x in listed}


def _csv_embedded(name: str) -> list[dict]:
    path = Path(lp.__file__).parents[1] / "data" / "embedded" / name
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("kwargs,needle", [({"market": "MOON"}, "--market"), ({"stage": "floated"}, "--stage"),
                                           ({"on": "2026-02-30"}, "--on")])
def test_bad_options_are_user_errors(store, kwargs, needle):
    with pytest.raises(UserError, match=needle):
        ap.pipeline(store, **kwargs)


def test_events_under_another_name_or_the_code_land_on_the_known_deal(fresh_store):
    """A provider names SpaceX by its registrant name, or gives only the ticker: the stages join the embedded deal
    (its alias and code come from data/embedded/pipeline.yaml) instead of starting a second one."""
    shipped = yaml.safe_load((Path(lp.__file__).parents[1] / "data" / "embedded" / "pipeline.yaml").read_text(
        encoding="utf-8"))["deals"]
    spacex = next(d for d in shipped if d["deal"] == "SpaceX")
    legal = next(a for a in spacex["aliases"] if " " in a)
    with fresh_store.write() as led:
        assert lp.find_deal(led, "NASDAQ", legal) == "DEAL:NASDAQ:spacex"
        assert lp.find_deal(led, "NASDAQ", "Some Other Issuer", "SPCX") == "DEAL:NASDAQ:spacex"
        assert lp.find_deal(led, "HK", legal) is None  # another market: another deal
        lp.write_stage_events(led, _events((legal, "NASDAQ", None, "effective", "2026-06-11")), SRC_A)
    d = ap.deal(fresh_store, "SpaceX", on="2026-12-01").to_dict()
    assert ("effective", "2026-06-11", SRC_A.id) in {(s["stage"], s["date"], s["source"]) for s in d["stages"]}
    assert d["name"] == "SpaceX"  # the company's name, not the last writer's
    assert len([x for x in ap.pipeline(fresh_store, on="2026-12-01").to_dict()["deals"]
                if x["key"].startswith("DEAL:NASDAQ:space")]) == 1


# -- review findings: restatements, a new registration, the lapse anchor -----------------------------------------------
def test_a_stage_reported_again_after_the_deal_moved_on_is_refused(fresh_store):
    # s1_public 2025-01-01 -> priced -> listed 2025-03-02: an s1_public dated 2025-06-01 is after priced, not a
    # second source's date for the filing
    with pytest.raises(lp.StageEventError) as exc:
        with fresh_store.write() as led:
            lp.write_stage_events(led, _events(("Fixture Again Co", "NASDAQ", None, "s1_public", "2025-01-01"),
                                               ("Fixture Again Co", "NASDAQ", None, "priced", "2025-03-01"),
                                               ("Fixture Again Co", "NASDAQ", None, "listed", "2025-03-02"),
                                               ("Fixture Again Co", "NASDAQ", None, "s1_public", "2025-06-01")), SRC_A)
    assert "event 4, field stage" in str(exc.value) and "'s1_public' on 2025-06-01" in str(exc.value)
    # dated on the day the next stage was reached it is still a restatement (kept beside the first)
    with fresh_store.write() as led:
        assert lp.write_stage_events(led, _events(("Fixture Again Co", "NASDAQ", None, "s1_public", "2025-01-01"),
                                                  ("Fixture Again Co", "NASDAQ", None, "priced", "2025-03-01"),
                                                  ("Fixture Again Co", "NASDAQ", None, "s1_public", "2025-03-01")),
                                     SRC_A) == 3


def test_a_new_registration_after_a_withdrawal_becomes_the_current_stage(fresh_store):
    with fresh_store.write() as led:
        lp.write_stage_events(led, _events(("Fixture Refile Co", "NASDAQ", None, "s1_public", "2022-05-02"),
                                           ("Fixture Refile Co", "NASDAQ", None, "withdrawn", "2023-01-10"),
                                           ("Fixture Refile Co", "NASDAQ", None, "s1_public", "2025-04-01")), SRC_A)
    d = ap.deal(fresh_store, "Fixture Refile Co", on="2025-05-01").to_dict()
    assert (d["stage"], d["stage_date"]) == ("s1_public", "2025-04-01")
    assert ap.deal(fresh_store, "Fixture Refile Co", on="2024-01-01").to_dict()["stage"] == "withdrawn"


def test_hk_deal_without_an_a1_row_lapses_from_its_earliest_stage():
    from ipolens.ledger.pipeline_rules import regime_for, walk
    hk = regime_for("HK")
    # hearing passed 2026-02-10, nothing since, no A1 row: the A1 was filed on or before 2026-02-10, so the
    # application lapsed by 2026-08-10 at the latest (2026-02-10 + 6 months, by hand)
    w = walk(hk, [{"stage": "hearing_passed", "date": dt.date(2026, 2, 10)}], on=dt.date(2026, 9, 1))
    assert (w.stage, w.since) == ("lapsed", dt.date(2026, 8, 10))
    assert "no A1 row" in w.steps[-1].counted_from and "2026-02-10" in w.steps[-1].counted_from
    ahead = walk(hk, [{"stage": "hearing_passed", "date": dt.date(2026, 2, 10)}], on=dt.date(2026, 3, 1))
    assert ahead.lapse_day == dt.date(2026, 8, 10) and "no A1 row" in ahead.lapse_from
    # with an A1 row the anchor is the filing itself
    filed = walk(hk, [{"stage": "a1_filed", "date": dt.date(2026, 1, 5)},
                      {"stage": "hearing_passed", "date": dt.date(2026, 2, 10)}], on=dt.date(2026, 3, 1))
    assert filed.lapse_day == dt.date(2026, 7, 5) and filed.lapse_from == "a1_filed on 2026-01-05"


def test_a_lapsed_row_before_six_months_after_the_a1_is_refused():
    from ipolens.ledger.pipeline_rules import StageOrderError, regime_for, walk
    hk = regime_for("HK")
    # a1_filed 2026-01-15 + 6 months = 2026-07-15 (by hand): a lapse reported on 2026-05-01 contradicts Rule 9.03
    with pytest.raises(StageOrderError, match="9.03"):
        walk(hk, [{"stage": "a1_filed", "date": dt.date(2026, 1, 15)}, {"stage": "lapsed", "date": dt.date(2026, 5, 1)}])
    w = walk(hk, [{"stage": "a1_filed", "date": dt.date(2026, 1, 15)}, {"stage": "lapsed", "date": dt.date(2026, 7, 15)}])
    assert w.stage == "lapsed"


def test_pipeline_on_a_day_shows_only_what_was_known_by_then(store):
    # read from the shipped pipeline.yaml: on 2026-05-15 SpaceX had filed its DRS (2026-04-01); OpenAI's first stage
    # is 2026-06-08 and Anthropic's 2026-06-01, so neither was in the pipeline yet; SpaceX's price range is dated
    # 2026-06-03 (not known yet) and its raise of 2026-04-02 was
    day = "2026-05-15"
    shipped = yaml.safe_load((Path(lp.__file__).parents[1] / "data" / "embedded" / "pipeline.yaml").read_text("utf-8"))
    first = {d["deal"]: min(str(s["date"]) for s in d["stages"]) for d in shipped["deals"]}
    spacex_facts = next(d for d in shipped["deals"] if d["deal"] == "SpaceX")["facts"]
    deals = {d["name"]: d for d in ap.pipeline(store, on=day).to_dict()["deals"]}
    for name in ("SpaceX", "OpenAI", "Anthropic"):
        assert (name in deals) == (first[name] <= day), name
    spacex = deals["SpaceX"]
    assert spacex["price_range"] is None
    early = [f for f in spacex_facts if f["field"] == "funds_raised_planned" and str(f.get("as_of")) <= day]
    assert len(early) == 1 and spacex["raise"]["value"] == float(early[0]["value"])
    assert spacex["valuations"] and all((v.get("as_of") or "") <= day for v in spacex["valuations"])
    later = ap.pipeline(store, on="2026-12-01").to_dict()["deals"]
    assert any((v.get("as_of") or "") > day for d in later if d["name"] == "SpaceX" for v in d["valuations"])
