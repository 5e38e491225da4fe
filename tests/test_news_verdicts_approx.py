"""An approximate input is the suspect of a mismatch (it may be another quantity, a rumoured size) unless an exact
identity confirms it; then the mismatch stands as a tension (verdicts._judge_confirmed_inputs).

Invented sentence: "The group sells about 2.00亿 shares at HK$10.00, 10% of them (2000.0万 shares) to the public;
it raises 25.0亿." Every expected verdict is worked by hand in the comment above it.
"""
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, qualifier="exact", half=None):
    pos = n * 20
    return Claim(id=f"a#{n}", article="a", entity="某集团", entity_key="HK:08888", code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=f"{metric} {value:g}",
                 sentence="某集团的一句话", _nstart=pos, _nend=pos + 5, _resn=half)


def _deal(gross, with_tranche=True):
    cs = [claim(1, "shares_offered", 2.00e8, "shares", "about", half=0.005e8),  # 约2.00亿: 1.90亿..2.10亿 (±5%)
          claim(2, "offer_price", 10.0, "HKD", half=0.05),
          claim(3, "proceeds_gross", gross, "HKD", half=0.05e8)]
    if with_tranche:
        # 2000.0万 public shares / 10% = 2.000亿 (1.9995亿..2.0005亿): the approximate share count is confirmed
        cs += [claim(4, "public_tranche_shares", 2000.0e4, "shares", half=0.05e4),
               claim(5, "public_tranche_pct", 10, "pct", half=0.5)]
    return cs


def test_a_confirmed_approximate_input_does_not_excuse_the_mismatch():
    # 10.00 x 1.90亿..2.10亿 = 19.0亿..21.0亿; a stated 25.0亿 (24.95亿..25.05亿) lies outside: the share count is
    # confirmed by the tranche (2000万 / 10%), so the 25.0亿 is the suspect; approximate input: a tension. The
    # tranche also gives the raise from exact inputs alone (2000.0万 / 9.5%..10.5% x 10.00 = 19.05亿..21.05亿): that
    # contradiction is of exact inputs, so the raise is inconsistent, and the tension stays in its why
    cs = _deal(25.0e8)
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent" and "confirmed elsewhere" in cs[2].why


def test_the_correct_raise_is_not_flagged():
    # 20.0亿 lies inside 19.0亿..21.0亿
    cs = _deal(20.0e8)
    verify({"a": cs})
    assert cs[2].verdict == "consistent"


def test_an_unconfirmed_approximate_input_stays_the_suspect():
    # without the tranche nothing confirms 约2.00亿: it may be another quantity, the 25.0亿 is not judged
    cs = _deal(25.0e8, with_tranche=False)
    verify({"a": cs})
    assert cs[2].verdict not in FLAGS and "suspect" in cs[2].why
