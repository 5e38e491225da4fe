"""Deal-term identities added for issue 13: the cornerstone subscription as shares x price, the margin multiple over
the base offer's public tranche, an order book stated in USD and HKD. Invented figures; each verdict worked by hand."""
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, half, qualifier="exact", gap=""):
    pos = n * 20
    return Claim(id=f"k#{n}", article="k", entity="某公司", entity_key="HK:06666", code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence="某公司的一句话", _nstart=pos, _nend=pos + 5, _resn=half, _gap=gap)


# "基石投资者认购2000.00万股, 按指示性价格中位数每股12.50港元计, 认购金额X亿港元"
# 1999.995万..2000.005万 x 12.50 = 2.49999亿..2.50001亿
@pytest.mark.parametrize("amount, flagged", [(2.50e8, False), (2.80e8, True)])
def test_cornerstone_amount_is_shares_at_the_price(amount, flagged):
    cs = [claim(1, "cornerstone_shares", 2000.00e4, "shares", 0.005e4),
          claim(2, "offer_price_mid", 12.50, "HKD", 0.005),
          claim(3, "cornerstone_amount", amount, "HKD", 0.005e8)]  # '2.50亿' admits 2.495亿..2.505亿; 2.80亿 does not
    verify({"k": cs})
    assert (cs[2].verdict in FLAGS) == flagged and "cornerstone_money" in cs[2].why
    if not flagged:
        assert cs[2].verdict == "consistent"


# "原计划发行1.00亿股, 公开发售占10%, 招股价5.00港元; 孖展认购500亿港元, 超购X倍"
# public tranche at the base offer: 1.00亿 x 10% x 5.00 = 5000万; 500亿 / 5000万 = 1000x. With the rounding of 10%
# (9.5..10.5) and 1.00亿 (0.995..1.005): 500.5亿 / (0.995亿 x 0.095 x 5.00) = 1059x at most, 499.5亿 /
# (1.005亿 x 0.105 x 5.00) = 947x at least. '1000倍' fits; '1200倍' does not.
@pytest.mark.parametrize("multiple, flagged", [(1000, False), (1200, True)])
def test_margin_multiple_over_the_base_offer(multiple, flagged):
    cs = [claim(1, "shares_offered_initial", 1.00e8, "shares", 0.005e8),
          claim(2, "public_tranche_pct", 10, "pct", 0.5),
          claim(3, "offer_price", 5.00, "HKD", 0.005),
          claim(4, "margin_subscription", 500e8, "HKD", 0.5e8),
          claim(5, "margin_oversubscription", multiple, "x", 0.5)]
    verify({"k": cs})
    assert (cs[4].verdict in FLAGS) == flagged and "margin_multiple_from_terms" in cs[4].why


def test_an_order_book_in_two_currencies():
    # "机构认购100亿美元 ... 即约780亿港元的订单" (two statements apart, not a bracketed conversion):
    # 100亿 x 7.75..7.85 = 775亿..785亿 HKD holds 780亿
    cs = [claim(1, "institutional_orders", 100e8, "USD", 0.5e8),
          claim(20, "institutional_orders", 780e8, "HKD", 0.5e8, "about")]
    verify({"k": cs})
    assert cs[1].verdict == "consistent" and "hkd_usd_peg" in cs[1].why


def _tw(n, metric, value, half):
    c = claim(n, metric, value, "TWD", half)
    c.entity_key = "TW:9999"
    return c


# "承銷價50元, 以興櫃均價62.40元計算, 抽中一張現賺X萬元": 1,000 shares x (62.40 − 50) = 12,400 = 1.24萬
@pytest.mark.parametrize("gain, half, verdict", [
    (1.24e4, 0.005e4, "consistent"),   # '1.24萬' admits 12,350..12,450
    (1.42e4, 0.005e4, "inconsistent"),  # '1.42萬' (14,150..14,250): two digits swapped would be excused; this is not
])
def test_a_taiwan_lottery_win_is_one_lot_at_the_later_price(gain, half, verdict):
    cs = [_tw(1, "offer_price", 50, 0.5), _tw(2, "emerging_board_avg_price", 62.40, 0.005),
          _tw(3, "gain_per_lot", gain, half)]
    verify({"k": cs})
    assert "tw_lot" in cs[2].why
    assert cs[2].verdict == verdict or (verdict == "inconsistent" and cs[2].verdict in FLAGS)


def test_the_taiwan_lot_is_not_used_for_another_currency():
    # the same figures in HKD: no Taiwan lot applies (and no lot is stated), so nothing is said
    cs = [claim(1, "offer_price", 50, "HKD", 0.5), claim(2, "close_price", 62.40, "HKD", 0.005),
          claim(3, "gain_per_lot", 1.42e4, "HKD", 0.005e4)]
    verify({"k": cs})
    assert cs[2].verdict == "unverifiable"
