"""Loading a price file into ``prices`` with DuckDB's own reader: the SQL half of ``ipolens import-prices``.

``data.prices`` reads the header and decides what each column is (a :class:`PriceFile`); this module turns that
into SQL. Two routes, both all-or-nothing inside the caller's transaction (``Store.write``):

* direct: the first import of a file without Adj Close reads it once, straight into ``prices``, mapping codes
  in SQL (:func:`ipolens.ledger.codes.sql_key`), then checks the inserted rows for a repeated listing and day;
  a code spelling the SQL mapping leaves NULL raises :class:`SpellingNotCovered` (the caller rolls back and
  retries staged);
* staged: everything else (re-imports, Adj Close, other spellings) parses the file into a temp table, maps each
  distinct spelling with :func:`parse_code`, and inserts from there.

Any other database error is for :func:`diagnose`, which reads the file again as text and names the row.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .codes import CodeError, parse_code, sql_key
from .model import Source

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from .store import Ledger

__all__ = ["PriceFile", "PriceImportError", "SpellingNotCovered", "describe_parquet", "source_is_new", "load",
           "diagnose", "keep_insertion_order", "NUMERIC", "REQUIRED"]

REQUIRED = ("date", "open", "high", "low", "close")
NUMERIC = ("open", "high", "low", "close", "adj_close", "volume", "turnover")
# Cells that mean "no value": Yahoo writes null on placeholder rows, some exports a dash.
NULL_CELLS = ("", "null", "NULL", "-")


class PriceImportError(ValueError):
    """A price file that cannot be imported; the message names the file, the row and the field."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv(path: Path, delim: str, spec: str, extra: str = "") -> str:
    nulls = ", ".join(_lit(x) for x in NULL_CELLS)
    return (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim={_lit(delim)}, quote='\"', "
            f"escape='\"', nullstr=[{nulls}], columns={{{spec}}}{extra})")


def _date_sql(cell: str) -> str:
    """A date cell as DATE, NULL if it is none: 2026-01-05, 2026/1/5, '2026-01-05 00:00:00', 20260105; spaces around
    are ignored. The plain ISO cast runs first; the slower parse only sees the cells it left NULL."""
    t = f"replace(trim(CAST({cell} AS VARCHAR)), '/', '-')"
    return (f"coalesce(TRY_CAST(substr({t}, 1, 10) AS DATE), CAST(try_strptime(split_part(split_part({t}, ' ', 1), "
            f"'T', 1), ['%Y-%m-%d', '%Y%m%d']) AS DATE))")


def _check_sane(con: "DuckDBPyConnection", f: "PriceFile", relation: str, cols: dict[str, str]) -> None:
    """Prices above zero, high not below low, volumes not negative: one aggregate pass over the loaded rows; only
    when it finds a bad bar is the file read again to name its row."""
    o, h, lo, c, v = (cols[k] for k in ("open", "high", "low", "close", "volume"))
    rules = [*(f"{x} <= 0" for x in (o, h, lo, c)), f"{h} < {lo}", f"{v} < 0"]
    if not con.execute(f"SELECT count(*) FROM {relation} WHERE {' OR '.join(rules)}").fetchall()[0][0]:
        return
    checks = [(fld, f"{f.num(fld, '')} <= 0", "is not above zero") for fld in ("open", "high", "low", "close")
              if fld in f.m]
    if "volume" in f.m:
        checks.append(("volume", f"{f.num('volume', '')} < 0", "is negative"))
    checks.append(("high", f"{f.num('high', '')} < {f.num('low', '')}", "is below the low"))
    for fld, bad, what in checks:
        row = _first_row(con, f.src, bad, [])
        if row != "?":
            value = con.execute(f"SELECT {f.col(fld, '')} FROM (SELECT row_number() OVER () AS rn, * FROM {f.src}) "
                                "WHERE rn = ?", [row]).fetchall()[0][0]
            line = f" (line {row + 1})" if not f.parquet else ""
            raise PriceImportError(f"{f.path}: row {row}{line}, field {f.m[fld]}: {value!r} {what}; nothing was "
                                   "imported")
    raise PriceImportError(f"{f.path}: a bar with a price not above zero, a high below its low or a negative "
                           "volume; nothing was imported")


class SpellingNotCovered(Exception):
    """The direct route met a code spelling its SQL mapping leaves NULL; the staged route takes over."""


class _BadValue(Exception):
    """A price that is NaN or infinite, or a bar without a close; the diagnostic pass names the row."""


