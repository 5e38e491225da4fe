"""Value extraction that generalises beyond the texts the reader was written from: falling words that sign a
'change or percent' pair, wire-service scale abbreviations, English comparison qualifiers, partitive counts,
ordinal places, a dollar sign inside Chinese text, a denied vague amount and Chinese counts confirmed by a list
(captions and page dates: test_news_recall_pages.py). Every sentence is invented for the test; the expected values
are worked out by hand (base units: 亿 = 1e8, billion = 1e9, million = 1e6; a fall is a negative change)."""
import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.numbers import scan_numbers
from ipolens.news.text import article_from_text, normalise
from ipolens.news.verify import verify


def _scan(text: str):
    return [(q.value, q.unit, q.qualifier) for q in scan_numbers(normalise(text).text)]


# -- signs ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # the falling word opens the pair: both the price step and the percentage fall
    ("暗盤收報2.50元，較招股價2.80元，跌0.30元或10.71%",
     [(2.5, "money", "exact"), (2.8, "money", "exact"), (-0.3, "money", "exact"), (-10.71, "pct", "exact")]),
    ("the stock was down HK$0.4, or 5%", [(-0.4, "HKD", "exact"), (-5, "pct", "exact")]),
    # a rise keeps both positive
    ("較招股價升0.20元或8%", [(0.2, "money", "exact"), (8, "pct", "exact")]),
    # fell TO a level: no change, no sign
    ("股價下跌至12.5元", [(12.5, "money", "exact")]),
    # a fall of money alone (no percentage after it) is left unsigned: it may be a level or a loss
    ("每手蝕500元", [(500, "money", "exact")]),
])
def test_change_or_percent_pairs(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("verb", ["sank", "sunk", "sink", "sinks", "slipped", "dipped", "shed", "retreated",
                                  "plummeted"])
def test_english_falling_verbs_sign_a_percentage(verb):
    assert _scan(f"the shares {verb} 12.5 percent on debut") == [(-12.5, "pct", "exact")]


def test_a_rise_verb_does_not_sign():
    assert _scan("the shares soared 12.5 percent on debut") == [(12.5, "pct", "exact")]


# -- scales and qualifiers -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("valued at $6.6 bln", [(6.6e9, "USD", "exact")]),
    ("sold 4.5 mln shares", [(4.5e6, "shares", "exact")]),
    ("a $1.2 trln market", [(1.2e12, "USD", "exact")]),
])
def test_wire_scale_abbreviations(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("greater than 20 million shares", [(20e6, "shares", "more_than")]),
    ("in excess of $3 billion", [(3e9, "USD", "more_than")]),
    ("upwards of 40 percent", [(40, "pct", "more_than")]),
    # 'close to' is written on either side of the value ('closed at close to $42' for 42.3): about
    ("a bid close to $17 a share", [(17, "USD", "about")]),
    ("a bid of nearly $17 a share", [(17, "USD", "nearly")]),  # the schema's nearly: just below
    # an English qualifier is a whole word: none ends another word ('disclose to', 'turnover')
    ("it would not disclose to $2 million holders", [(2e6, "USD", "exact")]),
    ("daily turnover $8 million", [(8e6, "USD", "exact")]),
    ("the margin excess of HK$5 million", [(5e6, "HKD", "exact")]),  # 'in' ends 'margin', 16 characters back
    ("a stake of over 5 percent", [(5, "pct", "more_than")]),
    ("less than 5 percent", [(5, "pct", "at_most")]),
    ("fewer than 10 companies", [(10, "count", "at_most")]),
    ("no more than 15 times", [(15, "x", "at_most")]),
    ("no less than 2 billion shares", [(2e9, "shares", "at_least")]),
    ("超購100倍或以上", [(100, "x", "at_least")]),
    ("中籤率5%或以下", [(5, "pct", "at_most")]),
    ("最少100手", [(100, "count", "at_least")]),
    ("起码50亿元", [(5e9, "money", "at_least")]),
])
def test_qualifier_words(text, expected):
    assert _scan(text) == expected


