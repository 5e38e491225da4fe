"""Numba kernels for the strategy lab. NumPy arrays in, NumPy arrays out; no pandas anywhere in this module.

Layout conventions (see ``universe.py``): a ragged universe is ``offsets`` (int64, n + 1) into concatenated bar
arrays ``day`` (int64 trading-day offset from listing day 0), ``open_``, ``high``, ``low``, ``close`` (float64).
Returns are fractions (0.05 = +5%).

Fee schedules are float64 matrices with one row per component and the columns of ``FEE_COLUMNS``; the fee of one
order is the sum of its components, each clipped to [minimum, maximum] and rounded per its mode.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

# exit reasons written into the trade records
REASON_NONE = 0  # no trade (filtered out, no entry bar, no price)
REASON_TIME = 1
REASON_STOP = 2
REASON_TAKE = 3
REASON_TRAIL = 4
REASON_END = 5  # data ran out before the planned exit: the position is still open

# fee component columns: rate on amount, per share, minimum, maximum, rounding mode, rounding unit
FEE_COLUMNS = ("rate", "per_share", "minimum", "maximum", "round_mode", "round_unit")
ROUND_NONE = 0.0
ROUND_NEAREST = 1.0
ROUND_UP = 2.0

# layout of the array returned by returns_stats_1d_nb
STAT_NAMES = ("total_return", "cagr", "annual_volatility", "sharpe_ratio", "sortino_ratio", "max_drawdown",
              "calmar_ratio", "n_periods")


@njit(cache=True, nogil=True)
def fee_nb(amount: float, shares: float, comps: np.ndarray) -> float:
    """Fee of one order of ``amount`` (price x shares, currency) under a component matrix."""
    total = 0.0
    for k in range(comps.shape[0]):
        f = comps[k, 0] * amount + comps[k, 1] * shares
        if f < comps[k, 2]:
            f = comps[k, 2]
        if f > comps[k, 3]:
            f = comps[k, 3]
        mode = comps[k, 4]
        unit = comps[k, 5]
        if mode == ROUND_NEAREST:
            # the 1e-9 guards against 0.125 being stored as 0.12499999...
            f = math.floor(f / unit + 0.5 + 1e-9) * unit
        elif mode == ROUND_UP:
            f = math.ceil(f / unit - 1e-9) * unit
        total += f
    return total


@njit(cache=True, nogil=True)
def returns_stats_1d_nb(returns: np.ndarray, rf_p: float, target_p: float, ppy: float) -> np.ndarray:
    """All series metrics of one return series in a single pass.

    Running equity and peak (starting at 1, so the start value counts for the drawdown), Welford moments of the
    excess and raw returns, and the downside second moment below ``target_p``. Definitions equal empyrical's.
    An empty series gives NaN throughout, as the registry does.
    """
    out = np.full(8, np.nan)
    n = returns.shape[0]
    out[7] = n
    if n == 0:
        return out
    equity = 1.0
    peak = 1.0
    ratio = 1.0  # V_t / peak_t
    mdd = 0.0
    mean_r = 0.0
    m2_r = 0.0
    mean_x = 0.0
    m2_x = 0.0
    sum_t = 0.0
    down2 = 0.0
    for i in range(n):
        r = returns[i]
        equity *= 1.0 + r
        if equity > peak:
            peak = equity
        if equity < np.inf:
            ratio = equity / peak
        else:  # V overflowed (inf / inf): carry V / peak on from its last finite value, it stays in [0, 1]
            ratio = min(ratio * (1.0 + r), 1.0)
        dd = ratio - 1.0
        if dd < mdd:
            mdd = dd
        k = i + 1.0
        d = r - mean_r
        mean_r += d / k
        m2_r += d * (r - mean_r)
        x = r - rf_p
        dx = x - mean_x
        mean_x += dx / k
        m2_x += dx * (x - mean_x)
        t = r - target_p
        sum_t += t
        if t < 0.0:
            down2 += t * t
    total = equity - 1.0
    out[0] = total
    cagr = equity ** (ppy / n) - 1.0
    out[1] = cagr
    out[5] = mdd
    if n >= 2:
        out[2] = math.sqrt(m2_r / (n - 1)) * math.sqrt(ppy)
        sd_x = math.sqrt(m2_x / (n - 1))
        if sd_x == 0.0:
            out[3] = np.inf if mean_x > 0 else (-np.inf if mean_x < 0 else np.nan)
        else:
            out[3] = mean_x / sd_x * math.sqrt(ppy)
        dd_dev = math.sqrt(down2 / n)
        mean_t = sum_t / n
        if dd_dev == 0.0:
            out[4] = np.inf if mean_t > 0 else (-np.inf if mean_t < 0 else np.nan)
        else:
            out[4] = mean_t / dd_dev * math.sqrt(ppy)
    if mdd < 0.0:
        c = cagr / abs(mdd)
        if not math.isinf(c):
            out[6] = c
    return out


@njit(cache=True, nogil=True)
def simulate_trade_1d_nb(day, open_, high, low, close, start, stop, offer, entry_mode, entry_day, exit_day,
                         direction, stop_loss, take_profit, trailing, use_hl, out):
    """One position on one listing's bars [start, stop). Writes a trade record into ``out`` (length 9):

    entry_bar, exit_bar, entry_price, exit_price, reason, gross_return, mae, mfe, exit_day.
    ``entry_mode``: 0 = at the offer price before day 0, 1 = open of the first bar with day >= entry_day,
    2 = close of that bar. Time exit at the close of the first bar with day >= exit_day. Stops are fractions of
    the entry price (NaN = off); with ``use_hl`` they trigger on low/high and fill at the stop or a worse open,
    otherwise they trigger and fill at the close. mae/mfe: worst and best close-to-entry return while held.
    """
    out[:] = np.nan
    out[4] = REASON_NONE
    if stop <= start:
        return
    # find the entry
    if entry_mode == 0:
        if not (offer > 0.0):
            return
        eb = start - 1  # a virtual bar before day 0
        ep = offer
    else:
        eb = -1
        for b in range(start, stop):
            if day[b] >= entry_day:
                eb = b
                break
        if eb < 0:
            return
        ep = open_[eb] if entry_mode == 1 else close[eb]
    d = 1.0 if direction >= 0 else -1.0
    out[0] = eb
    out[2] = ep
    # stop levels in price terms; for shorts the roles of high and low swap
    sl = ep * (1.0 - d * stop_loss) if stop_loss == stop_loss else np.nan
    tp = ep * (1.0 + d * take_profit) if take_profit == take_profit else np.nan
    best = ep
    mae = 0.0
    mfe = 0.0
    first = eb + 1
    # an entry at the open still lives through that bar's close
    if entry_mode == 1:
        first = eb
    for b in range(first, stop):
        o = open_[b]
        c = close[b]
        h = high[b] if use_hl else c
        lo = low[b] if use_hl else c
        adverse = lo if d > 0 else h
        favour = h if d > 0 else lo
        ref_o = o if use_hl else c
        if b == eb:  # entered at this open: the open itself cannot gap through our stop
            ref_o = ep
        # hard stop first: the conservative order when both could have hit inside one bar
        if sl == sl and d * (adverse - sl) <= 0.0:
            px = sl if d * (ref_o - sl) > 0.0 else ref_o
            _close_trade(out, b, px, REASON_STOP, ep, d, mae, mfe, day[b])
            return
        if trailing == trailing:
            tl = best * (1.0 - d * trailing)
            if d * (adverse - tl) <= 0.0:
                px = tl if d * (ref_o - tl) > 0.0 else ref_o
                _close_trade(out, b, px, REASON_TRAIL, ep, d, mae, mfe, day[b])
                return
        if tp == tp and d * (favour - tp) >= 0.0:
            px = tp if d * (ref_o - tp) < 0.0 else ref_o
            _close_trade(out, b, px, REASON_TAKE, ep, d, mae, mfe, day[b])
            return
        r = d * (c / ep - 1.0)
        if r < mae:
            mae = r
        if r > mfe:
            mfe = r
        if d * (favour - best) > 0.0:
            best = favour
        if day[b] >= exit_day:
            _close_trade(out, b, c, REASON_TIME, ep, d, mae, mfe, day[b])
            return
    # ran out of bars: still open, marked at the last close
    last = stop - 1
    _close_trade(out, last, close[last], REASON_END, ep, d, mae, mfe, day[last])


@njit(cache=True, nogil=True)
def _close_trade(out, bar, px, reason, ep, d, mae, mfe, exit_day):
    out[1] = bar
    out[3] = px
    out[4] = reason
    ret = d * (px / ep - 1.0)
    out[5] = ret
    out[6] = min(mae, ret)
    out[7] = max(mfe, ret)
    out[8] = exit_day


@njit(cache=True, nogil=True)
def simulate_universe_nb(offsets, day, open_, high, low, close, offer, lot, active, entry_mode, entry_day,
                         exit_day, direction, stop_loss, take_profit, trailing, use_hl, slippage,
                         entry_fees, exit_fees):
    """One position per active listing; returns (trades[n, 12], stats[12]).

    Trade columns: the 9 of ``simulate_trade_1d_nb`` then net_return (after slippage and fees on a one-lot
    position), pnl_per_lot (currency) and fees_per_lot; all three NaN without a lot size. Fused statistics over closed
    trades (reason 1-4): count, sum and sum of squares of gross returns, wins, sum of wins, losses, sum of losses,
    stop hits, take-profit hits, trailing hits, sum of bars held (day units), open positions.
    """
    n = offsets.shape[0] - 1
    trades = np.full((n, 12), np.nan)
    stats = np.zeros(12)
    rec = np.empty(9)
    for i in range(n):
        trades[i, 4] = REASON_NONE
        if not active[i]:
            continue
        s = offsets[i]
        e = offsets[i + 1]
        simulate_trade_1d_nb(day, open_, high, low, close, s, e, offer[i], entry_mode, entry_day[i], exit_day[i],
                             direction, stop_loss, take_profit, trailing, use_hl, rec)
        trades[i, :9] = rec
        reason = rec[4]
        if reason == REASON_NONE:
            continue
        d = 1.0 if direction >= 0 else -1.0
        # slippage moves both fills against us
        ep = rec[2] * (1.0 + d * slippage)
        xp = rec[3] * (1.0 - d * slippage)
        # fees have minimums in currency: net figures only exist for a priced board lot
        if lot[i] > 0.0:
            shares = lot[i]
            f_in = fee_nb(ep * shares, shares, entry_fees)
            f_out = fee_nb(xp * shares, shares, exit_fees)
            pnl = d * (xp - ep) * shares - f_in - f_out
            trades[i, 9] = pnl / (ep * shares)
            trades[i, 10] = pnl
            trades[i, 11] = f_in + f_out
        if reason == REASON_END:
            stats[11] += 1
            continue
        r = rec[5]
        stats[0] += 1
        stats[1] += r
        stats[2] += r * r
        if r > 0:
            stats[3] += 1
            stats[4] += r
        elif r < 0:
            stats[5] += 1
            stats[6] += r
        if reason == REASON_STOP:
            stats[7] += 1
        elif reason == REASON_TAKE:
            stats[8] += 1
        elif reason == REASON_TRAIL:
            stats[9] += 1
        entry_d = -1.0 if entry_mode == 0 else day[int(rec[0])]
        stats[10] += rec[8] - entry_d
    return trades, stats


@njit(cache=True, nogil=True)
def flip_grid_nb(offsets, day, open_, high, low, close, offer, lot, base_active, oversub, entry_mode, entry_day,
                 combo_exit, combo_stop, combo_take, combo_trail, combo_min_oversub, direction, use_hl, slippage,
                 entry_fees, exit_fees, require_exact):
    """Every parameter combination over the universe in one call.

    Per combo: n_trades, mean gross return, median gross return, std (ddof 1), hit rate, avg win, avg loss,
    stop hits, take-profit hits, trailing hits, mean net return, mean pnl per lot, open positions.
    With ``require_exact`` a time exit must land on exactly the requested day (sparse event-horizon bars).
    """
    n = offsets.shape[0] - 1
    m = combo_exit.shape[0]
    out = np.full((m, 13), np.nan)
    rec = np.empty(9)
    buf = np.empty(n)
    d = 1.0 if direction >= 0 else -1.0
    for j in range(m):
        cnt = 0
        s1 = 0.0
        s2 = 0.0
        wins = 0
        sw = 0.0
        losses = 0
        sl_ = 0.0
        hs = 0
        ht = 0
        htr = 0
        snet = 0.0
        spnl = 0.0
        npnl = 0
        nopen = 0
        for i in range(n):
            if not base_active[i]:
                continue
            if combo_min_oversub[j] == combo_min_oversub[j] and not (oversub[i] >= combo_min_oversub[j]):
                continue
            simulate_trade_1d_nb(day, open_, high, low, close, offsets[i], offsets[i + 1], offer[i], entry_mode,
                                 entry_day[i], combo_exit[j], direction, combo_stop[j], combo_take[j],
                                 combo_trail[j], use_hl, rec)
            reason = rec[4]
            if reason == REASON_NONE:
                continue
            if reason == REASON_END or (require_exact and reason == REASON_TIME and rec[8] != combo_exit[j]):
                nopen += 1
                continue
            r = rec[5]
            buf[cnt] = r
            cnt += 1
            s1 += r
            s2 += r * r
            if r > 0:
                wins += 1
                sw += r
            elif r < 0:
                losses += 1
                sl_ += r
            if reason == REASON_STOP:
                hs += 1
            elif reason == REASON_TAKE:
                ht += 1
            elif reason == REASON_TRAIL:
                htr += 1
            if lot[i] > 0.0:
                ep = rec[2] * (1.0 + d * slippage)
                xp = rec[3] * (1.0 - d * slippage)
                shares = lot[i]
                pnl = d * (xp - ep) * shares - fee_nb(ep * shares, shares, entry_fees) - fee_nb(
                    xp * shares, shares, exit_fees)
                snet += pnl / (ep * shares)
                spnl += pnl
                npnl += 1
        out[j, 0] = cnt
        out[j, 12] = nopen
        out[j, 7] = hs
        out[j, 8] = ht
        out[j, 9] = htr
        if cnt > 0:
            mean = s1 / cnt
            out[j, 1] = mean
            out[j, 2] = np.median(buf[:cnt])
            if cnt > 1:
                out[j, 3] = math.sqrt(max(s2 - cnt * mean * mean, 0.0) / (cnt - 1))
            out[j, 4] = wins / cnt
            out[j, 5] = sw / wins if wins > 0 else np.nan
            out[j, 6] = sl_ / losses if losses > 0 else np.nan
            out[j, 10] = snet / npnl if npnl > 0 else np.nan
            out[j, 11] = spnl / npnl if npnl > 0 else np.nan
    return out


@njit(cache=True, nogil=True)
def sleeve_nb(n_sessions, initial, cash_rate_p, ev_session, ev_kind, ev_trade, ev_price, trade_weight, trade_lot,
              trade_dir, slippage, entry_fees, exit_fees, round_lots):
    """Mark one sleeve to market over ``n_sessions`` sessions from sorted events.

    Event kinds, sorted by session then kind: 0 = entry at the offer or an open, 1 = mark at a close, 2 = exit,
    3 = entry at a close (after that day's exits, so freed cash is there for it). An entry takes
    ``trade_weight`` x current sleeve equity (capped by cash), in whole lots when ``round_lots`` and a lot size is
    known. Idle cash earns ``cash_rate_p`` per session, session 0 included: ``initial`` is the value at the close
    before session 0, so n sessions are n periods (a short's sale proceeds earn it too, margin ignored).
    Returns equity[n_sessions], exposure[n_sessions] (gross position value / equity), traded value, and per trade
    shares, entry notional and realised P&L after fees (NaN while open).
    """
    n_tr = trade_weight.shape[0]
    equity = np.empty(n_sessions)
    exposure = np.empty(n_sessions)
    shares = np.zeros(n_tr)
    last_px = np.zeros(n_tr)
    fill = np.zeros(n_tr)
    fee_in = np.zeros(n_tr)
    notional = np.full(n_tr, np.nan)
    pnl = np.full(n_tr, np.nan)
    open_flag = np.zeros(n_tr, dtype=np.bool_)
    cash = initial
    pos_value = 0.0
    traded = 0.0
    k = 0
    n_ev = ev_session.shape[0]
    for t in range(n_sessions):
        # interest for the period ending at this session, on the cash held since the previous close
        cash *= 1.0 + cash_rate_p
        while k < n_ev and ev_session[k] == t:
            j = ev_trade[k]
            kind = ev_kind[k]
            px = ev_price[k]
            d = trade_dir[j]
            if kind == 0 or kind == 3:
                eq = cash + pos_value
                ep = px * (1.0 + d * slippage)
                budget = trade_weight[j] * eq
                if budget > cash:
                    budget = cash
                q = budget / ep
                if round_lots and trade_lot[j] > 0.0:
                    q = math.floor(q / trade_lot[j]) * trade_lot[j]
                    # the fees must fit as well; drop lots until they do
                    while q > 0.0 and q * ep + fee_nb(q * ep, q, entry_fees) > cash:
                        q -= trade_lot[j]
                elif q > 0.0:
                    q = q / (1.0 + fee_nb(q * ep, q, entry_fees) / (q * ep))
                if q > 0.0:
                    f = fee_nb(q * ep, q, entry_fees)
                    # a long pays value + fees; a short receives the value and pays the fees
                    cash -= d * q * ep + f
                    shares[j] = q
                    last_px[j] = px
                    fill[j] = ep
                    fee_in[j] = f
                    pos_value += d * q * px
                    notional[j] = q * ep
                    open_flag[j] = True
                    traded += q * ep
            elif open_flag[j]:
                q = shares[j]
                pos_value += d * q * (px - last_px[j])
                last_px[j] = px
                if kind == 2:
                    xp = px * (1.0 - d * slippage)
                    f = fee_nb(q * xp, q, exit_fees)
                    pos_value -= d * q * px
                    cash += d * q * xp - f
                    pnl[j] = d * q * (xp - fill[j]) - fee_in[j] - f
                    open_flag[j] = False
                    traded += q * xp
            k += 1
        eq = cash + pos_value
        equity[t] = eq
        gross = 0.0
        for j in range(n_tr):
            if open_flag[j]:
                gross += shares[j] * last_px[j]
        exposure[t] = gross / eq if eq > 0 else np.nan
    return equity, exposure, traded, shares, notional, pnl


@njit(cache=True, nogil=True)
def sma_cross_grid_nb(close, fast, slow, fee, ppy):
    """SMA(fast) > SMA(slow) long-only crossover for every (fast, slow) pair, metrics fused.

    The position decided at bar t's close earns bar t+1's return; a position change pays ``fee`` x traded value.
    Each window's SMA is computed once and shared by every pair that uses it.
    Returns [n_pairs, 4]: total return, Sharpe (rf 0, ddof 1), max drawdown (from the start value), trades.
    """
    n = close.shape[0]
    wmax = 1
    for j in range(fast.shape[0]):
        wmax = max(wmax, fast[j], slow[j])
    csum = np.empty(n + 1)
    csum[0] = 0.0
    for i in range(n):
        csum[i + 1] = csum[i] + close[i]
    # ma[w, i]: SMA of window w ending at bar i (NaN while warming up); NaN compares False, so no signal
    ma = np.full((wmax + 1, n), np.nan)
    for w in range(1, wmax + 1):
        inv = 1.0 / w
        for i in range(w - 1, n):
            ma[w, i] = (csum[i + 1] - csum[i + 1 - w]) * inv
    rets = np.empty(n)
    rets[0] = 0.0
    for i in range(1, n):
        rets[i] = close[i] / close[i - 1] - 1.0
    m = fast.shape[0]
    out = np.full((m, 4), np.nan)
    for j in range(m):
        fm = ma[fast[j]]
        sm = ma[slow[j]]
        pos = 0.0
        equity = 1.0
        peak = 1.0
        low_ratio = 1.0
        s1 = 0.0
        s2 = 0.0
        trades = 0
        for i in range(1, n):
            r = pos * rets[i]
            want = 1.0 if fm[i] > sm[i] else 0.0
            if want != pos:
                r -= fee * (1.0 + r) if want == 0.0 else fee
                trades += 1
                pos = want
            equity *= 1.0 + r
            if equity > peak:
                peak = equity
            elif equity < peak * low_ratio:
                low_ratio = equity / peak
            s1 += r
            s2 += r * r
        cnt = n - 1
        out[j, 0] = equity - 1.0
        if cnt > 1:
            mean = s1 / cnt
            var = (s2 - s1 * mean) / (cnt - 1)
            out[j, 1] = mean / math.sqrt(var) * math.sqrt(ppy) if var > 0 else np.nan
        out[j, 2] = low_ratio - 1.0
        out[j, 3] = trades
    return out
