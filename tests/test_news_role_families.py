"""Role families added from a second pool of unseen IPO news (issue 13, item 1: roles from the figure's own clause).

One block per general cause found on articles the lexicon was not written from: a predicate family missing in one
script, a qualifier cancelled or read too far from its figure, a conflict that was resolved by guessing, a measure
word, a list spread by 分别. Every sentence is invented for this test; the expected role follows from the sentence's
own words. Each family has sentences in simplified Chinese, traditional Chinese and English where the press uses the
wording, and negative sentences: the family's words are near, but the figure is something else.
"""
import pytest

from news_role_helpers import metric_of as _metric_of, unit_of as _unit_of


POSITIVE = [
    # a change on the year before: its subject names it; none named, no guess
    ("yoy", "公司去年营业收入为12亿元，较上年下降{9.7%}。", "CN", "revenue_growth_yoy"),
    ("yoy", "今年本港新股數目按年增加{35%}。", "HK", "ipo_count_growth_yoy"),
    ("yoy", "Total proceeds raised in the city fell {40%} from a year earlier.", "US", "ipo_proceeds_growth_yoy"),
    ("yoy", "Some 120 IPOs have priced so far, down about {30%} from a year ago.", "US", "ipo_count_growth_yoy"),
    ("yoy", "集團純利按年增長{18%}。", "HK", "net_profit_growth_yoy"),
    ("yoy", "同比增长{18%}。", "CN", "statement"),
    # 分别 over subjects: each name sharpens the common role; the subjects may be the figures just before 分别
    ("respective_subjects", "今年新股集資宗數及集資額分別按年增加{六成}及2倍。", "HK", "ipo_count_growth_yoy"),
    ("respective_subjects", "今年新股集資宗數及集資額分別按年增加六成及{2倍}。", "HK", "ipo_proceeds_growth_yoy"),
    ("respective_subjects", "全年新股宗數為90宗，集資額為2000億元，分别按年增加{40%}及80%。", "HK", "ipo_count_growth_yoy"),
    ("respective_subjects", "全年新股宗數為90宗，集資額為2000億元，分别按年增加40%及{80%}。", "HK", "ipo_proceeds_growth_yoy"),
    ("respective_subjects", "The number of IPOs and the proceeds rose on-year by 20% and {35%}, respectively.", "US",
     "ipo_proceeds_growth_yoy"),
    # the share of an offer a group of investors was allotted
    ("allocation_share", "最终A类投资者获配份额达网下发行总量的{95%}。", "CN", "aggregate_allocation_pct"),
    ("allocation_share", "其他機構投資者獲配{4.5%}。", "CN", "aggregate_allocation_pct"),
    ("allocation_share", "Mutual funds were allocated {70%} of the offline tranche.", "CN", "aggregate_allocation_pct"),
    # the share of a period's IPOs that broke issue on day one
    ("break_rate", "今年新股首日破发率为{20%}。", "HK", "first_day_break_rate"),
    ("break_rate", "上半年新股首日破發率降至{18%}。", "HK", "first_day_break_rate"),
    ("break_rate", "The first-day break rate fell to {22%} this year.", "HK", "first_day_break_rate"),
    # the cash an application of a stated size needs
    ("application_amount", "散户需斥资约{30万元}认购120手。", "HK", "application_amount"),
    ("application_amount", "需申請300萬股才穩獲一手，即涉資約{90萬元}。", "HK", "application_amount"),
    ("application_amount", "An investor needed {HK$400,000} to apply for 200 lots.", "HK", "application_amount"),
    # all the company's shares
    ("shares_outstanding", "发行完成后，公司总股本将增至{8亿股}。", "CN", "shares_outstanding"),
    ("shares_outstanding", "上市後總股本約{25億股}。", "HK", "shares_outstanding"),
    ("shares_outstanding", "The group had outstanding shares of {900 million shares} after the deal.", "US",
     "shares_outstanding"),
    # A-share lottery: winning numbers, application size, the largest application
    ("a_share_lottery", "本次网上发行中签号码共{6.2万个}。", "CN", "successful_applicants"),
    ("a_share_lottery", "網上有效申購股數為{420億股}。", "CN", "application_shares"),
    ("a_share_lottery", "部分机构顶格申购{1500万股}。", "CN", "max_application_shares"),
    ("a_share_lottery", "每个中签号码只能认购{500股}。", "CN", "lot_size"),
    # IPOs counted by how day one ended
    ("day1_direction", "年內上市的新股中，共有{40隻}首日收漲。", "HK", "ipos_up_day1"),
    ("day1_direction", "另有{3家}首日收平。", "HK", "ipos_flat_day1"),
    ("day1_direction", "同日有{5家}首日收跌。", "CN", "ipos_below_issue"),
    ("day1_direction", "Of this year's listings, {25} rose on their debut.", "US", "ipos_up_day1"),
    # IPOs listed on one day
    ("listed_today", "今日共有{4隻}新股上市。", "HK", "ipos_listed"),
    ("listed_today", "今日共有{4只}新股上市。", "HK", "ipos_listed"),
    ("listed_today", "Hong Kong saw {6} companies list on the same day.", "HK", "ipos_listed"),
    # a count of newly listed companies; English firms
    ("new_listings", "年內已迎來{30家}新上市公司。", "HK", "ipo_count"),
    ("new_listings", "Another {12} firms plan to list before the end of the year.", "US", "ipo_count"),
    # cornerstones: the institutions counted, their share of the raise
    ("cornerstone", "基石投資者包括甲、乙等{15家}機構。", "HK", "cornerstone_count"),
    ("cornerstone", "基石投资者合共认购2亿美元，占募资总额的{45%}。", "HK", "cornerstone_share_of_offer"),
    # oversubscription as a noun or a rate; the nearest tranche word decides
    ("oversubscription_noun", "The deal drew an oversubscription of {40 times}.", "HK", "oversubscription"),
    ("oversubscription_noun", "It saw oversubscription of {300 times} by local investors and 2 times by global funds.",
     "HK", "oversubscription_public"),
    ("oversubscription_noun", "It saw oversubscription of 300 times by local investors and {2 times} by global funds.",
     "HK", "oversubscription_intl"),
    ("oversubscription_noun", "网下有效申购倍数为{2500倍}。", "CN", "oversubscription_intl"),
    # A-share results: what winners did not pay for, what the underwriter took up
    ("abandoned", "网上投资者放弃认购数量为{5.2万股}。", "CN", "shares_abandoned"),
    ("abandoned", "網上投資者棄購金額為{520萬元}。", "CN", "abandoned_amount"),
    ("abandoned", "本次发行网上弃购率为{0.3%}。", "CN", "abandon_rate"),
    ("abandoned", "主承銷商最終包銷比例為{0.06%}。", "CN", "underwriter_takeup_pct"),
    ("abandoned", "Shares not taken up by the winners totalled {30,000 shares}.", "CN", "shares_abandoned"),
    # a tranche's share stated as 占比 after its shares
    ("tranche_share", "其中香港公开发售800万股，占比{10%}。", "HK", "public_tranche_pct"),
    ("tranche_share", "香港公開發售800萬股，佔比10%；國際發售7200萬股，佔比{90%}。", "HK", "intl_tranche_pct"),
    # a loss or gain per board lot in English
    ("per_lot_en", "Each investor lost {HK$300} per board lot.", "HK", "loss_per_lot"),
    ("per_lot_en", "Lucky subscribers made {HK$1,500} per board lot.", "HK", "gain_per_lot"),
    ("per_lot_zh", "該股單簽浮盈約{5萬元}。", "CN", "gain_per_lot"),
    ("per_lot_zh", "每签盈利锁定在近{2万元}。", "CN", "gain_per_lot"),
    # 'one of N'
    ("one_of_n", "該行是本地{四}大銀行之一。", "HK", "peer_group_size"),
    ("one_of_n", "作为行业{四}小龙之一，公司今日招股。", "HK", "peer_group_size"),
    ("one_of_n", "The lender is one of the {10} biggest banks in Asia.", "US", "peer_group_size"),
    # a standard's version is no amount
    ("version", "该芯片支持PCIe {5.0}接口。", "CN", "standard_version"),
    ("version", "The board uses USB {3.2} ports.", "US", "standard_version"),
    # price basis: the opening price named with its noun, the day's top, a spike
    ("price_basis", "该股开盘股价报{32元}。", "CN", "open_price"),
    ("price_basis", "股價隨即被推至全日最高點{45元}。", "CN", "intraday_high"),
    ("price_basis", "The stock spiked to {$31} in the first hour.", "US", "intraday_high"),
    ("price_basis", "Shares peaked at $16 before closing their first trading day at {$13.35}.", "US", "close_price"),
    ("price_basis", "The shares closed up 27 per cent at {HK$12.94}.", "HK", "close_price"),
    # the nearer of two moments decides: an intraday high, a snapshot at a clock time
    ("moment", "Its shares rose as high as HK$80 before trading at {HK$76.05} as of 10:34 a.m.", "HK", "snapshot_price"),
    ("moment", "Its shares rose as high as {HK$80} before trading at HK$76.05 as of 10:34 a.m.", "HK", "intraday_high"),
    ("moment", "股價盤中一度升至688港元，截至午間報{650港元}。", "HK", "snapshot_price"),
    ("moment", "股价盘中一度升至{688元}，截至午间报650元。", "CN", "intraday_high"),
    # a price named by its place in the range; a figure compared with the midpoint is not the midpoint
    ("range_point", "It closed at HK$6.02, against the {HK$6} mid-range of its offer price.", "HK", "offer_price_mid"),
    ("range_point", "It priced 20% below the mid-point of its expected range of $26 to $29 at {$22}.", "US", "offer_price"),
    # margin lent by one broker; a total of the brokers' margin
    ("margin", "其中辉立预留{300亿港元}。", "HK", "margin_by_broker"),
    ("margin", "耀才證券的孖展已加碼，借至{320億元}。", "HK", "margin_by_broker"),
    ("margin", "致富已全數借出{12億元}孖展額度。", "HK", "margin_by_broker"),
    ("margin", "綜合多間券商，累計借出逾{1,700億元}孖展額。", "HK", "margin_subscription"),
    # figure-first roles: the noun after it
    ("noun_after", "該股首日錄得{72%}的換手率。", "HK", "turnover_rate"),
    ("noun_after", "公司占有{21%}的全球市场份额。", "CN", "market_share"),
    ("noun_after", "The group has {21%} of the global market share.", "US", "market_share"),
    ("noun_after", "招股吸引超{300亿美元}机构资金认购。", "HK", "institutional_orders"),
    ("noun_after", "The offering drew {$40 billion} of institutional orders.", "US", "institutional_orders"),
    # the offer price set at a bound is the offer price; the bound in a comparison is the bound
    ("range_bound", "海峰以{4.78元}下限定價。", "HK", "offer_price"),
    ("range_bound", "招股价定于下限的{4.78元}。", "HK", "offer_price"),
    ("range_bound", "現價比招股價下限{68元}高約2%。", "HK", "offer_price_low"),
    ("range_bound", "若以每股{21.5港元}的发行区间上限计算，集资约80亿港元。", "HK", "offer_price"),
    ("range_bound", "按招股價範圍中位數{9.3港元}計算，集資約3億港元。", "HK", "offer_price_mid"),
    ("range_bound", "It priced 20% below the mid-point of its expected range of {$26 to $29}.", "US",
     "offer_price_range"),
    # a maximum raise, a planned raise, an implied market value, market totals
    ("raise_basis", "此次IPO募资总额最高达{53亿美元}。", "HK", "proceeds_gross_max"),
    ("raise_basis", "The company plans to offer 5 million shares to raise {$25 million}.", "US", "proceeds_planned"),
    ("raise_basis", "It priced at $5 for an implied market cap of about {$83 million}.", "US", "market_cap_at_offer"),
    ("raise_basis", "Last year's IPO total came in at {$61 billion}.", "US", "ipo_proceeds"),
    ("raise_basis", "Total proceeds raised through last week equaled {$23.5 billion}.", "US", "ipo_proceeds"),
    # the stake's market value
    ("stake_value", "董事長持股該公司市值為{50億元}。", "CN", "stake_value"),
    ("stake_value", "Her stake is worth {$2.1 billion} at the offer price.", "US", "stake_value"),
    # cumulative since listing (累积), cut by a first-day word; first-day pop after the figure
    ("period", "該股累積升幅達到{450%}。", "HK", "cumulative_return_since_ipo"),
    ("period", "乙股累计涨幅为160% - 甲股上市首日较发行价上涨{120%}。", "HK", "first_day_return"),
    ("period", "The stock got an {18%} first-day pop.", "US", "first_day_return"),
    ("period", "開盤價比發行價高出近{4.7倍}。", "CN", "first_day_open_return"),
    # the tranche split at the start
    ("initial_tranche", "初始公開發售比例為{10%}，回撥後可增至50%。", "HK", "public_tranche_pct_initial"),
    ("initial_tranche", "The retail tranche was initially {10%} of the deal.", "HK", "public_tranche_pct_initial"),
    # grey market: its own open is no listing-day word; its high; English high after the figure
    ("grey", "該股暗盤開市1分鐘成交額超{5000萬港元}。", "HK", "grey_market_turnover"),
    ("grey", "在上市前一日的暗盤交易中，該股高開，隨後一度升至{150%}。", "HK", "grey_market_high_return"),
    ("grey", "The stock gained as much as {8.3 percent} in the gray market.", "HK", "grey_market_high_return"),
    # the open's words: 'opening day' is the first day; a close named in the sentence keeps the return
    ("open_words", "It had a poor opening day, closing at HK$3.84, or {6.34 percent} lower than the offer price.", "HK",
     "first_day_return"),
    # an ETF or a named index moves as an index does
    ("index", "The S&P 500 rose {9.1%} over the quarter.", "US", "index_return"),
    ("index", "恒指全日下跌{1.2%}。", "HK", "index_return"),
    # rule thresholds: an oversubscription that triggers a clawback
    ("clawback_threshold", "超額認購{50倍}以上則回補至40%。", "HK", "clawback_threshold"),
    ("clawback_threshold", "A retail tranche oversubscribed by more than {100 times} triggers a clawback to 50%.", "HK",
     "clawback_threshold"),
    # a sponsor co-invests through its subsidiary
    ("sponsor_coinvest", "保荐机构全资子公司甲投资有限公司获配股数{800万股}。", "CN", "sponsor_coinvest_shares"),
    # an upsize
    ("upsize", "發行量其後增加{1200萬股}。", "HK", "upsize_option_shares"),
    ("upsize", "The bank upsized the deal by {5 million shares}.", "US", "upsize_option_shares"),
    # the cash Hong Kong applicants lock up; retail orders are that cash, not the institutional book
    ("funds_frozen", "該股公開發售凍資約{2000億港元}。", "HK", "funds_frozen"),
    ("funds_frozen", "新股公开发售冻结资金{3000亿港元}。", "HK", "funds_frozen"),
    ("funds_frozen", "Huishang Bank was oversubscribed by 10 times and froze {HK$10.9 billion}.", "HK", "funds_frozen"),
    ("funds_frozen", "Retail investors put in orders worth {HK$500 billion} for the float.", "HK", "funds_frozen"),
    # an English count whose scale word the scanner kept: the noun comes after the scale
    ("count_scale", "Over {1 million} Hong Kong investors put in orders for the IPO.", "HK", "applicants"),
    # a forecast verb governs the clauses after it for a market's totals
    ("forecast_reach", "會計師行預測，全年新股宗數為{100宗}，集資額約2500億元。", "HK", "ipo_count_forecast"),
    ("forecast_reach", "会计师行预测，明年新股宗数为90宗，明年新股集资额约{2000亿港元}。", "HK", "ipo_proceeds_forecast"),
    ("forecast_reach", "The firm forecast that {90 companies} will list in Hong Kong this year.", "HK",
     "ipo_count_forecast"),
    # 户 counts applicant accounts
    ("accounts", "逾{480万户}参与申购。", "CN", "applicants"),
]

