"""The core use cases: one IPO's profile, the IPO table, facts, conflicts, listing, financials, sources.

The profile shows deal, first day, valuation and fundamentals of one listing, each value with its source. Stated
values come from the resolved ledger; derived values carry their formula and the ids of the facts they use. Where
a derivation needs an input the ledger lacks, the value is reported as missing with the reason.
``*_from(led, ...)`` variants serve use cases that already hold a read block.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

import pandas as pd

from ..analytics import aftermarket, deal as deal_math, fundamentals, left_out as lo, valuation
from ..analytics.fx import FxMissing, FxTable, find_rate
from ..analytics.fx_conflicts import all_conflicts
from ..ledger.access import Store
from ..ledger.fields import UnknownFieldError, field as check_field
from ..ledger.markets import UnknownMarket, normalise_market
from ..ledger.qualifiers import interval
from ..ledger.queries import ledger as lq, profile as q
from ..ledger.queries.left_out import undated_rows
from ..ledger.queries.fx import fx_rates
from ..ledger.schema import KIND_RANK
from ..ledger.store import Ledger, _to_simplified
from .base import EntityNotFound, Result, UserError
from .companies import company_section

__all__ = ["IpoProfile", "ipo_profile", "profile_from", "DEAL_FIELDS", "FIRST_DAY_FIELDS", "FUNDAMENTAL_FIELDS",
           "IPO_COLUMNS", "IposResult", "TableResult", "FinancialsResult", "resolve", "ipos", "ipos_from", "facts",
           "facts_from", "conflicts", "conflicts_from", "listing", "listing_from", "financials", "sources",
           "aftermarket_table", "market_stats", "market_of"]

DEAL_FIELDS = ("listing_date", "exchange", "board", "route", "listing_chapter", "sponsors", "lot_size",
               "offer_price_low", "offer_price_high", "offer_price", "shares_offered", "proceeds_gross",
               "proceeds_net", "funds_raised_planned", "oversubscription_public", "public_applicants",
               "one_lot_success_rate", "lots_to_secure_one_lot", "lottery_rate", "initial_public_pct",
               "final_public_pct", "aggregate_allocation_pct", "cornerstone_count", "cornerstone_amount",
               "cornerstone_share_of_offer", "greenshoe_pct")
FIRST_DAY_FIELDS = ("grey_market_return", "open_price", "close_price", "first_day_open_return", "first_day_return",
                    "turnover")
FUNDAMENTAL_FIELDS = ("revenue", "revenue_growth_yoy", "net_profit", "net_loss", "adjusted_net_loss", "rd_expense",
                      "rd_share_of_opex")


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


def _first_day_returns(p: IpoProfile, kind_rank: Callable[[dict], int],
                       bounds: dict[int, tuple[float, float]]) -> None:
    """Returns recomputed from the stated prices where both prices are known, checked against stated returns."""
    offer = p.deal.get("offer_price")
    for price_field, ret_field in (("open_price", "first_day_open_return"), ("close_price", "first_day_return")):
        price = p.first_day.get(price_field)
        if not (offer and price):
            continue
        d = _derived(aftermarket.pct_change(price["value"], offer["value"]), "pct",
                     f"({price_field} / offer_price - 1) x 100", [price, offer])
        if price.get("basis") == "derived_by_source":
            continue  # a price derived from the return cannot check the return
        stated = p.first_day.get(ret_field)
        if stated and stated.get("basis") == "stated":
            plo, phi = bounds.get(price.get("fact_id")) or (price["value"], price["value"])
            olo, ohi = bounds.get(offer.get("fact_id")) or (offer["value"], offer["value"])
            span = ((plo / ohi - 1) * 100, (phi / olo - 1) * 100) if olo > 0 else (d["value"], d["value"])
            checks = [_stated_check(span, s, bounds) for s in [stated, *stated.get("other_values", [])]
                      if s.get("value") is not None]
            d["stated_values"] = checks
            # Same rule as the ledger's resolution: a stated figure from a source as strong as the prices' weakest
            # keeps its place when it disagrees; the recomputation is shown beside it.
            if checks and not checks[0]["agrees_with_derived"] and \
                    kind_rank(stated) <= max(kind_rank(price), kind_rank(offer)):
                stated["recomputed"] = {k: v for k, v in d.items() if k != "stated_values"}
                continue
        p.first_day[ret_field] = d


def _other(p: IpoProfile, by_field: dict) -> None:
    """Everything else the ledger says about this entity (headcount, patents, product specs, stated valuations …),
    so that no stored fact is hidden by the profile's layout."""
    shown = {*DEAL_FIELDS, *FIRST_DAY_FIELDS, *FUNDAMENTAL_FIELDS, "backlog", "market_cap", "market_cap_at_offer",
             "shares_outstanding", "name_en", "name_zh"}
    for name in sorted(by_field):
        if name in shown or not any(_clean(r["value_num"]) is not None or _clean(r["value_text"]) is not None
                                    for r in by_field[name]):
            continue
        rows_by_date: dict[str, list[dict]] = {}
        for r in by_field[name]:
            rows_by_date.setdefault(r["date_key"], []).append(r)
        values = []
        for _, rs in sorted(rows_by_date.items()):
            v = _value(rs[0])
            if len(rs) > 1:
                v["other_values"] = [_value(o) for o in rs[1:]]
            values.append(v)
        p.other[name] = values[0] if len(values) == 1 else {"series": values}


