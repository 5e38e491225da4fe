"""The market report's pipeline section: the deals of the report's market from the pipeline use case (a stand-in
with the issue-14 contract's shape here, the real one when installed), every valuation claim with its source, and
the sources table."""
from __future__ import annotations

import html as htmllib
import re
import sys
import types
from dataclasses import dataclass

import pytest

from ipolens.app.base import Result
from ipolens.ledger.model import Source
from ipolens.report import market_report
from ipolens.report.pipeline import render_pipeline

CLAIM_SOURCE = Source("user:pipeline-report-fixture", "user", "Hand-made pipeline fixture for the report test")


@dataclass
class _Pipeline(Result):
    deals: list


def _deal(name, market, valuations, stage="hearing_passed", stage_date="2026-01-20"):
    return {"key": f"deal:{name}", "name": name, "market": market, "code": None, "stage": stage,
            "stage_date": stage_date, "next_step": "phip", "price_range": None,
            "raise": {"value": 2.5e9, "currency": "HKD", "qualifier": "about", "source": CLAIM_SOURCE.id},
            "valuations": valuations,
            "stages": [{"stage": "a1_filed", "date": "2025-10-01", "source": CLAIM_SOURCE.id, "doc_ref": None},
                       {"stage": stage, "date": stage_date, "source": CLAIM_SOURCE.id, "doc_ref": None}]}


DEALS = [
    _deal("Fixture HK Pending", "HK", [
        {"value": 3.0e10, "currency": "HKD", "as_of": "2025-06-30", "kind": "private_round", "qualifier": "exact",
         "source": CLAIM_SOURCE.id, "quote": None},
        {"value": 4.0e10, "currency": "HKD", "as_of": "2026-01-05", "kind": "rumour", "qualifier": "about",
         "source": "news:not-in-ledger", "quote": "valued at about HK$40bn"},
        {"value": 3.5e10, "value_high": 4.5e10, "currency": "HKD", "as_of": None, "date_note": "no printed date",
         "kind": "rumour", "qualifier": "range", "source": CLAIM_SOURCE.id, "quote": None}]),
    _deal("Fixture HK Quiet", "HK", []),
    _deal("Fixture US Pending", "NASDAQ", [
        {"value": 1.0e11, "currency": "USD", "as_of": "2026-02-01", "kind": "rumour", "qualifier": "about",
         "source": CLAIM_SOURCE.id, "quote": None}], stage="drs_confidential"),
]


def _install(monkeypatch, deals):
    import ipolens.app

    fake = types.ModuleType("ipolens.app.pipeline")
    fake.pipeline = lambda store, market=None, stage=None: _Pipeline(
        [d for d in deals if market is None or d["market"] == market])
    monkeypatch.setitem(sys.modules, "ipolens.app.pipeline", fake)
    monkeypatch.setattr(ipolens.app, "pipeline", fake, raising=False)


def _section(page: str) -> str:
    m = re.search(r"<h2 id=pipeline>.*?(?=<h2>)", page, re.S)
    assert m, "no pipeline section"
    return m.group(0)


def test_market_report_has_the_pipeline_section_with_every_claim_and_its_source(fresh_store, monkeypatch):
    with fresh_store.write() as led:
        led.add_source(CLAIM_SOURCE)
    _install(monkeypatch, DEALS)
    sec = _section(market_report(fresh_store, "HK", 2026).html)
    own, other = sec.split("<h3 id=pipeline-other>")
    # the report's market first, in the use case's order; the other markets' deals after, with their market
    assert re.findall(r'<tr data-deal="([^"]+)">', own) == ["Fixture HK Pending", "Fixture HK Quiet"]
    assert re.findall(r'<tr data-deal="([^"]+)"><td>[^<]*</td><td>([^<]*)</td>', other) == [
        ("Fixture US Pending", "NASDAQ")]
    claims = re.findall(r'<li data-kind="([^"]+)">(.*?)</li>', own, re.S)
    assert [k for k, _ in claims] == ["private_round", "rumour", "rumour"]  # side by side, not merged
    assert "HKD 30.00bn" in claims[0][1] and CLAIM_SOURCE.id in claims[0][1] and "2025-06-30" in claims[0][1]
    assert "HKD 40.00bn" in claims[1][1] and "news:not-in-ledger" in claims[1][1] and "about" in claims[1][1]
    assert "valued at about HK$40bn" in htmllib.unescape(claims[1][1])
    assert "HKD 35.00bn – HKD 45.00bn" in claims[2][1] and "no printed date" in claims[2][1]
    quiet = re.search(r'<tr data-deal="Fixture HK Quiet">.*?</tr>', own, re.S).group(0)
    assert "not on file" in quiet  # no valuation claims: shown as missing
    # the sources: the fixture source described from the ledger, the unknown one said to be absent
    assert CLAIM_SOURCE.title in sec
    assert re.search(r"news:not-in-ledger</code></td><td colspan=4 class=missing>source record not in the ledger", sec)


def test_other_markets_are_capped_and_counted(fresh_store, monkeypatch):
    from ipolens.report.pipeline import MAX_OTHER, pipeline_section_data

    many = [_deal(f"Fixture US {i:02d}", "NASDAQ", []) for i in range(MAX_OTHER + 3)]
    _install(monkeypatch, [DEALS[0], *many])
    data = pipeline_section_data(fresh_store, "HK")
    assert [d["name"] for d in data["other_deals"]] == [d["name"] for d in many[:MAX_OTHER]]
    assert data["left_out"] == {"NASDAQ": 3}
    assert "NASDAQ 3" in render_pipeline(data)


def test_trillions_read_as_trillions():
    from ipolens.report.common import fmt_num

    assert fmt_num(1.75e12, "USD") == "USD 1.75tn" and fmt_num(8.0e11, "USD") == "USD 800.00bn"


def test_render_pipeline_in_chinese_and_empty_market():
    import pandas as pd

    out = render_pipeline({"market": "STAR", "deals": [], "other_deals": [], "left_out": {"HK": 2},
                           "sources": pd.DataFrame(), "unavailable": None}, "zh")
    assert "暂无 科创板 的排队项目" in out and "港股 2" in out  # market names translated


def test_report_section_matches_the_real_pipeline_use_case(store):
    """The default market report (HK) against the installed pipeline use case: every deal (its market's first, then
    the others up to the cap) and every valuation claim's source."""
    from ipolens.report.pipeline import MAX_OTHER

    import ipolens.app.pipeline as pl
    deals = pl.pipeline(store).to_dict()["deals"]
    sec = _section(market_report(store, "HK", 2026).html)
    shown = [d for d in deals if d["market"] == "HK"] + [d for d in deals if d["market"] != "HK"][:MAX_OTHER]
    assert re.findall(r'<tr data-deal="([^"]+)">', sec) == [htmllib.escape(d["name"]) for d in shown]
    for d in shown:
        for v in d["valuations"]:
            assert htmllib.escape(v["source"]) in sec
