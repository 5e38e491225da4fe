"""Conflicts across currencies, through the dated FX table: an article's own conversion (Zhipu's about
512亿 HKD given as about 70亿 USD), and independent values on hand-made ledgers."""
from __future__ import annotations

import pytest

from ipolens.analytics.fx import FxTable
from ipolens.analytics.fx_conflicts import fx_conflicts as _fx_conflicts
from ipolens.ledger.model import Entity, Fact, Source
from ipolens.ledger.queries.fx import fx_rates
from ipolens.ledger.queries.ledger import cross_currency_pairs
from ipolens.ledger.store import Ledger


def fx_conflicts(led: Ledger):
    """The pure check on the ledger's candidate pairs and its FX table."""
    return _fx_conflicts(cross_currency_pairs(led), FxTable(fx_rates(led)))


def test_zhipu_in_text_conversion_is_a_conflict(db):
    rows = db.conflicts("2513.HK")
    fx = rows[rows["fx_rate_lo"].notna()]
    assert len(fx) == 1
    r = fx.iloc[0]
    assert (r["value_a"], r["currency_a"], r["value_b"], r["currency_b"]) == (51.2e9, "HKD", 7e9, "USD")
    # 约70亿美元 admits 66.5亿-73.5亿 USD; at the ECB's USD/HKD of 2026-01-05..07 (about 7.787) that is at least
    # 66.5亿 x 7.786 = 517.8亿 HKD, above the 512亿 it was converted from
    assert r["value_b_converted_lo"] == pytest.approx(6.65e9 * r["fx_rate_lo"])
    assert 7.78 < r["fx_rate_lo"] <= r["fx_rate_hi"] < 7.80 and r["value_b_converted_lo"] > 51.2e9
    assert r["fx_dates"] == "2026-01-05..2026-01-07" and r["fx_source"] == "fx:ecb-eurofxref"


def _ledger(usd_value: float, published: str | None, date_note: str | None = None) -> Ledger:
    L = Ledger(":memory:")
    L.add_entities([Entity("HK:09999", "listing", "HK", "09999.HK", "Test Co", "测试")])
    L.add_source(Source("fx:test", "dataset", "test rates"))
    L.con.execute("INSERT INTO fx_rates (date, base, quote, rate, source_id) VALUES "
                  "('2026-01-05', 'USD', 'HKD', 7.8, 'fx:test'), ('2026-01-06', 'USD', 'HKD', 7.75, 'fx:test')")
    L.add_source(Source("n1", "news", "one", published=published, date_note=date_note))
    L.add_source(Source("n2", "news", "two", published=published, date_note=date_note))
    L.add_facts([Fact("HK:09999", "market_cap", "n1", value=100e8, currency="HKD", qualifier="about"),
                 Fact("HK:09999", "market_cap", "n2", value=usd_value, currency="USD", qualifier="about")])
    return L


# 约100亿 HKD admits 95亿-105亿; 约X USD admits 0.95X-1.05X, converted at the dated rate.
@pytest.mark.parametrize("usd, conflict", [
    (12.9e8, False),  # 12.255亿-13.545亿 x 7.8 = 95.59亿-105.65亿: overlaps
    (15.0e8, True),   # 14.25亿-15.75亿 x 7.8 = 111.15亿-122.85亿: above 105亿
    (11.0e8, True),   # 10.45亿-11.55亿 x 7.8 = 81.51亿-90.09亿: below 95亿
])
def test_independent_values_need_overlapping_intervals(usd, conflict):
    rows = fx_conflicts(_ledger(usd, "2026-01-05"))
    assert len(rows) == (1 if conflict else 0)
    if conflict:
        assert rows.iloc[0]["fx_rate_lo"] == 7.8 and rows.iloc[0]["fx_dates"] == "2026-01-05"


def test_an_evidence_window_needs_disagreement_at_every_rate():
    # 约14.2亿 USD is at least 13.49亿: x 7.8 (2026-01-05) = 105.22亿, above 约100亿's 105亿; x 7.75 (01-06) =
    # 104.55亿, inside it. Dated 01-05 it is a conflict; in the window 01-05..01-06 it is not.
    assert len(fx_conflicts(_ledger(14.2e8, "2026-01-05"))) == 1
    undated = _ledger(14.2e8, None, "no printed date; internal evidence puts it at 2026-01-05..2026-01-06")
    assert len(fx_conflicts(undated)) == 0
    assert len(fx_conflicts(_ledger(15.0e8, None, "no printed date; internal evidence puts it at "
                                               "2026-01-05..2026-01-06"))) == 1


def test_an_undated_pair_is_not_checked():
    assert len(fx_conflicts(_ledger(15.0e8, None))) == 0  # no date, no honest rate


def test_conflicts_cli_shows_the_conversion(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    r = run_cli("--lang", "en", "conflicts", "2513.HK")
    assert r.exit_code == 0
    # the ledger: about 512亿 HKD vs about 70亿 USD; "about" = 66.5亿-73.5亿, x 7.7864-7.7878 (ECB cross rates) = 51.78bn-57.24bn
    assert "about HKD 51.20bn" in r.output and "fx:ecb-eurofxref" in r.output
    assert "about USD 7.00bn = HKD 51.78bn–HKD 57.24bn at 1 USD = 7.7864–7.7878 HKD" in r.output
