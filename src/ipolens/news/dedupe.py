"""One claim per figure that the title repeats from the body.

A headline restates the body's key figures. Read twice, one figure would be counted, checked and flagged twice, and
the copy in the title has the least context for its role. So a title figure that the body repeats (same value, unit
and currency, the body copy's role compatible) is dropped in favour of the body copy, which notes where the title
says it too; a title figure the body does not repeat stays a claim located in the title.
"""
from __future__ import annotations

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
    the text lies in the title. Each body claim stands for at most one title figure; order is kept."""
    title = [c for c in claims if in_title(c.start)]
    if not title:
        return claims
    body = [c for c in claims if not in_title(c.start)]
    used: set[int] = set()
    dropped: set[int] = set()
    for t in title:
        for b in body:
            if id(b) in used or not same_figure(t, b) or not compatible_roles(t, b):
                continue
            used.add(id(b))
            dropped.add(id(t))
            b.notes.append(f"also in the title at {t.start}-{t.end}")
            break
    return [c for c in claims if id(c) not in dropped]
