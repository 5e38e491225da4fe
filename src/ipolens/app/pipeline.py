"""Use cases: the IPO pipeline (``ipolens pipeline``, ``ipolens deal``, ``ipolens pipeline import``,
``GET /api/pipeline``, ``GET /api/deal/{name}``).

A deal is a ``DEAL:`` entity with stage rows (ledger/pipeline.py), or a listing in the ledger that no deal links to,
which is a deal at stage ``listed`` on its stated listing date. A deal that links to a listing also shows that
listing's stated listing dates as ``listed`` rows. Valuation claims come from the deal, its listing and the company
its name names, each kept with its source, date and kind. By default the pipeline lists the tracked deals (those
with stage rows); ``include_listed`` (or ``stage='listed'``) adds every listing.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..analytics import pipeline as ap
from ..ledger import pipeline as lp
from ..ledger.access import Store
from ..ledger.codes import CodeError, relisting_days
from ..ledger.markets import UnknownMarket
from ..ledger.model import Source
from ..ledger.pipeline_rules import regimes
from ..ledger.queries import pipeline as q
from ..ledger.store import AmbiguousListing, EntityNotFound, Ledger, normalise_alias
from .base import Result, UserError

__all__ = ["PipelineResult", "DealResult", "ImportResult", "pipeline", "deal", "import_stages", "STAGES"]

STAGES = tuple(dict.fromkeys(s for r in regimes().values() for s in r.stages))


@dataclass
class PipelineResult(Result):
    """``deals``: one object per deal (keys in the module doc of the CLI and README); ``sources``: every source they
    cite; ``on``: the date the current stages are read on."""
    on: str
    market: str | None
    stage: str | None
    include_listed: bool
    deals: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)


@dataclass
class DealResult(Result):
    """One deal: the same keys as a pipeline deal, plus ``on`` and ``sources``."""
    deal: dict[str, Any]
    on: str
    sources: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        base = super().to_dict()
        return {**base["deal"], "on": base["on"], "sources": base["sources"]}


@dataclass
class ImportResult(Result):
    file: str
    source: str
    events: int
    added: int
    deals: list[str] = field(default_factory=list)


def _on(on: str | dt.date | None) -> dt.date:
    if on is None or on == "":
        return lp.today()
    try:
        return on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
    except ValueError:
        raise UserError(f"--on {on!r} is not an ISO date (YYYY-MM-DD)") from None


def _market(market: str | None) -> str | None:
    if not market:
        return None
    try:
        return lp.deal_market(market)
    except (UnknownMarket, ValueError) as exc:
        raise UserError(f"--market: {exc}") from None


def _stage(stage: str | None) -> str | None:
    if not stage:
        return None
    s = stage.strip().lower()
    if s not in STAGES:
        raise UserError(f"--stage {stage!r} is not a stage; expected one of {', '.join(STAGES)}")
    return s


# -- assembling deals -------------------------------------------------------------------------------------------------
def _tracked(led: Ledger) -> dict[str, dict]:
    """Deal key -> {key, name, market, code, listing, company} from the deals rows (the first non-empty value
    among the sources). The name: the deal entity's, else its company's, else the one most sources give."""
    out: dict[str, dict] = {}
    names: dict[str, list[str]] = {}
    for r in q.deal_rows(led).to_dict("records"):
        d = out.setdefault(r["deal"], {"key": r["deal"], "name": r["entity_name"] or r["company_name"],
                                       "market": r["market"], "code": r["code"], "listing": None, "company": None})
        d["listing"] = d["listing"] or r["listing"]
        d["company"] = d["company"] or r["company"]
        d["name"] = d["name"] or r["company_name"]
        names.setdefault(r["deal"], []).append(r["name"])
    for key, d in out.items():  # else the name most sources give (the first of equals)
        d["name"] = d["name"] or max(names[key], key=names[key].count)
    return out


def _listing_rows(df: pd.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in df.to_dict("records"):
        out.setdefault(r["key"], []).append({"stage": "listed", "date": r["date"], "source_id": r["source_id"],
                                             "doc_ref": None, "quote": r["quote"], "basis": "listing_date fact",
                                             "note": f"listing date of {r['code'] or r['key']} in the ledger"})
    return out


def _same_listing(own: list[dict], listing_rows: list[dict]) -> list[dict]:
    """The linked listing's dates, unless the deal states its own listing date far from them: a code the exchange
    reused names an older listing (ledger.codes.relisting_days)."""
    mine = [dt.date.fromisoformat(r["date"][:10]) for r in own if r["stage"] == "listed"]
    if not mine:
        return listing_rows
    return [r for r in listing_rows
            if any(abs((dt.date.fromisoformat(r["date"][:10]) - d).days) <= relisting_days() for d in mine)]


def _not_yet(d: dict, on: dt.date) -> bool:
    """A deal whose every stage row is dated after ``on``: it was not in the pipeline yet (a deal with no dated row
    at all, or rows refused by the rules, stays so that its gap shows)."""
    days = [str(s["date"])[:10] for s in d["stages"] if s.get("date")]
    return d["stage"] is None and bool(days) and min(days) > on.isoformat()


def _offer_price(facts: list[dict]) -> dict | None:
    """The resolved offer price (the ledger's best row, else the first stated); None when no source gives one."""
    rows = [f for f in facts if f["field"] == "offer_price" and f.get("value_num") is not None]
    w = next((f for f in rows if f.get("is_best")), rows[0] if rows else None)
    return None if w is None else {"value": w["value_num"], "currency": w.get("currency"),
                                   "qualifier": w.get("qualifier"), "source": w["source_id"]}


def _known_by(fact: dict, on: dt.date) -> bool:
    """Was the fact stated by ``on``? Its as_of, else its source's publication date; an undated fact is kept."""
    day = fact.get("as_of") or fact.get("source_published")
    return not day or str(day)[:10] <= on.isoformat()


def _assemble(led: Ledger, on: dt.date, market: str | None, stage: str | None, include_listed: bool,
              only: set[str] | None = None) -> tuple[list[dict], dict[str, dict]]:
    tracked = _tracked(led)
    if only is not None:
        tracked = {k: v for k, v in tracked.items() if k in only}
    stage_rows: dict[str, list[dict]] = {}
    for r in q.stage_rows(led, list(tracked)).to_dict("records"):
        stage_rows.setdefault(r["deal"], []).append(r)
    linked = {d["listing"] for d in tracked.values() if d["listing"]}
    want_listings = include_listed or stage == "listed"
    listing_keys = None if (want_listings and only is None) else sorted(linked | {k for k in (only or ()) if
                                                                              not k.startswith("DEAL:")})
    listed = q.listed_listings(led, listing_keys)
    listing_stages = _listing_rows(listed)
    deals: list[dict] = []
    for d in tracked.values():
        own = stage_rows.get(d["key"], [])
        rows = [*own, *_same_listing(own, listing_stages.get(d["listing"], []))]
        deals.append({**d, **ap.stage_summary(d["market"], rows, on)})
    if want_listings or only:
        names = {r["key"]: r for r in listed.to_dict("records")}
        for key, rows in listing_stages.items():
            if key in linked or (only is not None and key not in only):
                continue
            r = names[key]
            deals.append({"key": key, "name": r["name_en"] or r["name_zh"], "market": r["market"], "code": r["code"],
                          "listing": key, "company": None, **ap.stage_summary(r["market"], rows, on)})
    deals = [d for d in deals if (market is None or d["market"] == market) and (stage is None or d["stage"] == stage)
             and (only is not None or not _not_yet(d, on))]
    entities = sorted({k for d in deals for k in (d["key"], d["listing"], d["company"]) if k})
    facts = [f for f in q.deal_facts(led, entities, list(ap.VALUE_FIELDS)).to_dict("records") if _known_by(f, on)]
    by_entity: dict[str, list[dict]] = {}
    for f in facts:
        by_entity.setdefault(f["entity"], []).append(f)
    cited: set[str] = set()
    for d in deals:
        mine = [f for k in (d["key"], d["listing"], d["company"]) if k for f in by_entity.get(k, [])]
        d["price_range"] = ap.price_range(mine)
        d["raise"] = ap.raise_of(mine)
        d["offer_price"] = _offer_price(mine)
        if d["offer_price"]:
            cited.add(d["offer_price"]["source"])
        d["valuations"] = ap.valuations(mine)
        cited |= {s["source"] for s in d["stages"] if s["source"]}
        cited |= {v["source"] for v in d["valuations"]}
        cited |= set((d["price_range"] or {}).get("source") or [])
        if d["raise"]:
            cited.add(d["raise"]["source"])
    deals.sort(key=lambda d: (d["name"] or "", d["key"]))
    deals.sort(key=lambda d: d["stage_date"] or "", reverse=True)  # newest stage first, undated last
    return deals, q.sources_by_id(led, sorted(cited))


def pipeline(store: Store, market: str | None = None, stage: str | None = None, include_listed: bool = False,
             on: str | dt.date | None = None) -> PipelineResult:
    """The deals in the pipeline with their current stage on ``on`` (default today), newest stage first."""
    day, m, s = _on(on), _market(market), _stage(stage)
    with store.read() as led:
        if not q.has_schema(led):
            return PipelineResult(day.isoformat(), m, s, include_listed)
        deals, sources = _assemble(led, day, m, s, include_listed)
    return PipelineResult(day.isoformat(), m, s, include_listed, deals, sources)


def _find(led: Ledger, name: str) -> set[str]:
    text = name.strip()
    if not text:
        raise UserError("give a deal name, key or listing code")
    if text.upper().startswith(lp.DEAL_PREFIX + ":"):
        hits = {r["deal"] for r in q.deal_rows(led).to_dict("records") if r["deal"].lower() == text.lower()}
        if hits:
            return hits
    hits = set(q.deal_keys_by_name(led, normalise_alias(text), prefix_ok=False))
    if hits:
        return hits
    tracked = _tracked(led)
    try:
        key = led.resolve_entity(text)
    except AmbiguousListing:
        raise
    except EntityNotFound:
        key = None
    if key:
        owned = {k for k, d in tracked.items() if key in (d["key"], d["listing"], d["company"])}
        if owned:
            return owned
        if (led.entity(key) or {}).get("kind") == "listing":
            return {key}
    hits = set(q.deal_keys_by_name(led, normalise_alias(text)))
    if hits:
        return hits
    raise EntityNotFound(f"no deal matches {name!r}" + (f" ({key} is not a deal or a listing)" if key else ""))


def deal(store: Store, name: str, on: str | dt.date | None = None) -> DealResult:
    """One deal by name, alias, ticker, deal key, company or listing code (``ipolens deal NAME``)."""
    day = _on(on)
    with store.read() as led:
        if not q.has_schema(led):
            raise EntityNotFound(f"no deal matches {name!r}: this ledger has no pipeline tables yet")
        keys = _find(led, name)
        deals, sources = _assemble(led, day, None, None, True, only=keys)
    if not deals:
        raise EntityNotFound(f"no deal matches {name!r} (a listing without a listing date is not a deal)")
    if len(deals) > 1:
        shown = ", ".join(f"{d['key']} ({d['name']}, {d['market']})" for d in deals[:8])
        raise EntityNotFound(f"{name!r} is ambiguous: it matches {len(deals)} deals: {shown}; give the deal key")
    return DealResult(deals[0], day.isoformat(), sources)


# -- import -----------------------------------------------------------------------------------------------------------
_KINDS = ("user", "exchange_filing", "prospectus", "dataset", "news")


def _read_events(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise UserError(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})") from None
        items = doc.get("events") if isinstance(doc, dict) else doc
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            raise UserError(f"{path.name}: expected a list of stage events (or a mapping with 'events:'), each a "
                            f"mapping with {', '.join(lp.STAGE_EVENT_COLUMNS)}")
        df = pd.DataFrame(items)
        df["row"] = [f"item {i + 1}" for i in range(len(df))]
        return df
    if path.suffix.lower() != ".csv":
        raise UserError(f"{path.name}: expected a .csv, .yaml or .yml file of stage events")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UserError(f"{path.name}: not a readable CSV ({exc})") from None
    df["row"] = [str(i + 2) for i in range(len(df))]  # line numbers: the header is line 1
    return df


def import_stages(store: Store, file: str | Path, source_title: str | None = None, source_kind: str = "user",
                  publisher: str | None = None, url: str | None = None) -> ImportResult:
    """``ipolens pipeline import FILE``: stage events from a CSV or YAML file, checked row by row and by the stage
    rules, then written in one transaction under one source (a re-import of the same title adds nothing new)."""
    path = Path(file)
    if not path.is_file():
        raise UserError(f"{file}: no such file")
    if source_kind not in _KINDS:
        raise UserError(f"--source-kind {source_kind!r}; expected one of {', '.join(_KINDS)}")
    title = (source_title or path.name).strip()
    slug = re.sub(r"[^\w]+", "-", title.lower()).strip("-") or "file"
    source = Source(f"{source_kind}:pipeline:{slug}", source_kind, title, publisher=publisher, url=url,
                    retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
                    note=f"stage events imported with ipolens pipeline import from {path.name}")
    events = _read_events(path)
    try:
        with store.write() as led:
            added = lp.write_stage_events(led, events, source, origin=path.name)
    except (lp.StageEventError, CodeError) as exc:
        raise UserError(str(exc)) from None
    deals = sorted({lp.deal_key(m, d) for m, d in zip(events["market"], events["deal"])})
    return ImportResult(path.name, source.id, len(events), added, deals)
