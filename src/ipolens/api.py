"""The Python API: ``db = ipolens.open(); db.ipo("6082.HK"); db.ipos(market="HK", year=2020)``.

Each method is one use case of ``ipolens.app``, returning its result or the DataFrame inside it. Nothing holds the
ledger file between calls (every call reads on a short read-only connection), so a notebook's ``db`` never blocks
``ipolens serve`` or the CLI.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from .app import profile as core
from .app.base import EntityNotFound, UserError
from .app.store import Store, open_store

__all__ = ["Database", "open_database", "EntityNotFound", "markets_for"]

# Yahoo's suffix for Shanghai codes: ledger/codes.py reads 688795.SS as 688795.SH.
_SUFFIX_ALIASES = {"SS": "SH"}
# Columns holding dates besides the vocabulary's date fields (the facts table's, the market cap's reading date).
_DATE_COLUMNS = ("as_of", "source_published", "market_cap_as_of", "published", "retrieved")


def markets_for(name: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """The markets a name stands for. A code suffix or its exchange (SH, SS, SSE; SZ, SZSE; HK; US) stands for every
    market whose codes carry it (SH -> STAR and the SSE Main Board, since STAR codes end in .SH); a market id (STAR,
    NASDAQ, CHINEXT …) for itself. An unknown name raises ``UserError`` naming the accepted ones."""
    from .ledger.markets import MARKETS, UnknownMarket, market, normalise_market

    if name is None:
        return None
    if not isinstance(name, str):
        return tuple(dict.fromkeys(m for n in name for m in markets_for(n)))
    up = _SUFFIX_ALIASES.get(name.strip().upper(), name.strip().upper())
    prefixes = {m: market(m).code_prefix for m in MARKETS}
    if up not in prefixes.values():
        try:
            up = normalise_market(up)
        except UnknownMarket:
            known = sorted({*MARKETS, *prefixes.values(), *_SUFFIX_ALIASES})
            raise UserError(f"unknown market {name!r}; expected one of {', '.join(known)}") from None
        if up not in prefixes.values():
            return (up,)
    return tuple(m for m, p in prefixes.items() if p == up)


def _years(year) -> set[int] | None:
    """``2020``, ``range(2019, 2022)`` or ``[2019, 2021]`` -> a set of years (None: every year)."""
    if year is None:
        return None
    if isinstance(year, (int, str)) and not isinstance(year, bool):
        try:
            return {int(year)}
        except ValueError:
            raise UserError(f"year must be a year such as 2020, a range or a list of years; got {year!r}") from None
    try:
        return {int(y) for y in year}
    except (TypeError, ValueError):
        raise UserError(f"year must be a year such as 2020, a range or a list of years; got {year!r}") from None


def with_dates(df: pd.DataFrame) -> pd.DataFrame:
    """Date columns as datetime64 (``df["listing_date"].dt.year`` works); a column that is not all dates stays."""
    from .ledger.fields import FIELDS

    out = df.copy()
    for c in out.columns:
        is_date = (c in FIELDS and FIELDS[c].kind == "date") or c in _DATE_COLUMNS
        if is_date and not pd.api.types.is_datetime64_any_dtype(out[c]):
            try:
                out[c] = pd.to_datetime(out[c])
            except (TypeError, ValueError):
                pass  # free text in a date column (an undated note): left as the ledger holds it
    return out


class Database:
    """The questions users ask of the ledger in ``store`` (``db.store`` for the use cases of ``ipolens.app``)."""

    def __init__(self, store: Store):
        self.store = store

    def close(self) -> None:
        self.store.close()

    # -- lookups ------------------------------------------------------------------------------------------------
    def resolve(self, code_or_name: str) -> str:
        """Entity key (``HK:06082``) for a code in any spelling or a company name."""
        return core.resolve(self.store, code_or_name)

    def listing(self, code_or_name: str) -> dict:
        """The resolved ``listings`` row of one IPO as a dict (empty values dropped)."""
        return core.listing(self.store, code_or_name)

    def ipo(self, code_or_name: str) -> core.IpoProfile:
        """The profile of one IPO (deal, first day, valuation, fundamentals, conflicts, sources).

        ``.to_dict()`` is exactly what ``ipolens ipo CODE --json`` prints."""
        return core.ipo_profile(self.store, code_or_name)

    def company(self, name_or_code: str) -> pd.DataFrame:
        """A company's listings, one row each (company, key, code, listing_date, share_class, role, basis); a name
        matching several companies raises ``EntityNotFound`` naming them. ``ipolens company NAME --json`` gives the
        full result (listings not in the ledger, the H-share discount to the A share)."""
        from .app.companies import company, company_frame

        return company_frame(company(self.store, name_or_code))

    # -- tables -------------------------------------------------------------------------------------------------
    def ipos(self, market: str | Iterable[str] | None = None, year: int | Iterable[int] | None = None,
             sort: str | None = None, ipos_only: bool = False, q: str | None = None) -> pd.DataFrame:
        """One row per IPO (every column), filtered by market, listing year and a code/name search ``q``.

        ``market``: a market (STAR, HK, NASDAQ …), a code suffix or exchange standing for all its markets (SH, SS,
        SSE -> STAR and the SSE Main Board), or a list of them. ``year``: 2020, ``range(2019, 2022)`` or a list.
        Date columns are datetime64; percent columns are percent numbers (82.1 = +82.1%); money is in the
        ``currency`` column's unit."""
        markets, years = markets_for(market), _years(year)
        one = markets[0] if markets and len(markets) == 1 else None
        df = core.ipos(self.store, market=one, sort=sort, ipos_only=ipos_only, q=q).frame
        if markets and one is None:
            df = df[df["market"].isin(markets)]
        df = with_dates(df)
        if years is not None:
            df = df[df["listing_date"].dt.year.isin(years)]
        return df.reset_index(drop=True)

    def aftermarket(self, market: str | None = "HK") -> pd.DataFrame:
        """N-day returns vs offer and index returns from the listing close, one row per IPO."""
        markets = markets_for(market)
        frames = [core.aftermarket_table(self.store, m).rows for m in (markets or (None,))]
        return with_dates(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])

    def facts(self, code_or_name: str | None = None, field: str | None = None) -> pd.DataFrame:
        """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
        return with_dates(core.facts(self.store, code_or_name, field).rows)

    def conflicts(self, code_or_name: str | None = None) -> pd.DataFrame:
        """Pairs of values for one entity, field and date that disagree beyond what their qualifiers allow; pairs
        in two currencies carry the FX rate, its dates and source in the FX columns."""
        return core.conflicts(self.store, code_or_name).rows

    def financials(self, code_or_name: str) -> pd.DataFrame:
        return core.financials(self.store, code_or_name).rows

    def market_stats(self) -> pd.DataFrame:
        return core.market_stats(self.store).rows

    # -- the other use cases, as the CLI and the web API run them ------------------------------------------------
    def stats(self, by: str = "band", market: str | None = None, year: int | None = None, ipos_only: bool = True):
        """First-day return statistics by group (``ipolens stats --json`` is its ``to_dict()``)."""
        from .app.stats import stats

        return stats(self.store, by=by, market=market, year=year, ipos_only=ipos_only)

    def compare(self, codes: list[str], currency: str = "HKD"):
        """Cross-market comparison in one currency, converted through the dated FX table."""
        from .app.stats import compare

        return compare(self.store, codes, currency=currency)

    def hk_tranche(self, code: str | None = None, **kwargs):
        """Public tranche after reallocation (``ipolens hk tranche``); keyword arguments as the CLI's options."""
        from .app.hk import tranche

        return tranche(self.store, code, **kwargs)

    def check_news(self, text: str, published=None, market: str | None = None):
        """The numbers of an article with a verdict each (``ipolens news check --json``)."""
        from .app.news import check_text

        return check_text(self.store, text, published=published, market=market)


def open_database(path: str | Path | None = None) -> Database:
    """The ledger at ``path`` (default: $IPOLENS_HOME or the user data directory; ``":memory:"`` for a throwaway
    store), built from the embedded dataset on first use. ``df.plot()`` works out of the box: without matplotlib
    (not a dependency) pandas plots through plotly (a dependency), unless you chose a backend yourself."""
    _plot_backend()
    return Database(open_store(path))


def _plot_backend() -> None:
    import importlib.util

    if pd.get_option("plotting.backend") == "matplotlib" and importlib.util.find_spec("matplotlib") is None:
        pd.set_option("plotting.backend", "plotly")
