"""Dates as claims and as periods (ipolens.news.dates, extract._date_claims). Sentences invented for these tests."""
import datetime as dt

import pytest

from ipolens.news.dates import scan_dates
from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text


def _dated(text: str, published: dt.date | None = None, market: str = "CN") -> list[tuple[str, str | None]]:
    return [(c.metric, c.text) for c in extract_claims(article_from_text(text), market=market, published=published)
            if c.unit in ("date", "year", "period")]


@pytest.mark.parametrize("text,period", [
    ("Founded in 2012, the firm makes sensors.", "2012"),
    ("Revenue doubled during 2023.", "2023"),
    ("It expects a profit in fiscal 2026.", "2026"),
])
def test_an_english_year_after_in_during_fiscal_is_a_period(text, period):
    (d,) = scan_dates(text)
    assert d.period == period and text[d.start:d.end] == period  # the span is the year's four digits


@pytest.mark.parametrize("text,periods", [
    ("It has not been profitable since 2019.", []),  # a bound, not the period of what follows
    ("It was not profitable until 2021.", []),
    ("Shares fell 5% in 2024.", ["2024"]),
])
def test_since_and_until_give_no_period(text, periods):
    assert [d.period for d in scan_dates(text)] == periods


def test_in_a_figure_is_no_year():
    assert scan_dates("The stock rose in 2025.5 trading") == []  # a decimal is no year
    assert scan_dates("It rose in 2030%") == []


def test_founded_in_an_english_year_is_a_founding_claim():
    assert _dated("Founded in 2012, the firm makes sensors.", market="US") == [("founded_year", "2012")]


def test_a_day_without_a_year_or_a_publication_date_is_a_claim_with_month_and_day():
    # nothing tells the year: the claim keeps the day as ISO 8601 '--MM-DD' rather than guess one
    assert _dated("The company plans to list on June 26.", market="US") == [("listing_date", "--06-26")]
    # with a publication date the year is resolved
    assert _dated("The company plans to list on June 26.", dt.date(2025, 6, 1), "US") == [("listing_date", "2025-06-26")]


@pytest.mark.parametrize("text,published,expected", [
    ("该公司计划于2027年量产新一代芯片。", dt.date(2025, 5, 1), [("planned_commercialization_year", "2027")]),
    ("新机型预计2026年推出。", dt.date(2025, 5, 1), [("planned_launch_year", "2026")]),
    ("新机型将于2026年发布。", dt.date(2025, 5, 1), [("planned_launch_year", "2026")]),
    # a year after the publication's is a plan even without a plan word
    ("第三代产品2028年商用。", dt.date(2025, 5, 1), [("planned_commercialization_year", "2028")]),
    # a past launch with no plan word is history, not a plan
    ("第一代产品2019年推出。", dt.date(2025, 5, 1), []),
])
def test_a_planned_product_year(text, published, expected):
    assert _dated(text, published) == expected


@pytest.mark.parametrize("text", ["创始人表示公司2027年前不会上市。", "管理层称2027年之前暂不考虑上市。"])
def test_a_listing_ruled_out_before_a_year(text):
    assert ("ipo_not_before", "2027") in _dated(text, dt.date(2025, 5, 1))


# -- English days of unseen wire copy (fresh pool, 2026-12-03); sentences invented --------------------------------------
@pytest.mark.parametrize("text, ref, expected", [
    ("Shares of the firm opened Friday at $12.", "2024-05-10", [("Friday", "2024-05-10")]),  # no preposition
    ("The company's Tuesday debut drew buyers.", "2024-05-10", [("Tuesday", "2024-05-07")]),
    ("The stock slid yesterday.", "2024-05-10", [("yesterday", "2024-05-09")]),
    ("It will start trading tomorrow.", "2024-05-10", [("tomorrow", "2024-05-11")]),
    ("It priced on Thursday, May 9, 2024.", "2024-05-10", [("May 9, 2024", "2024-05-09")]),  # the date, not the weekday
    ("Black friday sales rose.", "2024-05-10", []),  # a lower-case weekday is no date
])
def test_english_bare_weekdays_and_relative_days(text, ref, expected):
    got = [(d.raw, d.date.isoformat()) for d in scan_dates(text, dt.date.fromisoformat(ref))]
    assert got == expected


@pytest.mark.parametrize("text, ref, expected", [
    ("The bank filed in March 2019.", "2024-05-10", [("March 2019", "2019-03")]),
    ("It paused the plan in Sept. 2021 again.", "2024-05-10", [("Sept. 2021", "2021-09")]),
    ("公司今年3月披露年报", "2024-05-10", [("今年3月", "2024-03")]),
    ("去年11月递表", "2024-05-10", [("去年11月", "2023-11")]),
    ("It priced on March 5, 2024.", "2024-05-10", []),  # a day: en_mdy's, no month period
    ("It has traded since 10 July 2020.", "2024-05-10", []),  # a day before the month: en_dmy's
    ("the may 2024 notes", "2024-05-10", []),           # lower-case 'may' is the verb, not the month
])
def test_a_month_of_a_year(text, ref, expected):
    got = [(d.raw, d.period) for d in scan_dates(text, dt.date.fromisoformat(ref)) if d.period]
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    ("该公司于2023年5月向港交所递交申请。", ["2023-05"]),  # a month dates an event as a day does
    ("The lender announced in June 2020 it would list.", ["2020-06"]),
    ("2023年5月,市场气氛低迷。", []),                # a topic before a comma frames the paragraph
    ("股价从2023年5月的10元升至20元。", []),          # a modifier of a figure and a bound: no event
    ("Sales have risen since June 2020.", []),
])
def test_a_month_that_dates_an_event_is_a_claim(text, expected):
    got = _dated(text, dt.date(2024, 5, 10))
    assert [t for _, t in got] == expected and all(m for m, _ in got)  # each with a role (event_date at least)
