"""Subscription calculator: financing, bands, P&L arithmetic by hand."""
import pandas as pd
import pytest

from ipolens.hk import subscribe as sub


def test_financing_by_hand():
    # Iluvatar one lot: 14,605.83 at 90% -> loan 13,145.25 (13,145.247 rounded), cash 1,460.58
    f = sub.financing(1460583, 0.9, 0.035, 7, 100)
    assert (f.loan, f.cash) == (1314525, 146058)
    # 13,145.25 x 3.5% x 7 / 365 = 8.8237 -> 8.82
    assert f.interest == 882 and f.handling_fee == 10000
    with pytest.raises(ValueError):
        sub.financing(100, 1.5, 0.03, 7, 0)


def test_pnl_by_hand():
    # 1 lot of 100 shares at HK$10, allotment certain, returns +10% / -10%, handling fee HK$50, no margin
    fin = sub.financing(101009, 0.0, 0.0, 0, 50)
    # buy: 1,000.00 + 10.00 + 0.03 + 0.06 + 0.00 = 1,010.09
    # +10%: sell 1,100.00; stamp HK$2 (ceil 1.10), SFC 0.03, trading 0.06 (0.0622), AFRC 0.00 -> 1,100 - 2.09 - 1,010.09 - 50
    # -10%: sell 900.00; stamp HK$1, SFC 0.02, trading 0.05, AFRC 0.00 -> 900 - 1.07 - 1,010.09 - 50
    up, down = 110000 - 209 - 101009 - 5000, 90000 - 107 - 101009 - 5000
    res = sub.expected_pnl(1, 100, 10.0, 1, 0.0, pd.Series([10.0, -10.0]), fin)
    assert res["expected_pnl"] == (up + down) // 2
    assert res["pnl_p10"] == down and res["pnl_p90"] == up
    # a coin-flip ballot for the one lot: half the time only the handling fee is lost
    res = sub.expected_pnl(1, 100, 10.0, 0, 0.5, pd.Series([10.0]), fin)
    assert res["expected_pnl"] == round(0.5 * -5000 + 0.5 * up)
    assert 0.3 < res["p_loss"] < 0.7


def test_band_sample_counts_independently(store):
    from ipolens.ledger.queries.hk import market_ipos

    with store.read() as led:
        ipos = market_ipos(led, "HK")
    label, rets = sub.band_sample(ipos, 2347.53, exclude_entity="HK:06082")
    hot = ipos[(ipos["oversubscription_public"] >= 1000) & ipos["first_day_return"].notna()
               & (ipos["entity"] != "HK:06082")]
    assert label == ">=1000x" and len(rets) == len(hot) > 0
    assert rets.mean() == pytest.approx(hot["first_day_return"].mean())
    assert sub.band_of(15) == (15, 50) and sub.band_of(14.99) == (1, 15)
    with pytest.raises(ValueError):
        sub.band_of(-1)


def test_pnl_keeps_three_decimal_prices_exact():
    # 02110.HK: offer HK$0.225, lot 10,000, sold at a 0% first-day return, no sunk costs.
    # principal 0.225 x 10,000 = 2,250.00 exactly (rounding the price to 0.23 first would make it 2,300.00)
    # buy levies on 2,250: brokerage 22.50; SFC 0.06075 -> 0.06; trading 0.127125 -> 0.13; AFRC 0.003375 -> 0.00
    # sale of 2,250.00: stamp 2.25 -> HK$3 (rounded up); SFC 0.06; trading 0.13; AFRC 0.00; commission 0
    # P&L = 2,250.00 - 3.19 - 2,272.69 = -25.88
    fin = sub.financing(227269, 0.0, 0.0, 0, 0)
    res = sub.expected_pnl(1, 10_000, 0.225, 1, 0.0, pd.Series([0.0]), fin)
    assert res["expected_pnl"] == -(2250 + 6 + 13 + 0) - (300 + 6 + 13 + 0) == -2588


def test_sale_costs_round_each_fee_on_the_exact_amount():
    from fractions import Fraction

    from ipolens.hk import fees

    # 2,250.225 HK$ (225,022.5 cents, a sub-cent amount): stamp 2.250225 -> HK$3; SFC 0.0607561 -> 0.06;
    # trading 0.12713771 -> 0.13; AFRC 0.00337534 -> 0.00
    c = fees.sale_costs(Fraction(450045, 2))
    assert c.items == {"stamp_duty": 300, "sfc_levy": 6, "hkex_trading_fee": 13, "afrc_levy": 0, "commission": 0}
