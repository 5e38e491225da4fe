"""Regressions from a review of the news reader: each case was wrong before its fix (values derived by hand)."""
import pytest

from ipolens.app.news import check_text as _check_text
from ipolens.news.numbers import parse_number, scan_numbers
from ipolens.news.text import normalise


def check_text(store, text, **kw) -> dict:
    """The use case's JSON, as the CLI and the web API give it."""
    return _check_text(store, text, **kw).to_dict()


def _run(store, text, market="HK"):
    return check_text(store, text, market=market)


def _scan(text):
    return scan_numbers(normalise(text).text)


# 1. full-width clause marks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("comma", [",", "，"])
def test_loss_narrowing_with_full_width_commas_is_consistent(store, comma):
    text = f"壁仞科技2024年经调整净亏损7.67亿元{comma}2023年经调整净亏损10.51亿元{comma}亏损收窄。"
    r = _run(store, text)
    losses = [c for c in r["claims"] if c["metric"] == "adjusted_net_loss"]
    assert [c["value"] for c in losses] == [767000000, 1051000000]
    assert all(c["verdict"] == "consistent" for c in losses)
    assert not any(f["check"] == "direction" and f["verdict"] == "inconsistent" for f in r["findings"])
    assert losses[1]["quote"] == "2023年经调整净亏损10.51亿元"  # the clause, not the sentence


# 2. fx pairs: one amount restated, not two neighbouring amounts ------------------------------------------------------
def test_fx_does_not_pair_two_companies_amounts(store):
    for text in ("壁仞科技市值855.4亿港元, 智谱募资约合5.6亿美元。", "壁仞科技市值855.4亿港元，智谱募资约合5.6亿美元。"):
        r = _run(store, text)
        assert not [f for f in r["findings"] if f["check"] == "fx"], r["findings"]
        usd = [c for c in r["claims"] if c["unit"] == "USD"][0]
        assert "implied rate" not in usd["why"]


def test_fx_still_pairs_a_restated_amount(store):
    # 855.4亿 / 7.75..7.85 = 108.97亿..110.37亿 USD: 约合110亿 fits; 512亿 / 70亿 = 7.31 is outside the band
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text
    from ipolens.news.verify import verify

    cs = extract_claims(article_from_text("甲乙科技市值233.6亿港元，约合30亿美元。丙丁智能估值約86億港元（約12億美元）。"),
                        market="HK")
    fx = [f for f in verify({"a": cs}) if f.check == "fx"]
    assert [f.verdict for f in fx] == ["consistent", "tension"]
    en = extract_claims(article_from_text("Zhipu raised HK$4.35 billion (about US$900 million)."), market="US")
    fx = [f for f in verify({"a": en}) if f.check == "fx"]
    # 4.35e9 / 9e8 = 4.833 HKD per USD, far outside the peg band (an assumption without a dated rate: tension)
    assert [f.verdict for f in fx] == ["tension"] and "implied rate 4.833" in fx[0].why


