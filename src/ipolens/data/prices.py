"""Bulk import of daily prices from CSV or Parquet: ``ipolens import prices FILE``.

The file's header goes through an alias table (Yahoo's Date,Open,High,Low,Close,Adj Close,Volume; AKShare's
日期,开盘,收盘,最高,最低,成交量,成交额,换手率; plain lower-case names), then DuckDB's own reader loads the whole file
in ONE statement inside ONE transaction. Any bad value rolls everything back; a second, diagnostic pass then names
the file, the row and the field. Rows are keyed by (code, date, adjusted, source), so re-importing a file adds nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

__all__ = ["import_prices", "PriceImportError", "PRICE_ALIASES", "map_header"]

# our field -> accepted header spellings, best first (matched case-insensitively)
PRICE_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "symbol", "ticker", "股票代码", "代码", "证券代码"),
    "date": ("date", "日期", "trade_date", "datetime"),
    "open": ("open", "开盘", "开盘价"),
    "high": ("high", "最高", "最高价"),
    "low": ("low", "最低", "最低价"),
    "close": ("close", "收盘", "收盘价"),
    "adj_close": ("adj close", "adj_close", "adjclose"),
    "volume": ("volume", "成交量"),
    "turnover": ("turnover", "成交额", "amount"),
}
REQUIRED = ("date", "open", "high", "low", "close")
NUMERIC = ("open", "high", "low", "close", "adj_close", "volume", "turnover")


class PriceImportError(ValueError):
    """A price file that cannot be imported; the message names the file, the row and the field."""


def map_header(columns: list[str], where: str = "file") -> dict[str, str]:
    """Our field -> the file's column, through PRICE_ALIASES. Unknown extra columns (换手率, 振幅) are ignored."""
    norm = {c.strip().lower(): c for c in columns}
    found: dict[str, str] = {}
    for ours, spellings in PRICE_ALIASES.items():
        for s in spellings:
            if s.lower() in norm:
                found[ours] = norm[s.lower()]
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        import difflib

        hints = []
        for f in missing:
            close = difflib.get_close_matches(PRICE_ALIASES[f][0], list(norm), n=1, cutoff=0.5)
            hints.append(f"{f} ({' / '.join(PRICE_ALIASES[f][:3])})" + (f", did you mean {close[0]!r}?" if close else ""))
        raise PriceImportError(f"{where}: no column for {', '.join(hints)}; header is {', '.join(columns)}")
    return found


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_header(path: Path) -> tuple[list[str], str]:
    with open(path, "rb") as fh:
        first = fh.readline(1 << 16).decode("utf-8-sig", errors="replace")
    if not first.strip():
        raise PriceImportError(f"{path}: empty file")
    delim = max((",", "\t", ";", "|"), key=first.count)
    return next(csv.reader(io.StringIO(first), delimiter=delim)), delim


def _source_for(path: Path, source_title: str | None):
    from ..ledger.model import Source

    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.name).strip("-") or "file"
    return Source(id=f"user:prices:{slug}", kind="user", title=source_title or f"Prices imported from {path.name}",
                  url=path.resolve().as_uri(), retrieved=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                  note="ipolens import prices")


