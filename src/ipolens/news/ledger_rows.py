"""How a ledger row reads in a finding: its value as a reader would write it, its source's grade, the dated rate that
converts a claim into its currency. Shared by the plain ledger check and the deal check, which cite rows alike."""
from __future__ import annotations

import datetime as dt
import math

from .findings import _fmt


def _unconfirmed(r) -> bool:
    """Whether a candidate row's source is graded UNCONFIRMED (a frame made without the column: not graded)."""
    import numpy as np

    v = getattr(r, "unconfirmed", None)
    return v is True or (isinstance(v, np.bool_) and bool(v))


_QUAL_WORD = {"nearly": "近", "more_than": "超", "at_least": "至少", "at_most": "不超过", "about": "约"}


def _ledger_value(r) -> str:
    """'近800亿', '855.4亿', '19.6': the ledger value as a reader would write it."""
    q = r.qualifier if isinstance(r.qualifier, str) else "exact"
    v = _fmt(float(r.value_num))
    if isinstance(r.value_high, (int, float)) and not math.isnan(r.value_high) and r.value_high != r.value_num:
        return f"{v}–{_fmt(float(r.value_high))}"
    return f"{_QUAL_WORD.get(q, '')}{v}"


def _ledger_rate(fx, base: str, quote: str, on: dt.date | None):
    """The dated rate turning ``base`` into ``quote`` (find_rate), or None without a date or a row."""
    if fx is None or on is None:
        return None
    from ipolens.analytics.fx import FxMissing, find_rate

    try:
        return find_rate(fx, base, quote, on)
    except FxMissing:
        return None


def _src(r) -> str:
    return f"{r.source_id}{', graded UNCONFIRMED' if _unconfirmed(r) else ''}"
