"""HK fee schedule of hk-ipo-rules §1.9, integer-cent rounding, stamp duty rounded up, market defaults."""
from __future__ import annotations

import pytest

from ipolens.lab import fees as F


def test_iluvatar_entry_fee():
    # 100 x 144.6 = 14,460 + brokerage 144.60 + SFC 0.39 + AFRC 0.02 + trading fee 0.82
    assert F.iluvatar_entry_fee_check() == pytest.approx(14605.83, abs=1e-9)


def test_sale_fees_hk():
    hk = F.schedule("HK")
    amount = 15000.01
    fee = hk.order_fee("sell", amount, 100)
    stamp = 16.0  # 15.00001 rounded UP to the dollar
    commission = round(amount * 0.0003, 2)  # 4.50, above the HK$3 minimum
    levies = round(amount * 0.000027, 2) + round(amount * 0.0000015, 2) + round(amount * 0.0000565, 2)
    assert fee == pytest.approx(stamp + commission + levies, abs=1e-9)
    # small sale: the commission minimum and the HK$1 stamp floor bite
    assert hk.order_fee("sell", 100.0, 100) == pytest.approx(3.0 + 1.0 + 0.0 + 0.0 + 0.01, abs=1e-9)


def test_overrides_and_markets():
    hk = F.schedule("hk").with_overrides(commission=0.0, handling_fee=50.0, slippage=0.001)
    assert hk.slippage == 0.001
    assert hk.order_fee("subscribe", 14460.0, 100) == pytest.approx(145.83 + 50.0, abs=1e-9)
    assert hk.order_fee("sell", 15000.0, 100) == pytest.approx(15.0 + 0.41 + 0.02 + 0.85, abs=1e-9)
    cn = F.schedule("STAR")
    assert cn.order_fee("subscribe", 1e5, 500) == 0.0
    assert cn.order_fee("sell", 1e5, 500) == pytest.approx(25.0 + 3.41 + 1.0 + 50.0, abs=1e-9)
    us = F.schedule("NASDAQ")
    assert us.order_fee("buy", 1e4, 100) == 0.0
    assert us.order_fee("sell", 1e6, 1e6) == pytest.approx(27.8 + 8.30, abs=1e-9)  # TAF capped
    with pytest.raises(ValueError, match="did you mean HK"):
        F.schedule("HKK")
    with pytest.raises(ValueError):
        F.schedule("HK").with_overrides(slippage=-0.1)
