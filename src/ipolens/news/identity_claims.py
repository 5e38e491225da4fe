"""Claims as the solver sees them: grouped by entity and role, signed by their own fall words, each with the
interval it admits in its role, nearest candidates by text position, and values known from outside (``Known``)."""
from __future__ import annotations

import bisect
import copy
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from . import rounding
from .identity_defs import MONEY, _config, canonical, identities, unit_family

Interval = tuple[float, float]
_MAX_CANDIDATES = 4  # per role: the nearest distinct values; more only multiplies the combinations


@dataclass
class Known:
    """A value known from outside the article (a ledger fact): an input of identities, never judged itself."""
    id: str
    metric: str
    value: float
    unit: str | None
    entity_key: str | None
    iv: Interval
    date: str | None = None
    quote: str = ""
    qualifier: str = "exact"
    value_high: float | None = None
    sentence: str = ""
    _nstart: int = 0
    _gap: str = ""
    known: bool = True
    sources: tuple[str, ...] = ()  # a derived value: the claims it came from (never checked against it)
    refines: str | None = None  # a stated figure's value narrowed by an identity: that figure's id (see _refine)
    rate_basis: str = ""  # a stated figure converted into another currency: the rate's source (identity_fx)


def roles_of_all() -> set[str]:
    """Every role some identity relates (the ledger facts worth fetching as known values)."""
    out = set()
    for i in identities():
        out.update(r for r in i.roles if r != "*")
        out.update(m for _, ms in i.fillers for m in ms)
    return out


def interval_of(c, role: str) -> Interval:
    """The interval a claim admits in a role: a quoted per-share price or a board lot is exact as written (263港元
    is 263.00; writers quote prices, they do not round them), any other figure admits its rounding."""
    if getattr(c, "known", False):
        return c.iv
    if role in (_config().get("exact_as_written") or ()) and c.qualifier == "exact":
        v = float(c.value)
        return v, v
    return rounding.of_claim(c)


def _fits(c, role: str) -> bool:
    fam = unit_family(role)
    if fam is None:
        return True
    if fam == "money":
        return c.unit in MONEY
    # a number of shares read without its measure word ('4.0775亿新股') is a plain count: the role says what it counts
    return c.unit == fam or (fam == "shares" and c.unit == "count")


@lru_cache(maxsize=2)
def _words(key: str) -> re.Pattern:
    return re.compile("|".join(_config().get(key) or ["(?!)"]), re.I)


def _last(pattern: re.Pattern, text: str) -> int:
    hits = [m.end() for m in pattern.finditer(text)]
    return hits[-1] if hits else -1


def _signed(c, role: str):
    """A signed role (a return, a per-lot gain) stated as a positive size after a fall word of its own clause
    ('較招股價低9.4%', '每手蝕340元') is a negative value; the claim is copied, never changed."""
    if role not in (_config().get("signed") or ()) or c.value is None or c.value <= 0:
        return c
    lead = (getattr(c, "_gap", "") or "")[-12:]
    if _last(_words("fall_words"), lead) <= _last(_words("rise_words"), lead):
        return c  # the nearest direction word is a rise, or there is none
    neg = copy.copy(c)
    neg.value = -float(c.value)
    if c.value_high is not None:
        neg.value_high = -float(c.value_high)
    return neg


def _groups(claims: list) -> dict[str | None, dict[str, list]]:
    """Claims by entity and role (canonical metric), in text order. A stated range also fills the roles of its ends
    and middle that an identity names (``offer_price_range_low``, ``_high``, ``_mid``)."""
    out: dict[str | None, dict[str, list]] = {}
    named = _named_roles()
    owner = _owners(claims)
    for c in claims:
        if c.value is None:
            continue
        role = canonical(c.metric)
        if _fits(c, role):
            key = owner.get(id(c), c.entity_key)
            out.setdefault(key, {}).setdefault(role, []).append(_signed(c, role))
            if c.value_high is not None and not getattr(c, "known", False):
                for suffix, value in (("_low", c.value), ("_high", c.value_high),
                                      ("_mid", (float(c.value) + float(c.value_high)) / 2)):
                    if role + suffix in named:
                        out[key].setdefault(role + suffix, []).append(range_end(c, value))
    return out


