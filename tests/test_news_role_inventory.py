"""Roles for quantities an IPO story states that the reader had no role for (issue 13, the role inventory): a
period's profit in prospectus wording, short forms of the tranche figures, a week's pipeline counts, a company's rank,
customers and shipments, Taiwan auction notices, what a US issuer sold at, listing fees, the deal's banks counted and
the day of Stock Connect inclusion.

Every sentence is invented for this test; the expected role follows from the sentence's own words, worked out by hand.
Each family has a negative sentence: the family's words are near, but the figure is something else and must not get
the family's role.
"""
from news_role_helpers import role_case_tests

POSITIVE = [
    # the profit of a period ('期內溢利', '年內利潤', 'profit for the year')
    ("period_profit", "该集团年内溢利为{4.6亿元}，按年增长12%。", "HK", "net_profit"),
    ("period_profit", "該公司去年年內利潤達{8,000萬元}。", "HK", "net_profit"),
    ("period_profit", "The retailer's profit for the year was {$120 million}.", "US", "net_profit"),
    # short forms of the tranche figures
    ("tranche_short", "国配部分获{3.5倍}认购。", "HK", "oversubscription_intl"),
    ("tranche_short", "該新股公開比例為{20%}，其餘配售予機構。", "HK", "public_tranche_pct"),
    ("tranche_short", "回拨后公开发售占比升至{40%}。", "HK", "public_tranche_pct_final"),
    # a week's pipeline: filings, launches, hearings
    ("pipeline", "上周港股有{6家}公司递交上市申请。", "HK", "listing_applications_filed"),
    ("pipeline", "本周共有{4只}新股招股。", "HK", "ipos_launched"),
    ("pipeline", "{Three} companies launched their IPOs on Monday.", "HK", "ipos_launched"),
    ("pipeline", "上周{3家}企业通过上市聆讯。", "HK", "listing_hearings_passed"),
    # a company's rank in its market
    ("rank", "该公司位居全国第{二}。", "CN", "market_rank"),
    ("rank", "公司是國內第{二}大乳製品生產商。", "HK", "market_rank"),
    ("rank", "The lender is now the country's {#3} bank by assets.", "US", "market_rank"),
    # customers and shipments
    ("customers", "公司有{500名}海外客户。", "CN", "customers"),
    ("customers", "The platform has more than {12,000} paying customers.", "US", "customers"),
    ("shipments", "公司去年出货{80万台}手机。", "CN", "shipments"),
    ("shipments", "The maker shipped {1.2 million} units in 2024.", "US", "shipments"),
    # Taiwan auction notices
    ("taiwan", "本案公開申購張數{800張}，中籤率1.5%。", "HK", "public_subscription_lots"),
    ("taiwan", "該股辦理競價拍賣股{1,200仟股}。", "HK", "auction_shares"),
    ("taiwan", "得標均價為{88.5元}，高於承銷價。", "HK", "auction_weighted_avg_price"),
    ("taiwan", "該股的抽籤日期訂於{4月2日}。", "HK", "lottery_date"),
    ("taiwan", "申購截止日為{4月1日}。", "HK", "subscription_end"),
    ("taiwan", "該股上市前在興櫃收{200元}，承銷價150元。", "HK", "emerging_board_close"),
    # what a US issuer sold at, and what listing cost it
    ("sold_at", "Shares now trade above the {$21} at which the firm sold its stock.", "US", "offer_price"),
    ("fees", "IPO fees came to {$9 million}, the filing shows.", "US", "issue_costs"),
    ("fees", "是次上市費用約{6,500萬元}。", "HK", "issue_costs"),
    # the deal's banks counted
    ("banks", "The deal has {3} joint sponsors.", "HK", "sponsor_count"),
    ("banks", "是次招股共有{12家}包銷商。", "HK", "underwriter_count"),
    # the day of Stock Connect inclusion
    ("connect", "新股有望於{3月10日}被納入港股通。", "HK", "stock_connect_inclusion_date"),
    # a holder's rank, money left on the table, a directed share programme, forward P/E, a US greenshoe
    ("holder_rank", "私募基金目前是該公司第{三}大股東。", "HK", "holder_rank"),
    ("holder_rank", "该基金是公司第{二}大股东。", "CN", "holder_rank"),
    ("table", "Underpricing left roughly {$2 billion} on the table for the sellers.", "US", "money_left_on_table"),
    ("dsp", "The company reserved {800,000} shares for its drivers and hosts.", "US", "directed_share_program"),
    ("pe_forward", "按預期盈利計，預測市盈率約{15倍}。", "HK", "pe_forward"),
    ("pe_forward", "At the top of the range the stock costs {22 times} expected earnings.", "US", "pe_forward"),
    ("greenshoe_us", "Banks hold an option to sell {15%} more shares if demand is strong.", "US", "greenshoe_pct"),
    # a market value at a snapshot, IPOs below the offer price, a share of IPOs by what they did
    ("snapshot_cap", "截至發稿，該股報20元，市值約{320億元}。", "HK", "market_cap_intraday"),
    ("snapshot_cap", "At midday the company had a market value of {$12 billion}.", "US", "market_cap_intraday"),
    ("below_issue", "This year {five} listings opened below their I.P.O. price.", "US", "ipos_below_issue"),
    ("share_of_ipos", "今年{九成}的新股獲得超額認購。", "HK", "share_of_ipos_oversubscribed"),
    ("share_of_ipos", "目前有{四成}的新股跌穿招股價。", "HK", "share_of_ipos_below_issue"),
    # ranks by turnover and deal size, an upsize, par value, side placements and orders, sellers' take, TW floor
    ("turnover_rank", "該股昨日成交額排名第{2}，僅次於騰訊。", "HK", "turnover_rank"),
    ("deal_size_rank", "该股成为年内第{三}大新股。", "CN", "deal_size_rank"),
    ("upsize", "The offering was upsized by {30%} on heavy demand.", "US", "upsize_pct"),
    ("upsize", "公司上調發行規模約{15%}。", "HK", "upsize_pct"),
    ("par_value", "The shares carry a par value of {$0.00001} each.", "US", "par_value"),
    ("side_placement", "Its parent also put in {$60 million} in a concurrent private placement.", "US",
     "concurrent_private_placement"),
    ("anchor", "Two funds indicated an interest in purchasing up to {$80 million} of shares.", "US", "anchor_order"),
    ("sellers", "Selling shareholders will receive about {$300 million} from the offering.", "US", "sale_proceeds"),
    ("auction_floor", "該股競拍底價為{55元}。", "HK", "auction_floor_price"),
    ("a_discount", "H股定價較A股收盤價折讓{18%}。", "HK", "discount_to_a_share_close"),
    # R&D against revenue in English, a lock-up with its verb, an index inclusion day
    ("rd_ratio", "R&D spending accounted for {25%} of revenue.", "US", "rd_to_revenue"),
    ("lockup", "Insiders are barred from selling for {180 days}.", "US", "lockup_days"),
    ("index_day", "The lender will be added to the Hang Seng Index on {September 8, 2025}.", "HK",
     "index_inclusion_date"),
    ("index_day", "該股有望於{2025年9月8日}晉身恒指。", "HK", "index_inclusion_date"),
]

