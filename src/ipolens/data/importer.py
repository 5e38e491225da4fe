"""Import a user's CSV, XLSX or JSON records of listings (one row per IPO) or facts (one row per value).

Everything is validated here, before anything is written (``app.data.import_file`` then writes the result in one
transaction): a file with one bad cell changes nothing. Every problem names the file, the row (as a spreadsheet
shows it: the header is row 1) and the field, and every problem is counted (none is dropped). The mapping file
(``import_mapping``) says what each column is; ``import_values`` reads cells with units, lists and the derived
columns' arithmetic. The catalogue of bad inputs that the tests exercise is in docs/import.md.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..ledger.codes import CodeError, listing_key, parse_code, relisting_days, split_listing
from ..ledger.companies import ROLES, SHARE_CLASSES, company_key
from ..ledger.fields import FIELDS
from ..ledger.model import CURRENCIES, QUOTE_MAX, Entity, Fact, Source
from ..ledger.qualifiers import QUALIFIERS
from ..ledger.store import normalise_alias
from .import_mapping import COMPANY_COLUMNS, HEADER_ALIASES, META_COLUMNS, Column, Mapping, load_mapping, \
    resolve_columns
from .import_read import ImportFailed, ImportProblem, numbered, read_table
from .import_values import LIST_SEPARATOR, CellError, parse_number, split_list

__all__ = ["ImportProblem", "ImportFailed", "ParsedFile", "parse_file", "read_table", "HEADER_ALIASES",
           "source_id_for", "problem_report", "SCREEN_PROBLEMS", "LIST_SEPARATOR"]

PRICE_FIELDS = {"offer_price", "offer_price_low", "offer_price_high", "open_price", "close_price"}
LIST_FIELDS = {"sponsors"}  # text fields read as lists even without `lists:` in the mapping
SCREEN_PROBLEMS = 20  # more than this and the full list goes to a file
_HAS_PRECISION = any(f.name == "precision" for f in dataclasses.fields(Fact))
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?")


def source_id_for(title: str) -> str:
    """The source id a title makes: titles differing in case and punctuation make the same id."""
    return "user:" + (normalise_alias(title) or "import")


def problem_report(exc: ImportFailed, path: str | Path, limit: int = SCREEN_PROBLEMS) -> tuple[list[str], str | None]:
    """The lines to show (at most ``limit`` problems) and, when there are more, the file holding all of them."""
    lines = [str(p) for p in exc.problems]
    if len(lines) <= limit:
        return lines, None
    target = Path(f"{path}.problems.txt")
    try:
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:  # the file's folder is read-only: the temp folder then
        fd, name = tempfile.mkstemp(prefix="ipolens-import-", suffix=".problems.txt")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        target = Path(name)
    return lines[:limit], str(target)


def _check_value(fieldname: str, v: float) -> str | None:
    f = FIELDS[fieldname]
    if f.kind in ("money", "shares", "count", "x") and v < 0:
        return f"negative {f.label.lower()} ({v:g})"
    if fieldname in PRICE_FIELDS and v == 0:
        return "price is zero"
    if fieldname in ("one_lot_success_rate", "lottery_rate") and not 0 <= v <= 100:
        return f"{v:g} is not a percentage in [0, 100]"
    return None


def _iso(text: str) -> str:
    """'2026-03-02', '2026/3/2', '2026-03-02 00:00:00' -> '2026-03-02'; anything else (02/03/2026) is refused."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        raise CellError(f"not an ISO date (YYYY-MM-DD): {text!r}")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise CellError(f"not a date: {text!r}") from None


@dataclass
class ParsedFile:
    """A validated import: the source its values cite, the listings it names and its facts."""

    source: Source
    entities: dict[str, Entity]
    facts: list[Fact]
    rows: int
    digest: str = ""  # sha256 of the file: a second import under the same source id must be the same file
    notes: list[str] = dataclasses.field(default_factory=list)  # new listings of reused codes, one line each
    cornerstones: Path | None = None  # the mapping's file of cornerstone records, imported in the same transaction
    # company links the company columns state (ledger.companies.write_import_links files them under the source)
    links: list[dict] = dataclasses.field(default_factory=list)


