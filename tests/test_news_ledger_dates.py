"""Ledger checks respect the claim's date; FX is the rate of the claim's date; cross-currency ledger comparisons.

The embedded ledger holds Biren's (HK:06082) market cap as a dated series: 855.4亿港元 / 约110亿美元 as of
2026-01-05 (news:2026-01-icefire-overview) and 近800亿港元 from news:2026-01-06-biren-debut-cold (published
2026-01-06, no as_of). USD/HKD rows: 2025-12-01..2026-02-27 (2026-01-05 7.78652, 2026-01-06 7.78782).
"""
import datetime as dt

from ipolens.app.news import check_text as _check_text


def check_text(store, text, **kw) -> dict:
    """The use case's JSON, as the CLI and the web API give it."""
    return _check_text(store, text, **kw).to_dict()

# the ledger's facts in our own words (no article sentence)
BIREN = "截至1月5日，壁仞科技总市值达855.4亿港元，折合约110亿美元"


def _caps(store, text, published=None):
    out = check_text(store, text, published=published, market="HK")
    return [c for c in out["claims"] if c["metric"] == "market_cap"], out["findings"]


# 1. point-in-time fields: same date, nearest earlier date, undated vs a series -------------------------------------
def test_dated_claim_uses_the_value_of_its_date(store):
    caps, _ = _caps(store, BIREN, published=dt.date(2026, 1, 6))
    hkd = next(c for c in caps if c["unit"] == "HKD")
    assert hkd["date"] == "2026-01-05"
    assert hkd["verdict"] == "consistent", hkd["why"]
    assert "800亿" not in hkd["why"]  # the 2026-01-06 value is not the value of 2026-01-05


def test_dated_claim_against_a_value_dated_by_its_source(store):
    caps, _ = _caps(store, "截至2026年1月6日，壁仞科技市值近800亿港元")
    assert caps[0]["verdict"] == "consistent", caps[0]["why"]
    assert "source published 2026-01-06" in caps[0]["why"]
    caps, _ = _caps(store, "截至2026年1月6日，壁仞科技市值855.4亿港元")
    assert caps[0]["verdict"] == "inconsistent", caps[0]["why"]
    assert "2026-01-05" not in caps[0]["why"]


def test_dated_claim_falls_back_to_nearest_earlier_value_and_says_so(store):
    caps, _ = _caps(store, "截至2026年1月8日，壁仞科技市值近800亿港元")
    assert caps[0]["verdict"] == "consistent", caps[0]["why"]
    assert "nearest earlier value 2026-01-06" in caps[0]["why"]
    # outside the window: nothing to compare with
    caps, _ = _caps(store, "截至2026年2月20日，壁仞科技市值近800亿港元")
    assert caps[0]["verdict"] == "unverifiable", caps[0]["why"]


def test_undated_claim_against_a_series_is_a_tension(store):
    caps, findings = _caps(store, BIREN)  # no publication date: 1月5日 stays unresolved
    hkd = next(c for c in caps if c["unit"] == "HKD")
    assert hkd["date"] is None
    assert hkd["verdict"] == "tension", hkd["why"]
    assert "dated series" in hkd["why"]
    assert not any(f["verdict"] == "inconsistent" for f in findings)


def test_undated_claim_that_fits_no_value_of_the_series_is_inconsistent(store):
    caps, _ = _caps(store, "壁仞科技市值约300亿港元")
    assert caps[0]["verdict"] == "inconsistent", caps[0]["why"]


# 2. the claim's own conversion uses the rate of its date --------------------------------------------------------------
def _fx(findings):
    return [f for f in findings if f["check"] == "fx"]


def test_fx_pair_uses_the_rate_of_the_claim_date(store):
    _, findings = _caps(store, BIREN, published=dt.date(2026, 1, 6))
    fx = _fx(findings)
    assert fx and "fx_rates row of 2026-01-05" in fx[0]["why"] and "7.7865" in fx[0]["why"]
    assert "2026-02-27" not in fx[0]["why"]


def test_fx_pair_without_a_date_does_not_take_the_latest_row(store):
    _, findings = _caps(store, BIREN)
    fx = _fx(findings)
    assert fx and "2026-02" not in fx[0]["why"]
    assert "no date for the conversion" in fx[0]["why"]


def test_fx_pair_does_not_use_a_stale_rate(store):
    # the last USD/HKD row before 2026-04-30 is 2026-02-27: two months old, not the rate of the day
    _, findings = _caps(store, "截至2026年4月30日，壁仞科技总市值达855.4亿港元，折合约110亿美元")
    fx = _fx(findings)
    assert fx and "2026-02-27" not in fx[0]["why"] and "band" in fx[0]["why"]


# 3. ledger comparison across currencies --------------------------------------------------------------------------------
def test_ledger_comparison_converts_the_claim_at_the_dated_rate(store):
    caps, _ = _caps(store, "截至2026年1月6日，壁仞科技市值约100亿美元")
    why = caps[0]["why"]
    assert caps[0]["verdict"] == "consistent", why  # 100亿美元 × 7.78782 = 778.8亿港元 vs 近800亿港元
    assert "7.78782" in why and "2026-01-06" in why and "fx:ecb-eurofxref" in why and "778.78亿 HKD" in why
    caps, _ = _caps(store, "截至2026年1月6日，壁仞科技市值约150亿美元")
    assert caps[0]["verdict"] == "inconsistent", caps[0]["why"]
    assert "7.78782" in caps[0]["why"]


# 4. readable numbers ----------------------------------------------------------------------------------------------
def test_ledger_values_are_printed_readably(store):
    caps, _ = _caps(store, "截至2026年1月6日，壁仞科技市值855.4亿港元")
    why = caps[0]["why"]
    assert "e+" not in why and "ledger 近800亿 HKD" in why


def test_degenerate_range_prints_one_value(store):
    from ipolens.news.verify import _fmt, _fmt_range

    assert _fmt_range(6.576e9, 6.576e9) == "65.76亿"
    assert _fmt_range(1e9, 2e9) == "10亿–20亿"
    assert _fmt(8e10) == "800亿" and _fmt(8.554e10) == "855.4亿"
    _, findings = _caps(store, BIREN, published=dt.date(2026, 1, 6))
    why = _fx(findings)[0]["why"]
    assert "109.86亿 USD" in why and "109.86亿–109.86亿" not in why