NEGATIVE = [
    # a first-day move keeps its role; a move with no subject of a yoy change is no revenue growth
    ("yoy", "該股上市首日較招股價上升{12%}。", "HK", "growth_yoy"),
    ("yoy", "同比增长{18%}。", "CN", "revenue_growth_yoy"),
    ("respective_subjects", "A公司與B公司的市值分別為{855億}、512億港元。", "HK", "ipo_count_growth_yoy"),
    ("allocation_share", "公司全球市場份額達{38%}。", "HK", "aggregate_allocation_pct"),
    ("break_rate", "該股首日破發，跌{8%}。", "HK", "first_day_break_rate"),
    ("application_amount", "全日成交784萬股，涉資{4548萬元}。", "HK", "application_amount"),
    ("shares_outstanding", "公司此次發行{1.2億股}H股。", "HK", "shares_outstanding"),
    ("a_share_lottery", "网上发行最终中签率为{0.04%}。", "CN", "successful_applicants"),
    ("a_share_lottery", "公司首次公开发行股票{3500万股}。", "CN", "application_shares"),
    ("day1_direction", "今年至今共有{56只}新股上市。", "HK", "ipos_up_day1"),
    ("listed_today", "今年以來共有{56只}新股上市。", "HK", "ipos_listed"),
    ("new_listings", "分析師表示{3家}券商已借爆孖展。", "HK", "ipo_count"),
    ("cornerstone", "今日有{20家}機構出席路演。", "HK", "cornerstone_count"),
    ("cornerstone", "A股占募资总额的{60%}。", "CN", "cornerstone_share_of_offer"),
    ("oversubscription_noun", "The deal drew an oversubscription of {40 times}.", "HK", "oversubscription_public"),
    ("abandoned", "網上投資者繳款認購{1677萬股}。", "CN", "shares_abandoned"),
    ("tranche_share", "海外收入占比{30%}。", "HK", "public_tranche_pct"),
    ("per_lot_en", "The startup lost {$41 million} in the first half.", "US", "loss_per_lot"),
    ("per_lot_zh", "集團去年盈利{3.5億元}。", "HK", "gain_per_lot"),
    ("one_of_n", "公司已在全球布局{13家}工厂。", "CN", "peer_group_size"),
    ("version", "公司去年收入{5.0亿元}。", "CN", "standard_version"),
    ("price_basis", "股價創下歷史新高{300元}。", "HK", "intraday_high"),
    ("price_basis", "报价区间横跨{88.79元}至159.57元。", "CN", "close_price"),
    ("margin", "首日孖展額{3500億元}。", "HK", "margin_by_broker"),
    ("margin", "兩家券商加碼後，共借出{326億元}。", "HK", "margin_subscription"),
    ("moment", "截至午間收市，該股報{36港元}。", "HK", "intraday_high"),
    ("range_point", "The stock traded at {$15} on Friday.", "US", "offer_price_mid"),
    ("noun_after", "該股首日上升{72%}。", "HK", "turnover_rate"),
    ("noun_after", "最终获配份额高达网下发行总量的{98%}。", "CN", "market_share"),
    ("range_bound", "定價於下限的{4.78元}。", "HK", "offer_price_low"),
    ("range_bound", "若以每股{21.5港元}的发行区间上限计算，集资约80亿港元。", "HK", "offer_price_mid"),
    ("raise_basis", "集資規模約{8億港元}，最高可達10億港元。", "HK", "proceeds_gross_max"),
    ("raise_basis", "It priced 20% below the mid-point of its expected range of $26 to $29 at {$22}.", "US",
     "first_day_return_forecast"),
    ("stake_value", "公司總市值{306億港元}。", "HK", "stake_value"),
    ("period", "該股上市以來累計升{250%}。", "HK", "first_day_return"),
    ("initial_tranche", "The company raised $50 million in its initial public offering at {$10} a share.", "US",
     "offer_price_range_initial"),
    ("grey", "該股今日首日掛牌開市報{32港元}。", "HK", "grey_market_price"),
    ("open_words", "該股高開{29%}。", "HK", "first_day_return"),
    ("index", "該股全日下跌{1.2%}。", "HK", "index_return"),
    ("clawback_threshold", "公開發售超額認購{300倍}，回撥至50%。", "HK", "clawback_threshold"),
    ("sponsor_coinvest", "参与战略配售的其他投资者合计获配{1.2亿股}。", "CN", "sponsor_coinvest_shares"),
    ("upsize", "此次發行近{1700萬股}。", "HK", "upsize_option_shares"),
    ("accounts", "公司有{1200名}员工。", "CN", "applicants"),
    ("forecast_reach", "今年預計有80隻新股上市，目前已有{40隻}上市。", "HK", "ipo_count_forecast"),
    ("funds_frozen", "The order book topped {$40 billion} from funds.", "US", "funds_frozen"),
    ("count_scale", "About {4,000} employees work at its plants.", "US", "applicants"),
]


