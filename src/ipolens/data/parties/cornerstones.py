"""Cornerstone records from a JSON file (deals with a ``cornerstones`` list, or flat records) or a CSV (one row per
investor and deal): investor name, type, amount, currency, shares and lock-up months per deal.

Everything is validated here, before anything is written; every problem names the file, the record (JSON path or
spreadsheet row, header = row 1) and the field, and all of them are reported together.

JSON shapes accepted::

    {"deals": [{"code": "02513", "listing_date": "2026-01-08", "cornerstones": [
        {"name": "GIC Private Limited", "name_zh": "...", "type": "sovereign fund", "amount": 50000000,
         "currency": "USD", "shares": 3200000, "lockup_months": 6}]}]}
    [{"code": ..., "cornerstones": [...]}, ...]                     # the deals list alone
    [{"code": "02513", "investor": "GIC", "amount": "USD 50,000,000", ...}, ...]   # flat records

Amounts are numbers or text with a currency and a scale: ``50,000,000``, ``USD 50,000,000``, ``US$50m``,
``HK$1.2bn``, ``3.9亿港元``. A comma must group thousands ("19,6" is refused, not read as 196).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...ledger.codes import CodeError, parse_code
from ...ledger.model import CURRENCIES, QUOTE_MAX

__all__ = ["CornerstoneRecord", "RecordProblem", "RecordsFailed", "parse_records", "parse_amount", "MAX_LOCKUP"]

MAX_LOCKUP = 60  # months; longer is a typo (HK cornerstone lock-ups are 6 months, 18C key persons up to 24)
MAX_BYTES = 64 * 1024 * 1024
FIELD_ALIASES = {
    "code": "code", "stock code": "code", "ticker": "code", "代码": "code", "股票代码": "code", "股份代號": "code",
    "listing_date": "listing_date", "listing date": "listing_date", "上市日期": "listing_date",
    "deal": "deal", "company": "deal", "公司": "deal",
    "name": "name", "investor": "name", "cornerstone": "name", "cornerstone investor": "name", "name_en": "name",
    "基石投资者": "name", "基石投資者": "name", "投资者": "name",
    "name_zh": "name_zh", "investor_zh": "name_zh", "中文名": "name_zh", "投资者中文名": "name_zh",
    "type": "type", "investor type": "type", "类型": "type", "類型": "type", "投资者类型": "type",
    "amount": "amount", "investment": "amount", "认购金额": "amount", "認購金額": "amount", "金额": "amount",
    "currency": "currency", "币种": "currency", "貨幣": "currency", "货币": "currency",
    "shares": "shares", "认购股数": "shares", "認購股數": "shares", "股数": "shares",
    "lockup_months": "lockup_months", "lock-up months": "lockup_months", "lockup": "lockup_months",
    "禁售期": "lockup_months", "禁售期(月)": "lockup_months", "锁定期(月)": "lockup_months",
    "quote": "quote", "note": "quote",
}
_CCY_WORDS = {"hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD", "港幣": "HKD", "us$": "USD", "usd": "USD",
              "美元": "USD", "rmb": "CNY", "cny": "CNY", "人民币": "CNY", "人民幣": "CNY", "$": None}
_SCALE = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "万": 1e4,
          "萬": 1e4, "亿": 1e8, "億": 1e8}
_CCY = "|".join(re.escape(k) for k in sorted(_CCY_WORDS, key=len, reverse=True))
_AMOUNT = re.compile(rf"^(?P<c1>{_CCY})?\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
                     rf"(?P<scale>million|billion|mn|bn|k|m|万|萬|亿|億)?\s*(?P<c2>{_CCY})?$", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$|^[0-9]+(\.[0-9]+)?$")
_MONTHS = re.compile(r"^(\d+)\s*(?:months?|个月|個月|m)?$", re.IGNORECASE)


@dataclass
class RecordProblem:
    file: str
    where: str  # 'row 5' or 'deals[3].cornerstones[1]'
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}" + (f", field {self.field!r}" if self.field else "") + f": {self.message}"


class RecordsFailed(ValueError):
    def __init__(self, problems: list[RecordProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class CornerstoneRecord:
    where: str
    code: str  # display code (02513.HK)
    market: str
    key: str
    listing_date: dt.date | None
    deal: str | None
    name: str | None
    name_zh: str | None
    type: str | None
    amount: float | None
    currency: str | None
    shares: float | None
    lockup_months: int | None
    quote: str | None


def _number(text: str) -> float:
    if not _GROUPED.match(text):
        raise ValueError(f"{text!r} is not a number (a comma may only group thousands: 1,234,567)")
    v = float(text.replace(",", ""))
    if not math.isfinite(v):
        raise ValueError(f"{text!r} is not finite")
    return v


def parse_amount(value: Any) -> tuple[float | None, str | None]:
    """(amount, currency named in the cell or None). Raises ValueError with a message naming the text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value!r} is not a non-negative finite amount")
        return float(value), None
    text = re.sub(r"\s+", " ", str(value)).strip()
    m = _AMOUNT.match(text)
    if not m:
        raise ValueError(f"cannot read {text!r} as an amount (e.g. 50000000, USD 50,000,000, HK$1.2bn, 3.9亿港元)")
    c1, c2 = (_CCY_WORDS.get((m.group(k) or "").lower()) for k in ("c1", "c2"))
    if c1 and c2 and c1 != c2:
        raise ValueError(f"{text!r} names two currencies")
    amount = _number(m.group("num")) * _SCALE[(m.group("scale") or "").lower()]
    return amount, c1 or c2


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = re.sub(r"\s+", " ", str(v)).strip()
    return s or None


