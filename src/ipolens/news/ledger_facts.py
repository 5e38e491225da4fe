"""The ledger facts a claim is compared with: candidate rows indexed by (entity, field), which claims are looked up,
and the facts that stand in for identity roles an article leaves unstated."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from . import identities
from .extract import Claim
from .findings import _day
from .ledger_basis import before_pricing
from .ledger_dating import FAR_YEARS
from .ledger_rows import _ledger_value

class LedgerFacts:
    """Candidate ledger facts by (entity, field), from the frame ``ledger.queries.news.claim_candidates`` gives.

    Rows are indexed once and read as plain records (``records``): per-claim pandas selections cost more than the
    whole of reading an article, which a batch of thousands of short articles pays every time."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._pos: dict[tuple[str, str], list[int]] = {}
        self._recs: list | None = None
        if len(frame):
            for i, key in enumerate(zip(frame["entity"], frame["field"])):
                self._pos.setdefault(key, []).append(i)

    def rows(self, entity: str, field_name: str) -> pd.DataFrame:
        pos = self._pos.get((entity, field_name))
        return self._frame.iloc[pos].reset_index(drop=True) if pos else self._frame.iloc[0:0]

    def records(self, entity: str, field_name: str, exclude: set[str] | frozenset = frozenset()) -> list:
        """The rows of (entity, field) in ledger order as named tuples (columns as attributes), without those of
        the ``exclude`` sources."""
        pos = self._pos.get((entity, field_name))
        if not pos:
            return []
        if self._recs is None:
            row = _row_type(tuple(self._frame.columns))
            self._recs = [row(*v) for v in self._frame.to_numpy(dtype=object).tolist()]  # one conversion
        return [r for r in (self._recs[i] for i in pos) if r.source_id not in exclude]


@lru_cache(maxsize=16)
def _row_type(columns: tuple[str, ...]):
    from collections import namedtuple

    return namedtuple("LedgerRow", columns, rename=True)


def checkable(c: Claim) -> bool:
    """Whether the ledger check looks ``c`` up: a number about a known entity, in a ledger field."""
    from ipolens.ledger.fields import FIELDS

    return c.value is not None and bool(c.entity_key) and c.metric in FIELDS and c.metric != "statement"


def known_values(cs: list[Claim], ledger: "LedgerFacts | None", own_sources: set[str]) -> list:
    """Ledger facts as known values for the identity roles an entity's claims leave unstated (the app fetches the
    pairs ``ledger_pairs`` names; a role it did not fetch has no rows)."""
    if ledger is None:
        return []
    out = []
    for e in dict.fromkeys(c.entity_key for c in cs if c.entity_key):
        stated = {identities.canonical(c.metric) for c in cs if c.entity_key == e and c.value is not None}
        ref = next((_day(c._ref) for c in cs if c.entity_key == e and _day(c._ref)), None)
        for role in sorted(identities.roles_of_all() - stated):
            for r in ledger.records(e, role, own_sources):
                unit = r.currency if isinstance(r.currency, str) else r.unit
                when = _day(r.as_of)
                if when and ref and abs((ref - when).days) > FAR_YEARS:
                    continue  # a value years from the article is another deal's (or the entity reading is wrong)
                if before_pricing(role, ref, when):
                    continue  # a final term the article could not know: not the basis of its figures
                out.append(identities.Known(
                    id=f"{r.source_id}:{role}", metric=role, value=float(r.value_num), unit=unit, entity_key=e,
                    iv=(float(r.lo), float(r.hi)), date=when.isoformat() if when else None,
                    quote=f"ledger {role} {_ledger_value(r)} ({r.source_id})"))
    return out