# -- counts and ranks ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("three of the five companies rose", [(3, "count", "exact")]),
    ("seven of the previous 13 years", [(7, "count", "exact"), (13, "years", "exact")]),
    ("two out of the nine listings", [(2, "count", "exact")]),
    ("one of the five banks", []),  # 'one of' is a phrase, not a count
    ("two of the banks", []),  # no counted whole: not read
])
def test_partitive_counts(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hong Kong slipped to fourth place behind Shanghai", [(4, "rank", "exact")]),
    ("the bank took second spot", [(2, "rank", "exact")]),
    ("in the first place, demand was weak", []),  # an idiom, not a ranking
])
def test_ordinal_places(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("市场主要指三家公司：甲、乙和丙", [(3, "count", "exact")]),
    ("两家公司：甲公司与乙公司", [(2, "count", "exact")]),
    ("这三家公司包揽市场", []),  # refers back: narrative
    ("三家公司表示将会上市", []),  # no list: narrative
])
def test_chinese_counts_confirmed_by_a_list(text, expected):
    assert _scan(text) == expected


# -- currency ------------------------------------------------------------------------------------------------------
def test_dollar_sign_inside_chinese_text_is_the_outlets_dollar():
    assert _scan("某股$4.78下限定價") == [(4.78, "money", "exact")]
    assert _scan("priced at $4.78 each") == [(4.78, "USD", "exact")]  # English text: the US dollar
    text = "某公司招股價定於$4.78，一手1000股。"
    claims = extract_claims(article_from_text(text), market="HK")
    money = [c for c in claims if c.value == 4.78]
    assert money and money[0].unit == "HKD"


# -- statements that state no figure -------------------------------------------------------------------------------
def test_a_denied_vague_amount_is_no_figure():
    assert _scan("市场上没有数百亿美元的项目") == []
    # the same vague amount asserted is a range of 1-10 times the scale: 1e10 to 1e11
    qs = scan_numbers(normalise("动辄数百亿美元的估值").text)
    assert [(q.value, q.value_high, q.unit, q.qualifier) for q in qs] == [(1e10, 1e11, "USD", "range")]


@pytest.mark.parametrize("text, expected", [
    ("Two Chinese companies fell", [(2, "count", "exact")]),
    ("Five Hong Kong IPO debutants rose", [(5, "count", "exact")]),
    ("three US newcomers", [(3, "count", "exact")]),
    ("two new companies", []),  # a lower-case modifier: not read as a count
    ("the two Chinese companies", []),  # refers back
])
def test_counts_with_capitalised_modifiers(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("orders were twice the shares on offer", [(2, "x", "exact")]),
    ("revenue more than doubled", [(2, "x", "more_than")]),
    ("its market value tripled", [(3, "x", "exact")]),
    ("profit trebled", [(3, "x", "exact")]),
    ("sales quadrupled", [(4, "x", "exact")]),
    ("the doubling of its fleet", [(2, "x", "exact")]),
    ("a double-digit gain", []),  # 'double' is no multiple
])
def test_english_multiple_words(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a third of the shares", [(33.33, "pct", "exact")]),
    ("two-thirds of the proceeds", [(66.67, "pct", "exact")]),
    ("three-quarters of the deal", [(75, "pct", "exact")]),
    ("nearly half of the offering", [(50, "pct", "nearly")]),
    ("more than half the shares", [(50, "pct", "more_than")]),
    ("in the second half of the year", []),  # a period, not a share
    ("the other half of the book", []),
])
def test_english_fraction_words(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("priced at 61.5 cents a share", [(0.615, "money", "exact")]),  # the outlet decides the dollar
    ("末期息12港仙", [(0.12, "HKD", "exact")]),
    ("每股派10美仙", [(0.1, "USD", "exact")]),
    ("down 1 cent", [(0.01, "money", "exact")]),
    ("up 15 percent", [(15, "pct", "exact")]),  # 'percent' is no cent
])
def test_hundredths_of_a_currency(text, expected):
    got = _scan(text)
    assert [(round(v, 6), u, q) for v, u, q in got] == expected


