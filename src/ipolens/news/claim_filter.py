"""Whether a number is a claim at all ('3人' in a story, '过去两年' framing one are not), and the count role a bare
number takes from the words right around it.

Apart from claim_roles.py because these decide what enters the claim list; claim_roles.py names each claim's metric.
"""
from __future__ import annotations

import re

from .numbers import Quantity
from .quantity import with_values as replace  # dataclasses.replace, for a Quantity, faster
from .roles import lexicon

_PLAIN_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})?")  # a version is short: 3, 5.0, 3.2


# 'sold 30 million shares, while holders sold another 5 million': more of the same, its unit elided
_MORE_OF = re.compile(r"\b(?:another|a further|an additional|an extra)\s\Z", re.I)
_SHARES_BEFORE = re.compile(r"\d(?:\s?(?:million|billion|thousand|mn|bn))?\s(?:[A-Za-z-]+\s){0,3}?shares\b", re.I)


def _counted(q: Quantity, trail: str, lead: str = "", sentence_lead: str = "") -> Quantity:
    """'2.6万份申请', '58,400 applications were valid': a bare number whose count role is named right after it, or
    right before it ('申请人数约20万': the cue within the last few characters)."""
    if q.unit is not None or q.text is not None:
        return q
    if q.value >= 1000 and _MORE_OF.search(lead[-16:]) and _SHARES_BEFORE.search(sentence_lead):
        return replace(q, unit="shares")
    lex = lexicon()
    if lex.version_before is not None and _PLAIN_NUMBER.fullmatch(q.raw) and lex.version_before.search(lead[-16:]):
        return replace(q, unit="version")  # 'PCIe 5.0': a standard's generation, not an amount
    pick = lex.pick("count", "", trail)
    if not pick.metric and lead:
        # the cue within the last few characters, or the last few words of English ('employs about 6,000')
        pick = lex.pick("count", lead[-24:] if lead[-8:].isascii() else lead[-8:])
    return replace(q, unit="count") if pick.metric else q


# A span of years that measures a record, a ranking streak or a lock-up is a claim.
_RECORD_AFTER = re.compile(r"^[^,。;]{0,10}?(?:以来|来|最|首次|首度|第一|新低|新高|record|largest|biggest|lock-?up)", re.I)
_RECORD_BEFORE = re.compile(r"连续|历时|长达|禁售|锁定")
# a lock-up's length, named in English words before the span ('the lock-up period lasts six months')
_LOCKUP_BEFORE = re.compile(r"\block-?up\b[^,.;]{0,40}\Z|\b(?:locked up|barred from selling)\b[^,.;]{0,20}\Z", re.I)
# 'the quietest month in nearly four years', 'the region's biggest float in eight years': a superlative over the span
_SUPERLATIVE_IN = re.compile(r"\b(?:\w+est|biggest|largest|best|worst|most|least)\b[^,.;]{0,40}\bin\s(?:\w+\s)?\Z", re.I)
_PEOPLE_CUE = re.compile(r"员工|雇员|职员|人数|共有|合共|申请|获配|认购|中签|获额外")


def _is_claim(q: Quantity, sentence_lead: str, lead: str, trail: str = "") -> bool:
    if q.unit is None:
        return False
    if q.unit == "count" and q.noun == "人" and not (_PEOPLE_CUE.search(lead) or _PEOPLE_CUE.match(trail, 0, 4)
                                                    or _PEOPLE_CUE.search(sentence_lead[-12:])):
        return False  # '3人' in a story is narrative; applicants, winners and staff are figures
    if q.unit in ("years", "months") and not (_RECORD_AFTER.match(trail[:14]) or _RECORD_BEFORE.search(sentence_lead[-6:])
                                             or _SUPERLATIVE_IN.search(sentence_lead[-60:])
                                             or _LOCKUP_BEFORE.search(sentence_lead[-40:])):
        return False  # '过去两年', 'the next ten years' frame a story; '10年来首次', '连续八年', '九年新低', 'a 30-year
        # record', 'the biggest float in eight years' are claims
    if q.unit == "count" and q.noun in ("名",) and "第" in lead[-1:]:
        return False
    if q.unit == "pct" and q.raw.startswith("一成") and sentence_lead[-1:] in ("这", "该", "那"):
        return False  # '这一成绩' is 'this result', not 10%
    return True