@pytest.mark.parametrize("family,text,market,metric", POSITIVE,
                         ids=[f"{p[0]}:{i}" for i, p in enumerate(POSITIVE)])
def test_family_gives_its_role(family, text, market, metric):
    assert _metric_of(text, market) == metric


@pytest.mark.parametrize("family,text,market,metric", NEGATIVE,
                         ids=[f"{p[0]}:not-{p[3]}:{i}" for i, p in enumerate(NEGATIVE)])
def test_family_words_with_another_figure_do_not_give_the_role(family, text, market, metric):
    assert _metric_of(text, market) != metric


def test_every_family_has_a_negative_sentence():
    assert {p[0] for p in POSITIVE} - {"per_lot_zh"} <= {n[0] for n in NEGATIVE} | {"per_lot_zh"}


def test_a_version_is_never_money():
    assert _unit_of("该芯片支持PCIe {5.0}接口。", "CN") == "version"
    assert _unit_of("公司去年收入{5.0亿元}。", "CN") == "CNY"


def test_the_groups_other_roles_exist_in_the_lexicon():
    from ipolens.news.roles import lexicon

    names = lexicon().metrics()
    for m in ("growth_yoy", "aggregate_allocation_pct", "first_day_break_rate", "application_amount",
              "shares_outstanding", "ipos_up_day1", "ipos_flat_day1", "ipos_listed", "peer_group_size",
              "standard_version", "clawback_threshold", "shares_abandoned", "underwriter_takeup_pct"):
        assert m in names, m
