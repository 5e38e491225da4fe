"""Vendor failures on the fetch commands: a clean message and exit code, never a traceback; in a batch the good
listings are stored and the bad ones reported; every vendor call has a time limit; options are checked (and the
live extra looked for) before the network is probed."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.data.providers import base
from ipolens.data.providers.replay import ReplayTransport, load_recording

FIX = Path(__file__).parent / "fixtures" / "providers"


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture()
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture()
def cli(home, monkeypatch):
    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("IPOLENS_NO_LIVE", raising=False)
    monkeypatch.delenv("IPOLENS_CALL_TIMEOUT", raising=False)
    monkeypatch.setattr(base, "_OVERRIDES", {})
    monkeypatch.setattr(base, "_PROBED", set())
    monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{_closed_port()}")  # a forgotten fake fails at once
    runner = CliRunner()

    def run(*args: str):
        # catch_exceptions=False: an uncaught vendor exception fails the test instead of passing as exit 1
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def _count(home, sql: str) -> int:
    from ipolens.ledger.store import Ledger

    led = Ledger(Path(home) / "ipolens.duckdb")
    try:
        return led.con.execute(sql).fetchone()[0]
    finally:
        led.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


class YFPricesMissingError(Exception):
    """Shaped like yfinance's: raised for a symbol Yahoo has no prices for."""


class _Http429(Exception):
    class response:  # noqa: N801 - shaped like requests' HTTPError.response
        status_code = 429


# -- 1. vendor errors ----------------------------------------------------------------------------------------------
def test_vendor_no_data_error_is_a_clean_message(cli):
    def missing(function, **kwargs):
        raise YFPricesMissingError(f"${kwargs['symbol']}: possibly delisted; no price data found")

    base.set_transport("yfinance", missing)
    r = cli("fetch", "prices", "ZZZZ")
    assert r.exit_code == 1
    out = _flat(r.output)
    assert "yfinance history(symbol='ZZZZ'" in out and "for US:ZZZZ" in out and "no price data found" in out
    assert "Traceback" not in out


def test_akshare_type_error_on_unknown_hk_code(cli):
    def unknown(function, **kwargs):
        raise TypeError("'NoneType' object is not subscriptable")

    base.set_transport("akshare", unknown)
    r = cli("fetch", "ipos", "--market", "HK", "--code", "9999.HK")
    assert r.exit_code == 1
    out = _flat(r.output)
    assert "akshare stock_hk_security_profile_em(symbol='09999') for HK:09999: TypeError" in out


def test_http_429_after_retries_is_a_clean_error(cli, monkeypatch):
    import tenacity

    monkeypatch.setattr(tenacity.nap, "sleep", lambda s: None)
    calls = []

    def throttled(function, **kwargs):
        calls.append(function)
        raise _Http429("429 Too Many Requests")

    base.set_transport("yfinance", throttled)
    r = cli("fetch", "prices", "HWEP")
    assert r.exit_code == 1 and len(calls) == 3  # tenacity's tries, then a message
    assert "rate limited by the vendor (HTTP 429" in _flat(r.output) and "for US:HWEP" in _flat(r.output)


def test_an_http_error_class_from_requests_is_not_read_as_no_network(cli, monkeypatch):
    import tenacity

    monkeypatch.setattr(tenacity.nap, "sleep", lambda s: None)
    monkeypatch.setattr(base.time, "sleep", lambda s: None)

    class RequestException(Exception):
        """requests' base class: its name alone used to mean "no network"."""

    class HTTPError(RequestException):
        class response:  # noqa: N801
            status_code = 429

    def throttled(function, **kwargs):
        raise HTTPError("429 Client Error: Too Many Requests")

    base.set_transport("yfinance", throttled)
    r = cli("fetch", "prices", "HWEP")
    assert r.exit_code == 1 and "no network" not in r.output  # the server answered; the network is fine
    assert "HTTP 429" in _flat(r.output)


def test_a_batch_stores_the_good_listings_and_reports_the_bad_one(cli, home):
    good = load_recording(FIX / "yfinance/history_6082.HK.csv")

    def some(function, **kwargs):
        if kwargs["symbol"] == "ZZZZ":
            raise YFPricesMissingError("$ZZZZ: possibly delisted; no price data found")
        return good

    base.set_transport("yfinance", some)
    r = cli("fetch", "prices", "6082.HK", "ZZZZ", "HWEP", "--from", "2026-01-02")
    assert r.exit_code == 1
    out = _flat(r.output)
    assert "for US:ZZZZ" in out and "1 of 3 listing(s) failed; the other 2 were stored" in out
    q = "SELECT count(*) FROM prices WHERE source_id = 'dataset:yfinance' AND code = "
    assert _count(home, q + "'HK:06082'") == 5 and _count(home, q + "'US:HWEP'") == 5  # both sides of the bad one
    assert _count(home, q + "'US:ZZZZ'") == 0


