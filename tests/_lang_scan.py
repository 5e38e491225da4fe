"""Shared by the language tests (test_terminal_lang.py, test_cli_lang.py): split a terminal rendering into its text
nodes (table cells, a CJK label and its value) and find in them an English label of the catalogue (a zh rendering),
a Chinese one (an English rendering) or a ledger key printed raw."""
from __future__ import annotations

import re
from functools import lru_cache

from test_report_html import _EDGE, _english_labels

__all__ = ["_EDGE", "_english_labels", "nodes", "english_found", "chinese_found", "raw_keys", "raw_field_keys",
           "proper_names", "unwrap"]

# cells; a CJK label and its value; a CJK lead-in and what follows its colon (注：…)
_SPLIT = re.compile(r"\s{2,}|[│┃]|(?<=[\u3000-\u9fff\uff00-\uffef])\s+|(?<=[\u4e00-\u9fff])[:：]\s*")
_MARKS = re.compile(r"(\s*(\[(\d+|d)\]\*?|…))+$")  # source marks [1] [d] [2]* and an ellipsis after a value
_IDENT = re.compile(r"\b[a-z]+(?:_[A-Za-z0-9]+)+\b")  # a ledger key printed raw (revenue_growth_FY2022_FY2023)
_CJK = re.compile(r"[\u3400-\u9fff]")


def _join(a: str, b: str) -> str:
    if not a or not b:
        return a or b
    return a + b if _CJK.search(a[-1]) or _CJK.search(b[0]) or a.endswith(("-", "/")) else f"{a} {b}"


def unwrap(out: str, width: int) -> str:
    """``out`` with every wrapped table cell and wrapped line joined again: a table row whose first cell is empty
    continues the row above (rich folds a long cell onto several lines), the header lines are one row, and a text
    line as wide as the terminal continues on the next. A label is then a whole cell, and a word of wrapped prose
    ("company" at the end of a folded sentence) is no node of its own."""
    from rich.cells import cell_len

    lines, out_lines = out.splitlines(), []
    i = 0
    while i < len(lines):
        line = lines[i]
        bar = line[:1]
        if bar in ("│", "┃"):
            rows: list[list[str]] = []
            while i < len(lines) and lines[i][:1] == bar:
                cells = [c.strip() for c in lines[i].split(bar)[1:-1]]
                if rows and (bar == "┃" or not cells[0]) and len(cells) == len(rows[-1]):
                    rows[-1] = [_join(a, b) for a, b in zip(rows[-1], cells)]
                else:
                    rows.append(cells)
                i += 1
            out_lines += [bar + " " + f" {bar} ".join(r) + " " + bar for r in rows]
            continue
        text = line.rstrip()
        while (i + 1 < len(lines) and lines[i + 1][:1] not in "│┃┏┡└┌├╭╰━─" and lines[i + 1].strip()
               and cell_len(lines[i]) >= width - 12):
            i += 1
            text = _join(text, lines[i].strip())
        out_lines.append(text)
        i += 1
    return "\n".join(out_lines)


def nodes(out: str) -> set[str]:
    cells = (_MARKS.sub("", c.strip()).strip(_EDGE) for line in out.splitlines() for c in _SPLIT.split(line))
    return {c for c in cells if c}


def proper_names(obj, key: str = "") -> set[str]:
    """Names as the sources state them (a legal name "… Co., Ltd. - H shares"): data, not labels."""
    if isinstance(obj, dict):
        if "name" in key and isinstance(obj.get("value"), str):
            return {obj["value"]}
        return set().union(*(proper_names(v, k) for k, v in obj.items())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(proper_names(v, key) for v in obj)) if obj else set()
    return set()


def _sentence_labels(lang: str) -> dict[str, re.Pattern]:
    """The English sentences of i18n/sentences.yaml (what the use cases write, translated by report.terminal.known)
    as whole-node patterns, built as the labels' are."""
    return _english_labels(lang, "sentences.yaml")


@lru_cache(maxsize=None)
def _label_index(lang: str) -> tuple[dict[str, list[str]], list[tuple[str, re.Pattern]]]:
    """The English labels of ``lang``'s catalogue: fixed ones by their lower-cased text (a dictionary lookup per
    node), templates as patterns (few: only they need a regular expression per node)."""
    labels = {**_english_labels(lang), **_sentence_labels(lang)}
    assert len(labels) > 150  # the catalogue is loaded
    fixed: dict[str, list[str]] = {}
    templates = []
    for key, pat in labels.items():
        body = pat.pattern[1:-1]
        if ".+?" in body:
            templates.append((key, pat))
        else:
            fixed.setdefault(re.sub(r"\\(.)", r"\1", body).lower(), []).append(key)
    return fixed, templates


def english_found(out: str, lang: str, names: set[str] = frozenset()) -> list:
    """(catalogue key, node) for every text node of ``out`` that is an English label of the catalogue."""
    fixed, templates = _label_index(lang)
    data = {n.strip(_EDGE) for n in names}
    found = []
    for n in nodes(out) - data:
        found += [(key, n) for key in fixed.get(n.lower(), ())]
        if re.search(r"[A-Za-z]{2}", n):
            found += [(key, n) for key, pat in templates if pat.match(n)]
    return sorted(found)


@lru_cache(maxsize=None)
def _chinese_labels() -> dict[str, set[str]]:
    """Every Chinese label of the catalogue (either script) that differs from its English, placeholders removed
    (a template is matched by its longest fixed piece)."""
    import yaml
    from pathlib import Path

    import ipolens.i18n

    msgs = yaml.safe_load(Path(ipolens.i18n.__file__).with_name("messages.yaml").read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for key, entry in msgs.items():
        for lang in ("zh-Hans", "zh-Hant"):
            zh = entry.get(lang, "")
            if zh == entry.get("en") or not _CJK.search(zh) or _CJK.search(entry.get("en", "")):
                continue
            piece = max(re.split(r"\{[a-z_]+\}", zh), key=len).strip(_EDGE)
            if len(_CJK.findall(piece)) >= 2:
                out.setdefault(piece, set()).add(key)
    return out


def chinese_found(out: str, data: set[str] = frozenset()) -> list:
    """(catalogue key, node) for every text node of an English rendering that is a Chinese label of the catalogue
    (a whole node, or a node made of the label and numbers); ``data``: nodes that are names or quotes."""
    labels = _chinese_labels()
    found = []
    for n in nodes(out) - set(data):
        bare = re.sub(r"[\d.,%+\-x ]+", "", n).strip(_EDGE)
        if bare in labels:
            found += [(k, n) for k in sorted(labels[bare])]
    return sorted(found)


def raw_keys(out: str) -> list[str]:
    """Field cells (the first of a table row, a section title) holding a ledger key instead of a label."""
    firsts = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│") and line.count("│") > 2]
    titles = [line.strip() for line in out.splitlines() if line and line[0] not in "│┃┏┡└┌├─"]
    return [c for c in firsts + titles if _IDENT.search(c) and "(" not in c]  # a source title's (docs/x.md) aside


_WORD = re.compile(r"(?<![\w:/.\-=])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\-]|\.[a-z])")


@lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    from ipolens.ledger.fields import FIELDS

    return frozenset(n for n in FIELDS if "_" in n)


def raw_field_keys(out: str) -> list[str]:
    """Ledger field names (offer_price, first_day_return) printed anywhere as words, not inside a source id
    (dataset:hk_listings_2018_2022), a path or an option."""
    fields = _field_names()
    return sorted({w for w in _WORD.findall(out) if w in fields})
