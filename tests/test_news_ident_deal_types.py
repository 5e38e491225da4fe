"""Identities for deal types the first corpora showed little of (issue 13: placings, allotment figures, US ADS debuts
and STAR-market statistics), read from one sentence: a placing's raise and the day's move from its last close, the
grey-market gain per share, the clawback, the raise with an over-allotment option alone, listings above and below their
issue price, the ADS ratio, a raise stated at the range's middle.

Every sentence is invented (fictional companies and figures); each expected verdict is worked by hand in the comment
above it. A correct variant is confirmed and flags nothing; a wrong one flags the figure the arithmetic contradicts.
Relations read from claims built by hand: test_news_ident_deal_claims; conventions: test_news_ident_conventions."""
import pytest

from news_ident_helpers import FLAGS, check, read


# a placing: 1.50亿 shares x 3.20 = 4.80亿 (1.495亿..1.505亿 x 3.195..3.205 = 4.776亿..4.824亿); 5.10亿 is outside
@pytest.mark.parametrize("text, value, wrong", [
    ("乙星科技按每股配售价3.20港元配售1.50亿股新股,集资4.80亿港元。", 4.80e8, False),
    ("乙星科技以每股配售價3.20港元配售1.50億股新股,集資4.80億港元。", 4.80e8, False),
    # 125 million x 3.20 = HK$400 million; HK$430 million is outside (124.5m..125.5m x 3.195..3.205)
    ("Yixing Tech is issuing 125 million new shares at a placing price of HK$3.20 apiece, raising HK$400 million.",
     4.00e8, False),
    ("乙星科技按每股配售价3.20港元配售1.50亿股新股,集资5.10亿港元。", 5.10e8, True),
    ("Yixing Tech is issuing 125 million new shares at a placing price of HK$3.20 apiece, raising HK$430 million.",
     4.30e8, True),
])
def test_placing_raise_is_its_price_times_its_shares(text, value, wrong):
    check(text, "HK", "proceeds_gross", value, "placing_price * placing_shares", wrong)


# the day's move after a placing, from the last close before it: 7.60 / 8.00 - 1 = -5.0%; -6.0% is not it
# (the placing price 7.20 is 1 - 7.20/8.00 = 10.0% below that close)
@pytest.mark.parametrize("text, move, wrong", [
    ("乙星科技配售价较昨日收市价每股8.00港元折让10.0%,配售价7.20港元。该股今日收报7.60港元,跌5.0%。", -5.0, False),
    ("乙星科技配售價較昨日收市價每股8.00港元折讓10.0%,配售價7.20港元。該股今日收報7.60港元,跌5.0%。", -5.0, False),
    ("Yixing's placing price of HK$7.20 is a 10.0% discount to the last close of HK$8.00. It then ended at HK$7.60, "
     "down 5.0%.", -5.0, False),
    ("乙星科技配售价较昨日收市价每股8.00港元折让10.0%,配售价7.20港元。该股今日收报7.60港元,跌6.0%。", -6.0, True),
    ("Yixing's placing price of HK$7.20 is a 10.0% discount to the last close of HK$8.00. It then ended at HK$7.60, "
     "down 6.0%.", -6.0, True),
])
def test_the_move_after_a_placing_is_from_its_last_close(text, move, wrong):
    cs = read(text, "HK")
    c = next(c for c in cs if c.unit == "pct" and c.value == pytest.approx(move))
    if wrong:
        assert c.verdict in FLAGS, c.why
    else:
        assert c.verdict == "consistent" and "last_close_before_placing" in c.why, c.why
        assert not [x for x in cs if x.verdict in FLAGS]


def test_a_previous_close_without_a_placing_is_no_placing_base():
    # no placing named: yesterday's 8.00 is any day's close, so the placing relation does not judge the -6.0%
    # (7.60 / 8.00 - 1 = -5.0% would flag it if it did)
    cs = read("丙辰医疗昨日收市价每股8.00港元。该股今日收报7.60港元,跌6.0%。", "HK")
    assert not [c for c in cs if "last_close_before_placing - 1" in (c.why or "")], [(c.metric, c.why) for c in cs]


# grey market 4.16 against the offer 3.90: +0.26 a share (and 4.16/3.90 - 1 = +6.67%); a fall to 3.64 is -0.26;
# 0.30 is wrong
@pytest.mark.parametrize("text, value, wrong", [
    ("丙辰医疗暗盘收报4.16港元,较招股价3.90港元升0.26港元或6.67%。", 0.26, False),
    ("丙辰醫療暗盤收報4.16港元,較招股價3.90港元升0.26港元或6.67%。", 0.26, False),
    ("丙辰医疗暗盘收报3.64港元,较招股价3.90港元跌0.26港元或6.67%。", -0.26, False),
    ("In grey-market dealings the stock finished at HK$4.16, up HK$0.26 on its HK$3.90 offer price.", 0.26, False),
    ("丙辰医疗暗盘收报4.16港元,较招股价3.90港元升0.30港元。", 0.30, True),
    ("In grey-market dealings the stock finished at HK$4.16, up HK$0.30 on its HK$3.90 offer price.", 0.30, True),
])
def test_grey_market_gain_per_share(text, value, wrong):
    cs = read(text, "HK")
    c = next(c for c in cs if c.metric == "grey_market_gain_per_share")
    assert abs(c.value) == pytest.approx(abs(value))
    if wrong:
        assert c.verdict in FLAGS, c.why
    else:
        assert c.verdict == "consistent" and "grey_market_price - offer_price" in c.why, c.why
        assert not [x for x in cs if x.verdict in FLAGS]