def import_prices(ledger, path: str | Path, source_title: str | None = None, code: str | None = None) -> int:
    """Import a CSV or Parquet file of daily bars into the ``prices`` table in one transaction.

    Parameters
    ----------
    ledger : Ledger
    path : the file; ``.parquet``/``.pq`` is read as Parquet, anything else as delimited text.
    source_title : title of the ``user`` source the rows are filed under (default: from the file name).
    code : the listing, for files without a code column (default: read from a name like ``6082.HK.csv``).

    Returns
    -------
    int : bar rows written (a row with Adj Close writes an unadjusted and an adjusted bar).
    """
    from ..ledger.codes import CodeError, parse_code

    path = Path(path)
    if not path.exists():
        raise PriceImportError(f"{path}: no such file")
    parquet = path.suffix.lower() in (".parquet", ".pq")
    con = ledger.con
    if parquet:
        src = f"read_parquet({_lit(str(path))})"
        described = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
        columns, types = [r[0] for r in described], {r[0]: r[1] for r in described}
    else:
        columns, delim = _csv_header(path)
        types = {c: "VARCHAR" for c in columns}
        # every column typed by us, not sniffed: numbers as DOUBLE, the rest as text; a bad cell fails the read
        m0 = map_header(columns, str(path))
        numeric_cols = {m0[f] for f in NUMERIC if f in m0}
        spec = ", ".join(f"{_lit(c)}: {_lit('DOUBLE' if c in numeric_cols else 'VARCHAR')}" for c in columns)
        src = (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim={_lit(delim)}, quote='\"', "
               f"escape='\"', columns={{{spec}}})")
    m = map_header(columns, str(path))

    d = f"r.{_q(m['date'])}"
    date_expr = (f"CAST(substr(replace(CAST({d} AS VARCHAR), '/', '-'), 1, 10) AS DATE)"
                 if types.get(m["date"], "VARCHAR") == "VARCHAR" else f"CAST({d} AS DATE)")

    def num(f: str) -> str:
        return f"CAST(r.{_q(m[f])} AS DOUBLE)" if f in m else "CAST(NULL AS DOUBLE)"

    raw_code = f"CAST(r.{_q(m['code'])} AS VARCHAR)" if "code" in m else "CAST(NULL AS VARCHAR)"
    # The file is parsed exactly once, into an unindexed temp table; codes and the insert then work from memory.
    stage = (f"CREATE OR REPLACE TEMP TABLE _price_stage AS SELECT {raw_code} AS raw, {date_expr} AS date, "
             f"{num('open')} AS o, {num('high')} AS h, {num('low')} AS l, {num('close')} AS c, "
             f"{num('adj_close')} AS a, {num('volume')} AS v, {num('turnover')} AS t FROM {src} r")
    if "code" in m:
        code_expr, join = "_c.key", " JOIN _price_codes _c ON b.raw = _c.raw"
    else:
        guess = code or re.sub(r"\.(csv|tsv|txt|parquet|pq)$", "", path.name, flags=re.I)
        try:
            key = parse_code(guess).key
        except CodeError:
            raise PriceImportError(f"{path}: no code column and {guess!r} is not a listing code; pass --code") from None
        code_expr, join = _lit(key), ""

    source = _source_for(path, source_title)
    sid = _lit(source.id)
    if "adj_close" in m:
        # each row yields its raw bar and, when Adj Close is given, the adjusted bar
        # (Yahoo's factor Adj Close / Close scales open, high and low alike)
        f = "(b.a / nullif(b.c, 0))"
        # A listing gets an adjusted series only if its Adj Close differs from Close somewhere (a dividend or
        # split); otherwise the adjusted bars would repeat the raw ones row for row.
        adjusted_codes = ("(SELECT coalesce(raw, '') FROM _price_stage GROUP BY raw "
                          "HAVING bool_or(abs(a - c) > 1e-9 * abs(c)))")
        select = (f"SELECT {code_expr}, b.date, CASE WHEN x.adj THEN b.o * {f} ELSE b.o END, "
                  f"CASE WHEN x.adj THEN b.h * {f} ELSE b.h END, CASE WHEN x.adj THEN b.l * {f} ELSE b.l END, "
                  f"CASE WHEN x.adj THEN b.a ELSE b.c END, b.v, b.t, x.adj, {sid} "
                  f"FROM _price_stage b{join} CROSS JOIN (VALUES (false), (true)) x(adj) "
                  f"WHERE NOT x.adj OR (b.a IS NOT NULL AND coalesce(b.raw, '') IN {adjusted_codes})")
    else:
        select = f"SELECT {code_expr}, b.date, b.o, b.h, b.l, b.c, b.v, b.t, false, {sid} FROM _price_stage b{join}"
    # A first import of a file is a plain INSERT; a re-import first deletes this source's bars that the file
    # carries again, so unchanged rows add nothing and corrected rows replace the old values.
    fresh = con.execute("SELECT count(*) = 0 FROM (SELECT 1 FROM prices WHERE source_id = ? LIMIT 1)",
                        [source.id]).fetchall()[0][0]
    old_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = false")  # row order is irrelevant to a keyed table
    try:
        with ledger.transaction():
            con.execute(stage)
            # one grouping pass gives the distinct code spellings and whether any of them repeats a date
            per_raw = con.execute("SELECT raw, count(*) - count(DISTINCT date) FROM _price_stage "
                                  "GROUP BY raw").fetchall()
            if "code" in m:
                mapping = []
                for raw, _ in per_raw:
                    try:
                        mapping.append((raw, parse_code(str(raw)).key))
                    except (CodeError, TypeError):
                        row = _first_row(con, src, f"CAST({_q(m['code'])} AS VARCHAR) IS NOT DISTINCT FROM ?",
                                         [raw])
                        raise PriceImportError(f"{path}: row {row}, field {m['code']}: {raw!r} is not a listing "
                                               "code; nothing was imported") from None
                con.execute("CREATE OR REPLACE TEMP TABLE _price_codes (raw VARCHAR, key VARCHAR)")
                con.executemany("INSERT INTO _price_codes VALUES (?, ?)", mapping)
            _reject_duplicates(con, path, src, m, parquet, [raw for raw, extra in per_raw if extra])
            ledger.add_source(source)
            if fresh:
                written = con.execute(f"INSERT INTO prices {select}").fetchall()[0][0]
            else:
                con.execute(f"CREATE OR REPLACE TEMP TABLE _price_new AS SELECT * FROM ({select}) AS t(code, date, "
                            "open, high, low, close, volume, turnover, adjusted, source_id)")
                con.execute("DELETE FROM prices p USING _price_new n WHERE p.code = n.code AND p.date = n.date "
                            "AND p.adjusted = n.adjusted AND p.source_id = n.source_id")
                written = con.execute("INSERT INTO prices SELECT * FROM _price_new").fetchall()[0][0]
    except PriceImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any database error: find the row, then report it
        raise PriceImportError(_diagnose(con, path, columns, m, parquet, types, exc)) from None
    finally:
        con.execute("DROP TABLE IF EXISTS _price_codes")
        con.execute("DROP TABLE IF EXISTS _price_new")
        con.execute("DROP TABLE IF EXISTS _price_stage")
        con.execute(f"SET preserve_insertion_order = {'true' if old_order else 'false'}")
    return int(written)


