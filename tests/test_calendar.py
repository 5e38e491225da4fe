"""The IPO calendar (``ipolens calendar``, ``GET /api/calendar``): dated events from the ledger's facts, each checked
against its exchange's sessions. Expected dates come from the fixture files and the embedded CSV, sessions from
exchange_calendars itself (the reference library), never from the calendar's own output."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipolens.app.base import Result, UserError
from ipolens.app.calendar import A_SHARE_FIELDS, EVENTS, calendar, session_check
from ipolens.ledger.access import Store
from ipolens.ledger.model import Entity, Fact, Source

FIXTURES = Path(__file__).with_name("fixtures") / "calendar"
EMBEDDED_2026 = Path(__file__).resolve().parents[1] / "src/ipolens/data/embedded/hk_ai_listings_2026.csv"
FIXTURE_SOURCE = Source("user:calendar-fixture", "user", "Hand-made calendar test fixture (fictional deals)")
CALENDAR_OF = {"HK": "XHKG", "STAR": "XSHG", "NASDAQ": "XNYS"}  # markets.yaml, restated for the test


def _rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_fixture(store: Store, name: str) -> list[dict]:
    """Write the fixture's rows as facts of one user source, in one transaction; return the rows."""
    rows = _rows(name)
    ents = {r["entity"]: Entity(r["entity"], "listing", market=r["market"], code=r["code"], name_en=r["name_en"])
            for r in rows}
    facts = []
    for r in rows:
        text_field = r["field"].endswith("_date") or r["field"] == "subscription_code"
        facts.append(Fact(r["entity"], r["field"], FIXTURE_SOURCE.id,
                          value=None if text_field else float(r["value"]), text=r["value"] if text_field else None,
                          currency=r["currency"] or None))
    with store.write() as led:
        led.add_source(FIXTURE_SOURCE)
        led.add_entities(ents.values())
        led.add_facts(facts)
    return rows


@pytest.fixture()
def month_store():
    s = Store(":memory:")  # an empty ledger: only the fixture's deals
    rows = load_fixture(s, "march_2026.csv")
    yield s, rows
    s.close()


def _is_session(market: str, day: str) -> bool:
    import exchange_calendars as xcals

    return xcals.get_calendar(CALENDAR_OF[market], end="2026-12-31").is_session(day)


# -- the fixture month ------------------------------------------------------------------------------------------------
def test_fixture_month_lists_every_dated_fact_once_on_trading_days(month_store):
    store, rows = month_store
    res = calendar(store, "2026-03-01", "2026-03-31").to_dict()
    expected = {(r["entity"], r["field"], r["value"]) for r in rows if r["field"] in EVENTS}
    got = {(e["key"], e["field"], e["date"]) for e in res["events"]}
    assert got == expected and len(res["events"]) == len(expected)
    for e in res["events"]:
        assert e["event"] == EVENTS[e["field"]]
        assert _is_session(e["market"], e["date"]), e  # the fixture's dates are sessions (checked independently)
        assert e["trading_day"] is True and e["calendar"] == CALENDAR_OF[e["market"]]
        assert e["source"] == FIXTURE_SOURCE.id
    assert res["flagged"] == 0
    assert [e["date"] for e in res["events"]] == sorted(e["date"] for e in res["events"])
    assert res["calendars"] == {"HK": "XHKG", "NASDAQ": "XNYS", "STAR": "XSHG"}
    assert [s["id"] for s in res["sources"]] == [FIXTURE_SOURCE.id]


def test_hk_window_reads_open_close_pricing_allotment_listing_in_that_order(month_store):
    store, rows = month_store
    hk = [e for e in calendar(store, "2026-03-01", "2026-03-31", "HK").to_dict()["events"]]
    assert [e["event"] for e in hk] == ["application_open", "application_close", "pricing", "allotment", "listing"]
    assert {e["market"] for e in hk} == {"HK"}
    assert hk[0]["offer_price"]["value"] == 12.34 and hk[0]["offer_price"]["currency"] == "HKD"
    assert not any(f in hk[0] for f in A_SHARE_FIELDS)  # A-share columns belong to A-share rows only


