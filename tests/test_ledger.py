"""Resolution precedence, conflicts, dated series and transactions on a hand-made ledger."""
import pytest

from ipolens.ledger.model import Entity, Fact, FactError, Source
from ipolens.ledger.store import Ledger


@pytest.fixture()
def ledger():
    L = Ledger(":memory:")
    L.add_entities([Entity("HK:09999", "listing", "HK", "09999.HK", "Test Co", "测试")])
    for sid, kind, pub in (("f", "exchange_filing", "2026-01-01"), ("p", "prospectus", "2025-12-01"),
                           ("d", "dataset", "2026-02-01"), ("n1", "news", "2026-01-03"),
                           ("n2", "news", "2026-01-04"), ("x", "derived", "2026-03-01")):
        L.add_source(Source(sid, kind, f"source {sid}", published=pub))
    yield L
    L.close()


def _winner(L, field, date_key=""):
    return L.query("SELECT source_id, value_num FROM resolved WHERE entity='HK:09999' AND field=? AND date_key=?",
                   [field, date_key]).iloc[0].to_dict()


def test_precedence_by_source_kind(ledger):
    ledger.add_facts([Fact("HK:09999", "offer_price", s, value=v, currency="HKD")
                      for s, v in (("x", 10.0), ("n1", 10.1), ("d", 10.2), ("p", 10.3), ("f", 10.4))])
    assert _winner(ledger, "offer_price") == {"source_id": "f", "value_num": 10.4}
    # the losers stay queryable
    assert ledger.query("SELECT count(*) n FROM facts WHERE field='offer_price'").n[0] == 5


def test_newest_wins_within_a_kind_and_exact_beats_hedged(ledger):
    ledger.add_facts([Fact("HK:09999", "cornerstone_count", "n1", value=20),
                      Fact("HK:09999", "cornerstone_count", "n2", value=21)])
    assert _winner(ledger, "cornerstone_count")["source_id"] == "n2"
    ledger.add_facts([Fact("HK:09999", "oversubscription_public", "n2", value=2300, qualifier="more_than"),
                      Fact("HK:09999", "oversubscription_public", "n1", value=2347.5)])
    assert _winner(ledger, "oversubscription_public")["value_num"] == 2347.5


def test_conflicts_respect_qualifiers(ledger):
    ledger.add_facts([
        Fact("HK:09999", "cornerstone_share_of_offer", "d", value=51.93, unit="pct"),
        Fact("HK:09999", "cornerstone_share_of_offer", "n1", value=64, qualifier="about", unit="pct"),
        Fact("HK:09999", "cornerstone_share_of_offer", "n2", value=50, qualifier="more_than", unit="pct"),
        Fact("HK:09999", "first_day_return", "d", value=75.8163, unit="pct"),
        Fact("HK:09999", "first_day_return", "n1", value=75.8, unit="pct", quote="首日涨75.8%"),
    ])
    c = ledger.query("SELECT field, value_a, value_b FROM conflicts")
    # 64 (about) vs 51.93 disagree; >50 agrees with both; 75.8 (a quoted figure: read as written) is 75.8163
    # rounded
    assert len(c) == 1
    assert set(c.iloc[0][["value_a", "value_b"]]) == {51.93, 64.0}


def test_values_on_different_dates_form_a_series_not_a_conflict(ledger):
    ledger.add_facts([
        Fact("HK:09999", "market_cap", "n1", value=85.54e9, currency="HKD", as_of="2026-01-05"),
        Fact("HK:09999", "market_cap", "n2", value=80e9, currency="HKD", qualifier="nearly"),  # dated by source
    ])
    assert ledger.query("SELECT count(*) n FROM conflicts").n[0] == 0
    series = ledger.query("SELECT date_key, value_num FROM resolved WHERE field='market_cap' ORDER BY date_key")
    assert list(series.date_key) == ["2026-01-04", "2026-01-05"]
    best = ledger.query("SELECT value_num FROM best WHERE field='market_cap'").value_num[0]
    assert best == 85.54e9  # exact beats 近


def test_same_date_disagreement_is_a_conflict(ledger):
    ledger.add_facts([
        Fact("HK:09999", "market_cap", "n1", value=85.54e9, currency="HKD", as_of="2026-01-05"),
        Fact("HK:09999", "market_cap", "n2", value=80e9, currency="HKD", qualifier="nearly", as_of="2026-01-05"),
    ])
    assert ledger.query("SELECT count(*) n FROM conflicts").n[0] == 1


def test_text_conflict(ledger):
    ledger.add_facts([Fact("HK:09999", "listing_date", "n1", text="2026-01-02"),
                      Fact("HK:09999", "listing_date", "n2", text="2025-01-02")])
    assert ledger.query("SELECT count(*) n FROM conflicts").n[0] == 1


def test_bad_fact_writes_nothing(ledger):
    good = Fact("HK:09999", "offer_price", "n1", value=1.0, currency="HKD")
    bad = Fact("HK:09999", "offer_price", "n1", value=1.0, currency="EUR")
    with pytest.raises(FactError, match="currency"):
        ledger.add_facts([good, bad])
    assert ledger.query("SELECT count(*) n FROM facts").n[0] == 0


def test_transaction_rolls_back_everything(ledger):
    with pytest.raises(RuntimeError):
        with ledger.transaction():
            ledger.add_facts([Fact("HK:09999", "offer_price", "n1", value=1.0, currency="HKD")])
            raise RuntimeError("boom")
    assert ledger.query("SELECT count(*) n FROM facts").n[0] == 0


