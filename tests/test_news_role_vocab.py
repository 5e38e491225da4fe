"""Roles for the published label names the reader could not produce (issue 13, item 1; news-dev README "Metric
names"): general quantities of the IPO field - Taiwan auctions and lottery, HK allocation mechanisms, pools and
extra allotments, grey-market venues, market statistics by oversubscription, averages since listing, deal-size
thresholds, the maximum offer price, deliveries, shipment ranks, an early investor's cost.

Every sentence is invented for this test; the expected role follows from the sentence's own words. Each role has
sentences in simplified Chinese, traditional Chinese and English where the press writes it, and a near miss: the
role's words are near, but the figure is something else.
"""
from news_role_helpers import role_case_tests

POSITIVE = [
    # Taiwan auctions: lots (張) sold, qualified and winning bids, the split of the offer, the lottery price cap
    ("auction_lots", "本案竞价拍卖股数总计{3,200张}。", "HK", "auction_lots"),
    ("auction_lots", "本案競價拍賣股數總計{3,200張}。", "HK", "auction_lots"),
    ("auction_bids", "本次参与投标的合格标单共{1,250笔}。", "HK", "auction_bids"),
    ("auction_bids", "本次參與投標的合格標單共{1,250筆}。", "HK", "auction_bids"),
    ("auction_bids", "該股競價拍賣合格件數{1,500筆}。", "HK", "auction_bids"),
    ("auction_winning_bids", "合格标单共3,000笔，得标笔数{1,100笔}。", "HK", "auction_winning_bids"),
    ("auction_winning_bids", "合格標單共3,000筆，得標筆數{1,100筆}。", "HK", "auction_winning_bids"),
    ("auction_share", "承销股数采{80%}竞价拍卖及20%公开申购。", "HK", "auction_share"),
    ("auction_share", "承銷股數採{80%}競價拍賣及20%公開申購。", "HK", "auction_share"),
    ("public_subscription_share", "承销股数采80%竞价拍卖及{20%}公开申购。", "HK", "public_subscription_share"),
    ("public_subscription_share", "承銷股數採80%競價拍賣及{20%}公開申購。", "HK", "public_subscription_share"),
    ("public_subscription_share", "该案{20%}的股份以公开申购方式发售。", "HK", "public_subscription_share"),
    ("public_price_cap_multiple", "公开申购价以最低承销价格{1.2倍}为上限。", "HK", "public_price_cap_multiple"),
    ("public_price_cap_multiple", "公開申購價以最低承銷價格{1.2倍}為上限。", "HK", "public_price_cap_multiple"),
    ("lottery_success_rate", "该股释出1,000申购张数，当前中签率仅{1.5％}。", "HK", "lottery_success_rate"),
    ("lottery_success_rate", "該股釋出1,000申購張數，當前中籤率僅{1.5％}。", "HK", "lottery_success_rate"),
    # HK allocation mechanisms
    ("mechanism", "选择机制B的新股共有{63家}。", "HK", "ipos_mechanism_b"),
    ("mechanism", "選擇機制B的新股共有{63家}。", "HK", "ipos_mechanism_b"),
    ("mechanism", "其中{2家}选择机制A。", "HK", "ipos_mechanism_a"),
    ("mechanism", "其中{2家}選擇機制A。", "HK", "ipos_mechanism_a"),
    ("mechanism", "{Four} IPOs opted for Mechanism B.", "HK", "ipos_mechanism_b"),
    ("mechanism", "So far {three} listings have chosen Mechanism A.", "HK", "ipos_mechanism_a"),
    ("mechanism", "首日升幅最高的新股中，{7隻}採用無回撥的「機制B」。", "HK", "ipos_mechanism_b"),
    ("mechanism", "新規實施後，{40家}無回撥的機制B公司表現參差。", "HK", "ipos_mechanism_b"),
    ("mechanism", "另有{2隻}採機制A新股破底。", "HK", "ipos_mechanism_a"),
    # HK pools: the pool-B size and an expected pool-B success rate
    ("pool_b", "抽乙组(认购额多于{500万元})的中签率较低。", "HK", "pool_b_threshold"),
    ("pool_b", "抽乙組(認購額多於{500萬元})的中籤率較低。", "HK", "pool_b_threshold"),
    ("pool_b", "Pool B (applications above {HK$5 million}) was 300 times covered.", "HK", "pool_b_threshold"),
    ("pool_b", "分析预计乙组平均中签率约{1%}。", "HK", "pool_b_success_rate_forecast"),
    ("pool_b", "分析預計乙組平均中籤率約{1%}。", "HK", "pool_b_success_rate_forecast"),
    # HK allotment results: extra shares by ballot to the top tier, and how many won them
    ("extra_allotment", "顶头槌各获3万股，其中8人获额外{500股}。", "HK", "extra_allotment"),
    ("extra_allotment", "頂頭槌各獲3萬股，其中8人獲額外{500股}。", "HK", "extra_allotment"),
    ("extra_allotment", "顶头槌各获3万股，其中{8人}获额外500股。", "HK", "top_tier_extra_lot_winners"),
    ("extra_allotment", "頂頭槌各獲3萬股，其中{8人}獲額外500股。", "HK", "top_tier_extra_lot_winners"),
    ("extra_allotment", "一手中签率为3%，部分申请人可获额外{500股}。", "HK", "extra_allotment"),
    # grey-market venues
    ("grey_market_venues", "新股已于{三大}暗盘交易场上市。", "HK", "grey_market_venues"),
    ("grey_market_venues", "新股已於{三大}暗盤交易場上市。", "HK", "grey_market_venues"),
    ("grey_market_venues", "The stock traded on {3} major grey-market platforms.", "HK", "grey_market_venues"),
    ("grey_market_venues", "{三大}散戶交易場中，該股暗盤跌5%。", "HK", "grey_market_venues"),
    # a deal size that defines a group
    ("deal_size_threshold", "今年集资{10亿元}以上的新股共有12只。", "HK", "deal_size_threshold"),
    ("deal_size_threshold", "今年集資{10億元}以上的新股共有12隻。", "HK", "deal_size_threshold"),
    ("deal_size_threshold", "Of the IPOs that raised {$100 million} or more this year, half fell.", "US",
     "deal_size_threshold"),
    ("deal_size_threshold", "Five deals raised at least {HK$4 billion} each.", "HK", "deal_size_threshold"),
    # an early investor's cost
    ("investment_cost", "完成B轮融资，两家基金分别投资{1亿美元}和2亿美元。", "CN", "investment_cost"),
    ("investment_cost", "完成B輪融資，兩家基金分別投資{1億美元}和2億美元。", "HK", "investment_cost"),
    # a spend on a plant or project named right after the money
    ("project_investment", "公司计划投资{10亿元}兴建新工厂。", "CN", "project_investment"),
    ("project_investment", "集團將投資{20億元}建設生產基地。", "HK", "project_investment"),
    # the maximum offer price
    ("offer_price_max", "按发售价上限每股{20.5港元}计算。", "HK", "offer_price_max"),
    ("offer_price_max", "按發售價上限每股{20.5港元}計算。", "HK", "offer_price_max"),
    ("offer_price_max", "发售价将不高于每股{20.5港元}。", "HK", "offer_price_max"),
    ("offer_price_max", "Based on the maximum offer price of {HK$20.50}, the deal raises HK$1 billion.", "HK",
     "offer_price_max"),
    # the year's first IPOs: a place in the year's order
    ("ipo_sequence", "本港今年首{两只}新股均为茶饮店。", "HK", "ipo_sequence_rank_of_year"),
    ("ipo_sequence", "本港今年首{兩隻}新股均為茶飲店。", "HK", "ipo_sequence_rank_of_year"),
    # market statistics: below offer now, over 1,000 times, over 20 times, average since listing
    ("ipos_below_offer", "Of the dozen, {5} currently trade under their IPO price.", "US", "ipos_below_offer"),
    ("over_1000x", "今年共有{18只}新股超购逾千倍。", "HK", "ipos_over_1000x"),
    ("over_1000x", "今年共有{18隻}新股超購逾千倍。", "HK", "ipos_over_1000x"),
    ("over_1000x", "超购逾千倍的新股有9只，占比约{14%}。", "HK", "share_of_ipos_over_1000x"),
    ("over_1000x", "超購逾千倍的新股有9隻，佔比約{14%}。", "HK", "share_of_ipos_over_1000x"),
    ("over_20x", "今年{86%}的新股超额认购倍数超过20倍。", "HK", "share_of_ipos_over_20x"),
    ("over_20x", "今年{86%}的新股超額認購倍數超過20倍。", "HK", "share_of_ipos_over_20x"),
    ("average_return", "已上市新股最新收盘价较发行价平均溢价{35%}。", "CN", "average_return"),
    ("average_return", "已上市新股最新收市價較發行價平均溢價{35%}。", "HK", "average_return"),
    ("average_return", "The newcomers have lost an average of {9%} since their debuts.", "HK",
     "average_return"),
    ("average_return", "The 21 listings have gained on average {4.5%} from their offer prices.", "HK", "average_return"),
    # company figures: a world rank by shipments, deliveries on the year
    ("global_shipment_rank", "公司电池出货量连续五年位居全球第{一}。", "CN", "global_shipment_rank"),
    ("global_shipment_rank", "公司電池出貨量連續五年位居全球第{一}。", "HK", "global_shipment_rank"),
    ("deliveries_growth_yoy", "该车企去年交付量同比增长{45%}。", "CN", "deliveries_growth_yoy"),
    ("deliveries_growth_yoy", "該車企去年交付量按年增長{45%}。", "HK", "deliveries_growth_yoy"),
    ("deliveries_growth_yoy", "The carmaker's deliveries rose {35%} from a year earlier.", "US", "deliveries_growth_yoy"),
    # the window of a record: a superlative over the span, a record level over it
    ("lookback", "It was the slowest month for Hong Kong floats in {five years}.", "HK", "lookback_years"),
    ("lookback", "The offering was the largest tech IPO in nearly {three years}.", "US", "lookback_years"),
    ("lookback", "Deal volume hit its lowest level in {18 months}.", "US", "lookback_years"),
    ("lookback", "这只新股股价跌至{四年}新低。", "HK", "lookback_years"),
    ("lookback", "這隻新股股價跌至{四年}新低。", "HK", "lookback_years"),
    ("lookback", "恒指升至{两年}最高。", "HK", "lookback_years"),
    # a lock-up's length in months or years as well as days
    ("lockup", "Cornerstone investors accepted a {six-month} lock-up.", "HK", "lockup_days"),
    ("lockup", "The lock-up period for insiders lasts {12 months}.", "US", "lockup_days"),
    ("lockup", "基石投资者禁售期为{6个月}。", "HK", "lockup_days"),
    ("lockup", "基石投資者禁售期為{6個月}。", "HK", "lockup_days"),
    # the split of an offer with a bare 占, as the international tranche's is read
    ("tranche_split", "是次发售中，香港公开发售占{8%}，国际配售占92%。", "HK", "public_tranche_pct"),
    ("tranche_split", "是次發售中，香港公開發售佔{8%}，國際配售佔92%。", "HK", "public_tranche_pct"),
    # shares set aside for a directed share programme, named after the figure
    ("dsp", "Roughly {900,000} shares were earmarked for a directed share program.", "US", "directed_share_program"),
    # the midday close (午收, 早市收報) is a snapshot, not the day's close
    ("midday", "该股午收报{5.6元}，较招股价高12%。", "HK", "snapshot_price"),
    ("midday", "該股早市收報{5.6元}，全日收報5.2元。", "HK", "snapshot_price"),
]

