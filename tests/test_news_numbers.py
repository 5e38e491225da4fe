"""Number expressions in the forms real IPO news uses: value in base units, unit, qualifier."""
import pytest

from ipolens.news.numbers import NumberParseError, parse_number

CASES = [
    # (text, value, unit, qualifier)
    ("1.38萬億港元", 1.38e12, "HKD", "exact"),
    ("近800亿", 8e10, None, "nearly"),
    ("1,600万", 1.6e7, None, "exact"),
    ("3.37亿元", 3.37e8, "money", "exact"),
    ("49.9萬元", 499000, "money", "exact"),
    ("2300倍", 2300, "x", "exact"),
    ("82.1%", 82.1, "pct", "exact"),
    ("0.036%", 0.036, "pct", "exact"),
    ("HK$85.5 billion", 8.55e10, "HKD", "exact"),
    ("US$9 million", 9e6, "USD", "exact"),
    ("855.4亿港元", 8.554e10, "HKD", "exact"),
    ("约合110亿美元", 1.1e10, "USD", "about"),
    ("约512亿港元", 5.12e10, "HKD", "about"),
    ("超2300倍", 2300, "x", "more_than"),
    ("近29亿港元", 2.9e9, "HKD", "nearly"),
    ("19.6港元", 19.6, "HKD", "exact"),
    ("35.7港元", 35.7, "HKD", "exact"),
    ("55.2亿港元", 5.52e9, "HKD", "exact"),
    ("43.5亿港元", 4.35e9, "HKD", "exact"),
    ("30亿美元", 3e9, "USD", "exact"),
    ("180%", 180, "pct", "exact"),
    ("1.69亿美元", 1.69e8, "USD", "exact"),
    ("900万美元", 9e6, "USD", "exact"),
    ("8300万美元", 8.3e7, "USD", "exact"),
    ("390万美元", 3.9e6, "USD", "exact"),
    ("3000亿美元以上", 3e11, "USD", "at_least"),
    ("万亿美元级别", 1e12, "USD", "order_of_magnitude"),
    ("突破3000億元", 3e11, "money", "more_than"),
    ("超過3300億元", 3.3e11, "money", "more_than"),
    ("468.78%", 468.78, "pct", "exact"),
    ("近30倍", 30, "x", "nearly"),
    ("1500余項", 1500, "count", "more_than"),
    ("600余項", 600, "count", "more_than"),
    ("約23%", 23, "pct", "about"),
    ("超過1.38萬億港元", 1.38e12, "HKD", "more_than"),
    ("突破5萬億港元", 5e12, "HKD", "more_than"),
    ("23 家", 23, "count", "exact"),
    ("65.7% ", 65.7, "pct", "exact"),
    ("15% ", 15, "pct", "exact"),
    ("30天以上", 30, "days", "at_least"),
    ("五天以上", 5, "days", "at_least"),
    ("5分鐘", 5, "minutes", "exact"),
    ("7纳米", 7, "nm", "exact"),
    ("770亿个", 7.7e10, "count", "exact"),
    ("1000 TFLOPS", 1000, "TFLOPS", "exact"),
    ("1.2万颗", 12000, "count", "exact"),
    ("1024卡", 1024, "count", "exact"),
    ("万卡", 10000, "count", "exact"),
    ("千卡", 1000, "count", "exact"),
    ("50万元量级", 5e5, "money", "order_of_magnitude"),
    ("5890.3万元", 5.8903e7, "money", "exact"),
    ("6203万元", 6.203e7, "money", "exact"),
    ("超63亿元", 6.3e9, "money", "more_than"),
    ("33.02亿元", 3.302e9, "money", "exact"),
    ("70%以上", 70, "pct", "at_least"),
    ("超过20亿元", 2e9, "money", "more_than"),
    ("近50%", 50, "pct", "nearly"),
    ("2,543.18万股", 2.54318e7, "shares", "exact"),
    ("14,605.83元", 14605.83, "money", "exact"),
    ("116.2港元", 116.2, "HKD", "exact"),
    ("HK$35.70", 35.7, "HKD", "exact"),
    ("2,300 times", 2300, "x", "exact"),
    ("about 23%", 23, "pct", "about"),
    ("nearly 30 times", 30, "x", "nearly"),
    ("more than 1,000 employees", 1000, "count", "more_than"),
    ("RMB 3.37 billion", 3.37e9, "CNY", "exact"),
    ("3.37 billion yuan", 3.37e9, "CNY", "exact"),
    ("万分之三点六", 0.036, "pct", "exact"),
    ("百分之八十二点一", 82.1, "pct", "exact"),
    ("一成", 10, "pct", "exact"),
    ("２３００倍", 2300, "x", "exact"),
    ("８２．１％", 82.1, "pct", "exact"),
    ("3万亿", 3e12, None, "exact"),
    ("16.4亿", 1.64e9, None, "exact"),
    ("1.5千万", 1.5e7, None, "exact"),
    ("2347倍", 2347, "x", "exact"),
    ("425.46%", 425.46, "pct", "exact"),
    ("0.5个百分点", 0.5, "pp", "exact"),
    ("人民币3.37亿元", 3.37e8, "CNY", "exact"),
    ("3.37亿元人民币", 3.37e8, "CNY", "exact"),
    ("8.22億元", 8.22e8, "money", "exact"),
    ("约8.22亿元", 8.22e8, "money", "about"),
    ("逾43亿港元", 4.3e9, "HKD", "more_than"),
    ("高达82.1%", 82.1, "pct", "exact"),
    ("翻倍有余", 2, "x", "more_than"),
    ("算力减半", 0.5, "x", "about"),
    ("半数以上", 50, "pct", "more_than"),
    ("數千萬美元", 1e7, "USD", "range"),
    ("数百亿港元", 1e10, "HKD", "range"),
    ("8000亿至1万亿美元", 8e11, "USD", "range"),
    ("10-20亿港元", 1e9, "HKD", "range"),
    ("上亿美元", 1e8, "USD", "more_than"),
    ("超千亿美元", 1e11, "USD", "more_than"),
    ("1433.10元/股", 1433.10, "money", "exact"),
    ("二千三百倍", 2300, "x", "exact"),
    ("暴跌90%", -90, "pct", "exact"),
]


