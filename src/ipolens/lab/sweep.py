"""Sweep dimensions over the IPO universe: walk-forward windows and bootstrap resamples.

A sample is a list of listing indices into the universe (a bootstrap sample repeats some and drops others) plus the
labels that tag its result rows. Samples are drawn in the driver from the seed alone, before any work is handed
out, so every engine (local, threads, dask) evaluates exactly the same samples and returns the same rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Sample", "FULL", "walk_forward", "bootstrap", "samples", "parse_walk_forward", "repack",
           "bootstrap_summary", "walk_forward_summary", "LABELS"]

LABELS = ("window", "segment", "sample")  # label columns, in this order, of a swept result


@dataclass(frozen=True)
class Sample:
    index: np.ndarray | None  # listing indices (with repeats for a bootstrap); None = every listing, as is
    labels: dict = field(default_factory=dict)


FULL = Sample(None, {})


def parse_walk_forward(text: str) -> tuple[int, int, int]:
    """``TRAIN:TEST[:STEP]`` in listing years, e.g. ``3:1`` (train on 3 years, test on the next one, step 1)."""
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?", str(text))
    if not m:
        raise ValueError(f"walk-forward must be TRAIN:TEST[:STEP] in years, e.g. 3:1, got {text!r}")
    train, test = int(m[1]), int(m[2])
    step = int(m[3]) if m[3] else test
    if train < 1 or test < 1 or step < 1:
        raise ValueError(f"walk-forward years must be >= 1, got {text!r}")
    return train, test, step


def walk_forward(listing_dates, train: int, test: int, step: int | None = None) -> list[Sample]:
    """Rolling windows over listing years: per window a ``train`` sample (``train`` years) and a ``test`` sample
    (the ``test`` years right after). Windows whose test years hold no listing are not made."""
    years = pd.to_datetime(pd.Series(listing_dates)).dt.year.to_numpy()
    if len(years) == 0:
        raise ValueError("walk-forward: the universe is empty")
    step = step or test
    first, last = int(years.min()), int(years.max())
    out: list[Sample] = []
    start = first
    while start + train <= last:
        tr = (start, start + train - 1)
        te = (start + train, min(start + train + test - 1, last))
        name = f"{tr[0]}-{tr[1]}>{te[0]}-{te[1]}"
        for seg, (a, b) in (("train", tr), ("test", te)):
            idx = np.flatnonzero((years >= a) & (years <= b))
            out.append(Sample(idx.astype(np.int64), {"window": name, "segment": seg}))
        start += step
    if not out:
        raise ValueError(f"walk-forward {train}:{test}: listings span {first}-{last}, too short for one window")
    return _drop_empty_tests(out)


def _drop_empty_tests(out: list[Sample]) -> list[Sample]:
    keep = []
    for tr, te in zip(out[0::2], out[1::2]):
        if len(te.index) and len(tr.index):
            keep += [tr, te]
    if not keep:
        raise ValueError("walk-forward: no window has listings in both its train and test years")
    return keep


def bootstrap(base: Sample, n: int, seed: int) -> list[Sample]:
    """``n`` resamples (with replacement, same size) of ``base``'s listings. Resample k depends only on (seed, k)
    and the base sample, never on n or on the engine."""
    if n < 1:
        raise ValueError(f"bootstrap needs n >= 1 resamples, got {n}")
    if base.index is None:
        raise ValueError("bootstrap needs the base sample's indices (pass the universe size)")
    out = []
    for k in range(n):
        rng = np.random.default_rng([int(seed), k])
        pick = base.index[rng.integers(0, len(base.index), len(base.index))] if len(base.index) else base.index
        out.append(Sample(pick.astype(np.int64), {**base.labels, "sample": k}))
    return out


def samples(n_listings: int, listing_dates=None, walk: str | None = None, n_boot: int = 0,
            seed: int = 0) -> list[Sample]:
    """The samples of a sweep: the whole universe, or its walk-forward segments, each bootstrapped when asked."""
    base = walk_forward(listing_dates, *parse_walk_forward(walk)) if walk else [
        Sample(np.arange(n_listings, dtype=np.int64), {})]
    if not n_boot:
        return base if walk else [FULL]
    return [s for b in base for s in bootstrap(b, n_boot, seed)]


def repack(offsets: np.ndarray, bars: dict[str, np.ndarray], per_listing: dict[str, np.ndarray],
           index: np.ndarray) -> tuple[np.ndarray, dict, dict]:
    """The ragged arrays of the listings ``index`` (repeats allowed), in that order: new offsets, bars, per-listing."""
    index = np.asarray(index, dtype=np.int64)
    lens = (offsets[1:] - offsets[:-1])[index]
    new_off = np.zeros(len(index) + 1, dtype=np.int64)
    np.cumsum(lens, out=new_off[1:])
    # bar b of the new layout comes from old position starts[i] + (b - new_off[i])
    take = np.repeat(offsets[:-1][index] - new_off[:-1], lens) + np.arange(int(new_off[-1]), dtype=np.int64)
    return (new_off, {k: np.ascontiguousarray(v[take]) for k, v in bars.items()},
            {k: np.ascontiguousarray(v[index]) for k, v in per_listing.items()})


def bootstrap_summary(rows: pd.DataFrame, params: list[str], column: str, level: float = 0.9) -> pd.DataFrame:
    """Per parameter combination (and window/segment): mean of ``column`` over the resamples and the central
    ``level`` percentile interval (NumPy's linear percentiles)."""
    keys = [c for c in ("window", "segment") if c in rows] + list(params)
    lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    g = rows.groupby(keys, sort=False, dropna=False)[column]
    out = g.agg(mean="mean", n="count").reset_index()
    out[f"p{lo:g}"] = g.apply(lambda s: np.nanpercentile(s, lo) if s.notna().any() else np.nan).to_numpy()
    out[f"p{hi:g}"] = g.apply(lambda s: np.nanpercentile(s, hi) if s.notna().any() else np.nan).to_numpy()
    return out


def walk_forward_summary(rows: pd.DataFrame, params: list[str], column: str, lowest: bool = False) -> pd.DataFrame:
    """Per window: the combination with the best ``column`` (highest, or ``lowest``) on the train years and its
    result on the test years (out of sample). Ties go to the first combination in grid order; NaN never wins."""
    out = []
    for name, g in rows.groupby("window", sort=False):
        tr = g[g["segment"] == "train"].reset_index(drop=True)
        te = g[g["segment"] == "test"].reset_index(drop=True)
        if tr[column].notna().any():
            best = tr.loc[tr[column].idxmin() if lowest else tr[column].idxmax()]
            match = (te[params] == best[params]) | (te[params].isna() & best[params].isna())
            test_row = te[match.all(axis=1)]
            out.append({"window": name, **{p: best[p] for p in params}, f"train_{column}": best[column],
                        f"test_{column}": test_row[column].iloc[0] if len(test_row) else np.nan,
                        "train_trades": int(best["n_trades"]),
                        "test_trades": int(test_row["n_trades"].iloc[0]) if len(test_row) else 0})
    return pd.DataFrame(out)


def take(u, index) -> "Universe":
    """The universe of the listings ``index`` (repeats allowed), re-packed; None gives ``u`` itself."""
    from .universe import Universe

    if index is None:
        return u
    off, bars, _ = repack(u.offsets, {"day": u.day, "open_": u.open_, "high": u.high, "low": u.low,
                                      "close": u.close, "bench": u.bench}, {}, index)
    return Universe(off, bars["day"], bars["open_"], bars["high"], bars["low"], bars["close"], bars["bench"],
                    u.has_hl, u.meta.iloc[np.asarray(index, np.int64)].reset_index(drop=True), dict(u.excluded),
                    dict(u.left_out))


def book_task(sh, k: int):
    """One sample of a ``lab run`` sweep (runs on a worker): the whole BookResult for the full universe, else the
    summary table of the book on the sample's listings."""
    from .book import run_book

    idx = sh.samples[k]
    res = run_book(sh.book, take(sh.universe, idx), sh.fees, periods_per_year=sh.periods_per_year,
                   risk_free=sh.risk_free)
    return res if idx is None else res.summary
