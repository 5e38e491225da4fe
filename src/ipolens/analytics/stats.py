"""Market statistics over the IPO table: first-day return distributions by group, sponsor track records and
N-day returns against the HSI.

Pure functions over DataFrames shaped like ``Database.ipos()`` / ``Database.aftermarket()``. Returns are percent
numbers (75.8 = +75.8%). Nothing is imputed: a row without the value a statistic needs is left out and counted.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from ..data.parties import Vocabulary, party_key, split_names, sponsor_vocabulary

__all__ = ["BANDS", "GROUPINGS", "summarize", "band_of", "route_of", "split_sponsors", "ipo_rows",
           "first_day_by", "sponsor_track_record", "nday_vs_index", "band_table", "in_years", "nday_for"]

PERCENTILES = (10, 25, 75, 90)

# Public-offer subscription bands, lower bound inclusive: [lo, hi).
BANDS: tuple[tuple[str, float, float], ...] = (
    ("<1x", -math.inf, 1.0),
    ("1-15x", 1.0, 15.0),
    ("15-50x", 15.0, 50.0),
    ("50-100x", 50.0, 100.0),
    (">=100x", 100.0, math.inf),
)
GROUPINGS = ("year", "market", "year_market", "route", "band", "sponsor")


def _num(v) -> float | None:
    """JSON-safe float: NaN becomes None."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def summarize(returns: Iterable[float]) -> dict:
    """count, mean, median, % positive, % broken (below offer), min/max and percentiles of percent returns."""
    s = pd.Series(list(returns), dtype="float64").dropna()
    out: dict = {"count": int(s.size)}
    if s.empty:
        out.update({"mean": None, "median": None, "pct_positive": None, "pct_broken": None, "min": None,
                    "max": None, **{f"p{p}": None for p in PERCENTILES}})
        return out
    out["mean"] = float(s.mean())
    out["median"] = float(s.median())
    out["pct_positive"] = float((s > 0).mean() * 100.0)
    out["pct_broken"] = float((s < 0).mean() * 100.0)
    out["min"] = float(s.min())
    out["max"] = float(s.max())
    for p in PERCENTILES:
        out[f"p{p}"] = float(np.percentile(s.to_numpy(), p))  # linear interpolation
    return out


def band_of(multiple: float | None, undersubscribed: float | None = None) -> str | None:
    """Band label for a public-offer multiple. A row the source flags as under-subscribed without a multiple
    is still known to be below 1x; a row with neither is unbanded (None)."""
    m = _num(multiple)
    if m is None:
        return "<1x" if _num(undersubscribed) == 1.0 else None
    for label, lo, hi in BANDS:
        if lo <= m < hi:
            return label
    return None


def route_of(route: str | None, chapter: str | None = None) -> str:
    """18C, A+H or conventional as the source codes it; 'not recorded' where the source has no route (the
    2018-2022 set does not record one, so guessing A+H vs conventional there would invent data)."""
    r = (route or "").strip() if isinstance(route, str) else ""
    c = (chapter or "").strip() if isinstance(chapter, str) else ""
    if r.upper().startswith("18C") or c.upper() == "18C":
        return "18C"
    if "A+H" in r.upper():
        return "A+H"
    if r.lower().startswith("conventional"):
        return "conventional"
    return r or "not recorded"


def split_sponsors(text: str | None, vocab: Vocabulary | None = None) -> list[str]:
    """The banks of one deal's sponsor list, each once, by the vocabulary's short name where it knows the bank
    ('CICC' for 中金公司 and China International Capital Corporation Hong Kong Securities Limited) and as written
    (tidied: 'Ltd' spelled 'Limited') where it does not. Lists split on , ， 、 ; / and ' and '; multi-part names
    ("UBS AG, Hong Kong Branch", "Co., Ltd") stay whole."""
    return [g["sponsor"] for g in _sponsor_groups(text, vocab or sponsor_vocabulary())]


def _sponsor_groups(text: str | None, vocab: Vocabulary) -> list[dict]:
    """One dict per bank named in ``text``: id, display name, Chinese name, whether the vocabulary knows it and
    the spellings the list used."""
    out: dict[str, dict] = {}
    for name in split_names(text, vocab):
        party = vocab.match(name)
        key = party.id if party else "unlisted:" + party_key(name)
        g = out.setdefault(key, {"id": key, "sponsor": party.label if party else name,
                                 "sponsor_zh": party.name_zh if party else None, "in_vocabulary": party is not None,
                                 "spellings": []})
        g["spellings"].append(name)
    return list(out.values())


