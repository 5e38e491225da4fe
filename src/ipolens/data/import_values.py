"""Cells of an imported file as values: numbers with their units (``100,000 USD``, ``HK$1.2bn``, ``12.5亿港元``,
``37%``), list cells (sponsors), and the tiny arithmetic of derived columns. Pure: no files, no ledger."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["CellError", "Number", "parse_number", "split_list", "LIST_SEPARATOR", "Expr", "parse_expr",
           "CELL_MAX"]

LIST_SEPARATOR = "; "  # how a list cell is stored: "CICC; UBS AG, Hong Kong Branch" (split on "; " only)
CELL_MAX = 128 * 1024  # characters: a longer cell is refused (a pasted document, a broken export)


class CellError(ValueError):
    """A cell that cannot be read; the message says why (the caller names file, row and field)."""


# unit tokens, longest first so "HK$" wins over "$" and "bn" over "b"
_CURRENCY = [("HK$", "HKD"), ("US$", "USD"), ("RMB¥", "CNY"), ("RMB", "CNY"), ("HKD", "HKD"), ("USD", "USD"),
             ("CNY", "CNY"), ("港元", "HKD"), ("港币", "HKD"), ("港幣", "HKD"), ("美元", "USD"), ("人民币", "CNY"),
             ("人民幣", "CNY"), ("元", "CNY"), ("¥", "CNY"), ("$", None)]  # a bare $ says nothing for sure
_SCALE = [("billion", 1e9), ("million", 1e6), ("thousand", 1e3), ("bn", 1e9), ("mn", 1e6), ("mm", 1e6),
          ("千万", 1e7), ("百万", 1e6), ("亿", 1e8), ("億", 1e8), ("万", 1e4), ("萬", 1e4), ("b", 1e9), ("m", 1e6),
          ("k", 1e3)]
_CORE = re.compile(r"[+-]?(?:\d[\d,，]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Number:
    value: float
    currency: str | None = None  # from a unit in the cell
    percent: bool = False  # the cell ended in %


def _take(text: str, tokens: list) -> tuple[object, str] | None:
    low = text.lower()
    for tok, val in tokens:
        if low.startswith(tok.lower()):
            return val, text[len(tok):].strip()
    return None


def parse_number(text: str) -> Number:
    """``'100,000 USD'`` -> 100000 USD; ``'HK$1.2bn'`` -> 1.2e9 HKD; ``'12.5亿港元'`` -> 1.25e9 HKD; ``'37%'`` -> 37 %.

    A comma must be a thousands separator: ``19,6`` and ``1,2,3`` are refused (a decimal comma would otherwise
    become 196)."""
    s = text.strip().replace("\u00a0", " ").replace("，", ",")
    m = _CORE.search(s)
    if not m:
        raise CellError(f"not a number: {text!r}")
    core, before, after = m.group(0), s[:m.start()].strip(), s[m.end():].strip()
    if core.endswith(","):  # "1,000, USD": the comma belongs to the text around
        raise CellError(f"not a number: {text!r}")
    if "," in core and not _THOUSANDS.fullmatch(core):
        raise CellError(f"{text!r}: a comma that is not a thousands separator (a decimal comma? write "
                        f"{core.replace(',', '.')!r} or {core.replace(',', '')!r})")
    value = float(core.replace(",", ""))
    currency = None
    if before:
        got = _take(before, _CURRENCY)
        if got is None or got[1]:
            raise CellError(f"not a number: {text!r} (unknown unit {before!r})")
        currency = got[0] or "?"
    percent = False
    if after:
        got = _take(after, _SCALE)
        if got is not None and (not got[1] or not got[1][0].isalpha() or _take(got[1], _CURRENCY)):
            value *= got[0]
            after = got[1]
        if after == "%":
            percent, after = True, ""
        elif after in ("x", "X", "倍", "×"):  # a multiple: 1,234.5x
            after = ""
        elif after:
            got = _take(after, _CURRENCY)
            if got is None or got[1] or currency:
                raise CellError(f"not a number: {text!r} (unknown unit {after!r})")
            currency = got[0] or "?"
    if currency == "?":
        raise CellError(f"{text!r}: '$' alone does not say which dollar; write US$ or HK$")
    if not math.isfinite(value):
        raise CellError(f"not a finite number: {text!r}")
    return Number(value, currency, percent)


# -- list cells -------------------------------------------------------------------------------------------------------
_LIST_SPLIT = re.compile(r"\s*(?:[,，、;；]|\s+and\s+)\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _suffixes() -> tuple[frozenset, tuple]:
    doc = yaml.safe_load((Path(__file__).with_name("legal_suffixes.yaml")).read_text(encoding="utf-8"))
    words = frozenset(_norm(s) for s in doc["suffixes"])
    return words, tuple(re.compile(p, re.IGNORECASE) for p in doc.get("patterns", []))


def _norm(part: str) -> str:
    return re.sub(r"[.\s]+", " ", part).strip().lower()


def is_legal_suffix(part: str) -> bool:
    """A list piece that only continues the name before it ("Limited", "Co", "Hong Kong Branch")."""
    words, patterns = _suffixes()
    return _norm(part) in words or any(p.fullmatch(part.strip()) for p in patterns)


def split_list(text: str) -> list[str]:
    """Names in a list cell: split on , ， 、 ; ； and " and ", keeping legal-name parts with their name
    ("UBS AG, Hong Kong Branch", "X Co., Ltd." stay one name); duplicates dropped, order kept."""
    out: list[str] = []
    for part in _LIST_SPLIT.split(text.strip()):
        part = part.strip()
        if not part:
            continue
        if out and is_legal_suffix(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return list(dict.fromkeys(out))


# -- derived columns: a tiny arithmetic parser (numbers, names, + - * / and parentheses; nothing else) --------------
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|(?P<op>[-+*/()])|(?P<name>[^\s+\-*/()]+))")


@dataclass(frozen=True)
class Expr:
    """A parsed expression: ``names`` it reads; ``evaluate(values)`` computes it (None if a name has no value)."""

    text: str
    tree: tuple
    names: frozenset

    def evaluate(self, values: dict[str, float | None]) -> float | None:
        return _eval(self.tree, values)


def parse_expr(text: str) -> Expr:
    """Parse ``overallotment_shares / shares_offered * 100``; raises CellError on anything else (no eval)."""
    tokens, pos = [], 0
    text = str(text)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise CellError(f"cannot read {text[pos:]!r} in {text!r}")
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    names: set[str] = set()
    i = 0

    def peek():
        return tokens[i] if i < len(tokens) else (None, None)

    def atom():
        nonlocal i
        kind, tok = peek()
        i += 1
        if kind == "num":
            return ("num", float(tok))
        if kind == "name":
            names.add(tok)
            return ("name", tok)
        if tok == "-":
            return ("neg", atom())
        if tok == "(":
            e = expr()
            if peek()[1] != ")":
                raise CellError(f"missing ')' in {text!r}")
            i += 1
            return e
        raise CellError(f"expected a number, a column or '(' in {text!r}")

    def term():
        nonlocal i
        e = atom()
        while peek()[1] in ("*", "/"):
            op = peek()[1]
            i += 1
            e = (op, e, atom())
        return e

    def expr():
        nonlocal i
        e = term()
        while peek()[1] in ("+", "-"):
            op = peek()[1]
            i += 1
            e = (op, e, term())
        return e

    if not tokens:
        raise CellError("empty expression")
    tree = expr()
    if i != len(tokens):
        raise CellError(f"unexpected {tokens[i][1]!r} in {text!r}")
    return Expr(text, tree, frozenset(names))


def _eval(node: tuple, values: dict) -> float | None:
    op = node[0]
    if op == "num":
        return node[1]
    if op == "name":
        return values.get(node[1])
    if op == "neg":
        v = _eval(node[1], values)
        return None if v is None else -v
    a, b = _eval(node[1], values), _eval(node[2], values)
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise CellError("division by zero")
    return a / b
