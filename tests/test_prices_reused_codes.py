"""Price files and fetches for a code the exchange reused: each bar goes to the listing trading on its date.

The ledger holds two invented listings of HK 02718: OLDCO (listed 2019-07-12, offer 3.00, first-day close 3.60)
and NEWCO (listed 2025-07-09, offer 10.00, close 8.50), imported as a user file, so the second is HK:02718@2025.
The price files below are hand-made bars in the layouts ``import prices`` reads (a multi-code file with plain
lower-case headers, a Yahoo-shaped file named after its code) and the fetch recording is in the shape of AKShare's
stock_hk_hist; every expected count and close is read off these texts by hand.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ipolens.app import data
from ipolens.data.prices import PriceImportError
from ipolens.data.providers import base
from ipolens.data.providers.replay import ReplayTransport
from ipolens.ledger import price_load
from ipolens.ledger.access import Store
from ipolens.ledger.queries.hk import last_closes

LISTINGS = """code,name,listing_date,offer_price,currency,close_price
02718,OLDCO HOLDINGS,2019-07-12,3.00,HKD,3.60
02718,NEWCO ROBOTICS,2025-07-09,10.00,HKD,8.50
"""
# 02718: 5 bars after the 2019 listing, 2 in 2020 (between the listings: still OLDCO's, no delisting date is
# stored), 3 from NEWCO's listing day on; 06082 is a code with one listing and is left as it was.
PRICES = """code,date,open,high,low,close,volume
02718,2019-07-12,3.00,3.80,2.95,3.60,5000000
02718,2019-07-15,3.60,3.70,3.40,3.50,2000000
02718,2019-07-16,3.50,3.55,3.30,3.35,1500000
02718,2025-07-09,10.00,10.20,8.20,8.50,30000000
02718,2019-07-17,3.35,3.45,3.30,3.40,1200000
02718,2019-07-18,3.40,3.48,3.36,3.44,1100000
02718,2020-03-02,2.10,2.20,2.00,2.05,900000
02718,2020-03-03,2.05,2.12,1.98,2.01,800000
02718,2025-07-10,8.50,9.10,8.40,9.00,12000000
02718,2025-07-11,9.00,9.40,8.90,9.30,8000000
06082,2026-01-02,35.00,42.88,33.10,34.46,148021300
06082,2026-01-05,34.50,36.00,33.80,35.20,60000000
"""
SPLIT = {"HK:02718": 7, "HK:02718@2025": 3, "HK:06082": 2}
NEW_DAYS = ["2025-07-09", "2025-07-10", "2025-07-11"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _store(tmp_path: Path, listings: str = LISTINGS) -> Store:
    s = Store(":memory:")
    data.import_file(s, _write(tmp_path, "listings.csv", listings), "reused code listings")
    return s


@pytest.fixture()
def store(tmp_path):
    s = _store(tmp_path)
    yield s
    s.close()


def _rows(store: Store, sql: str, params=()) -> list[tuple]:
    with store.read() as led:
        return led.con.execute(sql, list(params)).fetchall()


def _counts(store: Store) -> dict[str, int]:
    return dict(_rows(store, "SELECT code, count(*) FROM prices GROUP BY code"))


def _snapshot(store: Store):
    return (_rows(store, "SELECT * FROM prices ORDER BY ALL"), _rows(store, "SELECT id FROM sources ORDER BY id"),
            _rows(store, "SELECT entity, field, value_num, value_text FROM facts ORDER BY ALL"))


def test_listings_fixture_is_two_listings(store):
    keys = [r[0] for r in _rows(store, "SELECT key FROM entities ORDER BY key")]
    assert keys == ["HK:02718", "HK:02718@2025"]


def test_bars_split_by_listing_date(store, tmp_path):
    n = data.import_prices(store, _write(tmp_path, "bars.csv", PRICES)).rows
    assert n == 12
    assert _counts(store) == SPLIT
    new = [str(r[0]) for r in _rows(store, "SELECT date FROM prices WHERE code = 'HK:02718@2025' ORDER BY date")]
    assert new == NEW_DAYS


def test_fast_and_staged_paths_give_the_same_rows(tmp_path):
    path = _write(tmp_path, "bars.csv", PRICES)
    rows = []
    for direct in (True, False):
        s = _store(tmp_path)
        try:
            f = data.price_files.csv_file(path, None)
            source = data.price_files.source_for(path, None)
            with s.write() as led:
                assert price_load.load(led, f, source, direct=direct) == 12
            rows.append(_rows(s, "SELECT * FROM prices ORDER BY ALL"))
        finally:
            s.close()
    assert rows[0] == rows[1]
    assert {c: sum(r[0] == c for r in rows[0]) for c in SPLIT} == SPLIT


def test_first_listing_figures_and_last_closes(store, tmp_path):
    from ipolens.app.stats import stats

    def views():
        return (stats(store, by="year", market="HK", years="2019").to_dict(),
                _rows(store, "SELECT entity, field, value_num FROM facts WHERE entity = 'HK:02718' ORDER BY ALL"))

    before = views()
    data.import_prices(store, _write(tmp_path, "bars.csv", PRICES))
    assert views() == before
    fdr = _rows(store, "SELECT value_num FROM facts WHERE entity = 'HK:02718' AND field = 'first_day_return'")
    assert fdr[0][0] == pytest.approx((3.60 / 3.00 - 1) * 100)
    # the lock-up value reads each listing's last close: OLDCO's is its 2020-03-03 bar, not NEWCO's
    with store.read() as led:
        last = last_closes(led, ["HK:02718", "HK:02718@2025"])
    got = {r.entity: (r.close, str(r.date)[:10]) for r in last.itertuples()}
    assert got == {"HK:02718": (2.01, "2020-03-03"), "HK:02718@2025": (9.30, "2025-07-11")}


def test_file_named_after_the_code_is_split_too(store, tmp_path):
    body = "\n".join(",".join(line.split(",")[1:]) for line in PRICES.splitlines()[:11])
    yahoo = body.replace("date,open,high,low,close,volume", "Date,Open,High,Low,Close,Volume") + "\n"
    assert data.import_prices(store, _write(tmp_path, "2718.HK.csv", yahoo)).rows == 10
    assert _counts(store) == {"HK:02718": 7, "HK:02718@2025": 3}


def test_code_option_names_one_listing(store, tmp_path):
    body = "Date,Open,High,Low,Close,Volume\n2025-07-14,9.30,9.50,9.10,9.20,7000000\n"
    data.import_prices(store, _write(tmp_path, "newco.csv", body), code="02718@2025")
    assert _counts(store) == {"HK:02718@2025": 1}


def test_explicit_listing_in_the_code_column(store, tmp_path):
    text = ("code,date,open,high,low,close,volume\n"
            "02718@2025,2025-07-14,9.30,9.50,9.10,9.20,7000000\n"
            "02718@2019,2019-07-19,3.44,3.50,3.40,3.45,900000\n"
            "2718.HK,2025-07-15,9.20,9.25,9.00,9.05,6000000\n"
            "02718.HK@2025-07-09,2025-07-16,9.05,9.10,8.90,9.00,5000000\n")
    assert data.import_prices(store, _write(tmp_path, "named.csv", text)).rows == 4
    got = _rows(store, "SELECT code, CAST(date AS VARCHAR) FROM prices ORDER BY date")
    assert got == [("HK:02718", "2019-07-19"), ("HK:02718@2025", "2025-07-14"), ("HK:02718@2025", "2025-07-15"),
                   ("HK:02718@2025", "2025-07-16")]


@pytest.mark.parametrize("row, line, expect", [
    # a 2018 bar of 02718: before the code's first listing in the ledger, so no listing traded it
    ("02718,2018-05-02,1.00,1.10,0.90,1.05,100", 3, r"row 3 \(line 4\), field date: .*before the code's first "
                                                   r"listing \(2019-07-12\)"),
    # named NEWCO but dated 2020, when OLDCO was the listing trading
    ("02718@2025,2020-03-04,2.00,2.10,1.90,2.00,100", 3, r"row 3 \(line 4\), field date: .*names HK:02718@2025, "
                                                         r"but on 2020-03-04 the listing trading was HK:02718"),
    # no listing of 02718 listed in 2022
    ("02718@2022,2022-05-03,2.00,2.10,1.90,2.00,100", 3, r"row 3, field code: '02718@2022': no listing"),
    # a bad bar of a reused code is still a bad bar
    ("02718,2025-07-14,9.30,9.50,9.10,-9.20,100", 3, r"row 3 \(line 4\), field close: -9\.2 is not above zero"),
    # the same NEWCO day written two ways is a second bar for one listing
    ("02718@2025,2025-07-09,10.00,10.20,8.20,8.50,100", 3, r"row \d+ \(line \d+\), field date: a second bar for "
                                                        r".*2025-07-09"),
])
def test_bad_rows_are_refused_and_change_nothing(store, tmp_path, row, line, expect):
    lines = PRICES.splitlines()
    lines.insert(line, row)
    before = _snapshot(store)
    with pytest.raises(PriceImportError, match=expect):
        data.import_prices(store, _write(tmp_path, "bad.csv", "\n".join(lines) + "\n"))
    assert _snapshot(store) == before


def test_bars_move_when_the_later_listing_arrives(tmp_path):
    """Bars imported while the ledger knew only OLDCO all sit on HK:02718; importing NEWCO afterwards moves the
    2025 bars to HK:02718@2025 in the same write."""
    s = _store(tmp_path, LISTINGS.splitlines()[0] + "\n" + LISTINGS.splitlines()[1] + "\n")
    try:
        data.import_prices(s, _write(tmp_path, "bars.csv", PRICES))
        assert _counts(s) == {"HK:02718": 10, "HK:06082": 2}
        data.import_file(s, _write(tmp_path, "newco.csv", LISTINGS.splitlines()[0] + "\n"
                                   + LISTINGS.splitlines()[2] + "\n"), "newco listing")
        assert _counts(s) == SPLIT
        # a re-import of the same file then adds nothing and leaves no copy on the older listing
        data.import_prices(s, _write(tmp_path, "bars.csv", PRICES))
        assert _counts(s) == SPLIT
    finally:
        s.close()


# -- fetch ------------------------------------------------------------------------------------------------------------
# AKShare stock_hk_hist's columns (see tests/fixtures/providers/akshare/stock_hk_hist_06082.csv); values invented.
HK_HIST = """# fixture: ak.stock_hk_hist(symbol="02718", period="daily", adjust=""); synthetic bars of a reused code
日期,开盘,收盘,最高,最低,成交量,成交额,振幅,涨跌幅,涨跌额,换手率
2019-07-12,3.00,3.60,3.80,2.95,5000000,17500000.0,28.33,20.00,0.60,5.00
2019-07-15,3.60,3.50,3.70,3.40,2000000,7000000.0,8.33,-2.78,-0.10,2.00
2020-03-03,2.05,2.01,2.12,1.98,800000,1608000.0,6.83,-1.95,-0.04,0.80
2025-07-09,10.00,8.50,10.20,8.20,30000000,255000000.0,20.00,-15.00,-1.50,30.00
2025-07-10,8.50,9.00,9.10,8.40,12000000,108000000.0,8.24,5.88,0.50,12.00
"""


@pytest.fixture()
def recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "_OVERRIDES", {})
    monkeypatch.setattr(base, "_PROBED", set())
    transport = ReplayTransport({"stock_hk_hist": _write(tmp_path, "stock_hk_hist_02718.csv", HK_HIST)})
    base.set_transport("akshare", transport)
    return transport


def test_fetch_splits_a_reused_code_by_listing_date(store, recorded):
    res = data.fetch_prices(store, ["02718"], provider="akshare")
    assert not res.failures, res.failures
    assert recorded.calls[0][1]["symbol"] == "02718"
    assert recorded.calls[0][1]["start_date"] == "20190712"  # from the code's first listing
    assert _counts(store) == {"HK:02718": 3, "HK:02718@2025": 2}
    assert res.added == 5
    again = data.fetch_prices(store, ["02718"], provider="akshare")
    assert again.added == 0 and _counts(store) == {"HK:02718": 3, "HK:02718@2025": 2}


def test_fetch_of_a_named_listing_keeps_its_own_bars(store, recorded):
    res = data.fetch_prices(store, ["02718@2025"], provider="akshare")
    assert not res.failures, res.failures
    call = recorded.calls[0][1]
    assert call["symbol"] == "02718" and call["start_date"] == "20250709"
    # the recording answers with every bar; the three before NEWCO listed are left out, not stored on OLDCO
    assert _counts(store) == {"HK:02718@2025": 2}
    assert "3 bar(s) outside HK:02718@2025's trading dates left out" in " ".join(res.lines)


def test_fetch_of_the_older_listing_stops_before_the_next(store, recorded):
    data.fetch_prices(store, ["02718@2019"], provider="akshare")
    call = recorded.calls[0][1]
    assert call["start_date"] == "20190712" and call["end_date"] == "20250708"
    assert _counts(store) == {"HK:02718": 3}


def test_fetch_of_a_listing_the_ledger_lacks_is_refused(store, recorded):
    from ipolens.ledger.store import EntityNotFound

    with pytest.raises(EntityNotFound, match="2022"):
        data.fetch_prices(store, ["02718@2022"], provider="akshare")
    assert recorded.calls == []


# AKShare stock_hk_security_profile_em's columns (see tests/fixtures/providers/akshare/); the deal is invented.
HK_PROFILE = """# fixture: ak.stock_hk_security_profile_em(symbol="02718"); synthetic profile of NEWCO
证券代码,证券简称,上市日期,证券类型,发行价,发行量(股),每手股数,每股面值,交易所,板块,年结日,ISIN（国际证券识别编码）,是否沪港通标的,是否深港通标的
02718.HK,新公司机器人,2025-07-09 00:00:00,非H股,10.0,50000000,500,0.0001 USD,香港交易所,主板,12-31,KYG0000A0000,否,否
"""


def test_fetched_profile_of_a_reused_code_lands_on_its_own_listing(store, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "_OVERRIDES", {})
    monkeypatch.setattr(base, "_PROBED", set())
    path = _write(tmp_path, "profile_02718.csv", HK_PROFILE)
    base.set_transport("akshare", ReplayTransport({"stock_hk_security_profile_em": path}))
    old = _rows(store, "SELECT field, value_num, value_text FROM facts WHERE entity = 'HK:02718' ORDER BY ALL")
    res = data.fetch_ipos(store, "HK", codes=["02718"])
    assert not res.failures, res.failures
    got = dict(_rows(store, "SELECT field, value_num FROM facts WHERE entity = 'HK:02718@2025' "
                            "AND source_id = ? AND value_num IS NOT NULL", [res.source_id]))
    assert got["offer_price"] == 10.0 and got["lot_size"] == 500
    # the 2019 listing gained nothing from the 2025 deal's profile
    assert _rows(store, "SELECT field, value_num, value_text FROM facts WHERE entity = 'HK:02718' "
                        "ORDER BY ALL") == old


def test_events_are_placed_by_listing_date():
    import datetime as dt

    from ipolens.data.providers.models import IpoEvent
    from ipolens.data.providers.sink import key_events

    listings = {"HK:02718": [{"key": "HK:02718", "listing_date": "2019-07-12"},
                             {"key": "HK:02718@2025", "listing_date": "2025-07-09"}]}
    events = [IpoEvent("HK:02718", dt.date(2019, 7, 12)), IpoEvent("HK:02718", dt.date(2025, 7, 10)),
              IpoEvent("HK:02718", dt.date(2027, 3, 1)), IpoEvent("HK:02718", None),
              IpoEvent("HK:02718", None, extra={"expected_listing_date": "2025-07-09"}),
              IpoEvent("HK:06082", dt.date(2026, 1, 2))]
    placed, notes = key_events(events, listings, 365)
    assert [e.code for e in placed] == ["HK:02718", "HK:02718@2025", "HK:02718@2027", "HK:02718@2025", "HK:06082"]
    assert len(notes) == 2 and "created HK:02718@2027" in notes[0] and "left out" in notes[1]


# -- readers ----------------------------------------------------------------------------------------------------------
def test_lab_reads_each_listing_own_bars(store, tmp_path):
    from ipolens.app.lab import load_universe

    data.import_prices(store, _write(tmp_path, "bars.csv", PRICES))
    u = load_universe(store, "HK", 2019, 2025, bars="daily")
    lens = {u.meta["entity"].iat[i]: len(u.bars(i)) for i in range(len(u))}
    assert lens == {"HK:02718": 7, "HK:02718@2025": 3}
