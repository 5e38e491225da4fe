"""HK fee schedule of hk-ipo-rules §1.9, integer-cent rounding, stamp duty rounded up, market defaults."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

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


YAML = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "hk" / "regimes" / "fees-hk.yaml"


def test_hk_rates_are_the_yaml_schedule():
    doc = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    hk = F.schedule("HK")
    assert {c.name: c.rate for c in hk.subscribe} == {k: float(v) for k, v in doc["application"].items()}
    # the sale's commission is the broker's: the lab's stated assumption replaces the YAML's placeholder 0
    sale = {k: float(v) for k, v in doc["sale"].items() if k != "commission"}
    assert {c.name: c.rate for c in hk.sell if c.name != "commission"} == sale
    assert {c.name: c.rate for c in hk.buy if c.name != "commission"} == sale


@pytest.fixture()
def changed_yaml(monkeypatch):
    """The HK schedule read from a copy of fees-hk.yaml with the SFC levy raised to 0.1% and stamp duty to 0.2%."""
    text = YAML.read_text(encoding="utf-8")
    changed = text.replace('sfc_levy: "0.000027"', 'sfc_levy: "0.001"').replace('stamp_duty: "0.001"',
                                                                                 'stamp_duty: "0.002"')
    assert changed.count('"0.001"') == 2 and '"0.002"' in changed
    monkeypatch.setattr(F, "_hk_yaml_text", lambda: changed)
    F._schedules.cache_clear()
    yield changed
    monkeypatch.undo()
    F._schedules.cache_clear()


def test_a_changed_yaml_changes_the_lab_fees(changed_yaml):
    hk = F.schedule("HK")
    # 14,460 applied: brokerage 144.60 + SFC 14.46 (0.1%) + AFRC 0.02 + trading fee 0.82
    assert hk.order_fee("subscribe", 14460.0, 100) == pytest.approx(144.60 + 14.46 + 0.02 + 0.82, abs=1e-9)
    # 15,000.01 sold: stamp 0.2% = 30.00002 rounded up to 31, commission 4.50, SFC 15.00, AFRC 0.02, fee 0.85
    assert hk.order_fee("sell", 15000.01, 100) == pytest.approx(31 + 4.50 + 15.00 + 0.02 + 0.85, abs=1e-9)
    assert F.hk_schedule(changed_yaml).order_fee("buy", 15000.01, 100) == hk.order_fee("sell", 15000.01, 100)
    # and the flip's P&L per lot moves with it (buy 100 at 10, debut close 11: by hand with the changed rates)
    from ipolens.lab import rules as R
    from ipolens.lab.universe import from_arrays

    u = from_arrays([[11.0]], offer=[10.0], lot=[100.0])
    pnl = R.simulate(u, R.Strategy(), hk).trades["pnl_per_lot"].iloc[0]
    fee_in = 10.00 + 1.00 + 0.0 + 0.06  # 1,000: brokerage, SFC 0.1%, AFRC 0.0015 -> 0.00, trading fee 0.0565
    fee_out = 3.0 + 3.0 + 1.10 + 0.0 + 0.06  # 1,100: stamp 2.2 -> 3, commission min 3, SFC 1.10, AFRC, fee
    assert pnl == pytest.approx(1100 - 1000 - fee_in - fee_out, abs=1e-9)


def test_a_bad_yaml_is_refused():
    with pytest.raises(ValueError, match="application"):
        F.hk_schedule("id: x\napplication: []\nsale: {stamp_duty: '0.001'}\n")
