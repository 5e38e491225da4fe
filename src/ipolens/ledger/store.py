"""The ledger store: one DuckDB database holding sources, entities, facts, FX rates and prices.

Every write goes through ``transaction()``: a batch either lands whole or not at all.
"""
from __future__ import annotations

import contextlib
import os
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

import duckdb
import pandas as pd

from .codes import CodeError, base_key, parse_code, split_listing
from .model import Entity, Fact, FactError, Source
from .schema import DDL
from .views import view_sql

__all__ = ["Ledger", "default_path", "EntityNotFound", "AmbiguousListing", "normalise_alias"]

FACT_COLUMNS = ["entity", "field", "value_num", "value_high", "value_text", "unit", "currency", "qualifier",
                "as_of", "period", "date_key", "lo", "hi", "source_id", "quote", "derived_from", "claim_type",
                "note", "ext_id", "precision"]


def _schema_version() -> str:
    import hashlib

    return hashlib.sha256("\n".join([*DDL, *view_sql()]).encode()).hexdigest()[:16]


SCHEMA_VERSION = _schema_version()


class CommitFailed(Exception):
    """The database refused to commit (disk full, file-size limit, I/O error): nothing of the transaction landed."""


class EntityNotFound(LookupError):
    """No listing or company matches what the user typed (or it is ambiguous)."""


class AmbiguousListing(EntityNotFound):
    """A code the exchange reused: several listings match; ``choices`` are their keys, oldest first."""

    def __init__(self, message: str, choices: list[str]):
        super().__init__(message)
        self.choices = choices


def default_path() -> Path:
    """``$IPOLENS_HOME/ipolens.duckdb``, else the platform's user data directory."""
    home = os.environ.get("IPOLENS_HOME")
    if home:
        base = Path(home).expanduser()
    else:
        import platformdirs

        base = Path(platformdirs.user_data_dir("ipolens", appauthor=False))
    return base / "ipolens.duckdb"


def normalise_alias(text: str) -> str:
    """NFKC, lower case, spaces and common punctuation removed: 'Biren Technology' -> 'birentechnology'."""
    s = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in s if ch.isalnum())


