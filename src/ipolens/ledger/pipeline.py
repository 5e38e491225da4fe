"""Pipeline deals and their dated stages (issue 14).

A deal that has not listed is an entity of its own (``DEAL:<MARKET>:<slug>``, kind ``deal``). Its stages are rows of
``deal_stages``: one per deal, stage, date and source, each with its document reference and a short quote; two
sources that date a stage differently both stay. ``deals`` says, per source, the deal's display name and what it links
to: its listing (from the listing code once known) and the company entity its name already names (SpaceX ->
``CO:spacex``), whose facts (valuation claims from the news) then show beside the deal. A deal whose name another
entity already holds keeps its name here only, not as an alias, so name lookups and the news gazetteer stay
unambiguous. Listings in the ledger that no deal links to are deals at stage ``listed`` (derived in the queries).

Writes happen inside ``Store.write()``; an event out of order by the stage rules (pipeline_stages.yaml) is refused
with the file, row and field, and nothing is written.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

import pandas as pd

from .codes import CodeError, parse_code
from .markets import UnknownMarket, market as market_info, normalise_market
from .pipeline_rules import StageOrderError, regime_for, walk
from .pipeline_schema import DDL_PIPELINE

# model and store import the schema, which (until it takes DDL_PIPELINE from pipeline_schema) imports this module:
# the functions import them where they need them
if TYPE_CHECKING:
    from .model import Entity, Source
    from .store import Ledger

__all__ = ["DDL_PIPELINE", "STAGE_EVENT_COLUMNS", "StageEventError", "deal_entity", "deal_key", "write_stage_events",
           "write_stage_batches", "find_deal", "normalise_events", "delete_pipeline_rows", "add_deal_aliases",
           "deal_market", "has_schema", "DEAL_PREFIX"]

DEAL_PREFIX = "DEAL"
STAGE_EVENT_COLUMNS = ["deal", "market", "code", "stage", "date", "doc_ref", "quote"]
QUOTE_MAX = 80



class StageEventError(ValueError):
    """Stage events that cannot enter the ledger; ``errors`` lists one message per row and field at fault."""

    def __init__(self, errors: list[str]):
        shown = "; ".join(errors[:20]) + (f"; ... and {len(errors) - 20} more" if len(errors) > 20 else "")
        super().__init__(f"{len(errors)} stage event error{'s' if len(errors) != 1 else ''}: {shown}")
        self.errors = errors


def has_schema(led: "Ledger") -> bool:
    return led.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'deal_stages'"
                           ).fetchall()[0][0] > 0


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFKC", str(name)).strip().lower()
    slug = re.sub(r"[^\w]+", "-", s).strip("-_")
    if not slug:
        raise ValueError(f"cannot make a deal key from {name!r}")
    return slug


def deal_market(name: str) -> str:
    """A markets.yaml name (aliases resolved); names only the stage rules know (CHINEXT, NYSE) pass as written."""
    text = str(name).strip().upper()
    try:
        return normalise_market(text)
    except UnknownMarket:
        regime_for(text)  # raises when no rules know it either
        return text


def deal_key(market: str, name: str) -> str:
    """'NASDAQ', 'SpaceX' -> 'DEAL:NASDAQ:spacex'."""
    return f"{DEAL_PREFIX}:{deal_market(market)}:{_slug(name)}"


def deal_entity(market: str, name: str, code: str | None = None) -> "Entity":
    """The entity a new deal's stages and offer-term facts (price range, shares, raise, underwriters, dates) are
    written on: ``DEAL:<MARKET>:<slug of the name>``, kind ``deal``; ``code`` is the listing code once known. For a
    deal the ledger may already hold under another name or with its code, use ``find_deal(led, ...)`` first (the
    stage writer does)."""
    from .model import Entity

    m = deal_market(market)
    latin = bool(re.search(r"[A-Za-z]", name))
    display = parse_code(code).display if code else None
    return Entity(deal_key(m, name), "deal", m, display, name.strip() if latin else None,
                  None if latin else name.strip())


def _listing_of(market: str, code: str) -> str:
    lc = parse_code(code)
    try:
        prefix = market_info(market).code_prefix
    except UnknownMarket:
        return lc.key
    if lc.market != prefix:
        raise CodeError(f"code {code!r} is a {lc.market} code, not one of market {market} ({prefix})")
    return lc.key


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return None
    s = str(v).strip()
    return s or None


def normalise_events(events: pd.DataFrame, origin: str | None = None) -> tuple[list[dict], list[str]]:
    """Check every event and field: (rows ready to walk, errors naming origin, row and field). A ``row`` column
    gives the row numbers to report (an import's file rows); otherwise events are numbered from 1."""
    from .model import FactError, to_date

    missing = [c for c in ("deal", "market", "stage", "date") if c not in events.columns]
    where = f"{origin}: " if origin else ""
    if missing:
        return [], [f"{where}missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (expected "
                    f"{', '.join(STAGE_EVENT_COLUMNS)})"]
    rows, errors = [], []
    for seq, rec in enumerate(events.to_dict("records")):
        n = rec.get("row") if _text(rec.get("row")) else seq + 1
        label = f"{where}row {n}" if "row" in events.columns else f"{where}event {n}"

        def bad(fld: str, msg: str) -> None:
            errors.append(f"{label}, field {fld}: {msg}")

        name, market_text, stage = _text(rec.get("deal")), _text(rec.get("market")), _text(rec.get("stage"))
        out: dict[str, Any] = {"_seq": seq, "_label": label, "deal": name, "stage": stage}
        if not name:
            bad("deal", "empty; give the deal's name")
        try:
            out["market"] = deal_market(market_text or "")
        except (UnknownMarket, ValueError) as exc:
            bad("market", str(exc) if market_text else "empty; give a market such as HK, STAR or NASDAQ")
            continue
        regime = regime_for(out["market"])
        if stage not in regime.stages:
            bad("stage", f"{stage!r} is not a {regime.name.upper()} stage; expected one of {', '.join(regime.stages)}")
        try:
            out["date"] = to_date(rec.get("date"))
            if out["date"] is None:
                bad("date", "empty; every stage needs its ISO date")
        except FactError as exc:
            bad("date", str(exc))
        code = _text(rec.get("code"))
        out["code"], out["listing"] = code, None
        if code:
            try:
                out["listing"] = _listing_of(out["market"], code)
                out["code"] = parse_code(code).display
            except CodeError as exc:
                bad("code", str(exc))
        quote = _text(rec.get("quote"))
        if quote and len(quote) > QUOTE_MAX:
            bad("quote", f"{len(quote)} characters; at most {QUOTE_MAX}")
        out["quote"], out["doc_ref"], out["note"] = quote, _text(rec.get("doc_ref")), _text(rec.get("note"))
        if name:
            out["key"] = deal_key(out["market"], name)
        rows.append(out)
    return rows, errors


def _stored(led: "Ledger", keys: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if not keys:
        return out
    for deal, stage, date, source_id in led.con.execute(
            "SELECT deal, stage, date, source_id FROM deal_stages WHERE list_contains(?::VARCHAR[], deal)",
            [keys]).fetchall():
        out.setdefault(deal, []).append({"stage": stage, "date": date, "source_id": source_id, "_stored": True})
    return out


def _alias_owners(led: "Ledger", name: str, key: str) -> list[tuple[str, str]]:
    from .store import normalise_alias

    return led.con.execute("SELECT DISTINCT a.entity, e.kind FROM aliases a JOIN entities e ON e.key = a.entity "
                           "WHERE a.alias = ? AND a.entity <> ? ORDER BY a.entity",
                           [normalise_alias(name), key]).fetchall()


def _entity_row(led: "Ledger", key: str, rows: list[dict], owners: list[tuple[str, str]]) -> dict:
    """The deal's entities row: its code once a row gives one (an earlier code stays); a known deal keeps its names,
    a new one takes the rows' name unless another entity holds it (the name then lives in ``deals`` only)."""
    code = next((r["code"] for r in rows if r["listing"]), None)
    old = next(iter(led.con.execute("SELECT code, name_en, name_zh FROM entities WHERE key = ?", [key]).fetchall()),
               None)
    ent = deal_entity(rows[0]["market"], rows[0]["deal"], code)
    row = {"key": key, "kind": "deal", "market": ent.market, "code": code or (old[0] if old else None),
           "name_en": None if owners else ent.name_en, "name_zh": None if owners else ent.name_zh}
    if old:  # names a source gives later go to ``deals`` (and the aliases), not over the deal's own
        row["name_en"], row["name_zh"] = old[1], old[2]
    return row


def find_deal(led: "Ledger", market: str, name: str, code: str | None = None) -> str | None:
    """The deal already in the ledger that these events are about: in the same market, the one with this listing code,
    else the one this name (or an alias) names; None when there is none or the name is ambiguous. Providers name a
    deal differently (SpaceX, Space Exploration Technologies Corp.): write the facts of a deal on
    ``find_deal(...) or deal_entity(...).key`` so they land where its stages are."""
    from .store import normalise_alias

    m = deal_market(market)
    if code:
        hits = led.con.execute("SELECT key FROM entities WHERE kind = 'deal' AND market = ? AND code = ?",
                               [m, parse_code(code).display]).fetchall()
        if len(hits) == 1:
            return hits[0][0]
    alias = normalise_alias(name)
    hits = {k for (k,) in led.con.execute(
        "SELECT DISTINCT a.entity FROM aliases a JOIN entities e ON e.key = a.entity AND e.kind = 'deal' "
        "WHERE a.alias = ? AND e.market = ?", [alias, m]).fetchall()}
    hits |= {k for k, n in led.con.execute("SELECT DISTINCT deal, name FROM deals WHERE market = ?", [m]).fetchall()
             if normalise_alias(n) == alias}
    return hits.pop() if len(hits) == 1 else None


def _deal_row(key: str, rows: list[dict], source_id: str, owners: list[tuple[str, str]]) -> dict:
    """This source's ``deals`` row: name, market, the listing its code names, the company its name names."""
    return {"deal": key, "name": rows[0]["deal"], "market": rows[0]["market"],
            "listing": next((r["listing"] for r in rows if r["listing"]), None),
            "company": next((k for k, kind in owners if kind == "company"), None), "source_id": source_id}


def write_stage_events(led: "Ledger", events: pd.DataFrame, source: "Source", origin: str | None = None) -> int:
    """Write stage events (columns ``STAGE_EVENT_COLUMNS``; an optional ``note``, and ``row`` for the file rows to
    name in errors) under ``source``: returns the rows the source gained (a re-run adds none). Every row is checked
    and then every deal's stages, stored and new together, are walked by the rules; any error refuses the whole
    batch (StageEventError, naming ``origin``, row and field)."""
    return write_stage_batches(led, [(events, source)], origin)


def write_stage_batches(led: "Ledger", batches: list[tuple[pd.DataFrame, "Source"]], origin: str | None = None) -> int:
    """``write_stage_events`` for several sources at once (checked together: one source's stages may complete
    another's); returns the rows gained."""
    from .store import normalise_alias

    errors: list[str] = []
    by_key: dict[str, list[dict]] = {}
    known: dict[tuple, str | None] = {}
    for events, source in batches:
        rows, errs = normalise_events(events, origin or source.id)
        errors += errs
        for r in rows:
            if r.get("key") and r.get("date") and r["stage"] in regime_for(r["market"]).stages:
                ask = (r["market"], r["deal"], r["code"])
                if ask not in known:
                    known[ask] = find_deal(led, *ask)
                by_key.setdefault(known[ask] or r["key"], []).append({**r, "source_id": source.id})
    stored = _stored(led, list(by_key))
    for key, new in by_key.items():
        try:
            walk(regime_for(new[0]["market"]), [*stored.get(key, []), *new])
        except StageOrderError as exc:
            e = exc.event
            if e.get("_stored"):
                errors.append(f"{key}: the new events put the stored stage {e['stage']!r} on {e['date']} (source "
                              f"{e['source_id']}) out of order: {exc}")
            else:
                errors.append(f"{e['_label']}, field stage: {exc} (deal {e['deal']!r})")
    if errors:
        raise StageEventError(errors)
    have = {i for (i,) in led.con.execute("SELECT id FROM sources WHERE list_contains(?::VARCHAR[], id)",
                                          [[src.id for _, src in batches]]).fetchall()}
    for _, source in batches:
        if source.id not in have:  # a source the caller already filed keeps its row
            led.add_source(source)
    deal_rows, entity_rows, alias_rows = [], [], []
    for key, new in by_key.items():
        owners = _alias_owners(led, new[0]["deal"], key)
        entity_rows.append(_entity_row(led, key, new, owners))
        if not owners and normalise_alias(new[0]["deal"]):
            alias_rows.append((normalise_alias(new[0]["deal"]), key))
        for sid in dict.fromkeys(r["source_id"] for r in new):
            deal_rows.append(_deal_row(key, [r for r in new if r["source_id"] == sid], sid, owners))
    if not by_key:
        return 0
    led.insert_frame("entities", pd.DataFrame(entity_rows), replace=True)
    if alias_rows:
        led.insert_frame("aliases", pd.DataFrame(sorted(set(alias_rows)), columns=["alias", "entity"]), ignore=True)
    cols = ["deal", "name", "market", "listing", "company", "source_id"]
    led.con.register("_new_deals", pd.DataFrame(deal_rows, columns=cols).astype(object))
    try:
        led.con.execute("DELETE FROM deals WHERE EXISTS (SELECT 1 FROM _new_deals n WHERE n.deal = deals.deal "
                        "AND n.source_id = deals.source_id)")
        led.con.execute(f"INSERT INTO deals SELECT {', '.join(cols)} FROM _new_deals")
    finally:
        led.con.unregister("_new_deals")
    df = pd.DataFrame([{"deal": key, "stage": r["stage"], "date": r["date"], "source_id": r["source_id"],
                        "doc_ref": r["doc_ref"], "quote": r["quote"], "note": r["note"]}
                       for key, new in by_key.items() for r in new])
    df = df.drop_duplicates(["deal", "stage", "date", "source_id"]).astype(object)
    led.con.register("_new_stages", df)
    try:
        return int(led.con.execute("""
            INSERT INTO deal_stages SELECT n.deal, n.stage, CAST(n.date AS DATE), n.source_id, n.doc_ref, n.quote,
                                           n.note FROM _new_stages n
            WHERE NOT EXISTS (SELECT 1 FROM deal_stages s WHERE s.deal = n.deal AND s.stage = n.stage
                              AND s.date = CAST(n.date AS DATE) AND s.source_id = n.source_id)""").fetchall()[0][0])
    finally:
        led.con.unregister("_new_stages")


def add_deal_aliases(led: "Ledger", pairs: list[tuple[str, str]]) -> int:
    """Extra names of deals ((alias, deal key): a ticker, a short name) for name lookups and the news gazetteer; an
    alias another entity already holds is skipped, so no lookup becomes ambiguous."""
    from .store import normalise_alias

    rows = []
    for alias, key in pairs:
        a = normalise_alias(alias)
        if a and not _alias_owners(led, alias, key):
            rows.append((a, key))
    if rows:
        led.insert_frame("aliases", pd.DataFrame(sorted(set(rows)), columns=["alias", "entity"]), ignore=True)
    return len(rows)


def delete_pipeline_rows(led: "Ledger", source_ids: list[str] | tuple[str, ...]) -> None:
    """Drop the stage and deal rows of these sources (a rebuild of the embedded data, a re-import)."""
    ids = list(source_ids)
    led.con.execute("DELETE FROM deal_stages WHERE list_contains(?::VARCHAR[], source_id)", [ids])
    led.con.execute("DELETE FROM deals WHERE list_contains(?::VARCHAR[], source_id)", [ids])


def today() -> dt.date:
    """The default reading day of the current stages (a function, so tests can fix it)."""
    return dt.date.today()
