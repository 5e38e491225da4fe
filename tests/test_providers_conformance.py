"""Every fetcher passes the conformance test on its recorded fixture, and maps the vendor's columns correctly."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipolens.data.providers.akshare.fetchers import (AShareHistoryFetcher, HkHistoryFetcher, HkNewIssueFetcher,
                                                     HkProfileFetcher, LockupFetcher, NewIssueFetcher)
from ipolens.data.providers.base import ProviderError, apply_aliases, check_fetcher
from ipolens.data.providers.fx.fetchers import FxFetcher, cross_rates, yahoo_fx_symbol
from ipolens.data.providers.models import DailyBar, FxRate, IpoEvent, LockupRelease
from ipolens.data.providers.replay import ReplayTransport, load_recording
from ipolens.data.providers.yfinance.fetchers import HistoryFetcher, IpoCalendarFetcher

FIX = Path(__file__).parent / "fixtures" / "providers"

CASES = [
    (HkHistoryFetcher, FIX / "akshare/stock_hk_hist_06082.csv", {"code": "6082.HK", "start": "2026-01-02"}, DailyBar),
    (AShareHistoryFetcher, FIX / "akshare/stock_zh_a_hist_688795.csv", {"code": "688795.SH"}, DailyBar),
    (HkProfileFetcher, FIX / "akshare/stock_hk_security_profile_em_06082.csv", {"code": "06082"}, IpoEvent),
    (NewIssueFetcher, FIX / "akshare/stock_xgsglb_em_star.csv", {"market": "STAR"}, IpoEvent),
    (LockupFetcher, FIX / "akshare/stock_restricted_release_detail_em.csv",
     {"start": "2026-06-01", "end": "2026-06-30"}, LockupRelease),
    (HistoryFetcher, FIX / "yfinance/history_6082.HK.csv", {"code": "6082.HK"}, DailyBar),
    (IpoCalendarFetcher, FIX / "yfinance/ipo_info_calendar.csv", {"market": "NASDAQ"}, IpoEvent),
    (FxFetcher, FIX / "fx/history_HKD=X.csv", {"base": "USD", "quote": "HKD"}, FxRate),
    (HkNewIssueFetcher, FIX / "akshare/stock_ipo_hk_ths.csv", {}, IpoEvent),
]


@pytest.mark.parametrize("fetcher_cls,fixture,params,model", CASES, ids=[c[0].__name__ for c in CASES])
def test_conformance(fetcher_cls, fixture, params, model):
    transport = ReplayTransport({fetcher_cls.function: fixture})
    out = check_fetcher(fetcher_cls(transport), params)
    assert all(isinstance(o, model) for o in out)
    assert transport.calls and transport.calls[0][0] == fetcher_cls.function


@pytest.mark.parametrize("fixture", sorted(FIX.rglob("*.csv")), ids=lambda p: p.name)
def test_every_fixture_cites_its_doc_page(fixture):
    head = [line for line in fixture.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("https://" in line for line in head), f"{fixture.name} does not cite the documented output"


def _one(fetcher_cls, fixture, params):
    return fetcher_cls(ReplayTransport({fetcher_cls.function: fixture})).fetch(params)


def test_hk_hist_maps_chinese_headers():
    bars = _one(*CASES[0][:3])
    assert [b.date for b in bars][:2] == [dt.date(2026, 1, 2), dt.date(2026, 1, 5)]
    first = bars[0]
    assert (first.code, first.open, first.high, first.low, first.close) == ("HK:06082", 35.0, 42.88, 33.10, 34.46)
    assert first.volume == 148021300 and first.turnover == 5431250000.0 and not first.adjusted


def test_a_share_volume_lots_become_shares():
    bars = _one(*CASES[1][:3])
    assert bars[0].code == "SH:688795" and bars[0].volume == 263100 * 100


def test_history_request_uses_vendor_symbols_and_dates():
    t = ReplayTransport({"stock_hk_hist": CASES[0][1]})
    HkHistoryFetcher(t).fetch({"code": "HK:06082", "start": "2026-01-02", "end": "2026-01-09"})
    assert t.calls[0][1] == {"symbol": "06082", "period": "daily", "start_date": "20260102",
                             "end_date": "20260109", "adjust": ""}
    t = ReplayTransport({"history": CASES[5][1]})
    HistoryFetcher(t).fetch({"code": "HK:06082", "start": "2026-01-02", "end": "2026-01-08"})
    assert t.calls[0][1] == {"symbol": "6082.HK", "start": "2026-01-02", "end": "2026-01-09"}  # end exclusive


def test_market_mismatch_is_rejected():
    with pytest.raises(ProviderError, match="HK"):
        HkHistoryFetcher(ReplayTransport({})).transform_query({"code": "688795.SH"})


def test_hk_profile_event():
    (e,) = _one(*CASES[2][:3])
    assert (e.code, e.listing_date, e.offer_price, e.currency, e.lot_size) == \
        ("HK:06082", dt.date(2026, 1, 2), 19.6, "HKD", 200.0)
    assert e.shares_offered == 247692800 and e.name == "壁仞科技"


def test_new_issues_lottery_rate_and_since():
    events = _one(NewIssueFetcher, CASES[3][1], {"market": "STAR"})
    by = {e.code: e for e in events}
    assert set(by) == {"SH:688802", "SH:688795", "SH:688999"}
    mt = by["SH:688795"]
    assert (mt.listing_date, mt.offer_price, mt.lottery_rate, mt.currency) == \
        (dt.date(2025, 12, 5), 114.28, 0.03635054, "CNY")
    assert mt.first_day_return == pytest.approx((600.50 / 114.28 - 1) * 100)
    assert by["SH:688999"].listing_date is None and by["SH:688999"].lottery_rate is None
    later = _one(NewIssueFetcher, CASES[3][1], {"market": "STAR", "since": "2025-12-10"})
    assert {e.code for e in later} == {"SH:688802", "SH:688999"}  # the unlisted one counts by subscription date


def test_lockups():
    rel = _one(*CASES[4][:3])
    assert [r.code for r in rel] == ["SH:688795", "SH:688802", "SZ:301001"]
    assert rel[0].release_date == dt.date(2026, 6, 5) and rel[0].shares == 14000000.0
    with pytest.raises(ProviderError, match="before"):
        LockupFetcher(ReplayTransport({})).transform_query({"start": "2026-06-30", "end": "2026-06-01"})


def test_yahoo_history_keeps_adj_close_and_local_dates():
    bars = _one(*CASES[5][:3])
    assert bars[0].date == dt.date(2026, 1, 2)  # the listing day, not shifted by the +08:00 offset
    assert bars[0].adj_close == pytest.approx(34.46) and bars[0].volume == 148021300


def test_yahoo_history_multiindex_columns_from_download():
    import pandas as pd

    df = load_recording(CASES[5][1])
    df.columns = pd.MultiIndex.from_tuples([(c, "6082.HK") for c in df.columns], names=["Price", "Ticker"])
    bars = HistoryFetcher(lambda f, **k: df).fetch({"code": "6082.HK"})
    assert len(bars) == 5 and bars[-1].close == pytest.approx(29.40)


def test_ipo_calendar_keeps_nasdaq_and_splits_priced_from_expected():
    events = {e.code: e for e in _one(*CASES[6][:3])}
    assert set(events) == {"US:HWEP", "US:QNTM"}  # the NYSE deal is dropped
    assert events["US:HWEP"].listing_date == dt.date(2026, 1, 8) and events["US:HWEP"].offer_price == 19.0
    q = events["US:QNTM"]
    assert q.listing_date is None and q.extra["expected_listing_date"] == "2026-01-14"
    assert q.extra["offer_price_low"] == 20.0


def test_fx_symbols_rates_and_crosses():
    assert yahoo_fx_symbol("USD", "HKD") == "HKD=X" and yahoo_fx_symbol("CNY", "HKD") == "CNYHKD=X"
    hkd = _one(FxFetcher, FIX / "fx/history_HKD=X.csv", {"base": "USD", "quote": "HKD"})
    cny = _one(FxFetcher, FIX / "fx/history_CNY=X.csv", {"base": "USD", "quote": "CNY"})
    assert hkd[0] == FxRate(dt.date(2026, 1, 5), "USD", "HKD", 7.7862)
    crosses = cross_rates(hkd + cny)
    assert len(crosses) == 3 and crosses[0].base == "CNY" and crosses[0].quote == "HKD"
    assert crosses[0].rate == pytest.approx(7.7862 / 7.0150, abs=1e-6)
    with pytest.raises(ProviderError, match="currency"):
        FxFetcher(ReplayTransport({})).transform_query({"base": "EUR", "quote": "HKD"})


def test_renamed_vendor_column_reads_as_a_clear_error():
    import pandas as pd

    df = load_recording(CASES[0][1]).rename(columns={"收盘": "收盘价格"})
    with pytest.raises(ProviderError, match="close .*did you mean 收盘价格"):
        HkHistoryFetcher(lambda f, **k: df).fetch({"code": "6082.HK"})
    assert isinstance(df, pd.DataFrame)


def test_alias_matching_ignores_case_and_prefers_first_spelling():
    m = apply_aliases(["DATE", "close", "Close Price"], {"date": ("Date",), "close": ("Close", "Close Price")})
    assert m == {"date": "DATE", "close": "close"}


def test_check_fetcher_rejects_a_fetcher_that_returns_raw_rows():
    class Broken(HkHistoryFetcher):
        def transform_data(self, query, raw):
            return raw.to_dict("records")

    with pytest.raises(AssertionError, match="not DailyBar"):
        check_fetcher(Broken(ReplayTransport({"stock_hk_hist": CASES[0][1]})), {"code": "6082.HK"})


class _Http503(Exception):
    class response:  # noqa: N801 - shaped like requests' HTTPError.response
        status_code = 503


def test_transient_http_errors_are_retried_with_backoff(monkeypatch):
    import tenacity

    monkeypatch.setattr(tenacity.nap, "sleep", lambda s: None)  # keep the test fast; the policy is what counts
    calls = []
    df = load_recording(CASES[0][1])

    def flaky(function, **kwargs):
        calls.append(function)
        if len(calls) < 3:
            raise _Http503("503 Service Unavailable")
        return df

    bars = HkHistoryFetcher(flaky).fetch({"code": "6082.HK"})
    assert len(calls) == 3 and len(bars) == 5


def test_connection_errors_retry_then_report_no_network(monkeypatch):
    from ipolens.data.providers import base

    slept = []
    monkeypatch.setattr(base.time, "sleep", slept.append)
    calls = []

    def down(function, **kwargs):
        calls.append(function)
        raise ConnectionError("connection reset")

    with pytest.raises(base.NoNetworkError, match="no network: .*use the embedded dataset or --offline"):
        HkHistoryFetcher(down).fetch({"code": "6082.HK"})
    assert len(calls) == HkHistoryFetcher.attempts and slept == [0.5, 1.0]  # exponential backoff between tries


def test_non_network_errors_are_not_swallowed():
    from ipolens.data.providers.base import NoNetworkError

    calls = []

    def broken(function, **kwargs):
        calls.append(function)
        raise KeyError("data")  # a vendor change, not an outage

    # not retried, not read as "no network": a ProviderError naming the call and listing, the vendor's error kept
    with pytest.raises(ProviderError, match=r"akshare stock_hk_hist\(symbol='06082'.*for HK:06082: KeyError") as err:
        HkHistoryFetcher(broken).fetch({"code": "6082.HK"})
    assert not isinstance(err.value, NoNetworkError) and isinstance(err.value.__cause__, KeyError)
    assert calls == ["stock_hk_hist"]


def test_every_registered_fetcher_has_a_conformance_case():
    from ipolens.data.providers import FETCHERS, fetcher_class

    from test_providers_pipeline import PIPELINE_CASES  # the pipeline fetchers' cases (issue 14)

    registered = {fetcher_class(name) for name in FETCHERS}
    assert registered == {c[0] for c in CASES} | {c[0] for c in PIPELINE_CASES}
    with pytest.raises(KeyError, match="did you mean 'fx.yahoo'"):
        fetcher_class("fx.yaho")


def test_hk_new_listing_list_maps_the_page_headers():
    events = _one(HkNewIssueFetcher, FIX / "akshare/stock_ipo_hk_ths.csv", {})
    # the row still subscribing has no listing date yet: it is not a listing
    assert [e.code for e in events] == ["HK:06082", "HK:02513", "HK:00100"]
    biren = events[0]
    assert (biren.listing_date, biren.offer_price, biren.currency) == (dt.date(2026, 1, 2), 19.6, "HKD")
    assert biren.shares_offered == pytest.approx(24769.28 * 1e4) and biren.lottery_rate == 5.0
    later = _one(HkNewIssueFetcher, FIX / "akshare/stock_ipo_hk_ths.csv", {"since": "2026-01-08"})
    assert [e.code for e in later] == ["HK:02513", "HK:00100"]
