"""The profile's sections beyond the stated values: first-day returns and deal figures recomputed from their
inputs (checked against the stated ones), the valuation, the fundamentals by period, and every other stored field."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from ..analytics import aftermarket, deal as deal_math, fundamentals, valuation
from ..analytics.fx import FxMissing, FxTable, find_rate
from .profile_values import _clean, _derived, _isnan, _missing, _stated_check, _value

if TYPE_CHECKING:
    from .profile import IpoProfile

__all__ = ["DEAL_FIELDS", "FIRST_DAY_FIELDS", "FUNDAMENTAL_FIELDS"]

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
