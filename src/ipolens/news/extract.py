"""Claims: each number of an article linked to an entity, a metric, a period or date, its span and its sentence."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Callable

from .dates import DateSpan, scan_dates
from .numbers import Quantity, scan_numbers
from .spans import Lines, MentionIndex, starts_between
from .text import Article, Normalised, normalise

__all__ = ["Claim", "extract_claims", "outlet_market", "OUTLETS", "METRIC_RULES", "FUNDAMENTALS"]


@dataclass
class Claim:
    id: str
    article: str
    entity: str | None
    entity_key: str | None
    code: str | None
    metric: str
    value: float | None
    unit: str | None
    qualifier: str
    start: int  # offsets in the file's text as read
    end: int
    quote: str
    sentence: str
    value_high: float | None = None
    text: str | None = None
    date: str | None = None  # ISO date the claim is about (as_of or event date)
    period: str | None = None
    currency_inferred: bool = False
    claim_type: str = "reported"
    verdict: str = "unverifiable"
    why: str = "not checked"
    notes: list[str] = field(default_factory=list)
    # normalised-text offsets and the article's reference date, for the verifier (not part of the JSON)
    _nstart: int = 0
    _nend: int = 0
    _ref: str | None = None
    _resn: float | None = None  # as-written rounding of the figure
    _gap: str = ""  # normalised text between the previous figure of the sentence and this one (fx pairing)

    def to_json(self) -> dict:
        d = asdict(self)
        for k in ("_nstart", "_nend", "_ref", "_resn", "_gap"):
            d.pop(k)
        return d


# (keyword regex on the lead text, units it applies to, metric). The keyword nearest the number wins.
_M = "money"
_SNAPSHOT = r"(?:截至)?(?:中午|午间|午盘|半日)(?:收盘|收市)?(?:报|价|为)?|截至发稿|截至收稿|发稿时|at midday|by midday|at press time"
_P = "pct"
METRIC_RULES: list[tuple[str, tuple[str, ...], str]] = [
    (r"发行价|招股价|定价|发售价|offer price|IPO price|priced", (_M,), "offer_price"),
    (r"开盘|开出|高开|opened|opening", (_M,), "open_price"),
    (r"收报|收于|收盘|收市|closed at", (_M,), "close_price"),
    # a midday or press-time price is a snapshot, not the close (ties go to the earlier start: 中午收盘报 beats 收盘报)
    (_SNAPSHOT, (_M,), "intraday_price"),
    (r"入场费|入场门槛|entry fee", (_M,), "entry_fee"),
    (r"每手(?:赚|盈利|获利|浮盈|账面|亏损|亏|蚀)|(?:gain|profit|loss) (?:of|per) (?:a |one |each )?lot", (_M,),
     "gain_per_lot"),
    (r"谷底|低点", (_M,), "trough_price"),
    (r"最高|高点|峰值", (_M,), "peak_price"),
    (r"成交额|成交金额|turnover", (_M,), "turnover"),
    (r"目标市值", (_M,), "target_market_cap"),
    (r"市值|market cap", (_M,), "market_cap"),
    (r"估值预期|估值目标", (_M,), "expected_valuation"),
    (r"一级市场估值|私募估值|上一轮估值", (_M,), "private_valuation"),
    (r"估值|valuation", (_M,), "valuation"),
    (r"募资净额|所得款项净额|净筹|净募资|net proceeds", (_M,), "proceeds_net"),
    (r"计划募资|拟募资|计划集资|拟集资|计划筹资", (_M,), "funds_raised_planned"),
    (r"募资|集资|筹资|募集|rais(?:e|ed|ing)", (_M,), "proceeds_gross"),
    (r"基石|豪掷|投资机构", (_M,), "cornerstone_amount"),
    (r"经调整净亏损|经调整亏损|adjusted net loss", (_M,), "adjusted_net_loss"),
    (r"累计净亏损|累计亏损", (_M,), "net_loss_cumulative"),
    (r"净亏损|亏损净额|亏损|net loss", (_M,), "net_loss"),
    (r"净利润|纯利|net profit", (_M,), "net_profit"),
    (r"营收|收入|营业额|revenue", (_M,), "revenue"),
    (r"累计研发", (_M,), "rd_expense_cumulative"),
    (r"研发开支|研发投入|研发费用|R&D", (_M,), "rd_expense"),
    (r"在手订单|未完成订单(?!及)", (_M,), "backlog"),
    (r"未完成订单及框架", (_M,), "backlog_plus_framework"),
    (r"框架销售协议|销售合同", (_M,), "framework_and_sales_contract_value"),
    (r"集群交付|价值(?=.{0,12}集群)", (_M,), "cluster_delivery_value"),
    (r"增量规模", (_M,), "domestic_market_increment"),
    (r"市场规模|market size", (_M,), "market_size"),
    (r"开通以来", (_M,), "southbound_net_inflow_cumulative"),
    (r"南向|港股通|净流入", (_M,), "southbound_net_inflow"),
    (r"复合增长率|CAGR", (_P,), "cagr"),
    (r"份额|占有率|market share", (_P,), "domestic_vendor_share"),
    (r"合同价值", (_P,), "enterprise_contract_value_yoy"),
    (r"增速|同比增长|同比增加|同比下降|同比减少|增长率", (_P,), "revenue_growth_yoy"),
    (r"价格", (_P,), "api_token_price_change"),
    (r"经营开支", (_P,), "rd_share_of_opex"),
    (r"授权率", (_P,), "invention_patent_grant_rate"),
    (r"基石|认购比例|发售股份", (_P,), "cornerstone_share_of_offer"),
    (r"超额配股权|超额配售|绿鞋|greenshoe|over-allotment", (_P,), "greenshoe_pct"),
    (r"指数", (_P,), "index_return"),
    (r"累计升幅|累计涨幅|累计上涨", (_P,), "cumulative_return_since_ipo"),
    (r"涨幅|升幅|跳涨|大升|上涨|高开|低开|收涨|收跌|(?<!涨)跌幅|下跌|破发|较(?:发行价|招股价|定价)|"
     r"\b(?:up|rose|gained|jumped|surged|soared|fell|down|dropped|slid|tumbled)\b", (_P,), "first_day_return"),
    (r"认购倍数|超额认购|认购|超购|oversubscri", ("x",), "oversubscription_public"),
    (r"每手|一手|board lot|lot size", ("shares",), "lot_size"),
    (r"升幅|涨幅|区间", ("x",), "price_multiple_trough_to_peak"),
    (r"估值", ("x",), "valuation_change_multiple"),
    (r"基石", ("count",), "cornerstone_count"),
    (r"员工|雇员|staff|employees", ("count",), "headcount"),
    (r"申请专利|专利申请", ("count",), "patents_filed"),
    (r"专利授权|获得专利", ("count",), "patents_granted"),
    (r"销量|出货", ("count",), "chips_sold_cumulative"),
    (r"新股|IPO", ("rank",), "ipo_sequence_rank_of_year"),
]
_TRAILING_RULES: list[tuple[str, tuple[str, ...], str]] = [  # words right after the figure: 54元谷底, 15%的超额配股权
    (r"^谷底", (_M,), "trough_price"),
    (r"^\s?(?:的)?(?:发行价|招股价)|^\s?(?:offer|IPO|issue|listing) price", (_M,), "offer_price"),
    (r"^\s?的?(超额配股权|超额配售|绿鞋)", (_P,), "greenshoe_pct"),
    (r"^\s?的?涨幅", (_P,), "first_day_return"),
    (r"^\s?的?(同比增长|增速)", (_P,), "revenue_growth_yoy"),
    (r"^晶体管", ("count",), "transistor_count"),
    (r"^集群", ("count",), "cluster_size_cards"),
    (r"^(新股|IPO)", ("rank",), "ipo_sequence_rank_of_year"),
    (r"^\s?(豪华|重磅|顶级)?(基石|投资机构|投资者)", ("count",), "cornerstone_count"),
    (r"^的?[\d万千]*卡?集群", (_M,), "cluster_delivery_value"),
    (r"^\s?的?(基石|超高认购比例|认购比例)", (_P,), "cornerstone_share_of_offer"),
]
_BY_UNIT = {"nm": "process_nm", "TFLOPS": "peak_tflops_bf16", "version": "pcie_generation", "text": "listing_chapter"}
# Company financials: a bare 元 here is renminbi for mainland companies, whatever the outlet's market.
FUNDAMENTALS = {"revenue", "net_loss", "net_loss_cumulative", "adjusted_net_loss", "net_profit", "rd_expense",
                "rd_expense_cumulative", "backlog", "backlog_plus_framework", "framework_and_sales_contract_value",
                "cluster_delivery_value"}
_PRICE_LIKE = {"offer_price", "open_price", "close_price", "trough_price", "peak_price", "market_cap",
               "first_day_market_cap", "turnover", "intraday_price", "entry_fee", "gain_per_lot"}
_SENT_END = re.compile(r"[。!?;\n]|\.(?=\s)")
# The quote is cut from the original text, before NFKC: full-width ，；： end a clause too.
_CLAUSE = re.compile(r"[,;:，；：]")
_FORECAST = re.compile(r"预计|预期|计划|将|有望|拟|目标")


OUTLETS = ("HK", "CN", "US")  # an outlet's market decides what a bare 元 or $ means


def outlet_market(article: Article, market: str | None = None) -> str:
    """HK | CN | US: decides a bare 元. Flag first, then the header's language, then the script of the text."""
    if market:
        m = market.upper()
        if m not in OUTLETS:
            raise ValueError(f"unknown market {market!r}; expected HK, CN or US")
        return m
    lang = article.language() or ""
    if lang.startswith("zh-Hant"):
        return "HK"
    if lang.startswith("zh"):
        return "CN"
    if lang.startswith("en"):
        return "US"
    body = article.body
    if any("\u4e00" <= c <= "\u9fff" for c in body[:2000]):
        return "HK" if normalise(body[:2000]).text != body[:2000] else "CN"
    return "US"


