"""The vocabulary of tables (``lexicon/tables.yaml``) and the reading of a cell's figure in its role clause: the
header's unit written after a bare figure, a leading currency moved after it, the span kept on the text.
Used by ``ipolens.news.table``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# a date cell ('2021-06-08', '2016.12.07', '12/05/24') is read by the date scanner; '3434.26' is a figure
_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/年]\s*\d{1,2}|\.\d{1,2}\.\d{1,2})|\d{1,2}/\d{1,2}/\d{2,4}")
_SCALED = re.compile(r"[万亿]|million|billion|\bbn\b|\bmn\b", re.I)
_RANGE_TAIL = re.compile(r"\s*(?:-|~|–|至|to)\s*[\d.,]+")


@dataclass(frozen=True)
class _Vocab:
    bar: re.Pattern
    rule: re.Pattern
    bracket: re.Pattern
    bracket_units: dict[str, str]
    header_units: list[tuple[re.Pattern, str, str]]
    currency: re.Pattern  # a currency word ending a cell's text before its figure
    leading: re.Pattern  # a currency word opening a cell
    currencies: dict[str, str]
    phrases: dict[str, str]


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    import yaml

    data = yaml.safe_load((Path(__file__).with_name("lexicon") / "tables.yaml").read_text(encoding="utf-8"))
    seps = "".join(re.escape(s) for s in data["separators"])
    rules = "".join(re.escape(s) for s in data["rule_chars"])
    units = {k.lower(): v for k, v in data["bracket_units"].items()}
    alts = "|".join(re.escape(k) for k in sorted(units, key=len, reverse=True))
    heads = [(re.compile("|".join(re.escape(w) for w in h["words"]), re.I), h["zh"], h["en"])
             for h in data["header_units"].values()]
    curs = {k.lower(): v for k, v in data["leading_currencies"].items()}
    cur_alts = "|".join(re.escape(k) for k in sorted(curs, key=len, reverse=True))
    return _Vocab(re.compile(f"[{seps}]"), re.compile(f"^[{rules}{seps}\\s]*[{rules}]{{3,}}[{rules}{seps}\\s]*$"),
                  re.compile(rf"[(\[]\s*({alts})\s*[)\]]", re.I), units, heads,
                  re.compile(rf"(?:^|\s)({cur_alts})\s*$", re.I), re.compile(rf"({cur_alts})\s*", re.I), curs,
                  {k.lower(): v for k, v in data["header_phrases"].items()})


def numeric(cell: str) -> bool:
    """A figure cell: a number first, after a sign or a currency ('-0.9%', '$101.00', '港元 5.8'); not a date."""
    s = re.sub(r"^[\s+\-−~≈$¥€£(]*(?:(?:HK|US|S)\$)?", "", cell)
    if m := vocab().leading.match(s):
        s = s[m.end():]
    return s[:1].isdigit() and not _DATE.match(s)


def unit_of(key: str) -> str:
    """The unit a header gives a bare figure: a bracketed unit, else a header word's kind."""
    v = vocab()
    if m := v.bracket.search(key):
        return v.bracket_units[m[1].lower()]
    zh = bool(re.search(r"[\u4e00-\u9fff]", key))
    for words, zh_unit, en_unit in v.header_units:
        if words.search(key):
            return zh_unit if zh else en_unit
    return ""


def reread(cell: Cell, q, text: str):
    """(quantity, lead, trail): the figure ``q`` of ``cell`` read in its role clause, its span kept on the text (a
    range the figure opens, '2.80-3.80', is read whole and the span covers it)."""
    from .numbers import bare_money, scan_numbers
    from .quantity import with_values

    v = vocab()
    before = text[cell.start:q.start]
    x = q.end
    if q.unit is None and (m := _RANGE_TAIL.match(text, q.end, cell.end)):
        x = m.end()
    fig, after = text[q.start:x], text[x:cell.end]
    pre = suffix = ""
    if m := v.currency.search(before):  # '港元 28.0000' -> '28.0000港元'
        before, suffix = before[:m.start(1)], v.currencies[m[1].lower()]
    elif "{}" in cell.unit:  # '($M)': '625' -> '$625 million', '$625' -> '$625 million'
        pre, suffix = cell.unit.split("{}")
        if q.unit is not None:
            pre = ""
            suffix = suffix if q.is_money and not _SCALED.search(q.raw) else ""
    elif q.unit is None:
        suffix = cell.unit
    key = v.bracket.sub("", cell.key).strip()
    lead = (f"{key} {before}" if key else before) + pre
    clause = lead + fig + suffix + after
    body = len(lead) + len(fig)

    def orig(p: int) -> int:
        return q.start + p - len(lead) if p <= body else x if p <= body + len(suffix) else x + p - body - len(suffix)

    for vq in bare_money(scan_numbers(clause), clause):
        if vq.start <= len(lead) < vq.end:
            return with_values(vq, start=q.start, end=max(q.end, orig(vq.end))), lead, clause[vq.end:]
    return q, lead, after
