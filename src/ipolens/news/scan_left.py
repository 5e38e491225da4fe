"""The words right before a number: a qualifier then a currency ('约', 'HK$', 'more than $'), read from the
lexicon's word tables (lexicon/numbers.yaml). ``_left`` gives the match of those words that ends right before a
number core; the scanner (numbers.py) decides what they make of the figure."""
from __future__ import annotations

import re

from .cue_filter import ascii_case_forms
from .number_patterns import _LEX, _alternation

_ALL_BEFORE = {w: q for lang in _LEX["qualifiers_before"].values() for w, q in lang.items()}
_ALL_PREFIX = {w: c for group in _LEX["currency_prefixes"].values() for w, c in group.items()}

# Left context: qualifier then currency, ending right before the core.
# A space, not a line break: '约' at the end of one line does not qualify a figure on the next ('约\n\n9'; \Z, as
# $ would also match before a final newline).
# An English qualifier is a whole word: 'over' in 'turnover $5m' or 'close to' in 'disclose to' is none.
_WORD_BEFORE = {w for w in _ALL_BEFORE if w[0].isascii() and w[0].isalpha()}
_LEFT = re.compile(
    rf"(?:(?P<q>(?<![A-Za-z])(?:{_alternation(_WORD_BEFORE)})|{_alternation(set(_ALL_BEFORE) - _WORD_BEFORE)})"
    rf"[^\S\n]?)?"
    rf"(?P<c>{_alternation(_ALL_PREFIX)})?[^\S\n]?\Z", re.I)

# The last character of every left-context word (both cases): a number whose neighbour (past at most two spaces) is
# none of them has no qualifier or currency before it, and the scan skips the regex search.
_LEFT_LAST = frozenset(c for w in (*_ALL_BEFORE, *_ALL_PREFIX) for c in (w[-1].lower(), w[-1].upper()))


# _LEFT tried only where it can start: on a space, on the first character of one of its words (in every case form
# the engine accepts), or at the end (the empty match); elsewhere it cannot match, so the search finds the same match
_LEFT_FIRST = frozenset(f for w in (*_ALL_BEFORE, *_ALL_PREFIX)
                        for f in (ascii_case_forms().get(w[0], {w[0]}) if w[0].isascii() else {w[0], w[0].lower(),
                                                                                                  w[0].upper()}))
_LEFT_AT = re.compile(rf"(?=[{''.join(map(re.escape, sorted(_LEFT_FIRST)))}\s])(?:{_LEFT.pattern})|\Z", _LEFT.flags)


def _left(text: str, s: int) -> re.Match | None:
    """_LEFT on the 16 characters before ``s``, searched only when a word of it can end there."""
    j = s - 1
    while j >= s - 2 and j >= 0 and text[j].isspace() and text[j] != "\n":  # 约 HK$ 5: a space each side of HK$
        j -= 1
    if j < 0 or text[j] not in _LEFT_LAST:
        return _LEFT_AT.search(text[j + 1:s]) if j + 1 < s else None  # the spaces alone
    # one character more than the 16, not matched from: an English word's look-behind (?<![A-Za-z]) sees the letter
    # before the window ('in' of 'margin excess of HK$5' is no qualifier)
    lo = max(0, s - 17)
    return _LEFT_AT.search(text[lo:s], s - 16 - lo if s >= 16 else 0)
