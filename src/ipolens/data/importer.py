"""Import a user's CSV or XLSX of listings (one row per IPO) or facts (one row per value) into the ledger.

Everything is validated here, before anything is written (``app.data.import_file`` then writes the result in one
transaction): a file with one bad cell changes nothing. Every problem names the file, the row (as a spreadsheet
shows it: the header is row 1) and the field. The catalogue of bad inputs that the tests exercise is in docs/import.md.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..ledger.codes import CodeError, parse_code
from ..ledger.fields import FIELDS
from ..ledger.model import CURRENCIES, QUOTE_MAX, Entity, Fact, Source
from ..ledger.qualifiers import QUALIFIERS
from ..ledger.store import normalise_alias

__all__ = ["ImportProblem", "ImportFailed", "ParsedFile", "parse_file", "read_table", "HEADER_ALIASES"]


@dataclass
class ImportProblem:
    file: str
    row: int | None  # spreadsheet row number (header = 1); None for whole-file problems
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join([", ".join(where), self.message])


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Column headers recognised without a mapping file: our field names, common English headers, and the Chinese
# headers of HK/A-share IPO tables (AASTOCKS, Eastmoney, Futu exports).
HEADER_ALIASES = {
    "code": "code", "ticker": "code", "symbol": "code", "stock code": "code", "代码": "code", "股票代码": "code",
    "證券代號": "code", "证券代码": "code", "股份代號": "code",
    "name": "name_en", "name_en": "name_en", "company": "name_en", "名称": "name_zh", "股票名称": "name_zh",
    "公司名称": "name_zh", "name_zh": "name_zh", "name_cn": "name_zh",
    "listing date": "listing_date", "上市日期": "listing_date", "上市日": "listing_date",
    "offer price": "offer_price", "listing price": "offer_price", "发行价": "offer_price", "發售價": "offer_price",
    "招股价": "offer_price", "定价": "offer_price",
    "lot size": "lot_size", "每手股数": "lot_size", "每手股數": "lot_size", "一手股数": "lot_size",
    "over-sub.rate": "oversubscription_public", "oversubscription": "oversubscription_public",
    "超购倍数": "oversubscription_public", "超額認購倍數": "oversubscription_public",
    "公开发售认购倍数": "oversubscription_public",
    "one lot success rate": "one_lot_success_rate", "一手中签率": "one_lot_success_rate",
    "一手中籤率": "one_lot_success_rate", "首日涨幅": "first_day_return", "首日涨跌幅": "first_day_return",
    "% chg. on debut": "first_day_return", "first day return": "first_day_return",
    "暗盘涨幅": "grey_market_return", "募资总额": "proceeds_gross", "募资净额": "proceeds_net",
    "currency": "currency", "货币": "currency", "币种": "currency", "幣種": "currency",
    "field": "field", "字段": "field", "value": "value", "数值": "value", "unit": "unit", "单位": "unit",
    "qualifier": "qualifier", "as_of": "as_of", "as of": "as_of", "日期": "as_of", "period": "period",
    "报告期": "period", "quote": "quote", "引文": "quote", "text": "text", "note": "note", "entity": "code",
}
META_COLUMNS = {"code", "currency", "field", "value", "value_high", "unit", "qualifier", "as_of", "period", "quote",
                "text", "note"}
PRICE_FIELDS = {"offer_price", "offer_price_low", "offer_price_high", "open_price", "close_price"}


def _alias_key(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).strip().lower().replace("▼", ""))


# -- reading --------------------------------------------------------------------------------------------------------
def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows as strings. Raises ImportFailed for unreadable files (encoding, empty, truncated)."""
    name = str(path)
    if not path.exists():
        raise ImportFailed([ImportProblem(name, None, None, "file not found")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise ImportFailed([ImportProblem(name, None, None,
                                          f"unsupported file type {suffix!r}; use .csv or .xlsx")])
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFailed([ImportProblem(name, 1, None, "file is empty: expected a header row and data rows")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed([ImportProblem(
            name, row, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8 (GBK/Big5 exports from Excel are common)")]) from None
    delimiter = "\t" if suffix == ".tsv" else ","
    problems = []
    if text.count('"') % 2 == 1:
        last = text.rfind('"')
        problems.append(ImportProblem(name, text[:last].count("\n") + 1, None,
                                      "unterminated quoted field: the file looks truncated"))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if problems:
        raise ImportFailed(problems)
    header, body = rows[0], rows[1:]
    width = len(header)
    for i, r in enumerate(body, start=2):
        if len(r) != width:
            kind = "truncated" if len(r) < width else "has extra cells"
            last = i == len(body) + 1 and not text.endswith("\n")
            problems.append(ImportProblem(name, i, None, f"row {kind}: {len(r)} cells for {width} columns"
                                          + (" (the file ends mid-row: truncated?)" if last else "")))
    if problems:
        raise ImportFailed(problems)
    return [h.strip() for h in header], body


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    import openpyxl

    name = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise ImportFailed([ImportProblem(name, None, None, f"cannot read the workbook: {exc}")]) from None
    ws = wb.worksheets[0]
    for rng in ws.merged_cells.ranges:
        if rng.min_row == 1:
            raise ImportFailed([ImportProblem(
                name, 1, str(ws.cell(1, rng.min_col).value or rng.coord),
                f"merged header cells {rng.coord}: give every column its own header cell")])
    values = [["" if c is None else (c.date().isoformat() if isinstance(c, dt.datetime) else str(c)) for c in r]
              for r in ws.iter_rows(values_only=True)]
    values = [r for r in values if any(c.strip() for c in r)]
    if not values:
        raise ImportFailed([ImportProblem(name, 1, None, "sheet is empty")])
    return [h.strip() for h in values[0]], values[1:]


# -- mapping --------------------------------------------------------------------------------------------------------
@dataclass
class Mapping:
    columns: dict[str, str]  # header -> field (or meta column)
    currency: str | None = None
    scale: dict[str, float] | None = None


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping({})
    name = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed([ImportProblem(name, None, None, f"cannot read the mapping: {exc}")]) from None
    problems = []
    allowed_top = {"columns", "currency", "scale"}
    for key in doc:
        if key not in allowed_top:
            problems.append(ImportProblem(name, None, str(key),
                                          f"unknown mapping key; expected {', '.join(sorted(allowed_top))}"))
    columns = doc.get("columns") or {}
    for header, target in columns.items():
        if target not in FIELDS and target not in META_COLUMNS:
            import difflib

            hint = difflib.get_close_matches(str(target), [*FIELDS, *META_COLUMNS], n=2)
            problems.append(ImportProblem(name, None, str(header), f"maps to unknown field {target!r}"
                                          + (f"; did you mean {', '.join(hint)}?" if hint else "")))
    cur = doc.get("currency")
    if cur is not None and cur not in CURRENCIES:
        problems.append(ImportProblem(name, None, "currency", f"unknown currency {cur!r}"))
    scale = {}
    for k, v in (doc.get("scale") or {}).items():
        try:
            scale[k] = float(v)  # YAML 1.1 reads 1.0e8 as a string
        except (TypeError, ValueError):
            scale[k] = -1.0
        if k not in FIELDS:
            problems.append(ImportProblem(name, None, f"scale.{k}", "unknown field"))
        elif not scale[k] > 0:
            problems.append(ImportProblem(name, None, f"scale.{k}", f"scale must be a positive number, got {v!r}"))
    if problems:
        raise ImportFailed(problems)
    return Mapping({str(k): v for k, v in columns.items()}, cur, scale)


def _resolve_headers(name: str, header: list[str], mapping: Mapping) -> dict[int, str]:
    out, problems, seen = {}, [], {}
    for i, h in enumerate(header):
        if not h:
            problems.append(ImportProblem(name, 1, f"column {i + 1}", "empty header cell"))
            continue
        target = mapping.columns.get(h) or HEADER_ALIASES.get(_alias_key(h))
        if target is None and h in FIELDS:
            target = h
        if target is None:
            import difflib

            hint = difflib.get_close_matches(h, [*FIELDS, *HEADER_ALIASES], n=2)
            problems.append(ImportProblem(name, 1, h, "unknown column; map it with --mapping"
                                          + (f" (did you mean {', '.join(hint)}?)" if hint else "")))
            continue
        if target in seen:
            problems.append(ImportProblem(name, 1, h, f"maps to {target!r}, as column {seen[target]!r} does"))
        seen[target] = h
        out[i] = target
    if problems:
        raise ImportFailed(problems)
    return out


# -- validation and conversion ----------------------------------------------------------------------------------------
def _number(text: str) -> float:
    s = text.strip().replace(",", "").replace("，", "")
    v = float(s.rstrip("%"))
    if not math.isfinite(v):
        raise ValueError("not finite")
    return v


def _check_value(fieldname: str, v: float) -> str | None:
    f = FIELDS[fieldname]
    if f.kind in ("money", "shares", "count", "x") and v < 0:
        return f"negative {f.label.lower()} ({v:g})"
    if fieldname in PRICE_FIELDS and v == 0:
        return "price is zero"
    if fieldname in ("one_lot_success_rate", "lottery_rate") and not 0 <= v <= 100:
        return f"{v:g} is not a percentage in [0, 100]"
    return None


@dataclass
class ParsedFile:
    """A validated import: the source its values cite, the listings it names and its facts."""

    source: Source
    entities: dict[str, Entity]
    facts: list[Fact]
    rows: int


def parse_file(path: str | Path, source_title: str, mapping_path: str | Path | None = None,
               source_kind: str = "user", publisher: str | None = None, published: str | None = None,
               url: str | None = None) -> ParsedFile:
    """Read and validate ``path`` completely; every problem found (up to 50) is raised together in ImportFailed.

    The source id comes from the title, so re-importing under the same title replaces that source's facts.
    """
    path = Path(path)
    name = str(path)
    mapping = load_mapping(Path(mapping_path) if mapping_path else None)
    header, rows = read_table(path)
    if not rows:
        raise ImportFailed([ImportProblem(name, 2, None, "no data rows below the header")])
    cols = _resolve_headers(name, header, mapping)
    targets = set(cols.values())
    if "code" not in targets:
        raise ImportFailed([ImportProblem(name, 1, "code", "missing required column (listing code)")])
    long_form = "field" in targets
    if long_form and "value" not in targets and "text" not in targets:
        raise ImportFailed([ImportProblem(name, 1, "value", "a facts file needs a value (or text) column")])
    source_id = "user:" + (normalise_alias(source_title) or "import")
    src = Source(id=source_id, kind=source_kind, title=source_title, publisher=publisher, url=url,
                 published=published, retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                 note=f"imported from {path.name}")
    problems: list[ImportProblem] = []
    facts: list[Fact] = []
    entities: dict[str, Entity] = {}
    seen_codes: dict[str, int] = {}
    for rn, raw in enumerate(rows, start=2):
        cells = {cols[i]: raw[i].strip() for i in cols if i < len(raw)}
        code_text = cells.get("code", "")
        try:
            lc = parse_code(code_text)
        except CodeError as exc:
            problems.append(ImportProblem(name, rn, "code", str(exc)))
            continue
        currency = cells.get("currency") or mapping.currency
        if cells.get("currency") and cells["currency"].upper() not in CURRENCIES:
            problems.append(ImportProblem(name, rn, "currency", f"unknown currency {cells['currency']!r}; "
                                                                f"expected one of {', '.join(CURRENCIES)}"))
            continue
        currency = currency.upper() if currency else None
        entities.setdefault(lc.key, Entity(lc.key, "listing", _market(lc), lc.display))
        if long_form:
            f = _long_row(name, rn, lc.key, cells, currency, source_id, problems)
            if f:
                facts.append(f)
            continue
        if lc.key in seen_codes:
            problems.append(ImportProblem(name, rn, "code", f"duplicate code {lc.display} (first on row "
                                                            f"{seen_codes[lc.key]})"))
            continue
        seen_codes[lc.key] = rn
        as_of = cells.get("listing_date") or None
        for fieldname, text in cells.items():
            if fieldname in META_COLUMNS or text == "":
                continue
            f = FIELDS[fieldname]
            fact = Fact(entity=lc.key, field=fieldname, source_id=source_id, ext_id=f"{lc.key}:{fieldname}")
            if f.is_text:
                fact.text = text
                if f.kind == "date":
                    try:
                        fact.text = dt.date.fromisoformat(text[:10]).isoformat()
                    except ValueError:
                        problems.append(ImportProblem(name, rn, fieldname, f"not an ISO date (YYYY-MM-DD): {text!r}"))
                        continue
                if fieldname == "name_en":
                    entities[lc.key].name_en = text
                if fieldname == "name_zh":
                    entities[lc.key].name_zh = text
            else:
                try:
                    v = _number(text) * (mapping.scale or {}).get(fieldname, 1.0)
                except ValueError:
                    problems.append(ImportProblem(name, rn, fieldname, f"not a number: {text!r}"))
                    continue
                bad = _check_value(fieldname, v)
                if bad:
                    problems.append(ImportProblem(name, rn, fieldname, bad))
                    continue
                fact.value = v
                if f.kind == "money":
                    if not currency:
                        problems.append(ImportProblem(name, rn, fieldname, "money value without a currency: add a "
                                                      "currency column or `currency:` in the mapping"))
                        continue
                    fact.currency = currency
                else:
                    fact.unit = f.kind
            try:
                fact.as_of = as_of
                fact.validate()
            except (ValueError, KeyError) as exc:
                problems.append(ImportProblem(name, rn, fieldname, str(exc)))
                continue
            facts.append(fact)
        if len(problems) >= 50:
            break
    if problems:
        raise ImportFailed(problems)
    return ParsedFile(src, entities, facts, len(rows))


def _long_row(name: str, rn: int, key: str, cells: dict, currency: str | None, source_id: str,
              problems: list[ImportProblem]) -> Fact | None:
    fieldname = cells.get("field", "")
    if fieldname not in FIELDS:
        import difflib

        hint = difflib.get_close_matches(fieldname, FIELDS, n=2)
        problems.append(ImportProblem(name, rn, "field", f"unknown field {fieldname!r}"
                                      + (f"; did you mean {', '.join(hint)}?" if hint else "")))
        return None
    f = FIELDS[fieldname]
    qualifier = cells.get("qualifier") or "exact"
    if qualifier not in QUALIFIERS:
        problems.append(ImportProblem(name, rn, "qualifier", f"unknown qualifier {qualifier!r}; expected one of "
                                                             f"{', '.join(QUALIFIERS)}"))
        return None
    quote = cells.get("quote") or None
    if quote and len(quote) > QUOTE_MAX:
        problems.append(ImportProblem(name, rn, "quote", f"quote is {len(quote)} characters; at most {QUOTE_MAX}"))
        return None
    fact = Fact(entity=key, field=fieldname, source_id=source_id, qualifier=qualifier, quote=quote,
                period=cells.get("period") or None, note=cells.get("note") or None, ext_id=f"row{rn}")
    value_text = cells.get("value", "")
    if f.is_text:
        fact.text = cells.get("text") or value_text or None
    elif value_text:
        try:
            fact.value = _number(value_text)
        except ValueError:
            problems.append(ImportProblem(name, rn, "value", f"not a number: {value_text!r}"))
            return None
        bad = _check_value(fieldname, fact.value)
        if bad:
            problems.append(ImportProblem(name, rn, "value", bad))
            return None
        if cells.get("value_high"):
            try:
                fact.value_high = _number(cells["value_high"])
            except ValueError:
                problems.append(ImportProblem(name, rn, "value_high", f"not a number: {cells['value_high']!r}"))
                return None
        if f.kind == "money":
            if not currency:
                problems.append(ImportProblem(name, rn, "currency", f"{fieldname} is money and needs a currency"))
                return None
            fact.currency = currency
        else:
            fact.unit = cells.get("unit") or f.kind
    try:
        fact.as_of = cells.get("as_of") or None
        fact.validate()
    except (ValueError, KeyError) as exc:
        field_at_fault = "as_of" if "date" in str(exc) else "value"
        problems.append(ImportProblem(name, rn, field_at_fault, str(exc)))
        return None
    return fact


def _market(lc) -> str:
    if lc.market == "SH":
        return "STAR" if lc.code.startswith(("688", "689")) else "SH"
    return {"US": "NASDAQ"}.get(lc.market, lc.market)