def _deal_derivations(p: IpoProfile, bounds: dict[int, tuple[float, float]]) -> None:
    """Greenshoe size, cornerstone share from amounts, turnover against the offer size."""
    d, f = p.deal, p.first_day
    gross, shoe = d.get("proceeds_gross"), d.get("greenshoe_pct")
    if gross and shoe and gross.get("currency"):
        d["greenshoe_proceeds"] = _derived(deal_math.greenshoe_proceeds(gross["value"], shoe["value"]),
                                           gross["currency"], "proceeds_gross x greenshoe_pct / 100 (if fully "
                                           "exercised)", [gross, shoe], currency=gross["currency"])
    amount = d.get("cornerstone_amount")
    if gross and amount and amount.get("currency") == gross.get("currency"):
        cs = _derived(deal_math.cornerstone_share(amount["value"], gross["value"]), "pct",
                      "cornerstone_amount / proceeds_gross x 100", [amount, gross])
        stated = d.get("cornerstone_share_of_offer")
        if stated:
            alo, ahi = bounds.get(amount.get("fact_id")) or (amount["value"],) * 2
            glo, ghi = bounds.get(gross.get("fact_id")) or (gross["value"],) * 2
            span = (alo / ghi * 100, ahi / glo * 100) if glo > 0 else (cs["value"],) * 2
            cs["stated_values"] = [_stated_check(span, s, bounds) for s in [stated, *stated.get("other_values", [])]
                                   if s.get("value") is not None]
        d["cornerstone_share_from_amount"] = cs
    turnover = f.get("turnover")
    if gross and turnover and turnover.get("currency") == gross.get("currency"):
        f["turnover_vs_offer_size"] = _derived(aftermarket.turnover_ratio(turnover["value"], gross["value"]),
                                               "pct", "turnover / proceeds_gross x 100", [turnover, gross])


def _valuation(fx: Callable[[], FxTable], p: IpoProfile, by_field: dict, best: Callable) -> None:
    shares = best("shares_outstanding")
    close = p.first_day.get("close_price")
    if shares and close:
        p.valuation["market_cap_at_first_close"] = _derived(
            close["value"] * shares["value"], close.get("currency") or "HKD", "close_price x shares_outstanding",
            [close, shares], currency=close.get("currency"))
    series = [
        _value(r) for r in by_field.get("market_cap", []) if r["value_num"] is not None and not _isnan(r["value_num"])
    ]
    series.sort(key=lambda v: (v.get("as_of") or "", v["fact_id"]))
    mc = best("market_cap")
    if mc:
        mc["basis"] = "stated"
        mc["label"] = "stated market cap (share count not in the ledger)" if not shares else "stated market cap"
        p.valuation["market_cap"] = mc
        p.valuation["market_cap_series"] = series
    at_offer = best("market_cap_at_offer")
    if at_offer:
        p.valuation["market_cap_at_offer"] = at_offer
    # P/S on the last full fiscal year's revenue, converted through the FX table when currencies differ.
    rev = _last_full_year(by_field.get("revenue", []))
    if mc and rev:
        on = dt.date.fromisoformat(mc["as_of"]) if mc.get("as_of") else None
        try:
            if mc["currency"] != rev["currency"]:
                if on is None:
                    raise FxMissing("the market cap has no date to pick an FX rate")
                rate = find_rate(fx(), rev["currency"], mc["currency"], on)
                rev_conv = rev["value"] * rate.rate
                fx_info = {"rate": rate.rate, "date": rate.date.isoformat(), "source": rate.source_id,
                           "via": rate.via, "pair": f"{rate.base}/{rate.quote}"}
            else:
                rev_conv, fx_info = rev["value"], None
            ps = _derived(valuation.price_to_sales(mc["value"], rev_conv), "x",
                          f"market_cap ({mc['as_of']}) / (revenue ({rev['period']})"
                          + (" x FX)" if fx_info else ")"), [mc, rev])
            if fx_info:
                ps["fx"] = fx_info
            p.valuation["price_to_sales"] = ps
        except FxMissing as exc:
            p.valuation["price_to_sales"] = _missing(
                f"market cap is in {mc['currency']} and revenue in {rev['currency']}: {exc}")