@pytest.mark.parametrize("text,value,unit,qualifier", CASES, ids=[c[0] for c in CASES])
def test_number_expression(text, value, unit, qualifier):
    q = parse_number(text)
    assert q.value == pytest.approx(value, rel=1e-9)
    assert q.unit == unit
    assert q.qualifier == qualifier


def test_at_least_sixty_expressions():
    assert len(CASES) >= 60


def test_range_high_values():
    assert parse_number("8000亿至1万亿美元").value_high == pytest.approx(1e12)
    assert parse_number("数百亿港元").value_high == pytest.approx(1e11)
    assert parse_number("10-20亿港元").value_high == pytest.approx(2e9)


def test_per_share_flag():
    assert parse_number("1433.10元/股").per_share
    assert not parse_number("3.37亿元").per_share


def test_bare_yuan_is_left_to_the_caller():
    assert parse_number("14,605.83元").bare_yuan
    assert not parse_number("14,605.83港元").bare_yuan


def test_no_number_raises():
    with pytest.raises(NumberParseError):
        parse_number("市值稳定")


def test_model_names_are_not_quantities():
    from ipolens.news.numbers import scan_numbers

    assert [q.raw for q in scan_numbers("BR100与GPT-4相比") if q.unit] == []


# -- numbers as people write them (round 3): own sentences, expected values worked out by hand -------------------
def _scan(text: str):
    from ipolens.news.numbers import scan_numbers
    from ipolens.news.text import normalise

    return [(q.value, q.unit, q.value_high) for q in scan_numbers(normalise(text).text)]


