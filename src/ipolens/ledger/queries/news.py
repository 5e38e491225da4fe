"""What the news reader needs from the ledger: names for the gazetteer, candidate facts for the ledger check (with
the pipeline deals the named entities link to), and the two writes of a re-extraction (is the source known; drop its
earlier claims)."""
from __future__ import annotations

import pandas as pd

from ..pipeline import has_schema
from ..pipeline_rules import raise_fields, valuation_fields
from ..store import Ledger, normalise_alias

__all__ = ["entity_names", "entity_aliases", "claim_candidates", "deal_context", "source_known", "delete_extraction",
           "DEAL_LINK", "DEAL_STAGE", "DEAL_VALUE", "DEAL_FIELDS"]

# a source graded UNCONFIRMED in its note or date note: never a ground for calling a claim inconsistent
_UNCONFIRMED = "(coalesce(s.note, '') || ' ' || coalesce(s.date_note, '')) LIKE '%UNCONFIRMED%'"
_CANDIDATE_COLUMNS = ["entity", "field", "value_num", "value_high", "qualifier", "unit", "currency", "as_of",
                      "period", "source_id", "lo", "hi", "published", "unconfirmed"]


def entity_names(led: Ledger) -> pd.DataFrame:
    """Every entity: key, kind, market, code, name_en, name_zh."""
    return led.query("SELECT key, kind, market, code, name_en, name_zh FROM entities ORDER BY key")


def entity_aliases(led: Ledger) -> pd.DataFrame:
    """Every alias: alias, entity."""
    return led.query("SELECT alias, entity FROM aliases ORDER BY alias, entity")


