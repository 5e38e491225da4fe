"""Adapter from POST /api/news/check to the news reader (``ipolens.news``, written separately).

In order of preference: the news package's ``check_text(db, text) -> dict`` if it offers one; its claim extractor
plus its verifier (``ipolens.news.verify.verify``), which sets each claim's verdict and returns the findings; and,
if the verifier is absent, a plain lookup of each claim against the ledger's resolved value for the same entity
and field ('agrees', 'differs' or 'unverifiable').
"""
from __future__ import annotations

from typing import Any


def check_text(db, text: str) -> dict[str, Any]:
    try:
        import ipolens.news as news
    except ImportError:
        return {"engine": "none", "claims": [], "note": "the news reader is not installed"}
    own = getattr(news, "check_text", None)
    if callable(own):
        out = own(db, text)
        return out if isinstance(out, dict) else {"engine": "ipolens.news.check_text", "claims": out}
    try:
        from ipolens.news.extract import extract_claims
        from ipolens.news.gazetteer import Gazetteer
        from ipolens.news.text import article_from_text
    except ImportError:
        return {"engine": "none", "claims": [], "note": "the news reader has no claim extractor yet"}
    article = article_from_text(text, "<request>")
    claims = extract_claims(article, Gazetteer.from_database(db))
    try:
        from ipolens.news.verify import verify
    except ImportError:
        verify = None
    if verify is not None:
        findings = verify({"<request>": claims}, db)
        out = [c.to_json() for c in claims]
        counts: dict[str, int] = {}
        for d in out:
            counts[d["verdict"]] = counts.get(d["verdict"], 0) + 1
        return {"engine": "ipolens.news.extract + ipolens.news.verify", "characters": len(text), "claims": out,
                "verdicts": counts, "findings": [f.to_json() for f in findings]}
    out = []
    cache: dict[str, Any] = {}
    for c in claims:
        d = c.to_json()
        d.update(_verdict(db, c, cache))
        out.append(d)
    counts = {}
    for d in out:
        counts[d["verdict"]] = counts.get(d["verdict"], 0) + 1
    return {"engine": "ipolens.news.extract + ledger lookup", "characters": len(text), "claims": out,
            "verdicts": counts}


def _verdict(db, claim, cache: dict) -> dict[str, Any]:
    if not claim.entity_key or claim.value is None:
        return {"verdict": "unverifiable", "why": "no entity or no number"}
    facts = cache.get(claim.entity_key)
    if facts is None:
        try:
            facts = db.facts(claim.entity_key)
        except Exception:  # noqa: BLE001 - an entity the ledger cannot resolve is simply unverifiable
            facts = None
        cache[claim.entity_key] = facts
    if facts is None or facts.empty:
        return {"verdict": "unverifiable", "why": "entity not in the ledger"}
    ref = facts[(facts["field"] == claim.metric) & facts["is_resolved"] & facts["value"].notna()]
    if ref.empty:
        return {"verdict": "unverifiable", "why": f"no resolved {claim.metric} in the ledger"}
    r = ref.iloc[0]
    value = float(r["value"])
    same_unit = (r["unit"] or r["currency"]) in (None, claim.unit) or claim.unit in (r["unit"], r["currency"])
    close = abs(value - float(claim.value)) <= max(1e-9, 0.01 * abs(value))
    verdict = "agrees" if (close and same_unit) else "differs"
    return {"verdict": verdict, "why": f"ledger {claim.metric} = {value:g} {r['unit'] or ''}".strip(),
            "ledger_value": value, "ledger_source": r["source_id"]}
