"""Lexicon entries added for wordings the reader missed on IPO news it was not written from (issue 13).

One block per family of wording (lexicon/roles.yaml, section 'wordings found missing ...' and the qualifiers it
names). Every sentence is invented for this test; the expected role follows from the sentence's own words. Each
family has sentences in simplified Chinese, traditional Chinese and English where the press uses the wording, and a
negative sentence: the cue word is there, but the figure is something else and must not get the family's role.
"""
import pytest

from news_role_helpers import metric_of as _metric_of


POSITIVE = [
    # guaranteed lot: the application that makes one lot certain
    ("guaranteed_lot", "需申购{30手}才稳中一手。", "HK", "lots_for_guaranteed_lot"),
    ("guaranteed_lot", "要認購24手(即{1.2萬股})才穩奪一手。", "HK", "shares_for_guaranteed_lot"),
    ("guaranteed_lot", "Investors had to apply for {20,000 shares} to be sure of one board lot.", "HK",
     "shares_for_guaranteed_lot"),
    # intraday extremes named by the price itself
    ("intraday_extreme", "该股全日最高成交价为{8.2元}。", "CN", "intraday_high"),
    ("intraday_extreme", "該股全日最低交易價格為{5.1港元}。", "HK", "intraday_low"),
    ("intraday_extreme", "The stock hit a session's high of {$8.20} before noon.", "US", "intraday_high"),
    # a move pushed to a price ('被推高至'), sharpened by 一度 to the intraday high
    ("pushed_to", "股价一度被拉升至{18元}。", "CN", "intraday_high"),
    ("pushed_to", "開市前競價時股價一度被推高至{75元}。", "CN", "intraday_high"),
    # snapshot: the end of the morning session or a clock time; a close named after it cancels it
    ("snapshot_time", "截至早盘结束，该股报{52元}。", "CN", "snapshot_price"),
    ("snapshot_time", "截至上午收市，該股升{12%}。", "HK", "snapshot_return"),
    ("snapshot_time", "The stock was {15%} up at 10:45 a.m. in New York.", "US", "snapshot_return"),
    # the opening price with any form of the verb
    ("opening_at", "The company made its debut with shares opening at {$15.75}.", "US", "open_price"),
    ("opening_at", "该股开盘价报{9.3港元}。", "HK", "open_price"),
    # the offer price set: 價格定為, 以X元定價, a per-share price in an offer sentence, 'pricing ... at'
    ("offer_set", "公司首次公开募股(IPO)价格定为每股{16美元}。", "US", "offer_price"),
    ("offer_set", "該公司IPO發行2000萬股，每股價格為{12港元}。", "HK", "offer_price"),
    ("offer_set", "該股以招股範圍中段{6.2元}定價。", "HK", "offer_price"),
    ("offer_set", "The insurer is pricing its shares at {$14} apiece.", "US", "offer_price"),
    # a move from the offer stated after the figure
    ("move_after", "Its shares opened {11%} above their offer price.", "US", "first_day_open_return"),
    ("move_after", "By the close the shares were {9 per cent} up.", "US", "first_day_return"),
    # proceeds with a copula; net proceeds after the costs
    ("proceeds_copula", "Gross proceeds will be roughly {$22 million}, the filing said.", "US", "proceeds_gross"),
    ("net_after_costs", "扣除发行费用后实得净额{6.3亿元}。", "CN", "proceeds_net"),
    ("net_after_costs", "扣除各項開支後淨得{3億港元}。", "HK", "proceeds_net"),
    # proceeds a plan earmarks for its projects
    ("planned_use", "三个募投项目合计拟投入募集资金{12亿元}。", "CN", "proceeds_planned"),
    ("planned_use", "該募投項目預計投入募集資金{2.1億元}。", "CN", "proceeds_planned"),
    ("planned_use", "The group plans to raise {$300 million} in the offering.", "US", "proceeds_planned"),
    # shares traded named after the figure
    ("traded_after", "More than {2 million shares} changed hands.", "US", "volume"),
    ("traded_after", "全日共有{500萬股}易手。", "HK", "volume"),
    ("traded_after", "全天共有{800万股}易手。", "CN", "volume"),
    # an application size; the largest one named by 最多
    ("application", "有投資者認購{50萬股}獲分派4000股。", "HK", "application_shares"),
    ("application", "有投资者认购{100万股}获配5000股。", "HK", "application_shares"),
    ("application", "認購最多{500萬股}的300份申請中，各獲分配1萬股。", "HK", "max_application_shares"),
    ("application", "Some investors were applying for the maximum {1.25 million shares}.", "HK",
     "max_application_shares"),
    # counts of companies that listed or raised
    ("ipo_count", "上半年共有{26家}公司登陆创业板。", "CN", "ipo_count"),
    ("ipo_count", "首日漲幅超過五成的有{9家}。", "HK", "ipo_count"),
    ("ipo_count", "同期新上市公司共有{320家}。", "CN", "ipo_count"),
    ("ipo_count", "Hong Kong saw {12} new listings in the month.", "HK", "ipo_count"),
    # oversubscription as a multiple of the shares on offer, or 'covered'
    ("oversubscribed_after", "Fund managers bid for {40 times} the shares originally offered.", "HK", "oversubscription"),
    ("oversubscribed_after", "Individual investors sought {1,500 times} the shares first offered.", "HK",
     "oversubscription_public"),
    ("oversubscribed_after", "The institutional tranche was {6 times} covered.", "HK", "oversubscription_intl"),
    # a tranche's share named after the figure
    ("tranche_pct_after", "新股{一成}於香港公開發售。", "HK", "public_tranche_pct"),
    ("tranche_pct_after", "新股{10%}供香港公开发售。", "HK", "public_tranche_pct"),
    ("tranche_pct_after", "Only {8 per cent} of the offering is set aside for retail investors.", "HK",
     "public_tranche_pct"),
    ("tranche_pct_after", "It kept {90%} of the shares reserved for institutional funds.", "HK", "intl_tranche_pct"),
    # a tranche's share before and after a change
    ("tranche_from", "公開發售比例由{10%}增至30%。", "HK", "public_tranche_pct_initial"),
    ("tranche_from", "公開發售比例由10%增至{30%}。", "HK", "public_tranche_pct_final"),
    ("tranche_from", "其中散户的配股比例随即从{15%}升至35%。", "HK", "public_tranche_pct_initial"),
    ("tranche_from", "其中散户的配股比例随即从15%升至{35%}。", "HK", "public_tranche_pct_final"),
    ("tranche_from", "After the clawback the retail tranche grew from {10%} to 40%.", "HK", "public_tranche_pct_initial"),
    ("tranche_from", "After the clawback the retail tranche grew from 10% to {40%}.", "HK", "public_tranche_pct_final"),
    ("tranche_from", "The institutional tranche shrank from {90%} to 70%.", "HK", "intl_tranche_pct_initial"),
    # STAR allotments: the sponsor's co-investment and other strategic investors
    ("star_allotment", "保荐机构子公司跟投获配股数对应金额为{1.2亿元}。", "CN", "sponsor_coinvest_amount"),
    ("star_allotment", "保薦人相關子公司跟投，獲配股數{500萬股}。", "CN", "sponsor_coinvest_shares"),
    ("star_allotment", "其他參與戰略配售的投資者獲配股數{3000萬股}。", "CN", "strategic_placement_shares_other"),
    ("star_allotment", "最終戰略配售數量佔發行總數量{4.5%}。", "CN", "strategic_placement_pct"),
    # the basis of a raise: a plan or target, or market talk
    ("raise_basis", "公司擬於明年上半年上市，集資約{5億美元}。", "HK", "proceeds_planned"),
    ("raise_basis", "该集团目标募资{3亿美元}。", "HK", "proceeds_planned"),
    ("raise_basis", "市傳該集團下月招股，集資約{4億美元}。", "HK", "proceeds_gross_rumoured"),
    ("raise_basis", "市场消息称该公司集资约{4亿美元}。", "HK", "proceeds_gross_rumoured"),
    ("raise_basis", "People familiar with the matter said the deal could raise about {$600 million}.", "HK",
     "proceeds_gross_rumoured"),
    # the total raised by many deals
    ("aggregate_raise", "今年共有25家企业在科创板上市，累计募资{420亿元}。", "CN", "ipo_proceeds"),
    ("aggregate_raise", "本港年內集資金額合共{800億港元}。", "HK", "ipo_proceeds"),
    ("aggregate_raise", "The 12 companies that listed in June raised a combined {$3.1 billion}.", "US", "ipo_proceeds"),
    # tranche shares
    ("tranche_shares", "香港公開發售部分初步提供{500萬股}。", "HK", "public_tranche_shares"),
    ("tranche_shares", "香港公开发售触发回拨，发售股份数目增至{900万股}。", "HK", "public_tranche_shares_final"),
    ("tranche_shares", "The international offering covers {45 million shares}.", "HK", "intl_tranche_shares"),
    # greenshoe: the additional shares of an exercised over-allotment option
    ("greenshoe_extra", "一旦超額配股權全數行使，集團須額外發行{300萬股}。", "HK", "greenshoe_shares"),
    ("greenshoe_extra", "一旦超额配股权全数行使，集团须额外发行{300万股}新股。", "HK", "greenshoe_shares"),
    ("greenshoe_extra", "Should the over-allotment option be used in full, it will issue {1.5 million} additional shares.", "HK",
     "greenshoe_shares"),
    # one-lot applicants named in the figure's own clause
    ("one_lot_applicants", "申請一手的{4萬}名申請人中，有8000人獲配。", "HK", "one_lot_applicants"),
    ("one_lot_applicants", "认购一手的{3万}名申请人中，有5000人获配。", "HK", "one_lot_applicants"),
    # P/E: the basis word nearest before the figure
    ("pe_basis", "行業平均市盈率為30倍，而發行市盈率為{45倍}。", "CN", "pe_issue"),
    ("pe_basis", "发行市盈率为{45倍}，高于行业平均。", "CN", "pe_issue"),
    ("pe_basis", "所属行业平均市盈率为{30倍}。", "CN", "pe_industry"),
    ("pe_basis", "The issue P/E is 45 times, against an industry average P/E of {30 times}.", "US", "pe_industry"),
    # a company's loss or profit is no per-lot figure
    ("company_result", "公司去年亏损{25.7亿元}。", "CN", "net_loss"),
    ("company_result", "集團去年盈利{3.5億元}。", "HK", "net_profit"),
]

