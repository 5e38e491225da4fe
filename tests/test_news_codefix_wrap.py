"""Hard-wrapped paragraphs: a line break inside a sentence of long lines is no sentence end (the qualifiers on the
line before still reach the figure); a short line, a title, a metadata line or a list item stays separate.
Sentences written for these tests."""
import pytest

from ipolens.news.clauses import SENTENCE_END
from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text

_LONG_HANS = "某科技公司的股份昨日于辉立证券的暗盘交易时段表现强劲，全日收报"  # 31 characters
_LONG_EN = "In grey-market trading on a broker's platform the shares of the company closed"


def _ends(text):
    return [m.start() for m in SENTENCE_END.finditer(text)]


@pytest.mark.parametrize("text", [
    _LONG_HANS + "\n5.2元，较招股价高30%",
    "某科技公司的股份昨日於輝立證券的暗盤交易時段表現強勁，全日收報\n5.2元，較招股價高30%",
    _LONG_EN + "\nat HK$5.20, above the offer price",
])
def test_a_wrap_is_no_sentence_end(text):
    assert len(text.split("\n")[0]) >= 30
    assert _ends(text) == []


@pytest.mark.parametrize("text", [
    "暗盘速递\n5.2元收市",  # a short line (a title): its break ends it
    _LONG_HANS + "。\n5.2元",  # a full stop ends the sentence, the break after it is no second end
    _LONG_HANS + "\n来源:新闻社",  # a 'Key: value' line
    _LONG_HANS + "\n2、第二点",  # a list item
    _LONG_EN + "\nSource: a wire",  # an English label line starts upper-case
])
def test_a_break_after_a_short_line_or_before_a_label_still_ends(text):
    assert len(_ends(text)) >= 1
    assert text.index("\n") in _ends(text) or text[text.index("\n") - 1] == "。"


def _roles(text, market="HK"):
    return {c.value: c.metric for c in extract_claims(article_from_text(text), None, market=market)}


@pytest.mark.parametrize("text", [
    "新股暗盘速递\n\n" + _LONG_HANS + "\n5.2元，较招股价4元高30%，每手赚1200元。\n",
    "新股暗盤速遞\n\n某科技公司的股份昨日於輝立證券的暗盤交易時段表現強勁，全日收報\n5.2元，較招股價4元高30%，每手賺1200元。\n",
    "Grey market report\n\n" + _LONG_EN + "\nat HK$5.20, 30% above the offer price.\n",
])
def test_grey_market_word_before_the_wrap_reaches_the_figure(text):
    got = _roles(text)
    assert got[5.2] == "grey_market_price"
    assert got[30] == "grey_market_return"


def test_a_short_title_line_does_not_qualify_the_body():
    # '暗盘' only in a short first line: the body's close is the close
    assert _roles("暗盘交易速递\n5.2元收市的新股获追捧。\n")[5.2] == "close_price"


def test_a_long_headline_without_punctuation_is_no_wrap():
    # a first line of wrap length but without a comma or stop is a headline: '暗盘' in it does not reach the body
    headline = "某科技公司的股份昨日于辉立证券的暗盘交易时段表现强劲全日收报"
    assert len(headline) >= 30
    assert _roles(headline + "\n5.2元收市的新股获散户追捧。\n")[5.2] == "close_price"
