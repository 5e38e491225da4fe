"""Named queries for market statistics and the reports (the IPO table, facts, financials and sources come from
``queries.ledger`` and ``queries.profile``)."""
from __future__ import annotations

from ..store import Ledger

__all__ = ["source_ids_of_fields"]


def source_ids_of_fields(led: Ledger, entities: list[str], fields: list[str]) -> list[str]:
    """Distinct sources of any fact of ``fields`` for ``entities``, sorted."""
    df = led.query("SELECT DISTINCT source_id FROM facts WHERE list_contains(?::VARCHAR[], entity) "
                   "AND list_contains(?::VARCHAR[], field) ORDER BY source_id", [list(entities), list(fields)])
    return df["source_id"].tolist()
