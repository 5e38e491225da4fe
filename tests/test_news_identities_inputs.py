"""Identity inputs: ledger facts, restatements, derived roles, suspects and aliases (invented figures; all expected
values are worked out by hand in the comments)."""
from pathlib import Path

import pandas as pd
import yaml

from ipolens.news import identities as ids
from ipolens.news.verify import LedgerFacts, verify
from news_ident_helpers import hand_claim as claim


def _ledger(rows):
    cols = ["entity", "field", "value_num", "value_high", "qualifier", "unit", "currency", "as_of", "period",
            "source_id", "lo", "hi", "published"]
    return LedgerFacts(pd.DataFrame(rows, columns=cols))


def test_ledger_self_conflict_is_not_an_article_error():
    rows = [["HK:09999", "offer_price", 10.0, None, "exact", None, "HKD", None, None, "src:a", 10.0, 10.0, None],
            ["HK:09999", "offer_price", 12.0, None, "exact", None, "HKD", None, None, "src:b", 12.0, 12.0, None]]
    c = claim(1, "offer_price", 11.00, "HKD", half=0.005)
    fs = verify({"a": [c]}, _ledger(rows))
    conflicts = [f for f in fs if f.check == "ledger_conflict"]
    assert conflicts and "src:a" in conflicts[0].why and "src:b" in conflicts[0].why
    # 11 lies between the two sources (10 and 12): either may be its basis, so no flag
    assert c.verdict == "unverifiable" and "own disagreement" in c.why
    # 15 lies beyond the sources widened by their spread (8 to 14): it fits no reading, still a tension
    c = claim(1, "offer_price", 15.00, "HKD", half=0.005)
    verify({"a": [c]}, _ledger(rows))
    assert c.verdict == "tension" and "disagrees with itself" in c.why
    c = claim(1, "offer_price", 10.00, "HKD", half=0.005)
    verify({"a": [c]}, _ledger(rows))
    assert c.verdict == "consistent"


def test_ledger_single_value_contradiction_is_inconsistent():
    rows = [["HK:09999", "offer_price", 10.0, None, "exact", None, "HKD", None, None, "src:a", 10.0, 10.0, None]]
    c = claim(1, "offer_price", 11.00, "HKD", half=0.005)
    verify({"a": [c]}, _ledger(rows))
    assert c.verdict == "inconsistent"


def test_restatement_supports_and_a_mismatch_says_nothing():
    # headline and body give the same 5.5亿; a third figure of the role (another tranche, another day) is no error
    cs = [claim(1, "proceeds_gross", 5.5e8, "HKD", half=0.05e8), claim(2, "proceeds_gross", 5.5e8, "HKD", half=0.05e8),
          claim(3, "proceeds_gross", 9.1e8, "HKD", half=0.05e8)]
    verify({"a": cs})
    assert cs[0].verdict == "consistent" and "restated" in cs[0].why
    assert cs[2].verdict == "unverifiable"


def test_unassigned_figures_are_not_restatements():
    cs = [claim(1, "statement", 42.0, "pct", half=0.05), claim(2, "statement", 42.0, "pct", half=0.05)]
    verify({"a": cs})
    assert all(c.verdict == "unverifiable" for c in cs)


def test_per_lot_gain_at_the_grey_market_close():
    # 暗盘 close 5.6 over an offer of 5.0 on a 1000-share lot: 1000 x 0.6 = 600
    cs = [claim(1, "offer_price", 5.0, "HKD", half=0.05), claim(2, "lot_size", 1000, "shares", half=0.5),
          claim(3, "grey_market_price", 5.6, "HKD", half=0.05), claim(4, "gain_per_lot", 600, "HKD", half=0.5)]
    verify({"a": cs})
    assert cs[3].verdict == "consistent" and "as grey_market_price" in cs[3].why


def test_other_currency_is_left_to_the_fx_check():
    # an offer price in HKD and a return computed from a USD price are never combined
    cs = [claim(1, "offer_price", 10.0, "HKD", half=0.05), claim(2, "close_price", 2.0, "USD", half=0.05),
          claim(3, "first_day_return", 20.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable"


def test_return_next_to_another_price_is_not_judged_against_the_open():
    # 'opened at 11.00 ... up 13% at 11.30': the 13% is the move to 11.30 (11.30/10 − 1 = 13%), not the open's 10%
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, at=0),
          claim(2, "open_price", 11.00, "HKD", half=0.005, at=20),
          claim(3, "first_day_open_return", 13.0, "pct", half=0.05, at=40),
          claim(4, "snapshot_price", 11.30, "HKD", half=0.005, at=48, gap="% at HK$")]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "next to another price" in cs[2].why
    # the same return with a clause break before the price is judged against the open: 11/10 − 1 = 10%, not 13%
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, at=0),
          claim(2, "open_price", 11.00, "HKD", half=0.005, at=20),
          claim(3, "first_day_open_return", 13.0, "pct", half=0.05, at=40),
          claim(4, "snapshot_price", 11.30, "HKD", half=0.005, at=48, gap="%, later HK$")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"


def test_ledger_fact_is_a_known_value():
    # the article gives the offer price and the return; the ledger knows the close 12.5: 12.5/10 − 1 = 25%
    rows = [["HK:09999", "close_price", 12.5, None, "exact", None, "HKD", None, None, "src:a", 12.5, 12.5, None]]
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005), claim(2, "first_day_return", 25.0, "pct", half=0.05)]
    verify({"a": cs}, _ledger(rows))
    assert cs[1].verdict == "consistent" and "ledger close_price" in cs[1].why
    close = "某公司首日收涨28%"  # the ledger's price is a close: the text must say the move is at the close
    cs = [claim(1, "offer_price", 10.00, "HKD", half=0.005, sentence=close),
          claim(2, "first_day_return", 28.0, "pct", half=0.05, sentence=close)]
    verify({"a": cs}, _ledger(rows))
    # a contradiction that rests on a ledger value is tension (the ledger may be the one that is wrong)
    assert cs[1].verdict == "tension" and "12.5" in cs[1].why and "from the ledger" in cs[1].why


