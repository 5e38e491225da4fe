"""Clauses: the part of a sentence a figure's role is read from.

A clause ends at a clause mark (, ; : and their full-width forms). A clause that only states the basis of the next one
('以盘中最高价计，每手浮盈…', 'at the offer price, the company is worth…') belongs to that next clause: the basis
(intraday high, close, offer price) sharpens the role of the figure after it. Works on the normalised text (NFKC,
simplified script), so the full-width marks are already ASCII.
"""
from __future__ import annotations

import re

__all__ = ["clause_start", "clause_end", "BREAKS", "CLAUSE_BREAK", "SENTENCE_END", "FULL_STOP"]

BREAKS = ",;:"
# not the thousands comma of 4,000: a comma is a break unless a digit sits on both sides (each alternative starts
# with its mark, which lets the regex engine skip fast to the next mark; the look-behind checks the character before
# the comma). One definition for every reader of clauses: a clause cut at '1,000' loses the cue after the number.
_COMMA = r",(?:(?<!\d,)|(?!\d))"
CLAUSE_BREAK = re.compile(r"[;:，；：]|" + _COMMA)
# headlines separate their clauses by spaces ('首日孖展4397亿 超购1273倍 专家料一手难求'): a space between two
# ideographs ends a clause (digits spaced out by a layout, '2 5 0港元', are no break)
_SPACE_BREAK = re.compile(r"(?<=[\u3400-\u9fff])[^\S\n]+(?=[\u3400-\u9fff])")  # (a line break in a sentence is a wrap)
# A full stop ends a sentence unless it ends an abbreviation ('Inc.', 'Ltd.', 'U.S.', an initial): a sentence naming
# 'Hua Hong Semiconductor Ltd.' goes on after it.
_ABBREVIATIONS = ("Inc", "Ltd", "Co", "Corp", "Bhd", "Plc", "Mr", "Ms", "Mrs", "Dr", "Prof", "No", "vs", "St", "Jr",
                  "Sr", "approx", "est", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                  "Dec")
# (the full stop is matched first and the look-behinds, which include it, run only there: a look-behind tried at every
# position of the text would cost a pass per abbreviation)
FULL_STOP = r"\.(?=\s)(?<![A-Za-z.]\.[A-Za-z]\.)(?<!\b[A-Z]\.)" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
# A hard-wrapped paragraph (wire copy breaks its lines mid-sentence) goes on past its line breaks: a newline ends a
# sentence unless the line before it is long (_WRAP_LINE characters or more, no title or short line), ends on a body
# character (an ideograph, a digit, a comma, a lowercase letter) and the next line starts on one, and that line is
# no 'Key: value' metadata or list item.
_WRAP_LINE = 30
_BODY = r"[\u3400-\u9fff\d,a-z]"
_WRAP = (rf"(?<=[^\n]{{{_WRAP_LINE}}}\n)(?<={_BODY}\n)(?={_BODY})(?![^\n:]{{0,10}}:)(?!\d{{1,2}}(?:[)、]|\.(?!\d)))")
SENTENCE_END = re.compile(rf"[。!?;]|\n(?!{_WRAP})|{FULL_STOP}")
# an English subordinate clause after a figure ('off 2.4% at noon, after falling as far as…') is about another
# event: its words do not sharpen the figure before it
_END = re.compile(_COMMA + r"|[;:。!?\n]|" + FULL_STOP + r"|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])|"
                  r"\s(?:after|before|while|whereas)\s(?:an?|the)\b", re.I)
# a clause that states a basis: opens with 以/按/若以/如按/based on/at the … price and closes with 计/计算/来算 or the
# end of an English prepositional phrase (the break follows it directly)
_BASIS = re.compile(r"(?:^|\s)(?:若|如|倘)?(?:以|按|照)[^,;:]{1,40}?(?:计算?|来计|来算|算|估算)\s*$|"
                    r"^\s*(?:based on|at (?:the|its|their)\b)[^,;:]{1,40}$", re.I)


def _last_break(text: str, end: int) -> int:
    """Offset just after the last clause break in ``text[:end]`` (0 when there is none)."""
    comma = text.rfind(",", 0, end)
    while 0 < comma < len(text) - 1 and text[comma - 1].isdigit() and text[comma + 1].isdigit():
        comma = text.rfind(",", 0, comma)  # a thousands comma (see _COMMA)
    mark = max(comma, text.rfind(";", 0, end), text.rfind(":", 0, end)) + 1  # BREAKS
    space = 0
    if " " in text[mark:end] or "\u3000" in text[mark:end]:
        for m in _SPACE_BREAK.finditer(text, mark, end):
            space = m.end()
    return max(mark, space)


def clause_end(trail: str, prev: str = "") -> int:
    """Offset in ``trail`` (the text after a figure) where the figure's clause ends; ``prev``: the figure's last
    character (a space right after '1273倍' is a headline's break)."""
    m = _END.search(prev[-1:] + trail)
    return max(0, m.start() - len(prev[-1:])) if m else len(trail)


def clause_start(lead: str, basis: bool = False) -> int:
    """Offset in ``lead`` (a sentence up to a figure) where the figure's clause starts. With ``basis``, a clause
    right before it that only states the basis of a calculation is part of it."""
    start = _last_break(lead, len(lead))
    if not basis or start == 0:
        return start
    prev = _last_break(lead, start - 1)
    if _BASIS.search(lead[prev:start - 1]):
        return prev
    return start
