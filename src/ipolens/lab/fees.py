"""Fee schedules per market, compiled to the component matrices of ``nb.fee_nb``; HK's rates come from the data
file ``hk/regimes/fees-hk.yaml``, so the lab and the HK subscription tools charge the same levies.

HK follows ../shared/docs/hk-ipo-rules.md §1.9: an IPO application pays brokerage 1% + SFC levy 0.0027% + AFRC levy
0.00015% + HKEX trading fee 0.00565% on the allotted amount, each rounded to the cent (one Iluvatar lot,
100 x 144.6, costs HK$14,605.83). A sale pays stamp duty 0.1% rounded UP to HK$1, the broker's commission and the
same levies. A secondary-market buy pays the same as a sale. Broker commission and handling fees vary by broker:
the defaults below are assumptions, marked as such, and every figure can be overridden.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from .nb import ROUND_NEAREST, ROUND_NONE, ROUND_UP

__all__ = ["Component", "FeeSchedule", "schedule", "hk_schedule", "iluvatar_entry_fee_check"]

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


# The HK rates are data: ``hk/regimes/fees-hk.yaml`` (read as a file; the lab does not import hk code). What the
# YAML does not say as data stays here: the stamp duty rounds UP to a whole HK$ (the YAML's own comment), and the
# broker commission on market orders (the YAML leaves it at 0, broker-specific) is the lab's stated assumption.
HK_FEES_YAML = ("hk", "regimes", "fees-hk.yaml")
_HK_COMMISSION = Component("commission", rate=0.0003, minimum=3.0,
                           note="ASSUMPTION: discount-broker 0.03%, min HK$3; brokers differ")
_HK_ROUND_UP = {"stamp_duty": "up:1"}
_HK_NOTES = {"brokerage": "on application, hk-ipo-rules §1.9", "stamp_duty": "rounded up to HK$1"}


def _hk_yaml_text() -> str:
    from importlib.resources import files

    res = files("ipolens")
    for part in HK_FEES_YAML:
        res = res / part
    return res.read_text(encoding="utf-8")


def hk_schedule(text: str | None = None) -> FeeSchedule:
    """The HK schedule built from the fees-hk YAML (``text``: another copy of it, e.g. a changed one)."""
    import yaml

    doc = yaml.safe_load(text if text is not None else _hk_yaml_text())
    if doc.get("rounding") not in (None, "half_up_to_cent"):
        raise ValueError(f"fees-hk: unsupported rounding {doc.get('rounding')!r} (half_up_to_cent)")

    def lines(section: str) -> tuple[Component, ...]:
        items = doc.get(section) or {}
        if not isinstance(items, dict) or not items:
            raise ValueError(f"fees-hk: section {section!r} must map fee names to rates")
        # commission is the broker's: the lab's assumption replaces the YAML's placeholder
        return tuple(Component(name, rate=float(str(rate)), rounding=_HK_ROUND_UP.get(name, "cent"),
                               note=_HK_NOTES.get(name, ""))
                     for name, rate in items.items() if name != "commission")

    sale = (_HK_COMMISSION,) + lines("sale")
    return FeeSchedule(
        market="HK", currency="HKD", subscribe=lines("application"), buy=sale, sell=sale,
        notes=(f"fees-hk.yaml ({doc.get('id', 'fees-hk')}); hk-ipo-rules.md §1.9; per-application handling fee "
               "(Futu HK$50) off by default: --handling-fee",),
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

# markets map to a schedule by their currency in the markets registry (STAR/SH/SZ -> CN, NASDAQ -> US)
_BY_CURRENCY = {"HKD": "HK", "CNY": "CN", "USD": "US"}


@lru_cache(maxsize=1)
def _schedules() -> dict[str, FeeSchedule]:
    return {"HK": hk_schedule(), "CN": CN, "US": US}


def schedule(market: str) -> FeeSchedule:
    """The default schedule for a market name (HK, STAR/SH/SZ/CN, NASDAQ/US)."""
    from ..ledger.markets import UnknownMarket, MARKETS, market as market_info

    try:
        cur = market_info(market).currency
    except UnknownMarket:
        import difflib

        hint = difflib.get_close_matches(str(market).upper(), MARKETS, n=1)
        raise ValueError(f"no fee schedule for market {market!r}" + (f"; did you mean {hint[0]}?" if hint else ""))
    if cur not in _BY_CURRENCY:
        raise ValueError(f"no fee schedule for market {market!r} (currency {cur})")
    return _schedules()[_BY_CURRENCY[cur]]


def iluvatar_entry_fee_check() -> float:
    """Entry fee of one Iluvatar lot (100 x HK$144.6): HK$14,605.83 per hk-ipo-rules §1.9."""
    return 100 * 144.6 + schedule("HK").order_fee("subscribe", 100 * 144.6, 100)
