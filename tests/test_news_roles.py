"""Roles of figures from the cue words nearest to them (ipolens.news.roles, lexicon/roles.yaml).

Every cue and qualifier of the lexicon carries an example sentence written for it (the figure in braces); the
expected role of each example is the one the data file names for that cue, read here from the YAML itself.
"""
import re

import pandas as pd
import pytest
import yaml

from ipolens.news.extract import UNASSIGNED, extract_claims
from ipolens.news.gazetteer import ENTITIES_PATH, Gazetteer
from ipolens.news.roles import LEXICON_PATH, Lexicon, lexicon
from ipolens.news.text import article_from_text, normalise

_DATA = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


def _cue_cases():
    """One case per lexicon entry: its example, the role it names, and its reference ('metric/side/n', n counting
    that metric's cues of that side in file order, as roles.Lexicon.load numbers them)."""
    defaults = _DATA.get("defaults") or {}
    counts: dict[str, int] = {}
    for role in _DATA["roles"]:
        for side in ("before", "after"):
            for entry in role.get(side) or ():
                key = f"{role['metric']}/{side}"
                counts[key] = counts.get(key, 0) + 1
                yield pytest.param(entry["eg"], defaults.get(role["metric"], role["metric"]), f"{key}/{counts[key]}",
                                   tuple(role["kinds"]), id=f"{key}/{counts[key]}:{entry['cue'][:16]}")


def _fired(example: str, kinds: tuple[str, ...]):
    """The lexicon entry that names the braced figure's role: the cue the role reader picks from the figure's own
    clause (then its sentence), on the normalised text, for the figure's kind."""
    import bisect

    from ipolens.news.numbers import scan_numbers

    start, end = example.index("{"), example.index("}") - 1
    norm = normalise(example.replace("{", "").replace("}", ""))
    ns, ne = (bisect.bisect_left(norm.origin, p, 0, len(norm.text)) for p in (start, end))
    text, value, kind = norm.text, None, kinds[0]
    if kinds != ("date",):
        q = next(q for q in scan_numbers(text) if q.start <= ns < q.end or ns <= q.start < ne)
        ns, ne = q.start, q.end
        if len(kinds) > 1:
            kind = "money" if q.is_money else q.unit
        value = q.value if kind == "money" else None
    before, after = text[:ns], text[ne:]
    if kind == "count" and (noun := re.search(r"(?<=[\d\s])[A-Za-z][A-Za-z -]*$", q.raw)):
        after = " " + noun[0] + after  # as the reader does: a counted noun read with its number is its after-cue
    clause = before[max(before.rfind(ch) for ch in ",;:") + 1:]
    pick = lexicon().pick(kind, clause, after, value)
    return pick if pick.metric or pick.conflict else lexicon().pick(kind, before, "", value)


@pytest.mark.parametrize("example,metric,ref,kinds", list(_cue_cases()))
def test_each_cue_fires_on_its_own_example(example, metric, ref, kinds):
    """Removing or breaking an entry fails its case: the entry itself must be the cue that fires, and the reader
    must end with its role."""
    pick = _fired(example, kinds)
    assert pick.ref == ref, (pick, example)
    assert _metric_of(example) == metric


def _qualifier_cases():
    for q in _DATA["qualifiers"]:
        egs = q["eg"] if isinstance(q["eg"], list) else [q["eg"]]
        for eg in egs:
            yield pytest.param(eg["text"], eg["metric"], id=f"qualifier:{q['context'][:20]}:{eg['metric']}")


def _metric_of(example: str, market: str = "HK") -> str | None:
    """The metric extract_claims gives the figure in braces (None when it finds no claim there)."""
    start = example.index("{")
    text = example.replace("{", "").replace("}", "")
    for c in extract_claims(article_from_text(text), market=market):
        if c.start == start or c.start <= start < c.end:
            return c.metric
    return None


@pytest.mark.parametrize("example,metric", list(_qualifier_cases()))
def test_each_qualifier_sharpens_the_role(example, metric):
    assert _metric_of(example) == metric


def test_every_cue_has_an_example_with_one_braced_figure():
    for role in _DATA["roles"]:
        for side in ("before", "after"):
            for entry in role.get(side) or ():
                assert entry["eg"].count("{") == 1 and entry["eg"].count("}") == 1, entry


