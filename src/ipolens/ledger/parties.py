"""Parties of a deal in the ledger: sponsor banks and cornerstone investors as entities with aliases, and their
role in each listing (amount, currency, shares, lock-up months), each row citing its source.

``DDL_PARTIES`` belongs in the schema's DDL list; ``ensure_schema`` creates the tables in a write transaction for
ledgers built before they existed (every statement is ``IF NOT EXISTS``). Writes happen inside ``Store.write()``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pandas as pd

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["DDL_PARTIES", "PARTY_KINDS", "ROLES", "ensure_schema", "has_schema", "add_parties",
           "replace_deal_parties"]

PARTY_KINDS = ("sponsor", "cornerstone")
ROLES = ("sponsor", "cornerstone")

DDL_PARTIES = [
    f"""CREATE TABLE IF NOT EXISTS parties (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL CHECK (kind IN ({", ".join(repr(k) for k in PARTY_KINDS)})),
        name_en VARCHAR,
        name_zh VARCHAR,
        type VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS party_aliases (
        alias VARCHAR NOT NULL,
        party VARCHAR NOT NULL,
        PRIMARY KEY (alias, party)
    )""",
    f"""CREATE TABLE IF NOT EXISTS deal_parties (
        entity VARCHAR NOT NULL,
        party VARCHAR NOT NULL,
        role VARCHAR NOT NULL CHECK (role IN ({", ".join(repr(r) for r in ROLES)})),
        amount DOUBLE CHECK (amount IS NULL OR amount >= 0),
        currency VARCHAR CHECK (currency IS NULL OR currency IN ('HKD', 'CNY', 'USD')),
        shares DOUBLE CHECK (shares IS NULL OR shares >= 0),
        lockup_months INTEGER CHECK (lockup_months IS NULL OR lockup_months >= 0),
        source_id VARCHAR NOT NULL,
        quote VARCHAR CHECK (quote IS NULL OR length(quote) <= 80)
    )""",
    """CREATE INDEX IF NOT EXISTS deal_parties_party ON deal_parties (party)""",
]

DEAL_COLUMNS = ["entity", "party", "role", "amount", "currency", "shares", "lockup_months", "source_id", "quote"]


def has_schema(led: "Ledger") -> bool:
    """True when the ledger has the party tables (a read-only ledger built before them has not)."""
    return led.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'deal_parties'"
                           ).fetchone()[0] > 0


def ensure_schema(led: "Ledger") -> None:
    for stmt in DDL_PARTIES:
        led.con.execute(stmt)


def add_parties(led: "Ledger", parties: Iterable[dict], aliases: Iterable[tuple[str, str]]) -> None:
    """Insert or update parties (dicts with id, kind, name_en, name_zh, type) and their (alias, party) rows.
    A known party keeps the names it has where the new row gives none."""
    rows = pd.DataFrame(list(parties), columns=["id", "kind", "name_en", "name_zh", "type"])
    if not rows.empty:
        led.con.register("_new_parties", rows)
        try:
            led.con.execute("""
                INSERT INTO parties SELECT n.id, n.kind, n.name_en, n.name_zh, n.type FROM _new_parties n
                ON CONFLICT (id) DO UPDATE SET name_en = coalesce(excluded.name_en, parties.name_en),
                    name_zh = coalesce(excluded.name_zh, parties.name_zh), type = coalesce(excluded.type, parties.type)""")
        finally:
            led.con.unregister("_new_parties")
    al = pd.DataFrame(sorted(set(aliases)), columns=["alias", "party"])
    if not al.empty:
        led.insert_frame("party_aliases", al, ignore=True)


def replace_deal_parties(led: "Ledger", source_id: str, role: str, rows: list[dict]) -> tuple[int, int]:
    """Replace every ``role`` row of ``source_id`` by ``rows`` (dicts keyed by DEAL_COLUMNS): (removed, added)."""
    removed = led.con.execute("DELETE FROM deal_parties WHERE source_id = ? AND role = ?",
                              [source_id, role]).fetchone()[0]
    if not rows:
        return int(removed), 0
    df = pd.DataFrame(rows, columns=DEAL_COLUMNS)
    for col in ("amount", "shares"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["lockup_months"] = pd.to_numeric(df["lockup_months"]).astype("Int64")
    return int(removed), led.insert_frame("deal_parties", df)
