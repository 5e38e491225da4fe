"""Clauses: where a figure's role is read from (ipolens.news.clauses), and the structural rules built on them.

All sentences are invented for these tests; the expected roles follow from the sentence's own words.
"""
import pytest

from ipolens.news.clauses import clause_end, clause_start
from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text


def _metrics(text: str, market: str = "HK") -> list[tuple[float, str]]:
    return [(c.value, c.metric) for c in extract_claims(article_from_text(text), market=market) if c.value is not None]


@pytest.mark.parametrize("lead,basis,clause", [
    ("公司股价上涨,每手浮盈", True, "每手浮盈"),
    ("若以盘中最高价计,每手浮盈", True, "若以盘中最高价计,每手浮盈"),
    ("若以盘中最高价计,每手浮盈", False, "每手浮盈"),
    ("按招股价计算,公司市值", True, "按招股价计算,公司市值"),
    ("At the offer price, the firm is worth ", True, "At the offer price, the firm is worth "),
    ("Shares rose, then fell ", True, " then fell "),  # an ordinary clause before is not a basis
    ("没有逗号的一句话", True, "没有逗号的一句话"),
])
def test_clause_start(lead, basis, clause):
    assert lead[clause_start(lead, basis):] == clause


def test_a_basis_clause_sharpens_the_figure_after_it():
    # the same gain per lot, on the intraday high (the best case) and on the close
    assert _metrics("若以盤中最高價計，每手浮盈2,350元。") == [(2350, "gain_per_lot_max")]
    assert _metrics("若以收市價計，每手浮盈900元。") == [(900, "gain_per_lot")]


def test_a_respective_list_of_order_sizes_spreads_its_metrics():
    text = "當日該股超大單、大單、中單分別淨流入3億元、2億元和1億元。"
    assert _metrics(text, "CN") == [(3e8, "net_inflow_xl_orders"), (2e8, "net_inflow_large_orders"),
                                    (1e8, "net_inflow_medium_orders")]


def test_the_nearest_fund_flow_cue_wins_over_one_further_back():
    text = "主力資金淨流入5億元，不過小單淨流出6億元。"
    assert _metrics(text, "CN") == [(5e8, "net_inflow_main"), (6e8, "net_outflow_small_orders")]


def test_issued_capital_is_not_the_offer():
    # 已發行 (shares already issued) is no 發行 (the offer): the placing's share of issued H shares
    assert _metrics("新股佔已發行H股約7.5%。") == [(7.5, "placing_share_of_existing_h")]
    assert _metrics("公開發售股份佔發行股份總數10%。") == [(10, "public_tranche_pct")]


def test_an_ipo_of_one_company_is_its_gross_proceeds_not_the_markets():
    assert _metrics("這次IPO募資總額28億港元。") == [(2.8e9, "proceeds_gross")]
    assert _metrics("今年新股集資總額達900億港元。") == [(9e10, "ipo_proceeds")]


def test_respectively_spreads_the_names_before_the_figures():
    text = "In 2024, gross margin and operating margin were 40% and 12%, respectively."
    assert _metrics(text, "US") == [(40, "gross_margin"), (12, "operating_margin")]
    text = "Revenue and net loss came to $120 million and $35 million, respectively."
    assert _metrics(text, "US") == [(1.2e8, "revenue"), (3.5e7, "net_loss")]


def test_respectively_needs_the_word_right_after_the_list():
    # the figures are not a list spread by the word: each keeps the role of its own clause
    text = "Gross margin was 40%, and operating margin was 12%, up from 9% respectively earlier."
    assert _metrics(text, "US")[:2] == [(40, "gross_margin"), (12, "operating_margin")]


def test_an_unless_word_in_the_figures_own_clause_beats_a_context_elsewhere():
    # 頂頭槌 later in the sentence names the top tier, but 一手 in the figure's own clause keeps the one-lot rate
    assert _metrics("今次一手中籤率為80%，頂頭槌則各獲分配3萬股。")[0] == (80, "one_lot_success_rate")
    # without 一手 in its clause, the figure is the top tier's
    assert _metrics("最大額的120份申請中，頂頭槌各獲分配2萬股。")[0] == (120, "top_tier_applicants")


