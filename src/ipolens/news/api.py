"""The news reader in one call: read files, extract claims, verify, write to the ledger."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .extract import Claim, _stem, extract_claims
from .gazetteer import Gazetteer
from .text import Article, read_article
from .verify import Finding, verify

__all__ = ["read_claims", "check_files", "source_id_for", "add_to_ledger", "source_for"]

_GAZ: dict[int, Gazetteer] = {}


def gazetteer_for(db) -> Gazetteer:
    g = _GAZ.get(id(db))
    if g is None:
        g = _GAZ[id(db)] = Gazetteer.from_database(db)
    return g


def source_id_for(path: str | Path) -> str:
    return f"news:{_stem(str(path))}"


def read_claims(paths: list[str | Path], db=None, published: dt.date | None = None, market: str | None = None,
                encoding: str | None = None) -> dict[str, tuple[Article, list[Claim]]]:
    g = gazetteer_for(db) if db is not None else None
    out = {}
    for p in paths:
        art = read_article(p, encoding)
        out[str(p)] = (art, extract_claims(art, g, market=market, published=published))
    return out


def check_files(paths: list[str | Path], db=None, published: dt.date | None = None, market: str | None = None,
                encoding: str | None = None) -> tuple[dict[str, tuple[Article, list[Claim]]], list[Finding]]:
    read = read_claims(paths, db, published, market, encoding)
    own = {source_id_for(p) for p in read}
    findings = verify({p: cs for p, (_, cs) in read.items()}, db, own_sources=own)
    return read, findings


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


def add_to_ledger(db, read: dict[str, tuple[Article, list[Claim]]], published: dt.date | None = None,
                  title: str | None = None, publisher: str | None = None) -> int:
    """Write every claim as a news fact, all files in ONE transaction; re-running replaces earlier extractions."""
    from ipolens.ledger.fields import FIELDS
    from ipolens.ledger.model import Fact

    n = 0
    with db.ledger.transaction():
        for path, (art, claims) in read.items():
            src = source_for(art, published, title, publisher)
            known = db.ledger.con.execute("SELECT 1 FROM sources WHERE id = ?", [src.id]).fetchone()
            if not known or published or title or publisher:  # keep curated metadata unless the user overrides it
                db.ledger.add_source(src)
            stem = _stem(path)
            db.ledger.con.execute("DELETE FROM facts WHERE source_id = ? AND starts_with(ext_id, ?)",
                                  [src.id, f"{stem}#"])
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
                    entity=c.entity_key, field=fld, source_id=src.id, value=value, text=text,
                    value_high=c.value_high, unit=c.unit, currency=c.unit if c.unit in ("HKD", "CNY", "USD") else None,
                    qualifier=c.qualifier, as_of=c.date if FIELDS[fld].kind != "date" else None, period=c.period,
                    quote=c.quote[:80], claim_type="forecast" if c.claim_type == "forecast" else "reported",
                    note=(f"metric {c.metric}; " if fld != c.metric else "") + "; ".join(c.notes) or None,
                    ext_id=c.id))
            n += db.ledger.add_facts(facts)
    return n