def _check_values(con: "DuckDBPyConnection", relation: str, close: str, others: list[str]) -> None:
    """One aggregate pass over the rows just loaded: cheaper than a guard on every cell of the insert."""
    bad = " OR ".join([f"{close} IS NULL", f"NOT isfinite({close})",
                       *(f"NOT isfinite(coalesce({c}, 0))" for c in others)])
    if con.execute(f"SELECT count(*) FROM {relation} WHERE {bad}").fetchall()[0][0]:
        raise _BadValue


@dataclass(frozen=True)
class PriceFile:
    """A price file as ``data.prices`` read it: its columns and their types, which are ours, its listing if it has
    no code column, and (CSV) the delimiter. ``src`` is the DuckDB table function reading the whole file."""

    path: Path
    parquet: bool
    columns: list[str]
    types: dict[str, str]  # column -> DuckDB type the reader applies (CSV: ours; Parquet: the file's)
    m: dict[str, str]  # our field -> the file's column
    fixed_key: str | None  # the listing of a file without a code column
    delim: str = ","
    fast_dates: bool = False  # the reader parses the date column itself (every sampled date was YYYY-MM-DD)

    @property
    def src(self) -> str:
        if self.parquet:
            return f"read_parquet({_lit(str(self.path))})"
        spec = ", ".join(f"{_lit(c)}: {_lit(self.types[c])}" for c in self.columns)
        return _read_csv(self.path, self.delim, spec)

    def with_text_dates(self) -> "PriceFile":
        """The same file with the date column read as text (a later row wrote its date another way)."""
        return replace(self, types={**self.types, self.m["date"]: "VARCHAR"}, fast_dates=False)

    def col(self, field: str, alias: str = "r") -> str:
        return f"{alias}.{_q(self.m[field])}" if alias else _q(self.m[field])

    def date_expr(self, alias: str = "r") -> str:
        d = self.col("date", alias)
        if self.types.get(self.m["date"], "VARCHAR") == "VARCHAR":
            return _date_sql(d)
        return f"CAST({d} AS DATE)"

    def num(self, field: str, alias: str = "r") -> str:
        return f"CAST({self.col(field, alias)} AS DOUBLE)" if field in self.m else "CAST(NULL AS DOUBLE)"

    def placeholder(self, alias: str = "r") -> str:
        """True on a row with no price at all (Yahoo's null rows on non-trading days): skipped, not imported."""
        return " AND ".join(f"{self.col(x, alias)} IS NULL" for x in ("open", "high", "low", "close"))

    def raw_code(self, alias: str = "r") -> str:
        return f"CAST({self.col('code', alias)} AS VARCHAR)" if "code" in self.m else "CAST(NULL AS VARCHAR)"


@contextmanager
def _unordered(con: "DuckDBPyConnection"):
    """Let DuckDB write rows in any order for one bulk statement: a keyed table does not care, and keeping file
    order costs time. Row numbers in error messages are computed with the order kept."""
    con.execute("SET preserve_insertion_order = false")
    yield
    # not in a finally: after a failure the transaction is aborted and refuses SET; load and diagnose restore it
    con.execute("SET preserve_insertion_order = true")


def keep_insertion_order(led: "Ledger") -> None:
    """Back to DuckDB's default (a failed bulk statement can leave the shared memory connection unordered)."""
    led.con.execute("SET preserve_insertion_order = true")


def describe_parquet(led: "Ledger", path: Path) -> list[tuple[str, str]]:
    """(column, type) of a Parquet file."""
    try:
        return [(r[0], r[1]) for r in led.con.execute(f"DESCRIBE SELECT * FROM read_parquet({_lit(str(path))})")
                .fetchall()]
    except Exception as exc:  # noqa: BLE001 - DuckDB's IO/format errors, reported with the file named
        raise PriceImportError(f"{path}: not a readable Parquet file ({_short(exc)})") from None


def source_is_new(led: "Ledger", source_id: str) -> bool:
    """No bar of this source is in the ledger yet (a first import may take the direct route)."""
    return led.con.execute("SELECT count(*) = 0 FROM (SELECT 1 FROM prices WHERE source_id = ? LIMIT 1)",
                           [source_id]).fetchall()[0][0]