class Ledger:
    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        if path is None:
            path = default_path()
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path, read_only=read_only)
        self._in_tx = False
        if not read_only and self._stored_schema() != SCHEMA_VERSION:
            # only when the schema changed, in one transaction: every write-open otherwise logged ~60 KB of view
            # DDL, and a disk that filled after those commits made DuckDB checkpoint them over the ledger at close
            with self.transaction():
                for stmt in DDL:
                    self.con.execute(stmt)
                for stmt in view_sql():
                    self.con.execute(stmt)
                self.set_meta("schema_version", SCHEMA_VERSION)

    def _stored_schema(self) -> str | None:
        has_meta = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' "
                                    "AND table_schema = 'main'").fetchone()[0]
        if not has_meta:
            return None
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return row[0] if row else None

    @classmethod
    def on(cls, con: duckdb.DuckDBPyConnection, path: str = ":memory:") -> "Ledger":
        """A Ledger over an existing connection or cursor (the schema is already there)."""
        led = cls.__new__(cls)
        led.path, led.con, led._in_tx = str(path), con, False
        return led

    # -- transactions -------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator["Ledger"]:
        if self._in_tx:  # nested: the outer transaction owns commit/rollback
            yield self
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_tx = True
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            try:
                self.con.execute("COMMIT")
            except duckdb.Error as exc:  # a full disk or a file-size limit shows here, at the WAL write
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("ROLLBACK")
                raise CommitFailed(str(exc)) from exc
        finally:
            self._in_tx = False

    def close(self) -> None:
        self.con.close()

    # -- meta ---------------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- writes -------------------------------------------------------------------------------------------------
    def add_source(self, source: Source) -> str:
        self.con.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source.id, source.kind, source.title, source.publisher, source.url, source.published,
             source.date_note, source.licence, source.retrieved, source.note])
        return source.id

    def add_entities(self, entities: Iterable[Entity]) -> None:
        ents = list(entities)
        if not ents:
            return
        df = pd.DataFrame([{k: getattr(e, k) for k in ("key", "kind", "market", "code", "name_en", "name_zh")}
                           for e in ents])
        self.insert_frame("entities", df, replace=True)
        rows = set()
        for e in ents:
            names = [e.name_en, e.name_zh, e.code, *e.aliases]
            for n in names:
                if n:
                    a = normalise_alias(n)
                    if a:
                        rows.add((a, e.key))
        if rows:
            self.insert_frame("aliases", pd.DataFrame(sorted(rows), columns=["alias", "entity"]), ignore=True)

    def add_facts(self, facts: Iterable[Fact]) -> int:
        """Validate and insert facts; a bad fact raises FactError naming it, and nothing is written."""
        sources = {sid: (published, kind)
                   for sid, published, kind in self.con.execute("SELECT id, published, kind FROM sources").fetchall()}
        rows = []
        for i, f in enumerate(facts):
            if f.source_id not in sources:
                raise FactError(f"fact {i} ({f.entity} {f.field}): unknown source {f.source_id!r}")
            try:
                rows.append(f.row(*sources[f.source_id]))  # (published, kind): the kind decides the interval rule
            except (FactError, KeyError) as exc:
                raise FactError(f"fact {i} ({f.entity} {f.field}): {exc}") from None
        if not rows:
            return 0
        df = pd.DataFrame(rows, columns=FACT_COLUMNS)
        for col in ("value_num", "value_high", "lo", "hi", "precision"):
            df[col] = pd.to_numeric(df[col], errors="raise").astype("float64")
        df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
        with self.transaction():
            self.insert_frame("facts", df)
        return len(rows)

    def insert_frame(self, table: str, df: pd.DataFrame, replace: bool = False, ignore: bool = False) -> int:
        """Bulk-insert a DataFrame whose columns are named after the table's columns."""
        verb = "INSERT OR REPLACE" if replace else ("INSERT OR IGNORE" if ignore else "INSERT")
        name = f"_frame_{table}"
        cols = ", ".join(df.columns)
        self.con.register(name, df)
        try:
            self.con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            with contextlib.suppress(duckdb.Error):  # the connection may be mid-rollback
                self.con.unregister(name)
        return len(df)

    def delete_source(self, source_id: str) -> None:
        self.con.execute("DELETE FROM facts WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM fx_rates WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM deal_parties WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM company_links WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM offerings WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM deal_stages WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM deals WHERE source_id = ?", [source_id])
        self.con.execute("DELETE FROM sources WHERE id = ?", [source_id])

    # -- lookups ------------------------------------------------------------------------------------------------
    def resolve_entity(self, text: str) -> str:
        """Entity key for a code (any spelling), an alias, or an unambiguous prefix of a name.

        A code the exchange reused (several listings in the ledger) is ambiguous: ``AmbiguousListing`` names each
        listing, and ``02718@2025`` / ``02718.HK@2025`` (listing year or date) or a name selects one. An exact
        entity key (``HK:02718``, ``HK:02718@2025``) is itself, so keys returned here resolve to themselves."""
        if ":" in text and self.con.execute("SELECT 1 FROM entities WHERE key = ?", [text]).fetchone():
            return text
        code_text, when = split_listing(text)
        if when:
            try:
                return self._listing_on(parse_code(code_text).key, when, text)
            except CodeError:  # not a code with a listing suffix: read it as a name below
                pass
        try:
            key = parse_code(text).key
            if self.con.execute("SELECT 1 FROM entities WHERE key = ?", [key]).fetchone():
                listings = self.listings_of(key)
                if len(listings) > 1:
                    raise AmbiguousListing(f"{text!r} is ambiguous: the code has {len(listings)} listings: "
                                           f"{self._choices(listings)}. Give one as CODE@YEAR or by name",
                                           [r["key"] for r in listings])
                return key
        except CodeError:
            key = None
        if self.con.execute("SELECT 1 FROM entities WHERE key = ?", [text]).fetchone():
            return text
        alias = normalise_alias(text)
        if alias:
            hits = self._alias_hits(alias)
            if not hits:
                simplified = _to_simplified(text)
                if simplified != text:
                    hits = self._alias_hits(normalise_alias(simplified))
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise EntityNotFound(f"{text!r} is ambiguous: {', '.join(hits[:8])}")
        if key:
            raise EntityNotFound(f"no listing {text!r} ({key}) in the ledger")
        raise EntityNotFound(f"no company or listing matches {text!r}")

    def listings_of(self, key: str) -> list[dict]:
        """Every listing of the code of ``key`` (the plain key and its ``@`` keys), oldest first: dicts of key, code,
        name and listing_date (ISO text, or None when the ledger has none)."""
        base = base_key(key)
        if not self.con.execute("SELECT 1 FROM entities WHERE starts_with(key, ?)", [base + "@"]).fetchone():
            rows = self.con.execute("SELECT key, code, coalesce(name_en, name_zh) FROM entities WHERE key = ?",
                                    [base]).fetchall()
            return [{"key": k, "code": c, "name": n, "listing_date": self._listing_date(k)} for k, c, n in rows]
        return self.listing_identities([base]).get(base, [])

    def listing_identities(self, bases: Iterable[str] | None = None) -> dict[str, list[dict]]:
        """Listings grouped by the key of their code (``HK:02718`` -> its listings, oldest first), for ``bases``
        (all listings when None). The listing date is the earliest one any source gives."""
        sql = ("SELECT e.key, e.code, coalesce(e.name_en, e.name_zh), d.day FROM entities e LEFT JOIN "
               "(SELECT entity, min(substr(value_text, 1, 10)) AS day FROM facts WHERE field = 'listing_date' "
               "GROUP BY entity) d ON d.entity = e.key WHERE e.kind = 'listing'")
        params: list = []
        if bases is not None:
            bases = sorted(set(bases))
            if not bases:
                return {}
            sql += " AND split_part(e.key, '@', 1) IN (SELECT unnest(?))"
            params.append(bases)
        out: dict[str, list[dict]] = {}
        for k, c, n, d in self.con.execute(sql, params).fetchall():
            out.setdefault(base_key(k), []).append({"key": k, "code": c, "name": n, "listing_date": d})
        for rows in out.values():
            rows.sort(key=lambda r: (r["listing_date"] is None, r["listing_date"] or "", r["key"]))
        return out

    def _listing_date(self, key: str) -> str | None:
        row = self.con.execute("SELECT min(substr(value_text, 1, 10)) FROM facts WHERE entity = ? "
                               "AND field = 'listing_date'", [key]).fetchone()
        return row[0] if row else None

    def _listing_on(self, base: str, when: str, text: str) -> str:
        listings = self.listings_of(base)
        hits = [r for r in listings if (r["listing_date"] or "").startswith(when)]
        if not hits and len(listings) == 1 and listings[0]["listing_date"] is None:
            hits = listings  # one listing and no date to contradict the year typed
        if len(hits) == 1:
            return hits[0]["key"]
        if len(hits) > 1:
            raise AmbiguousListing(f"{text!r} is ambiguous: {self._choices(hits)}. Give the full listing date "
                                   "(CODE@YYYY-MM-DD)", [r["key"] for r in hits])
        if not listings:
            raise EntityNotFound(f"no listing {text!r} ({base}) in the ledger")
        raise EntityNotFound(f"no listing of {listings[0]['code'] or base} listed in {when}: the ledger has "
                             f"{self._choices(listings)}")

    @staticmethod
    def _choices(listings: list[dict]) -> str:
        """'02718@2019 CMGE (listed 2019-10-31), 02718@2025 NEWCO (listed 2025-07-09)'."""
        parts = []
        years = [r["listing_date"][:4] for r in listings if r["listing_date"]]
        for r in listings:
            code = base_key(r["key"]).split(":", 1)[-1]
            d = r["listing_date"]
            label = (f"{code}@{d[:4] if years.count(d[:4]) == 1 else d}" if d
                     else f"{r['key']} (no listing date)")
            parts.append(" ".join(x for x in (label, r["name"], f"(listed {d})" if d else None) if x))
        return ", ".join(parts)

    def _alias_hits(self, alias: str) -> list[str]:
        exact = [r[0] for r in self.con.execute(
            "SELECT DISTINCT entity FROM aliases WHERE alias = ? ORDER BY entity", [alias]).fetchall()]
        if exact or len(alias) < 2:
            return exact
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT entity FROM aliases WHERE starts_with(alias, ?) ORDER BY entity", [alias]).fetchall()]

    def entity(self, key: str) -> dict | None:
        row = self.con.execute("SELECT * FROM entities WHERE key = ?", [key]).fetchdf()
        return None if row.empty else row.iloc[0].to_dict()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).fetchdf()

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("sources", "entities", "facts", "fx_rates", "prices")}


def _to_simplified(text: str) -> str:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a core dependency
        return text
    return opencc.OpenCC("t2s").convert(text)
