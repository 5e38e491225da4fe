"""Number expressions in the forms real IPO news uses: value in base units, unit, qualifier."""
import pytest

from ipolens.news.numbers import NumberParseError, parse_number

CASES = [
    # (text, value, unit, qualifier)
    ("1.38萬億港元", 1.38e12, "HKD", "exact"),
    ("近800亿", 8e10, None, "nearly"),
    ("1,600万", 1.6e7, None, "exact"),
    ("3.37亿元", 3.37e8, "money", "exact"),
    ("49.9萬元", 499000, "money", "exact"),
    ("2300倍", 2300, "x", "exact"),
    ("82.1%", 82.1, "pct", "exact"),
    ("0.036%", 0.036, "pct", "exact"),
    ("HK$85.5 billion", 8.55e10, "HKD", "exact"),
    ("US$9 million", 9e6, "USD", "exact"),
    ("855.4亿港元", 8.554e10, "HKD", "exact"),
    ("约合110亿美元", 1.1e10, "USD", "about"),
    ("约512亿港元", 5.12e10, "HKD", "about"),
    ("超2300倍", 2300, "x", "more_than"),
    ("近29亿港元", 2.9e9, "HKD", "nearly"),
    ("19.6港元", 19.6, "HKD", "exact"),
    ("35.7港元", 35.7, "HKD", "exact"),
    ("55.2亿港元", 5.52e9, "HKD", "exact"),
    ("43.5亿港元", 4.35e9, "HKD", "exact"),
    ("30亿美元", 3e9, "USD", "exact"),
    ("180%", 180, "pct", "exact"),
    ("1.69亿美元", 1.69e8, "USD", "exact"),
    ("900万美元", 9e6, "USD", "exact"),
    ("8300万美元", 8.3e7, "USD", "exact"),
    ("390万美元", 3.9e6, "USD", "exact"),
    ("3000亿美元以上", 3e11, "USD", "at_least"),
    ("万亿美元级别", 1e12, "USD", "order_of_magnitude"),
    ("突破3000億元", 3e11, "money", "more_than"),
    ("超過3300億元", 3.3e11, "money", "more_than"),
    ("468.78%", 468.78, "pct", "exact"),
    ("近30倍", 30, "x", "nearly"),
    ("1500余項", 1500, "count", "more_than"),
    ("600余項", 600, "count", "more_than"),
    ("約23%", 23, "pct", "about"),
    ("超過1.38萬億港元", 1.38e12, "HKD", "more_than"),
    ("突破5萬億港元", 5e12, "HKD", "more_than"),
    ("23 家", 23, "count", "exact"),
    ("65.7% ", 65.7, "pct", "exact"),
    ("15% ", 15, "pct", "exact"),
    ("30天以上", 30, "days", "at_least"),
    ("五天以上", 5, "days", "at_least"),
    ("5分鐘", 5, "minutes", "exact"),
    ("7纳米", 7, "nm", "exact"),
    ("770亿个", 7.7e10, "count", "exact"),
    ("1000 TFLOPS", 1000, "TFLOPS", "exact"),
    ("1.2万颗", 12000, "count", "exact"),
    ("1024卡", 1024, "count", "exact"),
    ("万卡", 10000, "count", "exact"),
    ("千卡", 1000, "count", "exact"),
    ("50万元量级", 5e5, "money", "order_of_magnitude"),
    ("5890.3万元", 5.8903e7, "money", "exact"),
    ("6203万元", 6.203e7, "money", "exact"),
    ("超63亿元", 6.3e9, "money", "more_than"),
    ("33.02亿元", 3.302e9, "money", "exact"),
    ("70%以上", 70, "pct", "at_least"),
    ("超过20亿元", 2e9, "money", "more_than"),
    ("近50%", 50, "pct", "nearly"),
    ("2,543.18万股", 2.54318e7, "shares", "exact"),
    ("14,605.83元", 14605.83, "money", "exact"),
    ("116.2港元", 116.2, "HKD", "exact"),
    ("HK$35.70", 35.7, "HKD", "exact"),
    ("2,300 times", 2300, "x", "exact"),
    ("about 23%", 23, "pct", "about"),
    ("nearly 30 times", 30, "x", "nearly"),
    ("more than 1,000 employees", 1000, "count", "more_than"),
    ("RMB 3.37 billion", 3.37e9, "CNY", "exact"),
    ("3.37 billion yuan", 3.37e9, "CNY", "exact"),
    ("万分之三点六", 0.036, "pct", "exact"),
    ("百分之八十二点一", 82.1, "pct", "exact"),
    ("一成", 10, "pct", "exact"),
    ("２３００倍", 2300, "x", "exact"),
    ("８２．１％", 82.1, "pct", "exact"),
    ("3万亿", 3e12, None, "exact"),
    ("16.4亿", 1.64e9, None, "exact"),
    ("1.5千万", 1.5e7, None, "exact"),
    ("2347倍", 2347, "x", "exact"),
    ("425.46%", 425.46, "pct", "exact"),
    ("0.5个百分点", 0.5, "pp", "exact"),
    ("人民币3.37亿元", 3.37e8, "CNY", "exact"),
    ("3.37亿元人民币", 3.37e8, "CNY", "exact"),
    ("8.22億元", 8.22e8, "money", "exact"),
    ("约8.22亿元", 8.22e8, "money", "about"),
    ("逾43亿港元", 4.3e9, "HKD", "more_than"),
    ("高达82.1%", 82.1, "pct", "exact"),
    ("翻倍有余", 2, "x", "more_than"),
    ("算力减半", 0.5, "x", "about"),
    ("半数以上", 50, "pct", "more_than"),
    ("數千萬美元", 1e7, "USD", "range"),
    ("数百亿港元", 1e10, "HKD", "range"),
    ("8000亿至1万亿美元", 8e11, "USD", "range"),
    ("10-20亿港元", 1e9, "HKD", "range"),
    ("上亿美元", 1e8, "USD", "more_than"),
    ("超千亿美元", 1e11, "USD", "more_than"),
    ("1433.10元/股", 1433.10, "money", "exact"),
    ("二千三百倍", 2300, "x", "exact"),
    ("两个BR106", 2, "count", "exact"),
    ("暴跌90%", -90, "pct", "exact"),
    ("PCIe 5.0", 5.0, "version", "exact"),
]


@pytest.mark.parametrize("text,value,unit,qualifier", CASES, ids=[c[0] for c in CASES])
def test_number_expression(text, value, unit, qualifier):
    q = parse_number(text)
    assert q.value == pytest.approx(value, rel=1e-9)
    assert q.unit == unit
    assert q.qualifier == qualifier


def test_at_least_sixty_expressions():
    assert len(CASES) >= 60


def test_range_high_values():
    assert parse_number("8000亿至1万亿美元").value_high == pytest.approx(1e12)
    assert parse_number("数百亿港元").value_high == pytest.approx(1e11)
    assert parse_number("10-20亿港元").value_high == pytest.approx(2e9)


def test_per_share_flag():
    assert parse_number("1433.10元/股").per_share
    assert not parse_number("3.37亿元").per_share


def test_bare_yuan_is_left_to_the_caller():
    assert parse_number("14,605.83元").bare_yuan
    assert not parse_number("14,605.83港元").bare_yuan


def test_no_number_raises():
    with pytest.raises(NumberParseError):
        parse_number("市值稳定")


def test_model_names_are_not_quantities():
    from ipolens.news.numbers import scan_numbers

    assert [q.raw for q in scan_numbers("BR100与GPT-4相比") if q.unit] == []
