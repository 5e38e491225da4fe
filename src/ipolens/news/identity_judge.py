"""One identity's judgement of one claim: agreement within both roundings, a truncation, a doubtful reading
(inputs far away, a factor apart), or a mismatch that is an error only when every input is exact, of one date and of
one basis (``weakness`` names what makes it a tension instead)."""
from __future__ import annotations

import math
import re
from typing import Callable

from . import rounding
from .claim import UNNAMED
from .identity_claims import interval_of
from .identity_defs import MONEY, VENUE_DOUBT, Identity, Outcome, _config, undated, venue_priced
from .intervals import solve_for
from .text import to_simplified

Interval = tuple[float, float]
_BASIS = re.compile(r"以[^,。]{0,12}计算|假设|按[^,。]{0,10}计|中位数|assum|based on", re.I)  # on simplified text
# words that fix a move to the close; without one, '首日大升468.78%' may be the open or the high
CLOSE_WORD = re.compile(r"收盘|收报|收于|收涨|收市|收跌|close", re.I)

_PLACED = ("an input lies far from the figure in the text", "no input is stated in the figure's own sentence")
WINDOW = 300  # characters: inputs farther from the figure may belong to another company or another day
SAME_QUANTITY = 1.5  # a derived and a stated value further apart than this factor are hardly one quantity


def _doubt(u, derived: Interval, members, next_to: dict[str, list], settled: frozenset = frozenset(),
           base: str | None = None) -> str:
    """Why a mismatch says more about the reading than about the article: the inputs lie far from the figure in
    the text, or the two values differ in sign or by more than a factor ``SAME_QUANTITY`` (a metric or entity read
    wrongly gives such gaps; a slip in the article rarely does)."""
    text = [c for _, c in members[1:] if not getattr(c, "known", False)]
    ledger = [r for r, c in members[1:] if _from_ledger(c)]  # (a value derived from the article's figures is not)
    if ledger and not all(_own_company(c) for c in (u, *text)):
        return UNNAMED  # a ledger input is the named company's; a figure's company is only carried over
    if any(r in venue_priced() for r in ledger):
        return VENUE_DOUBT
    if off_basis := _ledger_basis(u, members):
        return off_basis
    # a deal term the article states with one value only (the offer price, the lot) is the same wherever it stands
    far = [c for r, c in members[1:] if not getattr(c, "known", False) and (r, c.unit) not in settled
           and abs(c._nstart - u._nstart) > WINDOW]
    if far:
        return f"an input lies far from the figure in the text ({far[0].quote!r})"
    if text and u.sentence and not any(c.sentence == u.sentence for c in text):
        return "no input is stated in the figure's own sentence (its basis is not established)"
    ids = {c.id for _, c in members}
    for _, c in members:
        other = [p for p in next_to.get(c.id, ()) if p.id not in ids]
        if c.unit == "pct" and other:
            return f"{c.quote!r} stands next to another price ({other[0].value:g}): it may be the move to that price"
    v = float(u.value)
    lo, hi = derived
    if not (math.isfinite(lo) and math.isfinite(hi)) or v == 0:
        return ""
    # a move whose own sentence states its base but not the price it moved to ('up 3% from the offer price of $44')
    # is that move: however far from the relation, the reading is not in doubt (a day's move read as the return
    # from the offer names the close beside it, not the offer)
    own = {r for r, c in members[1:] if not getattr(c, "known", False) and c.sentence == u.sentence}
    explicit = u.unit == "pct" and base is not None and own == {base}
    if lo * v <= 0 and hi * v <= 0 or not explicit and not (min(abs(lo), abs(hi)) / SAME_QUANTITY <= abs(v) <=
                                           max(abs(lo), abs(hi)) * SAME_QUANTITY):
        return "the stated and derived values are too far apart to be one quantity (a role reading is doubtful)"
    return ""


def _from_ledger(c) -> bool:
    """A known value from the ledger, not one derived or converted here from the article's own figures."""
    return getattr(c, "known", False) and not getattr(c, "sources", ()) and not getattr(c, "rate_basis", "")


def _own_company(c) -> bool:
    """The reader tied the figure itself to its company (not carried over from an earlier name)."""
    return bool(getattr(c, "entity_key", None)) and getattr(c, "_named", True)


