"""Cross-market comparison in one currency through the dated FX table (the articles' "冰火两重天").

``company_row`` takes one company's ranked facts and financial periods and converts money through an
``FxTable`` at the date the market cap was observed, so market cap and revenue share one rate date and P/S does
not depend on the target currency. Each conversion keeps its own rate, date and source. ``market_medians``,
``premium`` and ``premiums`` summarise the table. Missing inputs stay missing: a company with no revenue on file
has no P/S. Nothing here reads the ledger: ``ipolens.app.stats.compare`` gathers the frames.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import Any

import pandas as pd

from .fx import FxMissing, FxTable, find_rate

__all__ = ["COLUMNS", "company_row", "table", "source_ids", "fx_source_ids", "market_medians", "premium",
           "premiums", "SAME_CURRENCY"]

SAME_CURRENCY = "same currency"  # the FX source shown when no conversion was needed

COLUMNS = ("code", "name", "market", "valuation_date", "market_cap", "market_cap_ccy", "market_cap_source",
           "market_cap_conv", "first_day_return", "first_day_return_source", "revenue_period", "revenue",
           "revenue_ccy", "revenue_source", "revenue_conv", "ps", "rd_expense", "rd_intensity",
           "mc_fx_pair", "mc_fx_rate", "mc_fx_date", "mc_fx_source",
           "rev_fx_pair", "rev_fx_rate", "rev_fx_date", "rev_fx_source", "note")


def _f(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _date(v) -> dt.date | None:
    if v is None:
        return None
    with contextlib.suppress(TypeError, ValueError):  # containers have no single NA value
        if pd.isna(v):
            return None
    return pd.Timestamp(v).date()


def _resolved(facts: pd.DataFrame, field: str) -> pd.Series | None:
    """The resolved fact for a field; among several resolved dates, the latest dated one."""
    f = facts[(facts["field"] == field) & facts["is_resolved"] & facts["value"].notna()]
    if f.empty:
        return None
    f = f.assign(_d=pd.to_datetime(f["as_of"])).sort_values("_d", na_position="first")
    return f.iloc[-1]


def _latest_fy(fin: pd.DataFrame) -> pd.Series | None:
    """Latest full fiscal year with revenue (FYyyyy): half-years are not annual sales, so no P/S on them."""
    if fin.empty or "revenue" not in fin:
        return None
    fy = fin[fin["period"].astype(str).str.fullmatch(r"FY\d{4}") & fin["revenue"].notna()]
    if fy.empty:
        return None
    return fy.sort_values("period").iloc[-1]


def _source_of(facts: pd.DataFrame, field: str, period: str) -> str | None:
    f = facts[(facts["field"] == field) & (facts["period"].astype(str) == period) & facts["is_resolved"]]
    return None if f.empty else str(f.iloc[0]["source_id"])


def company_row(entity: str, code: str, name: str | None, market: str, facts: pd.DataFrame,
                fin: pd.DataFrame, fx: FxTable, currency: str = "HKD", max_age_days: int = 7) -> dict[str, Any]:
    """One company's numbers in their own currency and converted to ``currency``, with the FX row used.

    ``facts``: the entity's ranked facts (field, value, unit, currency, as_of, period, source_id, is_resolved);
    ``fin``: its financial periods (period, revenue, rd_expense, currency)."""
    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(code=code, entity=entity, name=name, market=market)
    notes = []
    mc = _resolved(facts, "market_cap")
    if mc is not None:
        row.update(market_cap=_f(mc["value"]), market_cap_ccy=mc["currency"] or mc["unit"],
                   market_cap_source=mc["source_id"], valuation_date=_date(mc["as_of"]))
    fdr = _resolved(facts, "first_day_return")
    if fdr is not None:
        row.update(first_day_return=_f(fdr["value"]), first_day_return_source=fdr["source_id"])

    fy = _latest_fy(fin)
    if fy is not None:
        row.update(revenue_period=fy["period"], revenue=_f(fy["revenue"]), revenue_ccy=fy.get("currency"),
                   revenue_source=_source_of(facts, "revenue", fy["period"]),
                   rd_expense=_f(fy.get("rd_expense")))
        if row["rd_expense"] is not None and row["revenue"]:
            row["rd_intensity"] = row["rd_expense"] / row["revenue"] * 100.0

    on = row["valuation_date"]
    if on is None:
        if row["market_cap"] is not None:
            notes.append("market cap has no date: not converted")
        elif mc is None:
            notes.append("no market cap on file")
    else:
        for prefix, amount_col, ccy_col in (("mc", "market_cap", "market_cap_ccy"),
                                            ("rev", "revenue", "revenue_ccy")):
            amount, ccy = row[amount_col], row[ccy_col]
            if amount is None or not ccy:
                continue
            try:
                rate = find_rate(fx, str(ccy), currency, on, max_age_days)
            except FxMissing as exc:
                notes.append(str(exc))
                continue
            row[f"{amount_col}_conv"] = amount * rate.rate
            row.update({f"{prefix}_fx_rate": rate.rate, f"{prefix}_fx_date": rate.date,
                        f"{prefix}_fx_source": rate.source_id if rate.via != "identity" else SAME_CURRENCY,
                        f"{prefix}_fx_pair": f"{rate.base}/{rate.quote}"})
        if row["market_cap_conv"] is not None and row["revenue_conv"]:
            row["ps"] = row["market_cap_conv"] / row["revenue_conv"]
    if row["revenue"] is None:
        notes.append("no full-year revenue on file")
    row["note"] = "; ".join(notes) or None
    return row


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The comparison table: one row per company, columns in COLUMNS order (plus ``entity``)."""
    return pd.DataFrame(rows, columns=[*COLUMNS, "entity"])


