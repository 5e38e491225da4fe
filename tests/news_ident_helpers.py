"""Shared helpers of the deal-type identity tests: read an invented sentence and verify it, pick one claim, check a
verdict; and a claim built by hand with its role, for relations the reader does not yet read from one sentence."""
import pytest

from ipolens.news.extract import Claim, extract_claims
from ipolens.news.text import article_from_text
from ipolens.news.verify import verify

FLAGS = ("inconsistent", "tension")


def read(text: str, market: str) -> list:
    cs = extract_claims(article_from_text(text), market=market)
    verify({"a": cs})
    return cs


def one(cs, metric, value):
    hit = [c for c in cs if c.metric == metric and c.value == pytest.approx(value)]
    assert len(hit) == 1, [(c.metric, c.value) for c in cs]
    return hit[0]


def check(text, market, metric, value, relation, wrong):
    """``wrong``: the figure is contradicted (flagged); else it is confirmed by ``relation`` and nothing is flagged."""
    cs = read(text, market)
    c = one(cs, metric, value)
    if wrong:
        assert c.verdict in FLAGS, c.why
    else:
        assert c.verdict == "consistent" and relation in c.why, c.why
        assert not [x for x in cs if x.verdict in FLAGS], [(x.metric, x.why) for x in cs if x.verdict in FLAGS]


def claim(n, metric, value, unit, half):
    """The n-th figure of one invented sentence, in ``metric``'s role, rounded to +-``half``."""
    pos = n * 30
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key="HK:06661", code=None, metric=metric,
                 value=value, unit=unit, qualifier="exact", start=pos, end=pos + 6, quote=f"{metric} {value:g}",
                 sentence="某公司的配发结果一句话", _nstart=pos, _nend=pos + 6, _resn=half)


def hand_claim(n, metric, value, unit, qualifier="exact", half=None, date=None, entity="HK:09999", at=None,
               quote=None, gap="", sentence="某公司的一句话"):
    """A claim as the extractor gives it; by default all test claims share one sentence (their working is local)."""
    q = quote or f"{metric} {value:g}"
    pos = n * 20 if at is None else at
    return Claim(id=f"t#{n}", article="t", entity="某公司", entity_key=entity, code=None, metric=metric,
                 value=value, unit=unit, qualifier=qualifier, start=pos, end=pos + 5, quote=q, sentence=sentence,
                 date=date, _nstart=pos, _nend=pos + 5, _resn=half, _gap=gap)
