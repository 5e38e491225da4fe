"""Roles read from the structure of the figure's own clause (issue 13, roles on unseen articles): the tense of its
verb, a clause with a subject and verb of its own, and who raises the money (one company or a whole market).

Every sentence is invented (fictional companies, made-up figures); the expected role follows from the sentence's own
words. Each structure has a negative sentence with the same words where the structure differs and the role must not
follow.
"""
from news_role_helpers import role_case_tests

POSITIVE = [
    # a future verb governing the figure's own verb: a forecast of the figure, not its outcome
    ("future", "Dealers reckon that for Lumora the public portion will be {650 times} covered.", "HK",
     "oversubscription_public_forecast"),
    ("future", "Bankers think the float will be oversubscribed {70 times} by Tuesday.", "HK",
     "oversubscription_public_forecast"),
    # a market is the one that raises: the total of its deals; a projection of it is a forecast
    ("market_raiser", "An adviser projects Shanghai to raise {$26 billion} next year.", "CN", "ipo_proceeds_forecast"),
    ("market_raiser", "Nasdaq raised {$35 billion} via debuts in 2023.", "US", "ipo_proceeds"),
    ("market_raiser", "美股IPO募资{410亿美元}，为五年最高。", "US", "ipo_proceeds"),
    ("market_raiser", "港交所集資{950億港元}，全球排第二。", "HK", "ipo_proceeds"),
    # the noun a figure is joined to by 的 names it even behind a short modifier
    ("modified_head", "該股以{180%}的首日漲幅排第三。", "HK", "first_day_return"),
    ("modified_head", "該股錄得逾{640倍}的公開發售超額認購。", "HK", "oversubscription_public"),
    # a bare move in the clause right after a price is the move to that price
    ("move_to_price", "該股盤中一度衝高至7.2港元，升幅{44%}。", "HK", "intraday_high_return"),
    ("move_to_price", "该股暗盘一度冲高至3.9港元，涨幅超{18%}。", "HK", "grey_market_high_return"),
    # a sentence opening with an anaphor ('這一數量') is about the figure of the sentence before and its subject
    ("anaphor", "基石投資者共認購4500萬股。這一數量佔發售股份約{36%}。", "HK", "cornerstone_share_of_offer"),
    ("anaphor", "基石投资者拟认购800万股。这一数量约占已发行股本{2.4%}。", "HK", "cornerstone_share_of_capital"),
    # a sentence opening with the basis of a reckoning reckons from the price of the sentence before
    ("reckoning", "星澜科技開市報3.6元，低過招股價一成。按每手1000股計，一手賬面虧損{400元}。", "HK",
     "loss_per_lot_at_open"),
    # a qualifier in the figure's own clause outranks one of the clause before (that clause's figure owns it)
    ("own_clause_qualifier", "公司發行800萬股，其中85%為國際配售，{15%}為香港公開發售。", "HK", "public_tranche_pct"),
    ("own_clause_qualifier", "公司發行800萬股，其中15%為香港公開發售，{85%}為國際配售。", "HK", "intl_tranche_pct"),
    # the opening moment named by either verb of the family ('began trading' / 'started trading')
    ("open_moment", "Velmont started trading Monday at $9, {12.5%} higher than the IPO price.", "US", "first_day_open_return"),
    ("open_moment", "Velmont began trading Monday at $9, {12.5%} higher than the IPO price.", "US", "first_day_open_return"),
    # a day's own verb before it outranks the next clause's verb after it
    ("day_own_clause", "Orbix went public on {August 9, 2022}, pricing each share at $14.", "US", "listing_date"),
    ("day_own_clause", "Quillar listed on {October 2, 2020}, and priced a bond weeks later.", "US", "listing_date"),
    # a count after its predicate ('…的有N隻') is the count the predicate names ('N隻…' reordered)
    ("predicate_has", "今年上市的28隻新股中，較招股價溢價的有{19隻}。", "HK", "ipos_above_issue"),
    ("predicate_has", "今年上市的28隻新股中，跌穿招股價的有{6隻}。", "HK", "ipos_below_issue"),
    ("predicate_has", "今年上市的30只新股中，首日上涨的有{20只}。", "CN", "ipos_up_day1"),
    # a placing's manner phrase ('，以…方式') stands between a price and 配售 without hiding it
    ("placing_manner", "星澜按每股{7.4港元}，以先舊後新方式配售3000萬股。", "HK", "placing_price"),
    ("placing_manner", "公司按每股{12元}，以一般授權方式配售8000萬股新股。", "HK", "placing_price"),
]

