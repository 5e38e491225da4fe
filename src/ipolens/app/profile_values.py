"""The value dicts a profile is made of: a stated ledger value, a recomputed one, a missing one, and the check of
a stated figure against its recomputation (shared by ``profile`` and ``profile_sections``)."""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pandas as pd

from ..ledger.qualifiers import interval


def _clean(v: Any) -> Any:
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "item"):
        return _clean(v.item())
    return v


def _value(row: dict) -> dict:
    """One stated value as the JSON profile shows it."""
    out = {
        "value": _clean(row["value_num"]) if row["value_num"] is not None and not _isnan(row["value_num"])
        else _clean(row["value_text"]),
        "unit": _clean(row["unit"]), "currency": _clean(row["currency"]), "qualifier": row["qualifier"],
        "as_of": _clean(row["as_of"]), "period": _clean(row["period"]), "source": row["source_id"],
        "fact_id": int(row["id"]), "quote": _clean(row["quote"]), "basis": "stated",
    }
    if out["as_of"] is None and len(str(row.get("date_key") or "")) == 10:
        out["as_of"] = row["date_key"]  # undated claim: dated by its source's publication
        out["as_of_basis"] = "source publication date"
    if _clean(row.get("value_high")) is not None:
        out["value_high"] = _clean(row["value_high"])
    if _clean(row.get("derived_from")):
        out["basis"] = "derived_by_source"
        out["derivation"] = json.loads(row["derived_from"])
    if _clean(row.get("note")):
        out["note"] = row["note"]
    return out


def _isnan(v) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _derived(value: float, unit: str, formula: str, inputs: list[dict], currency: str | None = None,
             **extra) -> dict:
    """A recomputed value. Its qualifier follows its inputs: exact only if they all are; when the only hedged
    input is the first one (the numerator of a ratio), its qualifier carries over (约8.22亿 / 3.37亿 is 约2.44x);
    any other mix is 'about'."""
    hedged = [i for i in inputs if i.get("qualifier", "exact") != "exact"]
    qualifier = "exact" if not hedged else (hedged[0]["qualifier"] if hedged == inputs[:1] else "about")
    out = {"value": value, "unit": unit, "currency": currency, "qualifier": qualifier, "basis": "derived",
           "source": "derived", "derivation": {"formula": formula, "facts": [i["fact_id"] for i in inputs]}}
    out.update(extra)
    return out


def _missing(reason: str) -> dict:
    return {"value": None, "basis": "missing", "missing": reason}


def _stated_check(derived: tuple[float, float], stated: dict, bounds: dict[int, tuple[float, float]]) -> dict:
    """Does a stated figure agree with its recomputation? The stated side is the interval the ledger stored for it
    (the same rule as the conflicts: a dataset is exact as given, text reads its own rounding); the derived side is
    the interval its inputs' stored bounds give."""
    lo, hi = bounds.get(stated.get("fact_id")) or interval(float(stated["value"]), stated["qualifier"],
                                                             stated.get("value_high"))
    dlo, dhi = derived
    ok = dlo <= hi and lo <= dhi  # the two intervals overlap
    out = {k: v for k, v in stated.items() if k != "other_values"}
    return {**out, "agrees_with_derived": bool(ok)}
