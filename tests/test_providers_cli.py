"""The fetch commands end to end on fake transports: bars, facts, FX and lock-ups land once; offline fails fast."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.data.providers import base
from ipolens.data.providers.replay import ReplayTransport

FIX = Path(__file__).parent / "fixtures" / "providers"
MESSAGE = "use the embedded dataset or --offline"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("live-home")


@pytest.fixture()
def cli(home, monkeypatch):
    from ipolens.cli import app

    monkeypatch.setenv("IPOLENS_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(base, "_OVERRIDES", {})
    monkeypatch.setattr(base, "_PROBED", set())
    # any live path a test forgets to fake fails at once on a closed loopback port, never reaching a resolver
    monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{_closed_port()}")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _ledger(home):
    from ipolens.ledger.store import Ledger

    return Ledger(Path(home) / "ipolens.duckdb")


def _count(home, sql: str, params=()) -> int:
    led = _ledger(home)
    try:
        return led.con.execute(sql, list(params)).fetchone()[0]
    finally:
        led.close()


def test_fetch_prices_fake_transport_stores_bars_once(cli, home):
    transport = ReplayTransport({"history": FIX / "yfinance/history_6082.HK.csv"})
    base.set_transport("yfinance", transport)
    r = cli("fetch", "prices", "6082.HK")
    assert r.exit_code == 0, r.output
    # no --from: the request starts at the ledger's listing date, so the IPO day is the first bar
    assert transport.calls[0][1]["start"] == "2026-01-02"
    q = "SELECT count(*) FROM prices WHERE code = 'HK:06082' AND source_id = 'dataset:yfinance'"
    assert _count(home, q) == 5  # Adj Close == Close for a fresh listing: no separate adjusted series
    assert _count(home, q + " AND NOT adjusted AND date = DATE '2026-01-02' AND close BETWEEN 34.45 AND 34.47") == 1
    assert "5 new row" in r.output
    again = cli("fetch", "prices", "6082.HK")
    assert again.exit_code == 0 and "0 new row" in again.output
    assert _count(home, q) == 5
    retrieved = _count(home, "SELECT count(*) FROM sources WHERE id = 'dataset:yfinance' AND retrieved IS NOT NULL")
    assert retrieved == 1


def test_fetch_prices_adjusted_series_when_adj_close_moves(cli, home, tmp_path):
    from ipolens.data.providers.replay import load_recording

    df = load_recording(FIX / "yfinance/history_6082.HK.csv")
    df.loc[df.index[:2], "Adj Close"] = df["Close"].iloc[:2] * 0.98  # a dividend after the second day
    base.set_transport("yfinance", lambda function, **kwargs: df)
    r = cli("fetch", "prices", "HWEP", "--from", "2026-01-02")
    assert r.exit_code == 0, r.output
    q = "SELECT count(*) FROM prices WHERE code = 'US:HWEP' AND source_id = 'dataset:yfinance'"
    assert _count(home, q) == 10 and _count(home, q + " AND adjusted") == 5
    first = _count(home, "SELECT close FROM prices WHERE code = 'US:HWEP' AND adjusted AND date = DATE '2026-01-02'")
    assert first == pytest.approx(34.46 * 0.98, rel=1e-6)


def test_fetch_prices_akshare_provider(cli, home):
    base.set_transport("akshare", ReplayTransport({"stock_zh_a_hist": FIX / "akshare/stock_zh_a_hist_688795.csv"}))
    r = cli("fetch", "prices", "688795.SH", "--provider", "akshare", "--from", "2025-12-05")
    assert r.exit_code == 0, r.output
    q = "SELECT sum(volume) FROM prices WHERE code = 'SH:688795' AND source_id = 'dataset:akshare-eastmoney'"
    assert _count(home, q) == (263100 + 150200 + 98200 + 77100 + 65200) * 100


def test_fetch_prices_connection_error_means_no_network(cli, home):
    def down(function, **kwargs):
        raise ConnectionError("Max retries exceeded: Failed to establish a new connection")

    base.set_transport("yfinance", down)
    t = time.monotonic()
    r = cli("fetch", "prices", "6082.HK")
    assert time.monotonic() - t < 15
    assert r.exit_code == 3
    assert "no network:" in r.output and MESSAGE in r.output


def test_fetch_prices_offline_real_path_fails_fast(home, tmp_path):
    """The real command in a fresh process, with the network probe pointed at a closed loopback port."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connection refused, at once
    env = {"IPOLENS_HOME": str(tmp_path), "IPOLENS_NETWORK_PROBE": f"127.0.0.1:{port}", "PATH": "/usr/bin:/bin",
           "COLUMNS": "200"}
    t = time.monotonic()
    p = subprocess.run([sys.executable, "-c", "from ipolens.cli import main; main()", "fetch", "prices", "6082.HK"],
                       capture_output=True, text=True, env=env, timeout=60)
    elapsed = time.monotonic() - t
    assert p.returncode == 3, p.stderr + p.stdout
    assert elapsed < 15
    err = " ".join(p.stderr.split())
    assert "no network:" in err and MESSAGE in err


