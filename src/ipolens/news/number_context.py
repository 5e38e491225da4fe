"""The words around a figure that decide whether it is stated at all.

* A vague amount under a negation states nothing: '没有数百亿美元的项目' (there are no projects of tens of billions)
  names no figure of anything; '数百亿港元的估值' (a range of valuations) does.
* A small count in Chinese numerals is narrative ('三家公司', '这两家') unless the text lists what it counts right
  after a colon: '涉及三家企业：甲科技、乙能源和丙医药' states a count that the list confirms.
* An English number word is a count when it takes a part of a counted whole: 'three of the five companies',
  'seven of the previous 13 years' (the whole, after 'the', refers back and is no new count), or when a bracketed
  list of as many items follows it: 'four (RLX, BEKE, ARRY, BMBL)'."""
from __future__ import annotations

import re

__all__ = ["negated", "counted_by_list", "partitive", "modified_count", "counts_tallied_noun", "bracket_listed",
           "named_count"]

_NEGATION = re.compile(r"(?:没有|沒有|并无|並無|从无|從無|毫无|毫無|没|沒|无|無)\s?\Z")
# the counted noun phrase (no clause break), a colon, then at least two items joined by 、 / 和 / 及 / 与
_LISTED = re.compile(r"[^,，。;；:：\n]{0,8}?[:：]\s?[^,，。;；\n]{1,40}?(?:、|和|及|与|與)[^,，。;；\n]+")


def negated(text: str, start: int) -> bool:
    """A negation word right before ``start`` (the figure with its qualifier)."""
    return bool(_NEGATION.search(text, max(0, start - 3), start))


def counted_by_list(text: str, end: int) -> bool:
    """The count ending at ``end`` is followed, after its noun, by a colon and a list of what it counts."""
    return bool(_LISTED.match(text, end))


_PARTITIVE = re.compile(r"\s(?:out\s)?of\s(?:the|its|their|these|those|our)\s(?:[a-z-]+\s){0,2}?"
                        r"(?:\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty)\s"
                        r"(?:[A-Za-z-]+\s){0,2}?[a-z]+s\b")


def partitive(text: str, end: int) -> bool:
    """A number word ending at ``end`` counts a part of a whole named after it ('three of the five companies')."""
    return bool(_PARTITIVE.match(text, end))


def _count_nouns() -> str:
    from .number_patterns import _LEX

    return "|".join(sorted((re.escape(w) for w, u in _LEX["units"]["en"].items() if u == "count"), key=len,
                           reverse=True))


# 'Two Chinese companies', 'Five Hong Kong IPO debutants': a number word, one to three capitalised modifiers (places,
# nationalities, acronyms), then a plural noun the news counts
_MODIFIED = re.compile(rf"(?:\s(?:[A-Z][A-Za-z-]*|[A-Z]{{2,}})){{1,3}}\s(?:{_count_nouns()})\b", re.I)
_MODIFIED_CASED = re.compile(r"(?:\s(?:[A-Z][A-Za-z-]*))+")


# 'three more firms', 'two further deals': a word adding to a count before the counted noun ('two new companies', a
# description, is left to the capitalised modifiers above)
_ONE_MODIFIER = re.compile(rf"\s(?-i:more|other|additional|further)\s(?:{_count_nouns()})\b", re.I)


def modified_count(text: str, end: int) -> int | None:
    """The end of 'Chinese companies' or 'more firms' after a number word ending at ``end``, or None."""
    m = _MODIFIED.match(text, end)
    if m and _MODIFIED_CASED.match(text, end):  # the modifiers must be capitalised (the search ignores case)
        return m.end()
    m = _ONE_MODIFIER.match(text, end)
    return m.end() if m else None


# 'three (AAA, BBB, CCC) closed under their offer price': a number word right before a bracketed list of as many items
_BRACKET_LIST = re.compile(r"\s?[(（]([^()（）\n]{1,120})[)）]")


def bracket_listed(text: str, end: int, value) -> int | None:
    """The end of a bracketed list right after a number word ending at ``end`` whose items number ``value`` (the list
    confirms the count), or None."""
    m = _BRACKET_LIST.match(text, end)
    if not m:
        return None
    items = [x for x in re.split(r"\s*(?:,|，|、|;|\band\b)\s*", m[1]) if x.strip()]
    return m.end() if len(items) >= 2 and len(items) == value else None


def _tallied() -> re.Pattern:
    from .number_patterns import _LEX

    return re.compile("|".join(re.escape(w) for w in _LEX["cn_counted_nouns"]))


_TALLIED = _tallied()


_REFERS_BACK_CN = "这那该此其各每上述"  # '这两家银行' names banks already counted; it counts nothing new


def counts_tallied_noun(text: str, start: int, end: int) -> bool:
    """The count at [start, end) (with its counter: 七家) counts brokers or banks ('七家券商')."""
    return bool(_TALLIED.match(text, end)) and not (start and text[start - 1] in _REFERS_BACK_CN)


def named_count(text: str, start: int, end: int) -> bool:
    """A small Chinese-numeral count at [start, end) that is a figure: a list names what it counts, or it counts
    brokers, banks, holders or venues (lexicon cn_counted_nouns); otherwise it is narrative ('三家公司', '两大经济体')."""
    return counted_by_list(text, end) or counts_tallied_noun(text, start, end)
