"""Price files (CSV or Parquet) as ``ipolens import-prices`` reads them: the header through an alias table, each
column's type, the listing of a file without a code column, the source the rows cite.

Yahoo's Date,Open,High,Low,Close,Adj Close,Volume; AKShare's 日期,开盘,收盘,最高,最低,成交量,成交额,换手率; plain
lower-case names. What this module decides (a :class:`~ipolens.ledger.price_load.PriceFile`),
``ledger.price_load`` loads with DuckDB's own reader in one transaction; ``app.data.import_prices`` runs the two.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

from ..ledger.codes import CodeError, parse_code, split_listing
from ..ledger.model import Source
from ..ledger.price_load import NUMERIC, REQUIRED, PriceFile, PriceImportError

__all__ = ["PRICE_ALIASES", "PriceImportError", "map_header", "check_path", "is_parquet", "csv_file",
           "parquet_file", "source_for"]

# our field -> accepted header spellings, best first (matched case-insensitively)
PRICE_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "symbol", "ticker", "股票代码", "代码", "证券代码"),
    "date": ("date", "日期", "trade_date", "datetime"),
    "open": ("open", "开盘", "开盘价"),
    "high": ("high", "最高", "最高价"),
    "low": ("low", "最低", "最低价"),
    "close": ("close", "收盘", "收盘价"),
    "adj_close": ("adj close", "adj_close", "adjclose"),
    "volume": ("volume", "成交量"),
    "turnover": ("turnover", "成交额", "amount"),
}


def map_header(columns: list[str], where: str = "file") -> dict[str, str]:
    """Our field -> the file's column, through PRICE_ALIASES. Unknown extra columns (换手率, 振幅) are ignored."""
    norm = {c.strip().lower(): c for c in columns}
    found: dict[str, str] = {}
    for ours, spellings in PRICE_ALIASES.items():
        for s in spellings:
            if s.lower() in norm:
                found[ours] = norm[s.lower()]
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        import difflib

        hints = []
        for f in missing:
            close = difflib.get_close_matches(PRICE_ALIASES[f][0], list(norm), n=1, cutoff=0.5)
            hints.append(f"{f} ({' / '.join(PRICE_ALIASES[f][:3])})" + (f", did you mean {close[0]!r}?" if close else ""))
        raise PriceImportError(f"{where}: no column for {', '.join(hints)}; header is {', '.join(columns)}")
    return found


def check_path(path: Path) -> None:
    if not path.exists():
        raise PriceImportError(f"{path}: no such file")
    if path.is_dir():
        raise PriceImportError(f"{path}: a directory, not a file")


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def _csv_header(path: Path) -> tuple[list[str], str]:
    with open(path, "rb") as fh:
        raw = fh.readline(1 << 16)
    try:
        first = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PriceImportError(f"{path}: not UTF-8 text (a GBK or Big5 export?); save it as UTF-8 and import "
                               "again") from None
    if not first.strip():
        raise PriceImportError(f"{path}: empty file")
    delim = max((",", "\t", ";", "|"), key=first.count)
    names = next(csv.reader(io.StringIO(first), delimiter=delim, skipinitialspace=True))
    return [n.strip() for n in names], delim


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_dates(path: Path, delim: str, index: int, sample: int = 200) -> bool:
    """Do the first ``sample`` rows all write their date as YYYY-MM-DD? Then DuckDB's reader can parse the column
    itself, which is faster than text plus a tolerant cast; a later row in another format triggers a retry."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh, delimiter=delim, skipinitialspace=True)
        next(rows, None)
        seen = 0
        for row in rows:
            if seen == sample:
                break
            if index >= len(row) or not _ISO_DAY.fullmatch(row[index].strip()):
                return False
            seen += 1
    return seen > 0


def _fixed_key(path: Path, m: dict[str, str], code: str | None) -> str | None:
    """The listing of a file without a code column: ``--code``, else the file name (6082.HK.csv). A listing of a
    reused code may be named (``--code 02718@2025``): the key keeps the ``@`` part for the loader to resolve."""
    if "code" in m:
        return None
    guess = code or re.sub(r"\.(csv|tsv|txt|parquet|pq)$", "", path.name, flags=re.I)
    code_text, when = split_listing(guess)
    try:
        return parse_code(code_text).key + (f"@{when}" if when else "")
    except CodeError:
        raise PriceImportError(f"{path}: no code column and {guess!r} is not a listing code; pass --code") from None


def csv_file(path: Path, code: str | None) -> PriceFile:
    """A delimited file: every column typed by us, not sniffed (numbers DOUBLE, the rest text; ISO dates DATE)."""
    columns, delim = _csv_header(path)
    m = map_header(columns, str(path))
    types = {c: "VARCHAR" for c in columns}
    for f in NUMERIC:
        if f in m:
            types[m[f]] = "DOUBLE"
    fast = _iso_dates(path, delim, columns.index(m["date"]))
    if fast:
        types[m["date"]] = "DATE"
    return PriceFile(path, False, columns, types, m, _fixed_key(path, m, code), delim=delim, fast_dates=fast)


def parquet_file(path: Path, code: str | None, described: list[tuple[str, str]]) -> PriceFile:
    """A Parquet file from its (column, type) pairs; numeric codes are refused (their leading zeros are gone)."""
    columns, types = [c for c, _ in described], dict(described)
    m = map_header(columns, str(path))
    if "code" in m and any(t in types[m["code"]] for t in ("INT", "DECIMAL", "DOUBLE", "FLOAT")):
        # 2594 could be HK 02594 or Shenzhen 002594: the zeros that tell them apart are gone
        raise PriceImportError(f"{path}: field {m['code']} holds numbers ({types[m['code']]}), so leading zeros "
                               "are lost and HK and A-share codes cannot be told apart; store codes as text")
    return PriceFile(path, True, columns, types, m, _fixed_key(path, m, code))


def source_for(path: Path, source_title: str | None) -> Source:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.name).strip("-") or "file"
    # the folder is part of the identity: a/p.csv and b/p.csv are two sources, not one overwriting the other
    where = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return Source(id=f"user:prices:{slug}:{where}", kind="user", title=source_title or f"Prices imported from {path.name}",
                  url=path.resolve().as_uri(), retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                  note="ipolens import prices")