def load(led: "Ledger", f: PriceFile, source: Source, direct: bool) -> int:
    """Write the file's bars under ``source`` by one route (in the caller's transaction); returns rows written.

    ``direct`` may raise :class:`SpellingNotCovered`; either route may raise :class:`PriceImportError`, or a
    database error that :func:`diagnose` explains."""
    keep_insertion_order(led)
    if direct:
        n = _insert_direct(led, f, source)
    else:
        n = _insert_staged(led, f, source, source_is_new(led, source.id))
    # a failed load rolls its temp tables back with it; a good one drops them (the memory store keeps its connection)
    for table in ("_price_codes", "_price_new", "_price_stage"):
        led.con.execute(f"DROP TABLE IF EXISTS {table}")
    return n


def diagnose(led: "Ledger", f: PriceFile, exc: Exception) -> str:
    """The message for a failed load: the first row of the file that does not parse, else the database's error."""
    keep_insertion_order(led)
    return _diagnose(led.con, f, exc)


def _insert_direct(ledger: "Ledger", f: PriceFile, source: Source) -> int:
    """One read of the file straight into ``prices``, then a check of the inserted rows for a repeated day."""
    import duckdb

    con = ledger.con
    key = _lit(f.fixed_key) if f.fixed_key else sql_key(f.raw_code())
    sid = _lit(source.id)
    ledger.add_source(source)
    try:
        with _unordered(con):
            written = con.execute(
                f"INSERT INTO prices SELECT {key}, {f.date_expr()}, {f.num('open')}, {f.num('high')}, "
                f"{f.num('low')}, {f.num('close')}, {f.num('volume')}, {f.num('turnover')}, false, {sid} "
                f"FROM {f.src} r WHERE NOT ({f.placeholder()})").fetchall()[0][0]
    except duckdb.ConstraintException as exc:
        if "prices.code" in str(exc):
            raise SpellingNotCovered from None
        raise
    _check_values(con, f"(SELECT * FROM prices WHERE source_id = {sid})", "close",
                  ["open", "high", "low", "volume", "turnover"])
    _check_sane(con, f, f"(SELECT * FROM prices WHERE source_id = {sid})",
                {k: k for k in ("open", "high", "low", "close", "volume")})
    inserted = f"(SELECT code AS raw, date FROM prices WHERE source_id = {sid})"
    repeating = [k for k, extra in _repeats_per_code(con, inserted) if extra]
    if repeating:
        date = con.execute(f"SELECT date FROM prices WHERE source_id = {sid} AND code = ? GROUP BY date "
                           "HAVING count(*) > 1 ORDER BY date LIMIT 1", [repeating[0]]).fetchall()[0][0]
        same_listing = (f"{sql_key(f.raw_code(''))} = ?", [repeating[0]]) if not f.fixed_key else None
        _raise_duplicate(con, f, repeating[0], date, same_listing)
    return int(written)


