"""English number words and elided units: a number word before shares ('each ADS represents two ordinary
shares'), more of the same with its share unit left out ('another 4 million'). Every sentence is invented for the
test; expected values are worked out by hand (million = 1e6)."""
import pytest

from ipolens.news.extract import extract_claims
from ipolens.news.numbers import scan_numbers
from ipolens.news.text import article_from_text, normalise


def _scan(text: str):
    return [(q.value, q.unit, q.qualifier) for q in scan_numbers(normalise(text).text)]


@pytest.mark.parametrize("text, expected", [
    # more of the same: the unit of the share figure before it, elided
    ("Orbiton sold 20 million shares, and its founders sold another 4 million.", [20e6, 4e6]),
    ("Orbiton offered 9,000,000 new shares and holders a further 1,500,000.", [9e6, 1.5e6]),
    ("Orbiton raised $20 million, and another 4 million came from loans.", [20e6]),  # no share figure before
])
def test_an_elided_share_unit(text, expected):
    claims = extract_claims(article_from_text(text), market="US")
    assert [c.value for c in claims] == expected


@pytest.mark.parametrize("text, expected", [
    ("Each ADS represents two Class A ordinary shares.", [(2, "shares", "exact")]),
    ("Holders receive three new shares for each share held.", [(3, "shares", "exact")]),
    ("The company keeps two share classes.", []),  # 'share classes' counts no shares
    ("The two shares trade apart.", []),  # 'the two' refers back: no new figure
])
def test_english_number_words_count_shares(text, expected):
    assert _scan(text) == expected