def _reject_duplicates(con, path: Path, src: str, m: dict, parquet: bool, repeating: list) -> None:
    """One bar per listing and day: a file that repeats one is refused, naming the second occurrence's row.

    ``repeating`` holds the code spellings already known to repeat a date; a join to the normalised codes is
    needed only for the rare file that spells one listing two ways (6082.HK and 06082)."""
    dup = []
    if repeating:
        dup = [(raw, date, [raw]) for raw, date in con.execute(
            "SELECT raw, date FROM _price_stage WHERE raw IS NOT DISTINCT FROM ? GROUP BY raw, date "
            "HAVING count(*) > 1 LIMIT 1", [repeating[0]]).fetchall()]
    if not dup and "code" in m:
        dup = con.execute("""SELECT c.key, s.date, list(DISTINCT s.raw) FROM _price_stage s
                             JOIN (SELECT * FROM _price_codes WHERE key IN
                                   (SELECT key FROM _price_codes GROUP BY key HAVING count(*) > 1)) c ON s.raw = c.raw
                             GROUP BY c.key, s.date HAVING count(*) > 1 LIMIT 1""").fetchall()
    if not dup:
        return
    raw, date, spellings = dup[0]
    where = f"CAST(substr(replace(CAST({_q(m['date'])} AS VARCHAR), '/', '-'), 1, 10) AS DATE) = ?"
    params: list = [date]
    if "code" in m:
        where += f" AND list_contains(?, CAST({_q(m['code'])} AS VARCHAR))"
        params.append(spellings)
    rows = con.execute(f"SELECT rn FROM (SELECT row_number() OVER () AS rn, * FROM {src}) WHERE {where} "
                       "ORDER BY rn LIMIT 2", params).fetchall()
    row = rows[-1][0] if rows else "?"
    line = f" (line {row + 1})" if rows and not parquet else ""
    raise PriceImportError(f"{path}: row {row}{line}, field {m['date']}: a second bar for {raw or 'this listing'} on "
                           f"{date}; nothing was imported")


def _first_row(con, src: str, where: str, params: list) -> int | str:
    try:
        row = con.execute(f"SELECT min(rn) FROM (SELECT row_number() OVER () AS rn, * FROM {src}) WHERE {where}",
                          params).fetchall()
        row = row[0] if row else None
        return row[0] if row and row[0] is not None else "?"
    except Exception:  # noqa: BLE001
        return "?"


def _diagnose(con, path: Path, columns: list[str], m: dict[str, str], parquet: bool, types: dict[str, str],
              exc: Exception) -> str:
    """Second pass, only after a failure: read everything as text and find the first row that does not parse."""
    if parquet:
        src = f"read_parquet({_lit(str(path))})"
    else:
        _, delim = _csv_header(path)
        spec = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in columns)
        src = (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim={_lit(delim)}, quote='\"', "
               f"escape='\"', columns={{{spec}}}, null_padding=true)")
    checks = []
    for f in REQUIRED + tuple(x for x in NUMERIC if x not in REQUIRED):
        if f not in m:
            continue
        c = f"CAST({_q(m[f])} AS VARCHAR)"
        if f == "date":
            bad = f"({c} IS NULL OR TRY_CAST(substr(replace({c}, '/', '-'), 1, 10) AS DATE) IS NULL)"
            if types.get(m[f], "VARCHAR") != "VARCHAR":
                bad = f"({_q(m[f])} IS NULL)"
        else:
            bad = f"({c} IS NOT NULL AND trim({c}) <> '' AND TRY_CAST({c} AS DOUBLE) IS NULL)"
        checks.append((f, c, bad))
    where = " OR ".join(b for _, _, b in checks)
    cols = ", ".join(f"{c} AS {_q('v_' + f)}, {b} AS {_q('b_' + f)}" for f, c, b in checks)
    try:
        row = con.execute(f"SELECT rn, {cols} FROM (SELECT row_number() OVER () AS rn, * FROM {src}) "
                          f"WHERE {where} ORDER BY rn LIMIT 1").fetchall()
        row = row[0] if row else None
    except Exception as exc2:  # noqa: BLE001 - the file does not even read as text
        return f"{path}: {_short(exc2)}; nothing was imported"
    if row is not None:
        rn = row[0]
        for i, (f, _, _) in enumerate(checks):
            value, is_bad = row[1 + 2 * i], row[2 + 2 * i]
            if is_bad:
                what = "is not a date (YYYY-MM-DD)" if f == "date" else "is not a number"
                line = f" (line {rn + 1})" if not parquet else ""
                return f"{path}: row {rn}{line}, field {m[f]}: {value!r} {what}; nothing was imported"
    text = _short(exc)
    if "PRIMARY KEY" in text or "same row twice" in text or "Duplicate key" in text:
        return f"{path}: the same listing and date appear twice: {text}; nothing was imported"
    return f"{path}: {text}; nothing was imported"


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]
