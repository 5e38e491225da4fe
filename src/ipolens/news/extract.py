"""Claims: each number of an article linked to an entity, a metric, a period or date, its span and its sentence."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

from .clauses import SENTENCE_END, clause_end, clause_start
from .dates import DateSpan, scan_dates
from .dedupe import merge_title_repeats
from .numbers import Quantity, bare_money, scan_numbers
from .roles import lexicon
from .schema import CURRENCIES
from .spans import Lines, MentionIndex, starts_between
from .text import Article, Normalised, normalise

__all__ = ["Claim", "extract_claims", "outlet_market", "OUTLETS", "FUNDAMENTALS", "UNASSIGNED"]


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
        d["currency"] = self.unit if self.unit in CURRENCIES else None
        return d


# Roles come from the cue words nearest each figure (ipolens.news.roles, cues in lexicon/roles.yaml).
UNASSIGNED = "statement"  # a figure whose role the reader does not know (or whose cues conflict)
# Company financials: a bare 元 here is renminbi for mainland companies, whatever the outlet's market.
FUNDAMENTALS = {"revenue", "net_loss", "net_loss_cumulative", "adjusted_net_loss", "net_profit", "rd_expense",
                "rd_expense_cumulative", "backlog", "gross_loss", "dividend_total", "underwriting_fees", "issue_costs"}
_PRICE_LIKE = {"offer_price", "open_price", "close_price", "trough_price", "peak_price", "market_cap",
               "first_day_market_cap", "turnover", "snapshot_price", "entry_fee", "gain_per_lot", "gain_per_lot_max",
               "loss_per_lot", "intraday_high", "intraday_low", "grey_market_price", "grey_market_high",
               "grey_market_turnover", "placing_price", "margin_subscription"}
_SENT_END = SENTENCE_END  # 。!?; a line break, a full stop that ends no abbreviation
# The quote is cut from the original text, before NFKC: full-width ，；： end a clause too.
_CLAUSE_CHARS = ",;:，；："
_FORECAST = re.compile(r"预计|预期|计划|将|有望|拟|目标")


OUTLETS = ("HK", "CN", "US", "TW")  # an outlet's market decides what a bare 元 or $ means
_CURRENCY_OF = {"HK": "HKD", "CN": "CNY", "US": "USD", "TW": "TWD"}
# Words only Taiwan's market uses (its exchange, OTC and emerging boards, its dollar), read on the simplified text:
# a text that names them is about a Taiwan listing, where a bare 元 is the Taiwan dollar.
_TAIWAN = re.compile(r"(?<!纽约)(?<!纽)证交所|台湾证券交易所|柜买中心|兴柜|上柜|台股|新台币|台币|NT\$")
_TWD_WORD = re.compile(r"新台币|台币|NT\$")  # the figure's own currency word: explicit, not inferred


def outlet_market(article: Article, market: str | None = None) -> str:
    """HK | CN | US | TW: decides a bare 元. Flag first, then Taiwan's market words, then the header's language,
    then the script of the text."""
    if market:
        m = market.upper()
        if m not in OUTLETS:
            raise ValueError(f"unknown market {market!r}; expected HK, CN, US or TW")
        return m
    if _TAIWAN.search(normalise(article.body[:3000]).text):
        return "TW"
    lang = article.language() or ""
    if lang.startswith("zh-Hant"):
        return "HK"
    if lang.startswith("zh"):
        return "CN"
    if lang.startswith("en"):
        return "US"
    body = article.body
    if any("\u4e00" <= c <= "\u9fff" for c in body[:2000]):
        import unicodedata

        head = unicodedata.normalize("NFKC", body[:2000])  # full-width ，。 are no sign of traditional script
        return "HK" if normalise(head).text != head else "CN"
    return "US"


_BOUNDS_CACHE: dict[int, tuple[str, list[int]]] = {}
# How far back in its sentence a figure's cues are read: keeps a sentence of any length linear (news sentences are
# far shorter; a cue further away is about something else).
_LEAD_CAP = 300


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the sentence holding ``pos`` (ends: 。!?; and newlines)."""
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


_BREAKS_CACHE: dict[int, tuple[str, list[int]]] = {}
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:，；：]")  # not the thousands comma of 4,000


