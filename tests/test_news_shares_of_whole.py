"""Percentages listed together that sum to 100% within their rounding confirm each other (checks_article.
_shares_of_whole); support only. Invented sentences; every sum worked by hand in the comment above it."""
from ipolens.news.checks_article import _shares_of_whole
from ipolens.news.extract import Claim


def pct(n, value, at, gap, sentence="某公司线上和线下收入占比分别为…", half=0.05):
    return Claim(id=f"t#{n}", article="t", entity=None, entity_key=None, code=None, metric="statement", value=value,
                 unit="pct", qualifier="exact", start=at, end=at + 5, quote=f"{value:g}%", sentence=sentence,
                 date=None, _nstart=at, _nend=at + 5, _resn=half, _gap=gap)


def _verdicts(found):
    return {f.claims[0]: f.verdict for f in found}


def test_two_shares_that_make_the_whole_confirm_each_other():
    # "占比分别为61.3%和38.7%": 61.3 + 38.7 = 100.0
    found = _shares_of_whole([pct(1, 61.3, 10, "占比分别为"), pct(2, 38.7, 16, "和")])
    assert _verdicts(found) == {"t#1": "consistent", "t#2": "consistent"}


def test_three_shares_within_rounding():
    # "分别占33.3%、33.3%及33.3%": 99.9, and each admits ±0.05, so the sum admits 99.75–100.05: 100% fits
    found = _shares_of_whole([pct(1, 33.3, 10, "分别占"), pct(2, 33.3, 16, "、"), pct(3, 33.3, 22, "及")])
    assert len(found) == 3 and all(f.verdict == "consistent" for f in found)


def test_english_list_with_and():
    # "split 45%, 30% and 25%": 45 + 30 + 25 = 100 (whole percents admit ±0.5)
    s = "The offer was split 45%, 30% and 25% between the tranches."
    found = _shares_of_whole([pct(1, 45, 10, "split ", s, 0.5), pct(2, 30, 14, ", ", s, 0.5),
                              pct(3, 25, 22, " and ", s, 0.5)])
    assert len(found) == 3


def test_a_list_short_of_the_whole_says_nothing():
    # "分别为20%和30%": 50, short of 100 (the list need not name every part): no finding, and never a flag
    assert _shares_of_whole([pct(1, 20, 10, "分别为"), pct(2, 30, 15, "和")]) == []


def test_figures_with_words_between_are_no_list():
    # "首日涨60%，换手率40%": 60 + 40 = 100, but words other than list words stand between: two statements
    assert _shares_of_whole([pct(1, 60, 10, "首日涨"), pct(2, 40, 16, "，换手率")]) == []


def test_a_list_across_sentences_is_no_list():
    # the same two figures in two sentences: no list
    assert _shares_of_whole([pct(1, 61.3, 10, "占比为", "甲。"), pct(2, 38.7, 16, "和", "乙。")]) == []
