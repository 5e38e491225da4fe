"""A figure's role: the metric its own clause names (cues of lexicon/roles.yaml, read by ``roles``), sharpened by
its qualifiers. Whether a number is a claim at all is claim_filter's (re-exported here)."""
from __future__ import annotations

import re

from .claim import UNASSIGNED
from .claim_context import _REACH
from .claim_filter import _counted, _is_claim  # re-exported: extract imports them from here
from .clauses import SENTENCE_END, clause_end, clause_start
from .numbers import Quantity
from .role_neighbours import kind_after, reordered_count
from .roles import Pick, lexicon


_SENTENCE_END = SENTENCE_END  # 。!?; a line break, a full stop that ends no abbreviation
_CONTINUES = re.compile(r"这一数字|该数字|这个数字|this figure|that figure")
# the base a figure is compared with ('平均回报率28%，较去年同期的10.8%'): the same measure at another time
_COMPARED = re.compile(r"(?:较|比|相比|对比|高于|低于)(?:去年|上年|前年|上一年|上半年|上季|上月)(?:同期|全年)?的\s?$|"
                       r"\b(?:compared (?:with|to)|versus|vs\.?)\s?$", re.I)
_RESTATED = re.compile(r"\s*[(（]\s*(?:现汇率|按汇率)?\s*(?:约合|折合|约|合|相当于|about|or)?\s*$|"
                       r"\s*[,，]?\s*(?:现汇率|按汇率)?\s*(?:约合|折合|相当于)\s*$")


def _up_to_sentence_end(s: str) -> str:
    """``s`` up to its first sentence end (a search, not a split: no list is built)."""
    m = _SENTENCE_END.search(s)
    return s[:m.start()] if m else s


_AFTER_WINDOW = 40  # after-cues are read this far past a figure, further only to the end of its own clause
_PART_WORD = re.compile(r"[A-Za-z]+\Z")


def _after_window(trail: str, raw: str) -> str:
    """The words after a figure its after-cues are read in: _AFTER_WINDOW characters, or its clause when that is
    longer; a word the window cuts ('institutiona') is dropped, not read as another word."""
    if len(trail) <= _AFTER_WINDOW:
        return trail  # (the window is at least that long: no need to find where the clause ends)
    cut = max(_AFTER_WINDOW, clause_end(trail, raw))
    if cut >= len(trail):
        return trail  # all the text there is (or all the caller gave: a word it cut is its business)
    window = trail[:cut]
    if trail[cut:cut + 1].isalpha() and (part := _PART_WORD.search(window)):
        window = window[:part.start()]
    return window


_LATIN_WRAP = re.compile(r"(?<=[A-Za-z0-9,$%])\n(?=[A-Za-z0-9$])")


def _unwrapped(s: str) -> str:
    """A sentence's words with a line break between English words as a space: inside a sentence a line break is a
    hard wrap ('closed\\nat HK$5.20' reads as 'closed at'; same length, so offsets hold). Between ideographs it
    stays: a space there would break the clause (clauses._SPACE_BREAK), a line break does not."""
    return _LATIN_WRAP.sub(" ", s) if "\n" in s else s


def _kind(q: Quantity) -> str:
    return "money" if q.is_money else q.unit


_ASIDE = re.compile(r"^\s*[(（][^()（）]{0,40}[)）]")
# an English count noun the number scanner kept (a scale word, '1 million', is part of the number, not its noun)
_RAW_NOUN = re.compile(r"(?<=[\d\s])(?!(?:hundred|thousand|million|billion|trillion|mn|bn|m|k)\b)[A-Za-z][A-Za-z -]*$",
                       re.I)
_BRACKETED = re.compile(r"^\s*[(（]\s*(?:or|up|down|涨|升|跌|上涨|下跌)?\s*$", re.I)  # a figure opening brackets
# an English clause with a subject and verb of its own before the figure ('..., its costs were $61m', '; the debt
# stood at', 'and the stock soon traded at $17'): the sentence's earlier clauses are about another subject, so their
# cues do not name this figure's role
_OWN_SUBJECT = re.compile(r"^\s*(?:and |but |while |whereas |although )?(?:the |its |their |a |an )?[a-z][a-z'-]*"
                          r"(?: [a-z][a-z'-]*){0,3} (?:was|were|is|are|stood at|came to|totall?ed|amounted to|"
                          r"(?:moved|rose|climbed|jumped|fell|dropped|slid|traded|changed hands) (?:to|at))"
                          r"(?: about| around| nearly| almost| roughly| some| just)?\s*$", re.I)
# a table-like row: a short English key at the start of its line, then a colon or nothing ('Deal Size USD 120 million',
# 'Lot size: 500 shares'); the key names the figure as 'key of figure' would ('lot size of', 'proceeds of')
_TABLE_KEY = re.compile(r"(?:^|\n)\s*([A-Za-z][A-Za-z()/ -]{1,40}?)\s*[:：]?\s*(?:USD|HKD|RMB|CNY|US\$|HK\$|\$)?\s*$")
_SHARES_AFTER = re.compile(r"\s?(?:新)?[AH]?股(?!东|价|市|票)")


