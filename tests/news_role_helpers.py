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
