"""Strategy-lab speed, side by side with vectorbt in one process (metrics.md §5).

    python benchmarks/bench_lab.py            # needs the `bench` extra (vectorbt); falls back to a NumPy loop peer

Workloads (warm timings, one thread, metrics included):
  (a) universe: 3,000 listings x 250 bars (ragged layout), buy at the offer, exit at the close of day 20 or at a
      -15% stop on the close; per-listing trade record (return, in-trade drawdown) plus pooled moments, hit rate.
      Peer: vectorbt Portfolio.from_signals with sl_stop=0.15 on a 250 x 3,000 matrix, then total return,
      max drawdown and trade win rate.
  (b) grid: one 5,000-bar series, SMA(fast) / SMA(slow) crossover for every pair of 46 windows (1,035 pairs),
      0.1% fee, total return, Sharpe and max drawdown per pair. Peer: vectorbt MA.run_combs + from_signals.
Prints times, peak traced memory, the memory-bandwidth bound (bytes touched / measured bandwidth) and ends with
universe_speedup_vs_vectorbt=X, grid_speedup_vs_vectorbt=Y, universe_vs_bound=Z (and lab_vs_vectorbt=X).
"""
from __future__ import annotations

import gc
import math
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

N_LISTINGS, N_BARS, EXIT_DAY, STOP = 3000, 250, 20, 0.15
GRID_BARS, N_WINDOWS, FEE = 5000, 46, 0.001


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mem(fn) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bandwidth() -> float:
    """Single-thread read bandwidth, bytes/s: best of 5 sums over a 256 MB array."""
    a = np.ones(32 * 1024 * 1024)
    a.sum()
    return a.nbytes / best_of(a.sum, 5)


def gbm(rng, n_series: int, n_bars: int, vol: float = 0.03) -> np.ndarray:
    r = rng.normal(0.0, vol, (n_bars, n_series))
    return 10.0 * np.exp(np.cumsum(r, axis=0))  # bars x series


