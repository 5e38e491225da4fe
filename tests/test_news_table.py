"""Tables: a figure in a cell is read in its column header and row label; the row label names its entity; prose
and ragged rows are not tables; spans stay on the text. All tables are invented."""
import pandas as pd
from hypothesis import given, settings, strategies as st

from ipolens.news.extract import extract_claims
from ipolens.news.gazetteer import Gazetteer
from ipolens.news.table import read_tables
from ipolens.news.text import article_from_text, normalise
from ipolens.news.verify import verify

_GAZ = Gazetteer.from_frames(
    pd.DataFrame([
        {"key": "HK:09991", "kind": "company", "market": "HK", "code": "09991", "name_en": "Zeta Robotics",
         "name_zh": "甲乙机器人"},
        {"key": "HK:09992", "kind": "company", "market": "HK", "code": "09992", "name_en": "Orion Foods",
         "name_zh": "丙丁食品"},
    ]), pd.DataFrame(columns=["alias", "entity"]))


def _claims(text: str, market: str = "HK"):
    return extract_claims(article_from_text(text), _GAZ, market=market)


def _at(claims, text: str, figure: str, nth: int = 0):
    """The claim whose span starts at the nth occurrence of ``figure``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(figure, pos + 1)
    return next(c for c in claims if c.start == pos)


ZH_HANS = ("本周新股表现如下。\n"
           "| 公司 | 招股价 | 首日收市 | 升幅 |\n"
           "|---|---|---|---|\n"
           "| 甲乙机器人 | 10.00 | 12.50 | 25.00% |\n"
           "| 丙丁食品 | 8.00 | 7.20 | -10.00% |\n")


def test_markdown_table_cells_take_their_column_role():
    cs = _claims(ZH_HANS)
    assert (_at(cs, ZH_HANS, "10.00").metric, _at(cs, ZH_HANS, "10.00").value) == ("offer_price", 10.0)
    assert _at(cs, ZH_HANS, "12.50").metric == "close_price"
    assert (_at(cs, ZH_HANS, "25.00%").metric, _at(cs, ZH_HANS, "25.00%").value) == ("first_day_return", 25.0)
    assert _at(cs, ZH_HANS, "7.20").unit == "HKD"  # a bare price under a price header is money (HK outlet)


def test_row_label_names_the_entity_of_each_row():
    cs = _claims(ZH_HANS)
    assert _at(cs, ZH_HANS, "12.50").entity_key == "HK:09991"
    assert _at(cs, ZH_HANS, "7.20").entity_key == "HK:09992"


def _checked(text: str):
    cs = _claims(text)
    verify({"<text>": cs})
    return cs


def test_a_row_return_is_checked_against_the_row_prices():
    bad = ZH_HANS.replace("-10.00%", "-10.50%")  # 7.2 / 8 - 1 = -10.00%, not -10.50%
    assert _at(_checked(bad), bad, "-10.50%").verdict == "inconsistent"
    assert _at(_checked(ZH_HANS), ZH_HANS, "-10.00%").verdict == "consistent"
    assert _at(_checked(bad), bad, "25.00%").verdict == "consistent"  # the other row stays right


def test_unknown_row_label_takes_no_entity_of_another_row():
    text = ZH_HANS.replace("丙丁食品", "戊己科技")
    assert _at(_claims(text), text, "7.20").entity_key is None


def test_zh_hant_key_value_box_without_header():
    text = ("丙丁食品今日招股，資料如下：\n"
            "招股價 | 港元 6.80 |\n"
            "每手股數 | 500 |\n"
            "入場費 | 3434.26 |\n")
    cs = _claims(text)
    price = _at(cs, text, "6.80")
    assert (price.metric, price.value, price.unit) == ("offer_price", 6.8, "HKD")
    assert (_at(cs, text, "500").metric, _at(cs, text, "500").unit) == ("lot_size", "shares")
    assert _at(cs, text, "3434.26").metric == "entry_fee"
    assert price.entity_key == "HK:09992"  # a key/value box is about the text's subject


def test_english_tab_table_with_terse_headers():
    text = ("Company\tOffer\tClose\tDay-one gain\n"
            "Zeta Robotics\tHK$10.00\tHK$12.50\t25.0%\n"
            "Orion Foods\tHK$8.00\tHK$7.20\t-10.0%\n")
    cs = _claims(text)
    assert _at(cs, text, "HK$12.50").metric == "close_price"
    assert _at(cs, text, "HK$8.00").metric == "offer_price"
    assert _at(cs, text, "HK$8.00").entity_key == "HK:09992"


def test_space_aligned_columns_and_bracketed_header_units():
    text = ("Company          Deal Size ($M)    Return\n"
            "Zeta Robotics    625               42.3%\n"
            "Orion Foods      120               -0.9%\n")
    c = _at(_claims(text, "US"), text, "625")
    assert (c.value, c.unit) == (625e6, "USD")
    dollar = text.replace("625 ", "$625")
    assert _at(_claims(dollar, "US"), dollar, "$625").value == 625e6


def test_scraped_rows_that_wrap_over_lines_keep_their_columns():
    text = ("Ticker | Company | Deal Size ($M) | Close | Change |\n---|---|---|---|---|\n"
            "ZRB | Zeta Robotics | $625 |\nHK$12.50\n|\n25.0% |\n"
            "ORF | Orion Foods | $120 |\nHK$7.20\n|\n-10.0% |\n")
    cs = _claims(text)
    assert (_at(cs, text, "HK$7.20").metric, _at(cs, text, "HK$7.20").entity_key) == ("close_price", "HK:09992")
    assert _at(cs, text, "$120").value == 120e6


def test_range_cell_is_one_figure_with_its_whole_span():
    text = "招股价 | 2.80-3.80 |\n每手股数 | 1,000 |\n"
    c = _at(_claims(text), text, "2.80")
    assert (c.value, c.value_high, text[c.start:c.end]) == (2.8, 3.8, "2.80-3.80")


def test_stacked_cells_one_a_line():
    text = "每手股数\n|\n500\n|\n招股价\n|\n港元 5.80\n|\n"
    cs = _claims(text)
    assert _at(cs, text, "500").metric == "lot_size"
    assert _at(cs, text, "5.80").unit == "HKD"


def test_table_next_to_prose_leaves_the_prose_reading():
    prose = "甲乙机器人首日收报12.5港元，较招股价10港元上涨25%。\n"
    alone = [(c.metric, c.value) for c in _claims(prose)]
    both = prose + "\n" + ZH_HANS
    assert [(c.metric, c.value) for c in _claims(both) if c.start < len(prose)] == alone


def test_prose_and_ragged_rows_are_no_table():
    prose = ("公司于2025年上市，招股价为10港元。\n首日收报12.5港元，升幅25%。\n"
             "Revenue  rose  12%  in 2024 while\nmargins  fell to  8%\n")
    assert len(read_tables(normalise(prose).text)) == 0
    ragged = "甲乙机器人  10.00  12.50\n丙丁食品  8.00\n"  # two-space columns of different widths
    assert len(read_tables(normalise(ragged).text)) == 0
    one_bar_line = "甲乙机器人 | 12.50 | 25%\n首日收报12.5港元。\n"  # a headline with bars, then prose
    assert len(read_tables(normalise(one_bar_line).text)) == 0


def test_one_key_value_line_is_no_table_but_two_are():
    assert len(read_tables("招股价：10港元\n")) == 0
    assert [c.key for c in read_tables("入场费: 3434.26\n截止日: 2016.12.07\n每手: 500\n日期: 12/05/24\n").cells] \
        == ["入场费", "每手"]  # dates are no figure cells
    assert len(read_tables("招股价：10港元\n每手股数：500股\n")) == 1


_CELL = st.one_of(st.sampled_from(["招股价", "Close", "甲乙机器人", "港元 6.80", "2.80-3.80", "25%", "-0.9%", "",
                                   "1,000", "$625", "(30%)", "2025-06-01", "  ", "万元"]),
                  st.text(alphabet="0123456789.,-% 港元$|│\t:", max_size=12))
_ROW = st.lists(_CELL, min_size=1, max_size=5).flatmap(
    lambda cells: st.sampled_from([" | ", "\t", "  ", "│", ": "]).map(lambda sep: sep.join(cells)))


@given(st.lists(st.one_of(_ROW, st.sampled_from(["|---|---|", "|", "本周新股表现如下。", ""])), max_size=12))
@settings(max_examples=200, deadline=None)
def test_spans_stay_inside_the_text(rows):
    text = "\n".join(rows)
    tables = read_tables(text)
    for cell in tables.cells:
        assert 0 <= cell.start < cell.end <= len(text)
        assert cell.row[0] <= cell.start and cell.end <= cell.row[1]
    for c in extract_claims(article_from_text(text), _GAZ, market="HK"):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end].strip()
