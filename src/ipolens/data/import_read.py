"""Reading an import file into a header and rows of text: CSV/TSV (UTF-8; LF, CRLF or old-Mac CR line endings),
XLSX (first sheet; a title row and two-row headers with merged group cells are read; merged data cells and
formulas without a cached value are refused, naming the cell) and JSON records
(a list of objects, or an object holding one such list). Every failure is an ``ImportFailed`` naming the file."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from .import_values import CELL_MAX

__all__ = ["ImportProblem", "ImportFailed", "read_table", "numbered", "Rows", "SUFFIXES"]

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json")


@dataclass
class ImportProblem:
    file: str
    row: int | None  # spreadsheet row number (header = 1); JSON: record number + 1; None for whole-file problems
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join([", ".join(where), self.message])


class Rows(list):
    """Data rows, each with the row number a spreadsheet shows for it (``numbers``): 2, 3, … under a one-row
    header; further down under an XLSX title, a two-row header or blank rows."""

    def __init__(self, rows, numbers=None):
        super().__init__(rows)
        self.numbers = list(numbers) if numbers is not None else list(range(2, len(self) + 2))


def numbered(rows: list) -> Iterable[tuple[int, list[str]]]:
    """(row number, row) for the rows ``read_table`` returned: errors name the row the user sees."""
    return zip(getattr(rows, "numbers", None) or range(2, len(rows) + 2), rows)


class ImportFailed(Exception):
    """Every problem of a file (the count is exact: none is dropped)."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _fail(name: str, row: int | None, field: str | None, message: str) -> ImportFailed:
    return ImportFailed([ImportProblem(name, row, field, message)])


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows as strings. Raises ImportFailed for unreadable files (encoding, empty, truncated)."""
    name = str(path)
    if not path.exists():
        raise _fail(name, None, None, "file not found")
    if path.is_dir():
        raise _fail(name, None, None, "a directory, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _fail(name, None, None, f"unsupported file type {suffix!r}; use .csv, .xlsx or .json")
    if suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path)
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise _fail(name, None, None, f"cannot read the file: {exc.strerror or exc}") from None
        if not raw.strip():
            raise _fail(name, 1, None, "file is empty: expected a header row and data rows")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            row = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            raise _fail(name, row, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                        "re-save the file as UTF-8 (GBK/Big5 exports from Excel are common)") from None
        if suffix == ".json":
            header, rows = _read_json(name, text)
        else:
            header, rows = _read_csv(name, text, "\t" if suffix == ".tsv" else ",")
    rows = rows if isinstance(rows, Rows) else Rows(rows)
    problems = []
    for i, r in numbered(rows):
        for j, cell in enumerate(r):
            if len(cell) > CELL_MAX:
                col = header[j] if j < len(header) else f"column {j + 1}"
                problems.append(ImportProblem(name, i, col, f"cell of {len(cell):,} characters; at most "
                                              f"{CELL_MAX:,} (128 KB)"))
    if problems:
        raise ImportFailed(problems)
    return header, rows


def _read_csv(name: str, text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    # old-Mac files end lines with CR alone; CRLF and CR both become LF (inside quotes too)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count('"') % 2 == 1:
        last = text.rfind('"')
        raise _fail(name, text[:last].count("\n") + 1, None, "unterminated quoted field: the file looks truncated")
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 1 << 31 - 1))  # long cells are reported below, by row and column
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise _fail(name, None, None, f"not a readable CSV file: {exc}") from None
    finally:
        csv.field_size_limit(old)
    rows = [r for r in rows if any(c.strip() for c in r)]
    header, body = rows[0], rows[1:]
    width = len(header)
    problems = []
    for i, r in enumerate(body, start=2):
        if len(r) != width:
            kind = "truncated" if len(r) < width else "has extra cells"
            last = i == len(body) + 1 and not text.endswith("\n")
            problems.append(ImportProblem(name, i, None, f"row {kind}: {len(r)} cells for {width} columns"
                                          + (" (the file ends mid-row: truncated?)" if last else "")))
    if problems:
        raise ImportFailed(problems)
    return [h.strip() for h in header], body


def _json_cell(v) -> str | None:
    """A JSON value as cell text; None for a nested object or a list of objects (not a cell)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v):
        return "; ".join(str(x) for x in v)
    return None