def _after_last_break(text: str, lo: int, pos: int) -> int:
    """Just after the last clause break (,;: and full-width) in text[lo:pos], else ``lo``: a bisection into the
    text's break positions (found once per text; the original and the normalised text are both kept)."""
    cached = _BREAKS_CACHE.get(id(text))
    if cached is None or cached[0] is not text:
        if len(_BREAKS_CACHE) >= 2:
            _BREAKS_CACHE.clear()
        cached = _BREAKS_CACHE[id(text)] = (text, [m.start() for m in _CLAUSE_BREAK.finditer(text)])
    breaks = cached[1]
    k = bisect.bisect_left(breaks, pos) - 1
    return breaks[k] + 1 if k >= 0 and breaks[k] >= lo else lo


def _quote(orig: str, s: int, e: int, sent_s: int, sent_e: int, limit: int = 80) -> str:
    """The clause around [s, e) in the original text, at most ``limit`` characters."""
    # back to the clause break before the figure (at most limit - 1 characters from its end), then on to the one
    # after it (at most limit characters in all): a search each, not a step per character
    lo = max(sent_s, e - limit + 1)
    a = s if s <= lo else _after_last_break(orig, lo, s)
    hi = min(sent_e, a + limit)
    brk = _CLAUSE_BREAK.search(orig, e, hi) if e < hi else None
    b = brk.start() if brk else max(e, hi)
    return orig[a:b].strip()[:limit]


_REACH = 200  # cues further back than this are not about the figure (and a sentence without ends stays linear)
_SENTENCE_END = SENTENCE_END  # 。!?; a line break, a full stop that ends no abbreviation
_CONTINUES = re.compile(r"这一数字|该数字|这个数字|this figure|that figure")
_RESTATED = re.compile(r"\s*[(（]\s*(?:现汇率|按汇率)?\s*(?:约合|折合|约|合|相当于|about|or)?\s*$|"
                       r"\s*[,，]?\s*(?:现汇率|按汇率)?\s*(?:约合|折合|相当于)\s*$")


def _kind(q: Quantity) -> str:
    return "money" if q.is_money else q.unit


_ASIDE = re.compile(r"^\s*[(（][^()（）]{0,40}[)）]")
_RAW_NOUN = re.compile(r"(?<=[\d\s])[A-Za-z][A-Za-z -]*$")  # an English count noun the number scanner kept
_BRACKETED = re.compile(r"^\s*[(（]\s*(?:or|up|down|涨|升|跌|上涨|下跌)?\s*$", re.I)  # a figure opening brackets
_SHARES_AFTER = re.compile(r"\s?(?:新)?[AH]?股(?!东|价|市|票)")


def _pick_metric(q: Quantity, lead: str, trail: str, sentence_lead: str, carry: dict[str, str]) -> tuple[str, bool]:
    """(metric, from_cue): the cue nearest the figure in its clause (the words since the previous figure, then the
    words right after it), else the nearest in the clause, else in the sentence; conflicting cues leave it
    unassigned."""
    lex = lexicon()
    kind = _kind(q)
    if kind == "count" and q.noun is None and (q.value or 0) >= 10_000 and _SHARES_AFTER.match(trail):
        kind = "shares"  # '4亿新股': shares, not a count of IPOs (no market lists ten thousand at once)
    sentence_lead = sentence_lead[-_REACH:]
    if kind in lex.by_unit:
        return lex.by_unit[kind], True
    if q.noun in lex.by_noun:
        return lex.by_noun[q.noun], True
    # '这一数字跃升至6203万元' continues the topic; '(约合5.53亿港元)' restates the figure before in another currency
    value = q.value if kind == "money" else None  # a money role must fit the figure's size (lexicon `scale`)
    if kind == "pct" and _BRACKETED.match(lead) and carry.get("money") in lex.price_returns:
        return lex.price_returns[carry["money"]], True  # '$83.23 (168%)': the move to the price just before
    if kind in carry and (_CONTINUES.search(lead) or (kind == "money" and _RESTATED.match(lead))) \
            and lex.fits(carry[kind], value):
        return _carried(carry[kind], q, sentence_lead, trail), False
    c_start = clause_start(sentence_lead)
    n_start = max(c_start, len(sentence_lead) - len(lead))
    after = _SENTENCE_END.split(trail, 1)[0]  # after-cues are anchored at the figure
    after = _ASIDE.sub("", after, count=1)  # '620亿港元(约合572亿元人民币) IPO': a bracketed aside is skipped
    if kind == "count" and (noun := _RAW_NOUN.search(q.raw)):
        after = " " + noun[0] + after  # 'about 4,000 employees' read as one figure: its noun is its after-cue
    # the words since the previous figure (with those after it), else the clause, else the sentence
    pick = lex.pick_nested(kind, sentence_lead, (n_start, c_start, 0), after, value)
    if pick.conflict:
        return UNASSIGNED, False
    if pick.metric:
        return pick.metric, True
    near = sentence_lead[n_start:]
    if kind in carry and lex.fits(carry[kind], value):
        return _carried(carry[kind], q, sentence_lead, trail), False
    if kind == "count" and q.noun in lex.by_measure:  # '只有8只首日上扬': stocks, counted by their measure word
        return lex.by_measure[q.noun], False
    # no cue: the generic head noun of the figure's phrase ('对应金额为...') names the kind's most general role
    head = lex.head_role(kind, near, after, value)
    return (head, False) if head else (UNASSIGNED, False)