def ipo_rows(ipos: pd.DataFrame, ipos_only: bool = True) -> pd.DataFrame:
    """IPO rows with derived ``year``, ``band`` and ``route_group`` columns. ``ipos_only`` drops listings the
    source marks as not an IPO (introductions, secondary listings: ``counts_as_ipo`` = 0); unknown counts."""
    df = ipos.copy()
    if ipos_only and "counts_as_ipo" in df:
        df = df[df["counts_as_ipo"].fillna(1) != 0]
    df["year"] = pd.to_datetime(df["listing_date"]).dt.year
    under = df["public_undersubscribed"] if "public_undersubscribed" in df else pd.Series(np.nan, index=df.index)
    df["band"] = [band_of(m, u) for m, u in zip(df["oversubscription_public"], under)]
    chapter = df["listing_chapter"] if "listing_chapter" in df else pd.Series(None, index=df.index)
    df["route_group"] = [route_of(r, c) for r, c in zip(df.get("route", pd.Series(None, index=df.index)), chapter)]
    return df.reset_index(drop=True)


def _group_rows(df: pd.DataFrame, keys: list[str], order: list | None = None) -> list[dict]:
    rows = []
    groups = df.groupby(keys, dropna=False, sort=True)
    items = list(groups)
    if order is not None:
        rank = {k: i for i, k in enumerate(order)}
        items.sort(key=lambda kv: rank.get(kv[0][0] if isinstance(kv[0], tuple) else kv[0], len(rank)))
    for key, g in items:
        key = key if isinstance(key, tuple) else (key,)
        row = {k: (None if (isinstance(v, float) and math.isnan(v)) else (int(v) if isinstance(v, (np.integer,))
                                                                           else v)) for k, v in zip(keys, key)}
        row["listings"] = int(len(g))
        row.update(summarize(g["first_day_return"]))
        rows.append(row)
    return rows