def _basis(c) -> str:
    """The basis the figure's sentence states ('以發行價中位數計算', 'assuming'), in either Chinese script."""
    m = _BASIS.search(to_simplified(c.sentence or ""))
    return m[0] if m else ""


def _ledger_basis(u, members) -> str:
    """Why a ledger value is not an input of the figure's own quantity: the ledger holds each price at its own day,
    the figure may be of another day, or a move whose moment the text does not fix (the ledger's price is the
    close). (A stated basis stays a tension, ``_weakness``: the issue's rule.)"""
    ledger = [(r, c) for r, c in members[1:] if _from_ledger(c)]
    if not ledger:
        return ""
    unclassed = [c for r, c in ledger if r in (_config().get("class_unstated") or ())]
    if unclassed:
        return f"the ledger input ({unclassed[0].quote}) does not say which share class it counts"
    # a dated figure (as of a day) and a ledger price of no day, or of another day, are two quantities
    other = [(r, c) for r, c in ledger if u.date and c.date != u.date and not undated(r)]
    if other:
        return f"the ledger input ({other[0][1].quote}) is of {other[0][1].date or 'no stated day'}, the figure of {u.date}"
    if any(r == "close_price" for r, _ in ledger) and not CLOSE_WORD.search(to_simplified(u.sentence or "")):
        return ("the ledger's price is a close and the text does not say the figure is at the close (an opening or "
                "intraday move differs)")
    return ""


def _weakness(members: list[tuple[str, object]], shifted: frozenset = frozenset()) -> list[str]:
    """Why a mismatch among these claims is not a plain contradiction (empty: exact, same date, same basis).
    ``shifted``: roles the identity itself dates apart (the previous day's close of a day's move)."""
    reasons = []
    approx = [c for _, c in members[1:] if c.qualifier != "exact"]
    if approx:
        reasons.append("an input is approximate (" + ", ".join(repr(c.quote) for c in approx) + ")")
    dates = {c.date for r, c in members if c.date and not undated(r) and r not in shifted}
    if len(dates) > 1:
        reasons.append("the figures are of different dates (" + ", ".join(sorted(dates)) + ")")
    basis = [c for _, c in members if _basis(c)]
    if basis:
        reasons.append(f"a stated basis ({_basis(basis[0])})")
    ledger = [c for _, c in members[1:] if getattr(c, "known", False)]
    if ledger:  # the article against the ledger is the ledger check's call; here it only weakens the finding
        src = ("is converted at an outside rate" if getattr(ledger[0], "rate_basis", "") else "is derived, not stated"
               if getattr(ledger[0], "sources", ()) else "comes from the ledger, not the article")
        reasons.append(f"an input {src} ({ledger[0].quote})")
    return reasons


def fmt(x: float) -> str:
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) >= 1e8:
        return f"{x / 1e8:,.4g}亿"
    if abs(x) >= 1e4:
        return f"{x / 1e4:,.6g}万"
    return f"{x:,.6g}"


def _show(x: float, unit: str | None) -> str:
    """A derived value as the article would print it: 8.18%, 1272.79x, 20,454.22."""
    if unit == "pct" and math.isfinite(x):
        return f"{x:.2f}%"
    if unit == "x" and math.isfinite(x):
        return f"{x:.2f}x"
    if unit in MONEY and math.isfinite(x) and abs(x) < 1e6:
        return f"{x:,.2f}"
    return fmt(x)


def _range(iv: Interval) -> str:
    a, b = fmt(iv[0]), fmt(iv[1])
    return a if a == b else f"{a}–{b}"