NEGATIVE = [
    # the cue word is there, the figure is something else
    ("guaranteed_lot", "認購{30手}的投資者獲分配一手。", "HK", "lots_for_guaranteed_lot"),
    ("intraday_extreme", "最高成交價出現後，全日成交額{3億元}。", "HK", "intraday_high"),
    ("pushed_to", "公司市值被推高至{500億元}。", "CN", "close_price"),
    ("snapshot_time", "截至早盤結束升5%，全日收市報{10元}。", "HK", "snapshot_price"),
    ("snapshot_time", "Shares were up 8% at 11:30 a.m. before falling back to close at {$13.16}.", "US",
     "snapshot_price"),
    ("opening_at", "After opening at $20, the shares closed at {$22}.", "US", "open_price"),
    ("offer_set", "公司將於本月定價，集資{5億港元}。", "HK", "offer_price"),
    ("move_after", "The deal could raise up to {$50 million}.", "US", "first_day_return"),
    ("proceeds_copula", "Net proceeds are expected to be about {$20 million}.", "US", "proceeds_gross"),
    ("net_after_costs", "公司扣除發行費用{9100萬元}後上市。", "HK", "proceeds_net"),
    ("planned_use", "公司实际募集资金{6亿元}。", "CN", "proceeds_planned"),
    ("traded_after", "The stock changed hands at {$12} in early trade.", "US", "volume"),
    ("application", "頂頭槌飛各獲分派{4000股}。", "HK", "application_shares"),
    ("ipo_count", "公司旗下{30家}門店計劃擴充。", "HK", "ipo_count"),
    ("oversubscribed_after", "The company is valued at {30 times} sales.", "US", "oversubscription"),
    ("tranche_pct_after", "About {8%} of the offering will be used to repay debt.", "US", "public_tranche_pct"),
    ("tranche_from", "公開發售比例由10%增至{30%}。", "HK", "public_tranche_pct_initial"),
    ("star_allotment", "頂頭槌飛各獲配{1.8萬股}。", "HK", "sponsor_coinvest_shares"),
    ("raise_basis", "公司原擬集資10億元，最終集資{8億元}。", "HK", "proceeds_planned"),
    ("aggregate_raise", "本港首兩隻新股之一的茶飲集團昨起招股，集資{34億元}。", "HK", "ipo_proceeds"),
    ("aggregate_raise", "年内共有18家公司上市，单家公司平均募集资金{21亿元}。", "CN", "ipo_proceeds"),
    ("tranche_shares", "香港公開發售獲超額認購300倍，公司全球發售共{2億股}。", "HK", "public_tranche_shares"),
    ("greenshoe_extra", "若超額配股權獲悉數行使，公司合共發行{1.2億股}。", "HK", "greenshoe_shares"),
    ("one_lot_applicants", "共有{5萬}名申請人，一手中籤率10%。", "HK", "one_lot_applicants"),
    ("pe_basis", "作為行業龍頭，其市盈率約{16倍}。", "HK", "pe_industry"),
    ("company_result", "以收市價計，每手帳面虧損{60元}。", "HK", "net_loss"),
]


@pytest.mark.parametrize("family,text,market,metric", POSITIVE, ids=[f"{p[0]}:{p[3]}:{i}" for i, p in
                                                                      enumerate(POSITIVE)])
def test_family_gives_its_role(family, text, market, metric):
    assert _metric_of(text, market) == metric


@pytest.mark.parametrize("family,text,market,metric", NEGATIVE, ids=[f"{p[0]}:not-{p[3]}:{i}" for i, p in
                                                                      enumerate(NEGATIVE)])
def test_cue_word_with_another_figure_does_not_get_the_role(family, text, market, metric):
    got = _metric_of(text, market)
    assert got is not None, "the figure must still be read"
    assert got != metric


def test_every_family_has_a_negative_sentence():
    assert {p[0] for p in POSITIVE} - {"move_after", "opening_at"} <= {n[0] for n in NEGATIVE} | {"company_result"}


def test_per_share_price_wording_is_not_a_share_price_cue():
    # 每股價格 holds 股價: it is the offer's per-share price in an offer sentence, not the stock's close
    assert _metric_of("該公司IPO發行2000萬股，每股價格為{12港元}。") == "offer_price"
    assert _metric_of("該股今日股價報{12港元}。") != "offer_price"
