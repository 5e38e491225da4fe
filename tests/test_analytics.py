"""Analytics on hand-computed values (worked out on paper from the article figures)."""
import pytest

from ipolens.analytics import aftermarket as am
from ipolens.analytics import deal, fundamentals as fu, valuation


def test_first_day_returns():
    assert am.pct_change(35.7, 19.6) == pytest.approx(82.142857142857)  # 16.1 / 19.6
    assert am.pct_change(600.50, 114.28) == pytest.approx(425.4638, abs=1e-4)  # Moore Threads, not 425.26
    assert am.price_from_return(19.6, 75.8) == pytest.approx(34.4568)
    with pytest.raises(ValueError):
        am.pct_change(1.0, 0.0)


def test_turnover_ratio():
    assert am.turnover_ratio(55.2e8, 855.4e8) == pytest.approx(6.4531, abs=1e-4)


def test_rebased_excess_return():
    # stock +50% on day N from offer, +20% on day 0 -> +25% from the listing close; index +5% -> excess 20 pp
    assert am.rebased_excess_return(50.0, 20.0, 5.0) == pytest.approx(20.0)


def test_deal_arithmetic():
    assert deal.proceeds(19.6, 284_846_600) == pytest.approx(5_582_993_360)
    assert deal.market_cap(10.0, 2e9) == 2e10
    assert deal.cornerstone_share(29e8, 55.83e8) == pytest.approx(51.943, abs=1e-3)
    assert deal.implied_offer_size(29e8, 64) == pytest.approx(45.3125e8)
    assert deal.cornerstone_amount(50, 10e8) == 5e8
    assert deal.greenshoe_shares(1_000_000) == 150_000
    assert deal.greenshoe_proceeds(55.83e8, 15) == pytest.approx(8.3745e8)
    assert deal.per_lot_gain(200, 35.7, 19.6) == pytest.approx(3220.0)
    with pytest.raises(ValueError):
        deal.cornerstone_share(1, 0)


def test_growth_cagr_and_losses():
    assert fu.growth(6203e4, 3.37e8) == pytest.approx(443.29, abs=0.01)
    assert fu.cagr(17e8, 301e8, 4) == pytest.approx(105.13, abs=0.01)  # CIC market 2020 -> 2024
    assert fu.cagr(49.9e4, 3.37e8, 2) == pytest.approx(2498.75, abs=0.01)
    assert fu.loss_change(10.51e8, 7.67e8) == pytest.approx(-27.022, abs=1e-3)
    with pytest.raises(ValueError):
        fu.cagr(0, 1, 1)
    with pytest.raises(ValueError):
        fu.cagr(1, 2, 0)


def test_rd_and_backlog():
    assert fu.implied_opex(10.18e8, 79.8) == pytest.approx(12.7569e8, rel=1e-4)
    assert fu.implied_opex(8.27e8, 73.7) == pytest.approx(11.2212e8, rel=1e-4)
    assert fu.rd_intensity(8.27e8, 3.37e8) == pytest.approx(245.40, abs=0.01)
    assert fu.backlog_cover(8.22e8, 3.37e8) == pytest.approx(2.4392, abs=1e-4)
    assert valuation.price_to_sales(855.4e8, 3.37e8 * 1.1) == pytest.approx(230.75, abs=0.01)


def test_periods():
    assert fu.period_years("FY2022", "FY2024") == 2
    assert sorted(["FY2024", "2025H1", "2024H1", "FY2022"], key=fu.period_sort_key) == \
        ["FY2022", "2024H1", "FY2024", "2025H1"]
    with pytest.raises(ValueError):
        fu.period_years("2025H1", "FY2024")


def test_fx_lookup_direct_inverse_cross():
    import datetime as dt

    import pandas as pd

    from ipolens.analytics.fx import FxMissing, FxTable, find_rate

    fx = FxTable(pd.DataFrame({"date": ["2026-01-05", "2026-01-05"], "base": ["USD", "USD"],
                               "quote": ["HKD", "CNY"], "rate": [7.8, 7.0], "source_id": ["fx:test"] * 2}))
    on = dt.date(2026, 1, 6)
    assert find_rate(fx, "USD", "HKD", on).rate == 7.8
    inv = find_rate(fx, "HKD", "USD", on)
    assert inv.rate == pytest.approx(1 / 7.8) and inv.via == "inverse"
    cross = find_rate(fx, "CNY", "HKD", on)
    assert cross.rate == pytest.approx(7.8 / 7.0) and cross.via == "cross:USD"
    with pytest.raises(FxMissing):
        find_rate(fx, "USD", "HKD", dt.date(2026, 2, 1))  # stale beyond 7 days