def test_a_share_rows_carry_subscription_terms_and_pe_against_industry(month_store):
    store, rows = month_store
    star = calendar(store, "2026-03-01", "2026-03-31", "STAR").to_dict()["events"]
    chips = [e for e in star if e["key"] == "SH:688999"]
    stated = {r["field"]: r["value"] for r in rows if r["entity"] == "SH:688999"}
    assert [e["event"] for e in chips] == ["subscription", "allotment", "payment", "listing"]
    for e in chips:
        assert e["subscription_code"]["value"] == stated["subscription_code"] == "787999"
        assert e["subscription_limit_shares"]["value"] == float(stated["subscription_limit_shares"])
        assert e["subscription_min_market_value"] == {**e["subscription_min_market_value"], "value": 55000.0,
                                                      "currency": "CNY"}
        assert e["issue_pe"]["value"] == 40.0 and e["industry_pe"]["value"] == 50.0
        assert e["lottery_rate"]["value"] == 0.045
        # 40 / 50 = 0.8, so the issue P/E is 20% below the industry's
        assert e["issue_pe_vs_industry_pct"]["value"] == pytest.approx(-20.0)
        assert e["issue_pe_vs_industry_pct"]["basis"] == "derived"
    optics = [e for e in star if e["key"] == "SH:688998"]
    assert [e["event"] for e in optics] == ["subscription", "listing"]
    for e in optics:  # nothing stated: every A-share column is there and missing, never filled
        assert all(e[f] is None for f in A_SHARE_FIELDS) and e["issue_pe_vs_industry_pct"] is None


def test_window_bounds_are_inclusive_and_filter_events_not_deals(month_store):
    store, _ = month_store
    one_day = calendar(store, "2026-03-12", "2026-03-12").to_dict()["events"]
    # 12 March: the HK application close and pricing, the STAR allotment results and payment day
    assert sorted((e["key"], e["event"]) for e in one_day) == [
        ("HK:09876", "application_close"), ("HK:09876", "pricing"), ("SH:688999", "allotment"),
        ("SH:688999", "payment")]
    assert calendar(store, "2026-02-01", "2026-02-28").to_dict()["events"] == []


# -- dates that are not sessions ----------------------------------------------------------------------------------
def test_non_session_dates_are_flagged_and_kept():
    s = Store(":memory:")
    try:
        rows = load_fixture(s, "april_2026_holidays.csv")
        res = calendar(s, "2026-04-01", "2026-04-30").to_dict()
    finally:
        s.close()
    by = {(e["key"], e["field"]): e for e in res["events"]}
    assert len(by) == len(rows)
    for r in rows:
        e = by[(r["entity"], r["field"])]
        assert e["date"] == r["value"]  # never moved
        assert e["trading_day"] is _is_session(r["market"], r["value"])
    assert by[("HK:09875", "listing_date")]["trading_day"] is False
    # Good Friday 3 Apr, Easter Monday 6 Apr, the Ching Ming substitute 7 Apr: the next XHKG session is 8 Apr
    assert "next session 2026-04-08" in by[("HK:09875", "listing_date")]["calendar_note"]
    assert by[("US:FXHD", "pricing_date")]["trading_day"] is False  # a Saturday
    assert by[("US:FXHD", "listing_date")]["trading_day"] is True
    assert res["flagged"] == 3


def test_session_check_past_the_recorded_holidays_says_it_cannot_tell():
    day = dt.date(2035, 3, 7)  # past every calendar's recorded end (ledger.calendars caps it at 2031)
    out = session_check(day, "HK")
    assert (out["trading_day"] is False) == (day.weekday() >= 5)
    if day.weekday() < 5:
        assert out["trading_day"] is None and "not checked for holidays" in out["calendar_note"]
    assert session_check(dt.date(2026, 3, 9), "NOWHERE")["trading_day"] is None


# -- the embedded January 2026 HK listings (acceptance) ---------------------------------------------------------------
def _embedded_january() -> set[tuple[int, str]]:
    with EMBEDDED_2026.open(encoding="utf-8") as fh:
        return {(int(r["code"].split(".")[0]), r["listing_date"]) for r in csv.DictReader(fh)
                if "2026-01-01" <= r["listing_date"] <= "2026-01-31"}


