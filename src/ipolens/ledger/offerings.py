"""Follow-on offerings keyed apart from the IPO (issue 14).

An offering (placing, top-up placing, rights issue, open offer, 配股, 定增, US follow-on) is an entity of its own, kind
``offering``, keyed ``OF:<listing key>:<type>:<announcement date>`` (``#2`` for a second offering of one type announced
the same day), linked to its listing by the ``offerings`` table. Its terms are typed columns there, one row per offering
and source; its price, new shares, shares before and gross funds are also facts *of the offering entity*, so two
sources that disagree on a placing price show up in ``conflicts`` while the IPO's ``offer_price`` (a fact of the
listing) never competes with a follow-on's price. Offering entities get no aliases: a name typed by a user keeps
resolving to the listing. Writes happen inside ``Store.write()``; re-writing a source replaces its offerings.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import pandas as pd

if TYPE_CHECKING:
    from .store import Ledger

# The schema imports this module, and model.py imports the schema: so this module imports neither model nor store
# (no cycle). These two constants repeat model.CURRENCIES and model.QUOTE_MAX (tests/test_followon_ledger.py checks
# they agree); the caller turns ``fact_rows`` into ``model.Fact``s and ``read_file``'s sources into ``model.Source``s.
CURRENCIES = ("HKD", "CNY", "USD")
QUOTE_MAX = 80

__all__ = ["DDL_OFFERINGS", "OFFERING_TYPES", "MANDATES", "COLUMNS", "OfferingError", "offering_key", "has_schema",
           "ensure_schema", "prepare", "write_offerings", "read_file", "fact_rows", "FACT_FIELDS", "CURRENCIES", "QUOTE_MAX"]

OFFERING_TYPES = ("placing", "top_up", "rights", "open_offer", "pei_gu", "ding_zeng", "us_follow_on")
MANDATES = ("general", "specific")
HOLDERS = ("controlling", "other")
_DATES = ("announced", "priced", "completed")
_NUMS = ("price", "ratio_new", "ratio_held", "new_shares", "shares_before", "funds_gross", "funds_net", "last_close",
         "avg5_close", "avg20_close", "floor_price", "lockup_months")
_TEXTS = ("mandate", "currency", "vendor", "holder", "doc_ref", "quote", "note")
COLUMNS = ["key", "listing", "type", *_DATES, *_NUMS, *_TEXTS, "source_id"]
# typed column -> fact field of the offering entity (ledger/fields.py, follow-on block)
FACT_FIELDS = {"price": "followon_price", "new_shares": "followon_new_shares",
               "shares_before": "followon_shares_before", "funds_gross": "followon_funds_gross"}

DDL_OFFERINGS: list[str] = [
    f"""CREATE TABLE IF NOT EXISTS offerings (
        key VARCHAR NOT NULL,
        listing VARCHAR NOT NULL,
        type VARCHAR NOT NULL CHECK (type IN ({", ".join(map(repr, OFFERING_TYPES))})),
        announced DATE NOT NULL,
        priced DATE,
        completed DATE,
        price DOUBLE CHECK (price IS NULL OR price > 0),
        ratio_new DOUBLE, ratio_held DOUBLE,
        new_shares DOUBLE, shares_before DOUBLE, funds_gross DOUBLE, funds_net DOUBLE,
        last_close DOUBLE, avg5_close DOUBLE, avg20_close DOUBLE, floor_price DOUBLE,
        lockup_months INTEGER,
        mandate VARCHAR CHECK (mandate IS NULL OR mandate IN ({", ".join(map(repr, MANDATES))})),
        currency VARCHAR CHECK (currency IS NULL OR currency IN ({", ".join(map(repr, CURRENCIES))})),
        vendor VARCHAR, holder VARCHAR, doc_ref VARCHAR,
        quote VARCHAR CHECK (quote IS NULL OR length(quote) <= {QUOTE_MAX}),
        note VARCHAR,
        source_id VARCHAR NOT NULL,
        written TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    # (key, source_id) is unique, kept so by write_offerings (a source's rows replaced, then inserted, in one
    # transaction) rather than by a primary key: duckdb 1.2 refuses a key deleted and re-inserted in one transaction

    """CREATE INDEX IF NOT EXISTS offerings_listing ON offerings (listing)""",
]


class OfferingError(ValueError):
    """Offering rows that cannot be written; the message lists every problem by file, row and field."""


