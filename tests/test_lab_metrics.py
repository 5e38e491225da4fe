"""Lab metrics equal empyrical-reloaded's to 1e-9, registry and fused kernel alike, with the input type stated."""
from __future__ import annotations

import math

import empyrical as ep
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipolens.lab import metrics as M


def _close(a: float, b: float, tol: float = 1e-9) -> bool:
    if math.isnan(b):
        return math.isnan(a)
    if math.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1.0, abs(b))


def _series():
    rng = np.random.RandomState(42)
    daily = rng.normal(0.0004, 0.012, 2520)
    # an IPO-pop book: never negative, one +120% debut (quantstats mistakes it for prices: CAGR -100%)
    pop = np.abs(rng.normal(0.0, 0.002, 250))
    pop[3] = 1.20
    # a losing curve normalised to peak 1.0 (quantstats reads it as prices: Sharpe 123.7)
    losing = rng.normal(-0.0015, 0.01, 500)
    weekly = rng.normal(0.002, 0.025, 260)
    monthly = rng.normal(0.008, 0.045, 120)
    first_day_loss = np.array([-0.2, 0.05, 0.03, -0.01, 0.02, 0.04])
    return [("daily", daily, 252), ("ipo_pop", pop, 252), ("losing", losing, 252), ("weekly", weekly, 52),
            ("monthly", monthly, 12), ("first_day_loss", first_day_loss, 252)]


SERIES = _series()


@pytest.mark.parametrize("name,r,ppy", SERIES, ids=[s[0] for s in SERIES])
@pytest.mark.parametrize("rf", [0.0, 0.03])
def test_metrics_equal_empyrical(name, r, ppy, rf):
    rf_p = (1 + rf) ** (1 / ppy) - 1
    ref = {
        "total_return": ep.cum_returns_final(r),
        "cagr": ep.annual_return(r, annualization=ppy),
        "annual_volatility": ep.annual_volatility(r, annualization=ppy),
        "sharpe_ratio": ep.sharpe_ratio(r, risk_free=rf_p, annualization=ppy),
        "sortino_ratio": ep.sortino_ratio(r, required_return=rf_p, annualization=ppy),
        "max_drawdown": ep.max_drawdown(r),
        "calmar_ratio": ep.calmar_ratio(r, annualization=ppy),
    }
    ours = M.compute(r, kind="returns", periods_per_year=ppy, risk_free=rf)
    fused = M.fused(r, kind="returns", periods_per_year=ppy, risk_free=rf)
    for k, v in ref.items():
        assert _close(ours[k], float(v)), (name, k, ours[k], v)
        assert _close(fused[k], float(v)), (name, k, "fused", fused[k], v)
    dd = ep.downside_risk(r, required_return=rf_p, annualization=ppy)
    assert _close(M.downside_deviation(r, kind="returns", periods_per_year=ppy, target=rf), float(dd))


def test_quantstats_failure_cases_are_right():
    _, pop, _ = SERIES[1]
    # true CAGR of the pop book by hand: it is hugely positive, never -100%
    total = float(np.prod(1 + pop))
    assert M.cagr(pop, kind="returns") == pytest.approx(total ** (252 / len(pop)) - 1, rel=1e-12)
    assert M.cagr(pop, kind="returns") > 1.0
    _, losing, _ = SERIES[2]
    equity = np.cumprod(1 + losing)
    equity = equity / equity.max()
    # as prices, the normalised losing curve gives a negative Sharpe equal to the returns' one
    s_prices = M.sharpe_ratio(equity, kind="prices")
    s_returns = M.sharpe_ratio(equity[1:] / equity[:-1] - 1, kind="returns")
    assert s_prices < 0
    assert s_prices == pytest.approx(s_returns, rel=1e-12)


def test_hand_fixture():
    r = [0.10, -0.05, 0.02]
    assert M.total_return(r, kind="returns") == pytest.approx(1.1 * 0.95 * 1.02 - 1, abs=1e-15)
    # drawdown includes the start value: a first-day -20% is a -20% drawdown
    assert M.max_drawdown([-0.2, 0.1], kind="returns") == pytest.approx(-0.2, abs=1e-15)
    assert M.max_drawdown([0.1, -0.05], kind="returns") == pytest.approx(-0.05, abs=1e-15)
    assert M.cagr([0.01] * 12, kind="returns", periods_per_year=12) == pytest.approx(1.01 ** 12 - 1)
    assert M.per_period_rate(0.03, 12) == pytest.approx(1.03 ** (1 / 12) - 1)
    assert math.isnan(M.calmar_ratio([0.01, 0.02], kind="returns"))  # no drawdown: undefined, as empyrical
    assert M.hit_rate([0.1, -0.1, 0.0, 0.2]) == 0.5
    assert M.avg_win([0.1, -0.1, 0.3]) == pytest.approx(0.2)
    assert M.avg_loss([0.1, -0.1, -0.3]) == pytest.approx(-0.2)
    assert M.exposure([0, 0.5, 1.0, 0]) == 0.5
    assert M.turnover(200.0, 100.0, 252, 252) == pytest.approx(1.0)