def _carried(metric: str, q: Quantity, sentence_lead: str, trail: str) -> str:
    """A role carried from the figure before, already sharpened ('90%原是...' -> intl_tranche_pct_initial): its
    plain role when this figure's own words sharpen that differently ('该比例已降至56.5%' -> final)."""
    base = lexicon().base_of.get(metric)
    if base is None:
        return metric
    again = _refine(base, q, sentence_lead, "", trail)
    return base if again not in (metric, lexicon().defaults.get(base, base)) else metric


_NEAR_AFTER = 24  # characters after a figure a qualifier of its sentence is read in, past its own clause


def _refine(metric: str, q: Quantity, sentence_lead: str, lead: str, trail: str = "") -> str:
    """The role sharpened by its context (暗盘, 盘中, 开盘 ...: the qualifiers of lexicon/roles.yaml)."""
    if metric == UNASSIGNED:
        return "duration" if q.unit in ("days", "minutes", "hours") else metric
    sentence_lead = sentence_lead[-_REACH:]
    # a clause stating the basis of this one ('以盘中最高价计, ...') sharpens the figure's role too
    clause = sentence_lead[clause_start(sentence_lead, basis=True):]
    after = trail[:clause_end(trail, q.raw)]
    lex = lexicon()
    # after the figure, a sentence's qualifier is read over the figure's own clause and the sentence's next few
    # words ('1137份申请中, 各获分配…'), no further: past them the words are about what follows
    rest = _SENTENCE_END.split(trail[:_NEAR_AFTER], 1)[0]
    rest = after if len(after) > len(rest) else rest
    args = (clause + q.raw + after, sentence_lead + q.raw + rest, len(after), len(rest))
    if q.qualifier == "range" and metric in lex.ranges:
        # the range's own name first ('原定...range' -> initial), then a return's basis (暗盘 -> grey market); a
        # price range is both bounds, never one of them ('下限')
        ranged = lex.ranges[metric]
        tries = (ranged,) if metric in lex.per_share else (ranged, metric)
        for m in (lex.qualify(t, *args) for t in tries):
            if m not in (ranged, lex.defaults.get(metric, metric)):
                return m
        return ranged
    return lex.qualify(metric, *args)


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
    # a mainland (Simplified Chinese) text states an issuer's financials in renminbi, whatever the listing venue
    mainland = (article.language() or "").startswith("zh-Hans") or (not article.language() and outlet == "CN")
    ref = published or article.published()
    window = article.date_window()
    ref_for_dates = ref or (window[1] if window else None)
    lay = article.layout.mapped(norm.origin)  # metadata, furniture, URLs: not scanned (offsets in the normalised text)
    quantities = [q for q in scan_numbers(text, tick) if q.start >= body_n and lay.scannable(q.start, q.end)]
    dates = [d for d in scan_dates(text, ref_for_dates, ref) if d.start >= body_n and lay.scannable(d.start, d.end)]
    mentions = gazetteer.find(text, tick) if gazetteer else []
    mentions = [m for m in mentions if m.start >= body_n and lay.scannable(m.start, m.end)]
    subject = _subject(mentions, gazetteer)
    lines = Lines(text, _PROMO)
    date_starts = [d.start for d in dates]
    claims: list[Claim] = []
    carry: dict[str, str] = {}
    last_para = -1
    seen: set[tuple] = set()
    prev_end = body_n
    quantities = bare_money(quantities, text) + _ranked_lists(text, mentions, body_n)
    midx = _mention_index(mentions, text)
    sentences: dict[int, str] = {}
    quantities.sort(key=lambda q: q.start)
    for q in quantities:
        if tick:
            tick()
        s_start, s_end = _sentence_bounds(text, q.start)
        para = lines.start(q.start) - 1
        if para != last_para:
            carry = {}
            last_para = para
        # the words since the previous figure, no further back than any cue is read (a long run of numbers that are
        # no claims would otherwise copy ever longer leads)
        lead_start = max(s_start, prev_end if prev_end <= q.start else s_start, q.start - _LEAD_CAP)
        lead = text[lead_start:q.start]
        sentence_lead = text[max(s_start, q.start - _LEAD_CAP):q.start]
        trail = text[q.end:q.end + 40]  # English after-cues run longer ("retail investors applied")
        q = _counted(q, trail, lead)
        if not _is_claim(q, sentence_lead, lead, trail):
            continue
        prev_end = q.end
        metric, keyed = _pick_metric(q, lead, trail, sentence_lead, carry)
        metric = _refine(metric, q, sentence_lead, lead, trail)  # qualifiers: the words after it in its sentence
        kind = "money" if q.is_money else q.unit
        if keyed and kind in ("money", "pct"):  # '这一数字跃升至6203万元': the figure continues the topic
            carry[kind] = metric
        ent_key = _entity_for(q.end if q.unit == "rank" else q.start, midx, text, subject, metric, lines)
        unit, inferred = _currency(q, metric, ent_key, gazetteer, outlet, text[max(0, q.start - 4):q.end + 4],
                                   mainland)
        date_s, period = _date_for(q, dates, text, s_start, metric, lead_start, date_starts)
        if metric in ("market_size", "market_share") and ref_for_dates and period and period[:4].isdigit() \
                and int(period[:4]) > ref_for_dates.year and "预计" in sentence_lead:
            metric += "_forecast"
        o_start, o_end = norm.span(q.start, q.end)
        os_start, os_end = norm.span(s_start, s_end)
        quote = _quote(orig, o_start, o_end, os_start, os_end)
        if os_start not in sentences:  # one copy per sentence: a long sentence with many figures stays linear
            sentences.clear()
            sentences[os_start] = orig[os_start:os_end].strip()
        promo = lines.promotional(q.start)
        claim_type = "promotional" if promo else "forecast" if (_FORECAST.search(sentence_lead[-20:]) or metric.endswith("_forecast")
                                    or metric in ("funds_raised_planned", "expected_valuation")) else "reported"
        c = Claim(
            id="", article=article.path, entity=gazetteer.display(ent_key) if (gazetteer and ent_key) else None,
            entity_key=ent_key, code=gazetteer.code(ent_key) if (gazetteer and ent_key) else None, metric=metric,
            value=None if q.unit == "text" else q.value, unit=unit, qualifier=q.qualifier, start=o_start, end=o_end,
            quote=quote, sentence=sentences[os_start], value_high=q.value_high, text=q.text,
            date=date_s, period=period, currency_inferred=inferred, claim_type=claim_type, _nstart=q.start,
            _nend=q.end, _resn=q.resolution, _gap=lead if lead_start > s_start else text[s_start:q.start])
        if q.sign_from:
            c.notes.append(f"negative: '{q.sign_from}' before the figure")
        if inferred:
            c.notes.append(f"currency inferred ({unit}) from a bare 元: "
                           f"{_why_currency(metric, ent_key, outlet, mainland)}")
        # A body repeat of the same figure about the same thing is one claim, unless it is restated as the basis
        # of a calculation ('按每股263港元计算'): the news-dev labels count that copy. Title copies: see dedupe.
        key = (c.entity_key, c.metric, c.value, c.unit, c.period, lay.in_title(q.start))
        if c.metric == UNASSIGNED:  # no role to tell what it is about: only a repeat of the same clause is the same
            key += (quote,)
        if key in seen and c.entity_key and not _BASIS.search(sentence_lead[-12:] + "|" + trail[:6]):
            continue
        seen.add(key)
        claims.append(c)
    claims.extend(_date_claims(article, norm, dates, midx, subject, gazetteer, lines, ref))
    _spread_lists(claims, text, dates)
    _respective(claims, text, midx, gazetteer)
    _previous_year(claims, text)
    claims = merge_title_repeats(claims, article.layout.in_title)
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




