"""Read one vendor row through an alias mapping, so a bad cell names the call, the row and the column.

``to_float('abc')`` alone can only say "not a number: 'abc'"; in a 5,000-row payload that is no help.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from .base import ProviderError, parse_code_key, to_date, to_float

__all__ = ["Cells", "rows"]


class Cells:
    """Row ``index`` (1 = first data row) of the payload of ``where``; ``columns`` maps our field -> vendor column."""

    def __init__(self, where: str, index: int, row: Mapping[str, Any], columns: Mapping[str, str]):
        self.where, self.index, self.row, self.columns = where, index, row, columns

    def has(self, field: str) -> bool:
        return field in self.columns

    def raw(self, field: str) -> Any:
        """The vendor cell of ``field``; None when the vendor has no such column (an optional field)."""
        return self.row.get(self.columns[field]) if field in self.columns else None

    def num(self, field: str, scale: float = 1.0) -> float | None:
        return self._read(field, lambda v: to_float(v, scale))

    def date(self, field: str) -> dt.date | None:
        return self._read(field, to_date)

    def code(self, field: str, width: int = 0) -> str:
        """The entity key of a listing-code cell; A-share codes read as numbers get their zeros back (``width``)."""
        return self._read(field, lambda v: parse_code_key(str(v).strip().zfill(width)))

    def text(self, field: str) -> str | None:
        v = self.raw(field)
        if v is None or (isinstance(v, float) and v != v):  # NaN
            return None
        return str(v).strip() or None

    def _read(self, field: str, convert) -> Any:
        try:
            return convert(self.raw(field))
        except ProviderError as exc:
            raise ProviderError(f"{self.where}: row {self.index}, column {self.columns[field]}: {exc}") from None


def rows(where: str, records: list[dict], columns: Mapping[str, str]):
    """``Cells`` for each record, numbered from 1."""
    return (Cells(where, i, r, columns) for i, r in enumerate(records, start=1))
