"""What a table, statistic or backtest left out and why: one vocabulary for ``ipos``, ``stats`` and the lab.

Each use case reports ``left_out``: a list of ``{reason, why, count, codes}``, one entry per reason that applies,
in the order the filters run, each listing counted once (under the first reason that removes it). ``codes`` are
listing codes, or the entity key where a listing has no code yet (a planned deal known from the news).
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

__all__ = ["REASONS", "entry", "report", "codes_of", "text"]

REASONS = {
    "no_listing_date": "no listing date (list them with `ipolens ipos --undated`)",
    "out_of_years": "listed outside the years asked for",
    "not_ipo": "not an IPO by the source's counts_as_ipo flag (introductions, transfers, secondary listings)",
    "no_first_day_return": "no first-day return in the ledger",
    "no_prices": "no debut or later price in the data",
    "no_offer_price": "no offer price, so nothing to be allotted at (enter at open:K or close:K instead)",
}


def codes_of(df: pd.DataFrame) -> list[str]:
    """The code of each row, or its entity key where the code is missing."""
    if df is None or len(df) == 0:
        return []
    code = df["code"] if "code" in df else pd.Series(None, index=df.index, dtype=object)
    ent = df["entity"] if "entity" in df else pd.Series(None, index=df.index, dtype=object)
    return [str(c) if isinstance(c, str) and c else str(e) for c, e in zip(code, ent)]


def entry(reason: str, codes: Iterable[str]) -> dict:
    codes = list(codes)
    return {"reason": reason, "why": REASONS[reason], "count": len(codes), "codes": codes}


def report(pairs: Iterable[tuple[str, Iterable[str]]]) -> list[dict]:
    """``[(reason, codes), ...]`` -> the ``left_out`` list; reasons that left nothing out are omitted."""
    out = [entry(reason, codes) for reason, codes in pairs]
    return [e for e in out if e["count"]]


def text(left_out: list[dict], shown: int = 8) -> str:
    """One line for a terminal: 'Left out 45 listing(s): 42 no listing date (…): 02718, 06600, … +37; 3 not …'.
    No square brackets: the line is safe to hand to rich as markup."""
    if not left_out:
        return "Left out: none."
    parts = []
    for e in left_out:
        codes = ", ".join(e["codes"][:shown]) + (f", … +{len(e['codes']) - shown}" if len(e["codes"]) > shown else "")
        parts.append(f"{e['count']} {e['why']}: {codes}")
    return f"Left out {sum(e['count'] for e in left_out)} listing(s): " + "; ".join(parts) + "."