def _counted(q: Quantity, trail: str, lead: str = "") -> Quantity:
    """'3.9万份申请', '202,300 valid applications': a bare number whose count role is named right after it, or
    right before it ('申请人数约20万': the cue within the last few characters)."""
    if q.unit is not None or q.text is not None:
        return q
    lex = lexicon()
    pick = lex.pick("count", "", trail)
    if not pick.metric and lead:
        # the cue within the last few characters, or the last few words of English ('employs about 6,000')
        pick = lex.pick("count", lead[-24:] if lead[-8:].isascii() else lead[-8:])
    return replace(q, unit="count") if pick.metric else q


_BASIS = re.compile(r"(?:按|以)[^,。;|]{0,10}\|\s?(?:计算|计|估算)|\bbased on\s[^|]{0,12}\|", re.I)


# A span of years that measures a record, a ranking streak or a lock-up is a claim.
_RECORD_AFTER = re.compile(r"^[^,。;]{0,10}?(?:以来|来|最|首次|首度|第一|record|largest|biggest|lock-?up)", re.I)
_RECORD_BEFORE = re.compile(r"连续|历时|长达|禁售|锁定")
_PEOPLE_CUE = re.compile(r"员工|雇员|职员|人数|共有|合共|申请|获配|认购|中签|获额外")