def _owners(claims: list) -> dict[int, str]:
    """A figure the reader tied to no company is about the company the text last named before it (a writer names
    the subject once and goes on with its figures); before any named company, about the article's one company when
    it names only one, else about none."""
    stated = sorted((c for c in claims if not getattr(c, "known", False)), key=lambda c: c._nstart)
    keys = {c.entity_key for c in stated if c.entity_key}
    out, last = {}, (next(iter(keys)) if len(keys) == 1 else None)
    for c in stated:
        if c.entity_key:
            last = c.entity_key
        elif last is not None:
            out[id(c)] = last
    return out


RANGE_ENDS = ("_low", "_high", "_mid")


@lru_cache(maxsize=1)
def _named_roles() -> frozenset[str]:
    return frozenset(r for i in identities() for r in i.roles + tuple(m for _, ms in i.fillers for m in ms))


def range_end(rng, v: float):
    """One end (or the middle) of a stated range as a figure of its own: the range's id and written rounding, no
    range qualifier; ``end_of`` marks it, so that it never restates the range it comes from."""
    end = copy.copy(rng)
    end.value, end.value_high = float(v), None
    end.qualifier = "exact" if rng.qualifier in ("range", "exact", None) else rng.qualifier
    end.end_of = rng.id
    return end


def _nearest(cands, anchor) -> list:
    """Up to ``_MAX_CANDIDATES`` distinct values, nearest in the text to ``anchor`` first (equally near: list order).
    ``cands``: a list, or a ``_ByPosition`` of one for many lookups."""
    pool = cands if isinstance(cands, _ByPosition) else _ByPosition(cands)
    return pool.nearest(anchor)


class _ByPosition:
    """Candidates sorted by text position: the nearest to a figure are read outwards from it, so a lookup costs the
    few it returns, not a sort of the whole pool (a long article has hundreds of figures per role)."""

    def __init__(self, cands: list):
        order = sorted(range(len(cands)), key=lambda i: (cands[i]._nstart, i))
        self.items = [(cands[i]._nstart, i, cands[i]) for i in order]
        self.starts = [t[0] for t in self.items]

    def nearest(self, anchor) -> list:
        pos, items = anchor._nstart, self.items
        right = bisect.bisect_left(self.starts, pos)
        left = right - 1
        seen, out = set(), []
        while len(out) < _MAX_CANDIDATES and (left >= 0 or right < len(items)):
            d = min(pos - items[left][0] if left >= 0 else math.inf,
                    items[right][0] - pos if right < len(items) else math.inf)
            batch = []  # every candidate at distance d, on either side, in list order (as a stable sort has them)
            while left >= 0 and pos - items[left][0] == d:
                batch.append(items[left])
                left -= 1
            while right < len(items) and items[right][0] - pos == d:
                batch.append(items[right])
                right += 1
            batch.sort(key=lambda t: t[1])
            for _, _, c in batch:
                key = (c.value, c.qualifier, c.unit, getattr(c, "sources", ()))  # two derivations stay two
                if key not in seen and c is not anchor:
                    seen.add(key)
                    out.append(c)
                if len(out) == _MAX_CANDIDATES:
                    break
        return out


_CLAUSE_BREAK = re.compile(r"[,，;；。、]")
_BRACKETS_ONLY = re.compile(r"[\s(（]*")


def _adjacent_prices(claims: list) -> dict[str, list]:
    """For each figure, the quoted price it is about when the two stand together in one clause: the next figure
    with no clause break between ('down 4.2% at HK$57.30', '收涨12.8%至88.4港元'), or the previous one with only
    a bracket between ('$83.23 (168%)')."""
    exact = _config().get("exact_as_written") or ()
    is_price = lambda c: (c.unit in MONEY and c.qualifier == "exact" and canonical(c.metric) in exact  # noqa: E731
                          and canonical(c.metric) != "lot_size")
    out: dict[str, list] = {}
    ordered = sorted(claims, key=lambda c: c._nstart)
    for a, b in zip(ordered, ordered[1:]):
        if a.sentence != b.sentence:
            continue
        gap = getattr(b, "_gap", "") or ""
        if is_price(b) and not _CLAUSE_BREAK.search(gap):
            out.setdefault(a.id, []).append(b)
        if is_price(a) and _BRACKETS_ONLY.fullmatch(gap):
            out.setdefault(b.id, []).append(a)
    return out
