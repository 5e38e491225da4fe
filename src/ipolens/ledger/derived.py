"""Derived facts materialised in the ledger, so that `facts` and `conflicts` see them beside the stated ones.

Each derived fact names its inputs (fact ids), its formula and ``input_rank`` (the source-kind rank of its weakest
input) in ``derived_from``, and belongs to the ``derived:ipolens`` source. It ranks just after stated values from
sources as strong as its weakest input: a recomputation never displaces a stated figure from a source as good as
its inputs, but it does outrank a weaker one. So Moore Threads' "+468.78%" from a news article loses to
600.50 / 114.28 from the exchange-data set, and the two show up as a conflict.
The set is rebuilt whole by ``Store.write()`` before every commit, so no write path can leave it stale.

A derived value's interval (lo, hi) is its inputs' intervals carried through the formula (every formula here rises
with its first input and falls with its second): exact-as-given inputs give a recomputation exact to float noise,
an input with a stated precision (or a text figure's rounding, or a hedge) widens it by as much as it can move the
result. So a recomputation never disagrees with a figure its own inputs cannot rule out.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Source
from .schema import KIND_RANK

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["DERIVED_SOURCE", "refresh_derived"]

DERIVED_SOURCE = Source("derived:ipolens", "derived", "Recomputed by ipolens from stated facts",
                        publisher="ipolens", note="formula and input fact ids in derived_from")

# (target field, numerator field, formula SQL over a.value_num (numerator) and b.value_num (denominator), text)
_RATIOS = [
    ("first_day_open_return", "open_price", "offer_price", "(a.value_num / b.value_num - 1) * 100",
     "(open_price / offer_price - 1) x 100"),
    ("first_day_return", "close_price", "offer_price", "(a.value_num / b.value_num - 1) * 100",
     "(close_price / offer_price - 1) x 100"),
]


def _kind_rank(alias: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_RANK.items())
    return f"(SELECT CASE kind {whens} ELSE 9 END FROM sources WHERE id = {alias}.source_id)"


def _bounds(expr: str) -> tuple[str, str]:
    """SQL for the lowest and highest value of ``expr`` (rising in a, falling in b) over the inputs' intervals,
    where the denominator's interval is positive; else the point value."""
    a_lo, a_hi, b_lo, b_hi = ("coalesce(a.lo, a.value_num)", "coalesce(a.hi, a.value_num)",
                              "coalesce(b.lo, b.value_num)", "coalesce(b.hi, b.value_num)")
    low = expr.replace("a.value_num", a_lo).replace("b.value_num", b_hi)
    high = expr.replace("a.value_num", a_hi).replace("b.value_num", b_lo)
    ok = f"{b_lo} > 0"
    return (f"least({expr}, CASE WHEN {ok} THEN {low} ELSE {expr} END)",
            f"greatest({expr}, CASE WHEN {ok} THEN {high} ELSE {expr} END)")


def refresh_derived(ledger: "Ledger") -> int:
    """Recompute every derived fact from the current winners (inside the caller's transaction); returns how many."""
    from .price_load import rehome_bars

    con = ledger.con
    # Not a fact, but kept in step on the same every-write path: a listing created by this write (a reused code)
    # takes its bars from the older listing of the code, so no reader sees one listing's bars under another.
    rehome_bars(ledger)
    rank = f"greatest({_kind_rank('a')}, {_kind_rank('b')})"
    con.execute("DELETE FROM facts WHERE source_id = ?", [DERIVED_SOURCE.id])
    ledger.add_source(DERIVED_SOURCE)
    n = 0
    for target, num, den, expr, formula in _RATIOS:
        lo, hi = _bounds(expr)
        # Inputs are stated values only (never another derivation, nor a price the source derived from a return).
        n += con.execute(f"""
            INSERT INTO facts (entity, field, value_num, unit, qualifier, as_of, date_key, lo, hi, source_id,
                               derived_from, claim_type, note)
            SELECT a.entity, '{target}', {expr}, 'pct', 'exact', a.as_of, '', {lo} - 1e-9, {hi} + 1e-9, ?,
                   json_object('facts', [a.id, b.id], 'formula', '{formula}', 'input_rank', {rank}), 'derived', NULL
            FROM best a JOIN best b ON a.entity = b.entity
            WHERE a.field = '{num}' AND b.field = '{den}' AND b.value_num > 0 AND a.value_num IS NOT NULL
              AND a.source_id <> ? AND b.source_id <> ? AND a.derived_from IS NULL
              AND a.currency IS NOT DISTINCT FROM b.currency""",
                         [DERIVED_SOURCE.id, DERIVED_SOURCE.id, DERIVED_SOURCE.id]).fetchone()[0]
    # Total opex implied by R&D and its share of opex, per period.
    expr = "a.value_num / (b.value_num / 100)"
    lo, hi = _bounds(expr)
    n += con.execute(f"""
        INSERT INTO facts (entity, field, value_num, unit, currency, qualifier, period, date_key, lo, hi, source_id,
                           derived_from, claim_type)
        SELECT a.entity, 'implied_opex', a.value_num / (b.value_num / 100), a.currency, a.currency, 'exact',
               a.period, a.date_key, {lo} - abs({expr}) * 1e-12, {hi} + abs({expr}) * 1e-12, ?,
               json_object('facts', [a.id, b.id], 'formula', 'rd_expense / (rd_share_of_opex / 100)',
                           'input_rank', {rank}), 'derived'
        FROM resolved a JOIN resolved b ON a.entity = b.entity AND a.date_key = b.date_key
        WHERE a.field = 'rd_expense' AND b.field = 'rd_share_of_opex' AND b.value_num > 0
          AND a.source_id <> ? AND b.source_id <> ?""",
                     [DERIVED_SOURCE.id, DERIVED_SOURCE.id, DERIVED_SOURCE.id]).fetchone()[0]
    return n
