"""Public-tranche regimes: ladders by hand, the 2026 final/initial identity, regime inference."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from ipolens.hk.regimes import UnknownRegime, parse_ladder, regime, regimes
from ipolens.hk.tranche import allocate, infer_regime


def _listing(store, text: str) -> dict:
    from ipolens.ledger.queries.hk import listing

    with store.read() as led:
        return listing(led, led.resolve_entity(text))


def _hk_ipos(store):
    from ipolens.ledger.queries.hk import market_ipos

    with store.read() as led:
        return market_ipos(led, "HK")


def test_acceptance_18c_biren_numbers():
    r = allocate("18c", 5, 2347.53)
    assert r.final_pct == 20.0
    assert r.multiplier == 4.0


def test_pn18_120x_from_10pct_gives_50pct():
    r = allocate("pn18", 10, 120)
    assert r.final_pct == 50.0 and r.multiplier == 5.0


@pytest.mark.parametrize("x,expected", [(0.5, 10), (14.99, 10), (15, 30), (49.99, 30), (50, 40), (99.99, 40),
                                        (100, 50), (5000, 50)])
def test_pn18_ladder_boundaries(x, expected):
    # PN18 table: <15x 10%; >=15x 30%; >=50x 40%; >=100x 50%
    assert allocate("pn18", 10, x).final_pct == expected


@pytest.mark.parametrize("x,expected", [(9.99, 5), (10, 10), (22.55, 10), (49.99, 10), (50, 20), (1159.46, 20)])
def test_18c_ladder(x, expected):
    assert allocate("18c", 5, x).final_pct == expected


@pytest.mark.parametrize("x,expected", [(1, 5), (15, 15), (50, 25), (100, 35), (1e5, 35)])
def test_mechanism_a(x, expected):
    assert allocate("2025a", 5, x).final_pct == expected


@given(x=st.floats(min_value=0, max_value=1e6, allow_nan=False), ini=st.floats(min_value=10, max_value=60))
def test_mechanism_b_never_moves(x, ini):
    r = allocate("2025b", ini, x)
    assert r.final_pct == pytest.approx(ini) and r.multiplier == pytest.approx(1.0)


@given(x1=st.floats(0, 1e5, allow_nan=False), x2=st.floats(0, 1e5, allow_nan=False),
       rid=st.sampled_from(["pn18", "2025a", "18c", "pn18-ld60-2"]))
def test_tranche_monotone_in_demand(x1, x2, rid):
    lo, hi = sorted((x1, x2))
    a, b = allocate(rid, None, lo), allocate(rid, None, hi)
    assert a.final_pct <= b.final_pct
    assert a.final_pct >= a.initial_pct


def test_share_counts():
    r = allocate("pn18", 10, 60, offer_shares=1_000_000)
    assert (r.initial_shares, r.final_shares) == (100_000, 400_000)


def test_identity_over_2026_rows(store):
    """final/initial public shares from the data (aggregate allocation x demand) equals the engine's multiplier."""
    df = _hk_ipos(store)
    rows = df[df["listing_date"] >= dt.date(2026, 1, 1)]
    assert len(rows) == 8
    seen = set()
    for _, row in rows.iterrows():
        listing = _listing(store, row["code"])
        rid, _ = infer_regime(listing)
        res = allocate(rid, listing["initial_public_pct"], listing["oversubscription_public"])
        observed = row["aggregate_allocation_pct"] / 100 * row["oversubscription_public"]
        assert res.multiplier == pytest.approx(observed, abs=2e-3), row["code"]
        seen.add((rid, round(observed)))
    assert seen == {("18c", 4), ("2025b", 1)}


def test_infer_regime_rules():
    assert infer_regime({"listing_date": dt.date(2020, 5, 1)})[0] == "pn18"
    assert infer_regime({"listing_date": dt.date(2024, 1, 2), "route": "18C specialist tech"})[0] == "18c"
    assert infer_regime({"listing_date": dt.date(2026, 1, 8), "initial_public_pct": 10.0001,
                         "final_public_pct": 10.0001})[0] == "2025b"
    assert infer_regime({"listing_date": dt.date(2025, 9, 1), "initial_public_pct": 5})[0] == "2025a"
    with pytest.raises(ValueError):
        infer_regime({"listing_date": dt.date(2025, 9, 1)})


