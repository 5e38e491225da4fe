"""Shared helpers of the role tests: what the reader makes of the figure written in braces in an invented sentence."""
from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text


def claim_at(example: str, market: str = "HK"):
    """The claim covering the figure in braces (None when no claim starts there)."""
    start = example.index("{")
    text = example.replace("{", "").replace("}", "")
    for c in extract_claims(article_from_text(text), market=market):
        if c.start <= start < c.end or c.start == start:
            return c
    return None


def metric_of(example: str, market: str = "HK") -> str | None:
    """The metric the reader gives the figure in braces (None when no claim covers it)."""
    c = claim_at(example, market)
    return c.metric if c is not None else None


def unit_of(example: str, market: str = "HK") -> str | None:
    """The unit the reader gives the figure in braces (None when no claim covers it)."""
    c = claim_at(example, market)
    return c.unit if c is not None else None


def role_case_tests(positive: list[tuple], negative: list[tuple]):
    """The two tests of a table of invented sentences, (family, text, market, metric): every positive text gives
    its metric, no negative text gives the metric named (the wrong role its words could suggest)."""
    import pytest

    @pytest.mark.parametrize("family,text,market,metric", positive, ids=[f"{p[0]}-{i}" for i, p in enumerate(positive)])
    def test_family_gives_its_role(family, text, market, metric):
        assert metric_of(text, market) == metric

    @pytest.mark.parametrize("family,text,market,wrong", negative, ids=[f"{n[0]}-{i}" for i, n in enumerate(negative)])
    def test_family_does_not_give_the_wrong_role(family, text, market, wrong):
        got = metric_of(text, market)
        assert got != wrong, (text, got)

    return test_family_gives_its_role, test_family_does_not_give_the_wrong_role