# the clawback: 800万 initial + 600万 clawed back = 1400万 final; 1600万 is not
@pytest.mark.parametrize("text, value, wrong", [
    ("丁山能源香港公开发售初步提呈800万股,其后600万股股份已由国际发售回拨至香港公开发售,香港公开发售最终数目为1400万股。",
     1400e4, False),
    ("丁山能源香港公開發售初步提呈800萬股,其後600萬股股份已由國際發售回撥至香港公開發售,香港公開發售最終數目為1400萬股。",
     1400e4, False),
    ("丁山能源香港公开发售初步提呈800万股,其后600万股股份已由国际发售回拨至香港公开发售,香港公开发售最终数目为1600万股。",
     1600e4, True),
])
def test_clawback_adds_to_the_public_tranche(text, value, wrong):
    check(text, "HK", "public_tranche_shares_final", value, "public_tranche_shares + clawback_shares", wrong)


# the raise with an over-allotment option alone (no upsize option): 15.00 x (1200万 + 180万) = 2.07亿;
# 2.16亿 would need 240万 option shares (2.16亿 / 15 = 1440万). In English: 15.00 x (14.0m + 2.1m) = $241.5m;
# $250.5m would need a 2.7m option
@pytest.mark.parametrize("text, value, wrong", [
    ("壬辰生物发行1200万股,发行价15.00美元,另有180万股超额配售,若超额配股权获悉数行使,集资2.07亿美元。", 2.07e8, False),
    ("壬辰生物發行1200萬股,發行價15.00美元,另有180萬股超額配售,若超額配股權獲悉數行使,集資2.07億美元。", 2.07e8, False),
    ("Wuhe Bio sold 14.0 million shares, priced at $15.00 apiece, and gave its banks the option to buy a further "
     "2.1 million shares, which lifts the raise to $241.5 million if fully exercised.", 2.415e8, False),
    ("壬辰生物发行1200万股,发行价15.00美元,另有180万股超额配售,若超额配股权获悉数行使,集资2.16亿美元。", 2.16e8, True),
    ("Wuhe Bio sold 14.0 million shares, priced at $15.00 apiece, and gave its banks the option to buy a further "
     "2.1 million shares, which lifts the raise to $250.5 million if fully exercised.", 2.505e8, True),
])
def test_raise_with_the_over_allotment_option(text, value, wrong):
    check(text, "US", "proceeds_gross_max", value, "offer_price * (shares_offered + greenshoe_shares)", wrong)


# 33 above + 7 below = 40 listed; 32 + 7 = 39 is not 40
@pytest.mark.parametrize("text, wrong", [
    ("今年上市的40只北交所新股中,收盘价较发行价溢价的有33只,破发的有7只。", False),
    ("今年上市的40隻北交所新股中,收盤價較發行價溢價的有33隻,破發的有7隻。", False),
    ("今年上市的40只北交所新股中,收盘价较发行价溢价的有32只,破发的有7只。", True),
])
def test_listings_above_and_below_issue_make_the_count(text, wrong):
    check(text, "CN", "ipo_count", 40, "ipos_above_issue + ipos_below_issue", wrong)


def test_a_flat_count_is_a_third_part_of_the_listings():
    # 33 above + 5 below + 2 flat = 40: above + below (38) is not the count, so that relation must not apply
    cs = read("今年上市的40只北交所新股中,收盘价较发行价溢价的有33只,破发的有5只,2只平发。", "CN")
    assert not [c for c in cs if c.verdict in FLAGS], [(c.metric, c.why) for c in cs if c.verdict in FLAGS]
    assert not [c for c in cs if "ipos_above_issue + ipos_below_issue" in (c.why or "")]


# one ADS = 3 ordinary shares: 3 x 6.00 = 18.00 per ADS; 5.00 a share would make 15.00
@pytest.mark.parametrize("text, value, wrong", [
    ("戊川科技发行800万股ADS,每股ADS代表3股普通股,发行价为每股ADS 18.00美元,即每股普通股6.00美元。", 6.00, False),
    ("戊川科技發行800萬股ADS,每股ADS代表3股普通股,發行價為每股ADS 18.00美元,即每股普通股6.00美元。", 6.00, False),
    ("Wuchuan Tech priced its ADSs at $18.00; every ADS equals 3 ordinary shares, or $6.00 per ordinary share.",
     6.00, False),
    ("戊川科技发行800万股ADS,每股ADS代表3股普通股,发行价为每股ADS 18.00美元,即每股普通股5.00美元。", 5.00, True),
    ("Wuchuan Tech priced its ADSs at $18.00; every ADS equals 3 ordinary shares, or $5.00 per ordinary share.",
     5.00, True),
])
def test_ads_price_is_the_share_price_times_the_ratio(text, value, wrong):
    if not wrong:
        check(text, "US", "offer_price_per_share", value, "offer_price_per_share * ads_ratio", wrong)
        return
    # three figures that cannot all hold: the article is flagged; which of them is wrong it does not say
    cs = read(text, "US")
    members = [c for c in cs if c.metric in ("offer_price", "offer_price_per_share", "ads_ratio")]
    assert len(members) == 3 and any(c.verdict in FLAGS for c in members), [(c.metric, c.why) for c in members]


# a raise stated at the range's middle: (20 + 24) / 2 = 22; 1800万 ADS x 22 = 3.96亿; 4.32亿 (= 24 x 1800万, the
# top of the range) is not the midpoint raise: flagged, as a tension because the sentence states its basis
@pytest.mark.parametrize("value, wrong", [(3.96e8, False), (4.32e8, True)])
def test_raise_at_the_midpoint(value, wrong):
    text = f"己岭半导体发行1800万股ADS,招股价区间为20美元至24美元,按区间中位数22美元计算,集资{value / 1e8:.2f}亿美元。"
    check(text, "US", "proceeds_gross", value, "offer_price (as offer_price_mid)", wrong)