@pytest.mark.parametrize("text, expected", [
    ("某股报收3 1 5港元", [(315, "HKD", None)]),  # digits spread by an aggregator
    ("招股价1 8 . 7 5港元", [(18.75, "HKD", None)]),
    ("升幅达4 . 2 5%", [(4.25, "pct", None)]),
    ("市值为2 0 4亿港元", [(2.04e10, "HKD", None)]),
    ("共3 512 000 000股", [(3512000000, "shares", None)]),  # groups of three stay one number
])
def test_spread_digits_are_one_number(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a $2.35-billion listing", [(2.35e9, "USD", None)]),
    ("its $640-million offering", [(6.4e8, "USD", None)]),
])
def test_hyphenated_scale(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("收報3.1元,較招股價4.20元低26.2%", [(3.1, "money", None), (4.2, "money", None), (-26.2, "pct", None)]),
    ("暗盤跌幅介乎3.5%至6.1%", [(-3.5, "pct", -6.1)]),
    ("兩家公司首日跌幅分别为12.5%、4.75%", [(-12.5, "pct", None), (-4.75, "pct", None)]),
    ("上市首日破发8%", [(-8, "pct", None)]),
    ("after a drop of 6.5%", [(-6.5, "pct", None)]),
    ("收入下跌5%、利润增长8%", [(-5, "pct", None), (8, "pct", None)]),  # not a list of changes of one sign
    ("较招股价高12%", [(12, "pct", None)]),
])
def test_signed_changes(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("拍賣股數3,120仟股", [(3120000, "shares", None)]),  # 仟 = 1e3
    ("只有25份申請獲配", [(25, "count", None)]),
    ("須認購40手方穩獲一手", [(40, "count", None)]),
    ("全年招股共95宗", [(95, "count", None)]),
    ("6間券商", [(6, "count", None)]),
    ("完成4轮融资", [(4, "count", None)]),
])
def test_counters(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("近15年以来最大", [(15, "years", None)]),
    ("连续六年位居", [(6, "years", None)]),
    ("2024年上市", []),  # a calendar year is read by dates.py, not as a duration
    ("24年5月", [(5, None, None)]),  # a short year in a date is no duration
    ("a 90-day lock-up", [(90, "days", None)]),
    ("the past three years", [(3, "years", None)]),
    ("in its 25+ year history", [(25, "years", None)]),
    ("one of the two banks", []),  # English number words only before a unit
    ("成立6个月", [(6, "months", None)]),
])
def test_durations(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("创始人仍为第二大股东", [(2, "rank", None)]),
    ("销量排名全国第三", [(3, "rank", None)]),
    ("the ninth largest deal", [(9, "rank", None)]),
    ("the #3 lender", [(3, "rank", None)]),
    ("第一大幅上升", []),  # 大幅 is 'sharply', not 'largest'
    ("of the 12 billion-dollar IPOs", [(12, "count", None)]),  # ten-figure deals counted
])
def test_ranks_and_counted_deals(text, expected):
    assert _scan(text) == expected


def test_range_after_a_qualifier_keeps_the_shared_scale_exactly():
    # 约合 before the low end: 150.12亿 = 15,012,000,000 exactly, not a float product
    assert _scan("约合 150.12 ~ 187.65 亿元人民币") == [(15012000000, "CNY", 18765000000)]


def test_half_or_more():
    from ipolens.news.numbers import scan_numbers

    q = [q for q in scan_numbers("逾半新股下跌") if q.unit == "pct"][0]
    assert (q.value, q.qualifier) == (50, "more_than")


# -- dates the labels count ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, ref, expected", [
    ("公司 6 月 3 日公布", "2025-06-05", "2025-06-03"),  # spaced month and day
    ("某官员周六(14日)表示", "2025-06-16", "2025-06-14"),  # weekday with its day of the month
    ("the shares debuted on Wednesday", "2025-06-05", "2025-06-04"),
    ("汽车公司昨挂牌", "2024-03-02", "2024-03-01"),
])
def test_dates_people_write(text, ref, expected):
    import datetime as dt

    from ipolens.news.dates import scan_dates
    from ipolens.news.text import normalise

    got = [d.date.isoformat() for d in scan_dates(normalise(text).text, dt.date.fromisoformat(ref)) if d.date]
    assert got == [expected]


def test_yesterday_close_is_not_a_date():
    import datetime as dt

    from ipolens.news.dates import scan_dates

    assert scan_dates("昨收10元", dt.date(2025, 1, 2)) == []


def _extracted(text: str, published: str):
    import datetime as dt

    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    return extract_claims(article_from_text(text), published=dt.date.fromisoformat(published))