def _date(value: Any) -> dt.date:
    """An ISO date (YYYY-MM-DD) from text, a date or a datetime; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def offering_key(listing: str, type_: str, announced: dt.date | str, seq: int | None = None) -> str:
    """'HK:06082', 'placing', 2026-03-05 -> 'OF:HK:06082:placing:2026-03-05' (``seq`` 2 and up add '#2')."""
    if _blank(announced):
        raise ValueError("an offering needs its announcement date")
    day = _date(announced)
    return f"OF:{listing}:{type_}:{day.isoformat()}" + (f"#{int(seq)}" if seq and int(seq) > 1 else "")


def has_schema(led: "Ledger") -> bool:
    return led.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'offerings'"
                           ).fetchone()[0] > 0


def ensure_schema(led: "Ledger") -> None:
    for stmt in DDL_OFFERINGS:
        led.con.execute(stmt)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _num(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    x = float(str(v).strip().replace(",", "")) if isinstance(v, str) else float(v)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {v!r}")
    return x


def prepare(led: "Ledger", records: Iterable[dict], where: str, default_source: str | None = None) -> pd.DataFrame:
    """Validate offering records (dicts keyed by the file's columns) against the ledger: the listing must resolve,
    type, dates, numbers, mandate, currency and source must be valid. Returns the rows (``COLUMNS``); raises
    OfferingError naming every bad ``where`` row and field."""
    known_sources = {r[0] for r in led.con.execute("SELECT id FROM sources").fetchall()}
    rows, errors = [], []
    for i, rec in enumerate(records, start=1):
        bad = []

        def err(fld: str, msg: str) -> None:
            bad.append(f"{where} row {i}, field {fld}: {msg}")

        row: dict[str, Any] = {c: None for c in COLUMNS}
        extra = sorted(set(rec) - set(COLUMNS) - {"source", "seq"})
        if extra:
            err(extra[0], f"unknown column (columns: {', '.join(c for c in COLUMNS if c not in ('key', 'source_id'))}"
                          ", source, seq)")
        text = rec.get("listing")
        if _blank(text):
            err("listing", "missing")
        else:
            try:
                row["listing"] = led.resolve_entity(str(text).strip())
                kind = led.con.execute("SELECT kind FROM entities WHERE key = ?", [row["listing"]]).fetchone()[0]
                if kind != "listing":
                    err("listing", f"{text!r} is a {kind}, not a listing")
            except (LookupError, ValueError) as exc:  # unknown or ambiguous listing, unreadable code
                err("listing", str(exc))
        t = str(rec.get("type") or "").strip()
        if t not in OFFERING_TYPES:
            err("type", f"{t or 'missing'!r}: expected one of {', '.join(OFFERING_TYPES)}")
        row["type"] = t
        for d in _DATES:
            if not _blank(rec.get(d)):
                try:
                    row[d] = _date(rec[d])
                except ValueError as exc:
                    err(d, str(exc))
        if _blank(rec.get("announced")):
            err("announced", "missing (the announcement date keys the offering)")
        for n in _NUMS:
            if not _blank(rec.get(n)):
                try:
                    row[n] = _num(rec[n])
                    if row[n] < 0 or (row[n] == 0 and n != "lockup_months"):
                        err(n, f"must be positive, got {rec[n]!r}")
                except (TypeError, ValueError):
                    err(n, f"not a number: {rec[n]!r}")
        if row["price"] is None:
            err("price", "missing")
        for c in _TEXTS:
            row[c] = None if _blank(rec.get(c)) else str(rec[c]).strip()
        for c, allowed in (("mandate", MANDATES), ("currency", CURRENCIES), ("holder", HOLDERS)):
            if row[c] is not None and row[c] not in allowed:
                err(c, f"{row[c]!r}: expected one of {', '.join(allowed)}")
        if row["currency"] in CURRENCIES and row["listing"] is not None and not any("field listing" in b for b in bad):
            want = _trading_currency(led, row["listing"])
            if row["currency"] != want:
                err("currency", f"{row['currency']!r}: the listing {row['listing']} trades in {want} (markets.yaml); "
                                "a price in another currency cannot be set against its closes")
        if row["quote"] and len(row["quote"]) > QUOTE_MAX:
            err("quote", f"{len(row['quote'])} characters; at most {QUOTE_MAX}")
        if (row["ratio_new"] is None) != (row["ratio_held"] is None):
            err("ratio_new" if row["ratio_new"] is None else "ratio_held", "give both ratio_new and ratio_held")
        src = None if _blank(rec.get("source")) else str(rec["source"]).strip()
        row["source_id"] = src or default_source
        if row["source_id"] is None:
            err("source", "missing (give a source column or a source title)")
        elif row["source_id"] not in known_sources:
            err("source", f"unknown source {row['source_id']!r}")
        if not bad:
            try:
                row["key"] = offering_key(row["listing"], t, row["announced"], rec.get("seq"))
            except ValueError as exc:
                err("seq", str(exc))
        errors += bad
        rows.append(row)
    if errors:
        more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
        raise OfferingError(f"{len(errors)} problem(s), nothing written:\n  " + "\n  ".join(errors[:20]) + more)
    df = pd.DataFrame(rows, columns=COLUMNS)
    dup = df[df.duplicated(["key", "source_id"], keep=False)]
    if not dup.empty:
        raise OfferingError(f"{where}: offering {dup['key'].iloc[0]} appears twice for source {dup['source_id'].iloc[0]}"
                            " (give a seq column, 2 for the second offering of one type announced the same day)")
    return df


def _trading_currency(led: "Ledger", listing: str) -> str | None:
    """The currency of the listing's market in markets.yaml (None when the market is not in it)."""
    from .markets import UnknownMarket, market

    (mkt,) = led.con.execute("SELECT market FROM entities WHERE key = ?", [listing]).fetchone()
    try:
        return market(mkt).currency
    except UnknownMarket:
        return None


def write_offerings(led: "Ledger", rows: pd.DataFrame, source_ids: Iterable[str] | None = None) -> int:
    """Write prepared rows and their offering entities inside the caller's transaction: every earlier offering row
    and offering fact of their sources (``source_ids``, default the rows' own) is removed first. The caller then adds
    ``fact_rows(rows)`` as facts. Returns the rows written."""
    ensure_schema(led)
    sids = sorted(set(source_ids if source_ids is not None else rows["source_id"].dropna()))
    for sid in sids:
        led.con.execute("DELETE FROM offerings WHERE source_id = ?", [sid])
        led.con.execute("DELETE FROM facts WHERE source_id = ? AND starts_with(entity, 'OF:')", [sid])
    if rows.empty:
        return 0
    markets = dict(led.con.execute("SELECT key, market FROM entities WHERE kind = 'listing'").fetchall())
    ents = pd.DataFrame([{"key": k, "kind": "offering", "market": markets.get(l), "code": None, "name_en": None,
                          "name_zh": None} for k, l in sorted(set(zip(rows["key"], rows["listing"])))])
    led.insert_frame("entities", ents, replace=True)  # no aliases: names keep resolving to the listing
    df = rows.astype(object).where(rows.notna(), None)
    led.insert_frame("offerings", df[COLUMNS])
    return len(df)


def fact_rows(rows: pd.DataFrame) -> list[dict]:
    """``model.Fact`` keyword arguments for the price, new shares, shares before and gross funds of each row, as
    facts of the offering entity. No quote on them: a row's quote backs the row, and a quoted figure would be read as
    written from its digits (30.00 stored as 30.0 would become 30 +- 5); non-text sources give exact figures."""
    out = []
    for r in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        for col, fld in FACT_FIELDS.items():
            if r[col] is None:
                continue
            money = col in ("price", "funds_gross")
            if money and r["currency"] is None:
                raise OfferingError(f"offering {r['key']}: {col} needs a currency")
            out.append({"entity": r["key"], "field": fld, "source_id": r["source_id"], "value": float(r[col]),
                        "currency": r["currency"] if money else None, "unit": None if money else "shares",
                        "as_of": r["announced"], "ext_id": f"{r['key']}:{col}"})
    return out


def read_file(path: str | Path) -> tuple[list[dict], list[dict]]:
    """(sources, offering records) of a YAML file ({sources: [...], offerings: [...]}; each source a mapping of
    ``model.Source`` fields) or a CSV file (records only; the caller supplies the source). Cells are checked by
    ``prepare``, sources by ``model.Source``."""
    p = Path(path)
    if not p.exists():
        raise OfferingError(f"{p}: no such file")
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise OfferingError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("offerings"), list):
            raise OfferingError(f"{p}: expected a mapping with an 'offerings' list (and optionally 'sources')")
        sources = doc.get("sources") or []
        bad = [i for i, s in enumerate(sources, start=1) if not isinstance(s, dict) or not s.get("id")]
        if bad:
            raise OfferingError(f"{p} sources entry {bad[0]}: expected a mapping with an id, kind and title")
        return [dict(s) for s in sources], [dict(r) for r in doc["offerings"]]
    if p.suffix.lower() == ".csv":
        try:
            df = pd.read_csv(p, dtype=str, keep_default_na=False, comment="#")
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise OfferingError(f"{p}: cannot read as CSV ({exc})") from None
        return [], [{k: (v if v != "" else None) for k, v in r.items()} for r in df.to_dict("records")]
    raise OfferingError(f"{p}: expected a .yaml, .yml or .csv file")