def _last_full_year(rows: list[dict]) -> dict | None:
    fy = [r for r in rows if r["rank_in_date"] == 1 and str(_clean(r["period"]) or "").startswith("FY")
          and r["value_num"] is not None]
    if not fy:
        return None
    fy.sort(key=lambda r: fundamentals.period_sort_key(r["period"]))
    return _value(fy[-1])


def _fundamentals(p: IpoProfile, by_field: dict) -> None:
    periods: dict[str, dict] = {}
    for name in FUNDAMENTAL_FIELDS + ("backlog",):
        for r in by_field.get(name, []):
            if r["rank_in_date"] != 1:
                continue
            v = _value(r)
            key = v["period"] or v["as_of"] or r["date_key"] or "undated"
            alts = [_value(o) for o in by_field[name] if o["date_key"] == r["date_key"] and o["id"] != r["id"]]
            if alts:
                v["other_values"] = alts
            periods.setdefault(key, {})[name] = v
    ordered = dict(sorted(periods.items(), key=lambda kv: fundamentals.period_sort_key(kv[0])))
    derived: dict[str, Any] = {}
    fy = [k for k in ordered if k.startswith("FY")]
    # Revenue growth y/y and CAGR over the full fiscal years present.
    rev_fy = [k for k in fy if "revenue" in ordered[k]]
    for a, b in zip(rev_fy, rev_fy[1:]):
        ra, rb = ordered[a]["revenue"], ordered[b]["revenue"]
        if fundamentals.period_years(a, b) == 1:
            derived[f"revenue_growth_{a}_{b}"] = _derived(fundamentals.growth(ra["value"], rb["value"]), "pct",
                                                          f"(revenue {b} / revenue {a} - 1) x 100", [rb, ra])
    if len(rev_fy) >= 2:
        a, b = rev_fy[0], rev_fy[-1]
        ra, rb = ordered[a]["revenue"], ordered[b]["revenue"]
        n = fundamentals.period_years(a, b)
        derived["revenue_cagr"] = _derived(fundamentals.cagr(ra["value"], rb["value"], n), "pct",
                                           f"((revenue {b} / revenue {a})^(1/{n:g}) - 1) x 100", [rb, ra],
                                           start=a, end=b, years=n)
    loss_fy = [k for k in fy if "adjusted_net_loss" in ordered[k]]
    for a, b in zip(loss_fy, loss_fy[1:]):
        la, lb = ordered[a]["adjusted_net_loss"], ordered[b]["adjusted_net_loss"]
        chg = fundamentals.loss_change(la["value"], lb["value"])
        derived[f"adjusted_net_loss_change_{a}_{b}"] = _derived(
            chg, "pct", f"(adjusted_net_loss {b} / adjusted_net_loss {a} - 1) x 100", [lb, la],
            direction="narrowed" if chg < 0 else "widened")
    for k, vals in ordered.items():
        if "rd_expense" in vals and "rd_share_of_opex" in vals:
            rd, share = vals["rd_expense"], vals["rd_share_of_opex"]
            vals["implied_opex"] = _derived(fundamentals.implied_opex(rd["value"], share["value"]),
                                            rd.get("currency") or "", "rd_expense / (rd_share_of_opex / 100)",
                                            [rd, share], currency=rd.get("currency"))
        if "rd_expense" in vals and "revenue" in vals and vals["revenue"]["value"] > 0:
            rd, rev = vals["rd_expense"], vals["revenue"]
            if rd.get("currency") == rev.get("currency"):
                vals["rd_intensity"] = _derived(fundamentals.rd_intensity(rd["value"], rev["value"]), "pct",
                                                "rd_expense / revenue x 100", [rd, rev])
    backlog = [(k, v["backlog"]) for k, v in ordered.items() if "backlog" in v]
    if backlog and rev_fy:
        k, bl = backlog[-1]
        rev = ordered[rev_fy[-1]]["revenue"]
        if bl.get("currency") == rev.get("currency"):
            derived["backlog_cover"] = _derived(fundamentals.backlog_cover(bl["value"], rev["value"]), "x",
                                                f"backlog / revenue {rev_fy[-1]}", [bl, rev])
    p.fundamentals = {"periods": ordered, "derived": derived}


