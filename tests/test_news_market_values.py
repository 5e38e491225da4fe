"""Two market values of one company, each right after the price it is taken at, confirm each other when they imply
one share count (checks_article._market_values_at_prices); support only. Invented sentences; every share count
worked by hand in the comment above it."""
from ipolens.news.checks_article import _market_values_at_prices
from ipolens.news.extract import Claim


def fig(n, metric, value, unit, at, sentence, half, entity="HK:09999"):
    return Claim(id=f"t#{n}", article="t", entity=None, entity_key=entity, code=None, metric=metric, value=value,
                 unit=unit, qualifier="exact", start=at, end=at + 5, quote=f"{value:g}", sentence=sentence, date=None,
                 _nstart=at, _nend=at + 5, _resn=half)


S1 = "某公司(股价40港元,市值200亿港元)今日上市。"
S2 = "暗盘收报30港元,总市值150亿港元。"


def test_two_values_at_two_prices_of_one_share_count_confirm_each_other():
    # 200亿 / 40 = 5亿 shares; 150亿 / 30 = 5亿 shares: one count
    cs = [fig(1, "close_price", 40, "HKD", 10, S1, 0.5), fig(2, "market_cap", 200e8, "HKD", 20, S1, 0.5e8),
          fig(3, "grey_market_price", 30, "HKD", 50, S2, 0.5), fig(4, "market_cap", 150e8, "HKD", 60, S2, 0.5e8)]
    found = _market_values_at_prices(cs)
    assert sorted(f.claims[0] for f in found) == ["t#2", "t#4"]
    assert all(f.verdict == "consistent" for f in found)


def test_a_different_share_count_says_nothing():
    # 200亿 / 40 = 5亿; 180亿 / 30 = 6亿 shares (an over-allotment, or another basis): no finding, never a flag
    cs = [fig(1, "close_price", 40, "HKD", 10, S1, 0.5), fig(2, "market_cap", 200e8, "HKD", 20, S1, 0.5e8),
          fig(3, "grey_market_price", 30, "HKD", 50, S2, 0.5), fig(4, "market_cap", 180e8, "HKD", 60, S2, 0.5e8)]
    assert _market_values_at_prices(cs) == []


def test_a_value_without_a_price_before_it_in_its_sentence_is_not_paired():
    # the second value's price stands in the sentence before it: 150亿 is not paired, so nothing is confirmed
    cs = [fig(1, "close_price", 40, "HKD", 10, S1, 0.5), fig(2, "market_cap", 200e8, "HKD", 20, S1, 0.5e8),
          fig(3, "grey_market_price", 30, "HKD", 50, "暗盘收报30港元。", 0.5),
          fig(4, "market_cap", 150e8, "HKD", 60, "总市值150亿港元。", 0.5e8)]
    assert _market_values_at_prices(cs) == []


def test_two_companies_are_not_paired():
    # the same figures, the second pair about another company: nothing
    cs = [fig(1, "close_price", 40, "HKD", 10, S1, 0.5), fig(2, "market_cap", 200e8, "HKD", 20, S1, 0.5e8),
          fig(3, "grey_market_price", 30, "HKD", 50, S2, 0.5, "HK:08888"),
          fig(4, "market_cap", 150e8, "HKD", 60, S2, 0.5e8, "HK:08888")]
    assert _market_values_at_prices(cs) == []
