"""Which member of a failing relation is flagged (verdicts._suspects): evidence first (a member whose digits are the
relation's value swapped), then the fewest slips, then the computed side; a pair that no evidence tells apart is one
finding about both figures (the computed side inconsistent; the other is not flagged, its why names the suspect: a
second flag on one failing relation is wrong at least half the time). Invented figures; every
expected verdict is worked by hand in the comment above it."""
from ipolens.news.extract import Claim
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def claim(n, metric, value, unit, qualifier="exact", half=None, at=None, sentence="某公司的一句话", date=None,
          entity="HK:09999"):
    pos = n * 20 if at is None else at
    return Claim(id=f"t#{n}", article="t", entity="某公司" if entity else None, entity_key=entity, code=None,
                 metric=metric, value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5,
                 quote=f"{metric} {value:g}", sentence=sentence, date=date, _nstart=pos, _nend=pos + 5, _resn=half)


def test_a_swapped_figure_is_a_slip_before_the_fewest_slips():
    # "发行价9.00元, 收报11.11元, 涨24.3%, 每手1000股赚2200元": 11.11 / 9.00 − 1 = 23.44%, written 24.3% (two
    # neighbouring digits swapped; the close 24.3% needs, 11.19, and the offer it needs, 8.94, are no swaps);
    # (11.11 − 9.00) x 1000 = 2110, not 2200. One slip in the offer or the close would explain both failures, but
    # the swapped 24.3% is a slip by itself: it and the per-lot gain (the other relation's computed side) are
    # flagged, the offer and the close are not
    cs = [claim(1, "offer_price", 9.00, "HKD", half=0.005), claim(2, "close_price", 11.11, "HKD", half=0.005),
          claim(3, "first_day_return", 24.3, "pct", half=0.05), claim(4, "lot_size", 1000, "shares", half=0.5),
          claim(5, "gain_per_lot", 2200, "HKD", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent" and "swapped" in cs[2].why
    assert cs[4].verdict == "inconsistent"
    assert cs[0].verdict not in FLAGS and cs[1].verdict not in FLAGS


def test_a_pair_no_evidence_tells_apart_is_flagged_as_one_finding():
    # offer 263 stated twice (the restatement supports it); close 306.6 and return 16.4%: 306.6 / 263 − 1 = 16.58%,
    # and 16.4% needs a close of 306.13. Nothing else supports either: the return (computed) is inconsistent, the
    # close is left unjudged (not flagged) with a why naming the return
    cs = [claim(1, "offer_price", 263, "HKD", half=0.5), claim(2, "close_price", 306.6, "HKD", half=0.05),
          claim(3, "first_day_return", 16.4, "pct", half=0.05),
          claim(4, "offer_price", 263, "HKD", half=0.5, at=200, sentence="另一句")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "unverifiable" and "t#3: either may be the slip" in cs[1].why


def test_a_correct_pair_is_not_flagged():
    # the same with a close of 306.2: 306.2 / 263 − 1 = 16.43%, which 16.4% (16.35–16.45) admits
    cs = [claim(1, "offer_price", 263, "HKD", half=0.5), claim(2, "close_price", 306.2, "HKD", half=0.05),
          claim(3, "first_day_return", 16.4, "pct", half=0.05),
          claim(4, "offer_price", 263, "HKD", half=0.5, at=200, sentence="另一句")]
    verify({"a": cs})
    assert cs[1].verdict == "consistent" and cs[2].verdict == "consistent"


def test_three_unsupported_members_flag_the_computed_side_only():
    # nothing of the relation is confirmed (no restated offer): its reading is in doubt, so the open is not a
    # tension; only the return is flagged. 12 / 10 − 1 = 20%, not 26%
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "open_price", 12, "HKD", half=0.5),
          claim(3, "first_day_open_return", 26, "pct", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[0].verdict == "unverifiable" and cs[1].verdict == "unverifiable"


def _two_days(first_close_at):
    # invented: "Lumenwave priced at $20 ... Thursday's close was $58 (...) Friday it added nearly 30%, ending at
    # $70.0, or 250.0% over the offer." The Friday close is confirmed by the return from the offer (70.0 / 20 − 1 =
    # 250.0%); 70.0 / 58 − 1 = 20.7% is not 'nearly 30%' (27%–30%)
    return [claim(1, "offer_price", 20, "USD", half=0.5, at=10, sentence="A"),
            claim(2, "close_price", 58, "USD", half=0.5, at=first_close_at, sentence="B", date="2024-09-12"),
            claim(3, "daily_return", 30, "pct", "nearly", half=0.5, at=700, sentence="C", date="2024-09-13"),
            claim(4, "close_price", 70.0, "USD", half=0.05, at=710, sentence="C", date="2024-09-13"),
            claim(5, "cumulative_return", 250.0, "pct", half=0.05, at=720, sentence="C", date="2024-09-13")]


def test_the_unjudged_member_of_a_pair_names_the_finding():
    # the $58 stands far from the Friday figures, so the relation is not judged from its side; judged from the
    # move's side it fails with exact inputs, and the pair (the move and the $58) is one finding with one flag:
    # the move is inconsistent, the $58 is not flagged but its why names the move
    cs = _two_days(first_close_at=30)
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "unverifiable" and "t#3" in cs[1].why
    assert cs[3].verdict == "consistent"


def test_an_unattributed_figure_joins_the_company_named_before_it():
    # "某公司发行价10元。首日收报12元, 涨20%": the close and the return carry no company of their own; they are
    # about the one the text last named: 12 / 10 − 1 = 20%
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "close_price", 12, "HKD", half=0.5, entity=None),
          claim(3, "first_day_return", 20, "pct", half=0.5, entity=None)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"
    # before any company is named, in an article naming two, a figure stays with none
    cs = [claim(1, "close_price", 12, "HKD", half=0.5, entity=None),
          claim(2, "offer_price", 10, "HKD", half=0.5, entity="HK:00001"),
          claim(3, "offer_price", 10, "HKD", half=0.5, entity="HK:00002"),
          claim(4, "first_day_return", 20, "pct", half=0.5, entity="HK:00002")]
    verify({"a": cs})
    assert cs[0].verdict == "unverifiable"
