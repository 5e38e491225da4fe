"""Loading a price file into ``prices`` with DuckDB's own reader: the SQL half of ``ipolens import-prices``.

``data.prices`` reads the header and decides what each column is (a :class:`PriceFile`); this module turns that
into SQL. Two routes, both all-or-nothing inside the caller's transaction (``Store.write``):

* direct: the first import of a file without Adj Close reads it once, straight into ``prices``, mapping codes
  in SQL (:func:`ipolens.ledger.codes.sql_key`), then checks the inserted rows for a repeated listing and day;
  a code spelling the SQL mapping leaves NULL raises :class:`SpellingNotCovered` (the caller rolls back and
  retries staged);
* staged: everything else (re-imports, Adj Close, other spellings, ``02718@2025``) parses the file into a temp
  table, maps each distinct spelling with :func:`parse_code`, and inserts from there.

A code the exchange reused (several dated listings in the ledger) sends each bar to the listing trading on its
date, by a range join on the small windows table of ``ledger.queries.listings`` on both routes; a bar dated before
the code's first listing, or naming a listing not trading on its date, is refused with its row.

Any other database error is for :func:`diagnose`, which reads the file again as text and names the row.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .codes import CodeError, base_key, parse_code, split_listing, sql_key
from .model import Source
from .queries.listings import WINDOWS_TABLE, has_reused_codes, make_windows, windows_of

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from .store import Ledger

__all__ = ["PriceFile", "PriceImportError", "SpellingNotCovered", "describe_parquet", "source_is_new", "load",
           "diagnose", "keep_insertion_order", "rehome_bars", "NUMERIC", "REQUIRED"]

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
    # a reused code's bars go to the listing trading on their date (ledger.queries.listings)
    windows = make_windows(led)
    if direct:
        n = _insert_direct(led, f, source, windows)
    else:
        n = _insert_staged(led, f, source, source_is_new(led, source.id), windows)
    # a failed load rolls its temp tables back with it; a good one drops them (the memory store keeps its connection)
    led.con.execute("DROP VIEW IF EXISTS _price_keyed")
    for table in ("_price_codes", "_price_new", "_price_stage", WINDOWS_TABLE):
        led.con.execute(f"DROP TABLE IF EXISTS {table}")
    return n


def diagnose(led: "Ledger", f: PriceFile, exc: Exception) -> str:
    """The message for a failed load: the first row of the file that does not parse, else the database's error."""
    keep_insertion_order(led)
    return _diagnose(led.con, f, exc)


def _insert_direct(ledger: "Ledger", f: PriceFile, source: Source, windows: int = 0) -> int:
    """One read of the file straight into ``prices``, then a check of the inserted rows for a repeated day.

    With reused codes in the ledger, a range join on the small windows table picks each bar's listing; a bar
    before a reused code's first listing gets no key, and the staged route names its row."""
    import duckdb

    con = ledger.con
    if f.fixed_key and "@" in f.fixed_key:
        raise SpellingNotCovered  # a named listing is resolved (and its dates checked) on the staged route
    key = _lit(f.fixed_key) if f.fixed_key else sql_key(f.raw_code())
    sid = _lit(source.id)
    ledger.add_source(source)
    bar = (f"{f.num('open')} AS o, {f.num('high')} AS h, {f.num('low')} AS l, {f.num('close')} AS c, "
           f"{f.num('volume')} AS v, {f.num('turnover')} AS t, false AS adj, {sid} AS sid")
    if windows:
        select = (f"SELECT CASE WHEN w.base IS NULL THEN s.k ELSE w.key END, s.d, s.o, s.h, s.l, s.c, s.v, s.t, "
                  f"s.adj, s.sid FROM (SELECT {key} AS k, {f.date_expr()} AS d, {bar} FROM {f.src} r "
                  f"WHERE NOT ({f.placeholder()})) s "
                  f"LEFT JOIN {WINDOWS_TABLE} w ON w.base = s.k AND s.d >= w.since "
                  "AND (w.until IS NULL OR s.d < w.until)")
    else:
        select = f"SELECT {key}, {f.date_expr()}, {bar} FROM {f.src} r WHERE NOT ({f.placeholder()})"
    try:
        with _unordered(con):
            written = con.execute(f"INSERT INTO prices {select}").fetchall()[0][0]
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