def _read_json(name: str, text: str) -> tuple[list[str], list[list[str]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(name, exc.lineno, None, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") \
            from None
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise _fail(name, None, None, "expected a list of records, or an object holding exactly one list")
        doc = lists[0]
    if not isinstance(doc, list) or not doc:
        raise _fail(name, None, None, "expected a non-empty list of records (objects)")
    header: list[str] = []
    for rec in doc:
        if isinstance(rec, dict):
            header.extend(k for k in rec if k not in header)
    rows, problems = [], []
    for i, rec in enumerate(doc, start=2):  # record 1 is "row 2", as in a spreadsheet under its header
        if not isinstance(rec, dict):
            problems.append(ImportProblem(name, i, None, f"record {i - 1} is not an object"))
            continue
        row = []
        for h in header:
            cell = _json_cell(rec.get(h))
            if cell is None:
                # nested records (cornerstone lists) are a separate import; ignore the key in the mapping
                cell = "\x00nested"
            row.append(cell)
        rows.append(row)
    if problems:
        raise ImportFailed(problems)
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    name = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=False, data_only=False).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise _fail(name, None, None, f"cannot read the workbook: {exc}") from None
    ws = wb.worksheets[0]
    values = []
    problems = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells = []
        for c, cell in enumerate(row, start=1):
            v = cell.value
            if v is None:
                f = formulas.cell(r, c).value
                if isinstance(f, str) and f.startswith("="):
                    ref = f"{get_column_letter(c)}{r}"
                    problems.append(ImportProblem(name, r, f"cell {ref}", f"formula {f[:60]} has no saved value "
                                                  "(the file was not recalculated): open it in Excel and save"))
            cells.append(_xlsx_text(v, cell.number_format or ""))
        values.append(cells)
    merged = sorted(((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges))
    # the used width: formatted but empty columns (ws.max_column counts them) are not columns
    width = max((max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in values), default=0)
    values = [r[:width] for r in values]
    top, depth = _header_rows(values, merged, width)
    last = top + depth - 1
    for r0, c0, r1, c1 in merged:
        coord = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        if r1 < top or (r0 >= top and r1 <= last and (c0 == c1 or r1 < last)):
            continue  # a title row, a header cell spanning the header rows, or a group over its sub-headers
        if r0 <= last and r1 <= last:
            problems.append(ImportProblem(name, r0, str(values[r0 - 1][c0 - 1] or coord),
                                          f"merged header cells {coord} cover {c1 - c0 + 1} columns with no "
                                          "sub-header row beneath: give every column its own header cell"))
        else:
            problems.append(ImportProblem(name, r0, f"cell {coord}",
                                          f"merged cells {coord} in a data row: the value sits in "
                                          f"{get_column_letter(c0)}{r0} only; unmerge and fill each cell"))
    if problems:
        raise ImportFailed(problems)
    header = _header_names(values, merged, top, depth, width)
    kept = [(i, r) for i, r in enumerate(values[top - 1 + depth:], start=top + depth) if any(c.strip() for c in r)]
    if not any(h for h in header) and not kept:
        raise _fail(name, 1, None, "sheet is empty")
    return header, Rows([r for _, r in kept], [i for i, _ in kept])


# parts of a number format that print literally: "quoted text", \x escapes, [colour]/[condition] sections; a % in
# them is a suffix, not a scaling by 100
_PERCENT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _xlsx_text(v, number_format: str) -> str:
    """A cell as the sheet shows it: dates as ISO, and a number formatted as a percentage (stored as 0.4744) as
    '47.44%', so that a percent cell and a '47.44%' text cell mean the same."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in _PERCENT_NOISE.sub("", number_format):
        text = format((Decimal(repr(v)) * 100).quantize(Decimal(1).scaleb(-12)).normalize(), "f")
        return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
    return str(v)


def _is_label(text: str) -> bool:
    """A header cell: text that is not a number or a date (a data row under a one-row header has numbers)."""
    t = text.strip().replace(",", "")
    if not t:
        return False
    try:
        float(t.rstrip("%"))
        return False
    except ValueError:
        return not re.fullmatch(r"\d{4}-\d{2}-\d{2}", t)


def _header_rows(values: list[list[str]], merged: list[tuple[int, int, int, int]], width: int) -> tuple[int, int]:
    """(first header row, number of header rows). Leading blank rows and title rows (a single filled cell, merged
    across the sheet or not) are skipped; a header grows one row while a merged group in it has text labels under
    every column it spans (exports' two-row headers: 募资 over 总额 | 净额)."""
    top = 1
    spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merged}

    def filled(r: int) -> int:
        return sum(1 for c in values[r - 1] if c.strip()) if r <= len(values) else 0

    # blank rows, and title rows (one filled cell, merged or not, above a row of several), come before the header
    while top < len(values) and (filled(top) == 0 or (width > 1 and filled(top) == 1 and filled(top + 1) != 1)):
        top += 1
    depth = 1
    while True:
        last = top + depth - 1
        groups = [(c0, c1) for (r0, c0), (r1, c1) in spans.items() if r1 == last and c1 > c0 and r0 >= top]
        below = values[last] if last < len(values) else []
        if groups and all(all(_is_label(below[c - 1]) if c - 1 < len(below) else False for c in range(c0, c1 + 1))
                          for c0, c1 in groups):
            depth += 1
            continue
        return top, depth


def _header_names(values, merged, top: int, depth: int, width: int) -> list[str]:
    """One name per column: the header rows' labels joined with " / " (a merged group's label repeats over every
    column it spans; a label spanning the header rows appears once)."""
    owner = {}
    for r0, c0, r1, c1 in merged:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[(r, c)] = (r0, c0)
    names = []
    for c in range(1, width + 1):
        parts: list[str] = []
        for r in range(top, top + depth):
            r0, c0 = owner.get((r, c), (r, c))
            row = values[r0 - 1] if r0 - 1 < len(values) else []
            text = row[c0 - 1].strip() if c0 - 1 < len(row) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" / ".join(parts))
    return names