_BOUNDS_CACHE: dict[int, tuple[str, list[int]]] = {}


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the sentence holding ``pos`` (ends: 。!?; and newlines)."""
    import bisect

    cached = _BOUNDS_CACHE.get(id(text))
    if cached is None or cached[0] is not text:
        ends = [m.start() for m in _SENT_END.finditer(text)]
        _BOUNDS_CACHE.clear()
        _BOUNDS_CACHE[id(text)] = cached = (text, ends)
    ends = cached[1]
    k = bisect.bisect_left(ends, pos)
    start = ends[k - 1] + 1 if k > 0 else 0
    end = ends[k] if k < len(ends) else len(text)
    if start > pos:  # pos sits on a terminator itself
        start = pos
    return start, end


def _quote(orig: str, s: int, e: int, sent_s: int, sent_e: int, limit: int = 80) -> str:
    """The clause around [s, e) in the original text, at most ``limit`` characters."""
    a, b = s, e
    while a > sent_s and not _CLAUSE.match(orig[a - 1]) and b - a < limit - 1:
        a -= 1
    while b < sent_e and not _CLAUSE.match(orig[b]) and b - a < limit:
        b += 1
    return orig[a:b].strip()[:limit]


@lru_cache(maxsize=1)
def _compiled() -> tuple[list, list]:
    """METRIC_RULES and _TRAILING_RULES compiled once (looking a pattern up in re's cache per figure adds up)."""
    return ([(re.compile(p, re.I), u, m) for p, u, m in METRIC_RULES],
            [(re.compile(p), u, m) for p, u, m in _TRAILING_RULES])


def _pick_metric(q: Quantity, lead: str, trail: str, sentence_lead: str, carry: dict[str, str]) -> tuple[str, bool]:
    """(metric, from_keyword)."""
    kind = "money" if q.is_money else q.unit
    if kind in _BY_UNIT:
        return _BY_UNIT[kind], True
    if q.noun == "小龙":
        return "peer_group_size", True
    if q.noun == "高价股":
        return "a_share_price_rank", True
    for pat, units, metric in _compiled()[1]:
        if kind in units and pat.search(trail):
            return metric, True
    for scope in (lead, sentence_lead):
        best = None
        for pat, units, metric in _compiled()[0]:
            if kind not in units:
                continue
            for m in pat.finditer(scope):
                if best is None or m.end() > best[0] or (m.end() == best[0] and m.start() < best[1]):
                    best = (m.end(), m.start(), metric)
        if best:
            return best[2], True
    if kind in carry:
        return carry[kind], False
    return "statement", False


def _refine(metric: str, q: Quantity, sentence_lead: str, lead: str) -> str:
    if metric == "first_day_return":
        if "指数" in lead:
            return "index_return"
        if "累计" in lead:
            return "cumulative_return_since_ipo"
        low = sentence_lead.lower()
        i_open = max(low.rfind("开盘"), low.rfind("高开"), low.rfind("低开"), low.rfind("open"))
        i_close = max(low.rfind("收盘"), low.rfind("收报"), low.rfind("首日"), low.rfind("close"),
                      low.rfind("first day"))
        snaps = [m.end() for m in re.finditer(_SNAPSHOT, low)]
        if snaps and snaps[-1] >= max(i_open, i_close):  # '截至中午收盘报36.5港元,涨幅86.2%': not the day's close
            return "intraday_return"
        if i_open > i_close:
            return "first_day_open_return"
    if metric in ("rd_expense", "net_loss") and "累计" in lead:
        return metric + "_cumulative"
    if metric == "southbound_net_inflow" and "开通以来" in lead:
        return "southbound_net_inflow_cumulative"
    if metric == "revenue_growth_yoy" and "合同价值" in lead:
        return "enterprise_contract_value_yoy"
    if metric == "market_cap" and "首日" in sentence_lead:
        return "first_day_market_cap"
    if metric == "rd_share_of_opex" and re.search(r"始终|均|以上", sentence_lead + q.raw):
        return "rd_share_of_opex_min"
    if metric == "statement" and q.unit in ("days", "minutes", "hours"):
        return "duration"
    return metric


def extract_claims(article: Article, gazetteer=None, market: str | None = None,
                   published: dt.date | None = None, norm: Normalised | None = None,
                   tick: Callable[[], None] | None = None) -> list[Claim]:
    """All claims of ``article``. ``gazetteer``: an ipolens.news.gazetteer.Gazetteer (None: no entity linking);
    ``tick`` is called once per number so a caller's time limit can stop a long text."""
    orig = article.text
    norm = norm or normalise(orig)
    text = norm.text
    body_n = _norm_index(norm, article.body_start)
    outlet = outlet_market(article, market)
    ref = published or article.published()
    window = article.date_window()
    ref_for_dates = ref or (window[1] if window else None)
    quantities = [q for q in scan_numbers(text, tick) if q.start >= body_n]
    dates = [d for d in scan_dates(text, ref_for_dates, ref) if d.start >= body_n]
    mentions = gazetteer.find(text, tick) if gazetteer else []
    mentions = [m for m in mentions if m.start >= body_n]
    subject = _subject(mentions, gazetteer)
    lines = Lines(text, _PROMO)
    date_starts = [d.start for d in dates]
    claims: list[Claim] = []
    carry: dict[str, str] = {}
    last_para = -1
    seen: set[tuple] = set()
    prev_end = body_n
    quantities = _bare_valuations(quantities, text) + _ranked_lists(text, mentions, body_n)
    midx = MentionIndex(mentions, ("MKT:", "IDX:"))
    quantities.sort(key=lambda q: q.start)
    for q in quantities:
        if tick:
            tick()
        s_start, s_end = _sentence_bounds(text, q.start)
        para = lines.start(q.start) - 1
        if para != last_para:
            carry = {}
            last_para = para
        lead_start = max(s_start, prev_end if prev_end <= q.start else s_start)
        lead = text[lead_start:q.start]
        sentence_lead = text[s_start:q.start]
        trail = text[q.end:q.end + 12]
        if not _is_claim(q, sentence_lead, lead):
            continue
        prev_end = q.end
        metric, keyed = _pick_metric(q, lead, trail, sentence_lead, carry)
        metric = _refine(metric, q, sentence_lead, lead)
        kind = "money" if q.is_money else q.unit
        if keyed and kind in ("money", "pct"):  # '这一数字跃升至6203万元': the figure continues the topic
            carry[kind] = metric
        ent_key = _entity_for(q.end if q.unit == "rank" else q.start, midx, text, subject, metric, lines)
        unit, inferred = _currency(q, metric, ent_key, gazetteer, outlet)
        date_s, period = _date_for(q, dates, text, s_start, metric, lead_start, date_starts)
        if metric in ("market_size", "domestic_vendor_share") and ref_for_dates and period and period[:4].isdigit() \
                and int(period[:4]) > ref_for_dates.year and "预计" in sentence_lead:
            metric += "_forecast"
        o_start, o_end = norm.span(q.start, q.end)
        os_start, os_end = norm.span(s_start, s_end)
        quote = _quote(orig, o_start, o_end, os_start, os_end)
        promo = lines.promotional(q.start)
        claim_type = "promotional" if promo else "forecast" if (_FORECAST.search(sentence_lead[-20:]) or metric.endswith("_forecast")
                                    or metric in ("funds_raised_planned", "expected_valuation")) else "reported"
        c = Claim(
            id="", article=article.path, entity=gazetteer.display(ent_key) if (gazetteer and ent_key) else None,
            entity_key=ent_key, code=gazetteer.code(ent_key) if (gazetteer and ent_key) else None, metric=metric,
            value=None if q.unit == "text" else q.value, unit=unit, qualifier=q.qualifier, start=o_start, end=o_end,
            quote=quote, sentence=orig[os_start:os_end].strip(), value_high=q.value_high, text=q.text,
            date=date_s, period=period, currency_inferred=inferred, claim_type=claim_type, _nstart=q.start,
            _nend=q.end, _resn=q.resolution, _gap=lead if lead_start > s_start else text[s_start:q.start])
        if q.sign_from:
            c.notes.append(f"negative: '{q.sign_from}' before the figure")
        if inferred:
            c.notes.append(f"currency inferred ({unit}) from a bare 元: {_why_currency(metric, ent_key, outlet)}")
        key = (c.entity_key, c.metric, c.value, c.unit, c.period)
        if key in seen and c.metric != "statement" and c.entity_key:
            continue
        seen.add(key)
        claims.append(c)
    claims.extend(_date_claims(article, norm, dates, midx, subject, gazetteer, lines))
    _spread_lists(claims, text, dates)
    _respective(claims, text, midx, gazetteer)
    _previous_year(claims, text)
    claims.sort(key=lambda c: c.start)
    stem = _stem(article.path)
    for i, c in enumerate(claims, 1):
        c.id = f"{stem}#{i}"
        c._ref = ref_for_dates.isoformat() if ref_for_dates else None
    return claims


def _stem(path: str) -> str:
    import os

    name = os.path.basename(path)
    return re.sub(r"\.(zh-Hans|zh-Hant|en)?\.?txt$|\.txt$", "", name)


def _norm_index(norm: Normalised, orig_pos: int) -> int:
    import bisect

    return bisect.bisect_left(norm.origin, orig_pos, 0, len(norm.text))


_BARE_SCALE = re.compile(r"^[百千万]+亿$|^万亿$")


def _is_claim(q: Quantity, sentence_lead: str, lead: str) -> bool:
    if q.unit is None:
        return False
    if q.unit == "count" and q.noun == "人" and not re.search(r"员工|雇员|职员|人数", lead):
        return False
    if q.unit == "count" and q.noun in ("名",) and "第" in lead[-1:]:
        return False
    return True


def _bare_valuations(qs: list[Quantity], text: str) -> list[Quantity]:
    """估值动辄百亿: a bare scale after 估值/市值 is money whose currency the outlet decides."""
    from dataclasses import replace

    out = []
    for q in qs:
        if q.unit is None and _BARE_SCALE.match(q.raw.lstrip("动辄超破近约")) and re.search(
                r"(估值|市值)[^,。]{0,3}$", text[max(0, q.start - 6):q.start]):
            q = replace(q, unit="money", bare_yuan=True)
        out.append(q)
    return out


_RANKED = re.compile(r"前([二三四五六七八九十]|\d{1,2})([^,。;]{0,8}?)别为((?:[^、,。;]{1,12}、){1,11}[^、,。;]{1,12})")


def _ranked_lists(text: str, mentions, body_n: int) -> list[Quantity]:
    """'前四高价股分别为A、B、C、D': rank 1..4, one per named entity, spans on the names."""
    out: list[Quantity] = []
    for m in _RANKED.finditer(text, body_n):
        names = m[3].split("、")
        pos = m.start(3)
        for rank, name in enumerate(names, 1):
            out.append(Quantity(value=rank, unit="rank", start=pos, end=pos + len(name), raw=name,
                                noun="高价股" if "高价" in m[2] else m[2]))
            pos += len(name) + 1
    return out


def _subject(mentions, gazetteer) -> str | None:
    from collections import Counter

    counts = Counter(m.key for m in mentions if m.key.split(":")[0] in ("HK", "SH", "SZ", "US", "CO"))
    return counts.most_common(1)[0][0] if counts else None


_MARKET_METRICS = {"market_size": "MKT:", "market_size_forecast": "MKT:", "cagr": "MKT:",
                   "domestic_vendor_share": "MKT:", "domestic_vendor_share_forecast": "MKT:",
                   "domestic_market_increment": "MKT:", "index_return": "IDX:", "southbound_net_inflow": "MKT:",
                   "southbound_net_inflow_cumulative": "MKT:", "api_token_price_change": "MKT:",
                   "ipo_market_date": "MKT:"}


_PROMO = re.compile(r"点击订阅|即刻点击|立即订阅|点击购买|扫码关注|Subscribe now", re.I)


def _entity_for(pos: int, mentions: MentionIndex, text: str, subject: str | None, metric: str,
                lines: Lines) -> str | None:
    """The entity a figure at ``pos`` is about. Every lookup is a bisection into ``mentions`` (mentions that end by
    ``pos`` and start in its line are the candidates), so the cost does not grow with the text before ``pos``."""
    para_start = lines.start(pos)
    prefix = _MARKET_METRICS.get(metric)
    s_start, s_end = _sentence_bounds(text, pos)
    if prefix:
        for m in mentions.backward(para_start, pos, prefix):
            if m.end <= pos:
                return m.key
        para_end = lines.next_newline(pos)
        for m in mentions.forward(pos, prefix):
            if para_end < 0 or m.start < para_end:
                return m.key
            break
    if lines.promotional(pos):
        return None  # an advertisement is about nothing in the ledger

    def own(m) -> bool:
        return m.end <= pos and not m.key.startswith(("MKT:", "IDX:"))

    if not any(own(m) for m in mentions.backward(max(para_start, s_start), pos)):
        # '四小龙之一的壁仞科技': the name right after the figure, in the same sentence
        for m in mentions.forward(pos):
            if m.start > pos + 10:
                break
            if m.start < s_end and not m.key.startswith(("MKT:", "IDX:")) and "的" in text[pos:m.start]:
                return m.key
    # names inside an enumeration (包括A、B、C) are not the subject of the figures that follow: the last name of the
    # line that is not listed, else the last listed one
    last = None
    for m in mentions.backward(para_start, pos):
        if not own(m):
            continue
        if not ("、" in text[m.end:m.end + 6] or text[m.start - 1:m.start] == "、"):
            return m.key
        last = last or m
    if last is not None:
        return last.key
    # the article's subject, once it has been named (a headline above the first mention may be about anything)
    if subject and mentions.first_end.get(subject, pos + 1) <= pos:
        return subject
    return None


def _currency(q: Quantity, metric: str, ent_key: str | None, gazetteer, outlet: str) -> tuple[str | None, bool]:
    if not q.bare_yuan:
        return q.unit, False
    market = ent_key.split(":")[0] if ent_key else None
    if metric in FUNDAMENTALS and market in ("HK", "SH", "SZ", "CO"):
        return "CNY", True
    if market in ("SH", "SZ"):
        return "CNY", True
    if market == "HK" and metric in _PRICE_LIKE:
        return "HKD", True
    return {"HK": "HKD", "CN": "CNY", "US": "USD"}[outlet], True


def _why_currency(metric: str, ent_key: str | None, outlet: str) -> str:
    market = ent_key.split(":")[0] if ent_key else None
    if metric in FUNDAMENTALS and market in ("HK", "SH", "SZ", "CO"):
        return "company financials of a mainland issuer are reported in renminbi"
    if market in ("SH", "SZ"):
        return f"{ent_key} trades in renminbi"
    if market == "HK" and metric in _PRICE_LIKE:
        return f"{ent_key} trades in Hong Kong dollars"
    return f"outlet market {outlet}"


def _date_for(q: Quantity, dates: list[DateSpan], text: str, s_start: int, metric: str,
              lead_start: int | None = None, starts: list[int] | None = None) -> tuple[str | None, str | None]:
    """A day anywhere earlier in the sentence is the figure's as-of date ('截至12月19日收市, …, 市值为3317亿元');
    a year or period binds like a day, except '2023年1月的54元': a period followed by 的 belongs to that figure
    only ('从2023年1月的54元谷底升至最高1596元' gives 1596 no period)."""
    starts = starts if starts is not None else [d.start for d in dates]
    inside = [dates[i] for i in starts_between(starts, s_start, q.start) if dates[i].end <= q.start]
    if metric == "cagr":
        years = [d for d in inside if d.period and d.period.isdigit()]
        if len(years) >= 2:
            return None, f"{years[0].period}-{years[-1].period}"
    near = [d for d in inside if lead_start is None or d.start >= lead_start]
    days = [d for d in inside if d.date or not text.startswith("的", d.end)]
    if near:
        d = near[-1]
    elif days:
        d = days[-1]
    else:
        return None, None
    if d.date:
        return d.date.isoformat(), None
    period = d.period
    if period and period.isdigit() and metric in FUNDAMENTALS | {"revenue_growth_yoy", "rd_share_of_opex"}:
        period = f"FY{period}"
    return None, period


_DATE_EVENT = [
    (re.compile(r"^[^。!?]{0,60}?(上市|挂牌|敲钟)(?!前|以来|之前|首日|后)"), "listing_date"),
    (re.compile(r"^.{0,4}的.{0,8}IPO市场"), "ipo_market_date"),
]


def _date_claims(article: Article, norm: Normalised, dates, mentions: MentionIndex, subject, gazetteer,
                 lines: Lines) -> list[Claim]:
    """Dates that are themselves claims: listing dates, years of founding or launch."""
    text, orig = norm.text, article.text
    out: list[Claim] = []
    for d in dates:
        s_start, s_end = _sentence_bounds(text, d.start)
        after = text[d.end:s_end]
        before = text[max(s_start, d.start - 12):d.start]
        metric = value_text = None
        unit = "date"
        if d.date:
            for pat, name in _DATE_EVENT:
                if pat.search(after) and not re.match(r"^.{0,2}(前|以来|之前)", after):
                    metric = name
                    break
            if metric == "listing_date" and re.search(r"预计|计划|拟|有望", before):
                metric = "expected_listing_date"
            value_text = d.date.isoformat() if metric else None
        elif d.period:
            if re.match(r"^(前不会|前不)", after) and re.search(r"上市", after):
                metric, unit, value_text = "ipo_not_before", "year", d.period
            elif re.match(r"^.{0,4}(成立)", after) or re.search(r"自$", before) and re.match(r"^.{0,2}成立", after):
                metric, unit, value_text = "founded_year", "year", d.period
            elif re.search(r"自$", before) and re.match(r"^开始", after):
                metric, unit, value_text = "statement", "year", d.period
            elif re.match(r"^.{0,3}商业化", after):
                metric, unit, value_text = "planned_commercialization_year", "year", d.period
            elif re.match(r"^.{0,3}推出", after):
                metric, unit, value_text = "planned_launch_year", "year", d.period
            elif "H" in d.period and re.search(r"上市", after[:30]):
                metric, unit, value_text = "expected_listing_period", "period", d.period
        if not metric:
            continue
        o_start, o_end = norm.span(d.start, d.end)
        os_start, os_end = norm.span(s_start, s_end)
        ent = _entity_for(d.end + len(after), mentions, text, subject, metric, lines)
        c = Claim(id="", article=article.path, entity=gazetteer.display(ent) if (gazetteer and ent) else None,
                  entity_key=ent, code=gazetteer.code(ent) if (gazetteer and ent) else None, metric=metric,
                  value=None, unit=unit, qualifier="exact", start=o_start, end=o_end,
                  quote=_quote(orig, o_start, o_end, os_start, os_end), sentence=orig[os_start:os_end].strip(),
                  text=value_text, date=d.date.isoformat() if d.date else None, period=d.period,
                  claim_type="forecast" if re.search(r"预计|将|计划|有望", before + after[:10]) else "reported",
                  _nstart=d.start, _nend=d.end)
        if d.inferred_year:
            c.notes.append("year inferred from the publication date")
        out.append(c)
    return out


def _previous_year(claims: list[Claim], text: str) -> None:
    """'营收尚在50万元量级;2023年,这一数字跃升至6203万元': the unperioded figure is the year before."""
    for a, b in zip(claims, claims[1:]):
        if a.period or a.date or a.metric != b.metric or a.entity_key != b.entity_key or not b.period:
            continue
        m = re.fullmatch(r"(FY)?(\d{4})", b.period)
        if m and re.search(r"这一数字|该数字|这个数字", text[a._nend:b._nstart]):
            a.period = f"{m[1] or ''}{int(m[2]) - 1}"
            a.notes.append(f"period inferred from the next figure ({b.period})")


def _respective(claims: list[Claim], text: str, mentions: MentionIndex, gazetteer) -> None:
    """'发行价、开盘价分别为19.6、35.7港元' / '壁仞科技与智谱市值分别为855.4亿、512亿港元': the n names before 分别
    go to the n figures after it, in order (metrics when every name is a metric keyword, else entities)."""
    valued = sorted((c for c in claims if c.value is not None), key=lambda c: c._nstart)
    valued_starts = [c._nstart for c in valued]
    for m in re.finditer(r"分别(?:为|是|达到?|录得|报|约为)?", text):
        s_start, s_end = _sentence_bounds(text, m.start())
        seg_start = max(s_start, max(text.rfind(ch, s_start, m.start()) for ch in ",;:") + 1)
        seg = text[seg_start:m.start()]
        after = [valued[i] for i in starts_between(valued_starts, m.end(), s_end)]
        if len(after) < 2:
            continue
        kind = "money" if after[0].unit in ("HKD", "CNY", "USD") else after[0].unit
        group = [c for c in after if ("money" if c.unit in ("HKD", "CNY", "USD") else c.unit) == kind]
        names = [n for n in re.split(r"、|以及|和|及|与|and", seg) if n.strip()]
        if len(names) != len(group):
            continue
        metrics = [_keyword_metric(n, kind) for n in names]
        if all(metrics):
            for c, metric in zip(group, metrics):
                c.metric = metric
            continue
        ents = mentions.between(seg_start, m.start())
        keys = list(dict.fromkeys(x.key for x in ents))
        if len(keys) == len(group) and gazetteer:
            for c, key in zip(group, keys):
                c.entity_key, c.entity, c.code = key, gazetteer.display(key), gazetteer.code(key)


def _keyword_metric(name: str, kind: str) -> str | None:
    """The metric a list item names ('开盘价' -> open_price), None when it names none."""
    best = None
    for pat, units, metric in METRIC_RULES:
        if kind in units:
            for mm in re.finditer(pat, name, re.I):
                if best is None or mm.end() > best[0]:
                    best = (mm.end(), metric)
    return best[1] if best else None


def _spread_lists(claims: list[Claim], text: str, dates: list[DateSpan]) -> None:
    """'2022年至2024年 ... 分别为 A、B和C': give A, B, C the years of the range, in order."""
    by_sentence: dict[int, list[Claim]] = {}
    for c in claims:
        s, _ = _sentence_bounds(text, c._nstart)
        by_sentence.setdefault(s, []).append(c)
    starts = [d.start for d in dates]
    for s, cs in by_sentence.items():
        rng = [d for d in (dates[i] for i in starts_between(starts, s, cs[0]._nstart))
               if d.period and re.fullmatch(r"\d{4}-\d{4}", d.period) and d.end <= cs[0]._nstart]
        if not rng or "分别" not in text[s:cs[-1]._nstart]:
            continue
        a, b = map(int, rng[-1].period.split("-"))
        years = list(range(a, b + 1))
        groups: dict[tuple, list[Claim]] = {}
        for c in cs:
            if c.text is None:
                groups.setdefault((c.metric, c.unit), []).append(c)
        for group in groups.values():
            if len(group) == len(years):
                for c, y in zip(group, years):
                    c.period = f"FY{y}" if c.metric in FUNDAMENTALS | {"rd_share_of_opex"} else str(y)
                    c.date = None
