"""The sentence a figure's qualifiers read besides its own: the one before, when its own opens by pointing back to it
(an anaphor of that sentence's figure, or the basis of a reckoning from it)."""
from __future__ import annotations

import re

from .claim_context import _REACH

# a sentence opening with an anaphor of the figure before ('这一数量约占…', '该等股份', 'These shares represent') is
# about that figure's subject, one opening with the basis of a reckoning ('以每手500股计算') reckons from the price
# before: its qualifiers read the sentence before too
_ANAPHOR = re.compile(r"\s*(?:这一数量|该数量|这些股份|该等股份|上述股份|this (?:amount|number|stake)|these shares|"
                      r"(?:以|按)每手[\d,]+股(?:计算|计|为准))", re.I)


def with_antecedent(text: str, s_start: int, sentence_lead: str) -> str:
    """``sentence_lead`` with the sentence before it when its sentence opens with an anaphor (else unchanged)."""
    if not _ANAPHOR.match(text, s_start, s_start + 12):
        return sentence_lead
    # the sentence before: from the end of the one before it (a line break ends a sentence too)
    stop, floor = max(0, s_start - 1), max(0, s_start - _REACH)  # bounded: no scan back over a long text
    prev = max(at + len(end) - 1 if (at := text.rfind(end, floor, stop)) >= 0 else floor - 1
               for end in ("。", "!", "?", ";", "\n", ". "))
    return text[prev + 1:s_start] + sentence_lead
