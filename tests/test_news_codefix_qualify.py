"""Qualifiers: a family's nearest context wins on either side of the figure, and a sharpened role may be sharpened
again (a bounded chain). Sentences written for these tests."""
import re

import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.roles import Lexicon, Qualifier
from ipolens.news.text import article_from_text


def _qual(context, becomes, family="", scope="clause"):
    return Qualifier(context=re.compile(context), scope=scope, unless=None, becomes=becomes, examples=(),
                     family=family)


def _lex(*quals, defaults=None):
    return Lexicon([], list(quals), {}, {}, defaults=defaults)


# a toy family: 'from' names the start of a move, 'to' its end
_FROM = _qual(r"from", {"level": "level_from"}, family="move")
_TO = _qual(r"to", {"level": "level_to"}, family="move")


def _ask(lex, sentence, figure):
    """qualify() for ``figure`` in ``sentence`` (the clause is the whole sentence)."""
    at = sentence.index(figure)
    tail = len(sentence) - at - len(figure)
    return lex.qualify("level", sentence, sentence, tail, tail, len(figure))


@pytest.mark.parametrize("sentence, figure, expected", [
    ("from 10% to 50%", "10%", "level_from"),  # 'from' 1 character before, 'to' 1 after: a tie, before wins
    ("from 10% to 50%", "50%", "level_to"),  # 'to' 1 before, 'from' 9 before
    ("from the 10% to 50%", "10%", "level_to"),  # 'the' puts 'from' 5 away, 'to' is 1 after: the nearer wins
    ("it went from 10%", "10%", "level_from"),  # one context only
])
def test_family_nearest_context_either_side(sentence, figure, expected):
    assert _ask(_lex(_FROM, _TO), sentence, figure) == expected
    assert _ask(_lex(_TO, _FROM), sentence, figure) == expected  # the lexicon's order does not decide a family


def test_no_context_gives_the_default():
    assert _ask(_lex(_FROM, _TO, defaults={"level": "level_plain"}), "it was 10%", "10%") == "level_plain"


def test_chain_applies_until_nothing_changes():
    a = _qual(r"IPO", {"proceeds": "ipo_proceeds"})
    b = _qual(r"expect", {"ipo_proceeds": "ipo_proceeds_forecast"})
    lex = _lex(b, a)  # the second step is listed first: the chain does not depend on the order
    s = "brokers expect IPO proceeds of 9"
    assert lex.qualify("proceeds", s, s, 0, 0, 1) == "ipo_proceeds_forecast"
    s = "IPO proceeds of 9"
    assert lex.qualify("proceeds", s, s, 0, 0, 1) == "ipo_proceeds"


def test_chain_stops_at_a_cycle():
    there = _qual(r"x", {"a": "b"})
    back = _qual(r"x", {"b": "a"})
    assert _lex(there, back).qualify("a", "x 1", "x 1", 0, 0, 1) == "b"


def _metrics(text, market):
    return {c.value: c.metric for c in extract_claims(article_from_text(text), None, market=market)}


@pytest.mark.parametrize("text, market", [
    ("公开发售速递\n\n回拨后，公开发售比例由原先的10%增至50%。\n", "HK"),
    ("公開發售速遞\n\n回撥後，公開發售比例由原先的10%增至50%。\n", "HK"),
    ("Retail tranche\n\nThe retail tranche was originally 10% and was increased to 50%.\n", "HK"),
])
def test_revision_family_reads_each_figure_from_its_nearer_word(text, market):
    got = _metrics(text, market)
    assert got[10] == "public_tranche_pct_initial"
    assert got[50] == "public_tranche_pct_final"


@pytest.mark.parametrize("text, market", [
    ("港股展望\n\n分析师预计今年港股累计募资将达1500亿元。\n", "CN"),
    ("港股展望\n\n分析師預計今年港股累計集資將達1500億港元。\n", "HK"),
    ("Outlook\n\nAnalysts expect the 80 companies listing this year to raise a combined $20 billion.\n", "US"),
])
def test_total_of_deals_then_forecast_chain(text, market):
    amounts = [c for c in extract_claims(article_from_text(text), None, market=market) if c.value >= 10 ** 9]
    assert [c.metric for c in amounts] == ["ipo_proceeds_forecast"]


def test_total_without_forecast_word_stays_a_total():
    got = _metrics("港股回顾\n\n今年港股累计募资1500亿元。\n", "CN")
    assert got[150_000_000_000] == "ipo_proceeds"
