"""What a check returns (``Finding``) and the small helpers every check shares: a claim's interval (``news.rounding``),
display of amounts, and the one-figure judgement of a stated claim against a derived interval."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from . import rounding
from .extract import Claim

__all__ = ["Finding", "RANK", "BASIS"]

RANK = {"inconsistent": 3, "tension": 2, "consistent": 1, "unverifiable": 0}
BASIS = re.compile(r"以[^,。]{0,12}计算|假设|按[^,。]{0,10}计|中位数")


@dataclass
class Finding:
    check: str
    verdict: str
    why: str
    claims: list[str] = field(default_factory=list)  # claim ids; the first is the claim being checked
    # exact: inputs exact, of one date and basis (a contradiction is an error, not a tension);
    # confirms: arithmetic that confirms the claim on its own (a restatement or a bound only supports it)
    exact: bool = True
    confirms: bool = True
    computed: bool | None = None  # an identity relation's finding: whether the claim is the computed side
    suspects: tuple[str, ...] = ()  # approximate inputs that kept an identity from judging (see verdicts._suspects)
    swapped: bool = False  # a relation's finding: the claim is its value with two neighbouring digits swapped
    doubt: str = ""  # a relation left unjudged: "placement" (inputs far from the claim) or "reading"
    # a member that is no claim (a value derived or narrowed by an identity): its id -> the claims it came from
    via: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"check": self.check, "verdict": self.verdict, "why": self.why, "claims": self.claims}


def _iv(c: Claim) -> tuple[float, float]:
    """Interval of true values the claim admits (``news.rounding``: as written, widened by its qualifier)."""
    return rounding.of_claim(c)


def _fmt(x: float) -> str:
    if x == math.inf:
        return "∞"
    if x == -math.inf:
        return "-∞"
    if abs(x) >= 1e8:
        return f"{_trim(f'{x / 1e8:,.2f}')}亿"
    if abs(x) >= 1e4:
        return f"{_trim(f'{x / 1e4:,.2f}')}万"
    return f"{x:,.4g}"


def _trim(s: str) -> str:
    """'800.00' -> '800', '855.40' -> '855.4': trailing zeros of a display value carry no meaning."""
    return s.rstrip("0").rstrip(".") if "." in s else s


def _fmt_range(lo: float, hi: float, sep: str = "–") -> str:
    """'65.76亿' for a degenerate range, else 'lo–hi'."""
    a, b = _fmt(lo), _fmt(hi)
    return a if a == b else f"{a}{sep}{b}"


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _judge(stated: Claim, lo: float, hi: float, working: str, allow_truncation: bool = False) -> tuple[str, str]:
    s_lo, s_hi = _iv(stated)
    if _overlap((lo, hi), (s_lo, s_hi)):
        return "consistent", f"{working}; stated {stated.quote!r} admits [{_fmt(s_lo)}, {_fmt(s_hi)}]"
    trunc = rounding.truncation_of_claim(stated) if allow_truncation else None
    if trunc and _overlap((lo, hi), trunc):
        return "consistent", f"{working}; the figure may be truncated: {stated.value:g} admits [{_fmt(trunc[0])}, " \
                             f"{_fmt(trunc[1])})"
    return "inconsistent", f"{working}; stated {stated.quote!r} admits [{_fmt(s_lo)}, {_fmt(s_hi)}]: no overlap"


def _first(cs: list[Claim], metric: str, entity: str | None = None, **kw) -> Claim | None:
    for c in cs:
        if c.metric == metric and c.value is not None and (entity is None or c.entity_key == entity) and all(
                getattr(c, k) == v for k, v in kw.items()):
            return c
    return None


def _safe(check, *args) -> list[Finding]:
    """A check whose arithmetic breaks down (a zero base, a −100% return) has nothing to say, it does not crash."""
    try:
        return check(*args)
    except (ZeroDivisionError, OverflowError, ValueError):
        return []


def _day(value) -> dt.date | None:
    """An ISO date (or the date part of an ISO timestamp) as a date; None for periods, NaT and missing values."""
    if value is None:
        return None
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _simp(text: str) -> str:
    from .text import to_simplified

    return to_simplified(text)


def _pct_gap(stated: float, other: float) -> str:
    return f"{(other / stated - 1) * 100:+.1f}%" if stated else "stated value is zero"