def _date(v: Any) -> dt.date | None:
    s = _text(v)
    if s is None:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise ValueError(f"{s!r} is not a date (YYYY-MM-DD)") from None


def _record(file: str, where: str, deal: dict, inv: dict, problems: list[RecordProblem]) -> CornerstoneRecord | None:
    bad = len(problems)

    def err(fieldname: str | None, msg: str) -> None:
        problems.append(RecordProblem(file, where, fieldname, msg))

    code_text = _text(deal.get("code"))
    lc = None
    if not code_text:
        err("code", "missing listing code")
    else:
        try:
            lc = parse_code(code_text)
        except CodeError as exc:
            err("code", str(exc))
    try:
        listed = _date(deal.get("listing_date"))
    except ValueError as exc:
        err("listing_date", str(exc))
        listed = None
    name, name_zh = _text(inv.get("name")), _text(inv.get("name_zh"))
    if not name and not name_zh:
        err("name", "missing investor name")
    try:
        amount, cell_ccy = parse_amount(inv.get("amount"))
    except ValueError as exc:
        err("amount", str(exc))
        amount, cell_ccy = None, None
    ccy = _text(inv.get("currency"))
    ccy = _CCY_WORDS.get(ccy.lower(), ccy.upper()) if ccy else None
    if ccy is not None and ccy not in CURRENCIES:
        err("currency", f"unknown currency {inv.get('currency')!r}; expected one of {', '.join(CURRENCIES)}")
    elif cell_ccy and ccy and cell_ccy != ccy:
        err("amount", f"the amount is in {cell_ccy} but the currency column says {ccy}")
    ccy = ccy or cell_ccy
    if amount is not None and ccy is None:
        err("currency", "an amount needs a currency (a currency column, or a unit in the cell: USD 50,000,000)")
    shares = None
    if _text(inv.get("shares")) is not None:
        try:
            sv = inv["shares"]
            shares = float(sv) if isinstance(sv, (int, float)) and not isinstance(sv, bool) else _number(_text(sv))
            if not math.isfinite(shares) or shares < 0:
                raise ValueError(f"{sv!r} is not a non-negative share count")
        except ValueError as exc:
            err("shares", str(exc))
    months = None
    mv = inv.get("lockup_months")
    if _text(mv) is not None:
        m = _MONTHS.match(_text(mv)) if not isinstance(mv, (int, float)) else None
        if isinstance(mv, (int, float)) and not isinstance(mv, bool) and float(mv).is_integer():
            months = int(mv)
        elif m:
            months = int(m.group(1))
        else:
            err("lockup_months", f"{mv!r} is not a whole number of months")
        if months is not None and not 0 <= months <= MAX_LOCKUP:
            err("lockup_months", f"{months} months is outside 0..{MAX_LOCKUP}")
    quote = _text(inv.get("quote"))
    if quote and len(quote) > QUOTE_MAX:
        err("quote", f"quote is {len(quote)} characters; at most {QUOTE_MAX}")
    if len(problems) > bad or lc is None:
        return None
    return CornerstoneRecord(where, lc.display, lc.market, lc.key, listed, _text(deal.get("deal") or deal.get("name")),
                             name, name_zh, _text(inv.get("type")), amount, ccy, shares, months, quote)


