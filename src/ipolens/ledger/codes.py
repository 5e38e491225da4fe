"""Listing-code normalisation: every spelling of a code maps to one entity key.

Entity keys are ``MARKET:CODE``: ``HK:06082``, ``SH:688795``, ``SZ:300750``, ``US:HWEP``.
Companies without a listing use ``CO:<slug>``; indices ``IDX:<name>``; market aggregates ``MKT:<slug>``.

A listing is (market, code, listing date): exchanges reuse codes (HKEX gives a delisted company's code to a later
IPO; US tickers are reused too). The first listing of a code in the ledger keeps the plain key ``HK:02718``; a later
listing of the same code whose listing date is more than ``relisting_days()`` away gets ``HK:02718@2025`` (its
listing year; ``HK:02718@2025-07-09`` when another listing of the code shares that year). Users select one with
``02718@2025`` or ``02718.HK@2025`` (:func:`split_listing`); :func:`parse_code` itself only reads plain codes.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

__all__ = ["ListingCode", "parse_code", "looks_like_code", "CodeError", "sql_key", "RELISTING_DAYS",
           "relisting_days", "split_listing", "base_key", "listing_key"]

# Two listings of one code whose listing dates are more than this many days apart are different listings (a reused
# code), not one IPO. IPOLENS_RELISTING_DAYS, or `relisting_days:` in an import mapping, overrides it.
RELISTING_DAYS = 365


class CodeError(ValueError):
    """Raised when a string cannot be read as a listing code."""


@dataclass(frozen=True)
class ListingCode:
    market: str  # HK | SH | SZ | US
    code: str  # 5-digit for HK, 6-digit for SH/SZ, ticker for US

    @property
    def key(self) -> str:
        return f"{self.market}:{self.code}"

    @property
    def display(self) -> str:
        """The form users type: 06082.HK, 688795.SH, HWEP."""
        return self.code if self.market == "US" else f"{self.code}.{self.market}"

    @property
    def yahoo(self) -> str:
        """Yahoo Finance symbol: 6082.HK (4 digits), 688795.SS, 300750.SZ."""
        if self.market == "HK":
            return f"{int(self.code):04d}.HK"
        if self.market == "SH":
            return f"{self.code}.SS"
        if self.market == "SZ":
            return f"{self.code}.SZ"
        return self.code

    @property
    def exchange(self) -> str:
        return {"HK": "HKEX", "SH": "SSE", "SZ": "SZSE", "US": "NASDAQ"}[self.market]

    @property
    def board(self) -> str:
        """STAR for 688xxx/689xxx, ChiNext for 300/301, GEM for HK 08xxx."""
        if self.market == "SH" and self.code.startswith(("688", "689")):
            return "STAR"
        if self.market == "SZ" and self.code.startswith(("300", "301")):
            return "ChiNext"
        if self.market == "HK":
            return "GEM" if self.code.startswith("08") else "Main Board"
        return "Main Board" if self.market != "US" else "Nasdaq"


_HK_EXPLICIT = re.compile(r"^(?:HK:0*(\d{1,5})|0*(\d{1,5})[.\s-](?:HK|HKEX))$", re.I)
_CN = re.compile(r"^(?:(SH|SZ|SS)[:.]?)?(\d{6})(?:[.\s](SH|SS|SZ))?$", re.I)
_US = re.compile(r"^(?:US:|NASDAQ:)?([A-Z][A-Z.\-]{0,5})$")


def _cn_market(code: str, suffix: str | None) -> str:
    if suffix:
        return "SH" if suffix.upper() in ("SH", "SS") else "SZ"
    # Shanghai: 6xxxxx (main board 600/601/603/605, STAR 688/689) and B shares 900xxx; Shenzhen: 0/2/3xxxxx.
    # Beijing (4xxxxx, 8xxxxx, 92xxxx) is another exchange, not a Shenzhen listing: refuse rather than mislabel.
    if code.startswith(("6", "900")):
        return "SH"
    if code.startswith(("0", "2", "3")):
        return "SZ"
    raise CodeError(f"{code}: a Beijing Stock Exchange or unknown A-share code; give it with .SH or .SZ if it is "
                    "one of those")


def parse_code(text: str) -> ListingCode:
    """Read a listing code in any common spelling.

    >>> parse_code("6082 HK").key
    'HK:06082'
    >>> parse_code("688795.SS").key
    'SH:688795'
    """
    raw = text.strip()
    if not raw:
        raise CodeError("empty listing code")
    s = raw.replace("：", ":").replace("．", ".")
    m = _HK_EXPLICIT.match(s)
    if m:
        digits = m.group(1) or m.group(2)
        return ListingCode("HK", f"{int(digits):05d}")
    m = _CN.match(s)
    if m:
        prefix, code, suffix = m.groups()
        return ListingCode(_cn_market(code, suffix or prefix), code)
    # Bare digits of length <= 5 are HK codes (06082, 6082, 100).
    if re.fullmatch(r"\d{1,5}", s):
        return ListingCode("HK", f"{int(s):05d}")
    m = _US.match(s)
    if m and m.group(1).upper() == m.group(1):
        return ListingCode("US", m.group(1))
    raise CodeError(f"not a listing code: {text!r}")


def looks_like_code(text: str) -> bool:
    try:
        parse_code(text)
    except CodeError:
        return False
    return True


def sql_key(column: str) -> str:
    """A DuckDB expression giving ``parse_code(column).key`` for the spellings bulk files use, NULL for the rest.

    Bulk price imports map codes row by row inside one INSERT, where a Python call per row is not affordable.
    The expression covers 600000/900901/000001, 600000.SS/.SH/.SZ, 0700.HK, 09988.HK, bare 4- and 5-digit HK
    codes and upper-case tickers; every other spelling is NULL, and the caller falls back to :func:`parse_code`
    (which names the row when it cannot read the code either, e.g. a Beijing code such as 830799).
    A property test holds the two to "NULL or the same key" on generated spellings.
    """
    x = column
    d = "[0-9]"
    return (f"CASE WHEN {x} GLOB '[6]{d * 5}' OR {x} GLOB '900{d * 3}' THEN 'SH:' || {x} "
            f"WHEN {x} GLOB '[023]{d * 5}' THEN 'SZ:' || {x} "
            f"WHEN {x} GLOB '{d * 6}.[Ss][HhSs]' THEN 'SH:' || {x}[1:6] "
            f"WHEN {x} GLOB '{d * 6}.[Ss][Zz]' THEN 'SZ:' || {x}[1:6] "
            f"WHEN {x} GLOB '{d * 4}.[Hh][Kk]' THEN 'HK:0' || {x}[1:4] "
            f"WHEN {x} GLOB '{d * 5}.[Hh][Kk]' THEN 'HK:' || {x}[1:5] "
            f"WHEN {x} GLOB '{d * 5}' THEN 'HK:' || {x} "
            f"WHEN {x} GLOB '{d * 4}' THEN 'HK:0' || {x} "
            f"WHEN regexp_full_match({x}, '[A-Z][A-Z.\\-]{{0,5}}') THEN 'US:' || {x} END")


def relisting_days() -> int:
    """The distance in days beyond which two listing dates of one code are two listings (IPOLENS_RELISTING_DAYS)."""
    raw = os.environ.get("IPOLENS_RELISTING_DAYS", "").strip()
    if not raw:
        return RELISTING_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise CodeError(f"IPOLENS_RELISTING_DAYS={raw!r} is not a whole number of days") from None
    if days < 1:
        raise CodeError(f"IPOLENS_RELISTING_DAYS={raw!r} must be at least 1")
    return days


_AT = re.compile(r"^(?P<code>.+?)\s*@\s*(?P<when>\d{4}(?:-\d{2}(?:-\d{2})?)?)$")


def split_listing(text: str) -> tuple[str, str | None]:
    """'02718.HK@2025' -> ('02718.HK', '2025'); '02718@2025-07-09' -> ('02718', '2025-07-09'); '02718' -> ('02718',
    None). The part after ``@`` is a listing year, year-month or date."""
    m = _AT.match(text.strip())
    return (m["code"], m["when"]) if m else (text, None)


def base_key(key: str) -> str:
    """'HK:02718@2025' -> 'HK:02718': the key of the code, whichever of its listings ``key`` is."""
    return key.split("@", 1)[0]


def listing_key(base: str, listing_date: str, other_dates: list[str | None], taken: set[str]) -> str:
    """The key of a further listing of ``base`` listed on ``listing_date`` (ISO): ``base@YEAR``, or ``base@DATE``
    when another listing of the code (``other_dates``) was listed in that year or the key is taken."""
    year = listing_date[:4]
    key = f"{base}@{year}"
    if key in taken or any(d and d[:4] == year for d in other_dates):
        key = f"{base}@{listing_date[:10]}"
    return key