def _insert_staged(ledger: "Ledger", f: PriceFile, source: Source, fresh: bool) -> int:
    """Parse the file once into a temp table, map each distinct code spelling in Python, then insert."""
    con = ledger.con
    m = f.m
    with _unordered(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _price_stage AS SELECT {f.raw_code()} AS raw, "
                    f"{f.date_expr()} AS date, {f.num('open')} AS o, {f.num('high')} AS h, {f.num('low')} AS l, "
                    f"{f.num('close')} AS c, {f.num('adj_close')} AS a, {f.num('volume')} AS v, "
                    f"{f.num('turnover')} AS t FROM {f.src} r WHERE NOT ({f.placeholder()})")
    _check_values(con, "_price_stage", "c", ["o", "h", "l", "a", "v", "t"])
    _check_sane(con, f, "_price_stage", {"open": "o", "high": "h", "low": "l", "close": "c", "volume": "v"})
    per_raw = _repeats_per_code(con, "_price_stage")
    if f.fixed_key:
        code_expr, join = _lit(f.fixed_key), ""
    else:
        mapping = []
        for raw, _ in per_raw:
            try:
                mapping.append((raw, parse_code(str(raw)).key))
            except (CodeError, TypeError):
                row = _first_row(con, f.src, f"{f.raw_code('')} IS NOT DISTINCT FROM ?", [raw])
                shown = "an empty cell" if raw is None else repr(raw)
                raise PriceImportError(f"{f.path}: row {row}, field {m['code']}: {shown} is not a listing "
                                       "code; nothing was imported") from None
        # one statement from two lists: executemany would cost a round trip per spelling
        con.execute("CREATE OR REPLACE TEMP TABLE _price_codes AS SELECT unnest(?::VARCHAR[]) AS raw, "
                    "unnest(?::VARCHAR[]) AS key", [[r for r, _ in mapping], [k for _, k in mapping]])
        code_expr, join = "_c.key", " JOIN _price_codes _c ON b.raw = _c.raw"
    _reject_staged_duplicates(con, f, [raw for raw, extra in per_raw if extra])
    sid = _lit(source.id)
    if "adj_close" in m:
        # each row yields its raw bar and, when Adj Close is given, the adjusted bar
        # (Yahoo's factor Adj Close / Close scales open, high and low alike)
        k = "(b.a / nullif(b.c, 0))"
        # A listing gets an adjusted series only if its Adj Close differs from Close somewhere (a dividend or
        # split); otherwise the adjusted bars would repeat the raw ones row for row.
        adjusted_codes = ("(SELECT coalesce(raw, '') FROM _price_stage GROUP BY raw "
                          "HAVING bool_or(abs(a - c) > 1e-9 * abs(c)))")
        select = (f"SELECT {code_expr}, b.date, CASE WHEN x.adj THEN b.o * {k} ELSE b.o END, "
                  f"CASE WHEN x.adj THEN b.h * {k} ELSE b.h END, CASE WHEN x.adj THEN b.l * {k} ELSE b.l END, "
                  f"CASE WHEN x.adj THEN b.a ELSE b.c END, b.v, b.t, x.adj, {sid} "
                  f"FROM _price_stage b{join} CROSS JOIN (VALUES (false), (true)) x(adj) "
                  f"WHERE NOT x.adj OR (b.a IS NOT NULL AND coalesce(b.raw, '') IN {adjusted_codes})")
    else:
        select = f"SELECT {code_expr}, b.date, b.o, b.h, b.l, b.c, b.v, b.t, false, {sid} FROM _price_stage b{join}"
    ledger.add_source(source)
    with _unordered(con):
        if fresh:
            return int(con.execute(f"INSERT INTO prices {select}").fetchall()[0][0])
        # A re-import first deletes this source's bars that the file carries again, so unchanged rows add
        # nothing and corrected rows replace the old values.
        con.execute(f"CREATE OR REPLACE TEMP TABLE _price_new AS SELECT * FROM ({select}) AS t(code, date, "
                    "open, high, low, close, volume, turnover, adjusted, source_id)")
        con.execute("DELETE FROM prices p USING _price_new n WHERE p.code = n.code AND p.date = n.date "
                    "AND p.adjusted = n.adjusted AND p.source_id = n.source_id")
        return int(con.execute("INSERT INTO prices SELECT * FROM _price_new").fetchall()[0][0])


# Above this many bits (days spanned x code spellings) the duplicate check counts distinct dates instead.
_BITMAP_LIMIT = 1 << 28


def _repeats_per_code(con: "DuckDBPyConnection", relation: str) -> list[tuple]:
    """(code, how many of its dated rows repeat a date) for each code in ``relation`` (columns raw, date).

    Distinct dates are counted as set bits in one day-bitmap per code (``bitstring_agg``): a tenth of the cost
    of ``count(DISTINCT date)`` on 10 million rows. The bitmap spans the first to the last day, so relations with
    very many codes over a very long span fall back to the exact hash count."""
    first, last, groups = con.execute(f"SELECT min(date), max(date), count(DISTINCT raw) + 1 "
                                      f"FROM {relation}").fetchall()[0]
    if first is None:
        return con.execute(f"SELECT raw, 0 FROM {relation} GROUP BY raw").fetchall()
    days = (last - first).days
    if (days + 1) * groups <= _BITMAP_LIMIT:
        distinct = f"bit_count(bitstring_agg(CAST(date - DATE '{first.isoformat()}' AS INTEGER), 0, {days}))"
    else:
        distinct = "count(DISTINCT date)"
    return con.execute(f"SELECT raw, count(date) - {distinct} FROM {relation} GROUP BY raw").fetchall()


def _reject_staged_duplicates(con: "DuckDBPyConnection", f: PriceFile, repeating: list) -> None:
    """One bar per listing and day: a staged file that repeats one is refused.

    ``repeating`` holds the code spellings already known to repeat a date; a join to the normalised codes is
    needed only for the rare file that spells one listing two ways (6082.HK and 06082)."""
    dup = []
    if repeating:
        dup = [(raw, date, [raw]) for raw, date in con.execute(
            "SELECT raw, date FROM _price_stage WHERE raw IS NOT DISTINCT FROM ? GROUP BY raw, date "
            "HAVING count(*) > 1 ORDER BY date LIMIT 1", [repeating[0]]).fetchall()]
    if not dup and not f.fixed_key:
        dup = con.execute("""SELECT c.key, s.date, list(DISTINCT s.raw) FROM _price_stage s
                             JOIN (SELECT * FROM _price_codes WHERE key IN
                                   (SELECT key FROM _price_codes GROUP BY key HAVING count(*) > 1)) c ON s.raw = c.raw
                             GROUP BY c.key, s.date HAVING count(*) > 1 ORDER BY s.date LIMIT 1""").fetchall()
    if dup:
        label, date, spellings = dup[0]
        same_listing = (f"list_contains(?, {f.raw_code('')})", [spellings]) if not f.fixed_key else None
        _raise_duplicate(con, f, label, date, same_listing)


