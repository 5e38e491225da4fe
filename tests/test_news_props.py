"""Property tests: format/parse round-trips; the extractor never crashes and never leaves the text."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from ipolens.news.extract import extract_claims
from ipolens.news.numbers import format_quantity, parse_number, scan_numbers
from ipolens.news.text import article_from_text, normalise

values = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999999999"), places=2,
                     allow_nan=False, allow_infinity=False)
units = st.sampled_from(["HKD", "USD", "CNY", "pct", "x", "money", None])


@given(values, units, st.sampled_from(["exact", "about", "nearly", "more_than"]))
@settings(max_examples=300, deadline=None)
def test_parse_format_round_trip_zh(v, unit, qualifier):
    text = format_quantity(v, unit, qualifier)
    q = parse_number(text)
    assert Decimal(str(q.value)) == v.normalize() or abs(q.value - float(v)) <= 1e-9 * float(v)
    assert q.unit == unit
    assert q.qualifier == qualifier


@given(values, st.sampled_from(["HKD", "USD", "pct", "x"]))
@settings(max_examples=200, deadline=None)
def test_parse_format_round_trip_en(v, unit):
    q = parse_number(format_quantity(v, unit, style="en"))
    assert abs(q.value - float(v)) <= 1e-9 * float(v)
    assert q.unit == unit


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_extractor_never_crashes_and_spans_stay_inside(text):
    art = article_from_text(text)
    for c in extract_claims(art):
        assert 0 <= c.start <= c.end <= len(text)
    for q in scan_numbers(normalise(text).text):
        assert 0 <= q.start <= q.end


numberish = st.text(alphabet="0123456789.,万亿萬億港元美%倍近超约HK$US 年月日一二三千百十零两、至-()（）\n", max_size=120)


@given(numberish)
@settings(max_examples=400, deadline=None)
def test_number_heavy_text(text):
    art = article_from_text(text)
    for c in extract_claims(art):
        assert 0 <= c.start <= c.end <= len(text)
        assert c.quote == "" or c.quote in text


@given(numberish)
@settings(max_examples=300, deadline=None)
def test_verifier_never_crashes(text):
    from ipolens.news.verify import RANK, verify

    cs = extract_claims(article_from_text(text))
    verify({"a": cs, "b": extract_claims(article_from_text(text[::-1]))})
    assert all(c.verdict in RANK and c.why for c in cs)
