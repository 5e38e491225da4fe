"""Pool A/B and the ballot: hypothesis properties plus small cases worked by hand."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from ipolens.hk.pools import Bracket, allocate_pool, ballot, simulate, split_pools, standard_brackets

brackets_st = st.lists(st.builds(Bracket, lots=st.integers(1, 400), applicants=st.integers(0, 5000)),
                       min_size=1, max_size=12, unique_by=lambda b: b.lots)


@settings(max_examples=150, deadline=None)
@given(tranche=st.integers(0, 2_000_000), lot=st.sampled_from([100, 200, 500, 1000, 2000]),
       price=st.floats(0.2, 500), brackets=brackets_st, alpha=st.floats(0.2, 1.0))
def test_ballot_properties(tranche, lot, price, brackets, alpha):
    res = ballot(tranche, lot, price, brackets, alpha=alpha)
    # allotted never exceeds the tranche, and allotted + unallotted conserve it
    assert 0 <= res.allotted_shares <= tranche
    assert res.allotted_shares + res.unallotted_shares == tranche
    # pools conserve shares: both pools plus the odd shares are the tranche
    assert (res.pool_a_lots + res.pool_b_lots) * lot + res.odd_shares == tranche
    assert sum(r.allotted_lots for r in res.brackets if r.pool == "A") <= res.pool_a_lots
    assert sum(r.allotted_lots for r in res.brackets if r.pool == "B") <= res.pool_b_lots
    for r in res.brackets:
        assert 0 <= r.p_at_least_one <= 1 and 0 <= r.p_extra <= 1
        # nobody gets more than applied for, even with the extra lot
        assert r.guaranteed_lots + (1 if r.extra_winners else 0) <= r.lots
        assert 0 <= r.extra_winners <= r.applicants
        assert r.expected_lots <= r.lots + 1e-12
    # a seeded draw hands out exactly the closed-form lots
    draw = simulate(res, seed=7)
    assert sum(int(v.sum()) for v in draw.values()) * lot == res.allotted_shares
    for r in res.brackets:
        assert (draw[r.lots] <= r.lots).all()


@settings(max_examples=100, deadline=None)
@given(brackets=brackets_st, supply=st.integers(0, 200_000), alpha=st.floats(0.2, 1.0))
def test_pool_clears_when_oversubscribed(brackets, supply, alpha):
    res = allocate_pool(brackets, supply, alpha)
    demand = sum(b.lots * b.applicants for b in brackets)
    allotted = sum(r.allotted_lots for r in res)
    assert allotted == min(demand, supply)  # whole lots by largest remainder leave nothing over


@settings(max_examples=100, deadline=None)
@given(brackets=brackets_st, tranche_lots=st.integers(2, 100_000), alpha=st.floats(0.2, 1.0))
def test_whole_lots_track_closed_form(brackets, tranche_lots, alpha):
    # price 1.0 and lot 100 keep every application in Pool A; no cap
    res = ballot(tranche_lots * 100, 100, 1.0, brackets, alpha=alpha, max_application_shares=10**9)
    closed = [res.odds_for(r.lots)["expected_lots"] for r in sorted(res.brackets, key=lambda r: r.lots)]
    # the closed-form basis favours larger applications (never lower expected lots)
    assert all(b >= a - 1e-9 for a, b in zip(closed, closed[1:]))
    for r, e in zip(sorted(res.brackets, key=lambda r: r.lots), closed):
        if r.applicants:
            # whole-lot winners differ from the closed form by at most one lot over the bracket
            assert abs(r.expected_lots - e) <= 1 / r.applicants + 1e-7


def test_pro_rata_by_hand():
    # alpha = 1 is pro rata: 100 lots for 1,000 applicants of 1 lot and 100 of 10 lots (demand 2,000 lots)
    # -> each gets 5% of the applied lots: 1-lot applicants 0.05 lots (50 winners), 10-lot 0.5 (50 winners)
    res = allocate_pool([Bracket(1, 1000), Bracket(10, 100)], 100, alpha=1.0)
    one, ten = res
    assert (one.extra_winners, one.guaranteed_lots) == (50, 0)
    assert (ten.extra_winners, ten.guaranteed_lots) == (50, 0)
    assert one.p_at_least_one == pytest.approx(0.05) and ten.p_at_least_one == pytest.approx(0.5)


def test_concave_basis_by_hand():
    # alpha = 0.5: E(k) = c*sqrt(k). 1,000 x 1 lot and 100 x 16 lots, 300 lots:
    # 1000c + 100*4c = 300 -> c = 3/14; 1-lot E = 0.2142857 -> 214 winners; 16-lot E = 0.857 -> 85 winners
    # one lot left over goes to the larger remainder (16-lot: 0.714 vs 1-lot: 0.286)
    one, big = allocate_pool([Bracket(1, 1000), Bracket(16, 100)], 300, alpha=0.5)
    assert one.extra_winners == 214
    assert big.extra_winners == 86
    assert one.allotted_lots + big.allotted_lots == 300


def test_pools_split_and_surplus():
    assert split_pools(11_500, 1000) == (6, 5, 500)  # 11 whole lots, the odd lot to Pool A
    # Pool A (<= HK$5m) has 1 applicant of 1 lot; Pool B demand is large: A's surplus moves to B
    res = ballot(20_000, 1000, 1000.0, [Bracket(1, 1), Bracket(6, 100)], alpha=1.0, max_application_shares=10_000)
    # 1 lot x 1000 sh x HK$1000 = HK$1m -> A; 6 lots = HK$6m -> B
    assert res.pool_a_lots == 1 and res.pool_b_lots == 19
    assert res.bracket(1).allotted_lots == 1
    assert res.bracket(6).allotted_lots == 19


def test_rejects_applications_above_one_pool():
    res = ballot(10_000, 100, 1.0, [Bracket(1, 10), Bracket(60, 5)])
    # pool B holds 50 lots -> a 60-lot application exceeds it
    assert res.rejected_applicants == 5
    assert res.bracket(60) is None


def test_undersubscribed_everyone_filled():
    res = ballot(100_000, 100, 2.0, [Bracket(1, 10), Bracket(5, 10)])
    for r in res.brackets:
        assert r.guaranteed_lots == r.lots and r.p_at_least_one == 1.0
    assert res.unallotted_shares == 100_000 - 60 * 100


def test_odds_for_matches_pool_level():
    res = ballot(100_000, 100, 2.0, [Bracket(1, 5000), Bracket(10, 1000)], alpha=1.0)
    # demand 15,000 lots for 1,000 lots -> pro rata 1/15 in the single pool (all in A)
    o = res.odds_for(3)
    assert o["pool"] == "A" and o["expected_lots"] == pytest.approx(3 / 15)


def test_standard_brackets():
    b = standard_brackets(1000)
    assert b[:12] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20] and b[-1] == 1000
    assert list(np.diff(b)).count(0) == 0


def test_bad_input():
    with pytest.raises(ValueError):
        ballot(1000, 0, 1.0, [Bracket(1, 1)])
    with pytest.raises(ValueError):
        ballot(1000, 100, 1.0, [Bracket(0, 1)])
    with pytest.raises(ValueError):
        ballot(1000, 100, 1.0, [Bracket(1, -1)])


@settings(max_examples=40, deadline=None)
@given(x=st.floats(0, 5000), lot=st.sampled_from([100, 200, 500, 1000, 4000, 10000]), price=st.floats(0.1, 300),
       rid=st.sampled_from(["pn18", "2025a", "18c"]))
def test_deal_model_properties(x, lot, price, rid):
    from ipolens.hk.odds import deal_odds

    d = deal_odds(x, lot, price, regime=rid, initial_tranche_shares=200 * lot)
    b = d.ballot
    assert b.allotted_shares + b.unallotted_shares == b.tranche_shares
    assert b.tranche_shares == round(200 * lot * d.tranche.multiplier)
    assert 0 <= d.one_lot_rate() <= 1
    for r in b.brackets:
        assert r.guaranteed_lots + (1 if r.extra_winners else 0) <= r.lots
        assert r.lots <= 100  # nobody above one pool of the initial tranche (100 lots)


def test_max_application_is_half_the_original_tranche():
    # initial tranche 10,000 shares = 100 lots of 100 -> one pool originally 50 lots (5,000 shares).
    # After a 3x clawback the tranche is 30,000 shares (150 lots a pool), but a 100-lot application still exceeds
    # the original pool and is rejected (PN18 para 3); 50 lots is accepted.
    res = ballot(30_000, 100, 1.0, [Bracket(1, 10), Bracket(50, 3), Bracket(100, 5)], initial_tranche_shares=10_000)
    assert res.max_application_shares == 5_000
    assert res.rejected_applicants == 5 and res.bracket(100) is None and res.bracket(50) is not None
    assert res.odds_for(51)["rejected"] and not res.odds_for(50)["rejected"]
    # without an initial tranche the one given is taken as the initial one (nothing reallocated)
    assert ballot(30_000, 100, 1.0, [Bracket(1, 1)]).max_application_shares == 15_000


def test_one_lot_rate_without_a_one_lot_bracket():
    from ipolens.hk.odds import deal_odds, model

    # 100,000 initial shares (100 lots of 1,000), 15x under PN18 -> 30% = 3x -> 300 lots, all in Pool A (HK$20k max)
    # after Pool B's unused lots move over. Spread 1,000 x 2 lots + 100 x 10 lots (3,000 lots of demand):
    # c (1000 * 2^a + 100 * 10^a) = 300, and a 1-lot application expects min(1, c * 1^a) = c lots.
    d = deal_odds(15, 1000, 2.0, regime="pn18", initial_tranche_shares=100_000,
                  brackets=[Bracket(2, 1000), Bracket(10, 100)])
    a = model().alpha
    c = 300 / (1000 * 2 ** a + 100 * 10 ** a)
    assert d.ballot.bracket(1) is None
    assert d.one_lot_rate() == pytest.approx(c) and d.one_lot_rate() < 1
    assert d.one_lot_rate() == d.ballot.odds_for(1)["p_at_least_one"]


def test_parse_brackets():
    from ipolens.hk.pools import Bracket, parse_brackets

    assert parse_brackets("1:50000, 10:2000") == [Bracket(1, 50_000), Bracket(10, 2_000)]
    for bad in ("1:x", "0:10", "1:-1", "", "5"):
        with pytest.raises(ValueError):
            parse_brackets(bad)
