"""HK subscription and sale costs in integer cents. Rates come from ``regimes/fees-hk.yaml`` as exact decimals."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .regimes import rule_file

__all__ = ["Cents", "to_cents", "exact_cents", "fmt", "round_half_up", "application_amount", "sale_costs",
           "interest_cents", "fee_schedule", "Breakdown"]

Cents = int


def _frac(value) -> Fraction:
    # Through Decimal(str()) so 144.6 means exactly 144.6, not its binary float neighbour.
    return Fraction(Decimal(str(value)))


def round_half_up(x: Fraction) -> int:
    """Nearest integer, halves away from zero (x >= 0 here)."""
    if x < 0:
        return -round_half_up(-x)
    return int((x * 2 + 1) // 2)


def ceil_frac(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def to_cents(hkd) -> Cents:
    return round_half_up(_frac(hkd) * 100)


def exact_cents(hkd) -> Fraction:
    """HK$ as exact (possibly fractional) cents: HK$0.225 is 22.5 cents. Amounts stay exact; only fees are rounded."""
    return _frac(hkd) * 100


def fmt(cents: Cents) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(int(cents))
    return f"{sign}{c // 100:,}.{c % 100:02d}"


def fee_schedule() -> dict:
    return rule_file("fees-hk")


@dataclass(frozen=True)
class Breakdown:
    """Line items in cents; ``total`` is their sum."""
    items: dict[str, Cents]

    @property
    def total(self) -> Cents:
        return sum(self.items.values())

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.items.items()}
        out["total"] = self.total
        return out


def application_amount(price, shares: int) -> Breakdown:
    """Amount payable on applying for ``shares`` at ``price`` HK$: principal plus each levy rounded to the cent.

    Iluvatar: 100 shares x 144.6 -> 14,460.00 + 144.60 + 0.39 + 0.82 + 0.02 = 14,605.83.
    """
    if shares < 0:
        raise ValueError("shares must be non-negative")
    if _frac(price) <= 0:
        raise ValueError("price must be positive")
    principal = _frac(price) * shares * 100  # exact cents (may be fractional for sub-cent prices)
    items = {"principal": round_half_up(principal)}
    for name, rate in fee_schedule()["application"].items():
        items[name] = round_half_up(principal * Fraction(Decimal(rate)))
    return Breakdown(items)


def sale_costs(proceeds: Cents | Fraction, commission_rate=None) -> Breakdown:
    """Costs of selling for ``proceeds`` cents (exact, may be fractional): stamp duty rounded UP to the whole HK$,
    each levy to the cent (rules doc 1.9)."""
    if proceeds < 0:
        raise ValueError("proceeds must be non-negative")
    sched = fee_schedule()["sale"]
    items: dict[str, Cents] = {}
    for name, rate in sched.items():
        r = Fraction(Decimal(str(commission_rate))) if (name == "commission" and commission_rate is not None) \
            else Fraction(Decimal(rate))
        if name == "stamp_duty":
            items[name] = ceil_frac(proceeds * r / 100) * 100
        else:
            items[name] = round_half_up(proceeds * r)
    return Breakdown(items)


def interest_cents(principal: Cents, annual_rate, days: int, basis: int = 365) -> Cents:
    """Simple interest, actual/365 (the HKD money-market convention), rounded half up to the cent."""
    if principal < 0 or days < 0:
        raise ValueError("principal and days must be non-negative")
    return round_half_up(principal * _frac(annual_rate) * days / basis)
