"""A failing check flags only on well-founded readings (verdict_evidence, identity_alternatives): every figure it
reads from another sentence (or, against another source, the figure itself) took its role from its own words, and
no figure of a member's sentence that the reader could not place makes it hold in another reading. Invented
sentences and figures; every expected value is worked by hand in the comment above it."""
import pytest

from ipolens.news.extract import Claim, extract_claims
from ipolens.news.findings import Finding
from ipolens.news.text import article_from_text
from ipolens.news.verdict_evidence import OWN_WORDS, gate
from news_ident_helpers import FLAGS, one
from news_ident_helpers import read as read_in


def read(text: str) -> list:
    return read_in(text, "HK")


def flagged(cs):
    return [(c.metric, c.value) for c in cs if c.verdict in FLAGS]


def test_a_return_read_from_its_own_words_is_flagged():
    # 12 / 10 - 1 = 20%, written 30%: '较招股价上涨' names the move and its base next to the figure
    cs = read("某公司招股价为10港元，首日收报12港元，较招股价上涨30%。")
    ret = one(cs, "first_day_return", 30)
    assert ret._role == "cue" and ret.verdict == "inconsistent"


def test_an_english_return_whose_words_after_it_name_its_base_is_flagged():
    # 12 / 10 - 1 = 20%, written 30%; 'up' alone would only be the move to the price before it, but 'from the
    # offer price' after the figure names the same move: its own words
    cs = read("Priced at HK$10, it closed at HK$12, up 30% from the IPO price.")
    ret = one(cs, "first_day_return", 30)
    assert ret._role == "cue" and ret.verdict == "inconsistent"


def test_an_input_read_from_a_weak_cue_in_another_sentence_flags_nothing():
    # 12 / 10 - 1 = 20%, written 30%; the offer of 10 sits in another sentence, its role from '招股价' in another
    # clause ('公布招股价，每股10港元'): the relation rests on that reading alone, so nothing is flagged and the why
    # names the weak link
    cs = read("某公司公布招股价，每股10港元。首日收报12港元，较招股价上涨30%。")
    offer, ret = one(cs, "offer_price", 10), one(cs, "first_day_return", 30)
    assert offer._role == "sentence"
    assert flagged(cs) == []
    assert f"not judged: {offer.id} is read as offer_price from a cue in another clause" in ret.why
    # the same offer named by its own words ('定价为每股10港元'): the 30% is flagged
    cs = read("某公司公布招股结果，定价为每股10港元。首日收报12港元，较招股价上涨30%。")
    assert one(cs, "offer_price", 10)._role == "cue" and one(cs, "first_day_return", 30).verdict == "inconsistent"
    # the weak offer in the 30%'s own sentence is read with it (the writer put them together): flagged
    cs = read("某公司公布招股价，每股10港元，首日收报12港元，较招股价上涨30%。")
    assert one(cs, "first_day_return", 30).verdict == "inconsistent"


def test_a_relation_another_figure_of_the_sentence_fits_flags_nothing():
    # 12 / 10 - 1 = 20% against '全日上涨30%' alone: an error, flagged
    assert flagged(read("招股价10港元，收报12港元，全日上涨30%。")) != []
    # with the day's high of 13 in the sentence, 13 / 10 - 1 = 30% exactly: the 30% may be the move to the high,
    # so which figure is the input is in doubt and nothing is flagged
    cs = read("招股价10港元，首日最高13港元，收报12港元，全日上涨30%。")
    assert one(cs, "offer_price", 13)._role not in OWN_WORDS  # (the premise: the reader could not place the 13)
    assert flagged(cs) == []
    assert "in doubt" in one(cs, "first_day_return", 30).why


