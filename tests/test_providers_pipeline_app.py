"""The pipeline fetch use cases and commands on recorded fixtures: stages land through the stage writer (in order,
idempotent), offer terms and calendar rows as facts; offline, the commands fail fast with "no network"."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ipolens.data.providers import base
from ipolens.data.providers.replay import ReplayTransport
from ipolens.data.providers.replay_json import JsonReplayTransport

FIX = Path(__file__).parent / "fixtures" / "providers"
HK_FEEDS = {"active": None, "phip": "appactive_appphip_sehk_e", "inactive": "appinactive_sehk_e",
            "listed": "applisted_sehk_e", "returned": "appreturned_sehk_e"}
DOCS = {"0001193125-26-000301": "offering_document_s1a.json", "0001193125-26-000412": "offering_document_424b4.json"}


@pytest.fixture()
def overrides(monkeypatch):
    monkeypatch.setattr(base, "_OVERRIDES", {})
    monkeypatch.setattr(base, "_PROBED", set())
    return base.set_transport


def _edgar(function: str, kwargs: dict) -> Path:
    if function == "company_filings":
        return FIX / "edgar" / f"company_filings_{kwargs['company']}.json"
    return FIX / "edgar" / DOCS[kwargs["accession"]]


def _hk(function: str, kwargs: dict) -> Path:
    name = HK_FEEDS[kwargs["feed"]] or "appactive_appphip_sehk_e"  # the active list holds the same applicants
    return FIX / "hkexnews" / f"{name}.json"


def _stages(store, deal_key: str) -> list[tuple[str, str, str]]:
    with store.read() as led:
        rows = led.con.execute("SELECT stage, CAST(date AS VARCHAR), source_id FROM deal_stages WHERE deal = ? "
                               "ORDER BY date, stage", [deal_key]).fetchall()
    return [tuple(r) for r in rows]


def _fact(store, entity: str, field: str):
    with store.read() as led:
        return led.con.execute("SELECT value_num, value_text, currency, qualifier, source_id FROM facts WHERE "
                               "entity = ? AND field = ? ORDER BY source_id", [entity, field]).fetchall()


def test_fetch_filings_writes_stages_and_offer_terms(fresh_store, overrides):
    from ipolens.app.fetch_pipeline import fetch_filings

    overrides("edgar", JsonReplayTransport(_edgar))
    res = fetch_filings(fresh_store, ["EXRK"])
    assert not res.failures, res.failures
    key = "DEAL:NASDAQ:example-rocketry-corp"
    stages = _stages(fresh_store, key)
    assert [(s, d) for s, d, _ in stages] == [
        ("drs_confidential", "2026-01-15"), ("s1_public", "2026-03-02"), ("price_range", "2026-03-16"),
        ("s1_amended", "2026-03-16"), ("s1_amended", "2026-03-23"), ("effective", "2026-03-25"),
        ("priced", "2026-03-27")]
    assert _fact(fresh_store, key, "offer_price") == [(17.0, None, "USD", "exact", "edgar:0001193125-26-000412")]
    assert _fact(fresh_store, key, "offer_price_low")[0][:3] == (14.0, None, "USD")
    assert _fact(fresh_store, key, "proceeds_gross")[0][0] == 170_000_000
    assert _fact(fresh_store, key, "funds_raised_planned")[0][:4] == (184_000_000, None, "USD", "at_most")
    again = fetch_filings(fresh_store, ["EXRK"])
    assert again.added == 0 and not again.failures  # a re-run adds nothing


def test_fetch_pipeline_hk_writes_every_feed(fresh_store, overrides):
    from ipolens.app.fetch_pipeline import fetch_pipeline

    overrides("hkexnews", JsonReplayTransport(_hk))
    res = fetch_pipeline(fresh_store, "HK")
    assert not res.failures, res.failures
    robotics = _stages(fresh_store, "DEAL:HK:example-robotics-holdings-limited")
    assert [(s, d) for s, d, _ in robotics] == [("a1_filed", "2025-06-02"), ("a1_refiled", "2025-12-02"),
                                                ("phip", "2025-12-22")]
    assert ("lapsed", "2025-09-30") in [(s, d) for s, d, _ in _stages(fresh_store, "DEAL:HK:example-lapsed-ai-limited")]
    with fresh_store.read() as led:
        listing = led.con.execute("SELECT listing FROM deals WHERE deal = 'DEAL:HK:example-listed-chips-limited'"
                                  ).fetchall()
    assert listing == [("HK:02999",)]
    assert fetch_pipeline(fresh_store, "HK").added == 0


def test_fetch_pipeline_star_joins_review_and_calendar_under_one_deal(fresh_store, overrides):
    from ipolens.app.fetch_pipeline import fetch_pipeline

    overrides("akshare", ReplayTransport({
        "stock_register_kcb": FIX / "akshare_pipeline/stock_register_kcb.csv",
        "stock_ipo_review_em": FIX / "akshare_pipeline/stock_ipo_review_em.csv",
        "stock_xgsglb_em": FIX / "akshare_pipeline/stock_xgsglb_em_all.csv"}))
    res = fetch_pipeline(fresh_store, "STAR")
    assert not res.failures, res.failures
    stages = {(s, d) for s, d, _ in _stages(fresh_store, "DEAL:STAR:示例芯片科技股份有限公司")}
    # 受理 and 注册生效 (register list), 上会通过 and 上市 (committee list), 申购 and 上市 (calendar, by its short name)
    assert stages == {("accepted", "2025-06-20"), ("committee_passed", "2025-12-05"), ("registered", "2026-03-10"),
                      ("subscription", "2026-04-08"), ("listed", "2026-04-17")}
    assert any("复审中" in line for line in res.lines)
    calendar = "dataset:akshare-eastmoney-new-shares"
    assert _fact(fresh_store, "SH:688991", "subscription_code") == [(None, "787991", None, "exact", calendar)]
    assert _fact(fresh_store, "SH:688991", "subscription_min_market_value")[0][:3] == (50_000, None, "CNY")
    assert _fact(fresh_store, "SH:688991", "lottery_rate")[0][0] == 0.042112
    assert _fact(fresh_store, "SZ:301999", "subscription_code") == []  # a ChiNext row: not asked for


def test_an_out_of_order_deal_is_reported_and_the_others_stored(fresh_store, overrides):
    from ipolens.app.fetch_pipeline import store_stage_events
    from ipolens.data.providers.pipeline_models import StageEvent
    from ipolens.data.providers.pipeline_sink import pipeline_source
    import datetime as dt

    events = [StageEvent("Example Good", "NASDAQ", "s1_public", dt.date(2026, 1, 5)),
              StageEvent("Example Good", "NASDAQ", "priced", dt.date(2026, 2, 5)),
              StageEvent("Example Bad", "NASDAQ", "priced", dt.date(2026, 1, 5)),
              StageEvent("Example Bad", "NASDAQ", "drs_confidential", dt.date(2026, 2, 5))]
    added, failures = store_stage_events(fresh_store, events, pipeline_source("edgar"))
    assert added == 2 and len(failures) == 1 and failures[0].startswith("Example Bad:")
    assert _stages(fresh_store, "DEAL:NASDAQ:example-bad") == []


def test_fetch_allotment_from_a_saved_announcement(fresh_store, overrides, tmp_path):
    from ipolens.app.fetch_pipeline import fetch_allotment

    url = "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0113/2026011300050.pdf"
    overrides("hkexnews", JsonReplayTransport({"allotment_results": FIX / "hkexnews/allotment_results_02999.txt"}))
    res = fetch_allotment(fresh_store, url)
    assert not res.failures and res.source_id == "hkexnews:2026011300050"
    assert _fact(fresh_store, "HK:02999", "offer_price")[0][:3] == (25.8, None, "HKD")
    assert _fact(fresh_store, "HK:02999", "one_lot_success_rate")[0][0] == pytest.approx(5.0)
    assert _fact(fresh_store, "HK:02999", "public_applicants")[0][0] == 438512
    assert _stages(fresh_store, "DEAL:HK:example-chips")[0][:2] == ("allotted", "2026-01-13")


# -- the commands ---------------------------------------------------------------------------------------------------
def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture()
def cli(tmp_path, monkeypatch, overrides):
    from typer.testing import CliRunner

    from ipolens.cli import app
    from ipolens.cli import live, live_pipeline

    if not any(c.name == "pipeline" for c in live.fetch_app.registered_commands):
        live_pipeline.register(app)  # until cli/__init__.py lists the module
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("IPOLENS_NO_LIVE", raising=False)
    monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{_closed_port()}")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("args", [("pipeline", "--market", "HK"), ("pipeline", "--market", "STAR"),
                                  ("filings", "EXRK"), ("allotment", "https://www1.hkexnews.hk/x/2026/0113/1.pdf")],
                         ids=lambda a: " ".join(a[:3]))
def test_offline_the_live_commands_fail_fast_with_no_network(cli, args):
    import time

    t = time.monotonic()
    r = cli("fetch", *args)
    assert r.exit_code == 3, r.output
    assert "no network" in " ".join(r.output.split()) and time.monotonic() - t < 15


def test_offline_flag_and_bad_options(cli):
    r = cli("fetch", "pipeline", "--market", "HK", "--offline")
    assert r.exit_code == 0 and "offline: nothing fetched" in r.output
    r = cli("fetch", "pipeline", "--market", "NYSE")
    assert r.exit_code == 2 and "fetch filings" in r.output


def test_fetch_filings_command_on_the_recording(cli):
    base.set_transport("edgar", JsonReplayTransport(_edgar))
    r = cli("fetch", "filings", "EXRK")
    assert r.exit_code == 0, r.output
    assert "EXRK: 7 stage(s) (drs_confidential 2026-01-15" in " ".join(r.output.split())


def test_online_without_edgartools_names_the_package(cli, monkeypatch):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{server.getsockname()[1]}")  # reachable: "online"
    monkeypatch.setenv("IPOLENS_NO_LIVE", "1")
    try:
        r = cli("fetch", "filings", "EXRK")
    finally:
        server.close()
    assert r.exit_code == 2 and "needs edgartools" in " ".join(r.output.split())
