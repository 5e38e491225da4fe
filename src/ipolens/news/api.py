"""The news reader in a few calls, on data only: read articles, extract claims, verify them, and turn them into the
source and facts a ledger write needs. The ledger itself is read and written by ``ipolens.app.news``."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

from .extract import Claim, _stem, extract_claims
from .gazetteer import Gazetteer
from .text import Article, article_from_text, read_article
from .verify import Finding, LedgerFacts, verify

__all__ = ["Read", "read_articles", "article_from_text", "extract_all", "check_read", "source_id_for",
           "source_for", "ledger_records", "ledger_pairs"]

Read = dict[str, tuple[Article, list[Claim]]]  # article path -> (article, its claims)


def source_id_for(path: str | Path) -> str:
    return f"news:{_stem(str(path))}"


def read_articles(paths: list[str | Path], encoding: str | None = None) -> list[Article]:
    return [read_article(p, encoding) for p in paths]


def extract_all(articles: list[Article], gazetteer: Gazetteer | None, published: dt.date | None = None,
                market: str | None = None, tick: Callable[[], None] | None = None) -> Read:
    return {a.path: (a, extract_claims(a, gazetteer, market=market, published=published, tick=tick))
            for a in articles}


def ledger_pairs(read: Read) -> list[tuple[str, str]]:
    """(entity, field) pairs to fetch from the ledger: those the ledger check compares claims with, and, for every
    entity the articles name, the roles an identity can take as a known value (an offer price the article omits)."""
    from .identities import roles_of_all
    from .ledger_basis import SECOND_READINGS
    from .ledger_check import DEAL_FIELDS
    from .verify import checkable

    claims = [c for _, cs in read.values() for c in cs]
    pairs = {(c.entity_key, c.metric) for c in claims if checkable(c)}
    pairs |= {(e, also) for e, m in pairs for also in SECOND_READINGS.get(m, ())}
    roles = (*roles_of_all(), *DEAL_FIELDS)  # and the pipeline deal each entity links to
    pairs |= {(e, r) for e in {c.entity_key for c in claims if c.entity_key} for r in roles}
    return sorted(pairs)


def check_read(read: Read, facts: pd.DataFrame | None, fx=None, tick: Callable[[], None] | None = None
               ) -> list[Finding]:
    """Verify the claims (sets verdicts on them); ``facts`` holds the candidate ledger rows, None skips the ledger."""
    own = {source_id_for(p) for p in read}
    ledger = LedgerFacts(facts) if facts is not None else None
    return verify({p: cs for p, (_, cs) in read.items()}, ledger, fx=fx, own_sources=own, tick=tick)


def source_for(art: Article, published: dt.date | None = None, title: str | None = None,
               publisher: str | None = None):
    from ipolens.ledger.model import Source

    pub = published or art.published()
    window = art.date_window()
    note = None
    if pub is None and window:
        note = f"no printed date; header evidence puts it at {window[0]}..{window[1]}"
    pubr = publisher or art.header.get("publisher")
    if pubr and len(pubr) > 200:
        pubr = pubr[:200]
    return Source(id=source_id_for(art.path), kind="news", title=title or art.title or Path(art.path).name,
                  publisher=pubr, published=pub, date_note=note,
                  licence="third-party news text; short quotations only",
                  note=f"claims extracted by ipolens.news from {Path(art.path).name}")


def ledger_records(read: Read, published: dt.date | None = None, title: str | None = None,
                   publisher: str | None = None) -> list[tuple[object, str, list]]:
    """(Source, file stem, facts) per article: every claim with an entity as a news fact (promotions skipped)."""
    return [(source_for(art, published, title, publisher), _stem(path), _facts(claims, source_id_for(path)))
            for path, (art, claims) in read.items()]


def _facts(claims: list[Claim], source_id: str) -> list:
    from ipolens.ledger.fields import FIELDS
    from ipolens.ledger.model import Fact

    facts = []
    for c in claims:
        if not c.entity_key or c.claim_type == "promotional":
            continue
        fld = c.metric if c.metric in FIELDS else "statement"
        value, text = c.value, c.text
        if FIELDS[fld].is_text:
            value, text = None, text or c.date
        elif value is None and text and re.fullmatch(r"\d{4}", text):
            value = float(text)
        if value is None and text is None:
            continue
        facts.append(Fact(
            entity=c.entity_key, field=fld, source_id=source_id, value=value, text=text,
            value_high=c.value_high, unit=c.unit, currency=c.unit if c.unit in ("HKD", "CNY", "USD") else None,
            qualifier=c.qualifier, as_of=c.date if FIELDS[fld].kind != "date" else None, period=c.period,
            quote=c.quote[:80], claim_type="forecast" if c.claim_type == "forecast" else "reported",
            note=(f"metric {c.metric}; " if fld != c.metric else "") + "; ".join(c.notes) or None,
            ext_id=c.id))
    return facts
