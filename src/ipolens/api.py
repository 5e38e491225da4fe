"""The Python API: ``db = ipolens.open(); db.ipo("6082.HK"); db.ipos(market="HK", year=2020)``.

Every method returns plain data or a pandas DataFrame built from the ledger's resolved views.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .data.embedded import ensure_embedded
from .ledger.store import EntityNotFound, Ledger

__all__ = ["Database", "open_database", "EntityNotFound"]

MARKETS = ("HK", "STAR", "SH", "SZ", "NASDAQ")


class Database:
    """A ledger with the embedded dataset loaded, plus the questions users ask of it."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    @property
    def con(self):
        return self.ledger.con

    def close(self) -> None:
        self.ledger.close()

    # -- lookups ------------------------------------------------------------------------------------------------
    def resolve(self, code_or_name: str) -> str:
        """Entity key (``HK:06082``) for a code in any spelling or a company name."""
        return self.ledger.resolve_entity(code_or_name)

    def listing(self, code_or_name: str) -> dict:
        """The resolved ``listings`` row of one IPO as a dict (empty values dropped)."""
        key = self.resolve(code_or_name)
        df = self.ledger.query("SELECT * FROM listings WHERE entity = ?", [key])
        if df.empty:
            raise EntityNotFound(f"{code_or_name!r} ({key}) has no listing facts")
        return {k: v for k, v in df.iloc[0].to_dict().items() if not _isna(v)}

    def ipo(self, code_or_name: str):
        """The profile of one IPO (deal, first day, valuation, fundamentals, conflicts, sources).

        Returns an ``IpoProfile``; ``.to_dict()`` is exactly what ``ipolens ipo CODE --json`` prints.
        """
        from .profile import build_profile

        return build_profile(self.ledger, self.resolve(code_or_name))

    # -- tables -------------------------------------------------------------------------------------------------
    def ipos(self, market: str | None = None, year: int | None = None, sort: str | None = None,
             ipos_only: bool = False) -> pd.DataFrame:
        """One row per IPO: listings joined with first_day, filtered by market and listing year.

        Percent columns are percent numbers (82.1 = +82.1%); money is in the ``currency`` column's unit.
        """
        where, params = ["l.listing_date IS NOT NULL"], []
        if market:
            m = market.upper()
            if m not in MARKETS:
                raise ValueError(f"unknown market {market!r}; expected one of {', '.join(MARKETS)}")
            where.append("l.market = ?")
            params.append(m)
        if year is not None:
            where.append("year(l.listing_date) = ?")
            params.append(int(year))
        if ipos_only:
            where.append("coalesce(l.counts_as_ipo, 1) = 1")
        sql = f"""SELECT l.*, f.* EXCLUDE (entity, code, market, entity_name_en, entity_name_zh),
                         c.name_en, c.name_zh, c.sector, c.industry
                  FROM listings l LEFT JOIN first_day f USING (entity) LEFT JOIN companies c USING (entity)
                  WHERE {' AND '.join(where)} ORDER BY l.listing_date, l.code"""
        df = self.ledger.query(sql, params)
        df["name_en"] = df["name_en"].fillna(df.pop("entity_name_en"))
        df["name_zh"] = df["name_zh"].fillna(df.pop("entity_name_zh"))
        df["listing_date"] = pd.to_datetime(df["listing_date"]).dt.date
        if sort:
            desc = sort.startswith("-")
            col = sort.lstrip("-")
            if col not in df.columns:
                import difflib

                hint = difflib.get_close_matches(col, df.columns, n=3)
                raise ValueError(f"cannot sort by {col!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
            df = df.sort_values(col, ascending=not desc, na_position="last", kind="stable")
        return df.reset_index(drop=True)

    def aftermarket(self, market: str | None = "HK") -> pd.DataFrame:
        """N-day returns vs offer and index returns from the listing close, one row per IPO."""
        df = self.ledger.query("""SELECT a.*, l.listing_date, l.offer_price, l.oversubscription_public
                                  FROM aftermarket a JOIN listings l USING (entity)
                                  WHERE (? IS NULL OR l.market = ?) ORDER BY l.listing_date""", [market, market])
        return df

    def facts(self, code_or_name: str | None = None, field: str | None = None) -> pd.DataFrame:
        """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
        where, params = [], []
        if code_or_name:
            where.append("r.entity = ?")
            params.append(self.resolve(code_or_name))
        if field:
            from .ledger.fields import field as check_field

            check_field(field)
            where.append("r.field = ?")
            params.append(field)
        sql = f"""SELECT r.id, r.entity, r.field, r.value_num AS value, r.value_high, r.value_text AS text, r.unit,
                         r.currency, r.qualifier, r.as_of, r.period, r.date_key, r.source_id, r.source_kind,
                         r.source_title, r.source_publisher, r.source_published, r.quote, r.claim_type,
                         r.derived_from, r.note, r.rank_in_date = 1 AS is_resolved
                  FROM fact_rank r {('WHERE ' + ' AND '.join(where)) if where else ''}
                  ORDER BY r.entity, r.field, r.date_key, r.rank_in_date"""
        return self.ledger.query(sql, params)

    def conflicts(self, code_or_name: str | None = None) -> pd.DataFrame:
        """Pairs of values for one entity, field and date that disagree beyond what their qualifiers allow.

        Same-currency pairs come from the ``conflicts`` view; pairs in two currencies are compared through the
        dated FX table (``analytics.fx_conflicts``) and carry the rate, its dates and source in the FX columns.
        """
        from .analytics.fx_conflicts import all_conflicts

        return all_conflicts(self.ledger.con, self.resolve(code_or_name) if code_or_name else None)

    def financials(self, code_or_name: str) -> pd.DataFrame:
        return self.ledger.query("SELECT * FROM financials WHERE entity = ? ORDER BY period",
                                 [self.resolve(code_or_name)])

    def market_stats(self) -> pd.DataFrame:
        return self.ledger.query("SELECT * FROM market_stats ORDER BY entity, field, period")


def open_database(path: str | Path | None = None) -> Database:
    """Open (creating if needed) the ledger at ``path`` (default: $IPOLENS_HOME or the user data directory;
    ``":memory:"`` for a throwaway store) and make sure the embedded dataset is loaded."""
    ledger = Ledger(path)
    ensure_embedded(ledger)
    return Database(ledger)


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
