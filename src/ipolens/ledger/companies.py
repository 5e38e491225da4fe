"""Companies in the ledger: a company (entity ``CO:<slug>``, kind ``company``, names and aliases in ``entities`` and
``aliases``) may have several listings (an A+H company, a dual primary, a relisting under a new code). A row of
``company_links`` says, citing its source, which company one listing belongs to, which share class it is and whether
it is a primary or secondary listing. A row whose ``company`` is NULL says the listing belongs to no other listing's
company (``ipolens unlink``): it overrides a link the facts imply (the same name in a dataset).

For one listing the user's own row (``MANUAL_SOURCE``) wins, then the newest (``written``). The table is in the
schema's DDL list (``schema.DDL_COMPANIES``), so an older ledger gains it on its next write-open (``open_store``
migrates when the schema version, a hash of the DDL, changes); a read-only ledger built before it has none
(``has_schema``). Writes happen inside ``Store.write()``.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Iterable

import pandas as pd

from .model import Entity
from .schema import COMPANY_ROLES as ROLES, DDL_COMPANIES, SHARE_CLASSES
from .store import normalise_alias

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["DDL_COMPANIES", "SHARE_CLASSES", "ROLES", "LINK_COLUMNS", "has_schema", "ensure_schema",
           "replace_links", "add_links", "company_key", "write_import_links", "MANUAL_SOURCE"]

# The user's links (``ipolens link`` / ``unlink``) cite this source and win over every other source.
MANUAL_SOURCE = "user:company-links"

LINK_COLUMNS = ["listing", "company", "share_class", "role", "source_id", "note"]


def has_schema(led: "Ledger") -> bool:
    """True when the ledger has the company table (a read-only ledger built before it has not)."""
    return led.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'company_links'"
                           ).fetchone()[0] > 0


def ensure_schema(led: "Ledger") -> None:
    for stmt in DDL_COMPANIES:
        led.con.execute(stmt)


def company_key(name: str) -> str:
    """'Contemporary Amperex Technology Co., Limited' -> 'CO:contemporary-amperex-technology-co-limited'; a name
    without Latin letters or digits keeps its characters ('宁德时代' -> 'CO:宁德时代')."""
    s = unicodedata.normalize("NFKC", str(name)).strip().lower()
    slug = re.sub(r"[^\w]+", "-", s).strip("-_")
    if not slug:
        raise ValueError(f"cannot make a company key from {name!r}")
    return "CO:" + slug


def _frame(rows: Iterable[dict]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=LINK_COLUMNS)
    return df.astype(object).where(df.notna(), None)


def add_links(led: "Ledger", rows: Iterable[dict]) -> int:
    """Insert or replace link rows (dicts keyed by LINK_COLUMNS); a listing's row of the same source is replaced
    and becomes the newest."""
    df = _frame(rows)
    if df.empty:
        return 0
    ensure_schema(led)
    led.con.register("_new_links", df)
    try:
        # update then insert, not INSERT OR REPLACE (duckdb 1.2.0 keeps the old value of a column a replacing row
        # sets to NULL, such as an unlink row's company) nor delete-then-insert (1.2.0 then reports the deleted key
        # as a duplicate within the transaction)
        keep = [c for c in LINK_COLUMNS if c not in ("listing", "source_id")]
        led.con.execute(f"""UPDATE company_links SET {", ".join(f"{c} = n.{c}" for c in keep)},
                                   written = current_timestamp
                            FROM _new_links n
                            WHERE company_links.listing = n.listing AND company_links.source_id = n.source_id""")
        led.con.execute(f"""INSERT INTO company_links ({", ".join(LINK_COLUMNS)}, written)
                            SELECT {", ".join(LINK_COLUMNS)}, current_timestamp FROM _new_links n
                            WHERE NOT EXISTS (SELECT 1 FROM company_links l
                                              WHERE l.listing = n.listing AND l.source_id = n.source_id)""")
    finally:
        led.con.unregister("_new_links")
    return len(df)


def replace_links(led: "Ledger", source_id: str, rows: Iterable[dict]) -> tuple[int, int]:
    """Replace every link row of ``source_id`` by ``rows``: (removed, added). Re-importing a source replaces its
    links as it replaces its facts."""
    ensure_schema(led)
    removed = led.con.execute("DELETE FROM company_links WHERE source_id = ?", [source_id]).fetchone()[0]
    rows = [{**r, "source_id": source_id} for r in rows]
    return int(removed), add_links(led, rows)


def write_import_links(led: "Ledger", links: list[dict], source_id: str) -> int:
    """File an import's company links (``data.importer.ParsedFile.links``) under its source, inside the caller's
    write: the companies they name become entities (with the names the file gives as aliases), then the links
    replace that source's earlier ones."""
    companies: dict[str, Entity] = {}
    for r in links:
        if r.get("company"):
            e = companies.setdefault(r["company"], Entity(r["company"], "company"))
            for name in r.get("company_names") or ():
                if name and name not in e.aliases:
                    e.aliases.append(name)
            e.name_en = e.name_en or r.get("company_name_en")
            e.name_zh = e.name_zh or r.get("company_name_zh")
    known = {k for (k,) in led.con.execute("SELECT key FROM entities WHERE kind = 'company'").fetchall()}
    led.add_entities([e for k, e in companies.items() if k not in known])

    # a known company keeps its names and gains the file's spellings as aliases
    al = sorted({(normalise_alias(a), k) for k, e in companies.items() if k in known
                 for a in (*e.aliases, e.name_en, e.name_zh) if a and normalise_alias(a)})
    if al:
        led.insert_frame("aliases", pd.DataFrame(al, columns=["alias", "entity"]), ignore=True)
    return replace_links(led, source_id, [{c: r.get(c) for c in LINK_COLUMNS} for r in links])[1]