def test_hk_profile_batch_keeps_the_good_listing(cli, home):
    replay = ReplayTransport({"stock_hk_security_profile_em": FIX / "akshare/stock_hk_security_profile_em_06082.csv"})

    def some(function, **kwargs):
        if kwargs["symbol"] == "09999":
            raise TypeError("'NoneType' object is not subscriptable")
        return replay(function, **kwargs)

    base.set_transport("akshare", some)
    r = cli("fetch", "ipos", "--market", "HK", "--code", "9999.HK", "--code", "6082.HK")
    assert r.exit_code == 1
    assert "HK:09999" in _flat(r.output) and "1 of 2 HK listing(s) failed" in _flat(r.output)
    assert _count(home, "SELECT value_num FROM facts WHERE entity = 'HK:06082' AND field = 'lot_size' "
                        "AND source_id = 'dataset:akshare-eastmoney'") == 200


def test_fx_keeps_the_pair_that_answered(cli, home):
    replay = ReplayTransport(lambda function, kwargs: FIX / "fx" / f"history_{kwargs['symbol']}.csv")

    def some(function, **kwargs):
        if kwargs["symbol"] == "CNY=X":
            raise KeyError("chart")
        return replay(function, **kwargs)

    base.set_transport("fx", some)
    r = cli("fetch", "fx", "--from", "2026-01-05", "--to", "2026-01-07")
    assert r.exit_code == 1 and "USD/CNY" in _flat(r.output)
    assert _count(home, "SELECT count(*) FROM fx_rates WHERE source_id = 'fx:yahoo' AND quote = 'HKD' "
                        "AND base = 'USD'") == 3
    assert _count(home, "SELECT count(*) FROM fx_rates WHERE source_id = 'fx:yahoo' AND base = 'CNY'") == 0


# -- 5. time limit -------------------------------------------------------------------------------------------------
def test_a_hung_vendor_call_times_out(cli, monkeypatch):
    monkeypatch.setenv("IPOLENS_CALL_TIMEOUT", "0.3")
    release = threading.Event()

    def hung(function, **kwargs):
        release.wait(30)  # a server that never answers
        raise ConnectionError("late")

    base.set_transport("yfinance", hung)
    try:
        t = time.monotonic()
        r = cli("fetch", "prices", "HWEP")
        elapsed = time.monotonic() - t
    finally:
        release.set()
    assert r.exit_code == 1 and elapsed < 5
    assert "for US:HWEP: timed out after 0.3 s" in _flat(r.output)


def test_the_time_limit_covers_each_fetcher_call(monkeypatch):
    from ipolens.data.providers.akshare.fetchers import HkHistoryFetcher
    from ipolens.data.providers.base import ProviderError

    monkeypatch.setenv("IPOLENS_CALL_TIMEOUT", "0.2")
    release = threading.Event()
    try:
        with pytest.raises(ProviderError, match=r"stock_hk_hist\(.*for HK:06082: timed out after 0.2 s"):
            HkHistoryFetcher(lambda function, **kwargs: release.wait(3)).fetch({"code": "6082.HK"})
    finally:
        release.set()
    from ipolens.data.providers.calls import CALL_TIMEOUT_S, call_timeout

    monkeypatch.delenv("IPOLENS_CALL_TIMEOUT")
    assert call_timeout() == CALL_TIMEOUT_S == 20.0  # the documented default


# -- 3. date windows -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [("prices", "6082.HK"), ("fx",), ("lockups",)], ids=lambda a: a[0])
def test_from_later_than_to_is_refused_before_the_network(cli, args):
    def boom(function, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("network used")

    for provider in ("yfinance", "akshare", "fx"):
        base.set_transport(provider, boom)
    r = cli("fetch", *args, "--from", "2026-07-01", "--to", "2026-06-30")
    assert r.exit_code == 2  # a usage error, not exit 3 from the (closed) network probe
    assert "--from 2026-07-01 is later than --to 2026-06-30" in _flat(r.output)


def test_fx_to_without_from_reads_the_year_up_to_to(cli):
    replay = ReplayTransport(lambda function, kwargs: FIX / "fx" / f"history_{kwargs['symbol']}.csv")
    base.set_transport("fx", replay)
    r = cli("fetch", "fx", "--to", "2025-06-30")
    assert r.exit_code == 0, r.output
    assert replay.calls[0][1] == {"symbol": "HKD=X", "start": "2024-06-30", "end": "2025-07-01"}


# -- 4. order of checks --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [("prices", "6082.HK"), ("ipos", "--market", "STAR"), ("fx",)],
                         ids=lambda a: a[0])
def test_offline_without_the_live_extra_says_both_no_network_first(cli, monkeypatch, args):
    """Offline, "use the embedded dataset or --offline" is what can be acted on (pip needs the network too):
    exit 3 with that message, plus a note that the live extra is missing as well."""
    monkeypatch.setenv("IPOLENS_NO_LIVE", "1")  # and the probe points at a closed port: offline too
    r = cli("fetch", *args)
    assert r.exit_code == 3, r.output
    text = _flat(r.output)
    assert "no network" in text and "--offline" in text and "pip install 'ipolens[live]'" in text


@pytest.mark.parametrize("args", [("prices", "6082.HK"), ("fx",)], ids=lambda a: a[0])
def test_online_without_the_live_extra_gives_install_advice(cli, monkeypatch, args):
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{server.getsockname()[1]}")  # reachable: "online"
    monkeypatch.setenv("IPOLENS_NO_LIVE", "1")
    try:
        r = cli("fetch", *args)
    finally:
        server.close()
    assert r.exit_code == 2, r.output
    assert "pip install 'ipolens[live]'" in _flat(r.output) and "no network" not in r.output