def _is_claim(q: Quantity, sentence_lead: str, lead: str, trail: str = "") -> bool:
    if q.unit is None:
        return False
    if q.unit == "count" and q.noun == "人" and not (_PEOPLE_CUE.search(lead) or _PEOPLE_CUE.match(trail, 0, 4)
                                                    or _PEOPLE_CUE.search(sentence_lead[-12:])):
        return False  # '3人' in a story is narrative; applicants, winners and staff are figures
    if q.unit in ("years", "months") and not (_RECORD_AFTER.match(trail[:14]) or _RECORD_BEFORE.search(sentence_lead[-6:])):
        return False  # '过去两年', 'the next ten years' frame a story; '10年来首次', '连续八年', 'a 30-year record' are claims
    if q.unit == "count" and q.noun in ("名",) and "第" in lead[-1:]:
        return False
    if q.unit == "pct" and q.raw.startswith("一成") and sentence_lead[-1:] in ("这", "该", "那"):
        return False  # '这一成绩' is 'this result', not 10%
    return True


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
                   "index_return": "IDX:", "southbound_net_inflow": "MKT:",
                   "southbound_net_inflow_cumulative": "MKT:"}


_PROMO = re.compile(r"点击订阅|即刻点击|立即订阅|点击购买|扫码关注|Subscribe now", re.I)


def _mention_index(mentions: list, text: str) -> MentionIndex:
    """Mentions indexed for ``_entity_for``: market aggregates by prefix, the article's own names ("own": not a market
    or index), and those of them not inside an enumeration ("own_unlisted": no 、 right before or shortly after)."""
    def own(m) -> bool:
        return not m.key.startswith(("MKT:", "IDX:"))

    def unlisted(m) -> bool:
        return own(m) and not ("、" in text[m.end:m.end + 6] or text[m.start - 1:m.start] == "、")

    return MentionIndex(mentions, ("MKT:", "IDX:"), {"own": own, "own_unlisted": unlisted})


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

    # the nearest company named in the figure's own clause wins over names further back (listed or not) and over
    # the article's subject ('甲公司表示, 乙公司首日升幅为30%' is about 乙); a bounded look back for the clause break
    lo = max(para_start, s_start, pos - _REACH)
    clause_start = _after_last_break(text, lo, pos)
    if (m := mentions.last("own", clause_start, pos)) is not None:
        return m.key
    if mentions.last("own", max(para_start, s_start), pos) is None:
        # '四小龙之一的壁仞科技': the name right after the figure, in the same sentence
        for m in mentions.forward(pos):
            if m.start > pos + 10:
                break
            if m.start < s_end and not m.key.startswith(("MKT:", "IDX:")) and "的" in text[pos:m.start]:
                return m.key
    # names inside an enumeration (包括A、B、C) are not the subject of the figures that follow: the last name of the
    # line that is not listed, else the last listed one
    m = mentions.last("own_unlisted", para_start, pos) or mentions.last("own", para_start, pos)
    if m is not None:
        return m.key
    # the article's subject, once it has been named (a headline above the first mention may be about anything)
    if subject and mentions.first_end.get(subject, pos + 1) <= pos:
        return subject
    return None


