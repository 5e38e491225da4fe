"""AKShare endpoints ipolens reads: the vendor function, its documented output page, the host it calls."""
from __future__ import annotations

PROVIDER = "akshare"
LIBRARY = "akshare"
# AKShare's stock documentation (one long page, anchored per interface); each function's docstring names its
# upstream page, cited per fetcher below.
DOCS = "https://akshare.akfamily.xyz/data/stock/stock.html"

HK_PROFILE = "stock_hk_security_profile_em"
HK_PROFILE_DOC = ("https://emweb.securities.eastmoney.com/PC_HKF10/pages/home/index.html"
                  "?code=03900&type=web&color=w#/CompanyProfile")
HK_HIST = "stock_hk_hist"
A_HIST = "stock_zh_a_hist"
HIST_DOC = DOCS + "#历史行情数据-东财"
HK_NEW_ISSUES = "stock_ipo_hk_ths"
HK_NEW_ISSUES_DOC = "https://data.10jqka.com.cn/ipo/xgsgyzq/"  # 同花顺-数据中心-新股申购与中签-港股
NEW_ISSUES = "stock_xgsglb_em"
NEW_ISSUES_DOC = "https://data.eastmoney.com/xg/xg/default_2.html"
LOCKUPS = "stock_restricted_release_detail_em"
LOCKUPS_DOC = "https://data.eastmoney.com/dxf/detail.html"

# Probed before the first live call so that an offline machine fails in milliseconds, not after time-outs.
HOST = "push2his.eastmoney.com"
# Eastmoney's public endpoints are free; keep well under one request per second.
MIN_INTERVAL_S = 1.0

# stock_xgsglb_em's board argument for our market names
BOARDS = {"STAR": "科创板", "SH": "沪市主板", "SZ": "深市主板", "CHINEXT": "创业板", "ALL": "全部股票"}
