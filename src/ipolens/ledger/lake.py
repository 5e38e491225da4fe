"""Reading a Parquet lake written by ``ipolens export --parquet`` (prices/ and facts/, Hive-partitioned by market
and year) instead of the DuckDB file.

The lake is a local folder or any fsspec URL (``s3://bucket/lake``, ``memory://lake``); DuckDB scans the files and
pushes the filters into them, so only the listings asked for are read: a price history larger than memory works as
long as one query's rows fit. The partition columns (market, year) come from the folder names.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["LakeError", "lake_daily_bars", "lake_facts", "load_lake_facts", "FACT_COLUMNS", "write_rows",
           "read_table", "parquet_count", "parquet_rows", "cross_article_groups"]

_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
FACT_COLUMNS = ("id", "entity", "field", "value_num", "value_high", "value_text", "unit", "currency", "qualifier",
                "as_of", "period", "date_key", "lo", "hi", "source_id", "quote", "derived_from", "claim_type", "note",
                "ext_id", "precision")
BAR_COLUMNS = ["code", "date", "open", "high", "low", "close", "adjusted"]


class LakeError(ValueError):
    """A lake that cannot be read; the message names the path."""


def _connect(lake: str) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection that can read ``lake`` and the lake's root as DuckDB sees it."""
    con = duckdb.connect()
    m = _URL.match(str(lake))
    if m and m[1] != "file":
        try:
            import fsspec

            con.register_filesystem(fsspec.filesystem(m[1]))
        except (ImportError, ValueError) as exc:
            con.close()
            raise LakeError(f"cannot open the lake {lake}: no fsspec filesystem for {m[1]}:// ({exc})") from None
        return con, str(lake).rstrip("/")
    root = Path(str(lake)[7:] if m else str(lake))
    if not root.is_dir():
        con.close()
        raise LakeError(f"no such lake folder: {root} (write one with `ipolens export --parquet {root}`)")
    return con, str(root)


def _scan(root: str, table: str) -> str:
    glob = f"{root}/{table}/**/*.parquet".replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"