# 3. signs and declines ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,unit", [
    ("-20%", -20, "pct"),
    ("净亏损为-3.2亿元", -3.2e8, "money"),
    ("跌幅12.5%", -12.5, "pct"),
    ("股价下跌12.5%", -12.5, "pct"),
    ("收跌20%", -20, "pct"),
    ("首日收跌-20%", -20, "pct"),  # the minus and the verb say the same thing once
    ("fell 20%", -20, "pct"),
    ("down 20%", -20, "pct"),
    ("同比下降15个百分点", -15, "pp"),
    ("毛利率下降至12.5%", 12.5, "pct"),  # 下降至: fell TO a level
    ("涨跌幅12.5%", 12.5, "pct"),  # a change of either sign
    ("较发行价低20%", -20, "pct"),
])
def test_signed_figures(text, value, unit):
    q = parse_number(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_ranges_with_hyphens_are_not_negative():
    assert [(q.value, q.value_high) for q in _scan("招股价10-12港元")] == [(10, 12)]
    assert [(q.value, q.value_high) for q in _scan("0.5%-1%")] == [(0.5, 1)]


def test_from_to_margin_is_two_levels():
    qs = [q for q in _scan("毛利率由40.2%下降至35.1%") if q.unit == "pct"]
    assert [q.value for q in qs] == [40.2, 35.1]


@pytest.mark.parametrize("text", [
    "某公司发行价为20港元,收盘价为16港元,首日下跌20%。",
    "某公司发行价为20港元,收盘价为16港元,首日跌幅20%。",
    "某公司首日收跌20%,收报16港元,发行价20港元。",
])
def test_first_day_fall_is_checked_as_a_negative_return(text):
    # (16 / 20 - 1) = -20%: consistent only with the sign
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text
    from ipolens.news.verify import verify

    cs = extract_claims(article_from_text(text), market="HK")
    verify({"a": cs})
    r = [c for c in cs if c.metric == "first_day_return"]
    assert len(r) == 1 and r[0].value == -20
    assert r[0].verdict == "consistent", r[0].why


def test_rise_from_offer_price_is_a_first_day_return():
    # 34.46 / 19.6 - 1 = 75.82%
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text
    from ipolens.news.verify import verify

    cs = extract_claims(article_from_text("某公司发行价为19.6港元,收盘价为34.46港元,较发行价上升75.8%。"), market="HK")
    verify({"a": cs})
    r = [c for c in cs if c.unit == "pct"][0]
    assert r.metric == "first_day_return" and r.verdict == "consistent"
    assert "75.82%" in r.why


# 4. compound Chinese numbers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("1亿2000万元", 1.2e8, "money", "exact"),  # 1e8 + 2000 × 1e4
    ("一亿两千万港元", 1.2e8, "HKD", "exact"),
    ("六亿七千万元", 6.7e8, "money", "exact"),  # 6e8 + 7000 × 1e4
    ("3.37 亿元", 3.37e8, "money", "exact"),
    ("5000余万港元", 5e7, "HKD", "more_than"),  # more than 5000 × 1e4
    ("300多万股", 3e6, "shares", "more_than"),
])
def test_compound_chinese_numbers(text, value, unit, qualifier):
    qs = _scan(text)
    assert len(qs) == 1
    assert (qs[0].value, qs[0].unit, qs[0].qualifier) == (pytest.approx(value), unit, qualifier)


def test_compound_revenue_claim(store):
    r = _run(store, "壁仞科技2024年营收1亿2000万元。")
    rev = [c for c in r["claims"] if c["metric"] == "revenue"]
    assert [c["value"] for c in rev] == [120000000]


# 5. currency codes glued to the digits -----------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,unit", [
    ("RMB767 million", 7.67e8, "CNY"),
    ("RMB3.5 billion", 3.5e9, "CNY"),
    ("HKD12.5 billion", 1.25e10, "HKD"),
    ("USD500 million", 5e8, "USD"),
    ("RMB12.5亿", 1.25e9, "CNY"),
    ("19.60 Hong Kong dollars", 19.6, "HKD"),
])
def test_glued_currency_prefixes(text, value, unit):
    q = parse_number(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)
    assert q.raw == text


def test_model_names_still_skipped():
    assert _scan("BR100") == [] and _scan("XRMB100") == []


def test_english_loss_in_renminbi(store):
    r = _run(store, "Biren's net loss narrowed to RMB767 million from RMB1.05 billion.", market="US")
    loss = [(c["value"], c["unit"]) for c in r["claims"] if c["metric"] == "net_loss"]
    assert loss == [(767000000, "CNY"), (1050000000, "CNY")]


# 6. price roles ----------------------------------------------------------------------------------------------------
def _metrics(store, text, market="HK"):
    return [(c["metric"], c["value"]) for c in _run(store, text, market)["claims"] if c["unit"] in ("HKD", "pct")]


def test_close_reported_with_shou_pan_bao(store):
    assert ("close_price", 34.46) in _metrics(store, "某公司发行价为19.6港元,收盘报34.46港元,涨幅75.8%。")


def test_midday_snapshot_is_not_the_close(store):
    ms = dict(_metrics(store, "某公司发行价为19.6港元,截至中午收盘报36.5港元,涨幅86.2%。"))
    assert ms == {"offer_price": 19.6, "snapshot_price": 36.5, "snapshot_return": 86.2}  # the labels' names