NEGATIVE = [
    # a gross profit is not the period's profit
    ("period_profit", "該公司毛利{3億元}，期內溢利1億元。", "HK", "net_profit"),
    # a tranche's multiple is not its share, and a hearing count is not a filing count
    ("tranche_short", "公開部分獲{500倍}超購。", "HK", "public_tranche_pct"),
    ("pipeline", "上周{3家}企业通过上市聆讯。", "HK", "listing_applications_filed"),
    # a price of the offer is not a count of offers launched
    ("pipeline", "該股招股價為{5.2元}。", "HK", "ipos_launched"),
    # 'top five customers' is a group, not the customer count; a share of customers is no count
    ("customers", "公司前{五}大客戶佔收入的40%。", "HK", "customers"),
    ("customers", "Its {20} largest customers made up half of revenue.", "US", "customers"),
    # the growth of shipments is not the shipments; revenue next to them stays revenue
    ("shipments", "出货量同比增长{25%}。", "CN", "shipments"),
    ("shipments", "该公司去年营收{20亿元}，出货量达300万台。", "CN", "shipments"),
    # the day the lottery result is published is not the lottery day
    ("taiwan", "該股{3月12日}公布抽籤結果。", "HK", "lottery_date"),
    # the average on the emerging board is not its close
    ("taiwan", "興櫃均價{300元}。", "HK", "emerging_board_close"),
    # underwriting fees are fees, but not the whole issue cost
    ("fees", "Underwriting fees were {$30 million}.", "US", "issue_costs"),
    # one of five sponsors names the group's size, not the deal's sponsor count
    ("banks", "該股{5家}保薦人之一為中金。", "HK", "sponsor_count"),
    # a listing day before the inclusion is the listing day
    ("connect", "該股預計{6月9日}上市，其後納入港股通。", "HK", "stock_connect_inclusion_date"),
    # a top-N group of shareholders is no rank; a sum left over is not money left on the table
    ("holder_rank", "前{十}大股東合共持股六成。", "HK", "holder_rank"),
    ("table", "The company left {$300 million} in cash after the deal.", "US", "money_left_on_table"),
    # money reserved is no share programme; more shares held without an option is no greenshoe
    ("dsp", "The firm reserved {$2 billion} for buybacks.", "US", "directed_share_program"),
    ("greenshoe_us", "The fund holds {5%} more shares than last year.", "US", "greenshoe_pct"),
    # a multiple at the offer price is the issue P/E, not a forward one
    ("pe_forward", "按招股價計算，市盈率為{20倍}。", "HK", "pe_forward"),
    # a market value at the close is no intraday one; a share above a multiple is not every oversubscribed IPO
    ("snapshot_cap", "该股收报36元，总市值{520亿港元}。", "CN", "market_cap_intraday"),
    ("share_of_ipos", "其中{80%}的新股超額認購倍數超過20倍。", "HK", "share_of_ipos_oversubscribed"),
    # a turnover amount is no rank; a maker's rank is no deal rank; a placing discount to the last close keeps its name
    ("turnover_rank", "該股全日成交額達{12億元}。", "HK", "turnover_rank"),
    ("deal_size_rank", "公司是全球第{二}大IPO承銷商公司。", "HK", "deal_size_rank"),
    ("a_discount", "配售價較昨日收市價折讓{7.8%}。", "HK", "discount_to_a_share_close"),
    # the proceeds of the company are not the sellers' take
    ("sellers", "The company will receive about {$500 million} from the offering.", "US", "sale_proceeds"),
    # a lock-up's end day is no length; a move after an index inclusion is no inclusion day
    ("lockup", "The shares were locked up until {June 9, 2025}.", "US", "lockup_days"),
    ("index_day", "該股預計於{2025年6月9日}納入港股通。", "HK", "index_inclusion_date"),
]

test_family_gives_its_role, test_family_does_not_give_the_wrong_role = role_case_tests(POSITIVE, NEGATIVE)
