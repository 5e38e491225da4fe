"""Figures the page around an article's text holds or frames: photo and figure captions, a 'Most Read' list, a
line that is only a date (all furniture, never scanned), relative days (昨晚, 本月十五日) read against the publication
date, founding years, and a span of years that measures a record. Every sentence is invented for the test; the
expected values are worked out by hand (split from test_news_recall_numbers.py, which had grown past 250 lines)."""
import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.layout import read_layout
from ipolens.news.text import article_from_text, normalise


# -- captions ------------------------------------------------------------------------------------------------------
def _masked_text(text: str) -> list[str]:
    return [text[s:e] for s, e, kind in read_layout(text).masked if kind == "furniture"]


@pytest.mark.parametrize("caption", [
    "芯片内部结构示意图，展示500亿个晶体管的排列。",
    "图为某公司上市仪式，现场敲响3面铜锣。",
    "In this March 3, 2024, photo, people walk past the exchange building.",
    "Traders work on the floor of the exchange. (JOHN SMITH / DAILY NEWS)",
])
def test_caption_lines_are_furniture(caption):
    text = f"某公司昨日上市，募资20亿元。\n{caption}\n该股收报12元。\n"
    assert _masked_text(text) == [caption]
    values = [c.value for c in extract_claims(article_from_text(text), market="HK")]
    assert 2e9 in values and 12 in values
    assert 5e10 not in values and 3 not in values  # the caption's figures are not claims


def test_a_paragraph_mentioning_a_picture_word_is_text():
    text = "公司展示了芯片结构示意图和路线图，并表示今年营收增长30%，远高于同行。\n"
    assert _masked_text(text) == []


@pytest.mark.parametrize("text, expected", [
    ("某公司昨晚在纳斯达克上市", ["2010-07-01"]),  # published 2 July: last night is 1 July
    ("某公司昨夜公布招股结果", ["2010-07-01"]),
    ("某公司今晨公布配发结果", ["2010-07-02"]),
    ("某公司今早开始招股", ["2010-07-02"]),
])
def test_relative_days_of_the_night_and_morning(text, expected):
    import datetime as dt

    from ipolens.news.dates import scan_dates

    got = [d.date.isoformat() for d in scan_dates(normalise(text).text, dt.date(2010, 7, 2)) if d.date]
    assert got == expected


@pytest.mark.parametrize("sentence, year", [
    ("Established in 2017 and backed by two funds, the company runs stores.", "2017"),
    ("The company was incorporated in 2019 in Delaware.", "2019"),
    ("It was set up in 2015 by two engineers.", "2015"),
    ("该公司创建于2016年，总部位于上海。", "2016"),
])
def test_founding_years_with_a_longer_verb(sentence, year):
    import datetime as dt

    claims = extract_claims(article_from_text(sentence), published=dt.date(2021, 6, 29))
    assert [(c.metric, c.text) for c in claims if c.metric == "founded_year"] == [("founded_year", year)]


@pytest.mark.parametrize("text, expected", [
    ("股份本月十五日掛牌", "2017-02-15"),  # published 8 February 2017
    ("擬於本月二十日上市", "2017-02-20"),
    ("下月3日公布結果", "2017-03-03"),
    ("上月三十一日截止", "2017-01-31"),
])
def test_days_of_this_next_and_last_month(text, expected):
    import datetime as dt

    from ipolens.news.dates import scan_dates

    assert [d.date.isoformat() for d in scan_dates(normalise(text).text, dt.date(2017, 2, 8)) if d.date] == [expected]


def test_most_read_from_a_source_opens_a_list_of_other_stories():
    text = ("The company raised $14.5 million in its IPO.\nMost Read from Bloomberg\n"
            "Musk's Wealth Plunges $13 Billion as Drama Unfolds\nAirline Sells $10,000 Tickets for $300\n"
            "The shares closed at $43.18 on their first day.\n")
    values = [c.value for c in extract_claims(article_from_text(text), market="US")]
    assert 14.5e6 in values and 43.18 in values
    assert not {13e9, 10000, 300} & set(values)


@pytest.mark.parametrize("line", ["12 Oct 2012", "October 12, 2012 10:05 AM", "Published: Oct 12, 2012",
                                  "2012年10月12日 星期五"])
def test_a_line_that_is_only_a_date_is_a_page_timestamp(line):
    text = f"Some Company lists today\n{line}\nThe shares rose 7% to 188p.\n"
    lay = read_layout(text)
    # a 'Published:' line is read as metadata, the others as a timestamp: either way the line is never scanned
    assert [text[s:e] for s, e, kind in lay.masked if kind in ("timestamp", "metadata")] == [line]


# -- spans of time that measure a record (claims) or frame a story (none); sentences invented ---------------------------
@pytest.mark.parametrize("text, expected", [
    ("新股破发率创下七年新低。", [(7, "years")]),                 # an N-year low is a record
    ("成交额创五年新高。", [(5, "years")]),
    ("It was the busiest listing week in almost four years.", [(4, "years")]),  # a superlative over the span
    ("The float was the largest IPO in eight years.", [(8, "years")]),
    ("The firm has grown over the past three years.", []),       # the span frames the story
    ("过去两年公司扩张很快。", []),
])
def test_a_span_of_years_that_measures_a_record_is_a_claim(text, expected):
    got = [(c.value, c.unit) for c in extract_claims(article_from_text(text)) if c.unit in ("years", "months")]
    assert got == expected