def _script(text: str) -> str:
    if not re.search(r"[\u4e00-\u9fff]", text):
        return "en"
    return "zh-Hans" if normalise(text).text == text else "zh-Hant"


def test_examples_cover_both_scripts_and_english():
    examples = [p.values[0] for p in _cue_cases()]
    counts = {s: sum(_script(e) == s for e in examples) for s in ("zh-Hans", "zh-Hant", "en")}
    assert all(n >= 10 for n in counts.values()), counts


def test_metric_names_are_snake_case():
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", m) for m in lexicon().metrics())


# The symptoms the role model was built against, in sentences of our own --------------------------------------------
@pytest.mark.parametrize("text,metric", [
    ("某公司股價盤中一度升至{688港元}，收報650港元。", "intraday_high"),
    ("某公司股價盤中一度升至688港元，收報{650港元}。", "close_price"),
    ("該股全日換手率達{45.2%}。", "turnover_rate"),
    ("该股中一签浮盈{530元}。", "gain_per_lot"),
    ("按收市價計，每手帳面賺{1200元}。", "gain_per_lot"),
    ("其創辦人持股{3.89%}，為第一大股東。", "holder_stake"),
    ("今次招股一手中籤率約為{2%}。", "one_lot_success_rate"),
    ("該股昨日在富途暗盤收報{30.1港元}，較招股價升5%。", "grey_market_price"),
    ("該股昨日在富途暗盤收報30.1港元，較招股價升{5%}。", "grey_market_return"),
    ("今日首日掛牌，收報{32港元}。", "close_price"),
    ("The shares opened at {$30} and closed at $28.", "open_price"),
    ("The shares opened at $30 and closed at {$28}.", "close_price"),
    ("The stock climbed as high as {$57.80} before closing lower.", "intraday_high"),
])
def test_roles_from_the_figures_own_clause(text, metric):
    assert _metric_of(text) == metric


def test_a_profit_word_after_the_move_does_not_make_it_profit_growth():
    # the per-lot gain (盈利) follows the return in the same sentence: the return keeps its own role
    assert _metric_of("該股較招股價上漲{23%}，每手帳面盈利達4,600元。") == "first_day_return"
    assert _metric_of("集團去年純利按年增長{31%}，收入亦有上升。") == "net_profit_growth_yoy"


def test_this_result_is_not_ten_percent():
    cs = extract_claims(article_from_text("公司取得这一成绩并不容易。"), market="CN")
    assert [c for c in cs if c.unit == "pct"] == []


# The conflict rule ---------------------------------------------------------------------------------------------------
def test_cues_of_two_roles_at_the_same_distance_leave_the_figure_unassigned():
    lex = lexicon()
    pick = lex.pick("money", "公司成交额", "市值")  # a turnover cue right before, a market-cap cue right after
    assert pick.metric is None and set(pick.conflict) == {"turnover", "market_cap"}
    assert _metric_of("公司成交额{3亿元}市值") == UNASSIGNED


def test_a_head_noun_joined_by_de_wins_over_a_cue_in_front():
    # '占发售股份15%的超额配股权': the figure is the greenshoe, though a share-of-offer cue sits right before it
    assert _metric_of("公司授出佔發售股份{15%}的超額配股權") == "greenshoe_pct"
    assert lexicon().pick("money", "公司成交额", "的市值").metric == "market_cap"


def test_a_nearer_cue_wins_over_a_farther_one():
    assert lexicon().pick("money", "市值较大，成交额").metric == "turnover"


def test_a_longer_cue_covering_a_shorter_one_is_not_a_conflict(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump({"roles": [
        {"metric": "a", "kinds": ["money"], "before": [{"cue": "价", "eg": "价{1元}"}]},
        {"metric": "b", "kinds": ["money"], "before": [{"cue": "发行价", "eg": "发行价{1元}"}]},
        {"metric": "c", "kinds": ["money"], "before": [{"cue": "收报", "eg": "收报{1元}"}]},
    ], "qualifiers": []}, allow_unicode=True), encoding="utf-8")
    lex = Lexicon.load(path)
    assert lex.pick("money", "发行价").metric == "b"
    assert lex.pick("money", "收报发行价").metric == "b"  # 收报 ends three characters earlier
    assert lex.pick("money", "收报 价").metric is None  # 收报 ends one character before 价: a conflict
    assert lex.pick("pct", "发行价").metric is None  # no role of that kind