def _insert_staged(ledger: "Ledger", f: PriceFile, source: Source, fresh: bool, windows: int = 0) -> int:
    """Parse the file once into a temp table, map each distinct code spelling in Python, then insert."""
    con = ledger.con
    # a file without a code column stages its listing as the spelling of every row
    raw = _lit(f.fixed_key) if f.fixed_key else f.raw_code()
    with _unordered(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _price_stage AS SELECT {raw} AS raw, "
                    f"{f.date_expr()} AS date, {f.num('open')} AS o, {f.num('high')} AS h, {f.num('low')} AS l, "
                    f"{f.num('close')} AS c, {f.num('adj_close')} AS a, {f.num('volume')} AS v, "
                    f"{f.num('turnover')} AS t FROM {f.src} r WHERE NOT ({f.placeholder()})")
    _check_values(con, "_price_stage", "c", ["o", "h", "l", "a", "v", "t"])
    _check_sane(con, f, "_price_stage", {"open": "o", "high": "h", "low": "l", "close": "c", "volume": "v"})
    per_raw = _repeats_per_code(con, "_price_stage")
    mapping = _map_spellings(ledger, f, [r for r, _ in per_raw])
    # one statement from three lists: executemany would cost a round trip per spelling
    con.execute("CREATE OR REPLACE TEMP TABLE _price_codes AS SELECT unnest(?::VARCHAR[]) AS raw, "
                "unnest(?::VARCHAR[]) AS key, unnest(?::VARCHAR[]) AS listing",
                [[r for r, _, _ in mapping], [k for _, k, _ in mapping], [x for _, _, x in mapping]])
    _keyed_view(con, windows)
    if windows:
        _reject_outside_windows(ledger, f)
    code_expr, join = "b.code", ""
    _reject_staged_duplicates(con, f, [raw for raw, extra in per_raw if extra])
    sid = _lit(source.id)
    if "adj_close" in f.m:
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
                  f"FROM _price_keyed b{join} CROSS JOIN (VALUES (false), (true)) x(adj) "
                  f"WHERE NOT x.adj OR (b.a IS NOT NULL AND coalesce(b.raw, '') IN {adjusted_codes})")
    else:
        select = f"SELECT {code_expr}, b.date, b.o, b.h, b.l, b.c, b.v, b.t, false, {sid} FROM _price_keyed b{join}"
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


def _map_spellings(ledger: "Ledger", f: PriceFile, spellings: list) -> list[tuple[str, str, str | None]]:
    """(spelling, key of its code, the listing it names or None) per distinct code spelling of the file.

    ``02718@2025`` (or ``--code 02718@2025``) names one listing of a reused code: its listing year, year-month or
    date, as ``ipolens ipo`` takes it; a plain spelling leaves the choice to the bar's date."""
    con = ledger.con
    out, named = [], []
    for raw in spellings:
        try:
            code_text, when = split_listing(str(raw))
            key = parse_code(code_text).key
        except (CodeError, TypeError):
            row = _first_row(con, f.src, f"{f.raw_code('')} IS NOT DISTINCT FROM ?", [raw])
            shown = "an empty cell" if raw is None else repr(raw)
            raise PriceImportError(f"{f.path}: row {row}, field {f.m.get('code', 'code')}: {shown} is not a "
                                   "listing code; nothing was imported") from None
        out.append((raw, key, None))
        if when:
            named.append((len(out) - 1, raw, key, when))
    if named:
        listings = ledger.listing_identities({k for _, _, k, _ in named})
        for i, raw, key, when in named:
            own = listings.get(key, [])
            hits = [x for x in own if (x["listing_date"] or "").startswith(when)]
            if len(hits) != 1:
                where = (f"row {_first_row(con, f.src, f.raw_code('') + ' = ?', [raw])}, "
                         f"field {f.m['code']}" if not f.fixed_key else "--code / file name")
                have = ", ".join(f"{x['key']} listed {x['listing_date'] or '?'}" for x in own) or "none"
                what = "several listings match" if hits else "no listing of the code was listed then"
                raise PriceImportError(f"{f.path}: {where}: {raw!r}: {what} (the ledger has: {have}); nothing "
                                       "was imported")
            out[i] = (raw, key, hits[0]["key"])
    return out


