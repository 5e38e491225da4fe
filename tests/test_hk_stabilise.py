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


def test_parse_path_inline_and_csv():
    from ipolens.hk.stabilise import parse_path

    assert parse_path("20.1, 19.2,") == [(None, 20.1), (None, 19.2)]
    # a file's text: header skipped, dated rows; one row with a trailing newline is still a CSV row
    assert parse_path("date,close\n2026-01-02,19.5\n2026-01-05,19.7\n") == [(dt.date(2026, 1, 2), 19.5),
                                                                          (dt.date(2026, 1, 5), 19.7)]
    assert parse_path("2026-01-02,19.5\n") == [(dt.date(2026, 1, 2), 19.5)]
    for bad in ("", "9,x", "2026-02-30,9\n"):
        with pytest.raises(ValueError):
            parse_path(bad)


def test_dated_csv_path_through_the_cli(tmp_path, run_cli):
    import json

    csv = tmp_path / "path.csv"
    # deadline 2026-01-01 -> window ends 2026-01-31 (30 days later, rules 1.5): the February close is ignored
    csv.write_text("date,close\n2026-01-05,9.0\n2026-02-02,8.0\n", encoding="utf-8")
    r = run_cli("hk", "stabilise", "--offer-price", "10", "--base-shares", "1000000", "--path", str(csv),
                "--deadline", "2026-01-01", "--daily-cap", "100000", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["window_end"], out["days_used"], out["days_ignored_after_window"]) == ("2026-01-31", 1, 1)
    # 150,000 short; 100,000 bought at 9.0 on 5 January; 50,000 left -> partial greenshoe
    assert (out["shares_bought_back"], out["greenshoe_exercised_shares"], out["exercise"]) == (100_000, 50_000,
                                                                                              "partial")