def test_a_bracketed_percentage_after_a_price_is_that_prices_move():
    # the open is named earlier in the sentence; the bracket belongs to the close right before it
    text = "The stock opened at $30, and it ended the day at $36.40 (52%)."
    assert _metrics(text, "US")[-1] == (52, "first_day_return")
    assert _metrics("該股暗盤收報7.3元(升12%)。")[-1] == (12, "grey_market_return")
    assert _metrics("該股盤中高見8.1元(升24%)。")[-1] == (24, "intraday_high_return")


def test_a_bracketed_aside_does_not_hide_the_noun_after_it():
    # the IPO noun follows the conversion in brackets: the figure before the brackets is still the deal's size
    text = "這是自2019年某公司310億港元(約合280億元人民幣) IPO以來最大的上市項目。"
    got = _metrics(text)
    assert got[0] == (3.1e10, "proceeds_gross")


def test_a_role_and_its_sharper_form_do_not_conflict():
    from ipolens.news.roles import lexicon

    # 'international offering' (before) and 'subscribed' (after) are about as near: the sharper role is what both say
    pick = lexicon().pick("x", "Its international offering was ", " subscribed.")
    assert pick.metric == "oversubscription_intl" and not pick.conflict
    # two unrelated roles at the same distance still conflict
    assert lexicon().pick("money", "公司成交额", "市值").metric is None


@pytest.mark.parametrize("text,ends", [
    # (a full stop ends a sentence when a space follows it: the last one of each text does not count here)
    ("Acme Holdings Inc. raised $100 million. It rose.", [38]),  # 'Inc.' goes on; 'million.' ends
    ("It listed in the U.S. on Friday. Then it fell.", [31]),  # 'U.S.' is no end either
    ("Mr. Wong sold 5% of it.", []),
    ("It rose 5%. Then it fell.", [10]),
])
def test_a_full_stop_after_an_abbreviation_ends_no_sentence(text, ends):
    from ipolens.news.clauses import SENTENCE_END

    assert [m.start() for m in SENTENCE_END.finditer(text)] == ends


def test_a_company_name_with_inc_stays_in_its_sentence():
    text = "The offering by Acme Holdings Inc. in June raised $120 million."
    (c,) = [c for c in extract_claims(article_from_text(text), market="US") if c.value == 120e6]
    assert c.sentence == text  # the whole sentence: it does not end at "Inc."


def test_an_english_subordinate_clause_does_not_sharpen_the_figure_before_it():
    # 'intraday' belongs to the drop after 'after a/an', not to the move at the time stated before it
    text = "The stock was down 4% after an intraday slide of up to 8%."
    got = dict(_metrics(text, "US"))
    assert got[-4] != "intraday_high_return" and got[-4] != "intraday_low_return"


def test_after_fees_without_an_article_still_sharpens_the_amount():
    # 'after fees' is no new clause: the amount is the net of them
    text = "The company raised $500 million after underwriting fees of $20 million."
    got = [m for v, m in _metrics(text, "US") if v == 500e6]
    assert got == ["proceeds_net"], got


@pytest.mark.parametrize("lead,clause", [
    ("Orbiton sold 12,500,000 shares at ", "Orbiton sold 12,500,000 shares at "),  # thousands commas are no break
    ("新股招股认购1,230倍,每手", "每手"),  # the comma after 倍 is a break, the one inside 1,230 is not
    ("Demand was strong, 4,000 orders at ", " 4,000 orders at "),
])
def test_a_thousands_comma_does_not_start_a_clause(lead, clause):
    assert lead[clause_start(lead):] == clause


@pytest.mark.parametrize("trail,clause", [
    (" deals were covered more than 1,000 times, a record", " deals were covered more than 1,000 times"),
    (" shares, 1,000 of them", " shares"),
])
def test_a_thousands_comma_does_not_end_a_clause(trail, clause):
    assert trail[:clause_end(trail, "4")] == clause


@pytest.mark.parametrize("text", [
    "Shares rose 8% after the IPO window reopened last month.",
    "After the market reopened, the stock was up 5%.",
])
def test_reopened_is_not_the_open(text):
    """'opened' inside 'reopened' (a market or window, not the stock's open) does not make a move the open's."""
    assert "first_day_open_return" not in [m for _, m in _metrics(text, "US")]
