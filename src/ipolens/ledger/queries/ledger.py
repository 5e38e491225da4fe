"""Named queries over the resolved ledger: the IPO table, facts, conflicts, listings, financials, sources."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["ipo_rows", "fact_rows", "same_currency_conflicts", "cross_currency_pairs", "listing_row",
           "financial_rows", "source_rows", "aftermarket_rows", "market_stats_rows"]


def ipo_rows(led: Ledger, market: str | None = None, year: int | None = None,
             ipos_only: bool = False) -> pd.DataFrame:
    """Listings with a listing date, joined with first_day and companies (names filled from the entity), by
    listing date and code.

    ``ipos_only`` keeps rows whose ``counts_as_ipo`` is 1 or unknown (introductions and transfers drop out)."""
    where, params = ["l.listing_date IS NOT NULL"], []
    if market:
        where.append("l.market = ?")
        params.append(market)
    if year is not None:
        where.append("year(l.listing_date) = ?")
        params.append(int(year))
    if ipos_only:
        where.append("coalesce(l.counts_as_ipo, 1) = 1")
    df = led.query(f"""SELECT l.*, f.* EXCLUDE (entity, code, market, entity_name_en, entity_name_zh),
                              c.name_en, c.name_zh, c.sector, c.industry
                       FROM listings l LEFT JOIN first_day f USING (entity) LEFT JOIN companies c USING (entity)
                       WHERE {' AND '.join(where)} ORDER BY l.listing_date, l.code, l.entity""", params)
    # a company's names win; a listing without a company row keeps the names its entity carries
    df["name_en"] = df["name_en"].fillna(df.pop("entity_name_en"))
    df["name_zh"] = df["name_zh"].fillna(df.pop("entity_name_zh"))
    df["listing_date"] = pd.to_datetime(df["listing_date"]).dt.date
    return df


def fact_rows(led: Ledger, entity: str | None = None, field: str | None = None) -> pd.DataFrame:
    """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
    return led.query("""SELECT r.id, r.entity, r.field, r.value_num AS value, r.value_high, r.value_text AS text,
                               r.unit, r.currency, r.qualifier, r.as_of, r.period, r.date_key, r.source_id,
                               r.source_kind, r.source_title, r.source_publisher, r.source_published, r.quote,
                               r.claim_type, r.derived_from, r.note, r.rank_in_date = 1 AS is_resolved
                        FROM fact_rank r
                        WHERE (?::VARCHAR IS NULL OR r.entity = ?) AND (?::VARCHAR IS NULL OR r.field = ?)
                        ORDER BY r.entity, r.field, r.date_key, r.rank_in_date""", [entity, entity, field, field])


def same_currency_conflicts(led: Ledger, entity: str | None = None) -> pd.DataFrame:
    """The ``conflicts`` view: pairs of one entity, field and date that disagree beyond their qualifiers."""
    return led.query("SELECT * FROM conflicts WHERE (?::VARCHAR IS NULL OR entity = ?)", [entity, entity])


def cross_currency_pairs(led: Ledger, entity: str | None = None) -> pd.DataFrame:
    """Candidate pairs in two currencies (same entity, field and date), with their intervals and the dates an FX
    rate can be chosen by (as-of, publication, the source's date note). Forecasts pair only within a source."""
    return led.query("""
        SELECT a.entity, a.field, a.date_key,
               a.id AS id_a, a.value_num AS value_a, a.value_text AS text_a, a.qualifier AS qualifier_a,
               a.source_id AS source_a, a.quote AS quote_a, a.claim_type AS claim_a, b.claim_type AS claim_b,
               b.id AS id_b, b.value_num AS value_b, b.value_text AS text_b, b.qualifier AS qualifier_b,
               b.source_id AS source_b, b.quote AS quote_b, a.currency AS unit,
               a.currency AS currency_a, b.currency AS currency_b, a.lo AS lo_a, a.hi AS hi_a, b.lo AS lo_b,
               b.hi AS hi_b, a.as_of AS as_of_a, b.as_of AS as_of_b, sa.published AS published_a,
               sb.published AS published_b, sa.date_note AS date_note_a, sb.date_note AS date_note_b
        FROM facts a JOIN facts b
          ON a.entity = b.entity AND a.field = b.field AND a.date_key = b.date_key AND a.id < b.id
         AND a.currency <> b.currency
        JOIN sources sa ON sa.id = a.source_id JOIN sources sb ON sb.id = b.source_id
        WHERE a.value_num IS NOT NULL AND b.value_num IS NOT NULL
          AND sa.kind <> 'derived' AND sb.kind <> 'derived'
          AND ((a.claim_type <> 'forecast' AND b.claim_type <> 'forecast') OR a.source_id = b.source_id)
          AND (?::VARCHAR IS NULL OR a.entity = ?)
        ORDER BY a.entity, a.field, a.id""", [entity, entity])


def listing_row(led: Ledger, key: str) -> pd.DataFrame:
    """The resolved ``listings`` row of one entity (empty frame if it has no listing facts)."""
    return led.query("SELECT * FROM listings WHERE entity = ?", [key])


def financial_rows(led: Ledger, key: str) -> pd.DataFrame:
    return led.query("SELECT * FROM financials WHERE entity = ? ORDER BY period", [key])


def source_rows(led: Ledger) -> pd.DataFrame:
    return led.query("SELECT * FROM sources ORDER BY id")


def aftermarket_rows(led: Ledger, market: str | None = None) -> pd.DataFrame:
    """N-day returns vs offer and index returns from the listing close, with listing date, offer and oversub."""
    return led.query("""SELECT a.*, l.listing_date, l.offer_price, l.oversubscription_public
                        FROM aftermarket a JOIN listings l USING (entity)
                        WHERE (?::VARCHAR IS NULL OR l.market = ?) ORDER BY l.listing_date, a.entity""",
                     [market, market])  # entity breaks ties: sums over the rows must not depend on scan order


def market_stats_rows(led: Ledger) -> pd.DataFrame:
    return led.query("SELECT * FROM market_stats ORDER BY entity, field, period")
