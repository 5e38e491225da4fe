"""Deal-level one-lot odds: tranche regime -> public tranche -> modelled applications -> Pool A/B ballot.

Applications model (parameters in ``regimes/ballot-model.yaml``, fitted by ``ipolens hk calibrate --fit``):

- Pool B (applications above HK$5m) brings a share ``pool_b_share_max * X / (X + pool_b_half_x)`` of the demand: hot
  deals draw large margin-financed applications. Its applicants spread evenly over the Pool B brackets.
- Pool A brings the rest. A share ``one_lot_share`` of its applicants ask for exactly one lot (the 甲头 crowd); the
  others bring an amount in HK$ drawn from a log-normal (``median_hkd``, ``sigma``) and apply for the largest standard
  bracket it pays for (amounts above the Pool A limit fold into the top Pool A bracket).

Public demand fixes the number of applicants; a known applicant count instead fixes the log-normal's median.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .pools import POOL_A_LIMIT_HKD, Bracket, BallotResult, _ncdf, ballot, standard_brackets
from .regimes import rule_file
from .tranche import TrancheResult, allocate

__all__ = ["ApplicantModel", "model", "bracket_shares", "deal_odds", "DealOdds"]


@dataclass(frozen=True)
class ApplicantModel:
    one_lot_share: float
    median_hkd: float
    sigma: float
    alpha: float
    default_initial_tranche_hkd: float
    pool_b_share_max: float = 0.0
    pool_b_half_x: float = 1.0

    def pool_b_share(self, subscription: float) -> float:
        return self.pool_b_share_max * subscription / (subscription + self.pool_b_half_x)

    def with_(self, **kw) -> "ApplicantModel":
        return replace(self, **kw)


def model() -> ApplicantModel:
    p = rule_file("ballot-model")["params"]
    return ApplicantModel(one_lot_share=float(p["one_lot_share"]), median_hkd=float(p["median_hkd"]),
                          sigma=float(p["sigma"]), alpha=float(p["alpha"]),
                          default_initial_tranche_hkd=float(p["default_initial_tranche_hkd"]),
                          pool_b_share_max=float(p.get("pool_b_share_max", 0.0)),
                          pool_b_half_x=float(p.get("pool_b_half_x", 1.0)))


def bracket_shares(m: ApplicantModel, lot_value_hkd: float, max_lots: int) -> tuple[np.ndarray, np.ndarray]:
    """(bracket sizes in lots, share of applicants in each); shares sum to 1."""
    sizes = np.array(standard_brackets(max(1, max_lots)), dtype=np.int64)
    # An amount buys the largest bracket at or below it; below one lot still applies for one lot.
    upper = np.append(sizes[1:] * lot_value_hkd, np.inf)
    z = (np.log(upper) - math.log(m.median_hkd)) / m.sigma
    cdf = _ncdf(z)
    mass = np.diff(np.concatenate(([0.0], cdf)))
    shares = (1 - m.one_lot_share) * mass
    shares[0] += m.one_lot_share
    return sizes, shares / shares.sum()


@dataclass
class DealOdds:
    tranche: TrancheResult
    ballot: BallotResult
    applicants: int
    initial_tranche_shares: int
    median_hkd: float
    assumed_tranche_size: bool

    def one_lot_rate(self) -> float:
        """P(at least one lot) for a 1-lot application: its bracket's ballot result, else the pool's closed-form
        level (a spread with no 1-lot bracket says nothing about certainty; ``odds_for(1)`` is what --lots 1 shows)."""
        b = self.ballot.bracket(1)
        return self.ballot.odds_for(1)["p_at_least_one"] if b is None else b.p_at_least_one

    def lots_to_secure_one_lot(self) -> int | None:
        for b in self.ballot.brackets:
            if b.guaranteed_lots >= 1:
                return b.lots
        return None


def deal_odds(subscription: float, lot_size: int, price: float, regime: str = "pn18",
              initial_pct: float | None = None, initial_tranche_shares: int | None = None,
              applicants: int | None = None, params: ApplicantModel | None = None,
              ladder=None, brackets: list[Bracket] | None = None) -> DealOdds:
    """Model the ballot of one deal. Without ``initial_tranche_shares`` the model's default tranche size is assumed.

    ``brackets`` (lots, applicants), e.g. the spread of applications in an allotment results announcement, replace the
    applications model; demand is then what they add up to.
    """
    from .regimes import regime as get_regime

    if subscription < 0:
        raise ValueError("subscription must be non-negative")
    if lot_size <= 0 or price <= 0:
        raise ValueError("lot size and price must be positive")
    m = params or model()
    given = brackets
    reg = get_regime(regime)
    if ladder:
        reg = reg.with_ladder(ladder)
    tr = allocate(reg, initial_pct, subscription)
    lot_value = lot_size * price
    assumed = initial_tranche_shares is None
    if assumed:
        initial_tranche_shares = max(2, round(m.default_initial_tranche_hkd / lot_value)) * lot_size
    init_lots = max(2, initial_tranche_shares // lot_size)
    final_shares = round(init_lots * lot_size * tr.multiplier)
    max_lots = init_lots // 2  # one application may not exceed the shares first put in one pool
    demand_lots = subscription * init_lots
    a_max = max(1, min(max_lots, int(POOL_A_LIMIT_HKD // lot_value)))
    b_sizes = np.array([k for k in standard_brackets(max_lots) if k > a_max], dtype=np.int64)
    b_demand = demand_lots * m.pool_b_share(subscription) if len(b_sizes) else 0.0
    a_demand = demand_lots - b_demand
    b_counts = np.round(np.full(len(b_sizes), b_demand / b_sizes.sum()) if len(b_sizes) else np.zeros(0))
    median = m.median_hkd
    if applicants and applicants > b_counts.sum() and a_demand > 0:
        median = _median_for_mean(m, lot_value, a_max, a_demand / (applicants - b_counts.sum()))
    sizes, shares = bracket_shares(m.with_(median_hkd=median), lot_value, a_max)
    a_counts = np.round(shares * a_demand / float((sizes * shares).sum()))
    brackets = [Bracket(int(k), int(n)) for k, n in zip(np.concatenate([sizes, b_sizes]),
                                                        np.concatenate([a_counts, b_counts])) if n > 0]
    counts_total = int(a_counts.sum() + b_counts.sum())
    if given is not None:
        brackets, counts_total = given, sum(b.applicants for b in given)
    if not brackets:
        brackets = [Bracket(1, 1)]
    res = ballot(final_shares, lot_size, price, brackets, alpha=m.alpha, initial_tranche_shares=init_lots * lot_size)
    return DealOdds(tranche=tr, ballot=res, applicants=counts_total, initial_tranche_shares=int(initial_tranche_shares),
                    median_hkd=median, assumed_tranche_size=assumed)


def _median_for_mean(m: ApplicantModel, lot_value: float, max_lots: int, target_lots: float) -> float:
    lo, hi = math.log(lot_value / 100), math.log(lot_value * max(max_lots, 1) * 100)
    for _ in range(80):
        mid = (lo + hi) / 2
        s, w = bracket_shares(m.with_(median_hkd=math.exp(mid)), lot_value, max_lots)
        if float((s * w).sum()) < target_lots:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)
