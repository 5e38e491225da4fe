"""Integer-cent fees, checked against hand arithmetic."""
from hypothesis import given, strategies as st

from ipolens.hk import fees


def test_iluvatar_entry_fee():
    b = fees.application_amount(144.6, 100)
    # 14,460.00 + 1% 144.60 + SFC 0.39 (0.390) + trading 0.82 (0.81699) + AFRC 0.02 (0.02169)
    assert b.items == {"principal": 1446000, "brokerage": 14460, "sfc_levy": 39, "hkex_trading_fee": 82,
                       "afrc_levy": 2}
    assert b.total == 1460583
    assert fees.fmt(b.total) == "14,605.83"


def test_half_up_rounding():
    # 0.0027% of HK$5,000.00 = 0.135 -> 0.14 (half up), not banker's 0.14/0.13 ambiguity
    b = fees.application_amount(50, 100)
    assert b.items["sfc_levy"] == 14
    assert fees.round_half_up(fees.Fraction(5, 2)) == 3


def test_sale_stamp_duty_rounds_up_to_dollar():
    c = fees.sale_costs(1000001)  # HK$10,000.01 -> 0.1% = 10.00001 -> HK$11
    assert c.items["stamp_duty"] == 1100
    assert fees.sale_costs(1000000).items["stamp_duty"] == 1000


def test_interest_actual_365():
    # 100,000.00 at 3.65% for 10 days = 100.00
    assert fees.interest_cents(10_000_000, 0.0365, 10) == 10000


@given(price_cents=st.integers(1, 10_000_000), shares=st.integers(0, 10_000_000))
def test_total_bounds(price_cents, shares):
    b = fees.application_amount(price_cents / 100, shares)
    principal = price_cents * shares
    assert b.items["principal"] == principal
    total_rate = 0.01 + 0.000027 + 0.0000565 + 0.0000015
    assert abs(b.total - principal * (1 + total_rate)) <= 2  # four roundings of at most half a cent