def _currency(q: Quantity, metric: str, ent_key: str | None, gazetteer, outlet: str,
              around: str = "", mainland: bool = False) -> tuple[str | None, bool]:
    """``around``: the text just before and after the figure ('新台币48元', 'NT$48': the figure's own currency)."""
    if (q.bare_yuan or q.raw.startswith("$")) and _TWD_WORD.search(around):
        return "TWD", False
    if not q.bare_yuan:
        return q.unit, False
    market = ent_key.split(":")[0] if ent_key else None
    if outlet == "TW" and market not in ("HK", "SH", "SZ"):
        return "TWD", True
    if metric in FUNDAMENTALS and (market in ("HK", "SH", "SZ", "CO") or market is None and mainland):
        return "CNY", True
    if market in ("SH", "SZ"):
        return "CNY", True
    if market == "HK" and metric in _PRICE_LIKE:
        return "HKD", True
    return _CURRENCY_OF[outlet], True


def _why_currency(metric: str, ent_key: str | None, outlet: str, mainland: bool = False) -> str:
    market = ent_key.split(":")[0] if ent_key else None
    if outlet == "TW" and market not in ("HK", "SH", "SZ"):
        return "a Taiwan listing: bare 元 is the Taiwan dollar"
    if metric in FUNDAMENTALS and market in ("HK", "SH", "SZ", "CO"):
        return "company financials of a mainland issuer are reported in renminbi"
    if metric in FUNDAMENTALS and market is None and mainland:
        return "company financials in a mainland (Simplified Chinese) text are in renminbi"
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
    span = starts_between(starts, s_start, q.start)
    if metric == "cagr":
        years = [dates[i] for i in span if dates[i].end <= q.start and dates[i].period and dates[i].period.isdigit()]
        if len(years) >= 2:
            return None, f"{years[0].period}-{years[-1].period}"
    # last first: the nearest date in the figure's own lead, else the nearest day (or period not bound by 的);
    # a bounded look back keeps a sentence full of dates linear
    d = None
    first = True
    for k, i in enumerate(reversed(span)):
        x = dates[i]
        if x.end > q.start:
            continue
        if first and (lead_start is None or x.start >= lead_start):
            d = x
            break
        first = False
        if x.date or not text.startswith("的", x.end):
            d = x
            break
        if k >= 64:
            break
    if d is None:
        return None, None
    if d.date:
        return d.date.isoformat(), None
    period = d.period
    if period and period.isdigit() and metric in FUNDAMENTALS | {"revenue_growth_yoy", "rd_share_of_opex"}:
        period = f"FY{period}"
    return None, period


_DATE_EVENT = [
    (re.compile(r"^[^。!?]{0,60}?(上市|挂牌|敲钟)(?!前|以来|之前|首日|后)"), "listing_date"),
]
# A year a product event is planned for: the event word right after the year ('计划于2026年量产'), a plan word or a
# year after the article's own: a past launch year is history, not a plan.
_YEAR_EVENTS = (
    (re.compile(r"^.{0,3}(?:商业化|商用|量产)"), "planned_commercialization_year"),
    (re.compile(r"^.{0,3}(?:推出|发布|上线|面世)"), "planned_launch_year"),
)
_PLAN = re.compile(r"预计|计划|将|拟|有望|目标")
# '2026年前不会上市': a listing ruled out before a year
_NOT_BEFORE = re.compile(r"^(?:之)?前(?:不会|不|无意|暂不|暂无计划)[^,。;]{0,8}?上市")


def _nearest_event(before: str, after: str) -> str | None:
    """The event a day dates: the role of kind ``date`` (lexicon/roles.yaml) whose cue is nearest, read like any
    figure's role; None when no cue names one or cues of two events sit at the same distance."""
    return lexicon().pick("date", before, after).metric


