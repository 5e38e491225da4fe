"""Writing a quantity the way the news does (``format_quantity``); ``numbers.parse_number`` reads it back to the same
value and unit."""
from __future__ import annotations

from decimal import Decimal

from .quantity import MONEY

__all__ = ["format_quantity"]


def format_quantity(value: float | Decimal, unit: str | None = None, qualifier: str = "exact",
                    style: str = "zh") -> str:
    """Write a quantity the way the news does; ``parse_number`` reads it back to the same value and unit."""
    d = Decimal(str(value))
    neg = d < 0
    d = abs(d)
    if style == "en":
        prefix = {"HKD": "HK$", "USD": "US$", "CNY": "RMB "}.get(unit or "", "")
        for word, scale in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
            if d >= scale and unit in MONEY:
                body = f"{_plain(d / scale)} {word}"
                break
        else:
            body = _plain(d)
        suffix = {"pct": "%", "pp": " percentage points", "x": " times", "shares": " shares"}.get(unit or "", "")
        qual = {"about": "about ", "nearly": "nearly ", "more_than": "more than ", "at_least": "at least "}.get(
            qualifier, "")
        return f"{qual}{'-' if neg else ''}{prefix}{body}{suffix}"
    for word, scale in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
        if d >= scale and unit not in ("pct", "pp", "x"):
            body = f"{_plain(d / scale)}{word}"
            break
    else:
        body = _plain(d)
    suffix = {"HKD": "港元", "USD": "美元", "CNY": "元人民币", "money": "元", "pct": "%", "pp": "个百分点", "x": "倍",
              "shares": "股", "count": "家"}.get(unit or "", "")
    pre = {"about": "约", "nearly": "近", "more_than": "超", "at_least": "至少", "at_most": "不超过"}.get(qualifier, "")
    if neg and unit == "pct":
        return f"下跌{pre}{body}{suffix}"
    if neg:
        raise ValueError("only percentage changes can be negative in news wording")
    return f"{pre}{body}{suffix}"


def _plain(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s