# How a figure's role was chosen (``Claim._role``). The figure's own words: "cue" (a cue next to it: since the
# previous figure or right after it), "clause" (a cue further back in its clause), "table" (its row's key), "noun"
# (its own noun, '500名'), "unit" (its unit, '5nm'), "list" (a `分别` list's names, claim_lists); weaker: a cue in
# another clause of the sentence ("sentence"), the topic of an earlier figure ("carried"), a neighbouring figure
# ("neighbour"), the measure word ("measure"), a generic head noun ("head"); "none": unassigned. verdict_evidence
# trusts the first group (OWN_WORDS, with the measured precision of each).
ROLE_BASES = ("cue", "table", "noun", "clause", "sentence", "carried", "neighbour", "unit", "measure", "head", "list",
              "none")
_KEYED = frozenset(("cue", "table", "noun", "clause", "sentence", "neighbour", "unit"))  # a role a topic carries
# the bases read from the figure's own words. Measured on the tune material (news-dev dev and the pools' tune halves,
# matched figures whose metric agrees with the label): a cue next to the figure 0.88, a cue further back in its
# clause 0.88, a list's names 6/6; a sentence's cue 0.63, a carried topic 0.71, a neighbour 0.67, a measure word
# 0.36, a head noun 0.20. "label": a role given from outside (a labelled corpus), "": a claim no role pick made
# (dates: claim_dates reads the event words next to them)
OWN_WORDS = frozenset(("cue", "clause", "table", "noun", "unit", "list", "label", ""))


def keyed(basis: str) -> bool:
    """Whether a role of this basis is the topic later figures of the paragraph may continue."""
    return basis in _KEYED


def _pick_metric(q: Quantity, lead: str, trail: str, sentence_lead: str, carry: dict[str, str]) -> tuple[str, str]:
    """(metric, basis): the cue nearest the figure in its clause (the words since the previous figure, then the
    words right after it), else the nearest in the clause, else in the sentence; conflicting cues leave it
    unassigned. ``basis`` says which of these chose it (``ROLE_BASES``)."""
    lex = lexicon()
    kind = _kind(q)
    if kind == "count" and q.noun is None and (q.value or 0) >= 10_000 and _SHARES_AFTER.match(trail):
        kind = "shares"  # '4亿新股': shares, not a count of IPOs (no market lists ten thousand at once)
    sentence_lead, lead = _unwrapped(sentence_lead[-_REACH:]), _unwrapped(lead)
    if kind in lex.by_unit:
        return lex.by_unit[kind], "unit"
    if q.noun in lex.by_noun:
        return lex.by_noun[q.noun], "noun"
    # '这一数字跃升至6203万元' continues the topic; '(约合5.53亿港元)' restates the figure before in another currency
    value = q.value if kind == "money" else None  # a money role must fit the figure's size (lexicon `scale`)
    if kind == "pct" and _BRACKETED.match(lead) and carry.get("money") in lex.price_returns:
        return lex.price_returns[carry["money"]], "neighbour"  # '$83.23 (168%)': the move to the price just before
    if kind in carry and (_CONTINUES.search(lead) or (kind == "money" and _RESTATED.match(lead))
                          or _COMPARED.search(lead)) and lex.fits(carry[kind], value):
        return _carried(carry[kind], q, sentence_lead, trail), "carried"
    c_start = clause_start(sentence_lead)
    n_start = max(c_start, len(sentence_lead) - len(lead))
    after = _up_to_sentence_end(_after_window(trail, q.raw))  # after-cues are anchored at the figure
    if aside := _ASIDE.match(after):  # '620亿港元(约合572亿元人民币) IPO': a bracketed aside is skipped
        after = after[aside.end():]
    if kind == "count" and (noun := _RAW_NOUN.search(q.raw)):
        after = " " + noun[0] + after  # 'about 4,000 employees' read as one figure: its noun is its after-cue
    if kind == "count" and (said := reordered_count(lead)):
        return said, "cue"
    # the words since the previous figure (with those after it), else the clause, else the sentence
    pick = lex.pick_nested(kind, sentence_lead, (n_start, c_start), after, value)
    basis = "cue" if n_start == c_start or not pick.metric or \
        lex.pick_nested(kind, sentence_lead, (n_start,), after, value).metric == pick.metric else "clause"
    own_subject = c_start > 0 and _OWN_SUBJECT.match(sentence_lead[c_start:]) is not None
    if not (pick.metric or pick.conflict) and (row := _TABLE_KEY.search(sentence_lead)):
        pick, basis = lex.pick_nested(kind, row[1] + " of ", (0,), after, value), "table"
    wide = not (pick.metric or pick.conflict) and c_start > 0 and not own_subject
    if wide:
        pick, basis = lex.pick_nested(kind, sentence_lead, (0,), "", value), "sentence"
        if pick.metric and kind_after(sentence_lead, pick.cue) not in (None, kind):
            pick = Pick(None)  # 'dropped 21% …, despite bids for 530 times': the cue is the 21%'s, not the multiple's
    if pick.conflict:
        return UNASSIGNED, "none"
    if pick.metric and kind == "pct" and pick.metric == "first_day_return" and lex.words["move_only"].match(lead) \
            and carry.get("money") in lex.price_returns:
        # '一度升至7.2港元,升幅44%': a bare move in the clause right after a price is the move to that price (its own
        # words, when those after it name the same move: 'ended at $9, up 12% from the IPO price')
        moved = lex.price_returns[carry["money"]]
        return moved, "cue" if lex.pick(kind, "", after, value).metric == moved else "neighbour"
    if pick.metric:
        if wide and kind in carry and _sharpens(carry[kind], pick.metric) and lex.fits(carry[kind], value):
            # '累计涨幅超过35%，某甲则超过70%': a clause with no cue of its own repeats the predicate of the
            # clause before; the figure there already had the sharper role the sentence's cue is the base of
            return _carried(carry[kind], q, sentence_lead, trail), "carried"
        return pick.metric, basis
    near = sentence_lead[n_start:]
    if kind in carry and lex.fits(carry[kind], value) and not own_subject:
        if lex.words["later"].search(near) and carry[kind] in lex.base_of:
            return lex.base_of[carry[kind]], "carried"  # 'opened 30% higher and then … to 50%': not the open's any more
        return _carried(carry[kind], q, sentence_lead, trail), "carried"
    if kind == "count" and q.noun in lex.by_measure:  # '只有8只首日上扬': stocks, counted by their measure word
        return lex.by_measure[q.noun], "measure"
    # no cue: the generic head noun of the figure's phrase ('对应金额为...') names the kind's most general role
    head = lex.head_role(kind, near, after, value)
    return (head, "head") if head else (UNASSIGNED, "none")


