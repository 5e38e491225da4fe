"""Alias tables: our field -> AKShare column names (Chinese headers as AKShare returns them), best first.

English spellings are listed too, so a user's CSV exported from the same data with translated headers still maps.
"""
from __future__ import annotations

# stock_hk_hist / stock_zh_a_hist (Eastmoney daily k-lines)
BARS = {
    "date": ("日期", "date", "trade_date"),
    "code": ("股票代码", "code", "symbol"),
    "open": ("开盘", "open"),
    "high": ("最高", "high"),
    "low": ("最低", "low"),
    "close": ("收盘", "close"),
    "volume": ("成交量", "volume"),
    "turnover": ("成交额", "amount", "turnover"),
    "turnover_rate": ("换手率", "turnover_rate"),
}
BARS_REQUIRED = ("date", "open", "high", "low", "close")

# stock_hk_security_profile_em (Eastmoney HK F10 security profile)
HK_PROFILE = {
    "code": ("证券代码", "SECUCODE"),
    "name": ("证券简称", "SECURITY_NAME_ABBR"),
    "listing_date": ("上市日期", "LISTING_DATE"),
    "security_type": ("证券类型", "SECURITY_TYPE"),
    "offer_price": ("发行价", "ISSUE_PRICE"),
    "shares_offered": ("发行量(股)", "发行量（股）", "ISSUE_NUM"),
    "lot_size": ("每手股数", "TRADE_UNIT"),
    "exchange": ("交易所", "TRADE_MARKET"),
    "board": ("板块", "BOARD"),
    "isin": ("ISIN（国际证券识别编码）", "ISIN(国际证券识别编码)", "ISIN_CODE"),
}
HK_PROFILE_REQUIRED = ("code", "listing_date", "offer_price", "lot_size")

# stock_xgsglb_em (Eastmoney new-issue subscription and lottery table, SH/SZ boards): read by the new-issue list
# (fetchers.NewIssueFetcher) and the subscription calendar (pipeline.NewShareCalendarFetcher)
NEW_ISSUES = {
    "code": ("股票代码", "代码"),
    "name": ("股票简称", "简称"),
    "subscription_code": ("申购代码",),
    "exchange": ("交易所",),
    "board": ("板块",),
    "shares_offered": ("发行总数",),
    "min_market_value": ("顶格申购需配市值",),
    "limit_shares": ("申购上限", "网上-申购上限"),
    "offer_price": ("发行价格",),
    "first_day_close": ("首日收盘价",),
    "subscription_date": ("申购日期", "申购日"),
    "results_date": ("中签号公布日",),
    "payment_date": ("中签缴款日期",),
    "listing_date": ("上市日期", "上市首日-上市日"),
    "lottery_rate": ("中签率",),
    "issue_pe": ("发行市盈率",),
    "industry_pe": ("行业市盈率",),
    "bid_multiple": ("询价累计报价倍数",),
}
NEW_ISSUES_REQUIRED = ("code", "offer_price", "listing_date", "lottery_rate")

# stock_ipo_hk_ths (同花顺 港股新股申购与中签): headers as scraped from the page; share counts in 万股, 中签率 in %
HK_NEW_ISSUES = {
    "code": ("股票代码", "代码"),
    "name": ("股票简称", "简称"),
    "shares_offered": ("发行总数（万股）", "发行总数(万股)", "发行总数"),
    "offer_price": ("发行价格", "发行价"),
    "subscription_date": ("申购日期", "招股日期"),
    "listing_date": ("上市日期",),
    "lottery_rate": ("中签率（%）", "中签率(%)", "中签率", "一手中签率"),
}
HK_NEW_ISSUES_REQUIRED = ("code", "listing_date")

# stock_restricted_release_detail_em (Eastmoney lock-up expiry detail)
LOCKUPS = {
    "code": ("股票代码",),
    "name": ("股票简称",),
    "release_date": ("解禁时间",),
    "share_type": ("限售股类型",),
    "shares": ("解禁数量",),
    "actual_shares": ("实际解禁数量",),
    "market_value": ("实际解禁市值",),
    "float_pct": ("占解禁前流通市值比例",),
}
LOCKUPS_REQUIRED = ("code", "release_date", "shares")
