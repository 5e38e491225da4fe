"""The Python API: ``db = ipolens.open(); db.ipo("6082.HK"); db.ipos(market="HK", year=2020)``.

Each method is one use case of ``ipolens.app``, returning its result or the DataFrame inside it. Nothing holds the
ledger file between calls (every call reads on a short read-only connection), so a notebook's ``db`` never blocks
``ipolens serve`` or the CLI.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .app import profile as core
from .app.base import EntityNotFound
from .app.store import Store, open_store

__all__ = ["Database", "open_database", "EntityNotFound"]


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
    def ipos(self, market: str | None = None, year: int | None = None, sort: str | None = None,
             ipos_only: bool = False, q: str | None = None) -> pd.DataFrame:
        """One row per IPO (every column), filtered by market, listing year and a code/name search ``q``.

        Percent columns are percent numbers (82.1 = +82.1%); money is in the ``currency`` column's unit."""
        return core.ipos(self.store, market=market, year=year, sort=sort, ipos_only=ipos_only, q=q).frame

    def aftermarket(self, market: str | None = "HK") -> pd.DataFrame:
        """N-day returns vs offer and index returns from the listing close, one row per IPO."""
        return core.aftermarket_table(self.store, market).rows

    def facts(self, code_or_name: str | None = None, field: str | None = None) -> pd.DataFrame:
        """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
        return core.facts(self.store, code_or_name, field).rows

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
    store), built from the embedded dataset on first use."""
    return Database(open_store(path))
