"""Role causes that are grammar, not vocabulary (round 2 of the role work): a verb in any of its forms, a move's size
set off by a comma, a clause with a subject of its own, a table-like row, a subject switched to the listing's parent.

Every sentence is invented for this test; the expected role follows from the sentence's own words, worked out by hand.
Each family has a negative sentence: the family's words are near, but the figure must not take the role they suggest.
"""
import pytest

from news_role_helpers import metric_of, role_case_tests

UNASSIGNED = (None, "statement", "unassigned")

POSITIVE = [
    # a move verb in its base form, -ing form, or as 'was up': the end price after 'to' is the price moved to
    ("verb_forms", "The newcomer saw its share price jump 98.8 percent to {$5.20} on Friday.", "US", "close_price"),
    ("verb_forms", "The newcomer saw its share price jump {98.8 percent} on Friday.", "US", "first_day_return"),
    ("verb_forms", "Shares of the chipmaker, rising 30% to {$26}, led the market.", "US", "close_price"),
    ("verb_forms", "The brewer's stock was up 7% to {$11.77} at midday.", "US", "snapshot_price"),
    ("verb_forms", "The lender's shares advance 4% to {HK$3.12} on Monday.", "HK", "close_price"),
    ("verb_forms", "The stock declined 9% to HK$20 from {HK$22}.", "HK", "offer_price"),
    # the move's size set off by a comma before its end price
    ("comma_to", "The retailer's stock was up 12%, to {$17.92}, at 3:27 p.m.", "US", "snapshot_price"),
    ("comma_to", "The miner closed down 3%, to {HK$9.70}.", "HK", "close_price"),
    # the plural and a copula of a loss
    ("losses", "The startup had losses of {$12 million} last year.", "US", "net_loss"),
    ("losses", "Sales doubled, but losses were {$30 million}.", "US", "net_loss"),
    # a verb in its -ing form names a price too
    ("pricing", "The insurer will debut on Friday after pricing at {$15} a share.", "US", "offer_price"),
    ("pricing", "The insurer is pricing its shares at {$14} apiece.", "US", "offer_price"),
    # a table-like row: the key names the figure as 'key of figure' would
    ("table_row", "Fact sheet of the deal\nLot size: {500 shares}\nSponsor: a bank", "HK", "lot_size"),
    ("table_row", "Fact sheet of the deal\nDeal Size USD {120 million}\nSponsor: a bank", "US", "proceeds_gross"),
    ("table_row", "Fact sheet of the deal\nGross proceeds: {US$80 million}\nSponsor: a bank", "US", "proceeds_gross"),
    ("table_row", "Fact sheet of the deal\nOversubscription: {120 times}\nSponsor: a bank", "HK", "oversubscription"),
    ("deal_size", "The listing had a deal size of {$300 million}.", "US", "proceeds_gross"),
]

NEGATIVE = [
    # a clause with its own subject and copula takes no role from the sentence's other clauses
    ("own_subject", "Though sales grew 35% to $270 million, its debt stood at {$64 million}.", "US", "revenue"),
    ("own_subject", "The company raised $5 billion in its IPO, and its cash pile was {$2 billion}.", "US",
     "proceeds_gross"),
    # the parent's move is not the new stock's
    ("parent", "The spin-off soared on debut, while its parent fell {3%}.", "HK", "first_day_return"),
    ("parent", "新股首日大升兩成，母公司股價則跌{3%}。", "HK", "first_day_return"),
    ("parent", "The new stock closed up 20%, while the parent company closed at {HK$40}.", "HK", "close_price"),
    # a percentage after 'rise to' is a level reached (a tranche's share, a ratio), not the stock's move
    ("level", "If demand tops 100 times, the retail portion will rise to {50 per cent}.", "HK", "first_day_return"),
    ("level", "The ratio rose to {30%} after the clawback.", "HK", "first_day_return"),
    # a table row whose key names no role: the key is no cue
    ("table_row", "Fact sheet of the deal\nSponsor fee: {US$5 million}\nSponsor: a bank", "US", "proceeds_gross"),
]


test_grammar_family_gives_the_role, test_grammar_family_does_not_give_the_wrong_role = role_case_tests(POSITIVE, NEGATIVE)


@pytest.mark.parametrize("text", [
    "Though sales grew 35% to $270 million, its debt stood at {$64 million}.",
    "The spin-off soared on debut, while its parent fell {3%}.",
])
def test_a_switched_subject_leaves_the_figure_unassigned(text):
    assert metric_of(text, "US") in UNASSIGNED


def test_the_parent_word_in_a_spin_off_unit_keeps_the_debut_role():
    assert metric_of("The parent's spin-off unit rose {20%} on its debut.", "HK") == "first_day_return"


def test_a_clause_without_its_own_subject_still_takes_the_sentence_role():
    # 'to' alone has no subject: the move before the comma is this price's
    assert metric_of("The stock climbed 15%, to {$23}, at the close.", "US") == "close_price"
