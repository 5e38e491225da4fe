"""Build the embedded default dataset into a ledger, offline, from the files shipped inside the package.

The build runs inside the caller's ``Store.write()`` (one transaction; the store recomputes the derived facts before
it commits) and is keyed by a hash of the embedded files: an upgraded package rebuilds its own sources and leaves the
user's imports alone.
"""
from __future__ import annotations

import fnmatch
import hashlib
import math
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from ..ledger.codes import parse_code
from ..ledger.fields import FIELDS
from ..ledger import offerings as lo
from ..ledger import pipeline as lp
from ..ledger.model import Entity, Fact, Source
from ..ledger.schema import INTERVAL_RULE
from ..ledger.store import Ledger

__all__ = ["build", "ensure_embedded", "embedded_dir", "EMBEDDED_SOURCES"]

HK_2018_SOURCE = "dataset:hkex-ipo-app-2018-2022"
HK_2026_SOURCE = "dataset:urop-hk-ipo-2026"
REFERENCE_SOURCE = "dataset:ipolens-reference-notes"
FILES = ("sources.yaml", "entities.yaml", "hk_listings_2018_2022.csv", "hk_ai_listings_2026.csv",
         "article_facts.csv", "reference_facts.yaml", "fx_rates.csv", "precision.yaml", "pipeline.yaml",
         "followons.yaml")


def embedded_dir() -> Path:
    return Path(str(resources.files("ipolens.data") / "embedded"))


def _version() -> str:
    h = hashlib.sha256(INTERVAL_RULE.encode())  # a new interval rule rebuilds the embedded facts' lo/hi
    for name in FILES:
        p = embedded_dir() / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _sources() -> list[Source]:
    return [Source(**s) for s in yaml.safe_load((embedded_dir() / "sources.yaml").read_text(encoding="utf-8"))]


EMBEDDED_SOURCES = tuple(s["id"] for s in yaml.safe_load(
    (Path(__file__).parent / "embedded" / "sources.yaml").read_text(encoding="utf-8")))


def _market_of(key: str) -> str | None:
    prefix, _, code = key.partition(":")
    if prefix == "HK":
        return "HK"
    if prefix == "SH":
        return "STAR" if code.startswith(("688", "689")) else "SH"
    if prefix == "SZ":
        return "SZ"
    if prefix == "US":
        return "NASDAQ"
    return None


def _entities(hk18: pd.DataFrame) -> list[Entity]:
    doc = yaml.safe_load((embedded_dir() / "entities.yaml").read_text(encoding="utf-8"))
    out: dict[str, Entity] = {}
    for _, row in hk18.iterrows():
        lc = parse_code(row["code"])
        out[lc.key] = Entity(lc.key, "listing", "HK", lc.display, _s(row["name_en"]), _s(row["name_zh"]))
    for group, kind in (("listings", "listing"), ("companies", "company"), ("indices", "index"),
                        ("markets", "market")):
        for e in doc.get(group, []):
            key = e["key"]
            code = parse_code(key.split(":", 1)[1] + ("" if not key.startswith("SH:") else ".SH")).display \
                if kind == "listing" else None
            if kind == "listing" and key.startswith("HK:"):
                code = parse_code(key).display
            out[key] = Entity(key, kind, _market_of(key), code, e.get("name_en"), e.get("name_zh"),
                              list(e.get("aliases") or []))
    return list(out.values())


def _precisions() -> dict[str, dict[str, float]]:
    """Source id -> {column pattern: rounding step}, from precision.yaml (each source's steps state their basis)."""
    doc = yaml.safe_load((embedded_dir() / "precision.yaml").read_text(encoding="utf-8")) or {}
    return {sid: {str(k): float(v) for k, v in (d.get("columns") or {}).items()} for sid, d in doc.items()}


def _precision_of(steps: dict[str, float], column: str) -> float | None:
    if column in steps:
        return steps[column]
    return next((v for k, v in steps.items() if fnmatch.fnmatchcase(column, k)), None)


