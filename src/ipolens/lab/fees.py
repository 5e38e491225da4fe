"""Fee schedules per market, kept as data, compiled to the component matrices of ``nb.fee_nb``.

HK follows ../shared/docs/hk-ipo-rules.md §1.9: an IPO application pays brokerage 1% + SFC levy 0.0027% + AFRC levy
0.00015% + HKEX trading fee 0.00565% on the allotted amount, each rounded to the cent (one Iluvatar lot,
100 x 144.6, costs HK$14,605.83). A sale pays stamp duty 0.1% rounded UP to HK$1, the broker's commission and the
same levies. A secondary-market buy pays the same as a sale. Broker commission and handling fees vary by broker:
the defaults below are assumptions, marked as such, and every figure can be overridden.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .nb import ROUND_NEAREST, ROUND_NONE, ROUND_UP

__all__ = ["Component", "FeeSchedule", "SCHEDULES", "schedule", "iluvatar_entry_fee_check"]

INF = float("inf")


@dataclass(frozen=True)
class Component:
    """One fee line: rate x amount + per_share x shares, clipped to [minimum, maximum], then rounded."""

    name: str
    rate: float = 0.0
    per_share: float = 0.0
    minimum: float = 0.0
    maximum: float = INF
    rounding: str = "cent"  # "cent" (nearest 0.01), "up:1" (up to a whole unit), "none"
    note: str = ""

    def row(self) -> list[float]:
        if self.rounding == "cent":
            mode, unit = ROUND_NEAREST, 0.01
        elif self.rounding.startswith("up:"):
            mode, unit = ROUND_UP, float(self.rounding[3:])
        elif self.rounding == "none":
            mode, unit = ROUND_NONE, 1.0
        else:
            raise ValueError(f"unknown rounding {self.rounding!r} (cent, up:<unit>, none)")
        return [self.rate, self.per_share, self.minimum, self.maximum, mode, unit]


def _matrix(comps: tuple[Component, ...]) -> np.ndarray:
    if not comps:
        return np.zeros((0, 6))
    return np.ascontiguousarray(np.array([c.row() for c in comps], dtype=np.float64))


@dataclass(frozen=True)
class FeeSchedule:
    """Fees of one market for the three kinds of order, plus slippage (fraction of price, per fill)."""

    market: str
    currency: str
    subscribe: tuple[Component, ...]  # an IPO allotment at the offer price
    buy: tuple[Component, ...]  # a secondary-market buy
    sell: tuple[Component, ...]
    slippage: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def matrices(self, entry: str) -> tuple[np.ndarray, np.ndarray]:
        """(entry matrix, exit matrix) for an entry at the offer ("subscribe") or on the market ("buy")."""
        if entry not in ("subscribe", "buy"):
            raise ValueError("entry must be 'subscribe' or 'buy'")
        return _matrix(self.subscribe if entry == "subscribe" else self.buy), _matrix(self.sell)

    def with_overrides(self, *, slippage: float | None = None, commission: float | None = None,
                       handling_fee: float | None = None) -> "FeeSchedule":
        """A copy with the broker-dependent figures replaced (commission rate on buys/sells, per-application fee)."""
        s = self
        if slippage is not None:
            if slippage < 0:
                raise ValueError("slippage must be >= 0 (a fraction of price per fill)")
            s = replace(s, slippage=slippage)
        if commission is not None:
            if commission < 0:
                raise ValueError("commission must be >= 0 (a fraction of the traded value)")

            def swap(comps):
                # a zero-commission broker has no minimum ticket either
                return tuple(replace(c, rate=commission, minimum=c.minimum if commission > 0 else 0.0)
                             if c.name == "commission" else c for c in comps)
            s = replace(s, buy=swap(s.buy), sell=swap(s.sell))
        if handling_fee is not None:
            sub = tuple(c for c in s.subscribe if c.name != "handling_fee")
            if handling_fee > 0:
                sub += (Component("handling_fee", minimum=handling_fee, note="per application"),)
            s = replace(s, subscribe=sub)
        return s

    def order_fee(self, side: str, amount: float, shares: float) -> float:
        from .nb import fee_nb

        comps = {"subscribe": self.subscribe, "buy": self.buy, "sell": self.sell}[side]
        return float(fee_nb(float(amount), float(shares), _matrix(comps)))

    def describe(self) -> dict:
        def lines(comps):
            return [{k: v for k, v in c.__dict__.items() if v not in ("", 0.0, INF)} | {"name": c.name}
                    for c in comps]
        return {"market": self.market, "currency": self.currency, "slippage": self.slippage,
                "subscribe": lines(self.subscribe), "buy": lines(self.buy), "sell": lines(self.sell),
                "notes": list(self.notes)}


_HK_LEVIES = (
    Component("sfc_levy", rate=0.000027),
    Component("afrc_levy", rate=0.0000015),
    Component("trading_fee", rate=0.0000565),
)
_HK_COMMISSION = Component("commission", rate=0.0003, minimum=3.0,
                           note="ASSUMPTION: discount-broker 0.03%, min HK$3; brokers differ")
_HK_STAMP = Component("stamp_duty", rate=0.001, rounding="up:1", note="0.1% rounded up to HK$1")

HK = FeeSchedule(
    market="HK", currency="HKD",
    subscribe=(Component("brokerage", rate=0.01, note="1% on application, hk-ipo-rules §1.9"),) + _HK_LEVIES,
    buy=(_HK_COMMISSION, _HK_STAMP) + _HK_LEVIES,
    sell=(_HK_COMMISSION, _HK_STAMP) + _HK_LEVIES,
    notes=("hk-ipo-rules.md §1.9; per-application handling fee (Futu HK$50) off by default: --handling-fee",),
)

# A-shares (SSE/SZSE): an allotment pays nothing; trades pay commission, handling and transfer fees; sells pay
# stamp duty 0.05% (halved from 0.1% on 28 Aug 2023). Commission is an assumption.
_CN_BOTH = (
    Component("commission", rate=0.00025, minimum=5.0, note="ASSUMPTION: 0.025%, min RMB 5"),
    Component("handling_fee", rate=0.0000341, note="exchange handling fee"),
    Component("transfer_fee", rate=0.00001, note="CSDC transfer fee 0.001%"),
)
CN = FeeSchedule(
    market="CN", currency="CNY", subscribe=(), buy=_CN_BOTH,
    sell=_CN_BOTH + (Component("stamp_duty", rate=0.0005, note="0.05% on sells since 2023-08-28"),),
    notes=("A-share defaults; commission is a broker assumption",),
)

# US: commission-free retail broker; sells pay SEC Section 31 and FINRA TAF. Rates change yearly: UNCONFIRMED.
US = FeeSchedule(
    market="US", currency="USD", subscribe=(), buy=(),
    sell=(Component("sec_fee", rate=0.0000278, note="UNCONFIRMED: US$27.80 per million (FY2025 rate)"),
          Component("finra_taf", per_share=0.000166, maximum=8.30, note="UNCONFIRMED: per share, capped")),
    notes=("US defaults: zero commission; regulatory sell fees only",),
)

SCHEDULES = {"HK": HK, "CN": CN, "STAR": CN, "SH": CN, "SZ": CN, "US": US, "NASDAQ": US}


def schedule(market: str) -> FeeSchedule:
    """The default schedule for a market name (HK, STAR/SH/SZ/CN, NASDAQ/US)."""
    key = market.upper()
    if key not in SCHEDULES:
        import difflib

        hint = difflib.get_close_matches(key, SCHEDULES, n=1)
        raise ValueError(f"no fee schedule for market {market!r}" + (f"; did you mean {hint[0]}?" if hint else ""))
    return SCHEDULES[key]


def iluvatar_entry_fee_check() -> float:
    """Entry fee of one Iluvatar lot (100 x HK$144.6): HK$14,605.83 per hk-ipo-rules §1.9."""
    return 100 * 144.6 + HK.order_fee("subscribe", 100 * 144.6, 100)
