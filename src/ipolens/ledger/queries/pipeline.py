"""Named queries behind the pipeline: deals and their links, stage rows with their sources, listings that are deals
at stage ``listed`` (derived from their listing dates), the facts a deal shows, and deal-name lookups."""
from __future__ import annotations

import pandas as pd

from ..pipeline import DEAL_PREFIX, has_schema
from ..store import Ledger, normalise_alias

__all__ = ["deal_rows", "stage_rows", "listed_listings", "deal_facts", "sources_by_id", "deal_keys_by_name",
           "has_schema"]


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.astype(object)
    return df.where(df.notna(), None)


def deal_rows(led: Ledger) -> pd.DataFrame:
    """One row per deal and source: deal, name, market, listing, company, source_id, the entity's code and names
    (entity_name) and the linked company's name (company_name)."""
    return _clean(led.query("""SELECT d.deal, d.name, d.market, d.listing, d.company, d.source_id, e.code,
                                      coalesce(e.name_en, e.name_zh) AS entity_name,
                                      coalesce(c.name_en, c.name_zh) AS company_name
                               FROM deals d LEFT JOIN entities e ON e.key = d.deal
                               LEFT JOIN entities c ON c.key = d.company
                               ORDER BY d.deal, d.source_id"""))


def stage_rows(led: Ledger, keys: list[str] | None = None) -> pd.DataFrame:
    """Stage rows (deal, stage, date as ISO text, source_id, doc_ref, quote, note) with their source's kind and
    title, for ``keys`` (every deal when None)."""
    sql = """SELECT s.deal, s.stage, CAST(s.date AS VARCHAR) AS date, s.source_id, s.doc_ref, s.quote, s.note,
                    src.kind AS source_kind, src.title AS source_title
             FROM deal_stages s LEFT JOIN sources src ON src.id = s.source_id"""
    params: list = []
    if keys is not None:
        sql += " WHERE list_contains(?::VARCHAR[], s.deal)"
        params.append(list(keys))
    return _clean(led.query(sql + " ORDER BY s.deal, s.date, s.stage, s.source_id", params))


def listed_listings(led: Ledger, keys: list[str] | None = None) -> pd.DataFrame:
    """Listings with a stated listing date, one row per listing, date and source: key, code, market, name_en,
    name_zh, date, source_id, quote, source_kind, source_title (``keys``: only these listings)."""
    sql = """SELECT e.key, e.code, e.market, e.name_en, e.name_zh, substr(f.value_text, 1, 10) AS date,
                    f.source_id, min(f.quote) AS quote, s.kind AS source_kind, s.title AS source_title
             FROM entities e JOIN facts f ON f.entity = e.key AND f.field = 'listing_date'
             JOIN sources s ON s.id = f.source_id
             WHERE e.kind = 'listing' AND f.value_text IS NOT NULL AND s.kind <> 'derived'"""
    params: list = []
    if keys is not None:
        sql += " AND list_contains(?::VARCHAR[], e.key)"
        params.append(list(keys))
    sql += (" GROUP BY e.key, e.code, e.market, e.name_en, e.name_zh, substr(f.value_text, 1, 10), f.source_id, "
            "s.kind, s.title ORDER BY e.key, date, f.source_id")
    return _clean(led.query(sql, params))


def deal_facts(led: Ledger, entities: list[str], fields: list[str]) -> pd.DataFrame:
    """Every stated fact of these entities and fields, ranked (the ``fact_rank`` view: rank_in_date 1 wins within a
    date), with ``is_best`` marking the winner across dates (the ``best`` view) and the source's date note."""
    if not entities or not fields:
        return pd.DataFrame(columns=["entity", "field"])
    return _clean(led.query("""
        SELECT r.id, r.entity, r.field, r.value_num, r.value_high, r.value_text, r.unit, r.currency, r.qualifier,
               CAST(r.as_of AS VARCHAR) AS as_of, r.period, r.source_id, r.quote, r.claim_type, r.note,
               r.source_kind, CAST(r.source_published AS VARCHAR) AS source_published, s.date_note,
               r.rank_in_date, b.id IS NOT NULL AS is_best
        FROM fact_rank r JOIN sources s ON s.id = r.source_id
        LEFT JOIN best b ON b.id = r.id
        WHERE list_contains(?::VARCHAR[], r.entity) AND list_contains(?::VARCHAR[], r.field)
          AND r.source_kind <> 'derived'
        ORDER BY r.entity, r.field, r.as_of NULLS LAST, r.id""", [list(entities), list(fields)]))


def sources_by_id(led: Ledger, ids: list[str]) -> dict[str, dict]:
    df = _clean(led.query("""SELECT id, kind, title, publisher, url, CAST(published AS VARCHAR) AS published,
                                    date_note, licence, note
                             FROM sources WHERE list_contains(?::VARCHAR[], id) ORDER BY id""", [sorted(ids)]))
    return {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in df.to_dict("records")}


def deal_keys_by_name(led: Ledger, alias: str, prefix_ok: bool = True) -> list[str]:
    """Deals whose name or alias normalises to ``alias`` (``normalise_alias``), else (``prefix_ok``) starts with it."""
    like = f"{DEAL_PREFIX}:%"
    names = led.query("SELECT DISTINCT deal, name FROM deals").to_dict("records")
    exact = sorted({r["deal"] for r in names if normalise_alias(r["name"]) == alias} |
                   {k for (k,) in led.con.execute("SELECT DISTINCT entity FROM aliases WHERE alias = ? AND "
                                                  "entity LIKE ?", [alias, like]).fetchall()})
    if exact or not prefix_ok or len(alias) < 3:
        return exact
    return sorted({r["deal"] for r in names if normalise_alias(r["name"]).startswith(alias)})