# -- the tables ----------------------------------------------------------------------------------------------------
# The IPO table's summary columns: what the web table shows and ``ipolens ipos`` prints (narrow terminals drop some).
IPO_COLUMNS = ("code", "entity", "market", "name_en", "name_zh", "listing_date", "route", "offer_price", "currency",
               "lot_size", "oversubscription_public", "public_undersubscribed", "one_lot_success_rate",
               "lots_to_secure_one_lot", "first_day_return", "grey_market_return", "market_cap", "market_cap_as_of",
               "proceeds_gross", "sponsors", "counts_as_ipo")


@dataclass
class TableResult(Result):
    """Rows of one ledger table; ``total`` counts them before any ``limit``."""
    total: int
    rows: pd.DataFrame


@dataclass
class FinancialsResult(Result):
    entity: str
    rows: pd.DataFrame


@dataclass
class IposResult(Result):
    """One page of the IPO table (``rows``: ``columns`` only); ``frame`` holds every column of every match.
    ``left_out``: the listings the table does not show and why (``analytics.left_out``); ``undated``: the rows are
    the listings without a listing date."""
    total: int
    offset: int
    limit: int | None
    columns: list
    rows: pd.DataFrame
    left_out: list = dc_field(default_factory=list)
    undated: bool = False
    _frame: pd.DataFrame = dc_field(repr=False, default=None)

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame


def market_of(name: str | None) -> str | None:
    """The registry's market id ('hk' -> 'HK', 'US' -> 'NASDAQ'); an unknown name is the user's to fix."""
    if name is None or not str(name).strip():
        return None
    try:
        return normalise_market(name)
    except UnknownMarket as exc:
        raise UserError(str(exc)) from None


def resolve(store: Store, text: str) -> str:
    """Entity key (``HK:06082``) for a code in any spelling or a company name."""
    with store.read() as led:
        return led.resolve_entity(text)


def ipos(store: Store, market: str | None = None, year: int | None = None, sort: str | None = None,
         ipos_only: bool = False, q: str | None = None, limit: int | None = None, offset: int = 0,
         all_columns: bool = False, undated: bool = False) -> IposResult:
    """The IPO table filtered by market, listing year and a search ``q`` (code or name, traditional Chinese too),
    sorted by ``sort`` (a column, '-' prefix for descending), paged by ``offset``/``limit``.

    Nothing vanishes silently: ``left_out`` counts the listings the search matched but the table leaves out, by
    reason (no listing date, out of the year, not an IPO), each listing once. ``undated``: list the listings
    without a listing date instead (their ``left_out`` holds only the not-IPO ones)."""
    if limit is not None and limit < 0 or offset < 0:
        raise UserError("limit and offset must not be negative")
    if undated and year is not None:
        raise UserError("--undated lists the listings without a listing date; a year cannot select among them")
    with store.read() as led:
        df = ipos_from(led, market, None, sort=sort)
        nodate = undated_rows(led, market_of(market))
    if q:
        df, nodate = df[_matches(df, q)], nodate[_matches(nodate, q)]
    pairs = []
    if undated:
        df = nodate.sort_values(sort.lstrip("-"), ascending=not sort.startswith("-"), na_position="last",
                                kind="stable") if sort else nodate
    else:
        pairs.append(("no_listing_date", lo.codes_of(nodate)))
        if year is not None:
            in_year = pd.to_datetime(df["listing_date"]).dt.year == int(year)
            pairs.append(("out_of_years", lo.codes_of(df[~in_year])))
            df = df[in_year]
    if ipos_only:  # the ledger's rule: counts_as_ipo 1 or unknown
        is_ipo = df["counts_as_ipo"].fillna(1) == 1
        pairs.append(("not_ipo", lo.codes_of(df[~is_ipo])))
        df = df[is_ipo]
    df = df.reset_index(drop=True)
    cols = list(df.columns) if all_columns else [c for c in IPO_COLUMNS if c in df.columns]
    page = df.iloc[offset:] if limit is None else df.iloc[offset:offset + limit]
    return IposResult(int(len(df)), offset, limit, cols, page[cols].reset_index(drop=True), lo.report(pairs),
                      undated, df)