def test_a_move_that_fits_the_low_beside_it_is_not_judged_against_the_open():
    # 9.00 / 10 - 1 = -10% (the open's, stated); 8.70 / 10 - 1 = -13%: the 13% is the low's move, not the open's
    # (-10%), whatever role the reader gave the low: nothing is flagged
    cs = read("某公司开盘报9.00元,较招股价10元低10%,盘中最低8.70元,低13%。")
    assert flagged(cs) == []
    assert one(cs, "first_day_open_return", -10).verdict == "consistent"
    # the low read by its own words ('一度跌至'), the 13% only by the open's carried topic: the doubt is the 13%'s
    # role, and the low in the open's place fits (8.70 / 10 - 1 = -13%): nothing is flagged
    cs = read("某公司开盘报9.00元,较招股价10元低10%,盘中一度跌至8.70元,低13%。")
    assert one(cs, "intraday_low", 8.7)._role == "cue" and one(cs, "first_day_open_return", -13)._role == "carried"
    assert flagged(cs) == [] and "in doubt" in one(cs, "first_day_open_return", -13).why
    # the same slip in the open's own clause (its own cue): 9.00 / 10 - 1 = -10%, written 13%: flagged
    cs = read("某公司开盘报9.00元,较招股价10元低13%,盘中一度跌至8.70元。")
    assert one(cs, "first_day_open_return", -13).verdict == "inconsistent"


def claim(n, metric, value, unit, role="cue", named=True, sentence="某公司的一句话"):
    pos = n * 30
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key="HK:09999", code=None, metric=metric,
                 value=value, unit=unit, qualifier="exact", start=pos, end=pos + 6, quote=f"{metric} {value:g}",
                 sentence=sentence, _nstart=pos, _nend=pos + 6, _resn=0.005, _named=named, _role=role)


@pytest.mark.parametrize("role, kept", [("cue", True), ("clause", True), ("table", True), ("list", True),
                                        ("sentence", False), ("carried", False), ("neighbour", False),
                                        ("measure", False), ("head", False)])
def test_an_input_from_another_sentence_keeps_the_flag_only_when_well_founded(role, kept):
    # (20% derived against a stated 30%: the finding as the relation gave it; the gate only weighs its readings)
    cs = [claim(1, "first_day_return", 30, "pct"), claim(2, "close_price", 12, "HKD"),
          claim(3, "offer_price", 10, "HKD", role, sentence="另一句")]
    f = Finding("pct_change", "inconsistent", "20% vs 30%", ["t#1", "t#2", "t#3"], True, True, True)
    by_claim = {"t#1": [f]}
    gate(by_claim, {c.id: c for c in cs})
    got = by_claim["t#1"][0]
    assert (got.verdict == "inconsistent") is kept
    if not kept:
        assert "t#3 is read as offer_price" in got.why and not got.exact
    # in the judged figure's own sentence the same reading keeps the flag
    cs[2].sentence = cs[0].sentence
    by_claim = {"t#1": [f]}
    gate(by_claim, {c.id: c for c in cs})
    assert by_claim["t#1"][0].verdict == "inconsistent"


def test_a_conversion_pairs_by_place_and_is_not_gated():
    cs = [claim(1, "proceeds_gross", 7.1e8, "HKD", "carried", sentence="另一句"), claim(2, "proceeds_gross", 1e8, "USD")]
    by_claim = {"t#1": [Finding("fx", "inconsistent", "7.1 per USD", ["t#1", "t#2"])]}
    gate(by_claim, {c.id: c for c in cs})
    assert by_claim["t#1"][0].verdict == "inconsistent"


def test_a_ledger_disagreement_needs_the_company_named_by_the_figure():
    c = claim(1, "offer_price", 10, "HKD", "cue", named=False)
    by_claim = {"t#1": [Finding("ledger", "inconsistent", "ledger 11", ["t#1"])]}
    gate(by_claim, {"t#1": c})
    assert by_claim["t#1"][0].verdict == "unverifiable" and "not named" in by_claim["t#1"][0].why
    c._named = True
    by_claim = {"t#1": [Finding("ledger", "inconsistent", "ledger 11", ["t#1"])]}
    gate(by_claim, {"t#1": c})
    assert by_claim["t#1"][0].verdict == "inconsistent"


