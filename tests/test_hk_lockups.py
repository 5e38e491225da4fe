"""Lock-up calendar: calendar months, month-end clamp, roll to the next session of the real exchange calendar."""
import datetime as dt

import exchange_calendars as xcals
import pandas as pd
import pytest

from ipolens.hk.lockups import add_months, calendar_events, expiry, roll_forward


def _ipos(store, market):
    from ipolens.ledger.queries.hk import market_ipos

    with store.read() as led:
        return market_ipos(led, market)


def test_add_months_clamps():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)  # leap year
    assert add_months(dt.date(2026, 1, 2), 6) == dt.date(2026, 7, 2)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 1, 9), 24) == dt.date(2028, 1, 9)


def test_roll_over_hk_holiday():
    # 1 July is HKSAR Establishment Day; 2026-07-01 is a Wednesday
    assert roll_forward(dt.date(2026, 7, 1), "XHKG") == dt.date(2026, 7, 2)
    # Sunday 2026-07-12 rolls to Monday 2026-07-13
    assert roll_forward(dt.date(2026, 7, 12), "XHKG") == dt.date(2026, 7, 13)
    assert roll_forward(dt.date(2026, 7, 13), "XHKG") == dt.date(2026, 7, 13)


def test_us_day_count():
    # Nasdaq maps to XNYS through the markets registry, as everywhere else
    end, session = expiry(dt.date(2026, 1, 2), "NASDAQ", days=180)
    assert end == dt.date(2026, 7, 1)
    assert session == dt.date(2026, 7, 1)  # a Wednesday, a Nasdaq session
    end, session = expiry(dt.date(2026, 1, 6), "NASDAQ", days=180)
    assert end == dt.date(2026, 7, 5) and session == dt.date(2026, 7, 6)  # Sunday -> Monday
    # 2026-01-19 + 180 days = 2026-07-18, a Saturday -> Monday 2026-07-20
    assert expiry(dt.date(2026, 1, 19), "NASDAQ", days=180) == (dt.date(2026, 7, 18), dt.date(2026, 7, 20))
    # Independence Day 2026 is a Saturday, observed Friday 2026-07-03: 2026-01-04 + 180 days = 2026-07-03 -> 07-06
    assert expiry(dt.date(2026, 1, 4), "NASDAQ", days=180) == (dt.date(2026, 7, 3), dt.date(2026, 7, 6))
    with pytest.raises(ValueError):
        expiry(dt.date(2026, 1, 2), "NASDAQ")


def test_2026_cornerstone_expiries_on_xhkg_sessions(store):
    ipos = _ipos(store, "HK")
    ev = [e for e in calendar_events(ipos, dt.date(2026, 6, 1), dt.date(2026, 8, 31)) if e.holder == "cornerstone"]
    listed_2026 = ipos[ipos["listing_date"] >= dt.date(2026, 1, 1)]
    assert sorted(e.code for e in ev) == sorted(listed_2026["code"])
    cal = xcals.get_calendar("XHKG", start="2026-01-01", end="2026-12-31")
    for e in ev:
        assert cal.is_session(pd.Timestamp(e.expiry_session))
        # six calendar months, never 180 days
        assert (e.end_date.year, e.end_date.month) == (e.listing_date.year, e.listing_date.month + 6)
        assert e.expiry_session >= e.end_date and (e.expiry_session - e.end_date).days < 5
    by_code = {e.code: e.expiry_session for e in ev}
    assert by_code["06082.HK"] == dt.date(2026, 7, 2)
    assert by_code["00501.HK"] == dt.date(2026, 7, 13)  # 2026-07-12 is a Sunday


def test_18c_rules_flagged_unconfirmed(store):
    ipos = _ipos(store, "HK")
    ev = calendar_events(ipos[ipos["code"] == "06082.HK"])
    holders = {e.holder: e for e in ev}
    assert holders["cornerstone"].unconfirmed is False
    assert any(h.startswith("18C") and e.unconfirmed for h, e in holders.items())
    ctrl = holders["controlling shareholder (keep control)"]
    assert ctrl.end_date == dt.date(2027, 1, 2) and ctrl.expiry_session == dt.date(2027, 1, 4)


def test_star_beyond_recorded_calendar_is_flagged(store):
    star = _ipos(store, "STAR")
    ev = calendar_events(star)
    assert ev, "the embedded data holds STAR listings (Moore Threads, MetaX)"
    for e in ev:
        assert e.calendar == "XSHG"
        assert e.period.endswith("months")  # STAR lock-ups are months too (rules doc 2), never 180 days
        if e.period == "36 months":
            # XSHG records holidays about a year ahead: later dates roll over weekends only, and say so
            assert e.calendar_note and e.expiry_session.weekday() < 5


def test_star_offline_lockup_is_six_months_on_xshg(store):
    star = _ipos(store, "STAR")
    ev = {e.code: e for e in calendar_events(star) if "offline" in e.holder}
    # Moore Threads listed 2025-12-05 -> 2026-06-05 (a Friday, an XSHG session); 180 days would be 2026-06-03
    mt = ev["688795.SH"]
    assert (mt.period, mt.end_date, mt.expiry_session, mt.calendar) == (
        "6 months", dt.date(2026, 6, 5), dt.date(2026, 6, 5), "XSHG")
    # MetaX listed 2025-12-17 -> 2026-06-17 (a Wednesday; Dragon Boat falls on 2026-06-19)
    mx = ev["688802.SH"]
    assert (mx.end_date, mx.expiry_session) == (dt.date(2026, 6, 17), dt.date(2026, 6, 17))
    # a STAR listing on 2025-11-04 ends 2026-05-04, inside the mainland May Day closure (1-5 May) but an HKEX
    # session: it must roll on XSHG to Wednesday 2026-05-06
    row = star[star["code"] == "688795.SH"].copy()
    row["listing_date"] = pd.Timestamp("2025-11-04")
    e = next(e for e in calendar_events(row) if "offline" in e.holder)
    assert (e.end_date, e.expiry_session) == (dt.date(2026, 5, 4), dt.date(2026, 5, 6))
    assert roll_forward(dt.date(2026, 5, 4), "XHKG") == dt.date(2026, 5, 4)


def test_lockup_markets_and_nasdaq_calendar():
    from ipolens.hk.lockups import lockup_markets

    assert lockup_markets() == ("HK", "STAR", "NASDAQ")
    row = pd.DataFrame([{"code": "NEWCO", "name_en": "New Co", "market": "NASDAQ",
                         "listing_date": dt.date(2026, 1, 4)}])
    (e,) = calendar_events(row)
    # 2026-01-04 + 180 days = Friday 2026-07-03, the observed Independence Day holiday -> Monday 2026-07-06,
    # on the registry's calendar for NASDAQ (XNYS)
    assert (e.period, e.end_date, e.expiry_session, e.calendar) == (
        "180 days", dt.date(2026, 7, 3), dt.date(2026, 7, 6), "XNYS")
