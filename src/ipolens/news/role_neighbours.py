"""What a figure's neighbours say about its role: the sentence before, which its qualifiers read when its own opens
by pointing back to it (an anaphor of that sentence's figure, or the basis of a reckoning from it), the figure
right after an earlier cue, which owns that cue, and a predicate written before a count ('…的有N只')."""
from __future__ import annotations

import re
from functools import lru_cache

from .claim_context import _REACH
from .roles import lexicon


@lru_cache(maxsize=1)
def _opens_pointing_back() -> re.Pattern:
    """A sentence opening that points back to the sentence before: an anaphor of its figure ('这一数量约占…', 'These
    shares represent': about that figure's subject) or the basis of a reckoning ('以每手500股计算': from the price
    before); its qualifiers read the sentence before too (lexicon `word_lists`)."""
    words = lexicon().words
    return re.compile(rf"\s*(?:{words['anaphor'].pattern}|{words['reckoning_basis'].pattern})", re.I)


def with_antecedent(text: str, s_start: int, sentence_lead: str) -> str:
    """``sentence_lead`` with the sentence before it when its sentence opens by pointing back (else unchanged)."""
    if not _opens_pointing_back().match(text, s_start, s_start + 12):
        return sentence_lead
    # the sentence before: from the end of the one before it (a line break ends a sentence too)
    stop, floor = max(0, s_start - 1), max(0, s_start - _REACH)  # bounded: no scan back over a long text
    prev = max(at + len(end) - 1 if (at := text.rfind(end, floor, stop)) >= 0 else floor - 1
               for end in ("。", "!", "?", ";", "\n", ". "))
    return text[prev + 1:s_start] + sentence_lead


# the figure right after a cue, by the kind its unit says (a percentage, a multiple, an amount)
_FIGURE_KIND = re.compile(r"\s?(?:[为是达约共合报:]|of|at|about|by)?\s?(?P<cur>(?:HK|US|S)?\$)?\s?[\d.,]+\s?"
                          r"(?:(?P<pct>%|per ?cent)|(?P<x>倍|times)|(?P<money>[亿万]?(?:港元|美元|元)|(?:million|billion)))?",
                          re.I)


def kind_after(sentence_lead: str, cue: str) -> str | None:
    """The kind of the figure right after the last ``cue`` in ``sentence_lead``: that figure owns the cue."""
    at = sentence_lead.rfind(cue)
    m = _FIGURE_KIND.match(sentence_lead, at + len(cue)) if at >= 0 else None
    if m is None:
        return None
    return "pct" if m["pct"] else "x" if m["x"] else "money" if (m["cur"] or m["money"]) else None


# 'P的有N只' ('破发的有4只') is 'N只P' reordered: the predicate before 的有, within the figure's clause
_PREDICATE_HAS = re.compile(r"([^,，;；:：。!?\s]{1,14}?)的(?:新股|公司|企业|股票)?(?:有|共有)\s?$")


def reordered_count(lead: str) -> str | None:
    """The role of a count written after its predicate ('破发的有4只' = '4只破发'): the count after-cue the
    predicate, or its longest tail, starts with (None when there is no such predicate or no cue)."""
    m = _PREDICATE_HAS.search(lead[-24:])
    said = m[1] if m else ""
    for i in range(len(said)):
        pick = lexicon().pick("count", "", said[i:])
        if pick.metric:
            return pick.metric
    return None
