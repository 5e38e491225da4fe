"""Round-2 value extraction: the yen as a sixth currency, comparison words that bound a figure from above
('under', 'below', 低于, 少于, 不到), and a decimal a line break split inside Chinese text. Every sentence is invented
for the test; expected values are worked out by hand (亿 = 1e8, billion = 1e9)."""
import pytest

from ipolens.news.claim import Claim  # noqa: F401  (the claim's currency field follows schema.CURRENCIES)
from ipolens.news.corpus_eval import CURRENCIES as EVAL_CURRENCIES
from ipolens.news.identity_defs import MONEY as IDENTITY_MONEY
from ipolens.news.numbers import scan_numbers
from ipolens.news.quantity import MONEY
from ipolens.news.schema import CURRENCIES, UNITS
from ipolens.news.text import normalise


def _scan(text: str):
    return [(q.value, q.unit, q.qualifier) for q in scan_numbers(normalise(text).text)]


def test_one_currency_list_everywhere():
    assert "JPY" in CURRENCIES and "JPY" in UNITS
    assert tuple(MONEY) == tuple(IDENTITY_MONEY) == tuple(EVAL_CURRENCIES) == tuple(CURRENCIES)


@pytest.mark.parametrize("text, expected", [
    ("the shares opened at 1,205 yen", [(1205, "JPY", "exact")]),      # lexicon units.en: yen
    ("a price of 980 JPY each", [(980, "JPY", "exact")]),              # units.en: jpy
    ("raised JPY 50 billion", [(50e9, "JPY", "exact")]),               # currency_prefixes.codes: JPY
    ("融资100亿日元", [(100e8, "JPY", "exact")]),                        # units.zh-Hans: 日元
    ("募资30亿日圆", [(30e8, "JPY", "exact")]),                          # units.zh-Hans: 日圆
    ("集資30億日圓", [(30e8, "JPY", "exact")]),                          # units.zh-Hant: 日圓
])
def test_yen(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("priced under HK$2 a share", [(2, "HKD", "at_most")]),
    ("a discount below 5%", [(5, "pct", "at_most")]),
    ("占比低于5%", [(5, "pct", "at_most")]),
    ("佔比低於5%", [(5, "pct", "at_most")]),
    ("少于100家公司", [(100, "count", "at_most")]),
    ("少於100家公司", [(100, "count", "at_most")]),
    ("不到1000人认购", [(1000, "count", "at_most")]),
])
def test_upper_bound_words(text, expected):
    assert _scan(text) == expected


def test_a_word_after_the_comparison_keeps_the_figure_exact():
    # 'below' qualifies only the figure right after it; here a noun stands between
    assert _scan("trading below its IPO price of HK$10") == [(10, "HKD", "exact")]


@pytest.mark.parametrize("text, expected", [
    ("较招股价涨0.\n30港元", [(0.3, "HKD", "exact")]),
    ("股价上涨5.\n2%", [(5.2, "pct", "exact")]),
])
def test_decimal_split_by_a_line_break(text, expected):
    assert _scan(text) == expected


def test_a_list_number_on_its_own_line_is_not_a_decimal():
    assert _scan("1.\n2024年上市")[0] == (1, None, "exact")


def test_an_english_sentence_end_is_not_a_decimal():
    assert [v for v, _, _ in _scan("It rose 5.\n20 firms listed")][:2] == [5, 20]


@pytest.mark.parametrize("text, expected", [
    ("收市價低約2.16%", [(-2.16, "pct", "about")]),    # a bare 低 before a percentage: below the base
    ("較上市價低3%", [(-3, "pct", "exact")]),
    ("首日潛水約50%", [(-50, "pct", "about")]),        # 潜水: under the offer price
    ("最低5%", [(5, "pct", "exact")]),                 # 最低: a minimum, no fall
    ("占比低于5%", [(5, "pct", "at_most")]),           # 低于 is the comparison word, not a fall
])
def test_bare_low_signs_a_percentage(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("the shares leaped161% on debut", [(161, "pct", "exact")]),   # a lost space between a verb and a percentage
    ("it climbed12 percent", [(12, "pct", "exact")]),
    ("the BR100 chip", []),                                       # a model name keeps its digits
    ("the model abcd100 sells", []),                              # glued, but no percentage after it
])
def test_a_percentage_glued_to_an_english_word(text, expected):
    assert _scan(text) == expected


def _masked_lines(text: str):
    from ipolens.news.layout import read_layout
    return [text[s:e] for s, e, _ in read_layout(text).masked]


_BODY = "A headline about a listing today\n" + "".join(f"Paragraph {w} of the story.\n" for w in
                                                       "one two three four five six seven eight nine ten eleven twelve thirteen".split())


@pytest.mark.parametrize("line", ["Avery Chen 30 Jun 2020", "Jo Ann Smith-Lee March 3, 2021", "Reuters Staff 12 Oct 2012"])
def test_a_byline_with_a_date_below_the_lead_is_furniture(line):
    assert _masked_lines(_BODY + line + "\nMore text.\n") == [line]


@pytest.mark.parametrize("line", ["Shares rose 30 Jun 2020", "The deal closed on 30 Jun 2020."])
def test_a_sentence_ending_in_a_date_is_text(line):
    assert _masked_lines(_BODY + line + "\nMore text.\n") == []


_SUPERLATIVES_BY_HAND = ["largest", "biggest", "best", "worst", "busiest", "highest", "lowest", "strongest", "weakest",
                         "smallest", "greatest", "fastest"]


def test_the_superlative_list_is_the_lexicon():
    from ipolens.news.number_patterns import _LEX
    assert sorted(_LEX["rank_superlatives"]["en"]) == sorted(_SUPERLATIVES_BY_HAND)


@pytest.mark.parametrize("word", _SUPERLATIVES_BY_HAND)
@pytest.mark.parametrize("ordinal, rank", [("second", 2), ("third", 3)])
def test_an_ordinal_before_a_superlative_is_a_rank(word, ordinal, rank):
    assert _scan(f"it was the {ordinal}-{word} year for listings") == [(rank, "rank", "exact")]
    assert _scan(f"it was the {ordinal} {word} year for listings") == [(rank, "rank", "exact")]


def test_an_ordinal_before_another_word_is_no_rank():
    assert _scan("a second interest payment") == []


@pytest.mark.parametrize("text, expected", [
    ("Three more firms listed on Friday", [(3, "count", "exact")]),   # a word adding to a count before the noun
    ("two other companies withdrew", [(2, "count", "exact")]),
    ("four additional banks joined", [(4, "count", "exact")]),
    ("two further deals", [(2, "count", "exact")]),
    ("the two other companies", []),                                 # refers back: counts nothing new
    ("one more firm", []),                                           # 'one' stays a word
])
def test_english_count_with_an_adding_word(text, expected):
    assert _scan(text) == expected
