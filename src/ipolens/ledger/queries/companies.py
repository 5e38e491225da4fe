"""Named queries behind companies: the listings with the names and facts that imply a company, the link rows, the
company entities, and the prices an A/H comparison needs."""
from __future__ import annotations

import duckdb
import pandas as pd

from ..companies import LINK_COLUMNS, MANUAL_SOURCE
from ..schema import KIND_RANK
from ..store import Ledger

__all__ = ["listing_names", "link_rows", "company_entities", "company_alias_hits", "listing_alias_hits", "close_on",
           "best_values", "source_row"]

_NAME_FIELDS = ("name_en", "name_zh", "legal_name", "route", "listing_date", "counts_as_ipo")
_COLUMNS = ["key", "code", "market", "name_en", "name_zh", "legal_name", "route", "listing_date", "counts_as_ipo",
            *(f"{f}_source" for f in _NAME_FIELDS)]


def listing_names(led: Ledger) -> pd.DataFrame:
    """One row per listing: key, code, market, name_en, name_zh (the entity's, else the fact), legal_name, route,
    listing_date (ISO text), counts_as_ipo, and the source of each of those facts (``*_source``). Where sources
    differ, the stronger kind of source wins, then the newer fact (the resolution order, without the full views:
    this runs for every profile)."""
    rank = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_RANK.items())
    facts = led.con.execute(f"""
        SELECT f.entity, f.field, arg_min(coalesce(f.value_text, CAST(f.value_num AS VARCHAR)), (CASE s.kind {rank}
               ELSE 9 END) * 1e12 - f.id), arg_min(f.source_id, (CASE s.kind {rank} ELSE 9 END) * 1e12 - f.id)
        FROM facts f JOIN sources s ON s.id = f.source_id
        WHERE list_contains(?::VARCHAR[], f.field) AND (f.value_text IS NOT NULL OR f.value_num IS NOT NULL)
        GROUP BY f.entity, f.field""", [list(_NAME_FIELDS)]).fetchall()
    by: dict[str, dict] = {}
    for entity, fld, value, source in facts:
        by.setdefault(entity, {})[fld] = (value, source)
    rows = []
    for key, code, market, name_en, name_zh in led.con.execute(
            "SELECT key, code, market, name_en, name_zh FROM entities WHERE kind = 'listing' ORDER BY key"
            ).fetchall():
        f = by.get(key, {})
        row = {"key": key, "code": code, "market": market,
               "name_en": name_en or f.get("name_en", (None,))[0], "name_zh": name_zh or f.get("name_zh", (None,))[0]}
        for fld in ("legal_name", "route", "listing_date", "counts_as_ipo"):
            row[fld] = f.get(fld, (None,))[0]
        row["listing_date"] = row["listing_date"][:10] if row["listing_date"] else None
        for fld in _NAME_FIELDS:
            row[f"{fld}_source"] = f.get(fld, (None, None))[1]
        rows.append(row)
    df = pd.DataFrame(rows, columns=_COLUMNS, dtype=object)
    return df.where(df.notna(), None)


def link_rows(led: Ledger) -> pd.DataFrame:
    """The winning link row of each listing (the user's own, else the newest), with its source's title and kind;
    none on a ledger without the table."""
    cols = [*LINK_COLUMNS, "written", "source_title", "source_kind"]
    try:
        df = led.query("""
            SELECT l.listing, l.company, l.share_class, l.role, l.source_id, l.note, l.written,
                   s.title AS source_title, s.kind AS source_kind
            FROM (SELECT *, row_number() OVER (PARTITION BY listing ORDER BY source_id = ? DESC, written DESC,
                                                                            source_id) AS rn
                  FROM company_links) l LEFT JOIN sources s ON s.id = l.source_id
            WHERE l.rn = 1 ORDER BY l.listing""", [MANUAL_SOURCE])
    except duckdb.CatalogException:  # a read-only ledger built before companies: no links
        return pd.DataFrame(columns=cols)
    return df.astype(object).where(df.notna(), None)


def company_entities(led: Ledger) -> pd.DataFrame:
    """Every company entity: key, name_en, name_zh."""
    df = led.query("SELECT key, name_en, name_zh FROM entities WHERE kind = 'company' ORDER BY key")
    return df.astype(object).where(df.notna(), None)


def company_alias_hits(led: Ledger, alias: str, exact_only: bool = False) -> list[str]:
    """Company entities with this normalised alias; failing that, those with an alias starting with it."""
    sql = ("SELECT DISTINCT a.entity FROM aliases a JOIN entities e ON e.key = a.entity AND e.kind = 'company' "
           "WHERE {} ORDER BY a.entity")
    hits = [r[0] for r in led.con.execute(sql.format("a.alias = ?"), [alias]).fetchall()]
    if hits or exact_only or len(alias) < 3:
        return hits
    return [r[0] for r in led.con.execute(sql.format("starts_with(a.alias, ?)"), [alias]).fetchall()]


def listing_alias_hits(led: Ledger, alias: str, exact_only: bool = False) -> list[str]:
    """Listings with this normalised alias (name, code); failing that, those with an alias starting with it."""
    sql = ("SELECT DISTINCT a.entity FROM aliases a JOIN entities e ON e.key = a.entity AND e.kind = 'listing' "
           "WHERE {} ORDER BY a.entity")
    hits = [r[0] for r in led.con.execute(sql.format("a.alias = ?"), [alias]).fetchall()]
    if hits or exact_only or len(alias) < 2:
        return hits
    return [r[0] for r in led.con.execute(sql.format("starts_with(a.alias, ?)"), [alias]).fetchall()]


def close_on(led: Ledger, key: str, day: str) -> dict | None:
    """The unadjusted close of listing ``key`` on ``day`` in the prices table: {close, source_id}, or None."""
    row = led.con.execute("""SELECT close, source_id FROM prices WHERE code = ? AND date = CAST(? AS DATE)
                             AND NOT adjusted AND close IS NOT NULL ORDER BY source_id LIMIT 1""",
                          [key, day]).fetchone()
    return None if row is None else {"close": float(row[0]), "source_id": row[1]}


def best_values(led: Ledger, key: str, fields: tuple[str, ...]) -> dict[str, dict]:
    """Field -> the resolved value of listing ``key`` (value, currency, as_of, source_id, fact_id)."""
    df = led.query("""SELECT field, value_num, currency, CAST(as_of AS VARCHAR) AS as_of, source_id, id FROM best
                      WHERE entity = ? AND list_contains(?::VARCHAR[], field) AND value_num IS NOT NULL""",
                   [key, list(fields)])
    return {r["field"]: {"value": float(r["value_num"]), "currency": r["currency"], "as_of": r["as_of"],
                         "source": r["source_id"], "fact_id": int(r["id"])} for r in df.to_dict("records")}


def source_row(led: Ledger, source_id: str) -> dict | None:
    row = led.con.execute("SELECT id, kind, title FROM sources WHERE id = ?", [source_id]).fetchone()
    return None if row is None else {"id": row[0], "kind": row[1], "title": row[2]}
