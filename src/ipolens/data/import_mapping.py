"""The mapping file of ``ipolens import --mapping``: which ledger field each column is, which columns to skip, a
currency, precision, scale or date per column, list columns, and derived columns. docs/import.md has the format
with examples; every mistake in it is an ``ImportFailed`` naming the mapping file and the key."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path

import yaml

from ..ledger.fields import FIELDS
from ..ledger.model import CURRENCIES
from .import_read import ImportFailed, ImportProblem
from .import_values import CellError, Expr, parse_expr

__all__ = ["HEADER_ALIASES", "META_COLUMNS", "COMPANY_COLUMNS", "Column", "Derived", "Mapping", "load_mapping",
           "resolve_columns"]

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
    "sponsors": "sponsors", "sponsor": "sponsors", "保荐人": "sponsors", "保薦人": "sponsors",
    "currency": "currency", "货币": "currency", "币种": "currency", "幣種": "currency",
    "field": "field", "字段": "field", "value": "value", "数值": "value", "unit": "unit", "单位": "unit",
    # company columns (docs/import.md, "Companies"): which company a listing is, its other listing, its share class
    "a_share_code": "a_share_code", "a股代码": "a_share_code", "a股代碼": "a_share_code",
    "h_share_code": "h_share_code", "h股代码": "h_share_code", "h股代碼": "h_share_code",
    "share_class": "share_class", "股份类别": "share_class", "股份類別": "share_class", "listing_role": "listing_role",
    "qualifier": "qualifier", "as_of": "as_of", "as of": "as_of", "日期": "as_of", "period": "period",
    "报告期": "period", "quote": "quote", "引文": "quote", "text": "text", "note": "note", "entity": "code",
}
COMPANY_COLUMNS = {"company", "a_share_code", "h_share_code", "share_class", "listing_role"}
META_COLUMNS = {"code", "currency", "field", "value", "value_high", "unit", "qualifier", "as_of", "period", "quote",
                "text", "note", *COMPANY_COLUMNS}
TOP_KEYS = ("columns", "ignore", "currency", "scale", "precision", "as_of", "derived", "lists", "relisting_days",
            "cornerstones")
COLUMN_KEYS = ("field", "name", "currency", "precision", "as_of", "scale", "list")
_OFFSET = re.compile(r"(?P<ref>.+?)\s*\+\s*(?P<n>\d+)\s*(?P<unit>days?|months?|years?)", re.IGNORECASE)
_NAME = re.compile(r"[^\s+\-*/()]+")


def _alias_key(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).strip().lower().replace("▼", ""))


@dataclass
class Column:
    """One column of the file as the mapping reads it."""

    index: int
    header: str
    target: str | None  # a ledger field or a meta column; None for a column named for expressions only
    name: str | None = None
    currency: str | None = None
    precision: float | None = None
    as_of: tuple[str, int, str] | None = None  # (date column, offset, days|months|years)
    scale: float = 1.0
    is_list: bool = False

    @property
    def refs(self) -> set[str]:
        """The names an expression or an as_of may use for this column: its header, field and name."""
        return {r for r in (self.header, self.target, self.name) if r and r not in ("code", "currency")}

    def __hash__(self) -> int:
        return self.index


@dataclass
class Derived:
    field: str
    expr: Expr
    precision: float | None = None
    currency: str | None = None
    as_of: tuple[str, int, str] | None = None


@dataclass
class Mapping:
    columns: dict[str, object] = dc_field(default_factory=dict)  # header -> field, or {field|name, options}
    ignore: set[str] = dc_field(default_factory=set)
    default_currency: str | None = None
    per_column: dict[str, dict] = dc_field(default_factory=dict)  # header/field/name -> {currency, precision, ...}
    derived: list[Derived] = dc_field(default_factory=list)
    lists: set[str] = dc_field(default_factory=set)
    relisting_days: int | None = None  # listing dates further apart than this are two listings of a reused code
    cornerstones: Path | None = None  # a file of cornerstone records imported in the same run (ledger/parties)

    @property
    def date_refs(self) -> set[str]:
        specs = [o.get("as_of") for o in self.per_column.values()] + [d.as_of for d in self.derived]
        return {s[0] for s in specs if s}


def _as_of_spec(text) -> tuple[str, int, str]:
    text = str(text).strip()
    m = _OFFSET.fullmatch(text)
    if m:
        unit = m["unit"].lower()
        return m["ref"].strip(), int(m["n"]), unit if unit.endswith("s") else unit + "s"
    if not text:
        raise ValueError("empty as_of")
    return text, 0, "days"


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    name = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed([ImportProblem(name, None, None, f"cannot read the mapping: {exc}")]) from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise ImportFailed([ImportProblem(name, None, None, f"the mapping must be a YAML mapping (key: value), "
                                          f"not a {type(doc).__name__}; see docs/import.md")])
    problems: list[ImportProblem] = []

    def bad(key: str, message: str) -> None:
        problems.append(ImportProblem(name, None, key, message))

    for key in doc:
        if key not in TOP_KEYS:
            bad(str(key), f"unknown mapping key; expected {', '.join(sorted(TOP_KEYS))}")
    m = Mapping()
    per: dict[str, dict] = {}

    def option(where: str, key: str, opt: str, value) -> None:
        try:
            if opt == "currency":
                if value not in CURRENCIES:
                    raise ValueError(f"unknown currency {value!r}; expected one of {', '.join(CURRENCIES)}")
            elif opt in ("precision", "scale"):
                value = float(value)  # YAML 1.1 reads 1.0e8 as a string
                if not value > 0:
                    raise ValueError(f"{opt} must be a positive number")
            elif opt == "as_of":
                value = _as_of_spec(value)
            elif opt == "list":
                value = bool(value)
        except (TypeError, ValueError) as exc:
            bad(where, str(exc) if "must" in str(exc) or "unknown" in str(exc) else f"{value!r}: {exc}")
            return
        per.setdefault(str(key), {})[opt] = value

    def section(key: str):
        v = doc.get(key)
        if v is not None and not isinstance(v, dict):
            bad(key, f"`{key}:` must map a column to a value")
            return {}
        return v or {}

    columns = section("columns")
    for header, target in columns.items():
        header = str(header)
        if isinstance(target, dict):
            for k, v in target.items():
                if k not in COLUMN_KEYS:
                    bad(f"columns.{header}.{k}", f"unknown column option; expected {', '.join(COLUMN_KEYS)}")
                elif k not in ("field", "name"):
                    option(f"columns.{header}.{k}", header, k, v)
            if "name" in target and not _NAME.fullmatch(str(target["name"])):
                bad(f"columns.{header}.name", f"{target['name']!r}: a name cannot hold spaces or + - * / ( )")
            if "field" not in target and "name" not in target:
                bad(f"columns.{header}", "give the column a `field:` (ledger field) or a `name:` (for derived "
                                          "columns and as_of)")
                continue
            target = target.get("field")
            if target is None:
                continue
        if target not in FIELDS and target not in META_COLUMNS:
            hint = difflib.get_close_matches(str(target), [*FIELDS, *META_COLUMNS], n=2)
            bad(header, f"maps to unknown field {target!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    m.columns = {str(k): v for k, v in columns.items()}
    ignore = doc.get("ignore") or []
    if not isinstance(ignore, list):
        bad("ignore", "`ignore:` must be a list of column headers")
        ignore = []
    m.ignore = {str(h) for h in ignore}
    cur = doc.get("currency")
    if isinstance(cur, dict):
        for k, v in cur.items():
            if k == "default":
                option("currency.default", "\x00default", "currency", v)
            else:
                option(f"currency.{k}", k, "currency", v)
        m.default_currency = per.pop("\x00default", {}).get("currency")
    elif cur is not None:
        if cur not in CURRENCIES:
            bad("currency", f"unknown currency {cur!r}")
        m.default_currency = cur
    for opt in ("scale", "precision", "as_of"):
        for k, v in section(opt).items():
            option(f"{opt}.{k}", k, opt, v)
    lists = doc.get("lists") or []
    m.lists = {str(x) for x in lists} if isinstance(lists, list) else set()
    for fieldname, spec in section("derived").items():
        where = f"derived.{fieldname}"
        opts = spec if isinstance(spec, dict) else {"expr": spec}
        if fieldname not in FIELDS or FIELDS[fieldname].is_text:
            hint = difflib.get_close_matches(str(fieldname), FIELDS, n=2)
            bad(where, f"{fieldname!r} is not a numeric ledger field"
                + (f"; did you mean {', '.join(hint)}?" if hint else ""))
            continue
        try:
            expr = parse_expr(opts.get("expr", ""))
        except CellError as exc:
            bad(where, str(exc))
            continue
        for k, v in opts.items():
            if k not in ("expr", "precision", "currency", "as_of"):
                bad(f"{where}.{k}", "unknown option; expected expr, precision, currency, as_of")
            elif k != "expr":
                option(f"{where}.{k}", "\x00derived", k, v)
        o = per.pop("\x00derived", {})
        m.derived.append(Derived(fieldname, expr, o.get("precision"), o.get("currency"), o.get("as_of")))
    m.per_column = per
    days = doc.get("relisting_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            bad("relisting_days", f"{days!r}: a whole number of days (at least 1)")
        else:
            m.relisting_days = days
    records = doc.get("cornerstones")
    if records is not None:  # relative to the mapping file, as a user writes it beside the mapping
        p = path.parent / str(records)
        if not isinstance(records, str) or not p.is_file():
            bad("cornerstones", f"{records!r}: the path of a JSON or CSV file of cornerstone records (relative to "
                                "the mapping), which does not exist")
        else:
            m.cornerstones = p
    if problems:
        raise ImportFailed(problems)
    return m


def resolve_columns(name: str, mapping_name: str, header: list[str], mapping: Mapping) -> list[Column]:
    """The file's columns as the mapping and the alias table read them; unknown headers and options that name
    no column are problems (row 1 of the file, or the mapping file's key)."""
    out: list[Column] = []
    problems: list[ImportProblem] = []
    seen: dict[str, str] = {}
    for i, h in enumerate(header):
        if h in mapping.ignore:
            continue
        if not h:
            problems.append(ImportProblem(name, 1, f"column {i + 1}", "empty header cell"))
            continue
        spec = mapping.columns.get(h)
        col_name = None
        opts: dict = {}
        if isinstance(spec, dict):
            opts = {k: v for k, v in spec.items() if k not in ("field", "name")}
            col_name, spec = spec.get("name"), spec.get("field")
        target = spec or (None if col_name else HEADER_ALIASES.get(_alias_key(h)))
        if target is None and not col_name and h in FIELDS:
            target = h
        if target is None and not col_name:
            hint = difflib.get_close_matches(h, [*FIELDS, *HEADER_ALIASES], n=2)
            problems.append(ImportProblem(name, 1, h, "unknown column; map it with --mapping, or list it under "
                                          "`ignore:`" + (f" (did you mean {', '.join(hint)}?)" if hint else "")))
            continue
        if target and target in seen:
            problems.append(ImportProblem(name, 1, h, f"maps to {target!r}, as column {seen[target]!r} does"))
        if target:
            seen[target] = h
        col = Column(i, h, target, col_name)
        for key in (target, col_name, h):  # the most specific spelling wins: header, then name, then field
            for opt, v in mapping.per_column.get(key or "\x00", {}).items():
                setattr(col, "is_list" if opt == "list" else opt, v)
        for opt, v in opts.items():
            if opt in ("precision", "scale"):
                v = float(v)
            elif opt == "as_of":
                v = _as_of_spec(v)
            setattr(col, "is_list" if opt == "list" else opt, v)
        col.is_list = col.is_list or bool(col.refs & mapping.lists)
        out.append(col)
    known = set().union(*(c.refs for c in out)) | {"listing_date"}
    for key in mapping.per_column:
        if key not in known and key not in FIELDS:
            problems.append(ImportProblem(mapping_name, None, key, "names no column of the file"))
    for ref in mapping.date_refs - known:
        problems.append(ImportProblem(mapping_name, None, ref, "as_of names no column of the file"))
    for d in mapping.derived:
        for n in sorted(d.expr.names - known):
            problems.append(ImportProblem(mapping_name, None, f"derived.{d.field}",
                                          f"{n!r} names no column of the file"))
    if problems:
        raise ImportFailed(problems)
    return out