def _query(lake: str, table: str, sql: str, params: list | None = None,
           frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """``sql`` ({scan} = the table's files) as a frame, with ``frames`` registered as tables."""
    con, root = _connect(lake)
    try:
        for name, df in (frames or {}).items():
            con.register(name, df)
        return con.execute(sql.format(scan=_scan(root, table)), params or []).df()
    except duckdb.IOException as exc:
        if "No files found" in str(exc):
            raise LakeError(f"the lake {lake} has no {table}/ Parquet files") from None
        raise LakeError(f"cannot read {table}/ of the lake {lake}: {exc}") from None
    except duckdb.Error as exc:
        raise LakeError(f"cannot read {table}/ of the lake {lake}: {exc}") from None
    finally:
        con.close()


def lake_daily_bars(lake: str, codes: list[str], since: list | None = None,
                    n_bars: int | None = None) -> pd.DataFrame:
    """The lake's daily bars of the listings ``codes`` (entity keys), in the order ``lab_daily_bars`` gives.

    With ``since`` (each code's listing date) and ``n_bars``, only each listing's first ``n_bars`` sessions from its
    listing date are read (the bars a job that never looks past day ``n_bars - 1`` can use): the rest of the lake
    stays on disk. Adjusted rows win where a listing has any in that window, as ``split_daily_bars`` does."""
    if not codes:
        return pd.DataFrame(columns=BAR_COLUMNS)
    if since is None or n_bars is None:
        want = ",".join("?" * len(codes))
        df = _query(lake, "prices", f"SELECT {', '.join(BAR_COLUMNS)} FROM {{scan}} WHERE code IN ({want}) "
                                    "ORDER BY code, adjusted DESC, date", list(codes))
    else:
        df = _first_bars(lake, list(codes), list(since), int(n_bars))
    df["date"] = pd.to_datetime(df["date"]).dt.date
    return df


# n sessions span at most about 1.5 calendar days each (weekends, holidays) plus a month of long holidays: the first
# read stops there, so the scan's date and year filters skip the rest of each listing's history
_DAYS_PER_SESSION, _SLACK_DAYS = 1.5, 30


def _first_bars(lake: str, codes: list[str], since: list, n: int) -> pd.DataFrame:
    """Each listing's first ``n`` distinct dates from its listing date on. A listing with fewer than ``n`` in the
    calendar window (a suspension, a recent listing, bars missing) is read again without the window's end."""
    if n < 1:
        raise ValueError(f"n_bars must be >= 1, got {n}")
    lo = pd.to_datetime(pd.Series(since, dtype=object), errors="coerce")
    want = pd.DataFrame({"code": codes, "since": lo.dt.date.astype(object).where(lo.notna(), None)})
    want = want.drop_duplicates("code").reset_index(drop=True)
    span = pd.Timedelta(days=int(n * _DAYS_PER_SESSION) + _SLACK_DAYS)
    want["until"] = (lo + span).dt.date.astype(object).where(lo.notna(), None)
    first = _window_read(lake, want, n, bounded=True)
    have = first.groupby("code")["date"].nunique() if len(first) else pd.Series(dtype="int64")
    short = want[want["code"].map(have).fillna(0) < n]
    if short.empty:
        return first
    again = _window_read(lake, short.assign(until=None).reset_index(drop=True), n, bounded=False)
    out = pd.concat([first[~first["code"].isin(short["code"])], again], ignore_index=True)
    return out.sort_values(["code", "adjusted", "date"], ascending=[True, False, True], kind="stable",
                           ignore_index=True)


def _window_read(lake: str, want: pd.DataFrame, n: int, bounded: bool) -> pd.DataFrame:
    """One scan: the rows of ``want``'s codes between each one's since and until, first n distinct dates kept.
    Constant bounds (codes, first and last date, their years) are in the WHERE so DuckDB pushes them into the
    Parquet scan (row-group statistics, and the year=... folders are skipped); the join trims each listing's own
    window before the window functions see the rows."""
    known = want["since"].notna()
    first = min(want.loc[known, "since"]) if known.all() else None
    last = max(want["until"]) if bounded and want["until"].notna().all() else None
    marks = ",".join("?" * len(want))
    cond, params = [f"s.code IN ({marks})"], list(want["code"])
    if first is not None:
        cond += ["s.date >= ?", "s.year >= ?"]
        params += [first, first.year]
    if last is not None:
        cond += ["s.date <= ?", "s.year <= ?"]
        params += [last, last.year]
    sql = f"""
        WITH p AS (SELECT s.code, s.date, s.open, s.high, s.low, s.close, s.adjusted
                   FROM {{scan}} s JOIN _want w ON s.code = w.code
                   WHERE {' AND '.join(cond)}
                     AND (w.since IS NULL OR s.date >= w.since) AND (w.until IS NULL OR s.date <= w.until)),
             f AS (SELECT *, bool_or(adjusted) OVER (PARTITION BY code) AS flag FROM p),
             r AS (SELECT *, dense_rank() OVER (PARTITION BY code ORDER BY date) AS k FROM f WHERE adjusted = flag)
        SELECT {', '.join(BAR_COLUMNS)} FROM r WHERE k <= ? ORDER BY code, adjusted DESC, date"""
    frame = want.astype({"code": str}).copy()
    frame["since"] = pd.to_datetime(frame["since"]).astype("datetime64[s]")
    frame["until"] = pd.to_datetime(frame["until"]).astype("datetime64[s]")
    return _query(lake, "prices", sql, params + [n], frames={"_want": frame})


def lake_facts(lake: str) -> pd.DataFrame:
    """Every fact row of the lake with its source's kind and title (the columns the export wrote)."""
    return _query(lake, "facts", f"SELECT {', '.join(FACT_COLUMNS)}, source_kind, source_title FROM {{scan}} "
                                 "ORDER BY id")


def load_lake_facts(led: "Ledger", lake: str) -> int:
    """Replace ``led``'s facts by the lake's (inside the caller's write transaction); sources the ledger lacks are
    added from the kind and title the lake keeps. Returns the number of facts loaded."""
    df = lake_facts(lake)
    con = led.con
    con.register("_lake_facts", df)
    try:
        con.execute("DELETE FROM facts")
        con.execute("INSERT INTO sources (id, kind, title) SELECT DISTINCT source_id, source_kind, "
                    "coalesce(source_title, source_id) FROM _lake_facts "
                    "WHERE source_id NOT IN (SELECT id FROM sources)")
        cols = ", ".join(FACT_COLUMNS)
        con.execute(f"INSERT INTO facts ({cols}) SELECT {cols} FROM _lake_facts")
    finally:
        con.unregister("_lake_facts")
    return len(df)


# -- the news batch's partition files ------------------------------------------------------------------------------
def write_rows(rows: list[dict], columns: tuple[str, ...], types: dict[str, str], path: str | Path) -> int:
    """Write ``rows`` as one Parquet file with exactly ``columns`` (typed by ``types``, else VARCHAR), atomically:
    a killed writer leaves the old file or none, never half of one. Returns the row count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else pd.DataFrame(columns=list(columns))
    for c in columns:  # one Python type per column for DuckDB's scan (dates as ISO text, numbers as floats)
        if types.get(c, "VARCHAR") == "VARCHAR":
            df[c] = df[c].map(lambda v: None if v is None or v != v else str(v), na_action=None).astype(object)
        elif types[c] == "DATE":
            df[c] = df[c].map(lambda v: None if v is None or v != v else str(v)[:10]).astype(object)
        else:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    sel = ", ".join(f'CAST("{c}" AS {types.get(c, "VARCHAR")}) AS "{c}"' for c in columns)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    con = duckdb.connect()
    try:
        con.register("_rows", df)
        con.execute(f"COPY (SELECT {sel} FROM _rows) TO '{_lit(tmp)}' (FORMAT parquet)")
    finally:
        con.close()
    os.replace(tmp, path)
    return len(df)


def _lit(p) -> str:
    return str(p).replace("'", "''")


def read_table(folder: str | Path, table: str) -> pd.DataFrame:
    """Every partition file of ``folder/table`` as one frame, in partition order (empty frame if none)."""
    files = sorted(Path(folder, table).glob("part-*.parquet"))
    if not files:
        return pd.DataFrame()
    con = duckdb.connect()
    try:
        lst = ", ".join(f"'{_lit(f)}'" for f in files)
        return con.execute(f"SELECT * FROM read_parquet([{lst}], filename = true, file_row_number = true) "
                           "ORDER BY filename, file_row_number").df().drop(columns=["filename", "file_row_number"])
    except duckdb.Error as exc:
        raise LakeError(f"cannot read {folder}/{table}: {exc}") from None
    finally:
        con.close()


def parquet_count(path: str) -> int:
    con = duckdb.connect()
    try:
        return int(con.execute(f"SELECT count(*) FROM read_parquet('{_lit(path)}')").fetchone()[0])
    except duckdb.Error as exc:
        raise LakeError(f"cannot read {path} as Parquet: {exc}") from None
    finally:
        con.close()


def parquet_rows(path: str, offset: int, n: int) -> list[dict]:
    """Rows [offset, offset + n) of a Parquet file in file order, as dicts."""
    con = duckdb.connect()
    try:
        df = con.execute(f"SELECT * FROM read_parquet('{_lit(path)}', file_row_number = true) "
                         "WHERE file_row_number >= ? AND file_row_number < ? ORDER BY file_row_number",
                         [offset, offset + n]).df()
    except duckdb.Error as exc:
        raise LakeError(f"cannot read {path} as Parquet: {exc}") from None
    finally:
        con.close()
    return [{k: (None if v is None or (isinstance(v, float) and v != v) or v is pd.NaT else v)
             for k, v in r.items() if k != "file_row_number"} for r in df.to_dict("records")]


def cross_article_groups(folder: str | Path) -> pd.DataFrame:
    """Groups of the batch's claims whose intervals do not all overlap, with the claim of the highest lower bound
    (a_*) and the one of the lowest upper bound (b_*), when they come from different articles; on a tie, the first
    claim in file order (partition file, then row).

    A group is one entity, metric and unit, and its date (a point reading), its period, or nothing (a deal term).
    Undated point readings belong to every dated group of their metric (they may mean any day), and form a group
    of their own when there is none. DuckDB reads the partition files, so no article is held in memory, and the
    memory stays bounded by the groups, not by the claims: the first scan keeps only numbers per group (bounds and
    counts; string-valued aggregates such as arg_min over claim keys grow with the rows scanned: 200,000 claims,
    +90 MB), and a second scan fetches the claims that hold a disagreeing group's extreme bounds through a join
    with that small table of targets."""
    files = sorted(Path(folder, "claims").glob("part-*.parquet"))
    if not files:
        return pd.DataFrame()
    listed = "[" + ", ".join(f"'{_lit(f)}'" for f in files) + "]"
    con = duckdb.connect()
    try:
        groups = con.execute(f"""
            SELECT entity_key, metric, coalesce(unit, '') AS unit, group_date, any_value(dating) AS dating,
                   max(lo) AS max_lo, min(hi) AS min_hi, count(*) AS n
            FROM read_parquet({listed}) WHERE {_CHECKED} GROUP BY entity_key, metric, coalesce(unit, ''), group_date""").df()
        m = _disagreeing(groups)
        if m.empty:
            return pd.DataFrame()
        con.register("_targets", _targets(m))
        # the scan's row estimate under its filters is ~0, so DuckDB would hash every claim and probe with the
        # few targets (200,000 claims: +70 MB); keep the written order: the targets are the build side
        con.execute("SET disabled_optimizers = 'build_side_probe_side'")
        held = con.execute(f"""
            SELECT t.target, t.side, c.id, c.article, c.quote, c.value, c.lo, c.hi, c.group_date <> '' AS dated
            FROM (SELECT * FROM read_parquet({listed}, filename = true, file_row_number = true) WHERE {_CHECKED}) c
            JOIN _targets t
              ON c.entity_key = t.entity_key AND c.metric = t.metric AND coalesce(c.unit, '') = t.unit
             AND c.group_date = t.group_date
             AND ((t.side = 'a' AND c.lo = t.bound) OR (t.side = 'b' AND c.hi = t.bound))
            ORDER BY c.filename, c.file_row_number""").df()
    except duckdb.Error as exc:
        raise LakeError(f"cannot read the claims under {folder}: {exc}") from None
    finally:
        con.close()
    return _pair_extremes(m, held.drop_duplicates(["target", "side"]))  # the first in file order


# the claims stage two compares: a value with an interval, an entity, a metric that is a quantity
_CHECKED = ("value IS NOT NULL AND entity_key IS NOT NULL AND lo IS NOT NULL "
            "AND metric NOT IN ('statement', 'duration')")
_KEY = ["entity_key", "metric", "unit"]


def _disagreeing(groups: pd.DataFrame) -> pd.DataFrame:
    """Each group with the undated point readings of its metric added (those alone form a group only where no
    dated one exists), kept when its highest lower bound exceeds its lowest upper bound, with the raw group that
    holds each extreme (a_date: the highest lower bound, b_date: the lowest upper bound; '' for the undated)."""
    undated = (groups["dating"] == "point") & (groups["group_date"] == "")
    u, d = groups[undated].set_index(_KEY), groups[~undated]
    rows = []
    for g in d.itertuples(index=False):
        key = (g.entity_key, g.metric, g.unit)
        w = u.loc[key] if g.dating == "point" and key in u.index else None
        a_from_u = w is not None and w.max_lo > g.max_lo
        b_from_u = w is not None and pd.notna(w.min_hi) and (pd.isna(g.min_hi) or w.min_hi < g.min_hi)
        max_lo = w.max_lo if a_from_u else g.max_lo
        min_hi = w.min_hi if b_from_u else g.min_hi
        rows.append((*key, g.group_date, g.dating, max_lo, min_hi, g.n + (w.n if w is not None else 0),
                     "" if a_from_u else g.group_date, "" if b_from_u else g.group_date))
    dated_keys = set(zip(d.loc[d["dating"] == "point", "entity_key"], d.loc[d["dating"] == "point", "metric"],
                         d.loc[d["dating"] == "point", "unit"]))
    for key, w in u.iterrows():
        if key not in dated_keys:
            rows.append((*key, "", w.dating, w.max_lo, w.min_hi, w.n, "", ""))
    m = pd.DataFrame(rows, columns=[*_KEY, "group_date", "dating", "max_lo", "min_hi", "claims", "a_date", "b_date"])
    m = m[m["max_lo"] > m["min_hi"]].reset_index(drop=True)  # a missing upper bound never disagrees
    m["target"] = range(len(m))
    return m


def _targets(m: pd.DataFrame) -> pd.DataFrame:
    """Where each disagreeing group's two extreme claims lie: side a holds max_lo, side b min_hi, each in the raw
    group (its own date, or the undated readings) that holds the bound."""
    a = m.assign(side="a", bound=m["max_lo"], group_date=m["a_date"])
    b = m.assign(side="b", bound=m["min_hi"], group_date=m["b_date"])
    return pd.concat([a, b], ignore_index=True)[["target", "side", *_KEY, "group_date", "bound"]]


def _pair_extremes(m: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """One row per disagreeing group: its key, then the a_* and b_* claims, when they come from two articles."""
    cols = ["id", "article", "quote", "value", "lo", "hi", "dated"]
    out = m.set_index("target")[[*_KEY, "group_date", "dating", "claims"]]
    for side in "ab":
        out = out.join(held[held["side"] == side].set_index("target")[cols].add_prefix(f"{side}_"), how="inner")
    out = out[out["a_article"] != out["b_article"]]
    return out.sort_values(["entity_key", "metric", "unit", "group_date"], kind="stable").reset_index(drop=True)
