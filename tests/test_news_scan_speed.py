"""The speed rewrites of the news scanners find exactly what the plain patterns they replace find (a reference copy
of each old pattern lives here), on random text built from the characters and words the patterns react to."""
import re

from hypothesis import example, given, settings, strategies as st

from ipolens.news import gazetteer_local

# the listing-code pattern before the look-behind was added (it rescanned a run of spaces from each of its positions)
_OLD_LISTING = re.compile(r"\s*[(（]\s*(?:(?:NASDAQ|NYSE|HKEX|SEHK|SSE|SZSE|港交所|股份代[號号]|代[碼码]|股票代[碼码])"
                          r"\s*[:：]?\s*)?\d{4,6}(?:\.(?:HK|SH|SZ|SS))?\s*[)）]"
                          r"|\s*[(（]\s*(?:NASDAQ|NYSE|HKEX|SEHK)\s*[:：]\s*[A-Z]{1,5}\s*[)）]")

_LISTING_PIECES = st.one_of(
    st.text(alphabet=" \n\t\u3000()（）:：.0123456789AHKSZ", max_size=12),
    st.sampled_from(["(", "（", ")", "）", " ", "  ", "\n", "NASDAQ", "NYSE", "HKEX", "港交所", "股份代號", ": ", "：",
                     "0700", "06078", ".HK", ".SH", "CRCL", "Hygeia Healthcare", "Tencent "]),
)


@given(st.lists(_LISTING_PIECES, max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
@example("Hygeia Healthcare (6078.HK)")
@example("   (NASDAQ: CRCL) x  （股份代號：0700）")
@example(" " * 50 + "(0700.HK)")
def test_listing_codes_as_the_plain_pattern_finds_them(text):
    old = [m.span() for m in _OLD_LISTING.finditer(text)]
    new = [m.span() for m in gazetteer_local._LISTING.finditer(text)]
    assert new == old


def test_listing_match_opens_where_the_spaces_before_the_bracket_open():
    text = "Name" + " " * 7 + "(0700.HK)"
    assert [m.span() for m in gazetteer_local._LISTING.finditer(text)] == [(4, len(text))]
