"""Signs of changes: a falling word right before a percentage change makes it negative ('跌2%', 'fell 5 percent',
'sank 15%', '挫逾12%', '跌幅收窄至约26%'), as does a direction right after it ('16.7 percent below its IPO price',
'2.35 percent lower than'); and in the quote form 'change or percent' ('跌0.54元或16.07%', 'down HK$0.5, or 4%') the falling word
signs both the amount and the percentage. A level ('下降至12.5%', 'fell to $20') keeps its sign: 至/to is no bridge."""
from __future__ import annotations

import re

from .cue_filter import required_words
from .regex_ends import may_end_at_end, possible_ends

# The falling word, then at most a linking word, right before the figure (or its qualifier and currency).
# '较招股价9.34元低45.9%': the comparison may name the base price; '跌幅介乎5.7%至7.2%', 'a drop of 10.3%'. A bare
# 低 ('收市价低约2%') or 潜水 (below the offer price) signs too; 最低/高低/降低/偏低 are other words.
_FALL = (r"暴跌|大跌|下跌|下挫|急挫|大挫|挫|泻|插水|插|下滑|下降|收跌|跌幅(?:[^,;。\d]{0,6}?(?:至|到))?|降幅|跌|降|减少|缩水|血洗|"
         r"低开|破发|(?:较|比)[^,;。]{0,12}?低|(?<![最高降偏])低|潜水|"
         r"fell|fall|falls|dropped|drops|declined|slid|slumped|plunged|plummeted|tumbled|lost|down|lower|"
         r"sank|sunk|sinks?|slipped|dipped|shed|retreated|"
         r"(?:drop|decline|fall|loss) of")
# 'sank an average 14%', 'slid on average 6%', 'fell by an average of 5%': an average is still the fall
_LINK = r"\s?(了|为|达|by|介乎|介于|在|分别为|分别|平均|(?:by\s)?(?:an|on)\saverage(?:\sof)?)?\s?"
NEGATIVE = re.compile(rf"(?<![A-Za-z涨])({_FALL}){_LINK}$", re.I)

# 'change or percent': an amount of money just before '或' / ', or' / '(' that a falling word opens
# ('跌0.54元或' -> the 16.07% after it falls too); the amount is a price step, so a small figure with a currency.
_AMOUNT = r"(?:HK\$|US\$|\$)?\s?\d{1,4}(?:\.\d+)?\s?(?:港元|港币|美元|元|港仙|仙|cents?)?"
_CHANGE_OR = re.compile(rf"(?<![A-Za-z涨])({_FALL}){_LINK}{_AMOUNT}\s?(?:或|,\s?or|\s?or|\()\s?$", re.I)
# after a money amount: the bridge that makes it the change of a 'change or percent' pair
_OR_PCT = re.compile(r"\s?(?:或|,\s?or|\s?or|\()\s?[\d.]+\s?(?:%|percent|per cent)", re.I)


# Most figures have no falling word before them: two checks that cannot pass where the patterns cannot match spare
# their searches (each tries the pattern at every position of the window): the window's last character is none a
# match can end with, or none of the words every NEGATIVE match holds is in the window.
_NEGATIVE_ENDS = possible_ends(NEGATIVE)
_CHANGE_OR_ENDS = possible_ends(_CHANGE_OR)
_NEGATIVE_WORDS = required_words(NEGATIVE)
_NEGATIVE_WORD = re.compile("|".join(re.escape(w) for w in sorted(_NEGATIVE_WORDS, key=len, reverse=True)),
                            re.I) if _NEGATIVE_WORDS else None  # (IGNORECASE: as the folded words are found)


def _negative(lead: str) -> re.Match | None:
    """``NEGATIVE.search(lead)``."""
    if not may_end_at_end(lead, _NEGATIVE_ENDS) or (_NEGATIVE_WORD is not None and not _NEGATIVE_WORD.search(lead)):
        return None
    return NEGATIVE.search(lead)


def _change_or(lead: str) -> re.Match | None:
    """``_CHANGE_OR.search(lead)``."""
    return _CHANGE_OR.search(lead) if may_end_at_end(lead, _CHANGE_OR_ENDS) else None


# the direction written after a percentage: '16.7 percent below its IPO price', '2.35 percent lower than', '5% down'
_FALL_AFTER = re.compile(r"\s?(below|lower|down|under)\b", re.I)


def fall_after(text: str, end: int) -> str | None:
    """The falling direction right after a percentage ending at ``end``, or None."""
    m = _FALL_AFTER.match(text, end)
    return m[1] if m else None


def fall_before(text: str, start: int, unit: str | None, end: int | None = None) -> str | None:
    """The falling word that signs the figure at [start, end), or None. A percentage: the word right before it, or
    before the amount it restates ('跌0.54元或16.07%'). An amount of money: only as the change of such a pair."""
    lead = text[max(0, start - 40):start]
    if unit in ("pct", "pp"):
        m = _negative(lead[-20:]) or _change_or(lead)
        return m[1] if m else fall_after(text, end) if end is not None else None
    if end is not None and _OR_PCT.match(text, end):
        m = NEGATIVE.search(lead[-20:])
        if m and m[1] in ("跌", "下跌", "跌了", "down", "fell", "lost", "dropped"):
            return m[1]
    return None
