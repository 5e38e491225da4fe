"""Roles read from the structure of the figure's own clause (issue 13, roles on unseen articles): the tense of its
verb, a clause with a subject and verb of its own, and who raises the money (one company or a whole market).

Every sentence is invented; the expected role follows from the sentence's own words. Each structure has a negative
sentence with the same words where the structure differs and the role must not follow.
"""
from news_role_helpers import role_case_tests

POSITIVE = [
    # a future verb in the figure's clause: a forecast of the figure, not its outcome
    ("future", "Brokers say the retail tranche will be {400 times} oversubscribed.", "HK",
     "oversubscription_public_forecast"),
    ("future", "Analysts said the offer will be oversubscribed {90 times} by Friday.", "HK",
     "oversubscription_public_forecast"),
    # a market is the one that raises: the total of its deals; a projection of it is a forecast
    ("market_raiser", "KPMG projects Hong Kong to raise {HK$180 billion} this year.", "HK", "ipo_proceeds_forecast"),
    ("market_raiser", "Nasdaq raised {$40 billion} from new listings last year.", "US", "ipo_proceeds"),
    ("market_raiser", "美股IPO募资{300亿美元}，创历史新高。", "US", "ipo_proceeds"),
    ("market_raiser", "港交所集資{1200億港元}，居全球第一。", "HK", "ipo_proceeds"),
    # the noun a figure is joined to by 的 names it even behind a short modifier
    ("modified_head", "該股以{250%}的首日漲幅居今年之首。", "HK", "first_day_return"),
    ("modified_head", "該股獲得超過{300倍}的公開發售超額認購。", "HK", "oversubscription_public"),
    # a bare move in the clause right after a price is the move to that price
    ("move_to_price", "該股盤中一度衝高至12港元，升幅{20%}。", "HK", "intraday_high_return"),
    ("move_to_price", "该股暗盘一度冲高至8.5港元，涨幅超{30%}。", "HK", "grey_market_high_return"),
    # a sentence opening with an anaphor ('這一數量') is about the figure of the sentence before and its subject
    ("anaphor", "基石投資者合共認購3000萬股。這一數量約佔發售股份總數的{25%}。", "HK", "cornerstone_share_of_offer"),
    ("anaphor", "基石投资者将认购2000万股。这一数量约占公司已发行股本总额的比例约为{1.5%}。", "HK",
     "cornerstone_share_of_capital"),
    # a sentence opening with the basis of a reckoning reckons from the price of the sentence before
    ("reckoning", "該股今早開報5元，較招股價低20%。以每手500股計算，一手賬面虧損{625元}。", "HK", "loss_per_lot_at_open"),
    # a qualifier in the figure's own clause outranks one of the clause before (that clause's figure owns it)
    ("own_clause_qualifier", "公司發行1000萬股，其中90%為國際配售，{10%}為香港公開發售。", "HK", "public_tranche_pct"),
    ("own_clause_qualifier", "公司發行1000萬股，其中10%為香港公開發售，{90%}為國際配售。", "HK", "intl_tranche_pct"),
    # the opening moment named by either verb of the family ('began trading' / 'started trading')
    ("open_moment", "The stock started trading at $15, {20%} above its offer price.", "US", "first_day_open_return"),
    ("open_moment", "The stock began trading at $15, {20%} above its offer price.", "US", "first_day_open_return"),
    # a day's own verb before it outranks the next clause's verb after it
    ("day_own_clause", "The chipmaker went public on {June 4, 2019}, priced at $21 a share.", "US", "listing_date"),
    ("day_own_clause", "The app maker listed on {March 3, 2021}, and priced its bonds later.", "US", "listing_date"),
]

NEGATIVE = [
    ("future", "The retail tranche was {400 times} oversubscribed; trading will start on Friday.", "HK",
     "oversubscription_public_forecast"),
    # a company raising in a market: the market follows 'in' / 在
    ("market_raiser", "The chipmaker's listing in Hong Kong raised {HK$5 billion}.", "HK", "ipo_proceeds"),
    ("market_raiser", "该公司此次在港股集资{50亿港元}。", "HK", "ipo_proceeds"),
    # a clause with its own subject and verb does not take the opening price of the clause before it
    ("own_clause", "The stock began trading at $12.50, and shares quickly moved to {$14}.", "US", "open_price"),
    ("own_clause", "Shares opened at $20, and the price later rose to {$23}.", "US", "open_price"),
    # a bare head noun is nearer than one behind a modifier ('的超額配' + '股權' is no stake)
    ("modified_head", "若全數行使{15%}的超額配股權，集資額將增加。", "HK", "holder_stake"),
    ("day_own_clause", "The chipmaker went public on {June 4, 2019}, priced at $21 a share.", "US", "pricing_date"),
    ("anaphor", "公司發售3000萬股。這一數量約佔發售股份總數的{25%}。", "HK", "cornerstone_share_of_offer"),
    ("anaphor", "基石投資者合共認購3000萬股。\n公司發售的股份約佔已發行股本的{25%}。", "HK", "cornerstone_share_of_capital"),
    ("reckoning", "該股全日收報5元，較招股價低20%。以每手500股計算，一手賬面虧損{625元}。", "HK", "loss_per_lot_at_open"),
    # a later moment ('其後', 'then') ends the open's reach
    ("later_moment", "該股首日高開30%，其後升幅擴大至{50%}，收市升40%。", "HK", "first_day_open_return"),
    ("later_moment", "The stock opened 30% higher and then extended its gain to {50%}.", "US", "first_day_open_return"),
    # a cue an earlier figure of another kind owns is not a later multiple's ('sank 34%': the 34%'s)
    ("owned_cue", "The maker sank 34% in its debut, after orders for {274 times} the retail shares.", "HK",
     "first_day_return"),
    ("move_to_price", "該股盤中一度衝高至12港元，全日收市升{20%}。", "HK", "intraday_high_return"),
    ("open_moment", "The stock started trading last week and closed {20%} above its offer price.", "US",
     "first_day_open_return"),
]

test_structure_gives_its_role, test_structure_does_not_give_the_wrong_role = role_case_tests(POSITIVE, NEGATIVE)


def test_the_sentence_before_is_read_only_after_an_anaphor():
    from ipolens.news.role_neighbours import with_antecedent
    text = "基石投资者认购3000万股。这一数量约占发售股份的25%。"
    s_start = text.index("这一")
    assert with_antecedent(text, s_start, "这一数量约占") == "基石投资者认购3000万股。这一数量约占"
    plain = "公司发行3000万股。发售股份约占25%。"
    assert with_antecedent(plain, plain.index("发售"), "发售股份约占") == "发售股份约占"


from hypothesis import given, strategies as st  # noqa: E402


@given(st.text(max_size=400), st.integers(min_value=0, max_value=400))
def test_the_antecedent_is_bounded_and_ends_with_the_sentence(text, at):
    from ipolens.news.claim_context import _REACH
    from ipolens.news.role_neighbours import with_antecedent
    at = min(at, len(text))
    out = with_antecedent(text, at, "x")
    assert out.endswith("x") and len(out) <= _REACH + 1
