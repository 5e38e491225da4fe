"""Tables in an article: rows of cells whose figures have no clause of their own.

A deal-term box, an IPO statistics table or a debut summary prints a figure in a cell; the words that say what it
is stand in its column header and its row label, not before it. ``read_tables`` finds the table blocks of a
(normalised) text in one pass over its lines: rows split by '|' or box-drawing bars (markdown rule lines included),
tab-separated rows, columns aligned by two or more spaces over consecutive rows of the same width, runs of short
``key: value`` lines, and the one-cell-per-line layout scraped pages leave ('招股价' / '|' / '28.0000' / '|').
Each cell that holds a figure gets a role clause, ``key`` (its row label, then its column header; for a two-column
table without header, the key), and the span of its row label (the entity it may name). ``reread`` reads a figure
of a cell in that clause, with the unit its header gives a bare figure. Offsets index the text given.
The vocabulary is data: ``lexicon/tables.yaml``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .table_vocab import numeric, reread, unit_of, vocab

__all__ = ["Cell", "Tables", "read_tables", "reread"]  # reread: table_vocab

_GAP_LINES = 3  # wrapped cells of a scraped row: this many short lines without a bar may sit inside a bar table
_SHORT = 24  # such a line is this short at most
_CELL_MAX = 40  # an aligned or key/value cell longer than this is prose
_ALIGNED_ROW_MAX = 120
_KV = re.compile(r"^\s*(?:[-•·*]\s*)?([^\d:：,，。;!?]{1,20}?)\s*[:：]\s*([^:：。;!?]{1,40}?)\s*$")
_LABEL = re.compile(r"[A-Za-z\u4e00-\u9fff]")




@dataclass(frozen=True)
class Cell:
    start: int  # the cell's text, trimmed
    end: int
    row: tuple[int, int]  # the row's line
    key: str  # the role clause: row label and column header
    label: tuple[int, int] | None  # the row's label cells before its first figure: the entity a row may name
    unit: str  # written after a bare figure of the cell ('' when the header names no unit)
    grid: bool = False  # under a column header: each row is about what its label names, not about the text's subject


class Tables:
    def __init__(self, cells: list[Cell], blocks: list[tuple[int, int]]):
        self.cells = sorted(cells, key=lambda c: c.start)
        self.starts = [c.start for c in self.cells]
        self.blocks = blocks

    def __len__(self) -> int:
        return len(self.blocks)

    def cell_at(self, pos: int) -> Cell | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.cells[i].start <= pos < self.cells[i].end:
            return self.cells[i]
        return None


def _lines(text: str, start: int):
    pos = start
    for line in text[start:].split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _split(line: str, s: int, sep: re.Pattern) -> list[tuple[int, int]]:
    """Trimmed cell spans of a row (the empty ends a leading or trailing bar leaves are dropped)."""
    cells, at = [], 0
    for m in [*sep.finditer(line), None]:
        end = m.start() if m else len(line)
        raw = line[at:end]
        lo = at + len(raw) - len(raw.lstrip())
        hi = max(lo, end - (len(raw) - len(raw.rstrip())))
        cells.append((s + lo, s + hi))
        at = m.end() if m else end
    if cells and cells[0][0] == cells[0][1]:
        cells = cells[1:]
    if cells and cells[-1][0] == cells[-1][1]:
        cells = cells[:-1]
    return cells


def _kind(line: str) -> str:
    v = vocab()
    if not line.strip():
        return "blank"
    if v.rule.match(line):
        return "rule"
    if v.bar.search(line):
        return "bar"
    if "\t" in line.strip():
        return "tab"
    if len(line) <= _ALIGNED_ROW_MAX and len(re.split(r" {2,}", line.strip())) >= 2:
        return "aligned"
    if _KV.match(line):
        return "kv"
    return "short" if len(line.strip()) <= _SHORT else "text"


def read_tables(text: str, start: int = 0) -> Tables:
    """The tables of ``text`` from ``start`` on."""
    lines = [(s, e, ln, _kind(ln)) for s, e, ln in _lines(text, start)]
    cells: list[Cell] = []
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        kind, j, found = lines[i][3], i + 1, []
        if kind in ("bar", "rule"):
            gap = 0
            while j < len(lines) and (lines[j][3] in ("bar", "rule") or
                                      (lines[j][3] in ("short", "aligned") and gap < _GAP_LINES)):
                gap = gap + 1 if lines[j][3] not in ("bar", "rule") else 0
                j += 1
            while j > i and lines[j - 1][3] not in ("bar", "rule"):
                j -= 1
            lo = i - 1 if i > 0 and lines[i - 1][3] == "short" else i  # a stacked table's first key
            found = _bar_block(text, lines[lo:j])
        elif kind in ("tab", "aligned", "kv"):
            while j < len(lines) and lines[j][3] == kind:
                j += 1
            found = _uniform_block(text, lines[i:j], kind) if j - i >= 2 else []
        if found:
            cells.extend(found)
            blocks.append((lines[i][0], lines[j - 1][1]))
        i = j
    return Tables(cells, blocks)


def _rows(text: str, block, sep: re.Pattern | None) -> list[tuple[tuple[int, int], list[tuple[int, int]], bool]]:
    out = []
    for s, e, line, kind in block:
        if kind == "rule":
            if out:
                out[-1] = (out[-1][0], out[-1][1], True)  # a markdown header: the row above a rule
            continue
        if sep is None:  # aligned columns: split on runs of two or more spaces
            spans = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]
        elif kind in ("bar", "tab"):
            spans = _split(line, s, sep)
        else:
            spans = [(s + len(line) - len(line.lstrip()), s + len(line.rstrip()))] if line.strip() else []
        if spans:
            out.append(((s, e), spans, False))
    return out


def _bar_block(text: str, block) -> list[Cell]:
    rows = _rows(text, block, vocab().bar)
    wide = [r for r in rows if len(r[1]) >= 2]
    if len(wide) >= 2:
        while len(rows[0][1]) < 2:  # a title line above the grid
            rows = rows[1:]
        head, h = rows[0], len(rows[0][1])
        widths = [len(sp) for _, sp, _ in rows[1:]]
        if head[2] and widths and max(widths) <= h and min(widths) < h:  # scraped rows wrap: cells as a stream
            rows = [head] + _stream_rows(text, head[0][1] + 1, block[-1][1], h)
        return _grid(text, rows)
    # one cell a line: a key, then its figure (two such pairs at least: one line with bars is no table)
    cells, prev, pairs = [], None, 0
    for line, spans, _ in rows:
        if len(spans) == 1:
            s, e = spans[0]
            if numeric(text[s:e]) and prev is not None:
                key = text[prev[0]:prev[1]]
                cells.append(Cell(s, e, line, key, prev, unit_of(key)))
                prev, pairs = None, pairs + 1
            else:
                prev = (s, e) if _LABEL.search(text[s:e]) and not numeric(text[s:e]) else None
        else:
            cells.extend(_grid(text, [(line, spans, False)], prev_key=text[prev[0]:prev[1]] if prev else ""))
            prev = None
    return cells if pairs >= 2 else []


def _stream_rows(text: str, lo: int, hi: int, width: int):
    """Rows of ``width`` cells read from text[lo:hi] split at bars only: a scraped page wraps a row over lines, a
    cell over lines ('$0.00' / '(0.0%)'), and a row ends after its last bar. Rule lines are skipped."""
    v = vocab()
    rows, spans, row_lo = [], [], None
    at = lo
    for m in [*v.bar.finditer(text, lo, hi), None]:
        end = m.start() if m else hi
        piece = text[at:end]
        if piece.strip() and not v.rule.match(piece.strip()):
            ps = at + len(piece) - len(piece.lstrip())
            pe = end - (len(piece) - len(piece.rstrip()))
            row_lo = ps if row_lo is None else row_lo
            spans.append((ps, pe))
        if len(spans) == width or (m is None and spans):
            rows.append(((row_lo, spans[-1][1]), spans, False))
            spans, row_lo = [], None
        at = m.end() if m else hi
    return rows


def _uniform_block(text: str, block, kind: str) -> list[Cell]:
    if kind == "kv":
        cells = []
        for s, e, line, _ in block:
            m = _KV.match(line)
            key, (vs, ve) = m[1], (s + m.start(2), s + m.end(2))
            if numeric(m[2]):
                cells.append(Cell(vs, ve, (s, e), key, (s + m.start(1), s + m.end(1)), unit_of(key)))
        return cells if len(cells) >= 2 else []
    rows = _rows(text, block, re.compile("\t") if kind == "tab" else None)
    if len({len(sp) for _, sp, _ in rows}) != 1 or len(rows[0][1]) < 2:
        return []  # ragged: not columns
    if any(e - s > _CELL_MAX for _, sp, _ in rows for s, e in sp):
        return []
    if not any(numeric(text[s:e]) for _, sp, _ in rows for s, e in sp):
        return []
    return _grid(text, rows)


def _grid(text: str, rows, prev_key: str = "") -> list[Cell]:
    """Cells of a grid: the first row is a header when none of its cells is a figure and a figure row follows. A
    header names the columns of rows as wide as it (of rows up to half as wide under a markdown header: scraped rows
    wrap); a figure's role clause is the nearest label cell on its left, then its column header."""
    header: list[str] = []
    ruled = False
    first = rows[0][1]
    if len(rows) >= 2 and len(first) >= 2 and not any(numeric(text[s:e]) for s, e in first):
        phrases = vocab().phrases
        header = [phrases.get(text[s:e].lower(), text[s:e]) for s, e in first]
        ruled = rows[0][2]
        rows = rows[1:]
    cells = []
    for line, spans, _ in rows:
        if len(spans) < 2 and not prev_key:
            continue  # a lone figure line inside a grid is read as text
        labels = [(s, e) for s, e in spans if not numeric(text[s:e]) and _LABEL.search(text[s:e])]
        figs = [s for s, e in spans if numeric(text[s:e])]
        lead = [lab for lab in labels if figs and lab[1] <= figs[0]]  # 'ZRB | Zeta Robotics |': a name may follow
        row_label = (lead[0][0], lead[-1][1]) if lead else labels[0] if labels else None
        n, h = len(spans), len(header)
        use_header = h and (n == h or (ruled and n < h <= 2 * n))
        for k, (s, e) in enumerate(spans):
            if not numeric(text[s:e]):
                continue
            head = header[k] if use_header else ""
            near = next((lab for lab in reversed(labels) if lab[1] <= s), None)
            row_key = text[near[0]:near[1]] if near else prev_key
            key = f"{row_key} {head}".strip()
            cells.append(Cell(s, e, line, key, row_label, unit_of(head) or unit_of(row_key),
                              bool(head)))
    return cells