def test_event_days_are_claims_and_as_of_days_are_not():
    text = ("某科技公司此次招股时间为2025年3月3日至3月6日,预期定价日定在3月7日。"
            "截至3月5日,孖展认购额达100亿港元。北京3月2日讯 另一公司公布业绩。")
    claims = {c.text: c.metric for c in _extracted(text, "2025-03-08") if c.unit == "date"}
    assert claims == {"2025-03-03": "subscription_start", "2025-03-06": "subscription_end",
                      "2025-03-07": "pricing_date"}


def test_founding_and_listing_years():
    claims = {(c.text, c.metric) for c in _extracted("某电池公司成立于2009年,2016年在深交所上市。", "2025-01-01")
              if c.unit == "year"}
    assert claims == {("2009", "founded_year"), ("2016", "listing_date")}


def test_people_counts_need_an_allotment_cue():
    claims = _extracted("申请一手的8200人中有410人获配股份。记者在现场看到3人排队。", "2025-01-01")
    assert sorted(c.value for c in claims if c.unit == "count") == [410, 8200]


@pytest.mark.parametrize("lead, trail, basis", [
    ("按发行价上限每股", "计算,集资", True),  # '按…计算': the figure restated as the basis of a sum
    ("以每股", " 计,市值", True),
    ("proceeds based on ", " a share", True),
    ("公司定价每股", ",较上限", False),  # a plain restatement merges into the first claim
])
def test_restated_basis_cue(lead, trail, basis):
    from ipolens.news.extract import _BASIS

    assert bool(_BASIS.search(lead[-12:] + "|" + trail[:6])) is basis


def test_stock_counts_in_chinese_numerals():
    # 只/隻 counts stocks and is kept; 家/个 in Chinese numerals stay narrative ('这两家公司')
    assert _scan("今日三隻新股上市") == [(3, "count", None)]
    assert _scan("这两家公司") == []


@pytest.mark.parametrize("text, expected", [
    ("承銷價NT$52.5元", [(52.5, "TWD", None)]),  # the NT of NT$ is part of the currency, not dropped
    ("新台幣36元", [(36, "TWD", None)]),
    ("每股ADS定价为ADS17美元", [(17, "USD", None)]),  # letters glued before a priced figure
    ("it sold 40.2 million American depositary shares", [(40200000, "shares", None)]),
    ("8 million ADSs", [(8000000, "shares", None)]),
    ("H100芯片", []),  # a model name stays a name
])
def test_currency_prefixes_and_depositary_shares(text, expected):
    assert _scan(text) == expected


# Issue 13 item 6: forms found on news text the reader was not written from. Values worked by hand.
@pytest.mark.parametrize("text,value,unit", [
    ("raised $500m", 500 * 10**6, "USD"),          # m after a currency: millions
    ("RMB 30m", 30 * 10**6, "CNY"),
    ("US$40.5m", 40.5e6, "USD"),
    ("a £1.2bn float", 1.2e9, "GBP"),
    ("priced at £20 each", 20, "GBP"),
    ("margin up 5pc", 5, "pct"),
    ("两成半", 25, "pct"),                         # 2.5 tenths
    ("七成五", 75, "pct"),                         # 7 tenths and 5 hundredths
    ("其中1成为公开发售", 10, "pct"),              # an Arabic digit before 成为 is still tenths
    ("每手100股份", 100, "shares"),                # 股份 after a number: shares
])
def test_forms_of_unseen_news(text, value, unit):
    q = parse_number(text)
    assert q.value == pytest.approx(value, rel=1e-12)
    assert q.unit == unit


def test_words_that_only_look_like_figures():
    from ipolens.news.numbers import scan_numbers

    def read(text):
        return [(q.value, q.unit) for q in scan_numbers(text)]

    assert (5e6, "USD") not in read("5m people") and all(u is None for _, u in read("5m people"))
    assert all(u != "USD" for _, u in read("S$2.5 a share"))  # a Singapore dollar is not the US dollar
    assert read("三成半导体企业") == [(30, "pct")]             # 半导体 is semiconductors, not a half
    assert (10, "pct") not in read("这一成为")                  # 成为 after a Chinese digit: 'became'
    assert all(u != "shares" for _, u in read("1股份有限公司"))
    assert read("1e308") == []                                  # a float literal is no figure, nor two of them
    q = [x for x in scan_numbers("约\n\n9家") if x.value == 9][0]
    assert q.qualifier == "exact" and q.start == 3             # a qualifier lines above is not this figure's