@pytest.mark.parametrize("kwargs, msg", [
    (dict(field="offer_price", value=1.0), "currency"),
    (dict(field="no_such_field", value=1.0), "unknown field"),
    (dict(field="cornerstone_count", value=1.0, qualifier="roughly"), "qualifier"),
    (dict(field="cornerstone_count", value=1.0, quote="x" * 81), "quote"),
    (dict(field="cornerstone_count"), "no value"),
    (dict(field="cornerstone_count", value=float("nan")), "finite"),
])
def test_fact_validation(ledger, kwargs, msg):
    with pytest.raises((FactError, KeyError), match=msg):
        ledger.add_facts([Fact("HK:09999", source_id="n1", **kwargs)])


def test_views_pivot_one_row_per_listing(ledger):
    ledger.add_facts([Fact("HK:09999", "offer_price", "d", value=2.0, currency="HKD"),
                      Fact("HK:09999", "listing_date", "d", text="2026-01-02"),
                      Fact("HK:09999", "first_day_return", "d", value=10.0, unit="pct"),
                      Fact("HK:09999", "revenue", "p", value=5e8, currency="CNY", period="FY2024")])
    lst = ledger.query("SELECT * FROM listings")
    assert len(lst) == 1 and lst.offer_price[0] == 2.0 and lst.currency[0] == "HKD"
    assert ledger.query("SELECT first_day_return FROM first_day").iloc[0, 0] == 10.0
    fin = ledger.query("SELECT period, revenue, currency FROM financials").iloc[0].to_dict()
    assert fin == {"period": "FY2024", "revenue": 5e8, "currency": "CNY"}


def test_file_store_persists(tmp_path):
    p = tmp_path / "x.duckdb"
    L = Ledger(p)
    L.add_source(Source("s", "user", "t"))
    L.add_facts([Fact("HK:00001", "cornerstone_count", "s", value=3)])
    L.close()
    L2 = Ledger(p)
    assert L2.query("SELECT value_num FROM facts").iloc[0, 0] == 3
    L2.close()


def test_derived_facts_name_inputs_and_surface_conflicts(fresh_store):
    import json

    from ipolens.app.profile import conflicts, facts

    c = conflicts(fresh_store, "688795").rows
    row = c[c.field == "first_day_return"].iloc[0]
    assert {row.source_a, row.source_b} == {"news:2025-12-biren-ipo-launch", "derived:ipolens"}
    f = facts(fresh_store, "6082.HK", "first_day_open_return").rows
    d = f[f.source_id == "derived:ipolens"].iloc[0]
    assert abs(d.value - (35.7 / 19.6 - 1) * 100) < 1e-9
    inputs = json.loads(d.derived_from)["facts"]
    with fresh_store.read() as led:
        got = led.query("SELECT field, value_num FROM facts WHERE id IN (?, ?) ORDER BY field", inputs)
    assert list(got.field) == ["offer_price", "open_price"]
    # a derivation never wins resolution over a stated value
    assert not d.is_resolved
    # and the set is rebuilt, not duplicated, by every write
    count = "SELECT count(*) n FROM facts WHERE source_id = 'derived:ipolens'"
    with fresh_store.read() as led:
        n = led.query(count).n[0]
    with fresh_store.write():
        pass
    with fresh_store.read() as led:
        assert led.query(count).n[0] == n > 0


@pytest.mark.parametrize("stated_by, winner", [("n1", "derived:ipolens"), ("d", "d")])
def test_recomputation_outranks_a_weaker_stated_figure_only(ledger, stated_by, winner):
    """close 12 / offer 10 from the data set gives +20%. A news article's "+30%" loses to that recomputation;
    the data set's own "+30%" (as strong as the prices) keeps its place. Either way both stay, as a conflict."""
    from ipolens.ledger.derived import refresh_derived
    from ipolens.app.profile import profile_from

    ledger.add_facts([Fact("HK:09999", "offer_price", "d", value=10.0, currency="HKD"),
                      Fact("HK:09999", "close_price", "d", value=12.0, currency="HKD"),
                      Fact("HK:09999", "first_day_return", stated_by, value=30.0, unit="pct")])
    with ledger.transaction():
        refresh_derived(ledger)
    w = _winner(ledger, "first_day_return")
    assert w["source_id"] == winner and w["value_num"] == pytest.approx(20.0 if winner != "d" else 30.0)
    assert len(ledger.query("SELECT * FROM conflicts WHERE entity = 'HK:09999' AND field = 'first_day_return'")) > 0
    fd = profile_from(ledger, "HK:09999").first_day["first_day_return"]
    if winner == "d":  # the profile shows the same winner, with the recomputation beside it
        assert fd["value"] == 30.0 and fd["recomputed"]["value"] == pytest.approx(20.0)
    else:
        assert fd["basis"] == "derived" and fd["value"] == pytest.approx(20.0)
        assert fd["stated_values"][0]["agrees_with_derived"] is False


def test_a_sources_own_conversion_ranks_after_its_base_figure(ledger):
    """A valuation of about 512亿 HKD restated as about 70亿 USD: the article's USD conversion must not displace the HKD figure it came from."""
    ledger.add_facts([Fact("HK:09999", "valuation", "n1", value=51.2e9, currency="HKD", qualifier="about",
                           claim_type="forecast"),
                      Fact("HK:09999", "valuation", "n1", value=7e9, currency="USD", qualifier="about",
                           claim_type="derived_in_text")])
    assert _winner(ledger, "valuation") == {"source_id": "n1", "value_num": 51.2e9}
