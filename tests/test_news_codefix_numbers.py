"""Numbers people write: 'up to' after a figure is no bound on the next one; Chinese-numeral lots (五十手) are
counts; 成 only as a proportion (一成不变, 这一成绩 are words). Sentences written for these tests."""
import pytest

from ipolens.news.claim_roles import _after_window
from ipolens.news.numbers import scan_numbers as _scan
from ipolens.news.text import normalise


def scan_numbers(text):
    return _scan(normalise(text).text)  # the reader scans the normalised (simplified) text


def _one(text, value):
    [q] = [q for q in scan_numbers(text) if q.value == value]
    return q


@pytest.mark.parametrize("text, value", [
    ("The stock was changing hands 8 percent up to $31 after lunch.", 31),
    ("The stock rose 12% up to US$9.50 in early trade.", 9.5),
    ("It gained 3 points up to 41 by noon.", 41),
])
def test_up_to_after_a_figure_is_its_rise_not_a_bound(text, value):
    q = _one(text, value)
    assert q.qualifier == "exact"
    assert "up" not in text[q.start:q.end]


@pytest.mark.parametrize("text, value", [
    ("The company plans to raise up to $300 million.", 300_000_000),
    ("It will sell up to 10 million shares.", 10_000_000),
])
def test_up_to_before_a_figure_still_bounds_it(text, value):
    q = _one(text, value)
    assert q.qualifier == "at_most"
    assert text[q.start:q.end].startswith("up to")


@pytest.mark.parametrize("text, value", [
    ("散户须申请五十手才稳获一手。", 50),
    ("散戶須申請二十手才穩獲一手。", 20),
    ("共收到三十份申请。", 30),
])
def test_chinese_numeral_lots_and_applications_are_counts(text, value):
    q = _one(text, value)
    assert q.unit == "count"


@pytest.mark.parametrize("text", ["公司做好两手准备。", "二手市场冷清。", "散户只申请一手。", "共收到三份文件。"])
def test_small_chinese_numeral_counts_stay_words(text):
    assert [q for q in scan_numbers(text) if q.unit == "count"] == []


@pytest.mark.parametrize("text, value, qualifier", [
    ("暗盤收市漲逾兩成。", 20, "more_than"),
    ("股价上涨两成半。", 25, "exact"),
    ("公司占据市场约三成份额。", 30, "about"),
])
def test_tenths_as_a_proportion(text, value, qualifier):
    q = _one(text, value)
    assert (q.unit, q.qualifier) == ("pct", qualifier)


@pytest.mark.parametrize("text", ["公司的经营模式一成不变。", "這一成績來之不易。", "他们一成立就上市。"])
def test_cheng_inside_a_word_is_no_percentage(text):
    assert [q for q in scan_numbers(text) if q.unit == "pct"] == []


def test_after_window_drops_a_word_it_cuts():
    trail = " went to funds, and the remainder was sold to institutional buyers"
    window = _after_window(trail, "50%")
    assert window == " went to funds, and the remainder was "  # 40 characters end inside 'sold': it is dropped


def test_after_window_reads_a_long_clause_to_its_end():
    trail = " of the offering was allotted to institutional investors, and the rest"
    window = _after_window(trail, "50%")
    assert window == " of the offering was allotted to institutional investors"


def test_after_window_keeps_all_of_a_short_trail():
    assert _after_window("的股份", "5%") == "的股份"


def test_a_qualifier_window_finishes_the_word_it_cuts():
    from ipolens.news.claim_roles import _word_rest

    trail = " up to $27.50 at 10:15 a.m. in Chicago"
    assert trail[:24].endswith(" a")  # a 24-character window ends inside 'a.m.'
    assert trail[:24 + _word_rest(trail, 24)].endswith("a.m.")
    assert _word_rest(" up to $27.50 at noon, and more", 21) == 0  # between words: nothing added
    assert _word_rest("股价午间报27.5元，较招股价高", 5) == 0  # ideographs are no English word


def test_trading_price_and_its_move_at_a_time_of_day_are_a_snapshot():
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    text = ("Debut\n\nShares opened at $30 and were trading 10 percent up to $27.50 at 12:27 p.m. in New York.\n")
    got = {c.value: c.metric for c in extract_claims(article_from_text(text), None, market="US")}
    assert got[27.5] == "snapshot_price"
    assert got[10] == "snapshot_return"
    assert got[30] == "open_price"
