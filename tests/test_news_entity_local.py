"""Names introduced with a listing code are entities whether or not the ledger knows them (gazetteer_local)."""
from __future__ import annotations

import pandas as pd
import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.gazetteer import Gazetteer, Mention
from ipolens.news.gazetteer_local import NAME_OPENERS, NOT_NAME_WORDS, local_names
from ipolens.news.text import article_from_text


def _spans(text: str, found) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.key) for m in found]


def test_unknown_code_gives_a_new_entity_and_its_short_name_corefers():
    text = "The Hong Kong-listed Hygeia Healthcare Holdings (6078.HK) rose. Hygeia said revenue rose."
    assert _spans(text, local_names(text, [])) == [
        ("Hygeia Healthcare Holdings", "NEW:Hygeia Healthcare Holdings"),
        ("Hygeia", "NEW:Hygeia Healthcare Holdings")]


def test_ticker_after_its_exchange_and_chinese_code_words():
    text = "Zeta Labs (NASDAQ: ZETA) and Orion Bio (股份代號：2432) listed."
    assert _spans(text, local_names(text, [])) == [("Zeta Labs", "NEW:Zeta Labs"), ("Orion Bio", "NEW:Orion Bio")]


def test_an_abbreviation_in_brackets_is_no_code():
    text = "Its Initial Public Offering (IPO) and Zeta Labs (ZETA) were priced."
    assert local_names(text, []) == []


def test_a_word_of_digits_is_no_name():
    text = "It rose 31 (2432) times."
    assert local_names(text, []) == []


def test_known_code_makes_the_name_an_alias_of_its_entity():
    text = "Hygeia Healthcare (6078.HK) rose; Hygeia fell later."
    code = text.index("6078.HK")
    known = [Mention(code, code + 7, "HK:06078", "6078.HK")]
    assert _spans(text, local_names(text, known)) == [("Hygeia Healthcare", "HK:06078"), ("Hygeia", "HK:06078")]


def test_a_name_opening_with_a_known_alias_stays_the_gazetteers():
    text = "Orion Labs Group (NASDAQ: ORLG) rose."
    known = [Mention(0, 10, "US:ORLB", "Orion Labs")]
    assert local_names(text, known) == []


def test_known_alias_after_an_opener_word_is_that_company():
    text = "Shanghai Orion Labs (NASDAQ: ORLB) rose."
    known = [Mention(9, 19, "US:ORLB", "Orion Labs")]
    assert _spans(text, local_names(text, known)) == [("Shanghai Orion Labs", "US:ORLB")]


def test_known_alias_inside_a_new_name_is_no_match():
    # the ledger knows 'Orion Labs'; 'Zeta Orion Labs' with an unknown code is another company
    ents = pd.DataFrame([{"key": "HK:09993", "kind": "company", "market": "HK", "code": "09993",
                          "name_en": "Orion Labs", "name_zh": None}])
    gaz = Gazetteer.from_frames(ents, pd.DataFrame(columns=["alias", "entity"]))
    text = "Zeta Orion Labs (NASDAQ: ZOL) rose, unlike Orion Labs."
    assert _spans(text, gaz.find(text)) == [("Zeta Orion Labs", "NEW:Zeta Orion Labs"), ("Orion Labs", "HK:09993")]


def test_two_unknown_companies_of_one_article_are_two_entities():
    ents = pd.DataFrame(columns=["key", "kind", "market", "code", "name_en", "name_zh"])
    gaz = Gazetteer.from_frames(ents, pd.DataFrame(columns=["alias", "entity"]))
    text = "Zeta Labs (NASDAQ: ZETA) rose 10% on its debut.\n\nOrion Bio (NASDAQ: ORBI) fell 5% on its debut."
    cs = [c for c in extract_claims(article_from_text(text), gaz, market="US") if c.unit == "pct"]
    assert [(c.entity_key, abs(c.value)) for c in cs] == [("NEW:Zeta Labs", 10), ("NEW:Orion Bio", 5)]


@pytest.mark.parametrize("word", sorted(NAME_OPENERS))
def test_opener_word_is_never_a_short_name(word):
    name = f"{word.title()} Zeta Labs"
    text = f"{name} (NASDAQ: ZETA) rose. {word.title()} fell."
    assert _spans(text, local_names(text, [])) == [(name, f"NEW:{name}")]


@pytest.mark.parametrize("word", sorted(NOT_NAME_WORDS))
def test_phrase_word_before_a_name_is_no_part_of_it(word):
    text = f"{word.title()} Zeta Labs (NASDAQ: ZETA) rose."
    assert _spans(text, local_names(text, [])) == [("Zeta Labs", "NEW:Zeta Labs")]