# -- round 2: derived roles, the suspect member, one reading for all members, one alias table ----------------------
def test_a_lot_derived_by_one_identity_checks_another():
    # no lot is stated; the best per-lot gain 2000 at the high 14 over the offer 10 fixes it: 2000 / (14 − 10) = 500
    # shares; at that lot the close 10.8 gives (10.8 − 10) x 500 = 400 per lot, so 400 fits and 480 does not
    base = [claim(1, "offer_price", 10, "CNY", half=0.5), claim(2, "intraday_high", 14, "CNY", half=0.5),
            claim(3, "gain_per_lot_max", 2000, "CNY", half=0.5), claim(4, "close_price", 10.8, "CNY", half=0.05)]
    cs = base + [claim(5, "gain_per_lot", 400, "CNY", half=0.5)]
    verify({"a": cs})
    assert cs[4].verdict == "consistent" and "derived by gain_per_lot_at_high" in cs[4].why
    cs = [claim(i + 1, c.metric, c.value, c.unit, half=c._resn) for i, c in enumerate(base)] + \
        [claim(5, "gain_per_lot", 480, "CNY", half=0.5)]
    verify({"a": cs})
    # the lot is not stated, so the contradiction is a tension (the derivation may be what is wrong)
    assert cs[4].verdict == "tension" and "derived, not stated" in cs[4].why
    # the figures the lot came from are never checked against it (no circular confirmation)
    assert "derived by" not in (cs[2].why or "")


def test_mainland_entry_fee_has_no_levies():
    # 500 x 52 = 26000 yuan for one lot: no brokerage or levies on a mainland subscription
    cs = [claim(1, "offer_price", 52, "CNY", half=0.5), claim(2, "lot_size", 500, "shares", half=0.5),
          claim(3, "entry_fee", 26000, "CNY", half=0.5)]
    verify({"a": cs})
    assert cs[2].verdict == "consistent"


def test_the_supported_member_is_cleared_and_the_other_flagged():
    # offer 10 (stated twice), open 12, open return 26%: 12/10 − 1 = 20%, not 26%. The restated offer is not the
    # suspect. Nothing else supports the open or the return; removing either one would do, so the tie goes to the
    # computed side (the return, worked out by the writer): the return is inconsistent. The open, the only other
    # unsupported member, cannot be told from it by any evidence: not flagged (one failing relation, one flag), its
    # why names the return.
    # When the open is restated too (a second 12), the return is the suspect by support alone.
    cs = [claim(1, "offer_price", 10, "HKD", half=0.5), claim(2, "open_price", 12, "HKD", half=0.5),
          claim(3, "first_day_open_return", 26, "pct", half=0.5),
          claim(4, "offer_price", 10, "HKD", half=0.5, at=200, sentence="另一句")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "unverifiable" and "t#3: either may be the slip" in cs[1].why
    assert cs[0].verdict == "consistent" and "points to" in cs[0].why
    cs = cs + [claim(5, "open_price", 12, "HKD", half=0.5, at=220, sentence="另一句")]
    verify({"a": cs})
    assert cs[2].verdict == "inconsistent"
    assert cs[1].verdict == "consistent" and "restated" in cs[1].why
    assert "points to t#3" in cs[1].why


def test_an_approximate_input_is_the_suspect_of_a_firmer_figure():
    # proceeds 'about 40亿' (38亿..42亿) at 20 a share: 1.9亿..2.1亿 shares; the stated 1.5亿 shares miss it, but the
    # approximate total is the likelier slip (or another quantity): the share count is not flagged
    cs = [claim(1, "offer_price", 20, "HKD", half=0.005), claim(2, "proceeds_gross", 40e8, "HKD", "about", half=0.5e8),
          claim(3, "shares_offered", 1.5e8, "shares", half=0.05e8)]
    verify({"a": cs})
    assert cs[2].verdict == "unverifiable" and "suspect" in cs[2].why
    assert cs[1].verdict in ("inconsistent", "tension")


def test_a_reading_doubtful_from_one_side_is_doubtful_from_all():
    # a day's fall of 2% read as the return from the offer 50: solved for the close it gives 49.0, near a close of
    # 42 (factor 1.17), but solved for the return the close 42 gives 42/50 − 1 = −16%, eight times the stated −2%:
    # the role reading is doubtful, so neither figure is flagged
    cs = [claim(1, "offer_price", 50, "CNY", half=0.5), claim(2, "close_price", 42, "CNY", half=0.5),
          claim(3, "first_day_return", -2.0, "pct", half=0.05)]
    verify({"a": cs})
    assert cs[1].verdict == "unverifiable" and cs[2].verdict == "unverifiable"


def test_one_alias_table():
    # the shared table (metric_aliases.yaml, label -> reader names) read inverted: a midday price the reader calls
    # intraday_price fills the snapshot_price role
    table = yaml.safe_load((Path(ids.__file__).parent / "lexicon/metric_aliases.yaml").read_text(encoding="utf-8"))
    for label, names in table["aliases"].items():
        for name in names:
            assert ids.canonical(name) == label
    assert ids.canonical("offer_price") == "offer_price"
