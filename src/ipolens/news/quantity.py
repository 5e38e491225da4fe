"""A number read from news text: the Quantity the scanner yields, and the error it raises on text that is none."""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from decimal import Decimal

from .schema import CURRENCIES as MONEY

__all__ = ["Quantity", "NumberParseError", "MONEY", "to_float", "with_values", "new_quantity"]



class NumberParseError(ValueError):
    """Text that is not a number expression."""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None  # HKD|CNY|USD|money|pct|pp|x|shares|count|days|minutes|hours|months|nm|TFLOPS|rank|text|points
    qualifier: str = "exact"  # a ledger qualifier (ipolens.ledger.qualifiers.QUALIFIERS)
    value_high: float | None = None
    start: int = 0  # offsets in the string scanned
    end: int = 0
    raw: str = ""
    bare_yuan: bool = False  # '元' with no market word: the currency is decided by the caller (outlet market)
    per_share: bool = False  # 元/股, 每股, HK$ price
    noun: str | None = None  # the counter word (家, 人, 项, 颗 ...), used to pick a metric
    sign_from: str | None = None  # the verb that made a change negative (暴跌)
    text: str | None = None  # for text-valued claims (18C)
    resolution: float | None = None  # half a unit of the last digit as written: 10.00 -> 0.005, 40亿 -> 5e7

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY or self.unit == "money"


def to_float(d: Decimal) -> float:
    f = float(d)
    return int(f) if d == d.to_integral_value() and abs(f) < 2**53 else f


def with_values(q: Quantity, **changes) -> Quantity:
    """``dataclasses.replace`` for a Quantity (which has no ``__post_init__``) without its per-call walk over the
    fields: a scan makes one for most figures of a dense text."""
    new = object.__new__(Quantity)
    new.__dict__.update(q.__dict__)
    new.__dict__.update(changes)
    return new


_BLANK = {f.name: (None if f.default is MISSING else f.default) for f in fields(Quantity)}


def new_quantity(**values) -> Quantity:
    """``Quantity(**values)`` without the frozen dataclass's attribute-by-attribute ``__init__`` (the scanner makes
    one per number); every field is given or takes its default, as the constructor does."""
    new = object.__new__(Quantity)
    d = new.__dict__
    d.update(_BLANK)
    d.update(values)
    return new