# 分别 lists ---------------------------------------------------------------------------------------------------------
def _gazetteer() -> Gazetteer:
    ents = pd.DataFrame([
        {"key": "HK:09991", "kind": "company", "market": "HK", "code": "09991", "name_en": "Alpha Tea",
         "name_zh": "甲乙茶饮"},
        {"key": "HK:09992", "kind": "company", "market": "HK", "code": "09992", "name_en": "Beta Coffee",
         "name_zh": "丙丁咖啡"},
    ])
    return Gazetteer.from_frames(ents, pd.DataFrame(columns=["alias", "entity"]))


def test_respective_spreads_companies_and_returns_in_order():
    text = "甲乙茶饮和丙丁咖啡首日分别上涨10%和20%。"
    cs = [c for c in extract_claims(article_from_text(text), _gazetteer(), market="HK") if c.unit == "pct"]
    assert [(c.entity_key, c.metric, c.value) for c in cs] == [
        ("HK:09991", "first_day_return", 10), ("HK:09992", "first_day_return", 20)]


def test_respective_spreads_metrics_in_order():
    text = "某公司发行价、开盘价、收盘价分别为10港元、12港元和11港元。"
    cs = [c for c in extract_claims(article_from_text(text), market="HK") if c.unit == "HKD"]
    assert [(c.metric, c.value) for c in cs] == [("offer_price", 10), ("open_price", 12), ("close_price", 11)]


def test_respective_list_stops_at_the_figures_of_the_list():
    text = "甲乙茶饮和丙丁咖啡首日跌幅分别为5%和8%，恒生指数则上涨1%。"
    cs = [c for c in extract_claims(article_from_text(text), _gazetteer(), market="HK") if c.unit == "pct"]
    assert [(c.entity_key, abs(c.value)) for c in cs][:2] == [("HK:09991", 5), ("HK:09992", 8)]


# Entity aliases as data ----------------------------------------------------------------------------------------------
def test_every_extra_alias_is_found_in_a_sentence():
    aliases = yaml.safe_load(ENTITIES_PATH.read_text(encoding="utf-8"))["aliases"]
    ents = pd.DataFrame(columns=["key", "kind", "market", "code", "name_en", "name_zh"])
    gaz = Gazetteer.from_frames(ents, pd.DataFrame(columns=["alias", "entity"]))
    for surface, key in aliases.items():
        text = f"据报道，{surface}今日表现平稳。"
        assert [m.key for m in gaz.find(normalise(text).text)] == [key], surface


# Taiwan dollars --------------------------------------------------------------------------------------------------------
from ipolens.news.extract import OUTLETS, outlet_market  # noqa: E402
from ipolens.news.schema import UNITS, validate_claim  # noqa: E402


def _money(text: str, market: str | None = None):
    return [(c.value, c.unit, c.currency_inferred) for c in extract_claims(article_from_text(text), market=market)
            if c.unit in ("HKD", "CNY", "USD", "TWD")]


def test_a_text_naming_taiwans_market_reads_a_bare_yuan_as_taiwan_dollars():
    text = "臺灣證券交易所公告，某公司競價拍賣完成，承銷價{52元}。".replace("{", "").replace("}", "")
    assert outlet_market(article_from_text(text)) == "TW"
    assert _money(text) == [(52, "TWD", True)]


def test_the_figures_own_taiwan_dollar_word_is_explicit():
    assert _money("某公司去年營收新臺幣30億元。", market="HK") == [(3_000_000_000, "TWD", False)]
    assert _money("The unit sold for NT$450 each.", market="US") == [(450, "TWD", False)]


def test_hong_kong_and_new_york_texts_stay_what_they_were():
    assert outlet_market(article_from_text("該股今日收報12元，成交額2億元。")) == "HK"
    assert outlet_market(article_from_text("该公司在纽约证交所上市，开盘价为26美元。")) == "CN"
    assert _money("該股今日收報12元。") == [(12, "HKD", True)]


def test_twd_is_a_unit_and_an_outlet_market():
    assert "TWD" in UNITS and "TW" in OUTLETS
    claim = extract_claims(article_from_text("證交所公告，承銷價52元。"))[0].to_json()
    validate_claim(claim)
    assert claim["unit"] == "TWD"