def test_money_nouns_make_a_bare_scale_money():
    from ipolens.news.numbers import bare_money, scan_numbers

    text = "首日孖展4397亿,发行1.2亿"
    qs = bare_money(scan_numbers(text), text)
    units = {q.raw: (q.unit, q.bare_yuan) for q in qs}
    assert units["4397亿"] == ("money", True)
    assert units["1.2亿"] == (None, False)  # 发行 does not name an amount of money


@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("a tenfold rise", 10, "x", "exact"),
    ("十余家企业", 10, "count", "more_than"),   # a qualified Chinese-numeral count is a statistic
    ("二十多家", 20, "count", "more_than"),
    ("过万人", 10_000, "count", "more_than"),   # 过 before a scale with no digit
    ("上千家", 1_000, "count", "more_than"),
])
def test_counts_and_multiples_in_words(text, value, unit, qualifier):
    q = parse_number(text)
    assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier)


def test_narrative_counts_and_verbs_stay_unqualified():
    from ipolens.news.numbers import scan_numbers

    assert scan_numbers("三家公司") == []                      # '三家' in a story is narrative
    q = scan_numbers("经过3年")[0]
    assert (q.value, q.qualifier) == (3, "exact")              # 经过 is a verb, not 'more than'


def test_unknown_issuer_financials_in_a_mainland_text_are_renminbi():
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    text = "某汽车公司今日在港上市,发行价30元。公司去年营收500亿元。\n"
    for path, market, expected in (("a.zh-Hans.txt", "HK", "CNY"), ("a.zh-Hant.txt", "HK", "HKD")):
        claims = extract_claims(article_from_text(text, path), None, market=market)
        revenue = [c for c in claims if c.metric == "revenue"]
        price = [c for c in claims if c.value == 30]
        assert revenue and revenue[0].unit == expected and revenue[0].currency_inferred
        assert price and price[0].unit == "HKD"  # a price on an HK listing stays in Hong Kong dollars


def test_colloquial_currencies_and_between_ranges():
    assert (parse_number("2億美金").value, parse_number("2億美金").unit) == (2e8, "USD")   # 美金: US dollars
    q = parse_number("priced between $20 and $22")
    assert (q.value, q.value_high, q.unit, q.qualifier) == (20, 22, "USD", "range")
    q = parse_number("between 10 and 12 times")
    assert (q.value, q.value_high, q.unit) == (10, 12, "x")
    from ipolens.news.numbers import scan_numbers

    assert [q.qualifier for q in scan_numbers("rose 10% and 20%")] == ["exact", "exact"]  # a list, not a range


def test_english_counts_of_plural_nouns():
    from ipolens.news.numbers import scan_numbers

    assert [(q.value, q.unit) for q in scan_numbers("drew 12 banks and two companies")] == [(12, "count"), (2, "count")]
    assert scan_numbers("one company said") == []                       # 'one' is an article
    assert [(q.value, q.unit) for q in scan_numbers("$5bn deals")] == [(5e9, "USD")]  # money, not a count


def test_a_thousands_comma_does_not_cut_the_quote():
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    text = "Language: en\n\nThe deal drew 12 banks and 4,000 investors.\n"
    claims = extract_claims(article_from_text(text, "q.txt"))
    banks = [c for c in claims if c.value == 12][0]
    assert "4,000 investors" in banks.quote


def test_a_scale_after_any_unicode_space_is_read_not_a_crash():
    from ipolens.news.numbers import scan_numbers

    # \s also matches control separators such as U+001F (found by hypothesis): the scale is still 万
    (q,) = scan_numbers("3\x1f万")
    assert q.value == 30_000


