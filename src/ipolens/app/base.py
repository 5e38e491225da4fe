"""What every use case shares: the result base class (``to_dict()`` gives the JSON all faces show) and the errors
the faces translate (CLI exit codes, HTTP statuses)."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
from typing import Any

from ..ledger.access import LedgerBusy, LedgerWriteError
from ..ledger.qualifiers import NOISE_DIGITS
from ..ledger.store import EntityNotFound

__all__ = ["Result", "jsonable", "UserError", "Refused", "EntityNotFound", "LedgerBusy", "LedgerWriteError", "records", "TimeLimit",
           "check_deadline"]


class UserError(ValueError):
    """Input the user can fix: a bad option, value or file. CLI exit 2, HTTP 400."""


class Refused(UserError):
    """A request the rules refuse (a mechanic that does not apply to this market, a value out of range)."""


_FULL_PRECISION = [False]


@contextlib.contextmanager
def full_precision():
    """Inside: ``to_dict()`` keeps every float as computed (``--full-precision``, IPOLENS_FULL_PRECISION=1)."""
    before, _FULL_PRECISION[0] = _FULL_PRECISION[0], True
    try:
        yield
    finally:
        _FULL_PRECISION[0] = before


def jsonable(v: Any) -> Any:
    """JSON-safe value: NaN/NaT/inf become null, dates ISO strings, numpy scalars Python numbers, frames records.
    Floats lose their binary noise (12 significant digits, the ledger's exact-as-given resolution: 13.167000000000002
    is 13.167), never a digit a source stated."""
    if v is None or isinstance(v, (bool, str, int)):
        return v
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None
        return v if _FULL_PRECISION[0] else float(f"{v:.{NOISE_DIGITS}g}")
    if isinstance(v, Result):
        return v.to_dict()
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        return [jsonable(x) for x in v]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return jsonable(v.to_dict() if hasattr(v, "to_dict") else dataclasses.asdict(v))
    mod = type(v).__module__
    if mod.startswith("pandas"):
        import pandas as pd

        if isinstance(v, pd.DataFrame):
            return records(v)
        if isinstance(v, pd.Series):
            return jsonable(v.to_list())
        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat() if v == v.normalize() and v.tzinfo is None else v.isoformat()
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if mod == "numpy":
        import numpy as np

        if isinstance(v, np.ndarray):
            return jsonable(v.tolist())
        if isinstance(v, np.datetime64):
            return None if np.isnat(v) else str(v)[:10]
        return jsonable(v.item())
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def records(df) -> list[dict]:
    return [jsonable(r) for r in df.to_dict("records")]


class Result:
    """Base of every use case's result: a dataclass whose ``to_dict()`` is the JSON the CLI and the API print."""

    def to_dict(self) -> dict:
        return jsonable({f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                         if not f.name.startswith("_")})


class TimeLimit(RuntimeError):
    """A use case ran past the deadline its caller gave (the web API's per-request limit)."""


def check_deadline(deadline: float | None) -> None:
    """Raise TimeLimit once ``time.monotonic()`` passes ``deadline``; long loops call this between items."""
    if deadline is not None:
        import time

        if time.monotonic() > deadline:
            raise TimeLimit("the request ran past its time limit")
