"""The core use cases: one IPO's profile, the IPO table, facts, conflicts, listing, financials, sources.

The profile shows deal, first day, valuation and fundamentals of one listing, each value with its source. Stated
values come from the resolved ledger; derived values carry their formula and the ids of the facts they use. Where
a derivation needs an input the ledger lacks, the value is reported as missing with the reason.
``*_from(led, ...)`` variants serve use cases that already hold a read block. The tables' use cases live in
``profile_tables`` and the sections' derivations in ``profile_sections``; all are importable from here.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field as dc_field
from typing import Any

import pandas as pd

from ..analytics.fx import FxTable
from ..ledger.access import Store
from ..ledger.fields import UnknownFieldError, field as check_field
from ..ledger.queries import profile as q
from ..ledger.queries.fx import fx_rates
from ..ledger.schema import KIND_RANK
from ..ledger.store import Ledger
from .base import Result
from .companies import company_section
from .profile_sections import (DEAL_FIELDS, FIRST_DAY_FIELDS, FUNDAMENTAL_FIELDS, _deal_derivations,
                               _first_day_returns, _fundamentals, _other, _valuation)
from .profile_tables import (IPO_COLUMNS, FinancialsResult, IposResult, TableResult, _all_conflicts,
                             aftermarket_table, conflicts, conflicts_from, facts, facts_from, financials, ipos,
                             ipos_from, listing, listing_from, market_of, market_stats, resolve, sources)
from .profile_values import _clean, _value

__all__ = ["IpoProfile", "ipo_profile", "profile_from", "DEAL_FIELDS", "FIRST_DAY_FIELDS", "FUNDAMENTAL_FIELDS",
           "IPO_COLUMNS", "IposResult", "TableResult", "FinancialsResult", "resolve", "ipos", "ipos_from", "facts",
           "facts_from", "conflicts", "conflicts_from", "listing", "listing_from", "financials", "sources",
           "aftermarket_table", "market_stats", "market_of"]


@dataclass
class IpoProfile(Result):
    """``to_dict()`` is what ``ipolens ipo CODE --json`` prints and ``/api/ipos/{code}`` returns."""
    entity: str
    code: str | None
    name_en: str | None
    name_zh: str | None
    market: str | None
    deal: dict = dc_field(default_factory=dict)
    first_day: dict = dc_field(default_factory=dict)
    valuation: dict = dc_field(default_factory=dict)
    fundamentals: dict = dc_field(default_factory=dict)
    other: dict = dc_field(default_factory=dict)
    # the listing's company: share class, its other listings, the A/H discount (app/companies.py); {} if none
    company: dict = dc_field(default_factory=dict)
    conflicts: list = dc_field(default_factory=list)
    sources: dict = dc_field(default_factory=dict)

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str, **kw)

    def entries(self) -> list[tuple[str, str | None, str, dict]]:
        """Every resolved value as (section, period, field, value dict), in page order; a dated series (the market
        cap, an 'other' field read on several dates) gives one entry per date."""
        out: list[tuple[str, str | None, str, dict]] = []
        for section in ("deal", "first_day", "valuation"):
            for name, v in getattr(self, section).items():
                if isinstance(v, dict) and "basis" in v:
                    out.append((section, v.get("period"), name, v))
        shown = self.valuation.get("market_cap", {}).get("fact_id")
        out += [("valuation", v.get("period"), "market_cap", v)  # the other dates of the market cap series
                for v in self.valuation.get("market_cap_series", []) if v.get("fact_id") != shown]
        for period, vals in self.fundamentals.get("periods", {}).items():
            out += [("fundamentals", period, name, v) for name, v in vals.items()]
        out += [("fundamentals", None, name, v) for name, v in self.fundamentals.get("derived", {}).items()]
        for name, v in self.other.items():
            out += [("other", i.get("period"), name, i) for i in (v["series"] if "series" in v else [v])]
        return out

    def value(self, field: str, period: str | None = None, default: Any = None) -> Any:
        """The resolved value of ``field``: ``p.value("offer_price")`` -> 19.6. A field stated for several periods
        or dates gives the latest (``period="FY2024"`` picks one); ``default`` when the profile has none. A name no
        field or derived value has raises ``KeyError`` with the close names."""
        rows = [(sec, v) for sec, per, name, v in self.entries() if name == field
                and (period is None or per == period or v.get("as_of") == period)]
        if rows:  # the page's resolved value first (a market cap resolved across dates), else the latest
            top = [v for sec, v in rows if sec in ("deal", "first_day", "valuation")] if period is None else []
            return (top[0] if top else rows[-1][1]).get("value")
        known = {name for _, _, name, _ in self.entries()}
        try:
            check_field(field)
        except UnknownFieldError:
            if field not in known:
                close = difflib.get_close_matches(field, sorted(known), n=3)
                raise KeyError(f"no field {field!r} in the profile"
                               + (f"; did you mean {', '.join(close)}?" if close else "")) from None
        return default

    def to_frame(self) -> pd.DataFrame:
        """One flat row per value: the resolved ones (``resolved`` True) and those that lost resolution beside
        them; ``as_of`` is datetime64. Missing values (a derivation without its inputs) keep their reason."""
        cols = ("section", "period", "field", "value", "value_high", "unit", "currency", "qualifier", "as_of",
                "basis", "source", "fact_id", "resolved", "missing")
        rows = []
        for section, period, name, v in self.entries():
            for item, resolved in [(v, True), *((o, False) for o in v.get("other_values", []))]:
                rows.append({"section": section, "period": item.get("period", period), "field": name,
                             **{k: item.get(k) for k in cols[3:12]}, "resolved": resolved,
                             "missing": item.get("missing")})
        df = pd.DataFrame(rows, columns=list(cols))
        df["as_of"] = pd.to_datetime(df["as_of"])
        df["fact_id"] = df["fact_id"].astype("Int64")  # a derived value has no fact of its own
        return df


def ipo_profile(store: Store, code: str) -> IpoProfile:
    """The profile of the listing ``code`` names (any spelling, or a company name)."""
    with store.read() as led:
        return profile_from(led, led.resolve_entity(code))


def profile_from(led: Ledger, key: str) -> IpoProfile:
    """The profile of entity ``key``, for use cases that already hold a read block."""
    rows = q.stated_facts(led, key).to_dict("records")
    ent = q.entity_row(led, key)
    p = IpoProfile(key, ent.get("code"), ent.get("name_en"), ent.get("name_zh"), ent.get("market"))
    by_field: dict[str, list[dict]] = {}
    for r in rows:
        by_field.setdefault(r["field"], []).append(r)
    kinds = {int(r["id"]): r["source_kind"] for r in rows}
    bounds = {int(r["id"]): (float(r["lo"]), float(r["hi"])) for r in rows
              if _clean(r.get("lo")) is not None and _clean(r.get("hi")) is not None}
    best_ids = q.best_fact_ids(led, key)
    fx_cache: list[FxTable] = []

    def fx() -> FxTable:  # read once, on first need
        if not fx_cache:
            fx_cache.append(FxTable(fx_rates(led)))
        return fx_cache[0]

    def kind_rank(v: dict) -> int:
        return KIND_RANK.get(kinds.get(v.get("fact_id")), 9)

    def best(name: str) -> dict | None:
        """The resolved winner across dates (same order as the ``best`` view)."""
        # the top stated value of each date (a recomputation may hold rank 1 there; it is not a stated value)
        top: dict = {}
        for r in by_field.get(name, []):
            if r["date_key"] not in top or r["rank_in_date"] < top[r["date_key"]]["rank_in_date"]:
                top[r["date_key"]] = r
        cands = list(top.values())
        if not cands:
            return None
        bid = best_ids.get(name)
        return _value(next((r for r in cands if int(r["id"]) == bid), cands[0]))

    def fill(section: dict, names: tuple[str, ...]) -> None:
        """The resolved value of each field, with the values that lost resolution beside it."""
        for name in names:
            v = best(name)
            if v:
                alts = [_value(r) for r in by_field.get(name, []) if int(r["id"]) != v["fact_id"]]
                if alts:
                    v["other_values"] = alts
                section[name] = v

    fill(p.deal, DEAL_FIELDS)
    if "name_en" in by_field:
        p.name_en = p.name_en or _value(by_field["name_en"][0])["value"]
    fill(p.first_day, FIRST_DAY_FIELDS)
    _first_day_returns(p, kind_rank, bounds)
    _deal_derivations(p, bounds)
    # Valuation: market cap from price x shares where the share count is known, else the stated value(s).
    _valuation(fx, p, by_field, best)
    _fundamentals(p, by_field)
    _other(p, by_field)
    p.company = company_section(led, key)
    conf = _all_conflicts(led, key, fx())  # same-currency pairs, and pairs in two currencies through dated FX
    p.conflicts = [{k: _clean(v) for k, v in r.items()} for r in conf.to_dict("records")]
    src = q.sources_by_id(led, list({r["source_id"] for r in rows}))
    p.sources = {r["id"]: {k: _clean(v) for k, v in r.items() if k != "id"} for r in src.to_dict("records")}
    return p