def test_a_lot_derived_from_a_weakly_read_entry_fee_flags_nothing():
    # lot = 5050.4 / (10 × ~1.01 fees) ≈ 500; 500 × (12 − 10) = 1000 per lot, written 1200: flagged when the
    # entry fee the lot comes from is read by its own words ('入场费5050.4港元')
    cs = read("某公司招股价10港元，入场费5050.4港元。某公司首日收报12港元，每手赚1200港元。")
    assert one(cs, "entry_fee", 5050.4)._role == "cue"
    assert one(cs, "gain_per_lot", 1200).verdict in FLAGS
    # the fee read from '入场费' in another clause ('公布入场费，每手…'), in another sentence: the derived lot rests
    # on that reading, so nothing is flagged and the why names the fee
    cs = read("某公司招股价10港元，公布入场费，每手5050.4港元。某公司首日收报12港元，每手赚1200港元。")
    fee, gain = one(cs, "entry_fee", 5050.4), one(cs, "gain_per_lot", 1200)
    assert fee._role == "sentence" and flagged(cs) == []
    assert f"not judged: {fee.id} is read as entry_fee from a cue in another clause" in gain.why


@pytest.mark.parametrize("role, kept", [("cue", True), ("list", True), ("carried", False), ("head", False)])
def test_a_derived_member_asks_its_sources_for_well_founded_roles(role, kept):
    # the relation's second member is no claim but a value derived from t#3 and t#4: t#4's reading decides
    cs = [claim(1, "gain_per_lot", 1200, "HKD"), claim(2, "close_price", 12, "HKD"),
          claim(3, "offer_price", 10, "HKD", sentence="另一句"), claim(4, "entry_fee", 5050.4, "HKD", role, sentence="另一句")]
    lot = "derived:entry_fee:lot_size"
    f = Finding("gain_per_lot", "inconsistent", "1000 vs 1200", ["t#1", lot, "t#2", "t#3"], True, True, True,
                via={lot: ("t#4", "t#3")})
    by_claim = {"t#1": [f]}
    gate(by_claim, {c.id: c for c in cs})
    got = by_claim["t#1"][0]
    assert (got.verdict == "inconsistent") is kept
    assert ("t#4 is read as entry_fee" in got.why) is not kept
    # the source in the judged figure's own sentence is read with it
    cs[3].sentence = cs[0].sentence
    by_claim = {"t#1": [f]}
    gate(by_claim, {c.id: c for c in cs})
    assert by_claim["t#1"][0].verdict == "inconsistent"


def roles_of(text):
    return {(c.metric, c.value): c._role for c in extract_claims(article_from_text(text), market="HK")}


def test_a_list_that_sharpens_a_carried_role_keeps_it_weak():
    # '增加' after the names gives both figures the growth role carried from the 20% before: the names (宗數, 集資額)
    # only say which growth each is, so each keeps the carried basis
    got = roles_of("集資額為2000億元，按年增加20%。宗數及集資額分别增加40%及80%。")
    assert got[("ipo_count_growth_yoy", 40)] == "carried" and got[("ipo_proceeds_growth_yoy", 80)] == "carried"
    # the same names sharpening a role each figure's own cue gave ('按年增加'): the list's basis
    got = roles_of("全年新股宗數為90宗，集資額為2000億元，分别按年增加40%及80%。")
    assert got[("ipo_count_growth_yoy", 40)] == "list" and got[("ipo_proceeds_growth_yoy", 80)] == "list"
    # names that are metrics of their own ('發行價、開盤價') are the list's own words whatever came before
    got = roles_of("某公司發行價、開盤價分别為19.6、35.7港元。")
    assert got[("offer_price", 19.6)] == "list" and got[("open_price", 35.7)] == "list"
