"""Named queries behind one IPO's profile: its ranked stated facts, the resolved winners, its sources."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["stated_facts", "best_fact_ids", "entity_row", "sources_by_id"]


def stated_facts(led: Ledger, key: str) -> pd.DataFrame:
    """Every non-derived fact of one entity, ranked within its date (the ``fact_rank`` view)."""
    return led.query("""SELECT * FROM fact_rank WHERE entity = ? AND source_kind <> 'derived'
                        ORDER BY field, date_key, rank_in_date""", [key])


def best_fact_ids(led: Ledger, key: str) -> dict[str, int]:
    """Field -> id of the fact that wins resolution across dates (the ``best`` view)."""
    df = led.query("SELECT field, id FROM best WHERE entity = ?", [key])
    return {r["field"]: int(r["id"]) for r in df.to_dict("records")}


def entity_row(led: Ledger, key: str) -> dict:
    """The entities row (code, names, market) or an empty dict."""
    return led.entity(key) or {}


def sources_by_id(led: Ledger, ids: list[str]) -> pd.DataFrame:
    return led.query("SELECT * FROM sources WHERE id IN (SELECT unnest(?::VARCHAR[]))", [sorted(ids)])
