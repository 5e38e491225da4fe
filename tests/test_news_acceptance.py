"""Acceptance on the three reference articles, with ../shared/data/article_facts.yaml as ground truth."""
from types import SimpleNamespace

import pytest

from ipolens.app.news import check_files, evaluate
from ipolens.news.api import read_articles

from conftest import SHARED  # noqa: E402

DATA = SHARED / "data"
ARTICLES = DATA / "articles"
pytestmark = pytest.mark.needs_shared


def _files():
    return sorted(ARTICLES.glob("*.txt"))


@pytest.fixture(scope="module")
def checked(store):
    """(path -> (article, claims), findings) from the use case; claims and findings as attribute objects."""
    files = _files()
    result = check_files(store, files)
    read = {a.path: (a, [SimpleNamespace(**c) for c in result.claims if c["article"] == a.path])
            for a in read_articles(files)}
    return read, [SimpleNamespace(**f) for f in result.findings]


def test_three_articles_present():
    assert len(_files()) == 3


def test_value_recall_precision_currency(store):
    score = evaluate(store, ARTICLES, DATA / "article_facts.yaml")
    print(f"\nnews_eval recall={score.recall:.3f} precision={score.precision:.3f} "
          f"currency={score.currency_accuracy:.3f} metric={score.metric_accuracy:.3f} "
          f"(gold {score.gold}, predicted {score.predicted}, matched {score.matched})")
    assert score.recall >= 0.90
    assert score.precision >= 0.90
    assert score.currency_accuracy >= 0.95
    assert score.money_matched >= 40


def _claim(checked, file_part, quote_part, metric=None, value=None):
    read, _ = checked
    for p, (_, cs) in read.items():
        if file_part in p:
            for c in cs:
                if quote_part in c.quote and (metric is None or c.metric == metric) and (
                        value is None or c.value == pytest.approx(value)):
                    return c
    raise AssertionError(f"no claim with {quote_part!r} in {file_part}")


def test_open_return_consistent(checked):
    c = _claim(checked, "icefire", "82.1%", "first_day_open_return", value=82.1)
    assert c.verdict == "consistent"
    assert "82.14" in c.why


def test_cagr_consistent(checked):
    c = _claim(checked, "debut-cold", "105%", "cagr")
    assert c.verdict == "consistent"
    assert "105.1" in c.why


def test_zhipu_fx_is_a_tension(checked):
    c = _claim(checked, "icefire", "约70亿美元", value=7e9)
    assert c.unit == "USD"
    assert c.verdict == "tension"
    assert "implied rate 7.31" in c.why


def test_biren_fx_consistent(checked):
    c = _claim(checked, "icefire", "约合110亿美元", value=1.1e10)
    assert c.verdict == "consistent"


def test_zhipu_doubling_consistent(checked):
    c = _claim(checked, "icefire", "翻倍有余")
    assert c.verdict == "consistent"
    assert "2.33x" in c.why


def test_cambricon_nearly_thirty_left_unverifiable(checked):
    # article_checks.md confirms it from the trough-to-peak price multiple, a role that existed for this one phrase
    # and was removed (issue 13); with nothing else stating the multiple the reader says so rather than flag it
    c = _claim(checked, "launch", "近30倍")
    assert c.verdict == "unverifiable" and "no check applies" in c.why


def test_moore_first_day_cap_consistent(checked):
    c = _claim(checked, "launch", "3000億元", value=3e11)
    assert c.verdict == "consistent"
    assert "3,055" in c.why


def test_market_increment_not_flagged(checked):
    # the market-increment check existed for this one sentence and was removed (issue 13): unverifiable, not an error
    assert _claim(checked, "debut-cold", "超千亿美元").verdict == "unverifiable"


def test_market_cap_across_articles_flagged(checked):
    c = _claim(checked, "icefire", "855.4亿港元", value=8.554e10)
    assert c.verdict == "tension"
    assert "+6.9%" in c.why or "-6.5%" in c.why or "6.9" in c.why


def test_close_return_unverifiable_names_missing_input(checked):
    c = _claim(checked, "icefire", "75.8%", value=75.8)
    assert c.verdict in ("unverifiable", "consistent")
    assert "close price" in c.why


def test_no_consistent_claim_flagged_inconsistent(checked):
    """No claim that article_checks.md calls consistent comes out inconsistent; nothing at all is 'inconsistent'."""
    read, findings = checked
    bad = [f for f in findings if f.verdict == "inconsistent"]
    assert bad == [], [f.why for f in bad]


def test_offsets_point_into_the_file_text(checked):
    read, _ = checked
    for p, (art, cs) in read.items():
        for c in cs:
            assert 0 <= c.start < c.end <= len(art.text)
            assert c.quote in art.text


def test_traditional_article_spans_are_original(checked):
    c = _claim(checked, "launch", "1.38萬億港元", value=1.38e12)
    read, _ = checked
    art = next(a for p, (a, _) in read.items() if "launch" in p)
    assert art.text[c.start:c.end].endswith("1.38萬億港元")
    assert c.value == 1.38e12 and c.unit == "HKD" and c.qualifier == "more_than"


def test_entities_and_currency_inference(checked):
    c = _claim(checked, "launch", "54元", value=54)
    assert c.code == "688256.SH" and c.unit == "CNY" and c.currency_inferred
    r = _claim(checked, "launch", "49.9萬元", value=499000)
    assert r.entity_key == "HK:06082" and r.metric == "revenue" and r.period == "FY2022" and r.unit == "CNY"
    rd = [_claim(checked, "launch", "10.18億元", value=v) for v in (1.018e9, 8.86e8, 8.27e8)]
    assert [x.period for x in rd] == ["FY2022", "FY2023", "FY2024"]


def test_json_schema_fields(checked):
    from ipolens.news.schema import CLAIM_SCHEMA, validate_claim

    read, _ = checked
    for _, (_, cs) in read.items():
        for c in cs:
            validate_claim(vars(c))
    assert set(CLAIM_SCHEMA["required"]) >= {"entity", "code", "metric", "value", "unit", "qualifier", "start",
                                              "end", "quote", "verdict", "why"}


def test_cumulative_loss_names_the_missing_opex(checked):
    """A21 needed the 2025H1 opex, which only a one-phrase R&D-share floor bounded (removed, issue 13): the check
    now names the missing input instead of reaching the tension article_checks.md reports."""
    c = _claim(checked, "debut-cold", "累计净亏损超63亿元", value=6.3e9)
    assert c.verdict == "unverifiable"
    assert "loss_vs_opex" in c.why and "2025H1" in c.why


def test_metax_more_striking_than_moore(checked):
    c = _claim(checked, "launch", "682%", value=682)
    assert c.verdict == "consistent" and "468.78" in c.why


def test_revenue_order_of_magnitude_across_articles(checked):
    """A14: 49.9万 (001, FY2022) vs '50万元量级' (002, the year before 2023)."""
    c = _claim(checked, "debut-cold", "50万元量级", value=5e5)
    assert c.period == "FY2022"
    assert c.verdict == "consistent"


def test_cornerstone_share_basis_is_a_tension(checked):
    """E4: ~64% at the range midpoint vs 51.93% of the final base offer in the deal data."""
    c = _claim(checked, "launch", "64%", value=64)
    assert c.verdict == "tension" and "51.93" in c.why


def test_headline_and_advert_not_attached_to_biren(checked):
    gold = _claim(checked, "launch", "黃金期貨飆升4%", value=4)
    ad = _claim(checked, "launch", "狂劈 55%", value=55)
    assert gold.entity_key is None and ad.entity_key is None and ad.claim_type == "promotional"