def test_cents_take_the_outlets_dollar():
    claims = extract_claims(article_from_text("The shares were priced at 61.5 cents each."), market="US")
    assert [(round(c.value, 6), c.unit) for c in claims if c.value is not None] == [(0.615, "USD")]


@pytest.mark.parametrize("text, expected", [
    ("priced its listing at 175p on Thursday", [(1.75, "GBP", "exact")]),
    ("closed up 13p at 188p", [(0.13, "GBP", "exact"), (1.88, "GBP", "exact")]),
    ("a dividend of 50 pence", [(0.5, "GBP", "exact")]),
    ("at 12 p.m. local time", [(12, None, "exact")]),  # a time, not pence
])
def test_pence(text, expected):
    got = _scan(text)
    assert [(round(v, 6) if v is not None else v, u, q) for v, u, q in got] == expected


@pytest.mark.parametrize("text, expected", [
    ("it closed 2.35 percent lower than its IPO price", [(-2.35, "pct", "exact")]),
    ("fell to HK$1.25 or 16.7 percent below its IPO price", [(1.25, "HKD", "exact"), (-16.7, "pct", "exact")]),
    ("trading 5% down on the day", [(-5, "pct", "exact")]),
    ("closed 5 percent above its offer price", [(5, "pct", "exact")]),
    ("首日收市較招股價挫逾12%", [(-12, "pct", "more_than")]),
    ("天域半導體曾插34%", [(-34, "pct", "exact")]),
    ("茶飲股瀉近27%", [(-27, "pct", "nearly")]),
    ("其後跌幅稍為收窄至約26%", [(-26, "pct", "about")]),
])
def test_directions_after_and_slang_falls(text, expected):
    assert _scan(text) == expected


def test_dollar_sign_in_a_chinese_table_row_and_spaced_hk_dollar():
    assert _scan("一手賬面虧損 $1,020 $1,000") == [(1020, "money", "exact"), (1000, "money", "exact")]
    assert _scan("amounted to $ 235 million (HK $ 1.83 million)") == [(235e6, "USD", "exact"), (1.83e6, "HKD", "exact")]


@pytest.mark.parametrize("text, expected", [
    ("七家券商合共借出約93億元孖展", [(7, "count", "exact"), (9.3e9, "money", "about")]),
    ("綜合五間證券行數據", [(5, "count", "exact")]),
    ("两家银行表示", [(2, "count", "exact")]),
    ("这两家银行表示", []),  # refers back
    ("三家公司表示将会上市", []),  # narrative: not a tallied noun
])
def test_chinese_counts_of_brokers_and_banks(text, expected):
    assert _scan(text) == expected


def test_close_to_admits_a_value_above_it():
    # the close was 42.30 (30 × 1.41); 'close to $42' admits 42 ± 5% = 39.9–44.1, so 44.1 / 30 − 1 = 47% bounds
    # the return from above and the 41% agrees; 'nearly $42' admits only 39.9–42, at most 42 / 30 − 1 = 40%: flagged
    def verdicts(text):
        cs = extract_claims(article_from_text(text), market="US")
        verify({"a": cs})
        return {(c.metric, c.qualifier): c.verdict for c in cs}
    got = verdicts("Acme priced at $30 and closed at close to $42, up 41% from the IPO price.")
    assert got[("close_price", "about")] == "consistent" and got[("first_day_return", "exact")] == "consistent"
    got = verdicts("Acme priced at $30 and closed at nearly $42, up 41% from the IPO price.")
    assert got[("first_day_return", "exact")] in ("inconsistent", "tension")