def main() -> None:
    from ipolens.lab.nb import REASON_STOP, simulate_universe_nb, sma_cross_grid_nb

    rng = np.random.default_rng(7)
    px = gbm(rng, N_LISTINGS, N_BARS)  # day-0 close onwards
    offer = px[0] / np.exp(rng.normal(0.1, 0.2, N_LISTINGS))  # debut pops and flops around the offer
    # ragged layout: listing-major concatenation + offsets (here all 250 long)
    close = np.ascontiguousarray(px.T.reshape(-1))
    day = np.tile(np.arange(N_BARS, dtype=np.int64), N_LISTINGS)
    offsets = np.arange(0, (N_LISTINGS + 1) * N_BARS, N_BARS, dtype=np.int64)
    lot = np.full(N_LISTINGS, 1000.0)
    active = np.ones(N_LISTINGS, dtype=np.bool_)
    entry_day = np.zeros(N_LISTINGS, dtype=np.int64)
    exit_day = np.full(N_LISTINGS, EXIT_DAY, dtype=np.int64)
    nofee = np.zeros((0, 6))

    def lab_universe():
        return simulate_universe_nb(offsets, day, close, close, close, close, offer, lot, active, 0, entry_day,
                                    exit_day, 1, STOP, math.nan, math.nan, False, 0.0, nofee, nofee)

    t0 = time.perf_counter()
    trades, stats = lab_universe()
    first_call = time.perf_counter() - t0
    lab_a = best_of(lab_universe, 30)
    mem_a = peak_mem(lab_universe)

    # bytes the kernel must touch at least once: close + day of every bar, offsets, per-listing inputs, records
    bw = bandwidth()
    bytes_a = close.nbytes + day.nbytes + offsets.nbytes + offer.nbytes + lot.nbytes + active.nbytes + \
        entry_day.nbytes + exit_day.nbytes + trades.nbytes
    bound_a = bytes_a / bw

    gp = gbm(rng, 1, GRID_BARS, 0.012)[:, 0]
    windows = np.arange(2, 2 + N_WINDOWS)
    pairs = np.array([(f, s) for i, f in enumerate(windows) for s in windows[i + 1:]], dtype=np.int64)

    def lab_grid():
        return sma_cross_grid_nb(gp, pairs[:, 0], pairs[:, 1], FEE, 252.0)

    lab_grid()
    lab_b = best_of(lab_grid, 10)
    mem_b = peak_mem(lab_grid)
    grid_out = lab_grid()
    bytes_b = gp.nbytes * 3 + grid_out.nbytes  # prices, returns, cumulative sums; one row of outputs per pair

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, numpy {np.__version__}")
    print(f"measured read bandwidth: {bw / 1e9:.1f} GB/s")
    n_stop = int((trades[:, 4] == REASON_STOP).sum())
    print(f"(a) universe {N_LISTINGS} x {N_BARS}: lab {lab_a * 1e3:.3f} ms (first call incl. cache load "
          f"{first_call * 1e3:.1f} ms), peak {mem_a / 1e6:.2f} MB, stops {n_stop}, "
          f"mean return {stats[1] / stats[0]:+.4f}")
    print(f"    bound: {bytes_a / 1e6:.1f} MB / {bw / 1e9:.1f} GB/s = {bound_a * 1e3:.3f} ms (the whole input read "
          f"once; below 1x is possible because a listing's bars after its exit are never read)")
    print(f"(b) grid {len(pairs)} pairs x {GRID_BARS} bars: lab {lab_b * 1e3:.2f} ms, peak {mem_b / 1e6:.2f} MB, "
          f"bound {bytes_b / bw * 1e3:.4f} ms")

    peer = "vectorbt"
    try:
        import pandas as pd
        import vectorbt as vbt
    except ImportError:
        vbt = None
        peer = "numpy-loop"
    if vbt is not None:
        close_df = pd.DataFrame(px)
        price_df = close_df.copy()
        price_df.iloc[0] = offer  # entry fill at the offer on day 0
        entries = pd.DataFrame(False, index=close_df.index, columns=close_df.columns)
        entries.iloc[0] = True
        exits = entries.copy()
        exits.iloc[0] = False
        exits.iloc[EXIT_DAY] = True

        def peer_universe():
            pf = vbt.Portfolio.from_signals(close_df, entries, exits, price=price_df, sl_stop=STOP, freq="1D")
            return pf.total_return(), pf.max_drawdown(), pf.trades.win_rate()

        def peer_grid():
            s = pd.Series(gp)
            fast, slow = vbt.MA.run_combs(s, window=list(windows), r=2, short_names=["fast", "slow"])
            en = fast.ma_crossed_above(slow)
            ex = fast.ma_crossed_below(slow)
            pf = vbt.Portfolio.from_signals(s, en, ex, fees=FEE, freq="1D")
            return pf.total_return(), pf.sharpe_ratio(year_freq="252D"), pf.max_drawdown()

        t0 = time.perf_counter()
        tr_v = peer_universe()
        peer_first = time.perf_counter() - t0
        peer_a = best_of(peer_universe, 3)
        pmem_a = peak_mem(peer_universe)
        peer_grid()
        peer_b = best_of(peer_grid, 3)
        pmem_b = peak_mem(peer_grid)
        # sanity: same trades in (a) (entry at the offer, stop on the close vs vectorbt's stop price)
        agree = float(np.mean(np.sign(tr_v[0].to_numpy()) == np.sign(trades[:, 5])))
        print(f"    vectorbt {vbt.__version__}: (a) {peer_a * 1e3:.1f} ms (first call {peer_first:.1f} s), peak "
              f"{pmem_a / 1e6:.1f} MB; sign agreement of trade returns {agree:.3f}")
        print(f"    vectorbt: (b) {peer_b * 1e3:.1f} ms, peak {pmem_b / 1e6:.1f} MB")
    else:
        def peer_universe():
            out = np.empty(N_LISTINGS)
            for i in range(N_LISTINGS):
                c = px[:, i]
                stop_hit = np.flatnonzero(c[:EXIT_DAY + 1] <= offer[i] * (1 - STOP))
                k = stop_hit[0] if stop_hit.size else EXIT_DAY
                out[i] = c[k] / offer[i] - 1
            return out

        def peer_grid():
            out = []
            for f, s in pairs:
                fm = np.convolve(gp, np.ones(f) / f, "valid")[s - f:]
                sm = np.convolve(gp, np.ones(s) / s, "valid")
                pos = np.concatenate((np.zeros(s), (fm > sm).astype(float)[:-1]))[: len(gp)]
                r = np.diff(gp) / gp[:-1] * pos[1:]
                out.append(np.prod(1 + r))
            return out

        peer_a = best_of(peer_universe, 3)
        peer_b = best_of(peer_grid, 3)
        print(f"    numpy loop peer: (a) {peer_a * 1e3:.1f} ms, (b) {peer_b * 1e3:.1f} ms")
    x = peer_a / lab_a
    y = peer_b / lab_b
    z = lab_a / bound_a
    print(f"peer: {peer}")
    print(f"lab_vs_{peer.replace('-', '_')}={x:.1f}")
    print(f"universe_speedup_vs_vectorbt={x:.1f}" if vbt is not None else f"universe_speedup_vs_numpy_loop={x:.1f}")
    print(f"grid_speedup_vs_vectorbt={y:.1f}" if vbt is not None else f"grid_speedup_vs_numpy_loop={y:.1f}")
    print(f"universe_vs_bound={z:.2f}")


if __name__ == "__main__":
    main()