def claim_candidates(led: Ledger, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Numeric facts (with their source's publication date and whether it is graded UNCONFIRMED) for the given
    (entity, field) pairs, then the ``deal_context`` rows of the pairs' entities."""
    if not pairs:
        return pd.DataFrame(columns=_CANDIDATE_COLUMNS)
    wanted = pd.DataFrame(sorted(set(pairs)), columns=["entity", "field"])
    name = "_news_pairs"
    led.con.register(name, wanted)
    try:
        facts = led.query(
            "SELECT f.entity, f.field, f.value_num, f.value_high, f.qualifier, f.unit, f.currency, f.as_of, "
            f"f.period, f.source_id, f.lo, f.hi, s.published, {_UNCONFIRMED} AS unconfirmed "
            f"FROM facts f JOIN {name} w ON w.entity = f.entity AND w.field = f.field "
            "LEFT JOIN sources s ON s.id = f.source_id "
            "WHERE f.value_num IS NOT NULL ORDER BY f.rowid")
    finally:
        led.con.unregister(name)
    deals = deal_context(led, sorted({e for e, _ in pairs}))
    if not len(deals):
        return facts
    return pd.concat([facts.astype(object), deals.astype(object)], ignore_index=True)


# Pipeline deals (issue 14), as rows of the candidate frame keyed by the entity an article names (the company, the
# listing, the deal or an alias of it), under three pseudo-fields: a link to a deal, the deal's stage rows, and its
# valuation and raise facts.
DEAL_LINK, DEAL_STAGE, DEAL_VALUE = "deal:link", "deal:stage", "deal:value"
DEAL_FIELDS = (DEAL_LINK, DEAL_STAGE, DEAL_VALUE)
_DEAL_COLUMNS = [*_CANDIDATE_COLUMNS, "deal", "deal_name", "market", "stage", "value_field", "fact_entity", "quote"]


def _records(df: pd.DataFrame) -> list[dict]:
    df = df.astype(object)
    return df.where(df.notna(), None).to_dict("records")


def deal_context(led: Ledger, entities: list[str]) -> pd.DataFrame:
    """For each of ``entities`` that links to a pipeline deal (it is the deal, the deal's company or listing in the
    ``deals`` table, or one of its names or aliases is a name a source gives the deal): a ``deal:link`` row, the
    deal's stage rows (``deal:stage``; the linked listing's stated listing dates as ``listed``) and its valuation and
    raise facts (``deal:value``: of the deal, its company and its listing; ``value_field`` names the field)."""
    if not entities or not has_schema(led):
        return pd.DataFrame(columns=_DEAL_COLUMNS)
    deals = _records(led.query("""SELECT DISTINCT d.deal, d.name, d.market, d.listing, d.company,
                                coalesce(e.name_en, e.name_zh) AS entity_name
                         FROM deals d LEFT JOIN entities e ON e.key = d.deal ORDER BY d.deal"""))
    if not deals:
        return pd.DataFrame(columns=_DEAL_COLUMNS)
    names: dict[str, set[str]] = {}  # normalised name -> the deals it names
    for d in deals:
        names.setdefault(normalise_alias(d["name"]), set()).add(d["deal"])
    links: dict[str, set[str]] = {}
    for d in deals:
        for k in (d["deal"], d["company"], d["listing"]):
            if k in entities:
                links.setdefault(k, set()).add(d["deal"])
    # an entity's names are among its aliases (Ledger.add_entities), stored normalised
    named = led.con.execute("SELECT entity, alias FROM aliases WHERE list_contains(?::VARCHAR[], entity) "
                            "AND list_contains(?::VARCHAR[], alias)", [entities, sorted(names)]).fetchall()
    for entity, alias in named:
        links.setdefault(entity, set()).update(names[alias])
    links = {e: ks for e, ks in links.items() if ks}
    if not links:
        return pd.DataFrame(columns=_DEAL_COLUMNS)
    keys = sorted(set().union(*links.values()))
    info = {}
    for d in deals:
        i = info.setdefault(d["deal"], {"name": d["entity_name"], "market": d["market"], "listing": None,
                                        "company": None})
        i["name"], i["listing"], i["company"] = (i["name"] or d["name"], i["listing"] or d["listing"],
                                                 i["company"] or d["company"])
    stages = _records(led.query(f"""SELECT g.deal, g.stage, g.date AS as_of, g.source_id, g.quote, s.published,
                                  {_UNCONFIRMED} AS unconfirmed
                           FROM deal_stages g LEFT JOIN sources s ON s.id = g.source_id
                           WHERE list_contains(?::VARCHAR[], g.deal) ORDER BY g.deal, g.date, g.source_id""",
                       [keys]))
    listings = {info[k]["listing"]: k for k in keys if info[k]["listing"]}
    stages += [{**r, "deal": listings[r["listing"]], "stage": "listed"} for r in _records(led.query(
        f"""SELECT f.entity AS listing, CAST(substr(f.value_text, 1, 10) AS DATE) AS as_of, f.source_id,
                   min(f.quote) AS quote, s.published, {_UNCONFIRMED} AS unconfirmed
            FROM facts f JOIN sources s ON s.id = f.source_id
            WHERE f.field = 'listing_date' AND list_contains(?::VARCHAR[], f.entity) AND s.kind <> 'derived'
              AND TRY_CAST(substr(f.value_text, 1, 10) AS DATE) IS NOT NULL
            GROUP BY ALL""", [sorted(listings)]))] if listings else []
    holders = {k: [x for x in (k, info[k]["company"], info[k]["listing"]) if x] for k in keys}
    fields = sorted({*valuation_fields(), *raise_fields()})
    values = _records(led.query(f"""SELECT f.entity AS fact_entity, f.field AS value_field, f.value_num, f.value_high,
                                  f.qualifier, f.unit, f.currency, f.as_of, f.period, f.source_id, f.lo, f.hi,
                                  f.quote, s.published, {_UNCONFIRMED} AS unconfirmed
                           FROM facts f JOIN sources s ON s.id = f.source_id
                           WHERE list_contains(?::VARCHAR[], f.entity) AND list_contains(?::VARCHAR[], f.field)
                             AND f.value_num IS NOT NULL AND s.kind <> 'derived' ORDER BY f.rowid""",
                       [sorted({x for h in holders.values() for x in h}), fields]))
    rows = []
    for entity, ks in sorted(links.items()):
        for k in sorted(ks):
            head = {"entity": entity, "deal": k, "deal_name": info[k]["name"], "market": info[k]["market"]}
            rows.append({**head, "field": DEAL_LINK})
            rows += [{**head, **r, "field": DEAL_STAGE} for r in stages if r["deal"] == k]
            rows += [{**head, **r, "field": DEAL_VALUE} for r in values if r["fact_entity"] in holders[k]]
    return pd.DataFrame(rows).reindex(columns=_DEAL_COLUMNS)


def source_known(led: Ledger, source_id: str) -> bool:
    return led.con.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is not None


def delete_extraction(led: Ledger, source_id: str, stem: str) -> None:
    """Drop the facts an earlier extraction of one file wrote (ext_id '<stem>#n'), so a re-run replaces them."""
    led.con.execute("DELETE FROM facts WHERE source_id = ? AND starts_with(ext_id, ?)", [source_id, f"{stem}#"])