def _date_claims(article: Article, norm: Normalised, dates, mentions: MentionIndex, subject, gazetteer,
                 lines: Lines, ref: dt.date | None = None) -> list[Claim]:
    """Dates that are themselves claims: listing dates, years of founding or launch (``ref``: the publication
    date, which tells a planned year from a past one)."""
    text, orig = norm.text, article.text
    out: list[Claim] = []
    date_ends = {d.end for d in dates}
    ref_year = ref.year if ref else None
    for d in dates:
        s_start, s_end = _sentence_bounds(text, d.start)
        after = text[d.end:min(s_end, d.end + _LEAD_CAP)]  # bounded: a long sentence of dates stays linear
        before = text[max(s_start, d.start - 12):d.start]
        metric = value_text = None
        unit = "date"
        yearless = (d.period or "").startswith("--")  # 'June 26' with no publication date: a day, year unknown
        if d.date and _DATELINE.match(after):
            continue  # '北京10月26日讯', '5月16日消息': the dispatch date of the article, not a claim
        if d.date or yearless:
            wide = re.search(r"[A-Za-z]", d.raw)  # English cues sit further before the day ('first trading day on')
            metric = _nearest_event(text[max(s_start, d.start - 40):d.start] if wide else before, after)
            if re.search(r"至\s?$", before) and out and out[-1]._nend in range(d.start - 3, d.start) \
                    and out[-1].metric == "subscription_start":
                metric = "subscription_end"  # '2月4日至2月7日': the window's last day
            for pat, name in _DATE_EVENT if not metric else ():
                if pat.search(after) and not re.match(r"^.{0,2}(前|以来|之前)", after):
                    metric = name
                    break
            if metric == "listing_date" and re.search(r"预计|计划|拟|有望", before):
                metric = "expected_listing_date"
            if not metric and _frames_figure(text, d, before, after, date_ends):
                continue
            metric = metric or "event_date"  # a day the text names dates an event: itself a checkable claim
            value_text = d.date.isoformat() if d.date else d.period  # '--06-26': ISO 8601 month and day
        elif d.period:
            planned = next((name for pat, name in _YEAR_EVENTS if pat.match(after)), None)
            if planned and not (d.period.isdigit() and (_PLAN.search(before + after[:6]) or (
                    ref_year is not None and int(d.period) > ref_year))):
                planned = None
            if _NOT_BEFORE.match(after):
                metric, unit, value_text = "ipo_not_before", "year", d.period
            elif re.match(r"^.{0,4}(成立)", after) or re.search(r"自$", before) and re.match(r"^.{0,2}成立", after) \
                    or re.search(r"(?:成立|创立|创办|founded)\s?(?:于|在|in)\s?$", before, re.I):
                metric, unit, value_text = "founded_year", "year", d.period
            elif d.period.isdigit() and re.match(r"^[^,。;]{0,12}?(?:上市|挂牌)(?!前|以来|之前|后)", after):
                metric, unit, value_text = "listing_date", "year", d.period
            elif re.search(r"自$", before) and re.match(r"^开始", after):
                metric, unit, value_text = "statement", "year", d.period
            elif planned:
                metric, unit, value_text = planned, "year", d.period
            elif "H" in d.period and re.search(r"上市", after[:30]):
                metric, unit, value_text = "expected_listing_period", "period", d.period
        if not metric:
            continue
        o_start, o_end = norm.span(d.start, d.end)
        os_start, os_end = norm.span(s_start, s_end)
        ent = _entity_for(max(d.end, s_end), mentions, text, subject, metric, lines)
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


# A day that only frames figures is their date, not a claim: as-of days, datelines, market-data days, and the
# writer's own vantage ('1月5日, 我们看到的…').
_AS_OF = re.compile(r"(?:截至|截止到|截止|as of|through|close on|closed on)\s?$", re.I)
_DATELINE = re.compile(r"^\s?(?:讯|电|消息)")
_MARKET_DAY = re.compile(r"^,?[^,。;!?]{0,8}?(?:盘中|收报|收市|收盘|暗盘|开报|开盘|早盘|午盘|全天|资金流向|跌幅|涨幅|升幅)|^,?(?:我们|我|笔者)")