def ipos_from(led: Ledger, market: str | None = None, year: int | None = None, ipos_only: bool = False,
              sort: str | None = None) -> pd.DataFrame:
    """One row per IPO: listings joined with first_day and companies. Percent columns are percent numbers
    (82.1 = +82.1%); money is in the ``currency`` column's unit."""
    df = lq.ipo_rows(led, market_of(market), year, ipos_only)
    if sort:
        col = sort.lstrip("-")
        if col not in df.columns:
            hint = difflib.get_close_matches(col, df.columns, n=3)
            raise UserError(f"cannot sort by {col!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
        df = df.sort_values(col, ascending=not sort.startswith("-"), na_position="last", kind="stable")
    return df.reset_index(drop=True)


def _matches(df: pd.DataFrame, needle: str) -> pd.Series:
    """Rows whose code or names contain ``needle``. Why t2s on both sides: the resolver accepts traditional
    spellings (智譜 -> 智谱), so the search must too."""
    simple = _to_simplified(needle).lower()
    hay = (df["code"].fillna("") + " " + df["name_en"].fillna("") + " " + df["name_zh"].fillna("")).str.lower()
    converted = _to_simplified("\n".join(h.replace("\n", " ") for h in hay)).split("\n")
    if len(converted) == len(hay):  # one conversion for the whole column, one line per row
        hay = pd.Series(converted, index=hay.index)
    return hay.str.contains(simple, regex=False) | hay.str.contains(needle.lower(), regex=False)


def facts(store: Store, code: str | None = None, field: str | None = None, limit: int | None = None) -> TableResult:
    """Ledger rows with their source, qualifier, date and quote; resolved winners flagged ``is_resolved``."""
    with store.read() as led:
        df = facts_from(led, led.resolve_entity(code) if code else None, field)
    return TableResult(int(len(df)), df if limit is None else df.head(limit))


def facts_from(led: Ledger, key: str | None = None, field: str | None = None) -> pd.DataFrame:
    if field:
        try:
            check_field(field)
        except UnknownFieldError as exc:  # nothing of that name exists: a not-found, like an unknown code
            raise EntityNotFound(str(exc)) from None
    return lq.fact_rows(led, key, field)


def conflicts(store: Store, code: str | None = None) -> TableResult:
    """Pairs of values for one entity, field and date that disagree beyond what their qualifiers allow.

    Same-currency pairs come from the ``conflicts`` view; pairs in two currencies are compared through the dated
    FX table (``analytics.fx_conflicts``) and carry the rate, its dates and source in the FX columns."""
    with store.read() as led:
        df = conflicts_from(led, led.resolve_entity(code) if code else None)
    return TableResult(int(len(df)), df)


def conflicts_from(led: Ledger, key: str | None = None) -> pd.DataFrame:
    return _all_conflicts(led, key, FxTable(fx_rates(led)))


def _all_conflicts(led: Ledger, key: str | None, fx: FxTable) -> pd.DataFrame:
    return all_conflicts(lq.same_currency_conflicts(led, key), lq.cross_currency_pairs(led, key), fx)


def listing(store: Store, code: str) -> dict:
    """The resolved ``listings`` row of one IPO as a dict (empty values dropped)."""
    with store.read() as led:
        return listing_from(led, led.resolve_entity(code), code)


def listing_from(led: Ledger, key: str, label: str | None = None) -> dict:
    df = lq.listing_row(led, key)
    if df.empty:
        raise EntityNotFound(f"{label or key!r} ({key}) has no listing facts")
    return {k: v for k, v in df.iloc[0].to_dict().items() if not _isna(v)}


def financials(store: Store, code: str) -> FinancialsResult:
    """Financial periods of one company, one row per period (the ``financials`` view)."""
    with store.read() as led:
        key = led.resolve_entity(code)
        return FinancialsResult(key, lq.financial_rows(led, key))


def sources(store: Store) -> TableResult:
    with store.read() as led:
        df = lq.source_rows(led)
    return TableResult(int(len(df)), df)


def aftermarket_table(store: Store, market: str | None = "HK") -> TableResult:
    """N-day returns vs offer and index returns from the listing close, one row per IPO."""
    with store.read() as led:
        df = lq.aftermarket_rows(led, market_of(market))
    return TableResult(int(len(df)), df)


def market_stats(store: Store) -> TableResult:
    with store.read() as led:
        df = lq.market_stats_rows(led)
    return TableResult(int(len(df)), df)


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
