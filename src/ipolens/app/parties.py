"""Use cases: cornerstone investors as entities (``ipolens import-cornerstones``, ``investors``, ``investor NAME``).

A cornerstone file (JSON or CSV, ``data.parties.cornerstones``) is validated whole, resolved to listings (a reused
code is told apart by its listing date) and written in one ``store.write()``: a problem anywhere changes nothing.
Investors become parties with aliases (their English and Chinese names and the spellings ``investors.yaml`` knows),
so 'GIC Private Limited' and '新加坡政府投资公司' are one investor. Lock-up expiries follow ``hk.lockups``: the
record's months (else the market's cornerstone rule), rolled forward to the listing exchange's next session.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.parties import investor_vocabulary, party_key
from ..data.parties.cornerstones import CornerstoneRecord, RecordsFailed, parse_records
from ..hk.lockups import investor_lockup
from ..ledger import parties as lp
from ..ledger.access import Store
from ..ledger.model import Source
from ..ledger.queries import parties as q
from ..ledger.store import Ledger, normalise_alias
from .base import EntityNotFound, Refused, Result, UserError

__all__ = ["CornerstoneImportResult", "InvestorsResult", "InvestorResult", "import_cornerstones", "investors",
           "investor", "NEAR_DAYS", "SHOW_PROBLEMS"]

NEAR_DAYS = 31  # a record's listing date within this many days of a listing's names that listing
SHOW_PROBLEMS = 20  # problems printed in the message; all of them go to a file when there are more


@dataclass
class CornerstoneImportResult(Result):
    file: str
    source_id: str
    records: int
    deals: int
    investors: int
    new_investors: int
    replaced_rows: int


@dataclass
class InvestorsResult(Result):
    """``rows``: one per investor: deals, amounts by currency; ``total``: investors before ``limit``."""
    total: int
    rows: list[dict[str, Any]]
    note: str = "amounts summed per currency as the records state them (no conversion)"


@dataclass
class InvestorResult(Result):
    investor: dict[str, Any]
    deals: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)
    note: str = ("lock-up: the record's months, else the market's cornerstone rule (hk/regimes/lockups.yaml); "
                 "first_tradable = end date rolled forward to the listing exchange's next session")


def _problems_error(path: str, problems: list) -> UserError:
    n = len(problems)
    lines = [str(p) for p in problems]
    msg = f"{n} problem{'s' if n != 1 else ''} in {path}; the ledger is unchanged:\n" + "\n".join(lines[:SHOW_PROBLEMS])
    if n > SHOW_PROBLEMS:
        out = Path(tempfile.gettempdir()) / f"ipolens-problems-{Path(path).name}.txt"
        try:
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
            where = f"all {n} are listed in {out}"
        except OSError:
            where = "the rest could not be written to a file"
        msg += f"\n... {n - SHOW_PROBLEMS} more not shown; {where}"
    return UserError(msg)


def _listing_for(rec: CornerstoneRecord, cands: pd.DataFrame) -> tuple[str | None, str | None]:
    """(entity, None) or (None, problem): the listing a record's code and listing date name."""
    cands = cands[(cands["market"] == rec.market) & ((cands["code"] == rec.code) | (cands["entity"] == rec.key))]
    if cands.empty:
        return None, f"no listing {rec.code} in the ledger; import the listings first"
    dates = [None if pd.isna(d) else pd.Timestamp(d).date() for d in cands["listing_date"]]
    shown = ", ".join(f"{e} (listed {d or 'date unknown'})" for e, d in zip(cands["entity"], dates))
    if rec.listing_date is None:
        if len(cands) == 1:
            return cands["entity"].iloc[0], None
        return None, f"code {rec.code} names several listings ({shown}); give the listing_date"
    near = sorted((abs((d - rec.listing_date).days), e) for e, d in zip(cands["entity"], dates) if d is not None)
    if near and near[0][0] <= NEAR_DAYS:
        return near[0][1], None
    if len(cands) == 1 and dates[0] is None:
        return cands["entity"].iloc[0], None
    return None, (f"no listing of {rec.code} near {rec.listing_date} (ledger: {shown}); a reused code's new "
                  "listing must be imported first")


