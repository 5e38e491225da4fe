"""ipolens.news: read Chinese and English IPO news, extract its numeric claims and check them.

    from ipolens.news.api import check_files
    read, findings = check_files(["a.txt", "b.txt"], ipolens.open())

Submodules import lazily; ``import ipolens.news`` stays cheap.
"""
from __future__ import annotations

__all__ = ["check_text"]


def check_text(db, text: str, published=None, market: str | None = None) -> dict:
    """Claims of one text with verdicts (within the text and against the ledger), as JSON-ready data."""
    from collections import Counter

    from .api import gazetteer_for
    from .extract import extract_claims
    from .text import article_from_text
    from .verify import verify

    art = article_from_text(text, "<request>")
    claims = extract_claims(art, gazetteer_for(db) if db is not None else None, market=market, published=published)
    findings = verify({"<request>": claims}, db)
    out = [c.to_json() for c in claims]
    return {"engine": "ipolens.news", "characters": len(text), "claims": out,
            "verdicts": dict(Counter(c["verdict"] for c in out)),
            "findings": [f.to_json() for f in findings if f.verdict != "consistent" or f.check != "ledger"]}
