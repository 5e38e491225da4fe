"""``ipolens news batch``: the news reader over an archive (a folder of text files, JSONL or Parquet), written as
partitioned Parquet. Registered into the ``news`` group of ``cli/news.py``; only typer is imported at start-up."""
from __future__ import annotations

import sys
from typing import Optional

import typer

from ._common import emit, handle_errors, open_store, show


_H = {"source": "folder of text files, or .jsonl / .parquet of articles (text, url, published, market)",
      "engine": "local, threads (default) or dask", "scheduler": "dask scheduler (default: $IPOLENS_DASK_SCHEDULER)",
      "restart": "discard OUT's earlier batch instead of resuming it"}


@handle_errors
def batch(
    source: str = typer.Argument(..., metavar="INPUT", help=_H["source"]),
    out: str = typer.Option(..., "--out", help="output folder: Parquet partitions, manifest.json, errors.jsonl"),
    engine: str = typer.Option("threads", "--engine", help=_H["engine"]),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=_H["scheduler"]),
    workers: Optional[int] = typer.Option(None, "--workers", help="threads or local dask workers"),
    part_size: int = typer.Option(200, "--partition-size", help="articles per partition"),
    published: Optional[str] = typer.Option(None, "--published", help="YYYY-MM-DD for articles that give none"),
    market: Optional[str] = typer.Option(None, "--market", help="outlet market (HK, CN, US) if an article has none"),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="text files' encoding (default: detected)"),
    add_to_ledger: bool = typer.Option(False, "--add-to-ledger", help="then load the facts in one transaction"),
    restart: bool = typer.Option(False, "--restart", help=_H["restart"]),
    no_ledger: bool = typer.Option(False, "--no-ledger-check", help="skip comparing claims with the ledger"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    db: Optional[str] = typer.Option(None, "--db", help="ledger file or :memory:"),
) -> None:
    """Read every article of INPUT into Parquet under OUT; a re-run resumes, skipping finished partitions."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..app import lab, news_batch

    ex = lab.executor(engine, scheduler, workers)
    with Progress(TextColumn("partitions"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), transient=True, disable=as_json or not sys.stderr.isatty(),
                  console=Console(stderr=True)) as bar:  # stdout stays the result's
        task = bar.add_task("", total=None)
        res = news_batch.batch(open_store(db), source, out, ex, part_size, published, market, encoding,
                               add_to_ledger, restart, not no_ledger,
                               lambda done, n, arts: bar.update(task, completed=done, total=n,
                                                                description=f"{arts:,} articles"))
    emit(res, as_json, _render)


def _render(r) -> None:
    """The batch's summary: one row per item, labelled from the catalogue (``news.batch.<key>``; English keeps
    the keys, which are the --json keys)."""
    from ..i18n import has, t
    from ..report.terminal import known

    show(t("news.batch_title", input=r.input, out=r.out), ["", "hk.col.value"],
         [(t(f"news.batch.{k}") if has(f"news.batch.{k}") else k, known(str(v)))
          for k, v in r.to_dict().items() if v is not None])


def register(app: typer.Typer) -> None:
    from .news import news_app

    if not any(c.name == "batch" for c in news_app.registered_commands):
        news_app.command("batch")(batch)
