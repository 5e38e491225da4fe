"""The markets registry and the one calendar loader, checked against the exchanges' own conventions."""
from __future__ import annotations

import datetime as dt

import pytest

from ipolens.ledger import calendars, markets
from ipolens.ledger.codes import parse_code


def test_every_market_has_a_calendar_that_loads():
    for m in markets.MARKETS:
        cal = calendars.calendar(m)
        assert cal.name == markets.calendar_name(m)


@pytest.mark.parametrize("code", ["6082.HK", "688795", "300750.SZ", "600000.SH"])
def test_code_prefix_matches_the_code_parser(code):
    # the registry's prefix for the board a code belongs to is the prefix parse_code gives
    lc = parse_code(code)
    board = {"STAR": "STAR", "ChiNext": "SZ"}.get(lc.board, lc.market)
    assert markets.market(board).code_prefix == lc.market


def test_aliases_and_refusals():
    assert markets.normalise_market("us") == "NASDAQ"
    assert markets.normalise_market(" hk ") == "HK"
    with pytest.raises(markets.UnknownMarket, match="expected one of"):
        markets.normalise_market("LSE")
    with pytest.raises(markets.UnknownMarket):
        markets.normalise_market("STAR", allowed=markets.markets_with("hk"))


def test_hk_holidays_roll_forward():
    # 2026-01-01 is a Hong Kong public holiday and 2026-01-03/04 a weekend (HKEX trading calendar)
    assert calendars.roll_forward(dt.date(2026, 1, 1), "HK") == dt.date(2026, 1, 2)
    assert calendars.roll_forward(dt.date(2026, 1, 3), "HK") == dt.date(2026, 1, 5)
    # 2025-10-01..08 is China's National Day golden week on the SSE; 2025-10-09 reopens
    assert calendars.roll_forward(dt.date(2025, 10, 1), "STAR") == dt.date(2025, 10, 9)


def test_sessions_are_weekdays_inside_the_range():
    s = calendars.sessions("NASDAQ", "2025-07-01", "2025-07-08")
    days = [str(d)[:10] for d in s]
    # 4 July is Independence Day; 5-6 July a weekend
    assert days == ["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-07", "2025-07-08"]