def import_cornerstones(store: Store, path: str | Path, source_title: str | None, replace: bool = False,
                        publisher: str | None = None, url: str | None = None) -> CornerstoneImportResult:
    """Validate the whole file, resolve every record to a listing and write them in one transaction. Re-importing
    under the same title replaces that source's cornerstone rows; a title whose source id belongs to a source of
    another title is refused unless ``replace``."""
    if not source_title or not str(source_title).strip():
        raise UserError("--source-title is required: every imported value must name its source")
    recs = read_cornerstones(path)
    source = Source(id="user:" + (normalise_alias(source_title) or "import"), kind="user", title=source_title,
                    publisher=publisher, url=url, note=f"cornerstone records imported from {Path(path).name}",
                    retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    with store.write() as led:
        lp.ensure_schema(led)
        old = q.source_row(led, source.id)
        if old is not None and old["title"] != source.title and not replace:
            raise Refused(f"title {source_title!r} maps to source {source.id}, already imported as "
                          f"{old['title']!r}; importing would replace its cornerstone rows. Use another title, or "
                          "--replace to replace them")
        if old is None or replace:
            led.add_source(source)
        rows, parties, known, replaced = write_cornerstones(led, recs, source.id, path)
    return CornerstoneImportResult(file=str(path), source_id=source.id, records=len(rows),
                                   deals=len({r["entity"] for r in rows}), investors=len(parties),
                                   new_investors=len(set(parties) - known), replaced_rows=int(replaced))


def read_cornerstones(path: str | Path) -> list[CornerstoneRecord]:
    """Every record of a cornerstone file, validated; every problem named (file, record, field)."""
    try:
        return parse_records(path)
    except RecordsFailed as exc:
        raise _problems_error(str(path), exc.problems) from None


def write_cornerstones(led: Ledger, recs: list[CornerstoneRecord], source_id: str, path: str | Path):
    """File the records under ``source_id`` inside the caller's write (``import`` with a mapping's ``cornerstones:``
    uses it after writing the listings, so records may name listings the same run creates).
    Returns (rows, parties, investors known before, rows replaced)."""
    lp.ensure_schema(led)
    vocab = investor_vocabulary()
    known = set(q.party_rows(led, "cornerstone")["id"])
    by_alias = q.alias_map(led, "cornerstone")
    problems, rows, parties, aliases = [], [], {}, set()
    cands = q.listing_candidates(led, sorted({r.code for r in recs}), sorted({r.key for r in recs}))
    for rec in recs:
        entity, why = _listing_for(rec, cands)
        if why:
            problems.append(f"{path}, {rec.where}, field 'code': {why}")
            continue
        match = vocab.match(rec.name or "") or vocab.match(rec.name_zh or "")
        keys = [party_key(n) for n in (rec.name, rec.name_zh) if n and party_key(n)]
        seen = next((by_alias[k] for k in keys if k in by_alias), None)  # a name already filed under a party
        pid = match.id if match else seen or "cornerstone:" + keys[0]
        p = parties.setdefault(pid, {"id": pid, "kind": "cornerstone", "name_en": None, "name_zh": None,
                                     "type": None})
        p["name_en"] = p["name_en"] or (match.name_en if match else rec.name)
        p["name_zh"] = p["name_zh"] or (match.name_zh if match else rec.name_zh)
        p["type"] = p["type"] or (rec.type.lower() if rec.type else (match.type if match else None))
        for n in (rec.name, rec.name_zh, *(match.names if match else ())):
            if n and party_key(n):
                aliases.add((party_key(n), pid))
                by_alias.setdefault(party_key(n), pid)
        rows.append({"entity": entity, "party": pid, "role": "cornerstone", "amount": rec.amount,
                     "currency": rec.currency, "shares": rec.shares, "lockup_months": rec.lockup_months,
                     "source_id": source_id, "quote": rec.quote})
    if problems:
        raise _problems_error(str(path), problems)
    lp.add_parties(led, parties.values(), aliases)
    replaced, _ = lp.replace_deal_parties(led, source_id, "cornerstone", rows)
    return rows, parties, known, replaced


def investors(store: Store, limit: int | None = None) -> InvestorsResult:
    """Cornerstone investors with their deal counts and amounts per currency, most deals first."""
    with store.read() as led:
        rows = q.deal_party_rows(led, "cornerstone")
    out: dict[str, dict] = {}
    for r in rows.to_dict("records"):
        d = out.setdefault(r["party"], {"id": r["party"], "name_en": _nan(r["name_en"]), "name_zh": _nan(r["name_zh"]),
                                        "type": _nan(r["type"]), "deals": set(), "amounts": {},
                                        "rows_without_amount": 0})
        d["deals"].add(r["entity"])
        amount, ccy = _nan(r["amount"]), _nan(r["currency"])
        if amount is None:
            d["rows_without_amount"] += 1
        else:
            d["amounts"][ccy] = d["amounts"].get(ccy, 0.0) + float(amount)
    for d in out.values():
        d["deals"] = len(d["deals"])
    ranked = sorted(out.values(), key=lambda d: (-d["deals"], str(d["name_en"] or d["name_zh"])))
    return InvestorsResult(total=len(ranked), rows=ranked[:limit] if limit else ranked)


def _resolve(led: Ledger, name: str) -> str:
    key = party_key(name)
    if not key:
        raise UserError("give an investor name (English or Chinese)")
    hits = q.party_hits(led, key, "cornerstone")
    if not hits:
        match = investor_vocabulary().match(name)
        hits = [match.id] if match and match.id in set(q.party_rows(led, "cornerstone")["id"]) else []
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise EntityNotFound(f"{name!r} is ambiguous: {', '.join(hits[:8])}")
    raise EntityNotFound(f"no cornerstone investor matches {name!r}; `ipolens investors` lists them")


def _lockup(row: dict) -> dict:
    return investor_lockup(row["listing_date"], row["market"], row["listing_chapter"], row["lockup_months"])


def _nan(v):
    return None if v is None or (isinstance(v, float) and v != v) or v is pd.NaT else v


def investor(store: Store, name: str) -> InvestorResult:
    """One cornerstone investor's deals: amount, shares, lock-up end and first tradable session, first-day return."""
    with store.read() as led:
        pid = _resolve(led, name)
        info = q.party_rows(led, "cornerstone").set_index("id").loc[pid].to_dict()
        deals = q.investor_deals(led, pid)
    rows = []
    for r in deals.to_dict("records"):
        r = {k: _nan(v) for k, v in r.items()}
        r["listing_date"] = pd.Timestamp(r["listing_date"]).date() if r["listing_date"] is not None else None
        r["lockup_months"] = None if r["lockup_months"] is None else int(r["lockup_months"])
        rows.append({"code": r["code"], "entity": r["entity"], "name_en": r["name_en"], "name_zh": r["name_zh"],
                     "market": r["market"], "listing_date": r["listing_date"], "listing_chapter": r["listing_chapter"],
                     "amount": r["amount"], "currency": r["currency"], "shares": r["shares"], **_lockup(r),
                     "first_day_return": r["first_day_return"], "source_id": r["source_id"],
                     "source_title": r["source_title"], "quote": r["quote"]})
    amounts: dict[str, float] = {}
    for r in rows:
        if r["amount"] is not None and r["currency"]:
            amounts[r["currency"]] = amounts.get(r["currency"], 0.0) + r["amount"]
    rets = [r["first_day_return"] for r in rows if r["first_day_return"] is not None]
    summary = {"deals": len({r["entity"] for r in rows}), "rows": len(rows), "amounts": amounts,
               "deals_with_first_day_return": len(rets),
               "mean_first_day_return": sum(rets) / len(rets) if rets else None,
               "pct_broken": 100.0 * sum(x < 0 for x in rets) / len(rets) if rets else None}
    return InvestorResult(investor={"id": pid, **{k: _nan(v) for k, v in info.items()}}, deals=rows, summary=summary)