def _s(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


def _wide_facts(df: pd.DataFrame, source_id: str, skip: set[str], notes: dict[str, str] | None = None) -> list[Fact]:
    facts: list[Fact] = []
    steps = _precisions().get(source_id, {})
    for _, row in df.iterrows():
        key = parse_code(row["code"]).key
        listing_date = row.get("listing_date")
        for col, val in row.items():
            if col in skip or col == "code" or _s(val) is None:
                continue
            f = FIELDS[col]
            fact = Fact(entity=key, field=col, source_id=source_id, as_of=listing_date,
                        ext_id=f"{row['code']}:{col}")
            if f.is_text:
                fact.text = str(val)
            else:
                fact.value = float(val)
                fact.precision = _precision_of(steps, col)
                if f.kind == "money":
                    fact.currency = "HKD"
                else:
                    fact.unit = f.kind
            if notes and col in notes:
                fact.note = notes[col]
            facts.append(fact)
    return facts


def _hk_2026_facts(df: pd.DataFrame) -> list[Fact]:
    facts = _wide_facts(df, HK_2026_SOURCE, skip={"close_price_basis"},
                        notes={"cornerstone_share_of_offer": "cornerstone shares as % of the base offer",
                               "proceeds_gross": "offer price x base offer shares (before upsizing or greenshoe)",
                               "final_public_pct": "% of the final offer (denominator may include an upsize)"})
    basis = dict(zip(df["code"].map(lambda c: parse_code(c).key), df["close_price_basis"]))
    for f in facts:
        if f.field == "close_price" and str(basis.get(f.entity, "")).startswith("computed"):
            f.claim_type = "derived_in_source"
            f.note = "derived by the source as offer x (1 + first-day return); not a reported price"
            f.derived_from = {"formula": "offer_price * (1 + first_day_return / 100)", "facts": [],
                              "by": HK_2026_SOURCE}
        elif f.field in ("close_price", "open_price"):
            f.note = "reported by the source (issuer_sample.csv)"
    return facts


def _article_facts(df: pd.DataFrame) -> list[Fact]:
    out = []
    for r in df.to_dict("records"):
        if r["field"] not in FIELDS:
            raise KeyError(f"article_facts.csv: unknown field {r['field']!r} ({r['ext_id']})")
        quote = _s(r["quote"])
        if quote and len(quote) > 80:
            quote = quote[:79] + "…"
        out.append(Fact(
            entity=r["entity"], field=r["field"], source_id=r["source_id"],
            value=None if _s(r["value"]) is None else float(r["value"]),
            value_high=None if _s(r["value_high"]) is None else float(r["value_high"]),
            text=_s(r["text"]), unit=_s(r["unit"]), currency=_s(r["currency"]), qualifier=r["qualifier"],
            as_of=_s(r["as_of"]), period=_s(r["period"]), quote=quote, claim_type=r["claim_type"],
            note=_s(r["note"]), ext_id=r["ext_id"]))
    return out


def _reference_facts() -> list[Fact]:
    doc = yaml.safe_load((embedded_dir() / "reference_facts.yaml").read_text(encoding="utf-8"))
    return [Fact(source_id=REFERENCE_SOURCE, ext_id=f"{d['entity']}:{d['field']}", **d) for d in doc]


def _pipeline() -> tuple[dict[str, pd.DataFrame], list[Fact], list[tuple[str, str]]]:
    """pipeline.yaml: stage events per source, the deals' facts (on their deal entities) and extra aliases."""
    doc = yaml.safe_load((embedded_dir() / "pipeline.yaml").read_text(encoding="utf-8")) or {}
    events: dict[str, list[dict]] = {}
    facts, aliases = [], []
    for d in doc.get("deals", []):
        key = lp.deal_key(d["market"], d["deal"])
        for s in d.get("stages", []):
            events.setdefault(s["source"], []).append(
                {"deal": d["deal"], "market": d["market"], **{k: v for k, v in s.items() if k != "source"}})
        for i, f in enumerate(d.get("facts", [])):
            f = dict(f)
            facts.append(Fact(entity=key, source_id=f.pop("source"), ext_id=f"{key}:{f['field']}:{i}", **f))
        aliases += [(a, key) for a in d.get("aliases", [])]
    return {sid: pd.DataFrame(rows) for sid, rows in events.items()}, facts, aliases


def _followons(ledger: Ledger) -> None:
    """followons.yaml: follow-on offerings with their own sources (ledger/offerings.py), on listings built above."""
    raw, recs = lo.read_file(embedded_dir() / "followons.yaml")
    for s in raw:
        ledger.delete_source(s["id"])
        ledger.add_source(Source(**s))
    rows = lo.prepare(ledger, recs, "followons.yaml")
    lo.write_offerings(ledger, rows, [s["id"] for s in raw])
    ledger.add_facts([Fact(**f) for f in lo.fact_rows(rows)])


def _fx_rows() -> pd.DataFrame | None:
    p = embedded_dir() / "fx_rates.csv"
    if not p.exists():
        return None
    return pd.read_csv(p, comment="#")


def build(ledger: Ledger) -> dict[str, int]:
    """(Re)build every embedded source; user and live data are left alone. Call it inside ``Store.write()``, which
    commits it whole and refreshes the derived facts."""
    d = embedded_dir()
    hk18 = pd.read_csv(d / "hk_listings_2018_2022.csv", dtype={"code": str})
    hk26 = pd.read_csv(d / "hk_ai_listings_2026.csv", dtype={"code": str})
    articles = pd.read_csv(d / "article_facts.csv", dtype={"ext_id": str, "text": str, "period": str})
    stage_events, deal_facts, deal_aliases = _pipeline()
    facts = (_wide_facts(hk18, HK_2018_SOURCE, skip=set()) + _hk_2026_facts(hk26) + _article_facts(articles)
             + _reference_facts() + deal_facts)
    with ledger.transaction():
        lp.delete_pipeline_rows(ledger, EMBEDDED_SOURCES)
        for sid in (*EMBEDDED_SOURCES, "derived:ipolens"):
            ledger.delete_source(sid)
        sources = {s.id: s for s in _sources()}
        for s in sources.values():
            ledger.add_source(s)
        ledger.add_entities(_entities(hk18))
        n = ledger.add_facts(facts)
        # after the entities: a deal named like a company links to it
        lp.write_stage_batches(ledger, [(ev, sources[sid]) for sid, ev in stage_events.items()], "pipeline.yaml")
        lp.add_deal_aliases(ledger, deal_aliases)
        _followons(ledger)
        fx = _fx_rows()
        if fx is not None and len(fx):
            fx["date"] = pd.to_datetime(fx["date"]).dt.date
            ledger.insert_frame("fx_rates", fx[["date", "base", "quote", "rate", "source_id", "note"]],
                                replace=True)
        ledger.set_meta("embedded_version", _version())
    return {"facts": n}


def ensure_embedded(ledger: Ledger) -> bool:
    """Build the embedded dataset if this ledger lacks it or holds an older version. Returns True if built."""
    if ledger.get_meta("embedded_version") == _version():
        return False
    build(ledger)
    return True
