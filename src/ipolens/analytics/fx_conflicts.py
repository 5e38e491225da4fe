"""Conflicts between values stated in different currencies, checked through the dated FX table.

The ``conflicts`` view compares values of one currency only. Two values of one entity, field and date in
different currencies (约512亿港元 and its in-text 约70亿美元) disagree when, converted at the FX rates of their
date, their qualifier intervals do not overlap.

Which date: the facts' own as-of date, else the source's publication date. An undated source whose ``date_note``
gives an evidence window ("2026-01-05..2026-01-07") is checked at every rate in that window, and only a
disagreement at all of them counts. A pair with no date at all is not checked: no rate can be chosen honestly.
Forecasts are compared only with a restatement by the same source (its own conversion of the same figure).

A restatement (``claim_type = derived_in_text``) is a conversion of the other figure, not a second estimate: the
base figure's stated value, converted, must fall inside the restatement's interval. That is how
../shared/data/article_checks.md A4 reads Zhipu's 约512亿 HKD next to 约70亿 USD: 512亿 / 7.8 = 65.6亿, outside
约70亿 (±5%).
Independent values only need their intervals to overlap.

The intervals are the facts' own ``lo``/``hi``, made by the one rule of ``ledger/qualifiers.py``: a stated precision,
else a text figure's written rounding, else exact as given. So a dataset's US$130,000,000 is not "1.3亿 +- 5%": at
7.8 it is HK$1,014,000,000 and disagrees with a dataset's HK$1,000,000,000, while float noise never does.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re

import pandas as pd

from .fx import FxMissing, FxTable, find_rate

__all__ = ["fx_conflicts", "all_conflicts", "FX_COLUMNS"]

FX_COLUMNS = ("currency_a", "currency_b", "value_b_converted_lo", "value_b_converted_hi", "fx_rate_lo",
              "fx_rate_hi", "fx_dates", "fx_source")
_WINDOW = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")
_MAX_WINDOW_DAYS = 31  # an evidence window wider than a month says too little about the rate


def _window(row: dict) -> tuple[dt.date, dt.date] | None:
    for key in ("as_of_a", "as_of_b", "published_a", "published_b"):
        v = row.get(key)
        if v is not None and not pd.isna(v):
            d = pd.Timestamp(v).date()
            return d, d
    for key in ("date_note_a", "date_note_b"):
        m = _WINDOW.search(row.get(key) or "")
        if m:
            lo, hi = (dt.date.fromisoformat(g) for g in m.groups())
            if 0 <= (hi - lo).days <= _MAX_WINDOW_DAYS:
                return lo, hi
    return None


def fx_conflicts(pairs: pd.DataFrame, fx: FxTable) -> pd.DataFrame:
    """Cross-currency pairs that disagree at every FX rate of their date (or evidence window).

    ``pairs``: candidate pairs in two currencies (``ledger.queries.ledger.cross_currency_pairs``); ``fx``: the
    dated FX table. Columns: those of the ``conflicts`` view plus ``FX_COLUMNS``; ``value_b_converted_*`` is
    value B's interval in currency A.
    """
    out = []
    for row in pairs.to_dict("records"):
        window = _window(row)
        if window is None:
            continue
        rates, day = [], window[0]
        while day <= window[1]:
            with contextlib.suppress(FxMissing):  # a day without a rate adds nothing to the window's range
                rates.append(find_rate(fx, row["currency_b"], row["currency_a"], day))
            day += dt.timedelta(days=1)
        if not rates:
            continue
        r_lo, r_hi = min(r.rate for r in rates), max(r.rate for r in rates)
        lo_a, hi_a, lo_b, hi_b = row["lo_a"], row["hi_a"], row["lo_b"], row["hi_b"]
        if row["source_a"] == row["source_b"]:  # a restatement is held to its base figure's stated value
            if row["claim_b"] == "derived_in_text" and row["claim_a"] != "derived_in_text":
                lo_a = hi_a = row["value_a"]
            elif row["claim_a"] == "derived_in_text" and row["claim_b"] != "derived_in_text":
                lo_b = hi_b = row["value_b"]
        conv_lo, conv_hi = lo_b * r_lo, hi_b * r_hi
        if hi_a < conv_lo or conv_hi < lo_a:
            dates = sorted({r.date.isoformat() for r in rates})
            row.update(value_b_converted_lo=conv_lo, value_b_converted_hi=conv_hi, fx_rate_lo=r_lo,
                       fx_rate_hi=r_hi, fx_dates=dates[0] if len(dates) == 1 else f"{dates[0]}..{dates[-1]}",
                       fx_source=", ".join(sorted({r.source_id for r in rates})))
            out.append(row)
    keep = [c for c in pairs.columns
            if not c.startswith(("lo_", "hi_", "as_of_", "published_", "date_note_", "claim_"))]
    return pd.DataFrame(out, columns=[*keep, *[c for c in FX_COLUMNS if c not in keep]])


def all_conflicts(same: pd.DataFrame, pairs: pd.DataFrame, fx: FxTable) -> pd.DataFrame:
    """Every conflict: the same-currency pairs of the ``conflicts`` view (``same``; FX columns empty) and the
    cross-currency ``pairs`` that :func:`fx_conflicts` finds disagreeing, ordered by entity, field, first fact id."""
    same = same.copy()
    for c in FX_COLUMNS:
        same[c] = None
    same["currency_a"] = same["currency_b"] = same["unit"].where(same["unit"].isin(("HKD", "CNY", "USD")))
    parts = [df for df in (same, fx_conflicts(pairs, fx)[same.columns]) if not df.empty]
    if not parts:
        return same
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return out.sort_values(["entity", "field", "id_a"], kind="stable").reset_index(drop=True)
