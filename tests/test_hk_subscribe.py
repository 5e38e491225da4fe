"""Subscription calculator: financing, bands, P&L arithmetic by hand."""
import pandas as pd
import pytest

import ipolens
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


def test_band_sample_counts_independently():
    db = ipolens.open(":memory:")
    ipos = db.ipos(market="HK")
    db.close()
    label, rets = sub.band_sample(ipos, 2347.53, exclude_entity="HK:06082")
    hot = ipos[(ipos["oversubscription_public"] >= 1000) & ipos["first_day_return"].notna()
               & (ipos["entity"] != "HK:06082")]
    assert label == ">=1000x" and len(rets) == len(hot) > 0
    assert rets.mean() == pytest.approx(hot["first_day_return"].mean())
    assert sub.band_of(15) == (15, 50) and sub.band_of(14.99) == (1, 15)
    with pytest.raises(ValueError):
        sub.band_of(-1)