# Generalisation: cue windows and counts -------------------------------------------------------------------------------
def test_a_bare_count_named_right_before_it_is_a_count():
    assert _metric_of("公開發售申請人數約{20萬}。") == "applicants"


def test_an_after_cue_longer_than_a_few_words_is_read():
    assert _metric_of("About {80,000} individual investors applied for the shares.") == "applicants"


def test_a_qualifier_far_after_the_figure_does_not_change_its_role():
    # 'intraday' belongs to the later figure: the first one is the midday snapshot
    text = "Shares were down {2%} at HK$31 by 11am after an intraday slide of up to 7%."
    assert _metric_of(text) == "snapshot_return"


def test_a_money_role_must_fit_the_figures_size():
    # a far price cue does not make 8000万美元 a price; the cornerstone cue further back does
    text = "基石投資者同意按發售價認購股份，總額約{8000萬美元}。"
    assert _metric_of(text) == "cornerstone_amount"
    lex = lexicon()
    assert not lex.fits("offer_price", 80_000_000) and lex.fits("offer_price", 12.5)
    assert not lex.fits("proceeds_gross", 31) and lex.fits("proceeds_gross", 5e9)
    assert lex.pick("money", "发行价", value=5e9).metric is None


# Structure: the figure's own words over the topic carried from the figure before -------------------------------------
def test_a_bare_number_of_shares_before_new_shares_is_not_a_count_of_ipos():
    assert _metric_of("公司本次發行的{3億}新股今日上市。") == "shares_offered"
    assert _metric_of("本月共有{19只}新股上市。") == "ipo_count"


def test_a_carried_role_is_sharpened_again_by_the_figures_own_words():
    # the second figure continues the first one's topic, but its own clause says it is after the change
    text = "其中80%原是分配給機構投資者，但該比例已降至{60%}。"
    assert _metric_of(text) == "intl_tranche_pct_final"
    assert _metric_of("其中{80%}原是分配給機構投資者，但該比例已降至60%。") == "intl_tranche_pct_initial"


def test_a_range_keeps_the_basis_of_its_figures():
    assert _metric_of("該股暗盤跌幅介乎{3%至5%}。") == "grey_market_return"
    assert _metric_of("招股價介乎{8港元至9港元}。") == "offer_price_range"


def test_a_measure_word_names_what_is_counted_when_no_cue_does():
    # IPOs counted by their first-day move have their own role (the news-dev label vocabulary: ipos_up_day1)
    assert _metric_of("今年至今只有{5隻}首日上揚。") == "ipos_up_day1"
    assert _metric_of("今年至今共有{5隻}新股上市。") == "ipo_count"
    assert _metric_of("當日有{3隻}新股跌穿招股價。") == "ipos_below_issue"
    assert "ipo_count" in lexicon().metrics()


def test_one_lot_applicants_and_winners_are_told_apart():
    text = "認購一手的6000人中，有3000人獲配股份。"
    got = {c.value: c.metric for c in extract_claims(article_from_text(text), market="HK")}
    assert got.get(6000) == "one_lot_applicants" and got.get(3000) == "one_lot_winners"


def test_a_forecast_word_in_the_clause_makes_a_forecast():
    assert _metric_of("市場預計該股首日升約{20%}。") == "first_day_return_forecast"
    assert _metric_of("該股首日實際升{20%}，較市場預計為高。") == "first_day_return"


def test_a_later_days_move_is_not_the_first_day_return():
    assert _metric_of("該股上市首日升30%，次日再升{15%}。") == "daily_return"
    assert _metric_of("The stock rose 20% on Friday, a two-day gain of {150%}.") == "cumulative_return_since_ipo"


def _head_cases():
    for entry in _DATA.get("by_head") or ():
        (metric,) = entry["roles"].values()
        yield pytest.param(entry["eg"], metric, id=f"head:{entry['noun'][:12]}")


@pytest.mark.parametrize("example,metric", list(_head_cases()))
def test_each_generic_head_noun_gives_its_role(example, metric):
    assert _metric_of(example) == metric


def test_head_noun_fallback_needs_the_noun_next_to_the_figure():
    # the noun joined by 的 after the figure counts; one in another clause, or a noun of another kind, does not
    assert _metric_of("合共{5000名}的人士") == "applicants"
    assert _metric_of("價格未定，另有{12港元}。") == UNASSIGNED
    assert _metric_of("今次的倍數為{8.5港元}。") == UNASSIGNED
    # an amount has no general role: an allotment's 金额 is not the deal size
    assert _metric_of("獲配股數對應金額為{4.2億元}。") == UNASSIGNED


