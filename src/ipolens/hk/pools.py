"""Pool A / Pool B split and the ballot on a predetermined basis.

Allocation model (closed form): inside a pool, an application for ``k`` lots has expected allotment
``E(k) = min(k, c * k**alpha)``, with ``c`` set so the pool clears. ``alpha`` = 1 is pro rata; ``alpha`` < 1 favours small
applicants, as HK bases of allocation do. Each applicant gets ``floor(E)`` lots for sure and the bracket's remaining
lots go to exact winners drawn by ballot (largest-remainder for the lots that whole-lot rounding leaves over), so no
applicant gets more than applied for and a pool never hands out more than it holds. ``simulate`` draws one ballot with
a seeded generator.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from .regimes import rule_file

__all__ = ["Bracket", "BracketResult", "BallotResult", "split_pools", "allocate_pool", "ballot", "simulate", "standard_brackets",
           "POOL_A_LIMIT_HKD", "parse_brackets"]

# PN18 para 3: Pool A takes applications of at most HK$5m (before brokerage and levies); kept in regimes/fees-hk.yaml.
POOL_A_LIMIT_HKD = int(rule_file("fees-hk")["pool_a_limit_hkd"])


@dataclass(frozen=True)
class Bracket:
    lots: int  # lots applied for per application
    applicants: int


def parse_brackets(text: str) -> list[Bracket]:
    """``"1:50000,10:2000"`` (lots : applicants) -> brackets, as an allotment results announcement spreads them."""
    try:
        out = [Bracket(int(k), int(n)) for k, n in (p.split(":") for p in text.split(",") if p.strip())]
    except ValueError:
        raise ValueError(f"bad brackets {text!r}; write LOTS:APPLICANTS pairs, e.g. 1:50000,10:2000") from None
    if not out or any(b.lots < 1 or b.applicants < 0 for b in out):
        raise ValueError("brackets: lots must be >= 1 and applicants >= 0")
    return out


@dataclass
class BracketResult:
    lots: int
    applicants: int
    pool: str
    guaranteed_lots: int  # every applicant in the bracket gets this many
    extra_winners: int  # applicants drawn for one more lot
    expected_lots: float
    p_extra: float
    p_at_least_one: float
    allotted_lots: int


@dataclass
class BallotResult:
    tranche_shares: int
    lot_size: int
    pool_a_lots: int  # after any surplus moved between pools
    pool_b_lots: int
    odd_shares: int  # shares below one lot that a ballot in lots cannot hand out
    allotted_shares: int
    unallotted_shares: int  # tranche shares left when demand falls short (reallocated by the issuer)
    rejected_applicants: int  # applications above the one-pool maximum
    max_application_shares: int
    alpha: float
    clearing: dict = field(default_factory=dict)  # pool -> c (inf: undersubscribed, everyone filled)
    price: float = 0.0
    pool_a_limit_hkd: float = POOL_A_LIMIT_HKD
    brackets: list[BracketResult] = field(default_factory=list)

    def odds_for(self, lots: int) -> dict:
        """Closed-form odds of one more application of ``lots`` lots: expected lots, guaranteed lots, P(>= 1 lot)."""
        if lots < 1:
            raise ValueError("lots must be >= 1")
        if lots * self.lot_size > self.max_application_shares:
            return {"pool": None, "expected_lots": 0.0, "guaranteed_lots": 0, "p_extra": 0.0, "p_at_least_one": 0.0,
                    "rejected": True}
        pool = "A" if lots * self.lot_size * self.price <= self.pool_a_limit_hkd else "B"
        # A pool with no modelled applicants passed its lots to the other pool: use that pool's level.
        c = self.clearing.get(pool, min(self.clearing.values(), default=float("inf")))
        e = float(lots) if c == float("inf") else min(float(lots), c * lots ** self.alpha)
        g = min(lots, int(np.floor(e + 1e-9)))
        pe = max(0.0, min(1.0, e - g))
        return {"pool": pool, "expected_lots": e, "guaranteed_lots": g, "p_extra": pe,
                "p_at_least_one": 1.0 if g >= 1 else pe, "rejected": False}

    def bracket(self, lots: int) -> BracketResult | None:
        for b in self.brackets:
            if b.lots == lots:
                return b
        return None

    def to_dict(self) -> dict:
        return asdict(self)


def split_pools(tranche_shares: int, lot_size: int) -> tuple[int, int, int]:
    """(Pool A lots, Pool B lots, odd shares): equal split in whole lots, the odd lot to Pool A."""
    if tranche_shares < 0 or lot_size <= 0:
        raise ValueError("tranche shares must be >= 0 and lot size > 0")
    lots, odd = divmod(int(tranche_shares), int(lot_size))
    return lots - lots // 2, lots // 2, odd


def _clear(ks: np.ndarray, ns: np.ndarray, supply: int, alpha: float) -> tuple[np.ndarray, float]:
    """(expected lots per applicant in each bracket, clearing level c): sum(n * E) <= supply, equal up to float error.
    c is infinite when the pool is undersubscribed."""
    demand = float((ks * ns).sum())
    if demand <= supply:
        return ks.astype(float), float("inf")
    weights = ks.astype(float) ** alpha

    def filled(c: float) -> float:
        return float((ns * np.minimum(ks, c * weights)).sum())

    lo, hi = 0.0, float(ks.max())  # at c = max k everyone is full (weights >= 1)
    for _ in range(200):
        mid = (lo + hi) / 2
        if filled(mid) <= supply:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * max(1.0, hi):
            break
    return np.minimum(ks, lo * weights), lo


def allocate_pool(brackets: list[Bracket], supply_lots: int, alpha: float, pool: str = "A") -> list[BracketResult]:
    """Allot ``supply_lots`` among ``brackets`` (closed form, then whole lots by largest remainder)."""
    return _allocate_pool(brackets, supply_lots, alpha, pool)[0]


def _allocate_pool(brackets: list[Bracket], supply_lots: int, alpha: float,
                   pool: str) -> tuple[list[BracketResult], float]:
    if not brackets:
        return [], float("inf")
    ks = np.array([b.lots for b in brackets], dtype=np.int64)
    ns = np.array([b.applicants for b in brackets], dtype=np.int64)
    exp, level = _clear(ks, ns, supply_lots, alpha)
    guaranteed = np.floor(exp + 1e-9).astype(np.int64)
    guaranteed = np.minimum(guaranteed, ks)
    frac = np.clip(exp - guaranteed, 0.0, None)
    winners = np.minimum(np.floor(ns * frac + 1e-9).astype(np.int64), ns)
    used = int((ns * guaranteed).sum() + winners.sum())
    # Float error can overshoot by a lot or two: take winners back from the smallest remainders first.
    while used > supply_lots:
        rem = ns * frac - winners
        cand = np.where(winners > 0)[0]
        i = cand[np.argmin(rem[cand])]
        winners[i] -= 1
        used -= 1
    left = supply_lots - used
    while left > 0:
        ok = (winners < ns) & (guaranteed < ks) & (ns > 0)
        if not ok.any():
            break
        rem = np.where(ok, ns * frac - winners, -np.inf)
        i = int(np.argmax(rem))
        winners[i] += 1
        left -= 1
    out = []
    for k, n, g, w in zip(ks.tolist(), ns.tolist(), guaranteed.tolist(), winners.tolist()):
        p_extra = w / n if n else 0.0
        out.append(BracketResult(lots=k, applicants=n, pool=pool, guaranteed_lots=g, extra_winners=w,
                                 expected_lots=g + p_extra, p_extra=p_extra,
                                 p_at_least_one=1.0 if g >= 1 else p_extra, allotted_lots=n * g + w))
    return out, level


def ballot(tranche_shares: int, lot_size: int, price: float, brackets: list[Bracket], alpha: float = 0.6,
           max_application_shares: int | None = None, pool_a_limit_hkd: float = POOL_A_LIMIT_HKD,
           initial_tranche_shares: int | None = None) -> BallotResult:
    """Ballot a public tranche of ``tranche_shares`` (after any reallocation) among applications in ``brackets``.

    Pool A holds applications of at most ``pool_a_limit_hkd`` (price x shares, before brokerage and levies), Pool B the
    rest; an application above ``max_application_shares`` is rejected. Its default is the shares ORIGINALLY in one pool
    (PN18 para 3): half of ``initial_tranche_shares``, the tranche before clawback (default: ``tranche_shares``, i.e.
    nothing reallocated). A pool whose demand falls short passes its surplus to the other.
    """
    if lot_size <= 0 or price <= 0:
        raise ValueError("lot size and price must be positive")
    if not 0 < alpha <= 1:
        raise ValueError("alpha must be in (0, 1]")
    for b in brackets:
        if b.lots < 1 or b.applicants < 0:
            raise ValueError(f"bad bracket {b}: lots must be >= 1 and applicants >= 0")
    a_lots, b_lots, odd = split_pools(tranche_shares, lot_size)
    if initial_tranche_shares is not None and initial_tranche_shares < 0:
        raise ValueError("initial tranche shares must be >= 0")
    # Clawback enlarges the pools but not the maximum application: it stays at one ORIGINAL pool (Pool B's lots).
    original = tranche_shares if initial_tranche_shares is None else initial_tranche_shares
    cap = max_application_shares if max_application_shares is not None \
        else split_pools(original, lot_size)[1] * lot_size
    pool_a, pool_b, rejected = [], [], 0
    for b in sorted(brackets, key=lambda b: b.lots):
        shares = b.lots * lot_size
        if shares > cap:
            rejected += b.applicants
        elif shares * price <= pool_a_limit_hkd:
            pool_a.append(b)
        else:
            pool_b.append(b)
    dem_a = sum(b.lots * b.applicants for b in pool_a)
    dem_b = sum(b.lots * b.applicants for b in pool_b)
    if dem_a < a_lots:  # surplus moves to the other pool
        move = a_lots - dem_a
        a_lots, b_lots = dem_a, b_lots + move
    elif dem_b < b_lots:
        move = b_lots - dem_b
        b_lots, a_lots = dem_b, a_lots + move
    res_a, c_a = _allocate_pool(pool_a, a_lots, alpha, "A")
    res_b, c_b = _allocate_pool(pool_b, b_lots, alpha, "B")
    res = res_a + res_b
    clearing = {name: c for name, pool, c in (("A", pool_a, c_a), ("B", pool_b, c_b)) if pool}
    allotted = sum(r.allotted_lots for r in res) * lot_size
    return BallotResult(tranche_shares=int(tranche_shares), lot_size=int(lot_size), pool_a_lots=int(a_lots),
                        pool_b_lots=int(b_lots), odd_shares=int(odd), allotted_shares=int(allotted),
                        unallotted_shares=int(tranche_shares - allotted), rejected_applicants=rejected,
                        max_application_shares=int(cap), alpha=alpha, clearing=clearing, price=float(price),
                        pool_a_limit_hkd=float(pool_a_limit_hkd), brackets=res)


def simulate(result: BallotResult, seed: int = 0) -> dict[int, np.ndarray]:
    """One seeded ballot draw: for each bracket (by lots applied), the lots each applicant receives."""
    rng = np.random.default_rng(seed)
    out: dict[int, np.ndarray] = {}
    for r in result.brackets:
        lots = np.full(r.applicants, r.guaranteed_lots, dtype=np.int64)
        if r.extra_winners:
            lots[rng.choice(r.applicants, size=r.extra_winners, replace=False)] += 1
        out[r.lots] = lots
    return out


def standard_brackets(max_lots: int) -> list[int]:
    """Application sizes offered on HK application forms: 1-10 lots, then 1-1.5-2-2.5-3-4-...-9 steps per decade."""
    sizes = list(range(1, 11))
    mult = (1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10)
    decade = 10
    while sizes[-1] < max_lots:
        for m in mult:
            s = int(round(decade * m))
            if s > sizes[-1]:
                sizes.append(s)
        decade *= 10
    return [s for s in sizes if s <= max_lots] or [1]


def _ncdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))