def test_without_live_extra_explains_install(cli, monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)  # a reachable loopback port: the probe passes, then the missing extra is reported
    try:
        monkeypatch.setenv("IPOLENS_NETWORK_PROBE", f"127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("IPOLENS_NO_LIVE", "1")
        r = cli("fetch", "prices", "6082.HK")
    finally:
        listener.close()
    assert r.exit_code == 2
    assert "pip install 'ipolens[live]'" in " ".join(r.output.split())


def test_offline_flag_touches_nothing(cli):
    def boom(function, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("network used")

    base.set_transport("yfinance", boom)
    r = cli("fetch", "prices", "6082.HK", "--offline")
    assert r.exit_code == 0 and "offline" in r.output
    r = cli("fetch", "fx", "--offline")
    assert r.exit_code == 0 and "FX rate" in r.output


def test_fetch_ipos_star_lands_facts_once(cli, home):
    base.set_transport("akshare", ReplayTransport({"stock_xgsglb_em": FIX / "akshare/stock_xgsglb_em_star.csv"}))
    r = cli("fetch", "ipos", "--market", "STAR")
    assert r.exit_code == 0, r.output
    src = "dataset:akshare-eastmoney"
    q = "SELECT value_num FROM facts WHERE entity = 'SH:688795' AND field = 'lottery_rate' AND source_id = ?"
    assert _count(home, q, [src]) == pytest.approx(0.03635054)
    n = _count(home, "SELECT count(*) FROM facts WHERE source_id = ?", [src])
    assert n > 0
    # the unlisted issue becomes a listing entity with its Chinese name; curated names are left alone
    assert _count(home, "SELECT count(*) FROM entities WHERE key = 'SH:688999' AND name_zh = '示例科技'") == 1
    assert _count(home, "SELECT count(*) FROM entities WHERE key = 'SH:688795' AND name_en = 'Moore Threads'") == 1
    again = cli("fetch", "ipos", "--market", "STAR")
    assert again.exit_code == 0 and "0 new fact" in again.output
    assert _count(home, "SELECT count(*) FROM facts WHERE source_id = ?", [src]) == n


def test_fetch_ipos_hk_profile(cli, home):
    base.set_transport("akshare", ReplayTransport(
        {"stock_hk_security_profile_em": FIX / "akshare/stock_hk_security_profile_em_06082.csv"}))
    r = cli("fetch", "ipos", "--market", "HK", "--code", "6082.HK")
    assert r.exit_code == 0, r.output
    q = "SELECT value_num FROM facts WHERE entity = 'HK:06082' AND field = 'lot_size' AND source_id = ?"
    assert _count(home, q, ["dataset:akshare-eastmoney"]) == 200


def test_fetch_ipos_hk_reads_the_new_listing_list_then_profiles(cli, home):
    transport = ReplayTransport(
        {"stock_ipo_hk_ths": FIX / "akshare/stock_ipo_hk_ths.csv",
         "stock_hk_security_profile_em": FIX / "akshare/stock_hk_security_profile_em_06082.csv"})
    base.set_transport("akshare", transport)
    r = cli("fetch", "ipos", "--market", "HK", "--since", "2026-01-01")
    assert r.exit_code == 0, r.output
    assert transport.calls[0] == ("stock_ipo_hk_ths", {})  # the list first
    out = " ".join(r.output.split())
    assert "3 HK listing(s) since 2026-01-01 on the new-listing list" in out
    # then one profile per listing: the list's three, all already among the ledger's 2026 HK listings
    expected = _count(home, "SELECT count(*) FROM listings WHERE market = 'HK' AND listing_date >= DATE '2026-01-01'")
    profiles = [c for c in transport.calls if c[0] == "stock_hk_security_profile_em"]
    assert expected > 3 and len(profiles) == expected
    assert ("stock_hk_security_profile_em", {"symbol": "06082"}) in transport.calls
    q = ("SELECT value_num FROM facts WHERE entity = 'HK:02513' AND field = 'lottery_rate' "
         "AND source_id = 'dataset:akshare-10jqka'")
    assert _count(home, q) == 2.0  # the list's lottery rate landed as a fact, under 10jqka, not Eastmoney
    again = cli("fetch", "ipos", "--market", "HK", "--since", "2026-01-01")
    assert again.exit_code == 0 and "on the new-listing list; 0 new fact(s)" in " ".join(again.output.split())


def test_fetch_ipos_nasdaq(cli, home):
    base.set_transport("yfinance", ReplayTransport({"ipo_calendar": FIX / "yfinance/ipo_info_calendar.csv"}))
    r = cli("fetch", "ipos", "--market", "NASDAQ", "--since", "2026-01-01")
    assert r.exit_code == 0, r.output
    assert _count(home, "SELECT count(*) FROM facts WHERE entity = 'US:HWEP' AND field = 'offer_price' "
                        "AND currency = 'USD' AND value_num = 19") == 1
    assert _count(home, "SELECT count(*) FROM facts WHERE entity = 'US:QNTM' AND field = 'expected_listing_date' "
                        "AND value_text = '2026-01-14'") == 1
    assert _count(home, "SELECT count(*) FROM facts WHERE entity = 'US:NYXA'") == 0


def test_fetch_ipos_rejects_unknown_market(cli):
    r = cli("fetch", "ipos", "--market", "LSE")
    assert r.exit_code != 0


def test_fetch_fx_with_crosses_once(cli, home):
    def pick(function, kwargs):
        return FIX / "fx" / f"history_{kwargs['symbol']}.csv"

    base.set_transport("fx", ReplayTransport(pick))
    r = cli("fetch", "fx", "--from", "2026-01-05", "--to", "2026-01-07")
    assert r.exit_code == 0, r.output
    q = "SELECT count(*) FROM fx_rates WHERE source_id = 'fx:yahoo'"
    assert _count(home, q) == 9  # USD/HKD, USD/CNY and the CNY/HKD cross on three days
    rate = _count(home, "SELECT rate FROM fx_rates WHERE source_id = 'fx:yahoo' AND base = 'CNY' AND quote = 'HKD' "
                        "AND date = DATE '2026-01-05'")
    assert rate == pytest.approx(7.7862 / 7.0150, abs=1e-6)
    again = cli("fetch", "fx", "--from", "2026-01-05", "--to", "2026-01-07")
    assert again.exit_code == 0 and "0 new row" in again.output and _count(home, q) == 9
    import datetime as dt

    from ipolens.ledger.queries.data import fx_rate_on

    led = _ledger(home)
    try:
        # a fetched rate on the day; the inverse pair when asked the other way round
        assert fx_rate_on(led, dt.date(2026, 1, 6), "USD", "HKD") == (7.787, dt.date(2026, 1, 6), "fx:yahoo")
        rate, _, _ = fx_rate_on(led, dt.date(2026, 1, 6), "HKD", "USD")
        assert rate == pytest.approx(1 / 7.787)
        # before any fetched date: the embedded ECB table answers
        assert fx_rate_on(led, dt.date(2025, 12, 2), "USD", "HKD") == (7.78578, dt.date(2025, 12, 2),
                                                                      "fx:ecb-eurofxref")
        assert fx_rate_on(led, dt.date(1990, 1, 1), "USD", "HKD") is None
    finally:
        led.close()


def test_fetch_lockups_once(cli, home):
    base.set_transport("akshare", ReplayTransport(
        {"stock_restricted_release_detail_em": FIX / "akshare/stock_restricted_release_detail_em.csv"}))
    r = cli("fetch", "lockups", "--from", "2026-06-01", "--to", "2026-06-30")
    assert r.exit_code == 0, r.output
    assert _count(home, "SELECT count(*) FROM lockup_releases") == 3
    again = cli("fetch", "lockups", "--from", "2026-06-01", "--to", "2026-06-30")
    assert "0 new row" in again.output and _count(home, "SELECT count(*) FROM lockup_releases") == 3


def test_live_module_imports_only_typer_at_start_up():
    code = ("import sys; import ipolens.cli.live; "
            "print(sorted(m for m in ('pandas', 'duckdb', 'akshare', 'yfinance', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_fetched_offer_and_close_give_the_derived_first_day_return(cli, home, tmp_path):
    """A fetched listing's offer and first-day close: `ipo --json` and the ledger's derived facts show the return
    with no refresh command run (the fetch writes through the store, which recomputes derived facts)."""
    import json

    offer, close = 20.0, 47.0
    expected = (close - offer) / offer * 100  # 135.0
    header = (FIX / "akshare/stock_xgsglb_em_star.csv").read_text(encoding="utf-8").splitlines()[4]
    row = (f"688777,派生科技,787777,上海证券交易所,科创板,30000000,7200000,4.5,4500,{offer},45.00,{close},"
           "2026-02-02,2026-02-04,2026-02-04,2026-02-10,,40.0,0.04,,,,,")
    rec = tmp_path / "star.csv"
    rec.write_text(header + "\n" + row + "\n", encoding="utf-8")
    base.set_transport("akshare", ReplayTransport({"stock_xgsglb_em": rec}))
    r = cli("fetch", "ipos", "--market", "STAR", "--since", "2026-02-01")
    assert r.exit_code == 0, r.output
    q = ("SELECT value_num FROM facts WHERE entity = 'SH:688777' AND field = 'first_day_return' "
         "AND source_id = 'derived:ipolens'")
    assert _count(home, q) == pytest.approx(expected)
    r = cli("ipo", "688777.SH", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["first_day"]["first_day_return"]["value"] == pytest.approx(expected)
