"""Named queries for deal parties: listings a cornerstone record can attach to, investors and their deals."""
from __future__ import annotations

import pandas as pd

from ..parties import has_schema
from ..store import Ledger

__all__ = ["listing_candidates", "party_hits", "alias_map", "investor_deals", "source_row", "party_rows",
           "deal_party_rows"]


def listing_candidates(led: Ledger, codes: list[str], keys: list[str]) -> pd.DataFrame:
    """Listings that listing codes (display form, 02513.HK) or entity keys can name, one row per listing (a reused
    code has several), with market, listing date, names and chapter."""
    return led.query("""
        SELECT e.key AS entity, e.code, e.market, coalesce(c.name_en, e.name_en) AS name_en,
               coalesce(c.name_zh, e.name_zh) AS name_zh, l.listing_date, l.listing_chapter, l.route
        FROM entities e LEFT JOIN listings l ON l.entity = e.key LEFT JOIN companies c ON c.entity = e.key
        WHERE e.kind = 'listing' AND (list_contains(?::VARCHAR[], e.code) OR list_contains(?::VARCHAR[], e.key))
        ORDER BY l.listing_date NULLS LAST, e.key""", [list(codes), list(keys)])


def source_row(led: Ledger, source_id: str) -> dict | None:
    df = led.query("SELECT * FROM sources WHERE id = ?", [source_id])
    return None if df.empty else df.iloc[0].to_dict()


def party_rows(led: Ledger, kind: str) -> pd.DataFrame:
    if not has_schema(led):
        return pd.DataFrame(columns=["id", "kind", "name_en", "name_zh", "type"])
    return led.query("SELECT * FROM parties WHERE kind = ? ORDER BY id", [kind])


def party_hits(led: Ledger, alias: str, kind: str) -> list[str]:
    """Parties of ``kind`` with the alias key ``alias`` exactly, else those whose alias starts with it."""
    if not has_schema(led):
        return []
    sql = """SELECT DISTINCT a.party FROM party_aliases a JOIN parties p ON p.id = a.party
             WHERE p.kind = ? AND {} ORDER BY a.party"""
    exact = led.query(sql.format("a.alias = ?"), [kind, alias])["party"].tolist()
    if exact or len(alias) < 2:
        return exact
    return led.query(sql.format("starts_with(a.alias, ?)"), [kind, alias])["party"].tolist()


def alias_map(led: Ledger, kind: str) -> dict[str, str]:
    """alias key -> party id for every party of ``kind`` (the first party, by id, where two share an alias)."""
    if not has_schema(led):
        return {}
    df = led.query("""SELECT a.alias, min(a.party) AS party FROM party_aliases a JOIN parties p ON p.id = a.party
                      WHERE p.kind = ? GROUP BY a.alias""", [kind])
    return dict(zip(df["alias"], df["party"]))


def investor_deals(led: Ledger, party: str) -> pd.DataFrame:
    """One investor's cornerstone rows with the listing (date, market, chapter, route), first-day figures and the
    row's source."""
    return led.query("""
        SELECT d.entity, e.code, e.market, coalesce(c.name_en, e.name_en) AS name_en,
               coalesce(c.name_zh, e.name_zh) AS name_zh, l.listing_date, l.listing_chapter, l.route,
               d.amount, d.currency, d.shares, d.lockup_months, d.source_id, s.title AS source_title, d.quote,
               f.first_day_return, l.offer_price, l.currency AS offer_currency
        FROM deal_parties d JOIN entities e ON e.key = d.entity LEFT JOIN listings l ON l.entity = d.entity
        LEFT JOIN companies c ON c.entity = d.entity LEFT JOIN first_day f ON f.entity = d.entity
        LEFT JOIN sources s ON s.id = d.source_id
        WHERE d.party = ? AND d.role = 'cornerstone'
        ORDER BY l.listing_date NULLS LAST, e.code, d.source_id""", [party])


def deal_party_rows(led: Ledger, role: str = "cornerstone", entities: list[str] | None = None) -> pd.DataFrame:
    """Every ``role`` row with its party's names and type (for lock-up calendars: one row per investor and deal)."""
    if not has_schema(led):
        return pd.DataFrame(columns=["entity", "party", "name_en", "name_zh", "type", "role", "amount", "currency",
                                     "shares", "lockup_months", "source_id", "quote"])
    return led.query("""
        SELECT d.entity, d.party, p.name_en, p.name_zh, p.type, d.role, d.amount, d.currency, d.shares,
               d.lockup_months, d.source_id, d.quote
        FROM deal_parties d JOIN parties p ON p.id = d.party
        WHERE d.role = ? AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], d.entity))
        ORDER BY d.entity, d.party""", [role, entities, entities])
