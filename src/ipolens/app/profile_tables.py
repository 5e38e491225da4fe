"""The ledger's tables as use cases: the IPO table (filtered, searched, paged, with what it leaves out), facts,
conflicts, one listing's row, financials, sources, the aftermarket and market statistics."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field as dc_field
from typing import Any

import pandas as pd

from ..analytics import left_out as lo
from ..analytics.fx import FxTable
from ..analytics.fx_conflicts import all_conflicts
from ..ledger.access import Store
from ..ledger.fields import UnknownFieldError, field as check_field
from ..ledger.markets import UnknownMarket, normalise_market
from ..ledger.queries import ledger as lq
from ..ledger.queries.fx import fx_rates
from ..ledger.queries.left_out import undated_rows
from ..ledger.store import Ledger, _to_simplified
from .base import EntityNotFound, Result, UserError

__all__ = ["IPO_COLUMNS", "IposResult", "TableResult", "FinancialsResult", "resolve", "ipos", "ipos_from", "facts",
           "facts_from", "conflicts", "conflicts_from", "listing", "listing_from", "financials", "sources",
           "aftermarket_table", "market_stats", "market_of"]


# The IPO table's summary columns: what the web table shows and ``ipolens ipos`` prints (narrow terminals drop some).
IPO_COLUMNS = ("code", "entity", "market", "name_en", "name_zh", "listing_date", "route", "offer_price", "currency",
               "lot_size", "oversubscription_public", "public_undersubscribed", "one_lot_success_rate",
               "lots_to_secure_one_lot", "first_day_return", "grey_market_return", "market_cap", "market_cap_as_of",
               "proceeds_gross", "sponsors", "counts_as_ipo")


@dataclass
class TableResult(Result):
    """Rows of one ledger table; ``total`` counts them before any ``limit``."""
    total: int
    rows: pd.DataFrame


@dataclass
class FinancialsResult(Result):
    entity: str
    rows: pd.DataFrame


@dataclass
class IposResult(Result):
    """One page of the IPO table (``rows``: ``columns`` only); ``frame`` holds every column of every match.
    ``left_out``: the listings the table does not show and why (``analytics.left_out``); ``undated``: the rows are
    the listings without a listing date."""
    total: int
    offset: int
    limit: int | None
    columns: list
    rows: pd.DataFrame
    left_out: list = dc_field(default_factory=list)
    undated: bool = False
    _frame: pd.DataFrame = dc_field(repr=False, default=None)

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame


def market_of(name: str | None) -> str | None:
    """The registry's market id ('hk' -> 'HK', 'US' -> 'NASDAQ'); an unknown name is the user's to fix."""
    if name is None or not str(name).strip():
        return None
    try:
        return normalise_market(name)
    except UnknownMarket as exc:
        raise UserError(str(exc)) from None


def resolve(store: Store, text: str) -> str:
    """Entity key (``HK:06082``) for a code in any spelling or a company name."""
    with store.read() as led:
        return led.resolve_entity(text)


def ipos(store: Store, market: str | None = None, year: int | None = None, sort: str | None = None,
         ipos_only: bool = False, q: str | None = None, limit: int | None = None, offset: int = 0,
         all_columns: bool = False, undated: bool = False) -> IposResult:
    """The IPO table filtered by market, listing year and a search ``q`` (code or name, traditional Chinese too),
    sorted by ``sort`` (a column, '-' prefix for descending), paged by ``offset``/``limit``.

    Nothing vanishes silently: ``left_out`` counts the listings the search matched but the table leaves out, by
    reason (no listing date, out of the year, not an IPO), each listing once. ``undated``: list the listings
    without a listing date instead (their ``left_out`` holds only the not-IPO ones)."""
    if limit is not None and limit < 0 or offset < 0:
        raise UserError("limit and offset must not be negative")
    if undated and year is not None:
        raise UserError("--undated lists the listings without a listing date; a year cannot select among them")
    with store.read() as led:
        df = ipos_from(led, market, None, sort=sort)
        nodate = undated_rows(led, market_of(market))
    if q:
        df, nodate = df[_matches(df, q)], nodate[_matches(nodate, q)]
    pairs = []
    if undated:
        df = nodate.sort_values(sort.lstrip("-"), ascending=not sort.startswith("-"), na_position="last",
                                kind="stable") if sort else nodate
    else:
        pairs.append(("no_listing_date", lo.codes_of(nodate)))
        if year is not None:
            in_year = pd.to_datetime(df["listing_date"]).dt.year == int(year)
            pairs.append(("out_of_years", lo.codes_of(df[~in_year])))
            df = df[in_year]
    if ipos_only:  # the ledger's rule: counts_as_ipo 1 or unknown
        is_ipo = df["counts_as_ipo"].fillna(1) == 1
        pairs.append(("not_ipo", lo.codes_of(df[~is_ipo])))
        df = df[is_ipo]
    df = df.reset_index(drop=True)
    cols = list(df.columns) if all_columns else [c for c in IPO_COLUMNS if c in df.columns]
    page = df.iloc[offset:] if limit is None else df.iloc[offset:offset + limit]
    return IposResult(int(len(df)), offset, limit, cols, page[cols].reset_index(drop=True), lo.report(pairs),
                      undated, df)


def ipos_from(led: Ledger, market: str | None = None, year: int | None = None, ipos_only: bool = False,
              sort: str | None = None) -> pd.DataFrame:
    """One row per IPO: listings joined with first_day and companies. Percent columns are percent numbers
    (82.1 = +82.1%); money is in the ``currency`` column's unit."""
    df = lq.ipo_rows(led, market_of(market), year, ipos_only)
    if sort:
        col = sort.lstrip("-")
        if col not in df.columns:
            hint = difflib.get_close_matches(col, df.columns, n=3)
            raise UserError(f"cannot sort by {col!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
        df = df.sort_values(col, ascending=not sort.startswith("-"), na_position="last", kind="stable")
    return df.reset_index(drop=True)


def _matches(df: pd.DataFrame, needle: str) -> pd.Series:
    """Rows whose code or names contain ``needle``. Why t2s on both sides: the resolver accepts traditional
    spellings (智譜 -> 智谱), so the search must too."""
    simple = _to_simplified(needle).lower()
    hay = (df["code"].fillna("") + " " + df["name_en"].fillna("") + " " + df["name_zh"].fillna("")).str.lower()
    converted = _to_simplified("\n".join(h.replace("\n", " ") for h in hay)).split("\n")
    if len(converted) == len(hay):  # one conversion for the whole column, one line per row
        hay = pd.Series(converted, index=hay.index)
    return hay.str.contains(simple, regex=False) | hay.str.contains(needle.lower(), regex=False)


def facts(store: Store, code: str | None = None, field: str | None = None, limit: int | None = None) -> TableResult:
    """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
    with store.read() as led:
        df = facts_from(led, led.resolve_entity(code) if code else None, field)
    return TableResult(int(len(df)), df if limit is None else df.head(limit))


def facts_from(led: Ledger, key: str | None = None, field: str | None = None) -> pd.DataFrame:
    if field:
        try:
            check_field(field)
        except UnknownFieldError as exc:  # nothing of that name exists: a not-found, like an unknown code
            raise EntityNotFound(str(exc)) from None
    return lq.fact_rows(led, key, field)


def conflicts(store: Store, code: str | None = None) -> TableResult:
    """Pairs of values for one entity, field and date that disagree beyond what their qualifiers allow.

    Same-currency pairs come from the ``conflicts`` view; pairs in two currencies are compared through the dated
    FX table (``analytics.fx_conflicts``) and carry the rate, its dates and source in the FX columns."""
    with store.read() as led:
        df = conflicts_from(led, led.resolve_entity(code) if code else None)
    return TableResult(int(len(df)), df)


def conflicts_from(led: Ledger, key: str | None = None) -> pd.DataFrame:
    return _all_conflicts(led, key, FxTable(fx_rates(led)))


def _all_conflicts(led: Ledger, key: str | None, fx: FxTable) -> pd.DataFrame:
    return all_conflicts(lq.same_currency_conflicts(led, key), lq.cross_currency_pairs(led, key), fx)


def listing(store: Store, code: str) -> dict:
    """The resolved ``listings`` row of one IPO as a dict (empty values dropped)."""
    with store.read() as led:
        return listing_from(led, led.resolve_entity(code), code)


def listing_from(led: Ledger, key: str, label: str | None = None) -> dict:
    df = lq.listing_row(led, key)
    if df.empty:
        raise EntityNotFound(f"{label or key!r} ({key}) has no listing facts")
    return {k: v for k, v in df.iloc[0].to_dict().items() if not _isna(v)}


def financials(store: Store, code: str) -> FinancialsResult:
    """Financial periods of one company, one row per period (the ``financials`` view)."""
    with store.read() as led:
        key = led.resolve_entity(code)
        return FinancialsResult(key, lq.financial_rows(led, key))


def sources(store: Store) -> TableResult:
    with store.read() as led:
        df = lq.source_rows(led)
    return TableResult(int(len(df)), df)


def aftermarket_table(store: Store, market: str | None = "HK") -> TableResult:
    """N-day returns vs offer and index returns from the listing close, one row per IPO."""
    with store.read() as led:
        df = lq.aftermarket_rows(led, market_of(market))
    return TableResult(int(len(df)), df)


def market_stats(store: Store) -> TableResult:
    with store.read() as led:
        df = lq.market_stats_rows(led)
    return TableResult(int(len(df)), df)


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
