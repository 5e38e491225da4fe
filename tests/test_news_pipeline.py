"""News claims about pipeline deals (issue 14 item 7): linked to the deal, a stage's day compared with the deal's
stage rows, valuations and raises with the deal's facts of the same kind and date, and two articles' values of one
deal on one day with each other.

The snippets are our own wording. Expected verdicts are worked by hand from src/ipolens/data/embedded/pipeline.yaml
(every source there is graded UNCONFIRMED in sources.yaml, so a disagreement with it is a tension at most) and, for
the HK and A-share stages, from the stage events the tests write themselves.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from ipolens.app import news
from ipolens.ledger import pipeline as lp
from ipolens.ledger.model import Source
from ipolens.ledger.pipeline_rules import regimes, valuation_fields
from ipolens.ledger.queries import news as news_q
from ipolens.news import ledger_check
from ipolens.news.roles import LEXICON_PATH


def _check(store, text: str, published: str, name: str = "snippet"):
    return news.check_text(store, text, published=published, name=name)


def _claim(res, metric: str) -> dict:
    hits = [c for c in res.claims if c["metric"] == metric]
    assert hits, (metric, [(c["metric"], c["quote"]) for c in res.claims])
    return hits[0]


def _findings(res, check: str, claim_id: str) -> list[dict]:
    return [f for f in res.findings if f["check"] == check and f["claims"][0] == claim_id]


# -- the vocabulary is data: its stage codes and kinds exist where they are used ---------------------------------------
def test_every_stage_a_claim_can_name_is_a_stage_of_its_regime_and_every_kind_has_fields():
    vocab = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))["deal_claims"]
    rs = regimes()
    for metric, by_regime in vocab["stage_dates"].items():
        for regime, codes in by_regime.items():
            assert set(codes) <= set(rs[regime].stages), (metric, regime, codes)
    kinds = set(valuation_fields().values()) | set(vocab["raise_fields"])
    for metric, spec in vocab["values"].items():
        assert {spec["before"], spec["after"]} <= kinds, metric
    assert set(vocab["soft_kinds"]) <= kinds
    # the two layers name the pseudo-fields of the candidate frame alike
    assert ledger_check.DEAL_FIELDS == news_q.DEAL_FIELDS


# -- linking ---------------------------------------------------------------------------------------------------------
def test_a_company_and_a_deal_ticker_both_link_to_the_deal(store):
    with store.read() as led:
        ctx = news_q.deal_context(led, ["CO:spacex", "DEAL:NASDAQ:spacex", "HK:06082"])
    links = ctx[ctx["field"] == news_q.DEAL_LINK]
    # pipeline.yaml: deal SpaceX on NASDAQ; its company is the CO:spacex the articles name; Biren is no pipeline deal
    assert sorted(zip(links["entity"], links["deal"])) == [("CO:spacex", "DEAL:NASDAQ:spacex"),
                                                          ("DEAL:NASDAQ:spacex", "DEAL:NASDAQ:spacex")]
    stages = ctx[(ctx["field"] == news_q.DEAL_STAGE) & (ctx["entity"] == "CO:spacex")]
    # nine stage rows in pipeline.yaml, all from sources graded UNCONFIRMED
    assert len(stages) == 9 and stages["unconfirmed"].all()


def test_a_name_another_entity_holds_links_through_its_aliases(fresh_store):
    from ipolens.ledger.model import Entity

    src = Source("user:test-zeta", "user", "test stage events")
    with fresh_store.write() as led:
        # a listing whose alias is the deal's name; no code or company links them
        led.add_entities([Entity("HK:09999", "listing", "HK", "09999.HK", "Zeta Robotics Holdings", None)])
        led.insert_frame("aliases", pd.DataFrame([("zetarobotics", "HK:09999")], columns=["alias", "entity"]),
                         ignore=True)
        lp.write_stage_events(led, pd.DataFrame([{"deal": "Zeta Robotics", "market": "HK", "code": None,
                                                  "stage": "a1_filed", "date": "2025-05-12", "doc_ref": None,
                                                  "quote": None}]), src)
    with fresh_store.read() as led:
        ctx = news_q.deal_context(led, ["HK:09999"])
    assert set(ctx.loc[ctx["field"] == news_q.DEAL_LINK, "deal"]) == {"DEAL:HK:zeta-robotics"}


def test_news_check_lists_the_deal_with_its_stage(store):
    res = _check(store, "SpaceX于2026年4月1日秘密递交上市申请。", "2026-04-02")
    # pipeline.yaml: the last stage rows are priced and listed on 2026-06-12
    assert [(d["key"], d["stage"], d["stage_date"]) for d in res.deals] == [
        ("DEAL:NASDAQ:spacex", "listed", "2026-06-12")]
    assert res.to_dict()["deals"][0]["claims"] == [_claim(res, "confidential_filing_date")["id"]]
    assert "deal DEAL:NASDAQ:spacex" in _claim(res, "confidential_filing_date")["notes"]


def test_claims_about_a_company_with_no_deal_are_not_linked(store):
    res = _check(store, "壁仞科技于2026年1月2日在港交所上市，估值约855亿港元。", "2026-01-05")
    assert res.deals == [] and not [f for f in res.findings if f["check"].startswith("deal")]


# -- stages ----------------------------------------------------------------------------------------------------------
def test_a_confidential_filing_on_the_ledger_day_is_consistent(store):
    res = _check(store, "SpaceX于2026年4月1日秘密递交上市申请。", "2026-04-02")
    c = _claim(res, "confidential_filing_date")
    # pipeline.yaml: drs_confidential 2026-04-01 (web:2026-04-02-hypersinc-spacex-drs)
    assert c["verdict"] == "consistent"
    assert "web:2026-04-02-hypersinc-spacex-drs" in _findings(res, "deal_stage", c["id"])[0]["why"]


def test_an_english_s1_filing_matches_the_public_filing_row(store):
    res = _check(store, "SpaceX filed its S-1 registration statement on May 20, 2026.", "2026-05-21")
    c = _claim(res, "filing_date")
    # a US filing is the draft or the public S-1: s1_public 2026-05-20 in pipeline.yaml
    assert c["verdict"] == "consistent" and "s1_public on 2026-05-20" in c["why"]


def test_a_filing_day_that_differs_is_a_tension_citing_both_sources(store):
    res = _check(store, "Anthropic於2026年5月28日以保密方式提交上市申請。", "2026-06-02")
    c = _claim(res, "confidential_filing_date")
    f = _findings(res, "deal_stage", c["id"])[0]
    # pipeline.yaml: drs_confidential 2026-06-01 from two sources; 5-28 is neither: a tension, never inconsistent
    assert c["verdict"] == "tension" and f["verdict"] == "tension"
    assert "2026-06-01" in f["why"] and "web:2026-06-01-ft-anthropic-ipo" in f["why"]
    assert "web:2026-06-01-plutonicrainbows-anthropic" in f["why"]


def test_the_listing_day_is_compared_with_the_listed_row(store):
    res = _check(store, "SpaceX于2026年6月12日在纳斯达克上市。", "2026-06-13")
    assert _claim(res, "listing_date")["verdict"] == "consistent"
    res = _check(store, "SpaceX于2026年6月11日在纳斯达克上市。", "2026-06-13")
    assert _claim(res, "listing_date")["verdict"] == "tension"


def test_a_hearing_names_no_stage_of_a_us_deal(store):
    res = _check(store, "Anthropic於2026年6月1日通過上市聆訊。", "2026-06-02")
    c = _claim(res, "hearing_passed_date")
    assert c["verdict"] == "unverifiable" and "names no stage of a US deal" in c["why"]


@pytest.fixture()
def hk_and_star_deals(fresh_store):
    """Two invented deals walked through their first stages (stage events written for the test, not data); the HK
    hearing falls inside the six months before the A1 filing lapses."""
    src = Source("user:test-stage-events", "user", "test stage events")
    events = pd.DataFrame([
        {"deal": "Example Robotics", "market": "HK", "stage": "a1_filed", "date": "2025-05-12"},
        {"deal": "Example Robotics", "market": "HK", "stage": "hearing_passed", "date": "2025-09-18"},
        {"deal": "Sample Photonics", "market": "STAR", "stage": "accepted", "date": "2025-03-03"},
        {"deal": "Sample Photonics", "market": "STAR", "stage": "inquiry", "date": "2025-03-28"},
        {"deal": "Sample Photonics", "market": "STAR", "stage": "committee_passed", "date": "2025-09-05"},
    ]).assign(code=None, doc_ref=None, quote=None)
    with fresh_store.write() as led:
        lp.write_stage_events(led, events, src)
    return fresh_store


def test_hk_filing_and_hearing_days(hk_and_star_deals):
    res = _check(hk_and_star_deals, "Example Robotics已於2025年5月12日向聯交所遞表，並於2025年9月19日通過上市聆訊。",
                 "2025-09-20")
    assert _claim(res, "filing_date")["verdict"] == "consistent"  # a1_filed 2025-05-12
    hearing = _claim(res, "hearing_passed_date")
    assert hearing["verdict"] == "tension" and "hearing_passed on 2025-09-18" in hearing["why"]


def test_a_star_committee_approval_is_the_committee_passed_row(hk_and_star_deals):
    res = _check(hk_and_star_deals, "Sample Photonics于2025年9月5日首发过会。", "2025-09-06")
    c = _claim(res, "listing_committee_approval_date")
    assert c["verdict"] == "consistent" and "committee_passed on 2025-09-05" in c["why"]


# -- valuations and raises -------------------------------------------------------------------------------------------
def test_more_than_one_trillion_is_consistent_with_one_point_seven_five(store):
    res = _check(store, "据报道，SpaceX寻求的IPO估值超1万亿美元。", "2026-06-01")
    c = _claim(res, "valuation")
    # before pricing (2026-06-12): a rumour; pipeline.yaml 2026-06-01: 1.75e12 exact (FT). 超1万亿 = (1e12, ∞) holds it
    assert c["verdict"] == "consistent"
    f = _findings(res, "deal_value", c["id"])[0]
    assert "ipo_valuation_reported" in f["why"] and "web:2026-06-01-ft-anthropic-ipo" in f["why"]


def test_a_rumour_far_from_the_ledger_is_a_tension_not_inconsistent(store):
    res = _check(store, "据报道，SpaceX的IPO估值约1.2万亿美元。", "2026-06-03")
    c = _claim(res, "valuation")
    # 约1.2万亿 = [1.14e12, 1.26e12]; pipeline.yaml 2026-06-03: about 1.75e12 = [1.6625e12, 1.8375e12]: disjoint,
    # but a rumour from a source graded UNCONFIRMED
    assert c["verdict"] == "tension"
    assert not [f for f in res.findings if f["verdict"] == "inconsistent"]


def test_a_rumour_is_compared_with_values_of_its_own_time_only(store):
    # pipeline.yaml has SpaceX rumours of 2026-04-02, 06-01 and 06-03 only: an article of 2026-02-10 meets none of
    # them within a week, and the January article's range (news:2026-01-icefire-overview) is undated
    res = _check(store, "据报道，SpaceX的IPO估值约1.75万亿美元。", "2026-02-10")
    why = _claim(res, "valuation")["why"]
    assert "web:2026-04-02" not in why and "web:2026-06-0" not in why


def test_planned_raises(store):
    res = _check(store, "OpenAI拟募资600亿美元。", "2026-06-09")
    c = _claim(res, "proceeds_planned")
    # pipeline.yaml: funds_raised_planned 60e9 (web:emploi1-openai-1t-reuters, undated)
    assert c["verdict"] == "consistent" and "funds_raised_planned" in c["why"]
    res = _check(store, "OpenAI拟募资800亿美元。", "2026-06-09")
    assert _claim(res, "proceeds_planned")["verdict"] == "tension"


def test_an_english_planned_raise_is_read_as_planned(store):
    res = _check(store, "SpaceX is planning to raise up to $75 billion in its listing.", "2026-04-02")
    c = _claim(res, "proceeds_planned")
    # pipeline.yaml 2026-04-02: funds_raised_planned at most 75e9
    assert c["value"] == 75e9 and c["verdict"] == "consistent"


def test_a_valuation_of_a_funding_round_is_a_private_round(store):
    res = _check(store, "OpenAI在最新一轮融资中的估值为8520亿美元。", "2026-06-09")
    c = [c for c in res.claims if c["value"] == 852e9][0]
    f = _findings(res, "deal_value", c["id"])[0]
    # pipeline.yaml: private_valuation 852e9 (2026-03-31, 2026-06-01 and undated)
    assert f["verdict"] == "consistent" and "private round" in f["why"] and "private_valuation" in f["why"]


def test_after_pricing_a_valuation_is_the_priced_one(store):
    res = _check(store, "At its IPO price, SpaceX was valued at $1.77 trillion.", "2026-06-15")
    c = [c for c in res.claims if c["value"] == 1.77e12][0]
    f = _findings(res, "deal_value", c["id"])[0]
    # pipeline.yaml: market_cap_at_offer 1.77e12 (web:agentgazette-spacex-135-1-77t), priced 2026-06-12
    assert f["verdict"] == "consistent" and "priced" in f["why"] and "market_cap_at_offer" in f["why"]
    res = _check(store, "At its IPO price, SpaceX was valued at $1.6 trillion.", "2026-06-15")
    c = [c for c in res.claims if c["value"] == 1.6e12][0]
    # disjoint, but the ledger's value is undated and graded UNCONFIRMED: a tension
    assert _findings(res, "deal_value", c["id"])[0]["verdict"] == "tension"


# -- across articles -------------------------------------------------------------------------------------------------
def test_two_articles_valuations_of_one_deal_on_one_day(store, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("SpaceX\n\nSpaceX's IPO valuation is about $1.75 trillion, people familiar said.\n", encoding="utf-8")
    b.write_text("SPCX\n\n据报道，SPCX的IPO估值约为1.5万亿美元。\n", encoding="utf-8")
    res = news.check_files(store, [a, b], published="2026-06-03")
    across = [f for f in res.findings if f["check"] == "deal_across"]
    # one deal (CO:spacex and the ticker SPCX both link to it), one day: about 1.75e12 = [1.6625e12, 1.8375e12] and
    # 约1.5e12 = [1.425e12, 1.575e12] are disjoint; rumours, so a tension for each claim
    assert len(across) == 2 and {f["verdict"] for f in across} == {"tension"}
    b.write_text("SPCX\n\n据报道，SPCX的IPO估值约为1.8万亿美元。\n", encoding="utf-8")
    res = news.check_files(store, [a, b], published="2026-06-03")
    # 约1.8e12 = [1.71e12, 1.89e12] overlaps
    assert {f["verdict"] for f in res.findings if f["check"] == "deal_across"} == {"consistent"}


def test_two_articles_of_different_days_are_not_compared(store, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("SpaceX\n\nSpaceX's IPO valuation is about $1.75 trillion, people familiar said.\n", encoding="utf-8")
    b.write_text("SPCX\n\n2026年4月2日，据报道SPCX的IPO估值约为1.5万亿美元。\n", encoding="utf-8")
    res = news.check_files(store, [a, b], published="2026-06-03")
    assert [c["date"] for c in res.claims if c["metric"] == "valuation"] == [None, "2026-04-02"]
    assert not [f for f in res.findings if f["check"] == "deal_across"]


def test_deal_context_is_empty_without_deals(fresh_store):
    with fresh_store.read() as led:
        assert news_q.deal_context(led, ["HK:06082"]).empty
        assert news_q.deal_context(led, []).empty


def test_the_value_kind_follows_the_pricing_day():
    spec = {"before": "planned_raise", "after": "raise"}
    stages = pd.DataFrame([{"stage": "priced", "as_of": dt.date(2026, 6, 12)}])

    class C:
        quote = "raised $75 billion"
        date = None
        _ref = "2026-06-20"

    assert ledger_check._value_kind(C, spec, stages) == "raise"
    C._ref = "2026-06-01"
    assert ledger_check._value_kind(C, spec, stages) == "planned_raise"
    C._ref = None
    assert ledger_check._value_kind(C, spec, stages) is None  # undated after a pricing: unknown


def test_the_plain_ledger_check_is_never_inconsistent_against_an_unconfirmed_source(store):
    res = _check(store, "SPCX的发行价为每股140美元。", "2026-06-13")
    c = _claim(res, "offer_price")
    # the ticker names the deal; pipeline.yaml: offer_price 135 USD (web:strasmore-spcx-first-month, UNCONFIRMED):
    # 140 ± 0.5 misses it, a tension
    assert c["entity_key"] == "DEAL:NASDAQ:spacex" and c["verdict"] == "tension"
    assert "graded UNCONFIRMED" in c["why"]
    assert _claim(_check(store, "SPCX的发行价为每股135美元。", "2026-06-13"), "offer_price")["verdict"] == "consistent"