def parse_file(path: str | Path, source_title: str, mapping_path: str | Path | None = None,
               source_kind: str = "user", publisher: str | None = None, published: str | None = None,
               url: str | None = None, listings: dict[str, list[dict]] | None = None) -> ParsedFile:
    """Read and validate ``path`` completely; every problem found is raised together in ImportFailed.

    ``listings`` are the ledger's listings by code key (``Ledger.listing_identities()``): a row whose listing date
    is more than the relisting distance from every listing of its code is a new listing of a reused code."""
    path = Path(path)
    name = str(path)
    mapping = load_mapping(Path(mapping_path) if mapping_path else None)
    header, rows = read_table(path)
    if not rows:
        raise ImportFailed([ImportProblem(name, 2, None, "no data rows below the header")])
    nested = [ImportProblem(name, next(i for i, r in numbered(rows) if r[j] == "\x00nested"), h,
                            "nested records (objects) in a cell: import them separately, or list the key under "
                            "`ignore:` in the mapping")
              for j, h in enumerate(header) if h not in mapping.ignore and any(r[j] == "\x00nested" for r in rows)]
    if nested:
        raise ImportFailed(nested)
    cols = resolve_columns(name, str(mapping_path) if mapping_path else name, header, mapping)
    targets = {c.target for c in cols}
    if "code" not in targets:
        raise ImportFailed([ImportProblem(name, 1, "code", "missing required column (listing code)")])
    long_form = "field" in targets
    if long_form and "value" not in targets and "text" not in targets:
        raise ImportFailed([ImportProblem(name, 1, "value", "a facts file needs a value (or text) column")])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source_id = source_id_for(source_title)
    src = Source(id=source_id, kind=source_kind, title=source_title, publisher=publisher, url=url,
                 published=published, retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                 note=f"imported from {path.name} (sha256 {digest[:16]})")
    problems: list[ImportProblem] = []
    facts: list[Fact] = []
    entities: dict[str, Entity] = {}
    seen_codes: dict[str, int] = {}
    links: dict[str, dict] = {}  # listing -> its company link (company columns)
    days = mapping.relisting_days or relisting_days()
    keys, notes = _assign_listings(name, cols, rows, listings or {}, days, problems)
    for rn, raw in numbered(rows):
        row = _Row(name, rn, problems)
        cells = {c: raw[c.index].strip() for c in cols if c.index < len(raw)}
        by_target = {c.target: t for c, t in cells.items() if c.target}
        try:
            lc = parse_code(split_listing(by_target.get("code", ""))[0])
        except CodeError as exc:
            row.problem("code", str(exc))
            continue
        if rn not in keys:  # its listing is ambiguous: _assign_listings named the row
            continue
        key = keys[rn]
        row_currency = by_target.get("currency") or None
        if row_currency and row_currency.upper() not in CURRENCIES:
            row.problem("currency", f"unknown currency {row_currency!r}; expected one of {', '.join(CURRENCIES)}")
            continue
        row_currency = row_currency.upper() if row_currency else None
        entities.setdefault(key, Entity(key, "listing", _market(lc), lc.display))
        if long_form:
            f = _long_row(name, rn, key, by_target, row_currency or mapping.default_currency, source_id, problems)
            if f:
                facts.append(f)
            continue
        if key in seen_codes:
            row.problem("code", f"duplicate code {lc.display} (first on row {seen_codes[key]})")
            continue
        seen_codes[key] = rn
        facts.extend(_wide_row(row, key, cells, mapping, row_currency, source_id, entities[key]))
        if COMPANY_COLUMNS & by_target.keys():
            _company_links(row, key, lc, by_target, entities, links, _partner_choices(listings or {}, keys))
    if problems:
        raise ImportFailed(problems)
    return ParsedFile(src, entities, facts, len(rows), digest, notes, mapping.cornerstones, list(links.values()))