def test_english_close_and_trailing_offer_price(store):
    ms = _metrics(store, "Biren closed at HK$34.46, up 75.8% from its HK$19.60 offer price.", market="US")
    assert ms == [("close_price", 34.46), ("first_day_return", 75.8), ("offer_price", 19.6)]


def test_entry_fee_and_lot_gain_are_not_offer_prices(store):
    r = _run(store, "某公司发行价19.6港元,每手200股,入场费3959.54港元,首日每手赚3220港元。")
    ms = [(c["metric"], c["value"]) for c in r["claims"]]
    assert ms == [("offer_price", 19.6), ("lot_size", 200), ("entry_fee", 3959.54), ("gain_per_lot", 3220)]


# 7. ranges with the unit on both ends -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,low,high,unit", [
    ("招股价介乎17.0港元至19.6港元", 17.0, 19.6, "HKD"),
    ("HK$10-12", 10, 12, "HKD"),
    ("HK$10 to HK$12", 10, 12, "HKD"),
    ("5%至8%", 5, 8, "pct"),
])
def test_ranges_with_units_on_both_ends(text, low, high, unit):
    qs = _scan(text)
    assert [(q.value, q.value_high, q.unit, q.qualifier) for q in qs] == [(low, high, unit, "range")]


def test_from_to_is_not_a_range():
    assert [q.qualifier for q in _scan("由40.2%至35.1%")] == ["exact", "exact"]


def test_offer_price_range_claim(store):
    r = _run(store, "壁仞科技招股价介乎17.0港元至19.6港元。")
    money = [c for c in r["claims"] if c["unit"] == "HKD"]
    assert [(c["metric"], c["value"], c["value_high"], c["qualifier"]) for c in money] == [
        ("offer_price_range", 17.0, 19.6, "range")]


# 8. 成 = tenths, with qualifiers and falls ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,qualifier", [
    ("近九成", 90, "nearly"),
    ("逾八成", 80, "more_than"),
    ("下跌逾三成", -30, "more_than"),
    ("两成", 20, "exact"),
    ("两成多", 20, "more_than"),
])
def test_tenths(text, value, qualifier):
    qs = _scan(text)
    assert [(q.value, q.unit, q.qualifier) for q in qs] == [(value, "pct", qualifier)]


def test_fall_of_more_than_thirty_percent_is_checked_on_its_size():
    # (13.00 / 20.00 - 1) = -35%: a fall of more than 30%; (14.40 / 20.00 - 1) = -28% (-28.04..-27.96 with rounding)
    # is not
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text
    from ipolens.news.verify import verify

    for close, verdict in (("13.00", "consistent"), ("14.40", "inconsistent")):
        cs = extract_claims(article_from_text(f"某公司发行价为20.00港元,收盘价为{close}港元,首日下跌逾三成。"), market="HK")
        verify({"a": cs})
        r = [c for c in cs if c.metric == "first_day_return"]
        assert [(c.value, c.qualifier, c.verdict) for c in r] == [(-30, "more_than", verdict)]


# 9. one currency for a 分别 list -----------------------------------------------------------------------------------
def test_respective_prices_share_the_currency(store):
    r = _run(store, "壁仞科技发行价、开盘价分别为19.6、35.7港元。")
    assert [(c["metric"], c["value"], c["unit"]) for c in r["claims"]] == [
        ("offer_price", 19.6, "HKD"), ("open_price", 35.7, "HKD")]


def test_respective_market_caps_share_the_currency(store):
    r = _run(store, "壁仞科技与智谱市值分别为855.4亿、512亿港元。")
    assert [(c["entity_key"], c["metric"], c["value"], c["unit"]) for c in r["claims"]] == [
        ("HK:06082", "market_cap", 85540000000, "HKD"), ("HK:02513", "market_cap", 51200000000, "HKD")]


def test_list_without_respectively_keeps_bare_numbers():
    assert [q.unit for q in _scan("编号3、5港元")] == [None, "HKD"]


def test_bare_yuan_entry_fee_of_a_hong_kong_listing_is_hkd(store):
    r = _run(store, "壁仞科技入场费14,605.83元。", market="CN")
    fee = [c for c in r["claims"] if c["metric"] == "entry_fee"]
    assert [(c["value"], c["unit"], c["currency_inferred"]) for c in fee] == [(14605.83, "HKD", True)]