def test_head_noun_never_overrides_a_cue():
    assert _metric_of("這次的價格為開盤價{12.5港元}。") == "open_price"


def test_duration_roles():
    assert _metric_of("兩家公司上市相隔{三天}。") == "days_between_listings"
    assert _metric_of("It listed {two days} after its rival.") == "days_between_listings"
    # days after the deal's own listing are not a gap between two listings
    assert _metric_of("The lock-up ends {180 days} after the IPO.") != "days_between_listings"
    # 'after' alone dates any event: the gap between listings needs the figure's clause to say the company listed
    assert _metric_of("Refunds were paid {two days} after the ballot.") != "days_between_listings"
    assert _metric_of("The bank listed {two days} after the ballot of a peer.") == "days_between_listings"
    assert _metric_of("該公司的招股期為{5天}。") == "subscription_days"
    assert _metric_of("銷量連續{十年}穩居全國第一。") == "years_ranked_first"


def test_english_count_nouns():
    assert _metric_of("There were {57,900} allotments in all.") == "successful_applicants"
    assert _metric_of("Exchanges hosted {14} IPOs last month.") == "ipo_count"
    assert _metric_of("Nasdaq saw {9} listings in the week.") == "ipo_count"
    # a few adjectives may sit between the count and its noun
    assert _metric_of("Of the {10} billion-dollar US IPOs, most rose.") == "ipo_count"


def test_date_roles_are_read_like_other_roles():
    # an after-cue of a day may sit a few words on; the nearest event wins, and a day no cue names is an event_date
    assert _metric_of("公司於{2025年3月5日}起招股，3月10日截止認購。") == "subscription_start"
    assert _metric_of("新股將於2025年3月5日起招股，並於{2025年3月10日}截止認購。") == "subscription_end"
    assert _metric_of("甲公司(代號 0 0 0 1)於{2025年3月12日}正式在聯交所掛牌。") == "listing_date"
    assert _metric_of("董事長於{2025年3月12日}出席晚宴。") == "event_date"


def test_nearest_company_in_the_figures_clause_wins():
    # 丙丁咖啡 is followed by a list mark ('漲3%、'), yet it is the only name in the figure's own clause
    text = "甲乙茶饮表示，丙丁咖啡漲3%、甲乙茶饮跌1%。"
    cs = [c for c in extract_claims(article_from_text(text), _gazetteer(), market="HK") if c.unit == "pct"]
    assert [(c.entity_key, abs(c.value)) for c in cs] == [("HK:09992", 3), ("HK:09991", 1)]


def test_a_clause_without_a_name_keeps_the_line_s_company():
    text = "丙丁咖啡今日上市，首日收漲5%。"
    cs = [c for c in extract_claims(article_from_text(text), _gazetteer(), market="HK") if c.unit == "pct"]
    assert [(c.entity_key, c.value) for c in cs] == [("HK:09992", 5)]


def test_remembered_windows_give_the_same_pick_as_a_fresh_scan():
    """pick_nested remembers each window's before-hits; a remembered answer must equal a scan of the window itself
    (with every cue a candidate), whatever was read before it."""
    from ipolens.news import roles

    lex = lexicon()
    cases = [("money", "公司今早开盘报", (4, 2, 0)), ("money", "招股价为每股", (3, 0, 0)), ("pct", "首日收涨", (0,)),
             ("money", "The stock opened at ", (10, 0)), ("pct", "一手中签率为", (2, 0)), ("money", "招股价为每股", (3, 0, 0))]
    for kind, before, starts in cases * 2:  # the second round reads every window from memory
        got = lex.pick_nested(kind, before, starts)
        fresh = None
        for n, s in enumerate(starts):
            every = list(range(len(lex._by_kind.get(kind, ()))))
            pick = lex._decide(lex._before_hits(kind, before[s:], every), None)
            if pick.metric or pick.conflict:
                fresh = pick
                break
        assert got == (fresh or roles.Pick(None)), (kind, before)
    # the memory stays bounded
    for i in range(roles._MEMO_SIZE + 10):
        lex.pick_nested("money", f"第{i}次", (0,))
    assert len(lex._memo) <= roles._MEMO_SIZE