def _apart(v: float, lo: float, hi: float) -> bool:
    """A stated ``v`` and a derived lo..hi that differ in sign or by more than ``SAME_QUANTITY``."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or v == 0:
        return False
    return (lo * v <= 0 and hi * v <= 0) or not (
        min(abs(lo), abs(hi)) / SAME_QUANTITY <= abs(v) <= max(abs(lo), abs(hi)) * SAME_QUANTITY)


def _far_from_any(ident: Identity, members) -> str:
    """The reading is doubtful for every member when it is for one: solved for another member, the relation gives a
    value too far from that member's own (a daily move read as the return from the offer price fits the price
    within a factor, but not the other way round)."""
    for i, (r, c) in enumerate(members[1:], 1):
        if getattr(c, "known", False):
            continue
        rest = {role: (float(x.value),) * 2 for j, (role, x) in enumerate(members) if j != i}
        try:
            lo, hi = solve_for(ident, r, rest)
        except (ZeroDivisionError, OverflowError, ValueError):
            continue
        if _apart(float(c.value), lo, hi):
            return f"solved for {r} the relation gives {fmt(lo)}, too far from its stated {c.value:g} to be one " \
                   "quantity (a role reading is doubtful)"
    return ""


def _judge(ident_id: str, u, derived: Interval, working: str, members, next_to: dict[str, list],
           far: str | Callable[[], str] = "", settled: frozenset = frozenset(),
           shifted: frozenset = frozenset(), loosely: Callable[[], Interval] | None = None,
           point: Interval | None = None, base: str | None = None) -> Outcome:
    ids = [c.id for _, c in members]
    mine = interval_of(u, members[0][0])
    stated = f"stated {u.quote!r} admits {_range(mine)}"
    if not (math.isfinite(derived[0]) and math.isfinite(derived[1])):
        # a divisor whose interval spans 0 bounds nothing: overlap would "confirm" any figure
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, the relation does not bound it "
                                                 "(a divisor's interval includes 0)", ids, False, True)
    if rounding.overlap(derived, mine):
        return Outcome(ident_id, "consistent", f"{working}; {stated}", ids, not _weakness(members, shifted), True)
    exact_role = members[0][0] in (_config().get("exact_as_written") or ()) and u.qualifier == "exact"
    trunc = None if exact_role else rounding.truncation_of_claim(u)  # a quoted price is not a truncation
    if trunc and rounding.overlap(derived, trunc):
        return Outcome(ident_id, "consistent", f"{working}; {stated}: agrees only as a truncation "
                                               f"({_range(trunc)})", ids, False, True)
    rounded = None if exact_role else rounding.round_number_of_claim(u)
    if rounded and rounding.overlap(derived, rounded):
        return Outcome(ident_id, "consistent", f"{working}; {stated}: agrees only if its trailing zeros are rounding "
                                               f"({_range(rounded)})", ids, False, True)
    wide = loosely() if loosely is not None else None
    if wide and rounding.is_finite(wide) and rounding.overlap(wide, mine):
        return Outcome(ident_id, "consistent", f"{working}; {stated}: agrees only if an input is read as a "
                                               f"round or truncated figure ({_range(wide)})", ids, False, True)
    # two neighbouring digits swapped is a copying slip of this very quantity: the reading is not in doubt
    # the writer worked from the figures as stated: their value (``point``) is the one a copying slip swaps
    swapped = rounding.is_transposition(u, derived) or bool(point) and rounding.is_transposition(u, point)
    doubt = "" if swapped else (_doubt(u, derived, members, next_to, settled, base)
                                or (far() if callable(far) else far))
    if doubt:
        # where the inputs stand says nothing of the values; a value too far from the relation's is another quantity
        placed = doubt.startswith(_PLACED)
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, {doubt}", ids, False, True,
                       doubt="placement" if placed else "reading")
    weak = _weakness(members, shifted)
    approx = [c for _, c in members[1:] if c.qualifier == "about"]
    if approx and u.qualifier != "about" and len(weak) == 1:
        # an approximate input that misses a firmer figure is the suspect (often another quantity: a rumoured size)
        # (the verdict ladder judges it after all when something else confirms every approximate input)
        return Outcome(ident_id, "unverifiable", f"{working}; {stated}: not judged, the approximate input "
                                                 f"{approx[0].quote!r} is the suspect", ids, False, True,
                       suspects=tuple(c.id for _, c in members[1:] if c.qualifier != "exact"))
    slip = ": its digits are the relation's value with two neighbours swapped" if swapped else ""
    # a member derived from other figures (a lot from the entry fee and the price) rests on their readings
    via = {c.id: tuple(c.sources) for _, c in members if getattr(c, "sources", ())}
    if weak:
        return Outcome(ident_id, "tension", f"{working}; {stated}: no overlap{slip}, but " + "; ".join(weak), ids,
                       False, True, swapped=swapped, via=via)
    return Outcome(ident_id, "inconsistent", f"{working}; {stated}: no overlap{slip}", ids, True, True,
                   swapped=swapped, via=via)