def source_ids(tab: pd.DataFrame) -> list[str]:
    """Every source the table's values and conversions rest on, in row order, without repeats."""
    out: list[str] = []
    for r in tab.to_dict("records"):
        for c in ("market_cap_source", "first_day_return_source", "revenue_source", "mc_fx_source", "rev_fx_source"):
            v = r.get(c)
            if isinstance(v, str) and v and v != SAME_CURRENCY and v not in out:
                out.append(v)
    return out


def fx_source_ids(tab: pd.DataFrame) -> list[str]:
    """The FX sources used by the conversions, sorted (a cross rate 'a+b' stays one id)."""
    return sorted({str(v) for c in ("mc_fx_source", "rev_fx_source") for v in tab[c].dropna()} - {SAME_CURRENCY})


METRICS = ("market_cap_conv", "first_day_return", "revenue_conv", "ps", "rd_intensity")


def market_medians(table: pd.DataFrame, metrics: tuple[str, ...] = METRICS) -> pd.DataFrame:
    """Median of each metric per market, with the number of companies that had the value."""
    out = []
    for market, g in table.groupby("market", sort=True):
        row: dict[str, Any] = {"market": market, "companies": int(len(g))}
        for m in metrics:
            s = pd.to_numeric(g[m], errors="coerce").dropna()
            row[m] = float(s.median()) if len(s) else None
            row[f"{m}_n"] = int(len(s))
        out.append(row)
    return pd.DataFrame(out)


def premiums(medians: pd.DataFrame, metric: str = "market_cap_conv") -> list[dict[str, Any]]:
    """Every market's premium over every other market on ``metric`` (ordered pairs, both directions)."""
    out = []
    markets = list(medians["market"]) if "market" in medians else []
    for a in markets:
        for b in markets:
            if a != b:
                p = premium(medians, metric, a, b)
                if p is not None:
                    out.append({"metric": metric, "market": a, "over": b, "premium_pct": p})
    return out


def premium(medians: pd.DataFrame, metric: str, market: str, over: str) -> float | None:
    """Premium in percent of ``market``'s median over ``over``'s: median_a / median_b - 1."""
    m = medians.set_index("market")
    if market not in m.index or over not in m.index:
        return None
    a, b = _f(m.at[market, metric]), _f(m.at[over, metric])
    if a is None or b is None or b == 0:
        return None
    return (a / b - 1.0) * 100.0
