"""Names the ledger does not know: a company introduced with its listing code ('Hygeia Healthcare (6078.HK)',
'Circle Internet Group (NYSE: CRCL)') is one company for this text, whether or not the gazetteer holds it.

With a known code the name becomes a mention of that code's entity (a surface the alias table lacks); with an unknown
code it is an entity of its own, 'NEW:<name>', so two unknown companies of one article are not grouped as one. A NEW
key never reaches a ledger entity: a known alias inside the name (not at its start) is part of the name, not a match.
Later mentions of the name's short forms (the name itself, its first word) corefer to it.
(Names known only by a company word, 'X Holdings' or 'X科技', were measured: they split the identity groups and the
repeat merging of figures that had no entity before, and lost confirmations on the held-out pools.)
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, NamedTuple

__all__ = ["local_names", "NAME_OPENERS", "NOT_NAME_WORDS"]

_LEXICON = Path(__file__).with_name("lexicon") / "entities.yaml"


def _words(key: str) -> frozenset[str]:
    import yaml

    with open(_LEXICON, encoding="utf-8") as fh:
        return frozenset(str(w).lower() for w in (yaml.safe_load(fh).get(key) or []))


NAME_OPENERS = _words("name_openers")
NOT_NAME_WORDS = _words("not_name_words")

# a listing code right after a name: a 4-6 digit code (optionally with its exchange), or a ticker after its exchange
# ('(IPO)' is no code). The match opens where the white space before the bracket opens: the look-behind skips a
# start inside a run of spaces, which would rescan the run from every position of it (quadratic on long runs).
_LISTING = re.compile(r"(?<!\s)(?:\s*[(（]\s*(?:(?:NASDAQ|NYSE|HKEX|SEHK|SSE|SZSE|港交所|股份代[號号]|代[碼码]|股票代[碼码])"
                      r"\s*[:：]?\s*)?\d{4,6}(?:\.(?:HK|SH|SZ|SS))?\s*[)）]"
                      r"|\s*[(（]\s*(?:NASDAQ|NYSE|HKEX|SEHK)\s*[:：]\s*[A-Z]{1,5}\s*[)）])")
_WORD = r"(?:[A-Z][A-Za-z0-9&'\-]*|(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,})"  # capitalised; a word of digits only is no name
_NAME_BEFORE = re.compile(rf"\b((?:{_WORD}\s+(?:(?:and|of|&)\s+)?){{0,4}}{_WORD})$")
_QUALIFIER = re.compile(r".*\b[A-Za-z]+-(?:listed|based|headquartered|backed|owned)\s+")  # 'Hong Kong-listed X'
_LISTED_MARKETS = ("HK", "SH", "SZ", "US")


class _Mention(NamedTuple):  # the gazetteer's Mention fields (it builds its own from these)
    start: int
    end: int
    key: str
    surface: str


def local_names(text: str, known: list) -> list[_Mention]:
    """Mentions of listing-introduced names that ``known`` (the gazetteer's mentions, by start) does not cover, and
    of their short names after them."""
    intro: list[tuple[int, int, str, list[str]]] = []  # start, end, key, short names
    for code in _listings(text):
        before = _NAME_BEFORE.search(text, max(0, code.start() - 80), code.start())
        if not before:
            continue
        s, e, words = _trim_lead(text, before.start(1), before.end(1))
        if words:
            key = _known_key(text, s, e, code, known) or "NEW:" + words
            intro.append((s, e, key, _shorts(words)))
    out: list[_Mention] = []
    names: dict[str, str] = {}
    for s, e, key, shorts in sorted(intro):
        # a name that opens with a known alias is that alias's company (the gazetteer's mention stands)
        if any(m.start <= s < m.end for m in known) or any(x.start < e and s < x.end for x in out):
            continue
        out.append(_Mention(s, e, key, text[s:e]))
        for short in shorts:
            names.setdefault(short, key)
    for short, key in names.items():
        first = min(m.start for m in out if m.key == key)
        for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])", text):
            s, e = m.span()
            if s > first and not any(x.start < e and s < x.end for x in (*known, *out)):
                out.append(_Mention(s, e, key, m[0]))
    return sorted(out)


_BRACKET = re.compile(r"[(（]")


def _listings(text: str) -> Iterator[re.Match]:
    """``_LISTING.finditer(text)``, tried only where a match can open: every match is the white space right before a
    bracket and what follows it, so each bracket (found by a fast scan) gives the one start to try. (The pattern
    searched at every position cost a tenth of a microsecond per character.)"""
    pos = 0
    for b in _BRACKET.finditer(text):
        s = b.start()
        if s < pos:
            continue  # inside the match before
        while s > pos and text[s - 1].isspace():  # (str.isspace is the regex engine's \s)
            s -= 1
        m = _LISTING.match(text, s)
        if m is not None:
            yield m
            pos = m.end()


def _known_key(text: str, s: int, e: int, code: re.Match, known: list) -> str | None:
    """The known company the name is after all: the code after it is known, or a known alias inside it is preceded
    only by words that open many names."""
    for m in known:
        if m.start < code.end() and code.start() < m.end and m.key.split(":")[0] in _LISTED_MARKETS:
            return m.key
    for m in known:
        if s < m.start and m.end <= e and all(w.lower() in NAME_OPENERS for w in text[s:m.start].split()):
            return m.key
    return None


def _shorts(words: str) -> list[str]:
    """'Hygeia Healthcare' -> the name itself and its first word, unless that opens many names."""
    parts = words.split()
    out = [words]
    if len(parts) > 1 and len(parts[0]) >= 4 and parts[0].lower() not in NAME_OPENERS:
        out.append(parts[0])
    return out


def _trim_lead(text: str, s: int, e: int) -> tuple[int, int, str]:
    """The span [s, e) less its opening words that are no part of a name ('The Hong Kong-listed Hygeia' -> 'Hygeia')."""
    if q := _QUALIFIER.match(text, s, e):
        s = q.end()
    words = text[s:e]
    while True:
        head, _, rest = words.partition(" ")
        if not rest or head.lower() not in NOT_NAME_WORDS:
            break
        words = rest.lstrip()
        s = e - len(words)
    return s, e, ("" if words.lower() in NOT_NAME_WORDS else words)
