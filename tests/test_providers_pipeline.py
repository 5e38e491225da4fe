"""Pipeline providers (issue 14): every fetcher passes the conformance test on its recorded fixture, and reads the
vendor's shape as documented. Expected values are read off the fixture files by hand (comments say how)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipolens.data.providers.akshare.pipeline import (NewShareCalendarFetcher, RegisterFetcher, ReviewFetcher,
                                                     calendar_events)
from ipolens.data.providers.base import ProviderError, check_fetcher
from ipolens.data.providers.edgar.fetchers import FilingHistoryFetcher, OfferTermsFetcher
from ipolens.data.providers.edgar.parse import price_range, shares_offered
from ipolens.data.providers.hkexnews.fetchers import AllotmentResultsFetcher, ApplicationsFetcher
from ipolens.data.providers.hkexnews.parse import add_months, allotment
from ipolens.data.providers.pipeline_models import (AllotmentResult, CalendarEntry, OfferTerms, StageEvent,
                                                    stage_frame)
from ipolens.data.providers.replay import ReplayTransport
from ipolens.data.providers.replay_json import JsonReplayTransport, load_json_recording

FIX = Path(__file__).parent / "fixtures" / "providers"
D = dt.date
ALLOTMENT_URL = "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0113/2026011300050.pdf"

# (fetcher, replay transport class, recording, params, model)
PIPELINE_CASES = [
    (RegisterFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_register_kcb.csv", {"market": "STAR"},
     StageEvent),
    (ReviewFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_ipo_review_em.csv", {}, StageEvent),
    (NewShareCalendarFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_xgsglb_em_all.csv", {},
     CalendarEntry),
    (FilingHistoryFetcher, JsonReplayTransport, FIX / "edgar/company_filings_EXRK.json", {"company": "EXRK"},
     StageEvent),
    (OfferTermsFetcher, JsonReplayTransport, FIX / "edgar/offering_document_424b4.json",
     {"accession": "0001193125-26-000412", "market": "NASDAQ"}, OfferTerms),
    (ApplicationsFetcher, JsonReplayTransport, FIX / "hkexnews/appactive_appphip_sehk_e.json", {"feed": "phip"},
     StageEvent),
    (AllotmentResultsFetcher, JsonReplayTransport, FIX / "hkexnews/allotment_results_02999.txt",
     {"ref": ALLOTMENT_URL}, AllotmentResult),
]


def _fetcher(cls, replay, fixture):
    return cls(replay({cls.function: fixture}))


@pytest.mark.parametrize("cls,replay,fixture,params,model", PIPELINE_CASES, ids=[c[0].__name__ for c in PIPELINE_CASES])
def test_conformance(cls, replay, fixture, params, model):
    transport = replay({cls.function: fixture})
    out = check_fetcher(cls(transport), params)
    assert all(isinstance(o, model) for o in out)
    assert transport.calls and transport.calls[0][0] == cls.function


def test_pipeline_fetchers_are_registered():
    from ipolens.data.providers import FETCHERS, fetcher_class

    registered = {fetcher_class(n) for n in FETCHERS if n.split(".")[1] in
                  ("register", "review", "new_share_calendar", "filings", "offer_terms", "applications", "allotment")}
    assert registered == {c[0] for c in PIPELINE_CASES}


def test_json_fixtures_cite_their_documented_shape():
    for p in sorted(FIX.glob("edgar/*.json")) + sorted(FIX.glob("hkexnews/*.json")):
        import json

        assert "https://" in json.loads(p.read_text(encoding="utf-8"))["_doc"], p.name
    assert "_doc" not in load_json_recording(FIX / "edgar/company_filings_EXRK.json")


def test_stage_frame_is_the_writer_contract():
    from ipolens.ledger.pipeline import STAGE_EVENT_COLUMNS

    events = _fetcher(FilingHistoryFetcher, JsonReplayTransport, FIX / "edgar/company_filings_EXRK.json").fetch(
        {"company": "EXRK"})
    df = stage_frame(events)
    assert list(df.columns) == STAGE_EVENT_COLUMNS
    assert df["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all() and (df["quote"].str.len() <= 80).all()


# -- edgar ----------------------------------------------------------------------------------------------------------
def test_edgar_history_walks_drs_to_final_prospectus():
    f = _fetcher(FilingHistoryFetcher, JsonReplayTransport, FIX / "edgar/company_filings_EXRK.json")
    events = f.fetch({"company": "EXRK"})
    # the fixture lists (newest first) DRS 01-15, DRS/A 02-20, S-1 03-02, S-1/A 03-16 and 03-23, CERTNAS and EFFECT
    # 03-25, 424B4 03-27, then a follow-on S-1 on 09-10; the DRS/A is the same stage as the DRS
    assert [(e.stage, e.date) for e in events] == [
        ("drs_confidential", D(2026, 1, 15)), ("s1_public", D(2026, 3, 2)), ("s1_amended", D(2026, 3, 16)),
        ("s1_amended", D(2026, 3, 23)), ("effective", D(2026, 3, 25)), ("priced", D(2026, 3, 27))]
    assert {e.market for e in events} == {"NASDAQ"}  # from the CERTNAS filing
    assert {e.deal for e in events} == {"Example Rocketry Corp"} and {e.code for e in events} == {"EXRK"}
    assert events[-1].doc_ref == "0001193125-26-000412"
    assert any("follow-on" in n for n in f.notes)


def test_edgar_withdrawn_registrant_needs_a_market_then_ends_withdrawn():
    f = _fetcher(FilingHistoryFetcher, JsonReplayTransport, FIX / "edgar/company_filings_EXWD.json")
    with pytest.raises(ProviderError, match="CERTNAS/CERTNYS.*pass the market"):
        f.fetch({"company": "EXWD"})
    events = f.fetch({"company": "EXWD", "market": "nyse", "deal": "Example Withdrawn"})
    assert [(e.stage, e.date, e.market, e.code) for e in events] == [
        ("s1_public", D(2026, 4, 10), "NYSE", None), ("s1_amended", D(2026, 5, 4), "NYSE", None),
        ("withdrawn", D(2026, 6, 30), "NYSE", None)]
    assert events[0].deal == "Example Withdrawn"
    with pytest.raises(ProviderError, match="NASDAQ or NYSE"):
        f.transform_query({"company": "EXWD", "market": "HK"})


def test_edgar_offer_terms_from_the_amendment_and_the_final_prospectus():
    s1a = _fetcher(OfferTermsFetcher, JsonReplayTransport, FIX / "edgar/offering_document_s1a.json").fetch(
        {"accession": "0001193125-26-000301", "market": "NASDAQ"})[0]
    # cover text: "between $14.00 and $16.00"; "We are offering 10,000,000 shares"; fee table 184,000,000
    assert (s1a.price_low, s1a.price_high, s1a.shares, s1a.price) == (14.0, 16.0, 10_000_000, None)
    assert s1a.max_aggregate_offering == 184_000_000 and s1a.filed == D(2026, 3, 16)
    final = _fetcher(OfferTermsFetcher, JsonReplayTransport, FIX / "edgar/offering_document_424b4.json").fetch(
        {"accession": "0001193125-26-000412", "market": "NASDAQ"})[0]
    assert (final.price, final.shares, final.code) == (17.0, 10_000_000, "EXRK")
    assert final.gross_proceeds == 10_000_000 * 17.00  # 170,000,000
    assert final.net_proceeds == 170_000_000 - 10_000_000 * 1.19  # 7% discount: 158,100,000
    assert final.underwriters[0] == "Goldman Sachs & Co. LLC" and len(final.underwriters) == 3
    with pytest.raises(ProviderError, match="accession number"):
        OfferTermsFetcher(JsonReplayTransport({})).transform_query({"accession": "EXRK", "market": "NASDAQ"})
    with pytest.raises(ProviderError, match="'market' parameter is required"):
        OfferTermsFetcher(JsonReplayTransport({})).transform_query({"accession": "0001193125-26-000412"})


@pytest.mark.parametrize("text,expected", [
    ("We expect the initial public offering price to be between $14.00 and $16.00 per share.", (14.0, 16.0)),
    ("the initial public offering price per ADS will be between US$9.50 and US$11.50", (9.5, 11.5)),
    ("assuming an initial public offering price of $15.00 per share, the midpoint of the price range", None),
    ("offering price between $16.00 and $14.00", None),  # inverted: not a range
])
def test_price_range_reader(text, expected):
    assert price_range(text) == expected


def test_shares_offered_reader():
    assert shares_offered("We are offering 12,500,000 American Depositary Shares") == 12_500_000
    assert shares_offered("The selling stockholders are offering shares") is None


# -- AKShare --------------------------------------------------------------------------------------------------------
def test_register_queue_dates_acceptance_and_latest_state():
    f = _fetcher(RegisterFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_register_kcb.csv")
    events = f.fetch({"market": "STAR"})
    chip = [(e.stage, e.date) for e in events if e.deal == "示例芯片科技股份有限公司"]
    assert chip == [("accepted", D(2025, 6, 20)), ("registered", D(2026, 3, 10))]  # row 1: 受理 and 注册生效
    states = {e.deal: e.stage for e in events if e.stage != "accepted"}
    assert states == {"示例芯片科技股份有限公司": "registered", "示例智算股份有限公司": "inquiry",
                      "示例光刻装备股份有限公司": "suspended", "示例存储科技股份有限公司": "committee_passed"}
    assert {e.market for e in events} == {"STAR"}
    assert any("复审中" in n for n in f.notes)  # row 5's state is reported, not guessed
    assert events[0].doc_ref.startswith("https://pdf.dfcfw.com/")


def test_register_all_boards_maps_markets_and_leaves_out_bse():
    f = _fetcher(RegisterFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_register_all_em.csv")
    f._transport = ReplayTransport({"stock_register_all_em": FIX / "akshare_pipeline/stock_register_all_em.csv"})
    events = f.fetch({"market": "ALL"})
    assert {(e.deal, e.market, e.stage) for e in events if e.stage != "accepted"} == {
        ("示例芯片科技股份有限公司", "STAR", "registered"), ("示例智造股份有限公司", "CHINEXT", "terminated")}
    assert any("北交所" in n for n in f.notes)
    with pytest.raises(ProviderError, match="unknown A-share board"):
        f.transform_query({"market": "NYSE"})


def test_committee_decisions_and_listing():
    events = _fetcher(ReviewFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_ipo_review_em.csv").fetch({})
    got = {(e.deal, e.market, e.stage, e.date, e.code) for e in events}
    assert got == {("示例芯片科技股份有限公司", "STAR", "committee_passed", D(2025, 12, 5), "SH:688991"),
                   ("示例芯片科技股份有限公司", "STAR", "listed", D(2026, 4, 17), "SH:688991"),
                   ("示例存储科技股份有限公司", "STAR", "committee_passed", D(2026, 3, 20), None),
                   ("示例智造股份有限公司", "CHINEXT", "committee_deferred", D(2026, 1, 9), None)}
    star = _fetcher(ReviewFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_ipo_review_em.csv").fetch(
        {"market": "CHINEXT"})
    assert {e.deal for e in star} == {"示例智造股份有限公司"}


def test_new_share_calendar_columns_and_units():
    cal = _fetcher(NewShareCalendarFetcher, ReplayTransport, FIX / "akshare_pipeline/stock_xgsglb_em_all.csv").fetch({})
    by = {e.code: e for e in cal}
    chip = by["SH:688991"]
    assert (chip.market, chip.subscription_code, chip.subscription_date, chip.allotment_results_date,
            chip.listing_date) == ("STAR", "787991", D(2026, 4, 8), D(2026, 4, 10), D(2026, 4, 17))
    # SSE: one 500-share unit per 5,000 CNY held, so the cap of 5,000 shares needs 5,000 x 10 = 50,000 CNY (5.0万)
    assert chip.subscription_limit_shares == 5000 and chip.subscription_min_market_value == 5000 * 10
    assert chip.issue_pe is None and chip.industry_pe == 35.12 and chip.lottery_rate == 0.042112
    assert by["SH:603999"].market == "SH" and by["SH:603999"].subscription_min_market_value == 24000 * 10
    ce = by["SZ:301999"]
    assert (ce.market, ce.listing_date, ce.issue_pe, ce.subscription_min_market_value) == \
        ("CHINEXT", None, 22.99, 7000 * 10)
    stages = [(e.deal, e.stage, e.date, e.code) for e in calendar_events(cal) if e.deal == "示例芯片"]
    assert stages == [("示例芯片", "subscription", D(2026, 4, 8), "688991.SH"),
                      ("示例芯片", "listed", D(2026, 4, 17), "688991.SH")]
    t = ReplayTransport({"stock_xgsglb_em": FIX / "akshare_pipeline/stock_xgsglb_em_all.csv"})
    NewShareCalendarFetcher(t).fetch({"market": "CHINEXT"})
    assert t.calls[0][1] == {"symbol": "创业板"}


# -- HKEXnews -------------------------------------------------------------------------------------------------------
def _feed(feed: str, name: str) -> tuple[list[StageEvent], list[str]]:
    f = _fetcher(ApplicationsFetcher, JsonReplayTransport, FIX / f"hkexnews/{name}.json")
    return f.fetch({"feed": feed}), f.notes


def test_hk_active_feed_filing_refiling_and_phip():
    events, notes = _feed("phip", "appactive_appphip_sehk_e")
    robotics = [(e.stage, e.date) for e in events if e.deal.startswith("Example Robotics")]
    # the index's "- B" marker (Chapter 18A) is kept apart from the name
    assert {(e.deal, e.extra["hkex_marker"]) for e in events if e.deal.startswith("Example Robotics")} == \
        {("Example Robotics Holdings Limited", "B")}
    # 1st AP 02/06/2025 (in ps), 2nd AP 02/12/2025, PHIP 22/12/2025 (two files, one stage); OC announcement ignored
    assert robotics == [("a1_filed", D(2025, 6, 2)), ("a1_refiled", D(2025, 12, 2)), ("phip", D(2025, 12, 22))]
    semi = [(e.stage, e.date, e.market) for e in events if e.deal == "Example Semiconductor Co., Ltd."]
    assert semi == [("a1_filed", D(2025, 10, 15), "HK")]
    assert events[0].doc_ref == "https://www1.hkexnews.hk/app/sehk/2025/900101/documents/sehk25060200012.pdf"
    assert notes == []


def test_hk_inactive_feed_dates_a_lapse_by_rule_9_03():
    events, notes = _feed("inactive", "appinactive_sehk_e")
    lapsed = [e for e in events if e.stage == "lapsed"]
    # AP submitted 31 March 2025 + six months: 30 September 2025 (no 31 September)
    assert [(e.deal, e.date) for e in lapsed] == [("Example Lapsed AI Limited", D(2025, 9, 30))]
    withdrawn = [(e.deal, e.date) for e in events if e.stage == "withdrawn"]
    assert withdrawn == [("Example Withdrawn Bio Limited", D(2025, 4, 10))]
    assert any("'ZZ'" in n for n in notes)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28) and add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)


def test_hk_listed_and_returned_feeds():
    listed, _ = _feed("listed", "applisted_sehk_e")
    assert {(e.stage, e.code) for e in listed} == {("a1_filed", "02999.HK"), ("phip", "02999.HK")}
    returned, _ = _feed("returned", "appreturned_sehk_e")
    assert [(e.stage, e.date) for e in returned] == [("a1_filed", D(2025, 9, 1)), ("returned", D(2025, 9, 12))]


def test_hk_chinese_index_labels_and_since():
    feed = {"uDate": "05/01/2026", "app": [{"a": "示例機器人控股有限公司", "ls": [
        {"d": "02/12/2025", "nF": "申請版本（第二次呈交）", "nS1": "全文檔案", "u1": "sehk/2025/1/documents/b_c.pdf"},
        {"d": "22/12/2025", "nF": "聆訊後資料集（第一次呈交）", "nS1": "全文檔案", "u1": "sehk/2025/1/documents/c_c.pdf"},
        {"d": "23/12/2025", "nF": "整體協調人公告－委任", "u1": "sehk/2025/1/documents/d_c.pdf"}],
        "ps": [{"d": "02/06/2025", "nF": "申請版本（第一次呈交）", "u1": "sehk/2025/1/documents/a_c.pdf"}]}]}
    events = ApplicationsFetcher(lambda f, **k: feed).fetch({"feed": "phip"})
    assert [(e.stage, e.date) for e in events] == [("a1_filed", D(2025, 6, 2)), ("a1_refiled", D(2025, 12, 2)),
                                                   ("phip", D(2025, 12, 22))]
    later = ApplicationsFetcher(lambda f, **k: feed).fetch({"feed": "phip", "since": "2025-12-01"})
    assert [e.stage for e in later] == ["a1_refiled", "phip"]


def test_hk_feed_errors_name_the_applicant_and_document():
    bad = {"uDate": "05/01/2026", "app": [{"a": "X Ltd", "ls": [{"d": "2025-06-02", "nF": "Application Proof"}]}]}
    with pytest.raises(ProviderError, match=r"applicant 1, document 1: not a DD/MM/YYYY date"):
        ApplicationsFetcher(lambda f, **k: bad).fetch({"feed": "active"})
    with pytest.raises(ProviderError, match="expected"):
        ApplicationsFetcher(lambda f, **k: []).fetch({"feed": "active"})
    with pytest.raises(ProviderError, match="unknown HKEXnews feed"):
        ApplicationsFetcher(lambda f, **k: bad).transform_query({"feed": "approved"})


def test_allotment_results_announcement():
    (r,) = _fetcher(AllotmentResultsFetcher, JsonReplayTransport,
                    FIX / "hkexnews/allotment_results_02999.txt").fetch({"ref": ALLOTMENT_URL})
    assert (r.code, r.final_offer_price, r.offer_price_low, r.offer_price_high) == ("HK:02999", 25.80, 24.00, 26.80)
    assert (r.valid_applications, r.successful_applications, r.oversubscription_public) == (438512, 30112, 2512.35)
    assert r.lot_size == 200 and r.one_lot_applications == 420000
    assert r.one_lot_success_rate == pytest.approx(21_000 / 420_000 * 100)  # 5.00%
    assert r.gross_proceeds == pytest.approx(3_096.0e6) and r.net_proceeds == pytest.approx(2_977.6e6)
    assert r.listing_date == D(2026, 1, 14) and r.announced == D(2026, 1, 13)  # the URL's /2026/0113/
    full = allotment("Final Offer Price HK$10.00\nBASIS OF ALLOTMENT\n500  1,200  500 shares  100.00%\n", None)
    assert full.one_lot_success_rate == 100.0 and full.lot_size == 500 and full.code is None
    with pytest.raises(ProviderError, match="no 'Final Offer Price'"):
        allotment("ANNOUNCEMENT OF RESULTS OF THE ANNUAL GENERAL MEETING", ALLOTMENT_URL)
    with pytest.raises(ProviderError, match="neither an https:// URL nor a file"):
        AllotmentResultsFetcher(JsonReplayTransport({})).transform_query({"ref": "ftp://x"})
