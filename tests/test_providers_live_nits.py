"""Small provider defects: missing parameters, half-dates, where a bad number is, readable messages, a bad code
with --offline."""
from __future__ import annotations

import datetime as dt

import pytest

from ipolens.data.providers.akshare.fetchers import (AShareHistoryFetcher, HkHistoryFetcher, HkProfileFetcher,
                                                     LockupFetcher)
from ipolens.data.providers.base import ProviderError, to_date
from ipolens.data.providers.fx.fetchers import FxFetcher
from ipolens.data.providers.yfinance.fetchers import HistoryFetcher


def _never(function, **kwargs):  # pragma: no cover - these tests stop before the call
    raise AssertionError("network used")


@pytest.mark.parametrize("cls", [HkHistoryFetcher, AShareHistoryFetcher, HkProfileFetcher, HistoryFetcher],
                         ids=lambda c: c.__name__)
def test_a_missing_code_is_a_validation_error(cls):
    with pytest.raises(ProviderError, match="'code' parameter is required"):
        cls(_never).transform_query({})


@pytest.mark.parametrize("text", ["2026-01-05xyz", "2026-01-051", "2026-13-01", "20260105x", "2026-01"])
def test_a_date_with_trailing_junk_is_refused(text):
    with pytest.raises(ProviderError, match="not a date"):
        to_date(text)


@pytest.mark.parametrize("text", ["2026-01-05", "2026/01/05", "20260105", "2026-01-05 00:00:00",
                                  "2026-01-05T00:00:00+08:00", " 2026-01-05 "])
def test_vendor_date_spellings_still_read(text):
    assert to_date(text) == dt.date(2026, 1, 5)


def test_a_bad_number_names_the_column_and_row():
    import pandas as pd

    df = pd.DataFrame({"日期": ["2026-01-02", "2026-01-05"], "开盘": [35.0, "abc"], "最高": [2, 2],
                       "最低": [0.5, 0.5], "收盘": [1.5, 1.5]})
    with pytest.raises(ProviderError, match=r"stock_hk_hist: row 2, column 开盘: not a number: 'abc'"):
        HkHistoryFetcher(lambda function, **kwargs: df).fetch({"code": "6082.HK"})


def test_a_share_market_mismatch_reads_properly():
    with pytest.raises(ProviderError) as err:
        AShareHistoryFetcher(_never).transform_query({"code": "6082.HK"})
    assert str(err.value) == "stock_zh_a_hist reads SH and SZ listings, not HK:06082"


@pytest.mark.parametrize("cls,params", [
    (HkHistoryFetcher, {"code": "6082.HK"}), (AShareHistoryFetcher, {"code": "688795.SH"}),
    (HistoryFetcher, {"code": "HWEP"}), (FxFetcher, {}), (LockupFetcher, {})],
    ids=["hk", "a-share", "yahoo", "fx", "lockups"])
def test_every_fetcher_refuses_an_end_before_its_start(cls, params):
    with pytest.raises(ProviderError, match="end 2026-01-01 is before start 2026-02-01"):
        cls(_never).transform_query({**params, "start": "2026-02-01", "end": "2026-01-01"})


@pytest.mark.parametrize("args", [("prices", "not a code!"), ("ipos", "--market", "HK", "--code", "not a code!")],
                         ids=["prices", "ipos"])
def test_a_bad_code_with_offline_is_refused(run_cli, args):
    r = run_cli("fetch", *args, "--offline")
    assert r.exit_code == 2 and "not a code!" in r.output
