"""Use cases: market statistics (``ipolens stats``, GET /api/stats) and the cross-market comparison
(``ipolens compare``, GET /api/compare, POST /api/compare/batch)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analytics import compare as cmp, left_out as lo, stats as st
from ..analytics.fx import FxTable
from ..ledger.access import Store
from ..ledger.markets import MARKETS, market as market_info
from ..ledger.queries import fx as fx_q, ledger as lq, profile as pq
from ..ledger.queries.left_out import undated_rows
from ..ledger.store import Ledger
from .base import Result, UserError, jsonable
from .profile import ipos_from, market_of

__all__ = ["BY_CHOICES", "CURRENCIES", "MAX_CODES", "StatsResult", "CompareResult", "stats", "compare",
           "compare_table", "parse_years", "lake_store"]


def lake_store(lake: str) -> Store:
    """A throwaway in-memory store whose facts are the Parquet lake's (``ipolens export --parquet``); names, FX
    rates and other tables are the embedded dataset's. Lake errors are the user's (exit 2)."""
    from ..ledger.lake import load_lake_facts
    from .store import open_store

    s = open_store(":memory:")
    try:
        with s.write(refresh=False) as led:  # its own transaction: duckdb 1.2 refuses a key deleted and
            led.con.execute("DELETE FROM facts")  # re-inserted in one transaction
        with s.write(refresh=False) as led:  # the lake holds the derived facts already
            load_lake_facts(led, lake)
    except ValueError as exc:
        s.close()
        raise UserError(str(exc)) from None
    return s

BY_CHOICES = ("band", "year", "sponsor", "route", "market", "year_market", "nday")
CURRENCIES = tuple(dict.fromkeys(market_info(m).currency for m in MARKETS))  # HKD, CNY, USD
MAX_CODES = 30
FIRST_YEAR, LAST_YEAR = 1990, 2100
STATS_SOURCE = "first_day_return: resolved ledger values (see `ipolens facts CODE first_day_return`)"
COMPARE_NOTE = "money converted at the rate of the date each market cap was observed (fx_rates table)"


@dataclass
class StatsResult(Result):
    """``to_dict()`` is the statistics dict itself (groups or N-day rows) plus ``filters`` and ``source``."""
    by: str
    stats: dict[str, Any]
    filters: dict[str, Any]
    source: str = STATS_SOURCE
    left_out: list = field(default_factory=list)  # listings left out, by reason (analytics.left_out)

    def to_dict(self) -> dict:
        return jsonable({"by": self.by, **self.stats, "filters": self.filters, "source": self.source,
                         "left_out": self.left_out})


@dataclass
class CompareResult(Result):
    currency: str
    rows: pd.DataFrame
    medians: pd.DataFrame
    premiums: list[dict[str, Any]] = field(default_factory=list)
    fx_sources: list[dict[str, Any]] = field(default_factory=list)
    note: str = COMPARE_NOTE


def _check_year(year: int | None) -> int | None:
    if year is not None and not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise UserError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}, got {year}")
    return None if year is None else int(year)


def parse_years(years: str | None) -> tuple[int, int] | None:
    """'2018-2022' -> (2018, 2022); '2020' -> (2020, 2020)."""
    if years is None or not str(years).strip():
        return None
    lo, _, hi = str(years).strip().partition("-")
    try:
        first, last = int(lo), int(hi or lo)
    except ValueError:
        raise UserError(f"years takes YYYY or YYYY-YYYY (e.g. 2018-2022), got {years!r}") from None
    _check_year(first), _check_year(last)
    if first > last:
        raise UserError(f"years {years!r}: the first year is after the last")
    return first, last


def stats(store: Store, by: str = "band", market: str | None = None, year: int | None = None,
          ipos_only: bool = True, years: str | None = None, lake: str | None = None) -> StatsResult:
    """First-day return statistics grouped ``by`` band, year, sponsor, route, market or year_market; or (``nday``)
    N-day returns against the HSI. ``years`` narrows to a range of listing years ('2018-2022'). ``lake``: read the
    facts from a Parquet lake instead of ``store``."""
    if by not in BY_CHOICES:
        raise UserError(f"unknown grouping {by!r}; expected one of {', '.join(BY_CHOICES)}")
    mkt, year, span = market_of(market), _check_year(year), parse_years(years)
    store = lake_store(lake) if lake else store
    with store.read() as led:
        ipos = ipos_from(led, mkt)
        undated = undated_rows(led, mkt)
        after = lq.aftermarket_rows(led, mkt) if by == "nday" else None
    lo_pairs = [("no_listing_date", lo.codes_of(undated))]  # nothing vanishes silently: say what and why
    if year is not None or span:
        first, last = span or (year, year)
        listed = pd.to_datetime(ipos["listing_date"]).dt.year
        inside = listed.between(max(first, year or first), min(last, year or last))
        lo_pairs.append(("out_of_years", lo.codes_of(ipos[~inside])))
        ipos = ipos[inside].reset_index(drop=True)
    counted = ipos["counts_as_ipo"].fillna(1) != 0 if ipos_only else pd.Series(True, index=ipos.index)
    lo_pairs.append(("not_ipo", lo.codes_of(ipos[~counted])))  # the rule of analytics.stats.ipo_rows
    if by != "nday":
        lo_pairs.append(("no_first_day_return", lo.codes_of(ipos[counted & ipos["first_day_return"].isna()])))
    out = st.nday_for(ipos, after, ipos_only) if by == "nday" else st.first_day_by(ipos, by, ipos_only=ipos_only)
    left = lo.report(lo_pairs)
    return StatsResult(by=by, stats=out, filters={"market": mkt, "year": year, "years": years,
                                                  "ipos_only": ipos_only}, left_out=left)


def _text(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def compare_table(led: Ledger, codes: list[str], currency: str, fx: FxTable) -> pd.DataFrame:
    """One row per company (6082.HK, 6082 and 壁仞 are one company: one row, one vote in the medians)."""
    keys = list(dict.fromkeys(led.resolve_entity(c) for c in codes))
    rows = []
    for key in keys:
        ent = pq.entity_row(led, key)
        mkt = _text(ent.get("market")) or key.split(":", 1)[0]
        rows.append(cmp.company_row(key, _text(ent.get("code")) or key,
                                    _text(ent.get("name_en")) or _text(ent.get("name_zh")), mkt,
                                    lq.fact_rows(led, key), lq.financial_rows(led, key), fx, currency=currency))
    return cmp.table(rows)


def compare(store: Store, codes: list[str], currency: str = "HKD") -> CompareResult:
    """Market cap, first-day return, revenue, P/S and R&D intensity in one currency, each conversion with its
    rate's date and source; the median per market and each market's premium over the others."""
    codes = [c.strip() for c in codes if isinstance(c, str) and c.strip()]
    if not codes:
        raise UserError("no codes given")
    if len(codes) > MAX_CODES:
        raise UserError(f"at most {MAX_CODES} codes at once, got {len(codes)}")
    ccy = str(currency).strip().upper()
    if ccy not in CURRENCIES:
        raise UserError(f"unknown currency {currency!r}; expected one of {', '.join(CURRENCIES)}")
    with store.read() as led:
        tab = compare_table(led, codes, ccy, FxTable(fx_q.fx_rates(led)))
        used = cmp.fx_source_ids(tab)
        known = {r["id"]: r for r in pq.sources_by_id(led, used).to_dict("records")}
    medians = cmp.market_medians(tab)
    fx_sources = [{"id": sid, **{k: _text(known.get(sid, {}).get(k)) for k in ("title", "publisher", "url")}}
                  for sid in used]
    return CompareResult(currency=ccy, rows=tab, medians=medians, premiums=cmp.premiums(medians),
                         fx_sources=fx_sources)