NEGATIVE = [
    # a plain count of listings is not one the predicate of another clause names
    ("predicate_has", "今年上市的{30只}新股中，首日上涨的有20只。", "CN", "ipos_up_day1"),
    ("placing_manner", "公司股價按每股{12元}，以一般授權方式發行可換股債券。", "HK", "placing_price"),
    ("future", "The Lumora retail book was {650 times} covered; dealings will begin on Tuesday.", "HK",
     "oversubscription_public_forecast"),
    # 'will' governs another verb: the figure's verb is past ('was') and comes after a subordinating word
    ("future", "Lumora will debut next week since its public portion was covered {650 times}.", "HK",
     "oversubscription_public_forecast"),
    # a company raising in a market: the market follows 'in' / 在, or a verb of its own ('chose X to raise')
    ("market_raiser", "The drone maker's float in Shanghai raised {$700 million}.", "CN", "ipo_proceeds"),
    ("market_raiser", "The drone maker picked Shanghai to raise {$700 million}.", "CN", "ipo_proceeds"),
    ("market_raiser", "该集团此次在港股集资{32亿港元}。", "HK", "ipo_proceeds"),
    ("market_raiser", "该公司此次科创板募资{18亿元}。", "CN", "ipo_proceeds"),
    ("market_raiser", "该集团通过港股IPO集资{32亿港元}。", "HK", "ipo_proceeds"),
    # a clause with a subject and verb of its own is no open, though the clause before names one
    ("own_clause", "Velmont began trading Monday at $9.40, and its shares soon traded at {$11}.", "US", "open_price"),
    ("own_clause", "Quillar opened at $31, and the price later rose to {$36}.", "US", "open_price"),
    # a bare head noun is nearer than one behind a modifier ('的超額配' + '股權' is no stake)
    ("modified_head", "倘悉數行使{15%}的超額配股權，集資額會再增加。", "HK", "holder_stake"),
    ("day_own_clause", "Orbix went public on {August 9, 2022}, pricing each share at $14.", "US", "pricing_date"),
    ("anaphor", "公司發售4500萬股。這一數量佔發售股份約{36%}。", "HK", "cornerstone_share_of_offer"),
    ("anaphor", "基石投資者共認購4500萬股。\n公司發售的股份約佔已發行股本的{36%}。", "HK", "cornerstone_share_of_capital"),
    ("reckoning", "星澜科技收市報3.6元，低過招股價一成。按每手1000股計，一手賬面虧損{400元}。", "HK",
     "loss_per_lot_at_open"),
    # a later moment ('其後', 'then') ends the open's reach
    ("later_moment", "該股首日高開25%，其後升幅擴大至{60%}，收市升45%。", "HK", "first_day_open_return"),
    ("later_moment", "Orbix opened 25% up and then stretched the gain to {60%}.", "US", "first_day_open_return"),
    # a cue an earlier figure of another kind owns is not a later multiple's ('dropped 21%': the 21%'s)
    ("owned_cue", "Lumora dropped 21% on day one, despite bids for {530 times} the retail stock.", "HK",
     "first_day_return"),
    ("move_to_price", "該股盤中一度衝高至7.2港元，全日收市升{44%}。", "HK", "intraday_high_return"),
    ("open_moment", "Velmont started trading this week and closed {12.5%} higher than the IPO price.", "US",
     "first_day_open_return"),
]

test_structure_gives_its_role, test_structure_does_not_give_the_wrong_role = role_case_tests(POSITIVE, NEGATIVE)


def test_the_sentence_before_is_read_only_after_an_anaphor():
    from ipolens.news.role_neighbours import with_antecedent
    text = "基石投资者拟认购800万股。这一数量约占已发行股本的2.4%。"
    s_start = text.index("这一")
    assert with_antecedent(text, s_start, "这一数量约占") == "基石投资者拟认购800万股。这一数量约占"
    plain = "公司拟发行800万股。已发行股本约占2.4%。"
    assert with_antecedent(plain, plain.index("已发行"), "已发行股本约占") == "已发行股本约占"


from hypothesis import given, strategies as st  # noqa: E402

_LEADS = st.sampled_from(["这一数量", "该等股份", "These shares ", "以每手200股计算，", "按每手1,000股计，", ""])


@given(st.text(max_size=300), _LEADS, st.text(max_size=60))
def test_the_antecedent_is_bounded_and_ends_with_the_sentence(before, lead, after):
    """A text with an anaphor (or a reckoning basis) opening a sentence: the antecedent is read, is bounded, and
    holds no text from past the sentence before the anaphor's."""
    from ipolens.news.claim_context import _REACH
    from ipolens.news.role_neighbours import with_antecedent
    text = before + "。" + lead + after
    at = len(before) + 1
    out = with_antecedent(text, at, "x")
    assert out.endswith("x") and len(out) <= _REACH + 1
    prefix = out[:-1]
    assert text[:at].endswith(prefix)  # a piece of the text right before the sentence, nothing else
    if lead:  # an anaphor reads the sentence before, up to its 。 and no further back than the sentence's start
        assert prefix.endswith("。") and "。" not in prefix[:-1]
    else:
        assert prefix == ""
