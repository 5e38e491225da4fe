"""Number and date forms that unseen IPO articles write: an average between a falling word and its percentage, hours
and minutes, 人份 (kits per person), dotted and slashed full dates, a year-less day in Chinese numerals, 'the N
big ...' (三大), 'the No. 2', a space before 百万, and a per-unit suffix written after both ends of a range. Every
sentence is invented; expected values are worked out by hand (万 = 1e4, 百万 = 1e6)."""
import datetime as dt

import pytest

from ipolens.news.dates import scan_dates
from ipolens.news.numbers import scan_numbers
from ipolens.news.text import normalise


def _scan(text: str):
    return [(q.value, q.value_high, q.unit, q.qualifier) for q in scan_numbers(normalise(text).text)]


def _dates(text: str, ref: dt.date | None = None):
    return [d.date for d in scan_dates(normalise(text).text, ref) if d.date]


# -- an average between the falling word and the figure -----------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("The new stocks sank an average 14% after their debut.", -14),
    ("This year's listings slid on average 6% below issue.", -6),
    ("新股股价下跌平均5%。", -5),
    ("新股股價下跌平均5%。", -5),
    ("The new stocks climbed an average 14% after their debut.", 14),  # a rise: no sign
])
def test_a_fall_on_average_is_negative(text, expected):
    assert [v for v, _, u, _ in _scan(text) if u == "pct"] == [expected]


# -- hours and minutes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Shares took more than two hours to open.", [(2, None, "hours", "more_than")]),
    ("Trading opened three minutes late.", [(3, None, "minutes", "exact")]),
    ("The desk sends two hourly notes.", []),  # 'hourly' is no unit
])
def test_english_hours_and_minutes(text, expected):
    assert _scan(text) == expected


# -- 人份: kits or doses per person, a count of the product -----------------------------------------------------------
@pytest.mark.parametrize("text", ["项目年产1,200万人份检测试剂。", "項目年產1,200萬人份檢測試劑。"])
def test_kits_per_person_are_a_count(text):
    (q,) = scan_numbers(normalise(text).text)
    assert (q.value, q.unit, q.noun) == (12_000_000, "count", "人份")


def test_people_stay_people():
    (q,) = scan_numbers(normalise("共有3人,份额相同。").text)
    assert (q.value, q.noun) == (3, "人")


# -- full dates with dots or slashes -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("| 688999 | 某某科技 | 2021.03.17 | 41.20 |", dt.date(2021, 3, 17)),
    ("上市日期:2020/08/12。", dt.date(2020, 8, 12)),
    ("上市日期:2020.8.2。", dt.date(2020, 8, 2)),
    ("Listed on 2021/03/09.", dt.date(2021, 3, 9)),
])
def test_dotted_and_slashed_dates(text, expected):
    assert _dates(text) == [expected]


@pytest.mark.parametrize("text", ["每股2019.11元。", "版本3.1.2发布。", "上市日期:2019.13.05。", "编号1019.11.05。"])
def test_not_a_dotted_date(text):
    assert _dates(text) == []


# -- a year-less day in Chinese numerals ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, ref, expected", [
    ("预期上市日为三月五日。", dt.date(2014, 2, 20), dt.date(2014, 3, 5)),
    ("預期上市日為十二月二十一日。", dt.date(2014, 12, 1), dt.date(2014, 12, 21)),
    ("公司于十月三十一日递表。", dt.date(2015, 11, 2), dt.date(2015, 10, 31)),
])
def test_chinese_numeral_month_day(text, ref, expected):
    assert _dates(text, ref) == [expected]


@pytest.mark.parametrize("text", ["三个月后上市。", "每月一日公布。", "十三月五日", "二月三十日上市。"])
def test_not_a_chinese_numeral_day(text):
    assert _dates(text, dt.date(2014, 2, 20)) == []


