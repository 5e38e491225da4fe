"""``ipolens news batch``: the news reader over an archive, partition by partition, on any executor.

The ledger is read once (names, FX rates, the numeric facts the ledger check compares with) and sent to each
worker once; each partition is read, checked and written as Parquet by the worker that ran it (so with a real
cluster, INPUT and OUT must be on storage every worker sees). A partition with a large file is written piece by
piece as it is read (``part-K-pNNNNN.parquet``), else as one ``part-K.parquet``. A done marker per partition, written
after all its files, makes a re-run skip finished partitions (and redo the others from scratch). Then the
cross-article checks run over the claims files, and the manifest is written. ``add_to_ledger`` loads the batch's
facts afterwards in one transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..analytics.fx import FxTable
from ..lab.executor import Executor, SchedulerUnreachable, imap_tasks
from ..ledger import lake
from ..ledger.access import Store
from ..ledger.queries import fx as fx_q
from ..ledger.queries import news as news_q
from ..news import batch as nb
from .base import Result, UserError
from .news import _inputs, gazetteer

__all__ = ["NewsBatchResult", "batch", "TYPES"]

# column types of the partition files; every other column is text
TYPES = {"value": "DOUBLE", "value_high": "DOUBLE", "lo": "DOUBLE", "hi": "DOUBLE", "start": "BIGINT",
         "end": "BIGINT", "piece": "BIGINT", "published": "DATE", "articles": "BIGINT"}
CROSS_COLUMNS = ("entity_key", "metric", "unit", "group_date", "check", "verdict", "why", "claims", "articles")
MANIFEST = "manifest.json"
PLAN = "_plan.json"


@dataclass
class NewsBatchResult(Result):
    input: str
    out: str
    partitions: int
    skipped: int  # partitions already done by an earlier run
    articles: int
    claims: int
    findings: int
    errors: int
    cross_article: int  # stage-two findings (groups whose figures disagree across articles)
    manifest: str
    added: Optional[int] = None  # news facts written with add_to_ledger


def batch(store: Store, source: str, out: str, engine: Executor | None = None, part_size: int = nb.PART_SIZE,
          published: Optional[str] = None, market: Optional[str] = None, encoding: Optional[str] = None,
          add_to_ledger: bool = False, restart: bool = False, ledger_check: bool = True,
          progress: Optional[Callable[[int, int, int], None]] = None) -> NewsBatchResult:
    """Read every article of ``source`` (folder, JSONL or Parquet) into Parquet tables under ``out``.
    ``progress(partitions_done, partitions, articles_done)``; ``restart`` discards an earlier run's output."""
    ex = engine or Executor("threads")
    day, mkt = _inputs([], published, market)
    io = nb.Io(lake.parquet_count, lake.parquet_rows)
    _refuse_out_in_input(Path(source), Path(out))
    try:
        tasks = nb.plan(source, io, part_size)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    root = Path(out)
    settings = {"input": str(Path(source).resolve()), "part_size": part_size, "published": str(day) if day else None,
                "market": mkt, "encoding": encoding, "ledger_check": ledger_check}
    fingerprint = hashlib.sha256(json.dumps([settings, tasks, _stamps(tasks)], sort_keys=True).encode()).hexdigest()
    _claim_folder(root, fingerprint, settings, restart)
    todo = [k for k in range(len(tasks)) if not _marker(root, k).exists()]
    with store.read() as led:
        fx = FxTable(fx_q.fx_rates(led))
        facts = news_q.claim_candidates(led, _numeric_pairs(led)) if ledger_check else None
    ctx = nb.Context(gazetteer(store), fx, facts, io, day, mkt, encoding)
    done, articles = len(tasks) - len(todo), 0
    if progress:
        progress(done, len(tasks), 0)
    try:
        for stats in imap_tasks(_run_partition, [(k, tasks[k], str(root)) for k in todo], ctx, ex):
            done += 1
            articles += stats["articles"]
            if progress:
                progress(done, len(tasks), articles)
    except SchedulerUnreachable as exc:
        raise UserError(str(exc)) from None
    totals = _finish(root, tasks, settings)
    added = _add(store, root) if add_to_ledger else None
    return NewsBatchResult(input=str(source), out=str(root), partitions=len(tasks), skipped=len(tasks) - len(todo),
                           articles=totals["articles"], claims=totals["claims"], findings=totals["findings"],
                           errors=totals["errors"], cross_article=totals["cross_article"],
                           manifest=str(root / MANIFEST), added=added)