@pytest.mark.parametrize("text,value", [
    ("It will issue 64 million new H shares.", 64e6),
    ("The trust sold 3 million Class A shares.", 3e6),
    ("Holders keep 12 million existing ordinary shares.", 12e6),
    ("It sold 25 million shares.", 25e6),
])
def test_a_share_class_between_the_number_and_shares_is_a_share_count(text, value):
    from ipolens.news.numbers import scan_numbers

    (q,) = [q for q in scan_numbers(text) if q.value == value]
    assert q.unit == "shares"


def test_a_lone_lower_case_letter_is_no_share_class():
    from ipolens.news.numbers import scan_numbers

    # 'a' is an article, not class A: the figure stays unitless
    assert [q.unit for q in scan_numbers("It got 10 a shares day")] == [None]


# -- number forms of unseen articles (fresh pool, 2026-12-03): sentences invented for these tests ---------------------
@pytest.mark.parametrize("text, expected", [
    ("某指数收报18000.5点", [(18000.5, "points", None)]),   # an index level
    ("该指数早盘跌200点", [(200, "points", None)]),          # a move in whole points, from 25 on
    ("大盘涨12.5点", [(12.5, "points", None)]),              # a decimal is never a clock time
    ("The index fell 310 points", [(310, "points", None)]),
    ("The gauge added 12 points", [(12, "points", None)]),   # English points tell no time
    ("下午3点收市", [(3, None, None)]),                      # a clock time, not an index
    ("晚上8点公布", [(8, None, None)]),
    ("将于16点30分公布", [(16, None, None), (30, None, None)]),
    ("于2点半开始", [(2, None, None)]),
    ("提出三点建议", [(3, None, None)]),                     # a Chinese numeral: points of an argument
    ("上升1.5个百分点", [(1.5, "pp", None)]),                # percentage points stay pp
])
def test_index_points_and_clock_times(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("每股派息5仙", [(0.05, "money", None)]),                  # a bare 仙 is a cent of the outlet's dollar
    ("每股作價12.5仙", [(0.125, "money", None)]),
    ("八仙过海", [(8, None, None)]),                            # after a Chinese numeral 仙 is no cent
])
def test_a_bare_xian_is_cents(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("noun", ["筹", "筹资", "募集", "套现", "籌", "籌資", "套現"])
def test_each_raising_verb_makes_a_bare_scale_money(noun):
    from ipolens.news.numbers import bare_money, scan_numbers
    from ipolens.news.text import normalise

    text = normalise(f"某公司{noun}30亿").text
    (q,) = bare_money(scan_numbers(text), text)
    assert (q.value, q.unit, q.bare_yuan) == (3e9, "money", True)


@pytest.mark.parametrize("text,value", [
    ("It priced 35 million available shares for $9.", 35e6),
    ("The firm has 900 million outstanding shares.", 900e6),
    ("It added 2 million issued shares.", 2e6),
    ("Some 8 million offered shares went to funds.", 8e6),
    ("Banks took up 1.5 million unsold shares.", 1.5e6),
])
def test_a_state_of_the_shares_between_the_number_and_shares_is_a_share_count(text, value):
    from ipolens.news.numbers import scan_numbers

    (q,) = [q for q in scan_numbers(text) if q.value == value]
    assert q.unit == "shares"


@pytest.mark.parametrize("text, expected", [
    ("折让约3%至5%", [(3, "pct", 5)]),             # 'about' before the low end qualifies the range
    ("作价约10至12港元", [(10, "HKD", 12)]),
    ("超过3%至5%", [(3, "pct", None), (5, "pct", None)]),  # 'more than' is no range bound: two figures
])
def test_about_before_a_range(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("成为第三家在该板上市的公司", [(3, "rank", None)]),  # as 首家: the nth company to do it
    ("它是第12家获批的企业", [(12, "rank", None)]),
])
def test_an_ordinal_company_is_a_rank(text, expected):
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Of the deals, four (AAA, BBB, CCC, DDD) trade below offer.", [(4, "count", None)]),  # the list confirms it
    ("Two (Alpha and Beta) listed on Friday.", [(2, "count", None)]),
    ("three (Alpha, Beta) rose", []),       # a list of another length confirms nothing
    ("two (the largest) fell", []),          # a remark in brackets is no list
])
def test_a_number_word_before_a_bracketed_list_of_as_many_items_is_a_count(text, expected):
    assert _scan(text) == expected
