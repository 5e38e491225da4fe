"""Parameter grids: every combination in one kernel call, results as a DataFrame (one row per combination)."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from .rules import Strategy
from .universe import Universe

__all__ = ["GRID_PARAMS", "GRID_COLUMNS", "MAX_COMBOS", "parse_values", "count_combos", "run_grid"]

GRID_PARAMS = ("exit_day", "stop_loss", "take_profit", "trailing", "min_oversubscription")
MAX_COMBOS = 10**7
_COLUMNS = ("n_trades", "mean_return", "median_return", "std_return", "hit_rate", "avg_win", "avg_loss",
            "stop_hits", "take_profit_hits", "trailing_hits", "mean_net_return", "mean_pnl_per_lot",
            "open_positions")
GRID_COLUMNS = GRID_PARAMS + _COLUMNS  # every column of run_grid's frame


def parse_values(text: str, *, integer: bool = False) -> list[float]:
    """``"0.1,0.15,none"`` or ``"0.05:0.3:0.05"`` (inclusive range) -> values; ``none`` switches a rule off."""
    out: list[float] = []
    for part in str(text).split(","):
        p = part.strip().lower()
        if not p:
            continue
        if p in ("none", "off", "nan"):
            out.append(math.nan)
        elif p.startswith("day:"):
            out.append(float(p[4:]))
        elif p == "debut":
            out.append(0.0)
        elif ":" in p:
            bits = p.split(":")
            if len(bits) != 3:
                raise ValueError(f"range {part!r} must be start:stop:step")
            a, b, st = (float(x) for x in bits)
            if st <= 0 or b < a:
                raise ValueError(f"range {part!r}: need step > 0 and stop >= start")
            k = int(math.floor((b - a) / st + 1e-9)) + 1
            out.extend(a + st * np.arange(k))
        else:
            try:
                out.append(float(p))
            except ValueError:
                raise ValueError(f"cannot read {part!r} as a number, range start:stop:step or none") from None
    if not out:
        raise ValueError(f"no values in {text!r}")
    if integer and any(v != v or v != int(v) or v < 0 for v in out):
        raise ValueError(f"exit days must be whole numbers >= 0, got {text!r}")
    return out


def count_combos(params: dict[str, list]) -> int:
    n = 1
    for v in params.values():
        n *= max(len(v), 1)
    return n


def run_grid(u: Universe, base: Strategy, params: dict[str, list], fees=None, *, force: bool = False,
             chunk: int = 4096, progress=None, executor=None, samples=None) -> pd.DataFrame:
    """Evaluate every combination of ``params`` (keys from GRID_PARAMS) on the universe.

    Unlisted parameters take the base strategy's value. ``progress(done, total)`` is called per chunk.
    Returns are fractions; n_trades counts closed trades. ``executor`` (``lab.executor``; default: this thread)
    runs the chunks; ``samples`` (``lab.sweep``) evaluates the grid on each sample of listings, with the samples'
    labels as leading columns. Every engine and chunk size gives the same frame.
    """
    from .executor import Executor, Shared, map_tasks
    from .fees import schedule
    from .sweep import FULL

    unknown = set(params) - set(GRID_PARAMS)
    if unknown:
        import difflib

        name = sorted(unknown)[0]
        hint = difflib.get_close_matches(name, GRID_PARAMS, n=1)
        raise ValueError(f"unknown grid parameter {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
    if base.lockup is not None:
        raise ValueError("lock-up rules are per listing; grid them with separate `lab run` specs")
    nan = math.nan
    full = {
        "exit_day": params.get("exit_day") or [base.exit.day],
        "stop_loss": params.get("stop_loss") or [base.exit.stop_loss if base.exit.stop_loss is not None else nan],
        "take_profit": params.get("take_profit") or [base.exit.take_profit if base.exit.take_profit is not None
                                                     else nan],
        "trailing": params.get("trailing") or [base.exit.trailing if base.exit.trailing is not None else nan],
        "min_oversubscription": params.get("min_oversubscription") or [nan],
    }
    samples = list(samples) if samples else [FULL]
    total = count_combos(full)
    if total * len(samples) > MAX_COMBOS and not force:
        raise ValueError(f"{total * len(samples):,} combinations is over {MAX_COMBOS:,}; narrow the grid or pass "
                         "--force")
    for k in ("stop_loss", "trailing"):
        if any(v == v and not (0 < v < 1) for v in full[k]):
            raise ValueError(f"{k} values are fractions in (0, 1): 0.15 = 15%")
    if any(v == v and v <= 0 for v in full["take_profit"]):
        raise ValueError("take_profit values are fractions > 0")
    if any(v != v or v < 0 or v != int(v) for v in full["exit_day"]):
        raise ValueError("exit_day values must be whole numbers >= 0")
    first = min(full["exit_day"])
    if base.entry.mode != "offer" and (first < base.entry.day or (base.entry.mode == "close"
                                                                   and first == base.entry.day)):
        raise ValueError(f"exit day {int(first)} must come after the entry ({base.entry.mode}:{base.entry.day})")
    market = str(u.meta["market"].dropna().iloc[0]) if u.meta["market"].notna().any() else "HK"
    fees = fees if fees is not None else schedule(market)
    fin, fout = fees.matrices(base.entry.fee_side)
    passed = base.active(u)
    no_offer = passed & base.no_offer(u)
    active = passed & ~no_offer  # never "bought at the offer" without an offer price
    if not active.any():
        raise ValueError("empty universe: no listing passes the filters"
                         + (f" ({int(no_offer.sum())} have no offer price to be allotted at)" if no_offer.any()
                            else ""))
    combos = np.array(list(itertools.product(*full.values())), dtype=np.float64)
    ex = executor or Executor("local")
    if ex.engine != "local":  # enough tasks to keep every worker busy; the rows do not depend on the split
        chunk = max(1, min(chunk, -(-len(combos) * len(samples) // (4 * ex.n_workers))))
    # equal chunks per sample: a short last chunk would leave a worker idle at the end
    chunk = -(-len(combos) // -(-len(combos) // chunk))
    shared = Shared(
        offsets=u.offsets, bars={"day": u.day, "open_": u.open_, "high": u.high, "low": u.low, "close": u.close},
        per_listing={"offer": u.offer, "lot": u.lot, "active": active,
                     "oversub": u.meta["oversubscription"].to_numpy(np.float64),
                     "entry_day": np.full(len(u), base.entry.day, dtype=np.int64)},
        samples=[s.index for s in samples], entry_code=base.entry.code, has_hl=u.has_hl, slippage=fees.slippage,
        fin=fin, fout=fout, exact=base.exact_exit)
    tasks = [(k, combos[a:a + chunk]) for k in range(len(samples)) for a in range(0, len(combos), chunk)]
    parts = map_tasks(_grid_chunk, tasks, shared, ex, progress, [len(t[1]) for t in tasks])
    out = np.concatenate(parts) if parts else np.empty((0, len(_COLUMNS)))
    df = pd.DataFrame(np.tile(combos, (len(samples), 1)), columns=list(full))
    df["exit_day"] = df["exit_day"].astype(int)
    res = pd.DataFrame(out, columns=list(_COLUMNS))
    for k in ("n_trades", "stop_hits", "take_profit_hits", "trailing_hits", "open_positions"):
        res[k] = res[k].astype(int)
    labels = _label_frame(samples, len(combos))
    out_df = pd.concat([labels, df, res], axis=1)
    out_df.attrs["excluded_no_offer_price"] = int(no_offer.sum())
    return out_df


def _label_frame(samples, n_combos: int) -> pd.DataFrame:
    from .sweep import LABELS

    cols = [c for c in LABELS if any(c in s.labels for s in samples)]
    return pd.DataFrame({c: np.repeat([s.labels.get(c) for s in samples], n_combos) for c in cols})


def _grid_chunk(sh, task) -> np.ndarray:
    """One task: a chunk of combinations on one sample of listings (runs on a worker; nogil kernel)."""
    from .nb import flip_grid_nb
    from .sweep import repack

    k, c = task
    idx = sh.samples[k]
    if idx is None:
        offsets, bars, per = sh.offsets, sh.bars, sh.per_listing
    else:
        offsets, bars, per = repack(sh.offsets, sh.bars, sh.per_listing, idx)
    return flip_grid_nb(
        offsets, bars["day"], bars["open_"], bars["high"], bars["low"], bars["close"], per["offer"], per["lot"],
        per["active"], per["oversub"], sh.entry_code, per["entry_day"], c[:, 0].astype(np.int64),
        np.ascontiguousarray(c[:, 1]), np.ascontiguousarray(c[:, 2]), np.ascontiguousarray(c[:, 3]),
        np.ascontiguousarray(c[:, 4]), 1, sh.has_hl, sh.slippage, sh.fin, sh.fout, sh.exact)