NEGATIVE = [
    ("auction_lots", "公開申購張數為{1,500張}。", "HK", "auction_lots"),
    ("auction_bids", "本次公開申購合格件數{18萬筆}。", "HK", "auction_bids"),
    ("auction_winning_bids", "合格標單共{3,000筆}，得標筆數1,100筆。", "HK", "auction_winning_bids"),
    ("auction_share", "競拍最低得標價較底價高{20%}。", "HK", "auction_share"),
    ("public_subscription_share", "當前中籤率為{2%}，公開申購期間為三天。", "HK", "public_subscription_share"),
    ("public_subscription_share", "中签率{2%}的公开申购结果已公布。", "HK", "public_subscription_share"),
    ("public_price_cap_multiple", "本次公開申購超額認購{1.2倍}。", "HK", "public_price_cap_multiple"),
    ("lottery_success_rate", "該股一手中籤率為{1.5%}。", "HK", "lottery_success_rate"),
    ("mechanism", "其中{8家}選擇18C，惟機制B的新股中籤率極低。", "HK", "ipos_mechanism_b"),
    # a count beside the mechanism's name that chose nothing (no choosing verb before the name)
    ("mechanism", "其中{3家}券商的研究員認為機制A更合理。", "HK", "ipos_mechanism_a"),
    ("mechanism", "{Three} issuers' bankers said Mechanism A was fairer.", "HK", "ipos_mechanism_a"),
    ("pool_b", "基石投資者認購額多於{5億元}。", "HK", "pool_b_threshold"),
    ("pool_b", "乙組（申請500萬元或以上）中籤率為{2%}。", "HK", "pool_b_success_rate_forecast"),
    ("pool_b", "分析料甲組中籤率約{30%}，乙組則低於1%。", "HK", "pool_b_success_rate_forecast"),
    ("pool_b", "Analysts expect pool A's success rate at about {30%}, pool B's below 1%.", "HK",
     "pool_b_success_rate_forecast"),
    ("pool_b", "Pool B is thin, but pool A is expected to see a success rate of {20%}.", "HK",
     "pool_b_success_rate_forecast"),
    ("extra_allotment", "公司額外發行{1000萬股}。", "HK", "extra_allotment"),
    ("extra_allotment", "頂頭槌各獲3萬股，其中{8人}獲配1000股。", "HK", "top_tier_extra_lot_winners"),
    ("extra_allotment", "员工获额外{500股}奖励股份。", "HK", "extra_allotment"),  # a share award, not a ballot's
    ("extra_allotment", "員工獲{500股}獎勵股份。", "HK", "top_tier_allotment"),
    ("grey_market_venues", "該股獲{三大}券商推介。", "HK", "grey_market_venues"),
    ("grey_market_venues", "該券商有{2個}散戶交易平台。", "HK", "grey_market_venues"),  # a broker's retail platforms
    ("deal_size_threshold", "The IPO raised {$500 million}, more than expected.", "US", "deal_size_threshold"),
    ("deal_size_threshold", "集資{10億元}，為年內第二大新股。", "HK", "deal_size_threshold"),
    ("investment_cost", "公司计划投资{10亿元}建设新工厂。", "CN", "investment_cost"),
    ("investment_cost", "创始人和两家基金累计投资{5亿元}建厂。", "CN", "investment_cost"),
    ("offer_price_max", "最終發售價定為{20.5港元}。", "HK", "offer_price_max"),
    ("offer_price_max", "The company priced at the top of its range at {$18}.", "US", "offer_price_max"),
    ("ipo_sequence", "今年共有{兩隻}新股上市。", "HK", "ipo_sequence_rank_of_year"),
    ("ipos_below_offer", "Of the ten, {4} closed below their offer price on day one.", "US", "ipos_below_offer"),
    ("ipos_below_offer", "Of the 30 deals, {6} are trading below the IPO range midpoint.", "US", "ipos_below_offer"),
    ("over_1000x", "其中{46只}超百倍，18只超1000倍。", "HK", "ipos_over_1000x"),
    ("over_20x", "今年{86%}的新股獲超額認購。", "HK", "share_of_ipos_over_20x"),
    ("average_return", "The four fell {0.2%} on average on their debut.", "US", "average_return"),
    ("global_shipment_rank", "公司連續五年位居全球第{一}。", "HK", "global_shipment_rank"),
    ("deliveries_growth_yoy", "公司收入同比增长{30%}。", "CN", "deliveries_growth_yoy"),
    # a span that frames a plan or a period is no record window
    ("lookback", "The company plans to list in {two years}.", "US", "lookback_years"),
    ("lookback", "Revenue grew 40% in {two years} to $80 million.", "US", "lookback_years"),
    ("lookback", "公司计划在{三年}内完成上市。", "HK", "lookback_years"),
    ("lockup", "The lock-up ended, and the stock has fallen 20% in {six months}.", "US", "lockup_days"),
    ("dsp", "Roughly {900,000} shares were earmarked for the banks' option.", "US", "directed_share_program"),
    ("midday", "該股早市收報5.6元，全日收報{5.2元}。", "HK", "snapshot_price"),
]

test_vocab_role, test_vocab_near_miss = role_case_tests(POSITIVE, NEGATIVE)