def _raise_duplicate(con: "DuckDBPyConnection", f: PriceFile, label, date,
                     same_listing: tuple[str, list] | None) -> None:
    """Name the row of the second bar for one listing and day; ``same_listing`` is a SQL test for its code."""
    where, params = f"{f.date_expr('')} = ?", [date]
    if same_listing:
        where += f" AND {same_listing[0]}"
        params += same_listing[1]
    rows = con.execute(f"SELECT rn FROM (SELECT row_number() OVER () AS rn, * FROM {f.src}) WHERE {where} "
                       "ORDER BY rn LIMIT 2", params).fetchall()
    row = rows[-1][0] if rows else "?"
    line = f" (line {row + 1})" if rows and not f.parquet else ""
    raise PriceImportError(f"{f.path}: row {row}{line}, field {f.m['date']}: a second bar for "
                           f"{label or 'this listing'} on {date}; nothing was imported")


def _first_row(con: "DuckDBPyConnection", src: str, where: str, params: list) -> int | str:
    try:
        row = con.execute(f"SELECT min(rn) FROM (SELECT row_number() OVER () AS rn, * FROM {src}) WHERE {where}",
                          params).fetchall()
        row = row[0] if row else None
        return row[0] if row and row[0] is not None else "?"
    except Exception:  # noqa: BLE001
        return "?"


def _diagnose(con: "DuckDBPyConnection", f: PriceFile, exc: Exception) -> str:
    """Second pass, only after a failure: read everything as text and find the first row that does not parse."""
    path, m, types = f.path, f.m, f.types
    if f.parquet:
        src = f.src
    else:
        spec = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in f.columns)
        src = _read_csv(path, f.delim, spec, ", null_padding=true")
    checks = []
    for field in REQUIRED + tuple(x for x in NUMERIC if x not in REQUIRED):
        if field not in m:
            continue
        c = f"CAST({_q(m[field])} AS VARCHAR)"
        if field == "date":
            bad = f"({c} IS NULL OR {_date_sql(c)} IS NULL)"
            if types.get(m[field], "VARCHAR") != "VARCHAR":
                bad = f"({_q(m[field])} IS NULL)"
        else:
            x = f"TRY_CAST({c} AS DOUBLE)"
            bad = f"({c} IS NOT NULL AND trim({c}) <> '' AND ({x} IS NULL OR NOT isfinite({x})))"
            if field == "close":  # a row with some price but no close (a row with none is a skipped placeholder)
                some = " OR ".join(f"{_q(m[o])} IS NOT NULL" for o in ("open", "high", "low"))
                bad = f"({bad} OR ({c} IS NULL AND ({some})))"
        checks.append((field, c, bad))
    where = " OR ".join(b for _, _, b in checks)
    cols = ", ".join(f"{c} AS {_q('v_' + field)}, {b} AS {_q('b_' + field)}" for field, c, b in checks)
    try:
        row = con.execute(f"SELECT rn, {cols} FROM (SELECT row_number() OVER () AS rn, * FROM {src}) "
                          f"WHERE {where} ORDER BY rn LIMIT 1").fetchall()
        row = row[0] if row else None
    except Exception as exc2:  # noqa: BLE001 - the file does not even read as text
        return f"{path}: {_short(exc2)}; nothing was imported"
    if row is not None:
        rn = row[0]
        for i, (field, _, _) in enumerate(checks):
            value, is_bad = row[1 + 2 * i], row[2 + 2 * i]
            if is_bad:
                what = "is not a date (YYYY-MM-DD)" if field == "date" else "is not a finite number"
                shown = "an empty cell" if value is None else repr(value)
                line = f" (line {rn + 1})" if not f.parquet else ""
                return f"{path}: row {rn}{line}, field {m[field]}: {shown} {what}; nothing was imported"
    return f"{path}: {_short(exc)}; nothing was imported"


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]
