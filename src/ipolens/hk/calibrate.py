"""Calibrate the one-lot odds model against the embedded 2018-2022 HK IPOs (all under PN18).

Each deal supplies its public oversubscription, lot size and offer price; the model predicts the one-lot success rate,
compared with the reported rate in percentage points. The tranche size of these deals is not in the data, so the
model's default initial tranche is assumed for all of them.
"""
from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .odds import ApplicantModel, deal_odds, model

__all__ = ["calibration_sample", "evaluate", "fit", "Calibration"]


def calibration_sample(ipos: pd.DataFrame) -> pd.DataFrame:
    """The 2018-2022 HK IPOs of ``ipos`` (the HK IPO table) with oversubscription, lot size, offer price and a
    reported one-lot rate."""
    df = ipos[ipos["market"] == "HK"]
    df = df[pd.to_datetime(df["listing_date"]) < pd.Timestamp("2023-01-01")]
    need = ["oversubscription_public", "lot_size", "offer_price", "one_lot_success_rate"]
    df = df.dropna(subset=need)
    df = df[(df["lot_size"] > 0) & (df["offer_price"] > 0)]
    return df[["code", "listing_date", *need, "lots_to_secure_one_lot"]].reset_index(drop=True)


@dataclass
class Calibration:
    n: int
    median_abs_error_pp: float
    p90_abs_error_pp: float
    mean_abs_error_pp: float
    bias_pp: float
    median_abs_error_pp_by_band: dict
    params: dict

    def to_dict(self) -> dict:
        return asdict(self)


BANDS = ((0, 15), (15, 50), (50, 100), (100, 500), (500, float("inf")))


def predict(sample: pd.DataFrame, params: ApplicantModel) -> np.ndarray:
    """Predicted one-lot success rate in percent for each row."""
    out = np.empty(len(sample))
    for i, row in enumerate(sample.itertuples(index=False)):
        d = deal_odds(float(row.oversubscription_public), int(row.lot_size), float(row.offer_price), regime="pn18",
                      params=params)
        out[i] = 100.0 * d.one_lot_rate()
    return out


def evaluate(sample: pd.DataFrame, params: ApplicantModel | None = None) -> Calibration:
    p = params or model()
    pred = predict(sample, p)
    err = pred - sample["one_lot_success_rate"].to_numpy(float)
    ae = np.abs(err)
    x = sample["oversubscription_public"].to_numpy(float)
    by_band = {}
    for lo, hi in BANDS:
        sel = (x >= lo) & (x < hi)
        label = f"{lo:g}-{hi:g}x" if hi != float("inf") else f">={lo:g}x"
        by_band[label] = {"n": int(sel.sum()), "median_abs_error_pp": float(np.median(ae[sel])) if sel.any() else None}
    return Calibration(n=len(sample), median_abs_error_pp=float(np.median(ae)),
                       p90_abs_error_pp=float(np.percentile(ae, 90)), mean_abs_error_pp=float(ae.mean()),
                       bias_pp=float(np.median(err)), median_abs_error_pp_by_band=by_band,
                       params=asdict(p))


def fit(sample: pd.DataFrame, base: ApplicantModel | None = None) -> ApplicantModel:
    """Grid search, then one coordinate refinement, minimising the median absolute error (pp).

    ``one_lot_share`` and the default tranche size stay as given: wider searches put the former at 0 and found the
    latter (HK$10m-100m) immaterial."""
    base = base or model()

    def loss(m: ApplicantModel) -> float:
        return float(np.median(np.abs(predict(sample, m) - sample["one_lot_success_rate"].to_numpy(float))))

    grid = {"pool_b_share_max": (0.7, 0.85, 0.95), "pool_b_half_x": (5.0, 20.0, 100.0), "alpha": (0.6, 0.8, 1.0),
            "median_hkd": (1e4, 2e4), "sigma": (1.5, 2.0)}
    best, best_loss = base, loss(base)
    for values in itertools.product(*grid.values()):
        m = base.with_(**dict(zip(grid, values)))
        lo = loss(m)
        if lo < best_loss:
            best, best_loss = m, lo
    for name, factors in (("median_hkd", (0.7, 1.4)), ("alpha", (0.93, 1.07)), ("pool_b_half_x", (0.6, 1.6)),
                          ("pool_b_share_max", (0.95, 1.04)), ("sigma", (0.9, 1.1))):
        for f in factors:
            v = getattr(best, name) * f
            if name in ("alpha", "pool_b_share_max") and not 0 < v <= 1:
                continue
            m = best.with_(**{name: v})
            lo = loss(m)
            if lo < best_loss:
                best, best_loss = m, lo
    return best