def test_biren_from_ledger(store):
    listing = _listing(store, "壁仞")
    rid, _ = infer_regime(listing)
    r = allocate(rid, listing["initial_public_pct"], listing["oversubscription_public"])
    assert (rid, r.final_pct, r.multiplier) == ("18c", 20.0, 4.0)


def test_bad_inputs():
    with pytest.raises(UnknownRegime):
        regime("pn19")
    with pytest.raises(ValueError):
        allocate("pn18", 10, -1)
    with pytest.raises(ValueError):
        allocate("2025b", 70, 10)  # above the 60% cap
    with pytest.raises(ValueError):
        parse_ladder("15-30")
    with pytest.raises(ValueError):
        parse_ladder("15:40,50:30")


def test_custom_ladder_and_data_files():
    lad = parse_ladder("14:18,45:23,90:40")  # 02460's waiver ladder as printed by AAStocks
    reg = regime("pn18").with_ladder(lad)
    assert allocate(reg, 10, 44.9).final_pct == 18
    assert allocate(reg, 95, 95).final_pct == 95  # never below the initial tranche
    for r in regimes().values():
        assert r.source and r.version
    assert regime("2025a").unconfirmed and regime("18c").unconfirmed


def test_placing_reallocation_cap_is_a_flagged_parameter():
    reg = regime("2025a")
    # rules doc 1.2: whether the cap was cut from 30% to 15% is UNCONFIRMED; the regime carries 15 and flags it
    assert reg.placing_cap_pct == 15
    assert any("undersubscribed placing" in u["item"] for u in reg.unconfirmed)
    r = allocate(reg, 5, 3)
    assert r.placing_reallocation_cap_pct == 15 and r.final_pct == 5  # reported, not applied
    assert any("not modelled" in n for n in r.notes)
    r = allocate(reg.with_placing_cap(30), 5, 3)
    assert r.placing_reallocation_cap_pct == 30 and r.regime == "2025a"
    assert regime("2025b").placing_cap_pct is None  # Mechanism B: no reallocation at all


def test_initial_public_shares_snaps_like_allocate():
    from ipolens.hk.tranche import initial_public_shares

    # 284,846,600 x 5% = 14,242,330 (5.0001% is a share ratio within 0.01 pp of the 18c base)
    assert initial_public_shares(regime("18c"), 5.0001, 284_846_600) == 14_242_330
    assert allocate("18c", 5.0001, 2347.53, 284_846_600).initial_shares == 14_242_330
    assert initial_public_shares(regime("pn18"), 12.5, 1_000_000) == 125_000


def test_infer_uses_the_final_allocation_where_the_date_does_not_decide():
    from ipolens.hk.tranche import infer, is_18c

    # undated, initial 10%, 120x: PN18 gives 50% (x5), Mechanism B 10% (x1); allocation 5/120 x 100 % -> x5: PN18
    row = {"initial_public_pct": 10, "oversubscription_public": 120, "aggregate_allocation_pct": 100 * 5 / 120}
    assert infer(row).regime == "pn18"
    assert infer({**row, "aggregate_allocation_pct": 100 / 120}).regime == "2025b"
    # listed 2025-08-08, four days after the reform: a prospectus may predate it; x3 at 20x is PN18's 30%
    row = {"listing_date": dt.date(2025, 8, 8), "initial_public_pct": 10, "oversubscription_public": 20,
           "aggregate_allocation_pct": 15.0}
    assert infer(row).regime == "pn18"
    # only a stated final % of an offer upsized by 15%: 20 / 1.15 = 17.39 fits 18C's 20% at 2,347x
    assert infer({"route": "Chapter 18C", "initial_public_pct": 5, "oversubscription_public": 2347.53,
                  "final_public_pct": 17.3913}).regime == "18c"
    # nothing to decide with and different tranches: refused, naming the candidates
    with pytest.raises(ValueError, match="pn18|2025b"):
        infer({"initial_public_pct": 10, "oversubscription_public": 120})
    assert is_18c("特专科技(18C)") and is_18c(None, "18c") and not is_18c("118C") and not is_18c("Conventional")