def first_day_by(ipos: pd.DataFrame, by: str, ipos_only: bool = True) -> dict:
    """First-day return statistics grouped by ``by`` (one of GROUPINGS). Returns a JSON-ready dict with the
    groups, an 'all' summary and the counts of rows left out and why."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")
    if by == "sponsor":
        return sponsor_track_record(ipos, ipos_only=ipos_only)
    if by == "band":
        return band_table(ipos, ipos_only=ipos_only)
    df = ipo_rows(ipos, ipos_only)
    keys = {"year": ["year"], "market": ["market"], "year_market": ["year", "market"], "route": ["route_group"]}[by]
    out = {"by": by, "metric": "first_day_return", "unit": "pct", "ipos_only": ipos_only,
           "rows": len(df), "all": summarize(df["first_day_return"]),
           "groups": _group_rows(df, keys)}
    if by == "route":
        for g in out["groups"]:
            g["route"] = g.pop("route_group")
    return out


def band_table(ipos: pd.DataFrame, ipos_only: bool = True) -> dict:
    """Per-band statistics. Counts in ``groups`` sum to ``ipos_banded`` = IPOs with a multiple plus those
    flagged under-subscribed without one."""
    df = ipo_rows(ipos, ipos_only)
    banded = df[df["band"].notna()]
    flagged = int((df["oversubscription_public"].isna() & df["band"].notna()).sum())
    groups = []
    for label, lo, hi in BANDS:
        g = banded[banded["band"] == label]
        row = {"band": label, "low_x": _num(lo) if math.isfinite(lo) else None,
               "high_x": _num(hi) if math.isfinite(hi) else None, "listings": int(len(g))}
        row.update(summarize(g["first_day_return"]))
        groups.append(row)
    return {"by": "band", "metric": "first_day_return", "unit": "pct", "ipos_only": ipos_only, "rows": len(df),
            "ipos_with_multiple": int(df["oversubscription_public"].notna().sum()),
            "ipos_flagged_undersubscribed_without_multiple": flagged,
            "ipos_banded": int(len(banded)), "ipos_unbanded": int(len(df) - len(banded)),
            "all": summarize(banded["first_day_return"]), "groups": groups,
            "note": "band bounds are [low, high); '<1x' includes rows the source flags 'Under-Sub.' with no multiple"}


def sponsor_track_record(ipos: pd.DataFrame, ipos_only: bool = True, min_ipos: int = 1,
                         vocab: Vocabulary | None = None) -> dict:
    """Each sponsor bank's IPOs, mean and median debut and % broken (first-day close below offer). A deal counts
    once for each bank its sponsor list names, however many of that bank's spellings or entities it lists; banks
    are matched through the sponsor vocabulary (``data/parties/sponsors.yaml``)."""
    vocab = vocab or sponsor_vocabulary()
    df = ipo_rows(ipos, ipos_only)
    texts = df["sponsors"] if "sponsors" in df else pd.Series(None, index=df.index, dtype="object")
    per_deal = [_sponsor_groups(t, vocab) for t in texts]
    no_sponsor = sum(1 for g in per_deal if not g)
    banks: dict[str, dict] = {}
    for i, groups in enumerate(per_deal):
        for g in groups:
            b = banks.setdefault(g["id"], {**g, "spellings": {}, "rows": []})
            b["rows"].append(i)
            for s_ in g["spellings"]:
                b["spellings"][s_] = b["spellings"].get(s_, 0) + 1
    ret = df["first_day_return"].to_numpy(dtype="float64")
    groups = []
    for b in banks.values():
        if len(b["rows"]) < min_ipos:
            continue
        s = summarize(ret[b["rows"]])
        groups.append({"sponsor": b["sponsor"], "sponsor_zh": b["sponsor_zh"], "sponsor_id": b["id"],
                       "in_vocabulary": b["in_vocabulary"], "ipos": len(b["rows"]), "with_return": s["count"],
                       "mean": s["mean"], "median": s["median"], "pct_broken": s["pct_broken"],
                       "pct_positive": s["pct_positive"], "best": s["max"], "worst": s["min"],
                       "spellings": sorted(b["spellings"])})
    groups.sort(key=lambda r: (-r["ipos"], r["sponsor"]))
    return {"by": "sponsor", "metric": "first_day_return", "unit": "pct", "ipos_only": ipos_only, "rows": len(df),
            "ipos_without_sponsor": no_sponsor, "sponsors": len(groups),
            "sponsors_in_vocabulary": sum(g["in_vocabulary"] for g in groups), "groups": groups,
            "note": "pct_broken = share of IPOs whose first-day close was below the offer price; a deal counts "
                    "once per bank (spellings and entities of one bank merged through data/parties/sponsors.yaml)"}


NDAYS = (80, 100, 120, 140, 160, 252, 372)


def nday_vs_index(after: pd.DataFrame, max_discrepancy_pct: float = 5.0) -> dict:
    """N-trading-day returns and the HSI over the same span.

    The source measures the stock from the offer price and the HSI from the listing-day close, so the stock is
    re-based to the listing-day close first: rebased = (1 + r_N) / (1 + r_0) - 1, excess = rebased - hsi_N.
    Rows whose two vendors disagree on day 0 by more than ``max_discrepancy_pct`` points, or with no usable
    day-0 price, are left out (SOURCE.md: GEM names, secondary listings, a SPAC). Pass a
    ``vendor_discrepancy`` column (from ``ipos()``) to apply the first filter.
    """
    df = after.copy()
    r0 = df["ret_day0"] / 100.0
    ok = r0.notna() & (r0 > -1.0)
    if "vendor_discrepancy" in df:  # percent points between AASTOCKS and Yahoo on day 0
        ok &= ~(df["vendor_discrepancy"].fillna(0) > max_discrepancy_pct)
    excluded = int((~ok).sum())
    df = df[ok]
    r0 = r0[ok]
    rows = []
    for n in NDAYS:
        rc, hc = f"ret_day{n}", f"hsi_ret_day{n}"
        if rc not in df or hc not in df:
            continue
        have = df[rc].notna() & df[hc].notna()
        stock = df.loc[have, rc] / 100.0
        rebased = ((1.0 + stock) / (1.0 + r0[have]) - 1.0) * 100.0
        hsi = df.loc[have, hc]
        excess = rebased - hsi
        rows.append({"day": n, "count": int(have.sum()),
                     "mean_from_offer": _num(df.loc[have, rc].mean()),
                     "median_from_offer": _num(df.loc[have, rc].median()),
                     "mean_from_listing_close": _num(rebased.mean()),
                     "median_from_listing_close": _num(rebased.median()),
                     "mean_hsi_from_listing_close": _num(hsi.mean()),
                     "mean_excess_vs_hsi": _num(excess.mean()),
                     "median_excess_vs_hsi": _num(excess.median()),
                     "pct_beating_hsi": _num((excess > 0).mean() * 100.0) if have.any() else None})
    return {"metric": "n_day_return", "unit": "pct", "rows": int(len(df)), "excluded_rows": excluded,
            "note": "stock re-based to the listing-day close before comparing with the HSI "
                    "(excess = (1+r_N)/(1+r_0) - 1 - hsi_N); excluded_rows: no day-0 price, or the two vendors "
                    f"disagree on day 0 by more than {max_discrepancy_pct:g} points", "days": rows}


def in_years(ipos: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Rows listed in the years ``first`` to ``last`` inclusive."""
    years = pd.to_datetime(ipos["listing_date"]).dt.year
    return ipos[(years >= first) & (years <= last)].reset_index(drop=True)


def nday_for(ipos: pd.DataFrame, after: pd.DataFrame, ipos_only: bool = True) -> dict:
    """N-day returns vs the HSI for the listings in ``ipos`` (after the IPO filter), with their day-0 vendor
    discrepancy so disputed rows are left out."""
    rows = ipo_rows(ipos, ipos_only)
    keep = rows[["entity", "vendor_discrepancy"]] if "vendor_discrepancy" in rows else rows[["entity"]]
    return nday_vs_index(after.merge(keep, on="entity", how="inner"))