def _sharpens(sharp: str, base: str) -> bool:
    """Whether ``sharp`` is ``base`` sharpened by qualifiers (cumulative_return_since_ipo of first_day_return)."""
    base_of = lexicon().base_of
    for _ in range(4):  # a qualifier chain is short (role_qualify.CHAIN)
        if sharp not in base_of:
            return False
        sharp = base_of[sharp]
        if sharp == base:
            return True
    return False


def _carried(metric: str, q: Quantity, sentence_lead: str, trail: str) -> str:
    """A role carried from the figure before, already sharpened ('90%原是...' -> intl_tranche_pct_initial): its
    plain role when this figure's own words sharpen that differently ('该比例已降至56.5%' -> final)."""
    base = lexicon().base_of.get(metric)
    if base is None:
        return metric
    again = _refine(base, q, sentence_lead, "", trail)
    return base if again not in (metric, lexicon().defaults.get(base, base)) else metric


_NEAR_AFTER = 24  # characters after a figure a qualifier of its sentence is read in, past its own clause


_WORD_REST = re.compile(r"[A-Za-z0-9.]{1,8}")


def _word_rest(trail: str, at: int) -> int:
    """How many characters past ``at`` finish the English word or time a window would cut there ('12:27 p' ->
    '12:27 p.m.'); 0 when ``at`` falls between words."""
    if at == 0 or at >= len(trail) or not trail[at - 1].isascii() or not trail[at - 1].isalnum():
        return 0
    m = _WORD_REST.match(trail, at)
    return m.end() - at if m else 0


def _refine(metric: str, q: Quantity, sentence_lead: str, lead: str, trail: str = "") -> str:
    """The role sharpened by its context (暗盘, 盘中, 开盘 ...: the qualifiers of lexicon/roles.yaml)."""
    if metric == UNASSIGNED:
        return "duration" if q.unit in ("days", "minutes", "hours") else metric
    lex = lexicon()
    ranged_figure = q.qualifier == "range" and metric in lex.ranges
    if not ranged_figure and not lex.has_qualifiers(metric):
        return lex.defaults.get(metric, metric)  # what qualify gives a role no qualifier sharpens
    sentence_lead = _unwrapped(sentence_lead[-_REACH:])
    # a clause stating the basis of this one ('以盘中最高价计, ...') sharpens the figure's role too
    clause = sentence_lead[clause_start(sentence_lead, basis=True):]
    after = trail[:clause_end(trail, q.raw)]
    # after the figure, a sentence's qualifier is read over the figure's own clause and the sentence's next few
    # words ('1137份申请中, 各获分配…'), no further: past them the words are about what follows
    rest = _up_to_sentence_end(trail[:_NEAR_AFTER + _word_rest(trail, _NEAR_AFTER)])
    rest = after if len(after) > len(rest) else rest
    args = (clause + q.raw + after, sentence_lead + q.raw + rest, len(after), len(rest), len(q.raw))
    if ranged_figure:
        # the range's own name first ('原定...range' -> initial), then a return's basis (暗盘 -> grey market); a
        # price range is both bounds, never one of them ('下限')
        ranged = lex.ranges[metric]
        tries = (ranged,) if metric in lex.per_share else (ranged, metric)
        for m in (lex.qualify(t, *args) for t in tries):
            if m not in (ranged, lex.defaults.get(metric, metric)):
                return m
        return ranged
    return lex.qualify(metric, *args)