def _partner_choices(known: dict[str, list[dict]], keys: dict) -> dict[str, list[tuple[str, str]]]:
    """Every listing a partner code may mean, by code key: (entity key, listing date or '') from the ledger and from
    this file's rows (a reused code has several)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for base, rows in known.items():
        out.setdefault(base, []).extend((r["key"], r["listing_date"] or "") for r in rows)
    for k in set(keys.values()):
        base, _, when = k.partition("@")
        if k not in {x for x, _ in out.get(base, [])}:
            out.setdefault(base, []).append((k, when))
    return out


def _partner(row: "_Row", col: str, text: str, p, choices: dict[str, list[tuple[str, str]]]) -> str | None:
    """The listing an ``a_share_code``/``h_share_code`` cell names: the code's only listing, or the one its
    ``@YEAR``/``@DATE`` selects; a reused code without one is a problem listing the choices (never the oldest)."""
    when = split_listing(text)[1]
    found = {k: d for k, d in choices.get(p.key, [])}
    if when:
        hits = [k for k, d in found.items() if d.startswith(when) or k.endswith("@" + when)]
    else:
        hits = list(found)
    if len(hits) == 1 or (not found and not when):
        return hits[0] if hits else p.key
    listed = ", ".join(f"{p.display}@{d or '?'}" for d in sorted(found.values())) or "none"
    row.problem(col, f"{text!r} names a code with {len(found)} listings ({listed}): write CODE@YEAR"
                if not when or len(hits) > 1 else f"{text!r}: no listing of {p.display} dated {when} ({listed})")
    return None


def _company_links(row: "_Row", key: str, lc, cells: dict, entities: dict, links: dict[str, dict],
                   choices: dict[str, list[tuple[str, str]]] | None = None) -> None:
    """The links one listings row states: its company (the ``company`` column, else its own name when it names
    another listing), that listing (``a_share_code`` / ``h_share_code``), its share class and role. A code names a
    listing the source says exists, so an unknown one becomes a listing entity; nothing else is assumed."""
    v = {c: (cells.get(c) or "").strip() for c in COMPANY_COLUMNS}
    if not any(v.values()):
        return
    classes = {c.lower(): c for c in SHARE_CLASSES}
    cls = classes.get(v["share_class"].lower()) if v["share_class"] else None
    if v["share_class"] and cls is None:
        row.problem("share_class", f"unknown share class {v['share_class']!r}; expected one of "
                                   f"{', '.join(SHARE_CLASSES)}")
        return
    role = v["listing_role"].lower() or None
    if role and role not in ROLES:
        row.problem("listing_role", f"unknown listing role {v['listing_role']!r}; expected {' or '.join(ROLES)}")
        return
    partners = []
    for col, markets, other, own_markets, own in (("a_share_code", ("SH", "SZ"), "A", ("HK",), "H"),
                                                  ("h_share_code", ("HK",), "H", ("SH", "SZ"), "A")):
        if not v[col]:
            continue
        try:
            p = parse_code(split_listing(v[col])[0])
        except CodeError as exc:
            row.problem(col, str(exc))
            return
        if p.market not in markets:
            row.problem(col, f"{v[col]!r} is a {p.market} code, not an {other}-share code")
            return
        if p.key == key.split("@", 1)[0]:
            row.problem(col, f"{v[col]!r} is the row's own listing")
            return
        pkey = _partner(row, col, v[col], p, choices or {})
        if pkey is None:
            return
        partners.append((p, pkey, other))
        if cls is None and lc.market in own_markets:  # an HK listing of an A-share issuer is its H share
            cls = own
    name = v["company"] or cells.get("name_en") or cells.get("name_zh") or ""
    if not name:
        row.problem("company", "a company link needs the company's name: add a `company` column or the row's name")
        return
    try:
        ck = company_key(name)
    except ValueError as exc:  # a dash or punctuation only: no name to key on
        row.problem("company", str(exc))
        return
    where = f"row {row.rn} of {Path(row.name).name}"
    new = [{"listing": key, "company": ck, "share_class": cls, "role": role, "note": where}]
    for p, pkey, other in partners:
        entities.setdefault(pkey, Entity(pkey, "listing", _market(p), p.display))
        new.append({"listing": pkey, "company": ck, "share_class": other, "role": None, "note": where})
    for r in new:
        old = links.get(r["listing"])
        if old and old["company"] != ck:
            row.problem("company", f"{r['listing']} is linked to {old['company']} by {old['note']}")
            return
    for r in new:
        if r["listing"] in links and links[r["listing"]]["share_class"] and not r["share_class"]:
            r["share_class"] = links[r["listing"]]["share_class"]
        latin = bool(re.search(r"[A-Za-z]", name))
        links[r["listing"]] = {**r, "company_names": [name],
                               "company_name_en": (name if latin else None) if v["company"] else cells.get("name_en"),
                               "company_name_zh": (None if latin else name) if v["company"] else cells.get("name_zh")}


def _assign_listings(name: str, cols: list[Column], rows: list[list[str]], known: dict[str, list[dict]],
                     days: int, problems: list[ImportProblem]) -> tuple[dict[int, str], list[str]]:
    """The entity key of each row (by row number) and a note per new listing of a reused code.

    A listing is (market, code, listing date). A dated row joins the listing of its code listed within ``days``
    of it (the nearest), else the code's only undated listing, else it is a new listing: the code's first keeps the
    plain key, later ones get ``@YEAR``. Dated rows are taken oldest first, so within a file the older listing
    keeps the plain key. A row without a listing date joins the code's only listing, or the one its code names
    (``02718@2025``); with several listings and no way to choose, the row is a problem asking for the date."""
    code_col = next(c for c in cols if c.target == "code")
    date_col = next((c for c in cols if c.target == "listing_date"), None)
    by_base: dict[str, list[tuple[int, object, str | None, str | None]]] = {}
    keys: dict[int, str] = {}
    for rn, raw in numbered(rows):
        code_text, when = split_listing(raw[code_col.index].strip() if code_col.index < len(raw) else "")
        try:
            lc = parse_code(code_text)
        except CodeError:
            continue  # the row loop reports it
        day = None
        if date_col is not None and date_col.index < len(raw) and raw[date_col.index].strip():
            try:
                day = _iso(raw[date_col.index])
            except CellError:  # the row loop reports the date (the import fails); the row still needs a key
                keys[rn] = lc.key
                continue
        by_base.setdefault(lc.key, []).append((rn, lc, when, day))
    notes: list[str] = []
    for base, items in by_base.items():
        listings = [{"key": r["key"], "listing_date": r["listing_date"], "row": None} for r in known.get(base, [])]
        for rn, lc, _when, day in sorted((i for i in items if i[3]), key=lambda i: (i[3], i[0])):
            d = dt.date.fromisoformat(day)
            near = [(abs((dt.date.fromisoformat(x["listing_date"]) - d).days), x) for x in listings
                    if x["listing_date"]]
            near = sorted(((gap, x) for gap, x in near if gap <= days), key=lambda t: t[0])
            undated = [x for x in listings if not x["listing_date"]]
            if near:
                keys[rn] = near[0][1]["key"]
            elif len(undated) == 1:
                undated[0]["listing_date"] = day
                keys[rn] = undated[0]["key"]
            elif not listings:
                listings.append({"key": base, "listing_date": day, "row": rn})
                keys[rn] = base
            else:
                key = listing_key(base, day, [x["listing_date"] for x in listings], {x["key"] for x in listings})
                other = min((x for x in listings if x["listing_date"]),
                            key=lambda x: abs((dt.date.fromisoformat(x["listing_date"]) - d).days))
                where = f" (row {other['row']})" if other["row"] else ""
                notes.append(f"row {rn}: {lc.display} listed {other['listing_date']}{where} is a different listing: "
                             f"created {lc.display}{key[len(base):]} (listed {day})")
                listings.append({"key": key, "listing_date": day, "row": rn})
                keys[rn] = key
        for rn, lc, when, day in (i for i in items if not i[3]):
            hits = [x for x in listings if when and (x["listing_date"] or "").startswith(when)] if when else listings
            if len(hits) == 1:
                keys[rn] = hits[0]["key"]
            elif not listings and not when:
                listings.append({"key": base, "listing_date": None, "row": rn})
                keys[rn] = base
            else:
                choices = ", ".join(f"{lc.display}@{x['listing_date'] or '?'}" for x in listings) or "none"
                ask = (f"no listing of {lc.display} listed in {when} (listings: {choices})" if when and not hits
                       else f"{lc.display} has {len(listings)} listings ({choices}): give the row's listing date, "
                            f"or write the code as {lc.display}@YEAR")
                problems.append(ImportProblem(name, rn, "listing_date" if not when else "code", ask))
    return keys, notes


class _Row:
    def __init__(self, name: str, rn: int, problems: list[ImportProblem]):
        self.name, self.rn, self.problems = name, rn, problems

    def problem(self, field: str | None, message: str) -> None:
        self.problems.append(ImportProblem(self.name, self.rn, field, message))


def _fact(key: str, fieldname: str, source_id: str, precision: float | None, **kw) -> Fact:
    if _HAS_PRECISION and precision is not None:
        kw["precision"] = precision
    return Fact(entity=key, field=fieldname, source_id=source_id, ext_id=f"{key}:{fieldname}", **kw)


def _wide_row(row: _Row, key: str, cells: dict[Column, str], mapping: Mapping, row_currency: str | None,
              source_id: str, entity: Entity) -> list[Fact]:
    """The facts of one listings row: mapped columns, then derived columns; problems go to ``row``."""
    values: dict[str, float] = {}  # expression names -> numbers (after units and scale)
    money: dict[str, str] = {}  # expression names -> currency, for money columns
    dates: dict[str, str] = {}  # column names -> ISO date, for as_of
    pending: list[tuple[Column, Fact]] = []
    for c, text in cells.items():
        if text == "" or text == "\x00nested" or c.target in META_COLUMNS:
            continue
        f = FIELDS.get(c.target) if c.target else None
        try:
            if f is None:  # a column named only for expressions and as_of
                if c.refs & mapping.date_refs:
                    dates.update(dict.fromkeys(c.refs, _iso(text)))
                else:
                    values.update(dict.fromkeys(c.refs, parse_number(text).value * c.scale))
                continue
            fact = _fact(key, c.target, source_id, c.precision)
            if f.kind == "date":
                fact.text = _iso(text)
                dates.update(dict.fromkeys(c.refs, fact.text))
            elif f.kind == "year" and _DATE.fullmatch(text):
                fact.value, fact.unit = float(_iso(text)[:4]), "year"
            elif f.is_text:
                fact.text = LIST_SEPARATOR.join(split_list(text)) if c.is_list or c.target in LIST_FIELDS else text
                if c.target == "name_en":
                    entity.name_en = text
                if c.target == "name_zh":
                    entity.name_zh = text
            else:
                fact.value, fact.currency, fact.unit = _numeric(c, f, text, row_currency, mapping)
                if f.kind == "money":
                    money.update(dict.fromkeys(c.refs, fact.currency))
                values.update(dict.fromkeys(c.refs, fact.value))
        except CellError as exc:
            row.problem(c.target or c.header, str(exc))
            continue
        pending.append((c, fact))
    for d in mapping.derived:
        try:
            v = d.expr.evaluate(values)
        except CellError as exc:
            row.problem(d.field, f"{d.expr.text}: {exc}")
            continue
        if v is None:
            continue
        fact = _fact(key, d.field, source_id, d.precision, value=v, note=f"derived in the mapping: {d.expr.text}")
        used = {money[n] for n in d.expr.names if n in money}
        if FIELDS[d.field].kind == "money":
            cur = d.currency or (used.pop() if len(used) == 1 else None)
            if cur is None:
                row.problem(d.field, "a derived money value needs `currency:` in the mapping")
                continue
            fact.currency = cur
        elif len(used) > 1:
            row.problem(d.field, f"{d.expr.text} mixes {', '.join(sorted(used))} values")
            continue
        else:
            fact.unit = FIELDS[d.field].kind
        pending.append((d, fact))
    out = []
    for c, fact in pending:
        bad = _check_value(fact.field, fact.value) if fact.value is not None else None
        if bad:
            row.problem(fact.field, bad)
            continue
        try:
            fact.as_of = _as_of(c.as_of, dates)
            fact.validate()
        except (CellError, ValueError, KeyError) as exc:
            row.problem(fact.field, str(exc))
            continue
        out.append(fact)
    return out


def _numeric(c: Column, f, text: str, row_currency: str | None, mapping: Mapping):
    n = parse_number(text)
    if n.percent and f.kind not in ("pct", "pp"):
        raise CellError(f"{text!r}: a percentage in a {f.label.lower()} column")
    value = n.value * c.scale
    if f.kind != "money":
        if n.currency:
            raise CellError(f"{text!r}: a currency in a {f.label.lower()} column")
        return value, None, f.kind
    declared = c.currency or row_currency
    if n.currency and declared and n.currency != declared:
        raise CellError(f"{text!r} is in {n.currency}, but the column's currency is {declared}")
    cur = n.currency or declared or mapping.default_currency
    if not cur:
        raise CellError("money value without a currency: add a currency column, a unit in the cell "
                        "or `currency:` in the mapping")
    return value, cur, None


def _as_of(spec, dates: dict[str, str]) -> str | None:
    """The date a column's values are stamped with: its `as_of:` (a date column, or one plus an offset), else
    the listing date. None when the date column of this row is empty."""
    if spec is None:
        return dates.get("listing_date")
    ref, n, unit = spec
    day = dates.get(ref)
    if day is None:
        return None
    d = dt.date.fromisoformat(day)
    if unit == "days":
        return (d + dt.timedelta(days=n)).isoformat()
    months = n * (12 if unit == "years" else 1)
    y, m = divmod(d.month - 1 + months, 12)
    import calendar

    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1])).isoformat()


def _long_row(name: str, rn: int, key: str, cells: dict, currency: str | None, source_id: str,
              problems: list[ImportProblem]) -> Fact | None:
    fieldname = cells.get("field", "")
    if fieldname not in FIELDS:
        import difflib

        hint = difflib.get_close_matches(fieldname, FIELDS, n=2)
        problems.append(ImportProblem(name, rn, "field", f"unknown field {fieldname!r}"
                                      + (f"; did you mean {', '.join(hint)}?" if hint else "")))
        return None
    f = FIELDS[fieldname]
    qualifier = cells.get("qualifier") or "exact"
    if qualifier not in QUALIFIERS:
        problems.append(ImportProblem(name, rn, "qualifier", f"unknown qualifier {qualifier!r}; expected one of "
                                                             f"{', '.join(QUALIFIERS)}"))
        return None
    quote = cells.get("quote") or None
    if quote and len(quote) > QUOTE_MAX:
        problems.append(ImportProblem(name, rn, "quote", f"quote is {len(quote)} characters; at most {QUOTE_MAX}"))
        return None
    fact = Fact(entity=key, field=fieldname, source_id=source_id, qualifier=qualifier, quote=quote,
                period=cells.get("period") or None, note=cells.get("note") or None, ext_id=f"row{rn}")
    value_text = cells.get("value", "")
    if f.is_text:
        fact.text = cells.get("text") or value_text or None
    elif value_text:
        try:
            n = parse_number(value_text)
            fact.value = n.value
            if cells.get("value_high"):
                fact.value_high = parse_number(cells["value_high"]).value
        except CellError as exc:
            problems.append(ImportProblem(name, rn, "value", str(exc)))
            return None
        bad = _check_value(fieldname, fact.value)
        if bad:
            problems.append(ImportProblem(name, rn, "value", bad))
            return None
        if f.kind == "money":
            cur = n.currency or currency
            if not cur:
                problems.append(ImportProblem(name, rn, "currency", f"{fieldname} is money and needs a currency"))
                return None
            fact.currency = cur
        else:
            fact.unit = cells.get("unit") or f.kind
    try:
        fact.as_of = cells.get("as_of") or None
        fact.validate()
    except (ValueError, KeyError) as exc:
        field_at_fault = "as_of" if "date" in str(exc) else "value"
        problems.append(ImportProblem(name, rn, field_at_fault, str(exc)))
        return None
    return fact


def _market(lc) -> str:
    if lc.market == "SH":
        return "STAR" if lc.code.startswith(("688", "689")) else "SH"
    return {"US": "NASDAQ"}.get(lc.market, lc.market)