def _refuse_out_in_input(source: Path, out: Path) -> None:
    """OUT inside a folder INPUT would be read back as articles by the next run (and change its plan)."""
    if source.is_dir() and out.resolve().is_relative_to(source.resolve()):
        raise UserError(f"--out {out} is inside the input folder {source}: the batch would read its own output; "
                        "choose an --out outside it")


def _stamps(tasks: list[dict]) -> list:
    """Size and modification time of every input file: a changed input is a different batch, never resumed."""
    paths = [Path(t["root"]) / f for t in tasks for f in t["files"]] if tasks and tasks[0]["kind"] == "folder" \
        else sorted({t["path"] for t in tasks})
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in map(Path, paths)]


def _numeric_pairs(led) -> list[tuple[str, str]]:
    """Every (entity, field) with a numeric fact: the ledger check of any article draws from these."""
    return [tuple(r) for r in led.con.execute(
        "SELECT DISTINCT entity, field FROM facts WHERE value_num IS NOT NULL ORDER BY 1, 2").fetchall()]


def _claim_folder(root: Path, fingerprint: str, settings: dict, restart: bool) -> None:
    """OUT belongs to one input and settings: a re-run with others is refused unless ``restart``."""
    plan_file = root / PLAN
    if root.exists() and not root.is_dir():
        raise UserError(f"--out {root} is a file, not a folder")
    if plan_file.exists():
        old = json.loads(plan_file.read_text(encoding="utf-8"))
        if old.get("fingerprint") != fingerprint:
            if not restart:
                raise UserError(f"{root} holds a batch of another input or settings ({old.get('input')}); "
                                "pass --restart to discard it, or choose another --out")
        elif not restart:
            return
    elif root.exists() and any(root.iterdir()):
        raise UserError(f"--out {root} is not empty and holds no batch; choose an empty or new folder")
    for sub in (*nb.TABLES, "_done", "cross"):
        shutil.rmtree(root / sub, ignore_errors=True)
    for f in (MANIFEST, "errors.jsonl"):
        (root / f).unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps({"fingerprint": fingerprint, **settings}, indent=2), encoding="utf-8")


def _marker(root: Path, k: int) -> Path:
    return root / "_done" / f"{nb.part_name(k)}.json"


class _Pieces:
    """``nb.Spill`` onto partition k's piece files: part-K-p00000.parquet, ... in every table's folder."""

    def __init__(self, root: Path, k: int):
        self.root, self.k, self.counts = root, k, []  # counts: rows per table of each piece written

    @property
    def pieces(self) -> int:
        return len(self.counts)

    def _path(self, table: str, n: int) -> Path:
        return self.root / table / f"{nb.part_name(self.k)}-p{n:05d}.parquet"

    def write(self, tables: dict[str, list[dict]]) -> None:
        self.counts.append({t: lake.write_rows(tables[t], cols, TYPES, self._path(t, self.pieces))
                            for t, cols in nb.TABLES.items()})

    def truncate(self, n: int) -> None:
        for p in range(n, self.pieces):
            for t in nb.TABLES:
                self._path(t, p).unlink(missing_ok=True)
        del self.counts[n:]


