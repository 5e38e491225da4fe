"""Stabilisation and greenshoe, worked by hand."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from ipolens.hk.stabilise import stabilise, window_end


def test_price_above_offer_full_exercise():
    r = stabilise(10.0, 1_000_000, [(None, 11.0), (None, 12.0)])
    assert r.over_allotted_shares == 150_000
    assert r.shares_bought_back == 0
    assert (r.greenshoe_exercised_shares, r.exercise) == (150_000, "full")
    assert r.final_offer_shares == 1_150_000
    assert r.greenshoe_proceeds_hkd == 1_500_000.0


def test_partial_with_daily_cap():
    # 15% of 1,000,000 = 150,000 short; two days below 10 with a 50,000 cap -> buy 100,000, exercise 50,000
    r = stabilise(10.0, 1_000_000, [(None, 9.5), (None, 9.8), (None, 10.2)], daily_cap_shares=50_000)
    assert r.shares_bought_back == 100_000
    assert r.buyback_cost_hkd == pytest.approx(50_000 * 9.5 + 50_000 * 9.8)
    assert (r.greenshoe_exercised_shares, r.exercise) == (50_000, "partial")
    assert r.final_offer_shares == 1_050_000


def test_no_exercise_when_price_breaks():
    r = stabilise(10.0, 2_000_000, [(None, 9.0)], over_allotment_pct=10)
    assert r.shares_bought_back == 200_000 and r.greenshoe_exercised_shares == 0 and r.exercise == "none"
    assert r.final_offer_shares == 2_000_000


def test_window_ends_30_days_after_deadline():
    deadline = dt.date(2025, 12, 29)
    assert window_end(deadline) == dt.date(2026, 1, 28)
    path = [(dt.date(2026, 1, 27), 11.0), (dt.date(2026, 1, 29), 5.0)]  # the dip comes after the window
    r = stabilise(10.0, 1_000_000, path, application_deadline=deadline)
    assert r.days_ignored_after_window == 1 and r.exercise == "full"


def test_buys_at_offer_only_when_asked():
    assert stabilise(10.0, 100_000, [(None, 10.0)]).shares_bought_back == 0
    assert stabilise(10.0, 100_000, [(None, 10.0)], buy_at_offer=True).shares_bought_back == 15_000


@given(path=st.lists(st.floats(0.5, 20), min_size=1, max_size=30), base=st.integers(0, 10**8),
       oa=st.floats(0, 15), cap=st.one_of(st.none(), st.integers(0, 10**7)))
def test_conservation(path, base, oa, cap):
    r = stabilise(10.0, base, [(None, p) for p in path], oa, daily_cap_shares=cap)
    assert r.shares_bought_back + r.greenshoe_exercised_shares == r.over_allotted_shares
    assert 0 <= r.greenshoe_exercised_shares <= r.over_allotted_shares
    assert all(p["price"] < 10.0 for p in r.purchases)  # never above (here: never at) the offer price


def test_bad_input():
    with pytest.raises(ValueError):
        stabilise(10.0, 1000, [(None, 9.0)], over_allotment_pct=20)
    with pytest.raises(ValueError):
        stabilise(-1, 1000, [(None, 9.0)])
    with pytest.raises(ValueError):
        stabilise(10.0, 1000, [(None, -9.0)])
