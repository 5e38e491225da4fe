"""What the news reader needs from the ledger: names for the gazetteer, candidate facts for the ledger check, and
the two writes of a re-extraction (is the source known; drop its earlier claims)."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["entity_names", "entity_aliases", "claim_candidates", "source_known", "delete_extraction"]

_CANDIDATE_COLUMNS = ["entity", "field", "value_num", "value_high", "qualifier", "unit", "currency", "as_of",
                      "period", "source_id", "lo", "hi", "published"]


def entity_names(led: Ledger) -> pd.DataFrame:
    """Every entity: key, kind, market, code, name_en, name_zh."""
    return led.query("SELECT key, kind, market, code, name_en, name_zh FROM entities ORDER BY key")


def entity_aliases(led: Ledger) -> pd.DataFrame:
    """Every alias: alias, entity."""
    return led.query("SELECT alias, entity FROM aliases ORDER BY alias, entity")


def claim_candidates(led: Ledger, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Numeric facts (with their source's publication date) for the given (entity, field) pairs."""
    if not pairs:
        return pd.DataFrame(columns=_CANDIDATE_COLUMNS)
    wanted = pd.DataFrame(sorted(set(pairs)), columns=["entity", "field"])
    name = "_news_pairs"
    led.con.register(name, wanted)
    try:
        return led.query(
            "SELECT f.entity, f.field, f.value_num, f.value_high, f.qualifier, f.unit, f.currency, f.as_of, "
            "f.period, f.source_id, f.lo, f.hi, s.published "
            f"FROM facts f JOIN {name} w ON w.entity = f.entity AND w.field = f.field "
            "LEFT JOIN sources s ON s.id = f.source_id "
            "WHERE f.value_num IS NOT NULL ORDER BY f.rowid")
    finally:
        led.con.unregister(name)


def source_known(led: Ledger, source_id: str) -> bool:
    return led.con.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is not None


def delete_extraction(led: Ledger, source_id: str, stem: str) -> None:
    """Drop the facts an earlier extraction of one file wrote (ext_id '<stem>#n'), so a re-run replaces them."""
    led.con.execute("DELETE FROM facts WHERE source_id = ? AND starts_with(ext_id, ?)", [source_id, f"{stem}#"])