def test_input_type_is_never_guessed():
    with pytest.raises(TypeError):
        M.sharpe_ratio([0.01, 0.02])  # kind is required
    with pytest.raises(ValueError, match="never guessed"):
        M.sharpe_ratio([0.01, 0.02], kind="price")
    with pytest.raises(ValueError, match="prices must be > 0"):
        M.total_return([0.01, -0.02, 0.03], kind="prices")
    with pytest.raises(ValueError, match="below -100%"):
        M.total_return([10.0, -76.2], kind="returns")
    with pytest.raises(ValueError, match="NaN"):
        M.total_return([0.01, float("nan")], kind="returns")
    p = np.array([100.0, 110.0, 99.0, 120.0])
    assert M.total_return(p, kind="prices") == pytest.approx(0.2)
    with pytest.raises(KeyError, match="did you mean 'sharpe_ratio'"):
        M.compute([0.01, 0.02], kind="returns", names=["sharpe_ratoi"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-0.5, max_value=1.5, allow_nan=False), min_size=2, max_size=300),
       st.sampled_from([12, 52, 252]), st.sampled_from([0.0, 0.02]))
def test_fused_kernel_equals_registry(values, ppy, rf):
    r = np.array(values)
    a = M.compute(r, kind="returns", periods_per_year=ppy, risk_free=rf)
    b = M.fused(r, kind="returns", periods_per_year=ppy, risk_free=rf)
    for k in a:
        if k in ("sharpe_ratio", "sortino_ratio", "annual_volatility") and np.ptp(r) < 1e-12:
            continue  # constant series: 0/0 conventions only
        assert _close(b[k], a[k], 1e-7), (k, a[k], b[k])


@pytest.mark.parametrize("fn", ["cagr", "annual_volatility", "sharpe_ratio", "sortino_ratio", "calmar_ratio"])
@pytest.mark.parametrize("ppy", [0, -1, float("inf")])
def test_periods_per_year_must_be_positive(fn, ppy):
    # P = 0 used to give CAGR 0 and volatility 0 as if they were measured
    with pytest.raises(ValueError, match="periods_per_year must be > 0"):
        M.compute([0.01, -0.02, 0.03], kind="returns", periods_per_year=ppy, names=[fn])
    with pytest.raises(ValueError, match="periods_per_year must be > 0"):
        M.fused([0.01, -0.02, 0.03], kind="returns", periods_per_year=ppy)


@pytest.mark.parametrize("values,kind", [([], "returns"), ([5.0], "prices")])
def test_empty_series_is_undefined_in_registry_and_kernel(values, kind):
    # no return measured: every metric NaN (empyrical's cum_returns_final([]) is NaN too), never a 0% return
    a = M.compute(values, kind=kind)
    b = M.fused(values, kind=kind)
    for k in a:
        assert math.isnan(a[k]) and math.isnan(b[k]), (k, a[k], b[k])


def test_overflow_is_quiet_and_registry_equals_kernel():
    import warnings

    cases = {
        # equity 1 -> 1e300 -> inf: rising all the way, so no drawdown; riskless positive excess: +inf ratios
        "rising": ([1e300, 1e300], dict(total_return=math.inf, cagr=math.inf, annual_volatility=0.0,
                                         sharpe_ratio=math.inf, max_drawdown=0.0, calmar_ratio=math.nan)),
        # the equity overflows but still halves from its peak: drawdown -50%
        "halved": ([1e300, 1e300, -0.5], dict(total_return=math.inf, max_drawdown=-0.5)),
        # R = 1e10 x 0.5 - 1 is finite; its 126th power (P / n = 252 / 2) is not
        "cagr": ([1e10, -0.5], dict(total_return=4_999_999_999.5, cagr=math.inf, max_drawdown=-0.5)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (r, want) in cases.items():
            a = M.compute(r, kind="returns")
            b = M.fused(r, kind="returns")
            for k, v in want.items():
                assert _close(a[k], v), (name, k, a[k], v)
            for k in a:
                assert _close(b[k], a[k], 1e-9), (name, k, a[k], b[k])
    with pytest.raises(ValueError, match="infinite"):
        M.total_return([0.01, math.inf], kind="returns")
