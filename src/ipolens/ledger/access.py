"""How processes reach the ledger file: short read-only connections for reads, one bounded-wait writer.

DuckDB lets many processes read a file together but only one write to it, and a writer excludes readers. So every
read opens a read-only connection for the length of one use case and closes it; a write opens the file read-write,
runs in one transaction, refreshes the derived facts and closes. Nobody holds the file between use cases, which is
what lets ``ipolens serve``, a notebook and the CLI work at once. When the file is held, a connection retries for
``wait`` seconds and then fails with ``LedgerBusy`` naming the process that holds it.
An in-memory store keeps one connection (it cannot be reopened) and hands each reader its own cursor.
"""
from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb

from .derived import refresh_derived
from .store import CommitFailed, Ledger, default_path

__all__ = ["Store", "LedgerBusy", "LedgerWriteError", "DEFAULT_WAIT"]

DEFAULT_WAIT = float(os.environ.get("IPOLENS_LOCK_WAIT", "10"))
_PID = re.compile(r"PID (\d+)")


class LedgerBusy(RuntimeError):
    """The ledger file is held by another process for longer than we were willing to wait."""


def _holder(message: str) -> str:
    """'PID 123 (ipolens serve)' from DuckDB's lock message, with the holder's command line when readable."""
    m = _PID.search(message)
    if not m:
        return "another process"
    pid = m.group(1)
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        cmd = " ".join(Path(a.decode(errors="replace")).name if i == 0 else a.decode(errors="replace")
                       for i, a in enumerate(argv[:6]) if a)
        return f"process {pid} ({cmd})"
    except OSError:
        return f"process {pid}"


class LedgerWriteError(Exception):
    """The ledger file cannot be written (read-only folder, full disk, file-size limit): nothing was written, and
    every read still works."""


_NO_SPACE = re.compile(r"no space|file too large|quota|disk full", re.I)
_NO_WRITE = re.compile(r"permission|not permitted|read-only|read only", re.I)


def _write_refused(path: str, exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    hint = ("free disk space (or point IPOLENS_HOME at a disk with room)" if _NO_SPACE.search(str(exc))
            else "make its folder writable or set IPOLENS_HOME" if _NO_WRITE.search(str(exc))
            else "the file may be damaged or in use by another program; set IPOLENS_HOME to use another ledger")
    return f"cannot write the ledger {path} ({text}): nothing was written and reads still work; {hint}"


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _open(path: str, read_only: bool, wait: float) -> Ledger:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return Ledger(path, read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                what = "read" if read_only else "write to"
                raise LedgerBusy(
                    f"cannot {what} the ledger {path}: it is held by {_holder(str(exc))} (waited {wait:g} s). "
                    "Writes need the file to themselves: stop that process (for example `ipolens serve`, or a "
                    "notebook's open connection) or retry when it is done; IPOLENS_LOCK_WAIT sets the wait"
                ) from None
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.5)


class Store:
    """The ledger at ``path`` (default: $IPOLENS_HOME or the user data directory; ``":memory:"`` for a throwaway)."""

    def __init__(self, path: str | Path | None = None, wait: float | None = None):
        self.path = str(path if path is not None else default_path())
        self.wait = DEFAULT_WAIT if wait is None else float(wait)
        self._mem = Ledger(":memory:") if self.in_memory else None
        self._write_lock = threading.RLock()

    @property
    def in_memory(self) -> bool:
        return self.path == ":memory:"

    def exists(self) -> bool:
        return self.in_memory or Path(self.path).exists()

    @contextlib.contextmanager
    def read(self) -> Iterator[Ledger]:
        """A ledger for reading during one use case (read-only file connection, or a cursor of the memory store)."""
        if self._mem is not None:
            cur = Ledger.on(self._mem.con.cursor(), self.path)
            try:
                yield cur
            finally:
                cur.close()
            return
        led = _open(self.path, read_only=True, wait=self.wait)
        try:
            yield led
        finally:
            led.close()

    @contextlib.contextmanager
    def write(self, refresh: bool = True) -> Iterator[Ledger]:
        """The one write path: a read-write ledger in one transaction; derived facts are recomputed before commit.

        Everything written inside the block lands together or not at all."""
        with self._write_lock:
            try:
                led = self._mem if self._mem is not None else _open(self.path, read_only=False, wait=self.wait)
            except (duckdb.Error, OSError) as exc:
                raise LedgerWriteError(_write_refused(self.path, exc)) from None
            try:
                with led.transaction():
                    yield led
                    if refresh:
                        refresh_derived(led)
            except CommitFailed as exc:
                raise LedgerWriteError(_write_refused(self.path, exc)) from None
            finally:
                if led is not self._mem:
                    led.close()

    def close(self) -> None:
        if self._mem is not None:
            self._mem.close()
