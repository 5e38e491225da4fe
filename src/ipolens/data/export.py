"""The folders of ``ipolens export --parquet DIR``: prices/ and facts/ as Hive-partitioned Parquet
(market=…/year=…/).

Spark, Dask, Polars and DuckDB read the tree as one table (``read_parquet('DIR/prices/**/*.parquet',
hive_partitioning=true)``). Each table's folder is replaced whole: written beside it first, then swapped in, so a
failed export leaves the previous one readable and a re-export never mixes old files with new ones. The rows are
written by ``ledger.export``; ``app.data.export`` runs the two.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from ..ledger.export import ExportError

__all__ = ["ExportError", "prepare", "staged"]


def prepare(out: Path) -> Path:
    """Create the export folder; a file in the way, or no permission, is an ExportError naming the path."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder; pass a folder for --parquet")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a parent is a file, no permission, read-only disk
        raise ExportError(f"cannot create {out}: {exc.strerror or exc}") from None
    return out


@contextlib.contextmanager
def staged(out: Path, name: str) -> Iterator[Path]:
    """A new folder path to write table ``name`` into; on a clean exit it replaces ``out/name``.

    The staging folder sits beside the target (same file system, so the swap is a rename) and starts with a dot,
    outside the DIR/<table>/** glob readers use; it is removed whatever happens."""
    target = out / name
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder; move it or export elsewhere")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-export-", dir=out))
    except OSError as exc:
        raise ExportError(f"cannot write under {out}: {exc.strerror or exc}") from None
    try:
        yield staging / name
        _swap(staging / name, target, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, target: Path, staging: Path) -> None:
    """Put ``new`` at ``target``: the old folder moves into ``staging`` (removed by the caller), then ``new`` in."""
    old = staging / "previous"
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError as exc:
        if old.exists():
            old.rename(target)  # put the previous export back
        raise ExportError(f"cannot replace {target}: {exc.strerror or exc}") from None