# -- 三大: 'the three big ...' -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("三大券商昨日暗盘均升。", [(3, "count")]),
    ("該股已於三大暗盤交易場進行交易。", [(3, "count")]),
    ("两大股东同时减持。", [(2, "count")]),
    ("公司前五大客户占收入四成。", [(40, "pct")]),  # 'the top five' is a group
    ("一大批投资者涌入。", []),  # 'a large batch'
    ("某基金为第三大股东。", [(3, "rank")]),  # a rank
    # narrative, as 三家公司 is: no list names them and they are no brokers, banks, holders or venues
    ("两大经济体之间的贸易摩擦仍在持续。", []),
    ("三大难题困扰着这家芯片厂。", []),
    ("三大交易所：甲所、乙所和丙所同日公布数据。", [(3, "count")]),  # a list names what it counts
])
def test_the_n_big(text, expected):
    assert [(v, u) for v, _, u, _ in _scan(text) if u] == expected


# -- 'the No. 2' ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("It is the No. 2 ride-hailing firm in the US.", 2),
    ("the world's No. 1 chipmaker", 1),
])
def test_number_sign_ranks(text, expected):
    assert [(v, u) for v, _, u, _ in _scan(text)] == [(expected, "rank")]


def test_a_numbered_rule_is_no_rank():
    assert [u for _, _, u, _ in _scan("Under Rule No. 5 the filing is public.")] == [None]


# -- a space before 百万 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["所得款项净额约为81.2 百万港元。", "所得款項淨額約為81.2 百萬港元。"])
def test_space_before_millions(text):
    assert _scan(text) == [(81_200_000, None, "HKD", "about")]


def test_a_space_before_qianwan_is_no_scale():
    assert (2024, None, None, "exact") in _scan("2024 千万不要错过。")  # 千万 also means 'by all means'


# -- a per-unit suffix after both ends of a range ------------------------------------------------------------------
@pytest.mark.parametrize("text", ["发行区间定在11美元/ADS-13美元/ADS。", "發行區間定在11美元/ADS至13美元/ADS。",
                                  "marketed at US$11/ADS to US$13/ADS"])
def test_range_with_a_per_unit_suffix(text):
    assert _scan(text) == [(11, 13, "USD", "range")]


def test_different_suffixes_are_no_range():
    assert [(v, h) for v, h, _, _ in _scan("售价15美元/ADS-17美元/份")] == [(15, None), (17, None)]


# -- a singular 'share' that names a deal by its size --------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("The group sized a 75 million share offering.", 75_000_000),
    ("an 8 million-share sale by insiders", 8_000_000),
    ("launched a 12 million share placement", 12_000_000),
])
def test_share_count_naming_a_deal(text, expected):
    assert [(v, u) for v, _, u, _ in _scan(text)] == [(expected, "shares")]


@pytest.mark.parametrize("text", ["the 3 share classes differ", "a 5 million share price target"])
def test_share_before_another_noun_is_no_count(text):
    assert all(u != "shares" for _, _, u, _ in _scan(text))


# -- N分之M with a small denominator -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("基石投资者认购了三分之一的股份。", 100 / 3),
    ("基石投資者認購了四分之三的股份。", 75),
    ("公开发售占十分之一。", 10),
    ("中签率为百分之五。", 5),  # the hundredths it always read
])
def test_chinese_fractions(text, expected):
    assert [(v, u) for v, _, u, _ in _scan(text) if u] == [(pytest.approx(expected), "pct")]


def test_a_fraction_needs_its_denominator_whole():
    assert all(u != "pct" for _, _, u, _ in _scan("概率约二十分之一。"))  # 二十 is not read as 十


# -- a full date with spaces, and board lots -----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["公司于2025 年 12 月 5 日上市。", "公司於2025 年 12 月 5 日上市。"])
def test_spaced_full_date(text):
    assert _dates(text, dt.date(2024, 1, 1)) == [dt.date(2025, 12, 5)]  # the year written, not the reference's


@pytest.mark.parametrize("text, expected", [("Retail investors applied for 12,000 lots.", 12_000),
                                            ("a subscription of 300 board lots", 300),
                                            ("one of the lots", None)])
def test_english_lots(text, expected):
    assert [v for v, _, u, _ in _scan(text) if u == "count"] == ([expected] if expected else [])


# -- 零 before a discount or a break: zero ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("H股以零折扣定价。", [(0, "pct")]),
    ("H股以零折讓定價。", [(0, "pct")]),
    ("基石护航的新股零破发。", [(0, "count")]),
    ("折让约一千零五十元。", [(1050, "money")]),  # 零 inside a numeral
])
def test_zero_before_a_discount(text, expected):
    assert [(v, u) for v, _, u, _ in _scan(text) if u] == expected