def _run_partition(ctx: nb.Context, job: tuple[int, dict, str]) -> dict:
    """One partition on a worker: read, check, write its tables (as pieces while a large file is read), then its
    done marker (last, atomically)."""
    k, task, out = job
    root = Path(out)
    for name in nb.TABLES:  # a killed run's files of this partition: its pieces may not be the ones written now
        for old in (root / name).glob(f"{nb.part_name(k)}[.-]*parquet"):
            old.unlink()
    pieces = _Pieces(root, k)
    tables = nb.run_partition(ctx, task, pieces)
    stats = {"partition": k, "articles": _count_articles(task), "task": task}
    for name, cols in nb.TABLES.items():
        if pieces.pieces:
            stats[name] = sum(c[name] for c in pieces.counts)
        else:
            stats[name] = lake.write_rows(tables[name], cols, TYPES, root / name / f"{nb.part_name(k)}.parquet")
    marker = _marker(root, k)
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps(stats), encoding="utf-8")
    tmp.replace(marker)
    return stats


def _count_articles(task: dict) -> int:
    return len(task["files"]) if task["kind"] == "folder" else task.get("lines", task.get("rows", 0))


def _finish(root: Path, tasks: list[dict], settings: dict) -> dict:
    """Stage two (cross-article checks over the claims files), the errors file and the manifest."""
    groups = lake.cross_article_groups(root)
    cross = nb.cross_findings(groups) if len(groups) else []
    lake.write_rows(cross, CROSS_COLUMNS, TYPES, root / "cross" / "findings.parquet")
    parts = [json.loads(_marker(root, k).read_text(encoding="utf-8")) for k in range(len(tasks))]
    errors = lake.read_table(root, "errors")
    with open(root / "errors.jsonl", "w", encoding="utf-8") as fh:
        for r in errors.to_dict("records"):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    totals = {t: sum(p[t] for p in parts) for t in ("articles", *nb.TABLES)}
    totals["cross_article"] = len(cross)
    manifest = {"settings": settings, "written": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "tables": {t: f"{t}/part-*.parquet" for t in nb.TABLES} | {"cross_article": "cross/findings.parquet",
                                                                         "errors_jsonl": "errors.jsonl"},
                "totals": totals,
                "partitions": [{"partition": nb.part_name(p["partition"]), **{t: p[t] for t in ("articles",
                                                                                              *nb.TABLES)}}
                               for p in parts]}
    tmp = root / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(root / MANIFEST)
    return totals


def _add(store: Store, root: Path) -> int:
    """The batch's news facts into the ledger in one transaction; a re-run replaces each article's earlier ones."""
    from ..ledger.model import Fact, Source

    sources, facts = lake.read_table(root, "sources"), lake.read_table(root, "facts")
    by_source: dict[str, list] = {}
    for r in facts.to_dict("records"):
        r = {k: (None if v is None or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
        by_source.setdefault(r["source_id"], []).append(Fact(
            entity=r["entity"], field=r["field"], source_id=r["source_id"], value=r["value"], text=r["text"],
            value_high=r["value_high"], unit=r["unit"], currency=r["currency"], qualifier=r["qualifier"],
            as_of=r["as_of"], period=r["period"], quote=r["quote"], claim_type=r["claim_type"], note=r["note"],
            ext_id=r["ext_id"]))
    import pandas as pd

    n, seen = 0, set()
    with store.write() as led:  # one transaction for the whole batch
        for s in sources.to_dict("records"):
            s = {k: (None if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else v)
                 for k, v in s.items()}
            news_q.delete_extraction(led, s["id"], s["stem"])
            if s["id"] in seen:  # ids are unique per article; a guard, so no source's facts go in twice
                continue
            seen.add(s["id"])
            if not news_q.source_known(led, s["id"]):
                led.add_source(Source(id=s["id"], kind=s["kind"], title=s["title"], publisher=s["publisher"],
                                      url=s["url"], published=s["published"], date_note=s["date_note"],
                                      licence=s["licence"], note=s["note"]))
        for sid in seen:
            n += led.add_facts(by_source.get(sid, []))
    return n
