"""Fundamentals: growth and CAGR, loss narrowing, R&D intensity and the opex it implies, backlog cover."""
from __future__ import annotations

import re

__all__ = ["growth", "cagr", "loss_change", "implied_opex", "rd_intensity", "backlog_cover", "period_years",
           "period_sort_key"]


def growth(previous: float, current: float) -> float:
    """Period-on-period growth in percent."""
    if previous == 0:
        raise ValueError("previous value is zero")
    return (current / previous - 1.0) * 100.0


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth in percent: (end / start)^(1 / years) - 1."""
    if start <= 0 or end <= 0:
        raise ValueError("CAGR needs positive endpoints")
    if years <= 0:
        raise ValueError("CAGR needs a positive span")
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def loss_change(previous_loss: float, current_loss: float) -> float:
    """Change of a loss in percent; negative means the loss narrowed (10.51亿 -> 7.67亿 = -27.0%)."""
    return growth(abs(previous_loss), abs(current_loss))


def implied_opex(rd_expense: float, rd_share_pct: float) -> float:
    """Total opex implied by R&D and its stated share of opex: 10.18亿 / 79.8% = 12.76亿."""
    if rd_share_pct <= 0:
        raise ValueError("R&D share must be positive")
    return rd_expense / (rd_share_pct / 100.0)


def rd_intensity(rd_expense: float, revenue: float) -> float:
    """R&D as a percent of revenue."""
    if revenue <= 0:
        raise ValueError("revenue must be positive")
    return rd_expense / revenue * 100.0


def backlog_cover(backlog: float, last_full_year_revenue: float) -> float:
    """Backlog in multiples of the last full year's revenue."""
    if last_full_year_revenue <= 0:
        raise ValueError("revenue must be positive")
    return backlog / last_full_year_revenue


_FY = re.compile(r"^FY(\d{4})$")
_H = re.compile(r"^(\d{4})H([12])$")


def period_years(start: str, end: str) -> float:
    """Years between two fiscal-year labels: FY2022 -> FY2024 = 2."""
    a, b = _FY.match(start), _FY.match(end)
    if not (a and b):
        raise ValueError(f"CAGR spans full fiscal years (FYyyyy), got {start!r} and {end!r}")
    return float(int(b.group(1)) - int(a.group(1)))


def period_sort_key(period: str) -> tuple[int, int]:
    """FY2024 sorts after 2024H1 and before 2025H1."""
    m = _FY.match(period)
    if m:
        return int(m.group(1)), 3
    m = _H.match(period)
    if m:
        return int(m.group(1)), int(m.group(2))
    digits = re.findall(r"\d{4}", period)
    return (int(digits[-1]) if digits else 0), 4
