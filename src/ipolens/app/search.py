"""Search for the dashboard's box: every listing the CLI would find for what the user typed.

Two ways to match, both the ledger's own: the resolver (a code in any spelling such as ``6082 HK`` or ``688795.SS``,
an alias, a Traditional spelling such as 摩爾執行緒, a company and so its other listings) and the IPO table's
name/code substring search (``profile.ipos(q=...)``, Traditional folded to Simplified). Nothing is matched here by
rules of its own, so the box and ``ipolens ipo`` never disagree about what a text names.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import pandas as pd

from ..ledger.store import AmbiguousListing, EntityNotFound
from .base import Result, UserError
from .companies import company
from .profile import IPO_COLUMNS, ipos
from .store import Store

MAX_QUERY = 100


@dataclass
class SearchResult(Result):
    """``rows``: the IPO table's columns plus ``matched_by`` (``code_or_name``: the resolver named the listing;
    ``text``: the code or a name contains the text), latest listing first. ``resolved``: the entity keys the
    resolver gave. ``left_out``: matches the table does not show (no listing date, another year, not an IPO)."""
    query: str
    total: int
    columns: list
    rows: pd.DataFrame
    resolved: list = dc_field(default_factory=list)
    left_out: list = dc_field(default_factory=list)
    note: str | None = None


def resolved_keys(store: Store, text: str) -> tuple[list[str], str | None]:
    """Listing keys the resolver gives for ``text`` (every listing of the company it names), and why none if so."""
    try:
        res = company(store, text)
    except AmbiguousListing as exc:  # a reused code: every listing under it is an answer
        return list(exc.choices), None
    except (EntityNotFound, UserError) as exc:
        return [], str(exc)
    return [row["key"] for row in res.listings if row.get("key")], None


def search(store: Store, q: str | None, market: str | None = None, year: int | None = None,
           ipos_only: bool = False, limit: int = 200) -> SearchResult:
    """The listings ``q`` names or contains, filtered like the IPO table (market, year, IPOs only)."""
    text = (q or "").strip()
    if not text:
        raise UserError("search needs a code or a name (q)")
    if len(text) > MAX_QUERY:
        raise UserError(f"search text is longer than {MAX_QUERY} characters")
    if limit < 1:
        raise UserError("limit must be at least 1")
    keys, why_none = resolved_keys(store, text)
    by_text = ipos(store, market=market, year=year, ipos_only=ipos_only, q=text, all_columns=True)
    frame = by_text.frame.assign(matched_by="text")
    left_out = list(by_text.left_out)
    missing = [k for k in keys if k not in set(frame["entity"])]
    if missing:
        table = ipos(store, market=market, year=year, ipos_only=ipos_only, all_columns=True).frame
        named = table[table["entity"].isin(missing)].assign(matched_by="code_or_name")
        frame = pd.concat([named, frame], ignore_index=True) if len(frame) else named
    frame.loc[frame["entity"].isin(keys), "matched_by"] = "code_or_name"
    frame = frame.sort_values("listing_date", ascending=False, na_position="last", kind="stable")
    cols = [c for c in IPO_COLUMNS if c in frame.columns] + ["matched_by"]
    shown = set(frame["entity"])
    unseen = [k for k in keys if k not in shown]
    note = None
    if unseen:  # named by the resolver but not a row of the filtered table (undated, another year or market)
        note = f"{', '.join(unseen)} matched but the table's filters leave them out"
    elif not len(frame):
        note = why_none or "no listing in the table matches"
    return SearchResult(text, int(len(frame)), cols, frame[cols].head(limit).reset_index(drop=True), keys,
                        left_out, note)
