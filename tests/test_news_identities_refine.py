"""A coarsely written deal term narrowed by an identity over finer figures serves other identities
(identities._refine, identities.yaml ``refinable``).

Invented sentence: "It sold 25 million shares for $20 apiece, netting $475.0 million after $30.0 million of underwriting
fees; at the next day's $40 close the same shares would have fetched $X." Every expected verdict is worked by hand.
"""
import pytest

from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, half):
    pos = n * 20
    return Claim(id=f"r#{n}", article="r", entity="Some Co", entity_key="US:SOME", code=None, metric=metric,
                 value=value, unit=unit, qualifier="exact", start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence="one sentence", _nstart=pos, _nend=pos + 5, _resn=half)


def _deal(fetched, half):
    return [claim(1, "shares_offered", 25e6, "shares", 0.5e6),  # '25 million': 24.5m..25.5m
            claim(2, "offer_price", 20, "USD", 0.5),  # a quoted price: exact as written
            claim(3, "proceeds_net", 475.0e6, "USD", 0.05e6),
            claim(4, "underwriting_fees", 30.0e6, "USD", 0.05e6),
            claim(5, "close_price", 40, "USD", 0.5),
            claim(6, "hypothetical_proceeds", fetched, "USD", half)]


# shares = (net + fees) / price = (474.95m..475.05m + 29.95m..30.05m) / 20 = 25.245m..25.255m, inside 24.5m..25.5m;
# at $40 they fetch 1.0098bn..1.0102bn. The coarse 25 million alone would allow 0.98bn..1.02bn.
def test_the_narrowed_share_count_confirms_the_right_figure():
    cs = _deal(1.01e9, 0.005e9)  # '$1.01 billion': 1.005bn..1.015bn
    verify({"r": cs})
    assert cs[5].verdict == "consistent" and "narrowed" in cs[5].why


def test_a_figure_only_the_coarse_count_admits_is_flagged():
    cs = _deal(1.015e9, 0.0005e9)  # '$1.015 billion': 1.0145bn..1.0155bn, inside 0.98..1.02 but not 1.0098..1.0102
    verify({"r": cs})
    # the narrowed count is derived, not stated: a tension, not an error
    assert cs[5].verdict == "tension" and "derived" in cs[5].why


def test_the_figures_that_narrow_are_not_checked_by_their_own_narrowing():
    cs = _deal(1.01e9, 0.005e9)
    verify({"r": cs})
    # the net is checked with the stated 25 million: 20 x 24.5m..25.5m − 30m = 460m..480m holds 475.0m
    assert cs[2].verdict == "consistent" and "narrowed" not in cs[2].why.split("|")[0]
    assert all(c.verdict not in FLAGS for c in cs[:5])
