"""One claim per figure that the title repeats from the body.

A headline restates the body's key figures. Read twice, one figure would be counted, checked and flagged twice, and
the copy in the title has the least context for its role. So a title figure that the body repeats (same value, unit
and currency, the body copy's role compatible) is dropped in favour of the body copy, which notes where the title
says it too; a title figure the body does not repeat stays a claim located in the title.
"""
from __future__ import annotations

import bisect
import math
from typing import Protocol

__all__ = ["merge_title_repeats", "same_figure", "compatible_roles"]

UNASSIGNED = "statement"  # the metric of a figure whose role the reader does not know (see ipolens.news.extract)


class _Claim(Protocol):
    metric: str
    value: float | None
    value_high: float | None
    unit: str | None
    text: str | None
    date: str | None
    entity_key: str | None
    start: int
    end: int
    notes: list[str]


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def same_figure(a: _Claim, b: _Claim) -> bool:
    """Same value (and upper end of a range) in the same unit or currency; a text-valued figure compares its text."""
    if a.unit != b.unit:
        return False
    if a.value is None or b.value is None:
        return a.value is None and b.value is None and (a.text or a.date) == (b.text or b.date) \
            and (a.text or a.date) is not None
    return _same_number(a.value, b.value) and _same_number(a.value_high, b.value_high)


def compatible_roles(title: _Claim, body: _Claim) -> bool:
    """The body copy may stand for the title figure: the same metric, or one side left unassigned, and not two
    different named entities."""
    if title.entity_key and body.entity_key and title.entity_key != body.entity_key:
        return False
    return title.metric == body.metric or UNASSIGNED in (title.metric, body.metric)


def merge_title_repeats(claims: list, in_title) -> list:
    """``claims`` without the title figures that the body repeats. ``in_title(start)`` tells whether an offset of
    the text lies in the title. Each body claim stands for at most one title figure (the first in order that is the
    same figure with a compatible role); order is kept."""
    title = [c for c in claims if in_title(c.start)]
    if not title:
        return claims
    body = _BodyCopies([c for c in claims if not in_title(c.start)])
    dropped: set[int] = set()
    for t in title:
        b = body.take(t)
        if b is not None:
            dropped.add(id(t))
            b.notes.append(f"also in the title at {t.start}-{t.end}")
    return [c for c in claims if id(c) not in dropped]


_MAX_COPIES = 64  # body copies of one value read per title figure: a text of many sub-headings stays linear


class _BodyCopies:
    """The body claims not yet taken, by unit and value (sorted, for the tolerance of ``same_figure``) or by text:
    a title figure reads only the copies of its own value, not every body claim (sub-headings x body figures
    would be quadratic)."""

    def __init__(self, body: list):
        self.body = body
        self.by_value: dict[object, list[tuple[float, int]]] = {}
        self.by_text: dict[tuple, list[int]] = {}
        for i, b in enumerate(body):
            if b.value is not None:
                if not math.isnan(b.value):  # NaN equals nothing
                    self.by_value.setdefault(b.unit, []).append((b.value, i))
            elif (b.text or b.date) is not None:
                self.by_text.setdefault((b.unit, b.text or b.date), []).append(i)
        for copies in self.by_value.values():
            copies.sort()

    def take(self, t: _Claim) -> _Claim | None:
        """The first body claim in order that can stand for ``t`` (and it is taken), None when none can."""
        if t.value is not None:
            copies = self.by_value.get(t.unit, [])
            # a superset of math.isclose(rel_tol=1e-9, abs_tol=1e-12), filtered exactly by same_figure
            tol = 2e-9 * abs(t.value) + 1e-12 if math.isfinite(t.value) else 0.0
            lo = bisect.bisect_left(copies, (t.value - tol, -1))
            hi = min(bisect.bisect_right(copies, (t.value + tol, len(self.body))), lo + _MAX_COPIES)
            orders = [i for _, i in copies[lo:hi]]
        else:
            copies = self.by_text.get((t.unit, t.text or t.date), [])
            lo, orders = 0, copies[:_MAX_COPIES]
        best = min((i for i in orders if same_figure(t, self.body[i]) and compatible_roles(t, self.body[i])),
                   default=None)
        if best is None:
            return None
        del copies[lo + orders.index(best)]
        return self.body[best]