KNOWN = frozenset(FIELD_ALIASES.values())


def _canon(d: dict) -> dict:
    """Keys mapped through FIELD_ALIASES (unknown keys kept as they are, for the caller to refuse)."""
    return {FIELD_ALIASES.get(str(k).strip().lower(), str(k).strip()): v for k, v in d.items()}


def _unknown_keys(file: str, where: str, d: dict, problems: list[RecordProblem]) -> bool:
    bad = sorted(k for k in d if k not in KNOWN)
    problems += [RecordProblem(file, where, k, f"unknown field; expected {', '.join(sorted(KNOWN))}") for k in bad]
    return bool(bad)


def _from_json(file: str, doc: Any, problems: list[RecordProblem]) -> list[CornerstoneRecord]:
    deals = doc.get("deals") if isinstance(doc, dict) else doc
    if not isinstance(deals, list):
        raise RecordsFailed([RecordProblem(file, "top level", None, "expected a list of deals or {\"deals\": [...]}")])
    out = []
    for i, raw in enumerate(deals):
        if not isinstance(raw, dict):
            problems.append(RecordProblem(file, f"deals[{i}]", None, "a deal must be an object"))
            continue
        deal = _canon(raw)
        if "cornerstones" not in deal:  # a flat record: deal and investor in one object
            if _unknown_keys(file, f"records[{i}]", deal, problems):
                continue
            rec = _record(file, f"records[{i}]", deal, deal, problems)
            out += [rec] if rec else []
            continue
        invs = deal["cornerstones"]
        if not isinstance(invs, list):
            problems.append(RecordProblem(file, f"deals[{i}]", "cornerstones", "must be a list"))
            continue
        for j, inv in enumerate(invs):
            if not isinstance(inv, dict):
                problems.append(RecordProblem(file, f"deals[{i}].cornerstones[{j}]", None, "must be an object"))
                continue
            where, inv = f"deals[{i}].cornerstones[{j}]", _canon(inv)
            if _unknown_keys(file, where, inv, problems):
                continue
            rec = _record(file, where, deal, inv, problems)
            out += [rec] if rec else []
    return out


def _from_csv(file: str, text: str, problems: list[RecordProblem]) -> list[CornerstoneRecord]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise RecordsFailed([RecordProblem(file, "row 1", None, "empty file")])
    header = [FIELD_ALIASES.get(h.strip().lower()) for h in rows[0]]
    unknown = [h for h, f in zip(rows[0], header) if f is None]
    if unknown:
        raise RecordsFailed([RecordProblem(file, "row 1", h, "unknown column; expected one of "
                                           + ", ".join(sorted(set(FIELD_ALIASES.values())))) for h in unknown])
    out = []
    for rn, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        d = {f: c for f, c in zip(header, raw)}
        rec = _record(file, f"row {rn}", d, d, problems)
        out += [rec] if rec else []
    return out


def parse_records(path: str | Path) -> list[CornerstoneRecord]:
    """All records of ``path`` (.json or .csv), or ``RecordsFailed`` listing every problem."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise RecordsFailed([RecordProblem(file, "file", None, "no such file" if not path.exists() else "not a file")])
    if path.stat().st_size > MAX_BYTES:
        raise RecordsFailed([RecordProblem(file, "file", None, f"larger than {MAX_BYTES // 2**20} MB")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsFailed([RecordProblem(file, "file", None, f"cannot read as UTF-8 text: {exc}")]) from None
    problems: list[RecordProblem] = []
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecordsFailed([RecordProblem(file, f"line {exc.lineno}", None, f"not JSON: {exc.msg}")]) from None
        recs = _from_json(file, doc, problems)
    elif path.suffix.lower() == ".csv":
        recs = _from_csv(file, text.replace("\r\n", "\n").replace("\r", "\n"), problems)
    else:
        raise RecordsFailed([RecordProblem(file, "file", None, "expected a .json or .csv file")])
    if problems:
        raise RecordsFailed(problems)
    if not recs:
        raise RecordsFailed([RecordProblem(file, "file", None, "no cornerstone records")])
    return recs