def _keyed_view(con: "DuckDBPyConnection", windows: int) -> None:
    """``_price_keyed``: the staged bars with their listing: the one they name, else, for a reused code, the one
    trading on their date (``w_base`` set, ``w_key`` NULL before the code's first listing), else their code's."""
    if not windows:
        con.execute("CREATE OR REPLACE TEMP VIEW _price_keyed AS SELECT b.*, coalesce(c.listing, c.key) AS code "
                    "FROM _price_stage b JOIN _price_codes c ON b.raw = c.raw")
        return
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _price_keyed AS
        SELECT b.*, CASE WHEN w.base IS NULL THEN coalesce(c.listing, c.key) ELSE w.key END AS code,
               c.listing, w.base AS w_base, w.key AS w_key
        FROM _price_stage b JOIN _price_codes c ON b.raw = c.raw
        LEFT JOIN {WINDOWS_TABLE} w
             ON w.base = c.key AND b.date >= w.since AND (w.until IS NULL OR b.date < w.until)""")


def _reject_outside_windows(ledger: "Ledger", f: PriceFile) -> None:
    """A reused code's bar dated before its first listing, or a bar naming a listing that was not the one trading
    on its date, is refused with its row: no listing the ledger knows traded it (delisting dates are not stored,
    so a listing's window runs until the next listing of its code)."""
    con = ledger.con
    bad = "w_base IS NOT NULL AND (w_key IS NULL OR (listing IS NOT NULL AND listing <> w_key))"
    rows = con.execute(f"SELECT raw, date, listing, w_key, count(*) OVER () FROM _price_keyed WHERE {bad} "
                       "ORDER BY date LIMIT 1").fetchall()
    if not rows:
        return
    raw, date, listing, trading, n = rows[0]
    where = f"{f.date_expr('')} = ?"
    params: list = [date]
    if not f.fixed_key:
        where += f" AND {f.raw_code('')} = ?"
        params.append(raw)
    row = _first_row(con, f.src, where, params)
    line = f" (line {row + 1})" if row != "?" and not f.parquet else ""
    base = base_key(listing or parse_code(split_listing(str(raw))[0]).key)
    spans = windows_of(ledger, [base]).get(base, [])
    listed = ", ".join(f"{k} from {s}" for k, s, _ in spans)
    if listing:
        why = f"names {listing}, but on {date} the listing trading was {trading or 'none'}"
    else:
        why = f"is dated {date}, before the code's first listing ({spans[0][1] if spans else '?'})"
    more = f" ({n - 1} other bar(s) too)" if n > 1 else ""
    raise PriceImportError(f"{f.path}: row {row}{line}, field {f.m['date']}: the bar of {raw} {why}; the ledger's "
                           f"listings of this code: {listed}{more}; nothing was imported")


def rehome_bars(ledger: "Ledger") -> int:
    """Move bars of a reused code to the listing trading on their date (inside the caller's transaction).

    A listing created after its code's bars were stored (an import that finds a relisting) would otherwise leave
    them on the older listing. Where the right listing already has the same bar (day, adjusted, source), the
    misplaced copy is dropped. Bars before a code's first listing stay where they are. Returns rows touched."""
    con = ledger.con
    if not has_reused_codes(ledger):
        return 0
    if not make_windows(ledger, "_rehome_windows"):
        con.execute("DROP TABLE IF EXISTS _rehome_windows")
        return 0
    con.execute("""CREATE OR REPLACE TEMP TABLE _rehome AS
        SELECT p.rowid AS rid, w.key AS target, p.date, p.adjusted, p.source_id,
               row_number() OVER (PARTITION BY w.key, p.date, p.adjusted, p.source_id ORDER BY p.code) AS nth
        FROM prices p JOIN _rehome_windows w ON w.base = split_part(p.code, '@', 1) AND p.date >= w.since
             AND (w.until IS NULL OR p.date < w.until)
        WHERE p.code IN (SELECT key FROM entities WHERE split_part(key, '@', 1) IN (SELECT base FROM _rehome_windows))
          AND w.key IS NOT NULL AND p.code <> w.key""")
    moved = con.execute("SELECT count(*) FROM _rehome").fetchall()[0][0]
    if moved:
        con.execute("""DELETE FROM prices WHERE rowid IN (
            SELECT r.rid FROM _rehome r WHERE r.nth > 1 OR EXISTS (
                SELECT 1 FROM prices q WHERE q.code = r.target AND q.date = r.date AND q.adjusted = r.adjusted
                  AND q.source_id = r.source_id))""")
        con.execute("UPDATE prices SET code = r.target FROM _rehome r WHERE prices.rowid = r.rid")
    con.execute("DROP TABLE IF EXISTS _rehome")
    con.execute("DROP TABLE IF EXISTS _rehome_windows")
    return int(moved)


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