def _frames_figure(text: str, d: DateSpan, before: str, after: str, date_ends: set[int]) -> bool:
    if _AS_OF.search(before) or _MARKET_DAY.search(after):
        return True
    # '至1月5日, 市值…' frames a figure; '2月4日至2月7日' ends a window (a claim)
    return bool(re.search(r"至\s?$", before)) and not any(e in date_ends for e in range(d.start - 3, d.start))


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
    go to the n figures after it, in order (metrics when every name is a metric keyword, else entities). English
    puts the word after the figures: 'A and B rose 10% and 20%, respectively'."""
    valued = sorted((c for c in claims if c.value is not None), key=lambda c: c._nstart)
    valued_starts = [c._nstart for c in valued]
    breaks: list[int] | None = None  # clause breaks (,;:), found once: a long sentence with many 分别 stays linear

    def kind_of(c: Claim) -> str:
        return "money" if c.unit in ("HKD", "CNY", "USD") else c.unit

    def spread(group: list[Claim], seg_start: int, seg_end: int) -> None:
        seg = text[seg_start:seg_end]
        names = [n for n in re.split(r"、|以及|和|及|与|\band\b|,", seg) if n.strip()]
        if len(names) != len(group):
            return
        metrics = [_keyword_metric(n, kind_of(group[0])) for n in names]
        if all(metrics):
            for c, metric in zip(group, metrics):
                c.metric = metric
            return
        ents = mentions.between(seg_start, seg_end)
        keys = list(dict.fromkeys(x.key for x in ents))
        if len(keys) == len(group) and gazetteer:
            for c, key in zip(group, keys):
                c.entity_key, c.entity, c.code = key, gazetteer.display(key), gazetteer.code(key)

    def clause_from(pos: int, s_start: int) -> int:
        nonlocal breaks
        if breaks is None:
            breaks = [b.start() for b in re.finditer("[,;:]", text)]
        k = bisect.bisect_left(breaks, pos) - 1
        return max(s_start, breaks[k] + 1) if k >= 0 else s_start

    for m in re.finditer(r"分别(?:为|是|达到?|录得|报|约为)?", text):
        s_start, s_end = _sentence_bounds(text, m.start())
        after = starts_between(valued_starts, m.end(), s_end)  # indexes into valued, read only as far as the list
        if len(after) < 2:
            continue
        group = [valued[after[0]]]
        # the list: figures of one kind joined by list words only ('10%和20%', '19.6、35.7港元')
        for c in (valued[i] for i in after[1:]):
            if kind_of(c) != kind_of(group[0]) or not _LIST_GAP.fullmatch(text[group[-1]._nend:c._nstart]):
                break
            group.append(c)
        spread(group, clause_from(m.start(), s_start), m.start())
    for m in re.finditer(r"\brespectively\b", text, re.I):
        # the word with the spaces and commas before it: walked back from the word, as a leading [\s,]* in the
        # pattern would be tried at every position of a long run of spaces (quadratic)
        w_start = m.start()
        while w_start > 0 and (text[w_start - 1].isspace() or text[w_start - 1] == ","):
            w_start -= 1
        s_start, _ = _sentence_bounds(text, w_start)
        before = starts_between(valued_starts, s_start, w_start)
        if len(before) < 2 or valued[before[-1]]._nend < w_start - 2:
            continue  # the word must follow the last figure of the list
        group = [valued[before[-1]]]
        for c in (valued[i] for i in reversed(before[:-1])):  # back over figures joined by list words
            if kind_of(c) != kind_of(group[0]) or not _LIST_GAP.fullmatch(text[c._nend:group[0]._nstart]):
                break
            group.insert(0, c)
        if len(group) >= 2:
            spread(group, clause_from(group[0]._nstart, s_start), group[0]._nstart)


_LIST_GAP = re.compile(r"\s*(?:、|,|，|和|及|以及|与|至|and|,? and)?\s*(?:港元|港币|美元|元|人民币|亿|万)?\s*")


def _keyword_metric(name: str, kind: str) -> str | None:
    """The metric a list item names ('开盘价' -> open_price), None when it names none or names two."""
    lex = lexicon()
    metric = lex.pick(kind, name).metric
    return lex.defaults.get(metric, metric) if metric else None


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