def test_cli_january_2026_lists_the_embedded_hk_listing_dates(run_cli):
    expected = _embedded_january()
    assert expected  # the CSV has January 2026 listings
    r = run_cli("calendar", "--from", "2026-01-01", "--to", "2026-01-31", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["from"] == "2026-01-01" and out["to"] == "2026-01-31"
    listed = {(int(e["code"].split(".")[0]), e["date"]) for e in out["events"]
              if e["event"] == "listing" and e["market"] == "HK"}
    assert listed == expected
    assert all(e["trading_day"] is True for e in out["events"] if e["event"] == "listing")


def test_cli_table_and_errors(run_cli):
    r = run_cli("calendar", "--from", "2026-01-01", "--to", "2026-01-31")
    assert r.exit_code == 0 and "06082.HK" in r.stdout and "listing" in r.stdout
    bad = run_cli("calendar", "--from", "2026-01-31", "--to", "2026-01-01")
    assert bad.exit_code == 2 and "before the from date" in bad.stderr
    bad = run_cli("calendar", "--from", "31/01/2026")
    assert bad.exit_code == 2 and "not an ISO date" in bad.stderr
    bad = run_cli("calendar", "--from", "2026-01-01", "--market", "MARS")
    assert bad.exit_code == 2 and "unknown market" in bad.stderr


def test_bad_input_raises_user_error(month_store):
    store, _ = month_store
    with pytest.raises(UserError, match="not an ISO date"):
        calendar(store, "2026-13-01", "2026-12-31")
    assert calendar(store, "9999-12-31").to_dict()["to"] == "9999-12-31"  # the default window stops at the end


# -- the pipeline's stages (the issue-14 contract), with a stand-in pipeline use case ---------------------------------
@dataclass
class _FakePipeline(Result):
    deals: list


def _install_pipeline(monkeypatch, deals):
    import ipolens.app

    fake = types.ModuleType("ipolens.app.pipeline")
    fake.pipeline = lambda store, market=None, stage=None, on=None: _FakePipeline(
        [d for d in deals if market is None or d["market"] == market])
    monkeypatch.setitem(sys.modules, "ipolens.app.pipeline", fake)
    monkeypatch.setattr(ipolens.app, "pipeline", fake, raising=False)


def _deal(name, market, code, stages):
    return {"key": f"deal:{name}", "name": name, "market": market, "code": code, "stage": stages[-1][0],
            "stage_date": stages[-1][1], "next_step": None, "price_range": None, "raise": None, "valuations": [],
            "stages": [{"stage": s, "date": d, "source": src, "doc_ref": None} for s, d, src in
                       ((*x, "user:pipeline-fixture") if len(x) == 2 else x for x in stages)]}


def test_pipeline_stages_become_events_and_repeat_no_fact(month_store, monkeypatch):
    store, _ = month_store
    _install_pipeline(monkeypatch, [
        _deal("Fixture HK Pending", "HK", None, [("a1_filed", "2025-09-01"), ("launched", "2026-03-23"),
                                                 ("priced", "2026-03-26")]),
        # the same listing day the facts give: one event, not two
        _deal("Fixture HK Robotics", "HK", "09876.HK", [("launched", "2026-03-09"), ("listed", "2026-03-17")]),
        # two sources for one pricing day: one event naming both
        _deal("Fixture US Pending", "NASDAQ", None, [("s1_public", "2026-03-02"), ("priced", "2026-03-28"),
                                                     ("priced", "2026-03-28", "news:second-source")]),
    ])
    res = calendar(store, "2026-03-01", "2026-03-31").to_dict()
    assert res["notes"] == []
    piped = [(e["deal"], e["event"], e["date"]) for e in res["events"] if e["origin"] == "pipeline"]
    assert sorted(piped) == [("Fixture HK Pending", "launch", "2026-03-23"),
                             ("Fixture HK Pending", "pricing", "2026-03-26"),
                             ("Fixture HK Robotics", "launch", "2026-03-09"),
                             ("Fixture US Pending", "pricing", "2026-03-28")]
    saturday = next(e for e in res["events"] if e["deal"] == "Fixture US Pending")
    assert saturday["trading_day"] is _is_session("NASDAQ", "2026-03-28") is False
    assert saturday["source"] == "user:pipeline-fixture" and saturday["other_sources"] == ["news:second-source"]
    listings = [e for e in res["events"] if e["event"] == "listing" and "09876" in (e["code"] or "")]
    assert len(listings) == 1 and listings[0]["origin"] == "facts"
    hk_only = calendar(store, "2026-03-01", "2026-03-31", "HK").to_dict()["events"]
    assert {e["market"] for e in hk_only} == {"HK"}


def test_terminal_table_shows_a_share_terms_and_missing(month_store, capsys, monkeypatch):
    from ipolens.report.calendar_terminal import print_calendar

    store, _ = month_store
    monkeypatch.setenv("COLUMNS", "220")
    print_calendar(calendar(store, "2026-03-01", "2026-03-31", "STAR").to_dict())
    out = capsys.readouterr().out
    chips = next(line for line in out.splitlines() if "688999" in line and "787999" in line)
    # 40 / 50 - 1 = -20%; 0.045 stated as a percent, a small probability in four significant digits (0.04500%);
    # money through the one formatter (i18n.format.fmt_value: "CNY 55,000.00")
    assert "-20.00%" in chips and "0.04500%" in chips and "CNY 55,000.00" in chips and "40.00x" in chips
    optics = [line for line in out.splitlines() if "688998" in line and "Fixture STAR Optics" in line]
    assert optics and "missing" in optics[-1]


def test_a_board_by_another_name_keeps_its_exchange_calendar_and_a_share_columns():
    """A listing whose market name is not (or not yet) in markets.yaml (a ChiNext deal from a provider, say) is
    checked on the calendar of its key's exchange (SZ -> XSHG in markets.yaml) and keeps the A-share columns."""
    s = Store(":memory:")
    try:
        with s.write() as led:
            led.add_source(FIXTURE_SOURCE)
            led.add_entities([Entity("SZ:301999", "listing", market="CHINEXT", code="301999",
                                     name_en="Fixture ChiNext Motors")])
            led.add_facts([Fact("SZ:301999", "subscription_date", FIXTURE_SOURCE.id, text="2026-03-11"),
                           Fact("SZ:301999", "issue_pe", FIXTURE_SOURCE.id, value=30.0)])
        (e,) = calendar(s, "2026-03-01", "2026-03-31").to_dict()["events"]
    finally:
        s.close()
    assert e["calendar"] == "XSHG" and e["trading_day"] is _is_session("STAR", "2026-03-11") is True
    assert e["issue_pe"]["value"] == 30.0 and e["industry_pe"] is None and e["issue_pe_vs_industry_pct"] is None


def test_pipeline_events_carry_the_deals_offer_price_and_the_stage_note(store):
    # read from the shipped pipeline.yaml: SpaceX was priced on 2026-06-12 and a source gives its offer price
    import yaml

    shipped = yaml.safe_load((Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"
                              / "pipeline.yaml").read_text(encoding="utf-8"))
    spacex = next(d for d in shipped["deals"] if d["deal"] == "SpaceX")
    price = next(f for f in spacex["facts"] if f["field"] == "offer_price")
    events = [e for e in calendar(store, "2026-06-01", "2026-06-30").to_dict()["events"]
              if e["origin"] == "pipeline" and e["deal"] == "SpaceX"]
    assert events, "SpaceX's pricing stage should be a pipeline event"
    for e in events:
        assert (e["offer_price"]["value"], e["offer_price"]["currency"]) == (float(price["value"]), price["currency"])
        assert "note" in e


def test_a_stage_note_reaches_the_event(month_store, monkeypatch):
    store, _ = month_store
    deal = _deal("Fixture HK Noted", "HK", None, [("a1_filed", "2025-09-01"), ("launched", "2026-03-23")])
    deal["stages"][-1]["note"] = "launch per the prospectus cover (fixture)"
    _install_pipeline(monkeypatch, [deal])
    ev = next(e for e in calendar(store, "2026-03-01", "2026-03-31").to_dict()["events"] if e["origin"] == "pipeline")
    assert ev["note"] == "launch per the prospectus cover (fixture)"
