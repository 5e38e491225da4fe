"""A money figure's window is searched only with the cues of roles its size fits (a per-share price is small, a deal
amount large): the pick equals the one made from every cue's hit, the unfit ones dropped by the decision itself."""
from hypothesis import given, settings, strategies as st

from ipolens.news.roles import Pick, lexicon

_PIECES = sorted({c.example.split("{")[0] for c in lexicon().cues if "{" in c.example})
_VALUES = st.sampled_from([None, 0.0, 5.2, 88.0, 9_999.0, 10_000.0, 3.5e6, 1.2e9, -7.0, float("nan")])


def _reference(lex, kind, before, starts, value):
    every = [i for i, c in enumerate(lex._by_kind.get(kind, ())) if c.side == "before"]  # no filter at all
    for s in starts:
        pick = lex._decide(lex._before_hits(kind, before[s:], every), value)
        if pick.metric or pick.conflict:
            return pick
    return Pick(None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.sampled_from(["，", "约", "为", " ", "12.5港元"]), min_size=1,
                max_size=5).map("".join), _VALUES, st.data())
def test_pick_with_the_size_filter_equals_every_cue(before, value, data):
    lex = lexicon()
    lex.forget()
    starts = tuple(sorted(data.draw(st.lists(st.integers(0, len(before)), min_size=1, max_size=3)), reverse=True))
    assert lex.pick_nested("money", before, starts, "", value) == _reference(lex, "money", before, starts, value)


def test_a_remembered_window_is_not_reused_for_another_size():
    """The same words before a price and before an amount: each gets the role its own size fits."""
    lex = lexicon()
    lex.forget()
    amount = lex.pick_nested("money", "发行价为", (0,), "", 3.0e9)  # (first: its search skips the price cues)
    price = lex.pick_nested("money", "发行价为", (0,), "", 12.5)
    assert price == _reference(lex, "money", "发行价为", (0,), 12.5)
    assert amount == _reference(lex, "money", "发行价为", (0,), 3.0e9)
    assert price.metric == "offer_price" and amount.metric != "offer_price"
