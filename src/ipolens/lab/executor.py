"""Where chunked work runs: in this thread (``local``), on a thread pool (``threads``) or on Dask (``dask``).

The numba kernels are compiled with ``nogil=True``, so threads really run in parallel on one machine; Dask spreads
the same chunks over a cluster's workers. Every job hands over its big read-only inputs once (``shared``: scattered
to each Dask worker a single time, not re-sent per task) and a list of small task descriptions; results come back in
task order, so every engine returns the same thing. Dask is optional (``pip install 'ipolens[scale]'``) and imported
only when asked for.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional

__all__ = ["ENGINES", "SCHEDULER_ENV", "Executor", "DaskMissing", "SchedulerUnreachable", "resolve", "map_tasks",
           "imap_tasks", "dask_client", "local_cluster", "Shared"]

ENGINES = ("local", "threads", "dask")
SCHEDULER_ENV = "IPOLENS_DASK_SCHEDULER"
INSTALL_HINT = "pip install 'ipolens[scale]'"
CONNECT_TIMEOUT = 10.0  # seconds: an unreachable scheduler is reported, not retried for distributed's default 30 s


class DaskMissing(ValueError):
    """``--engine dask`` without dask.distributed installed; the message says how to install it."""


@dataclass(frozen=True)
class Executor:
    engine: str = "threads"
    workers: Optional[int] = None  # threads: pool size; dask: workers of a local cluster (None: one per core)
    scheduler: Optional[str] = None  # dask: address of a running scheduler (None: start a LocalCluster)
    processes: bool = True  # dask LocalCluster: worker processes (False: threads in this process, for tests)
    client: Any = None  # a connected dask Client to reuse (tests, benchmarks); not owned, never closed here
    connect_timeout: float = CONNECT_TIMEOUT  # dask: seconds to wait for ``scheduler`` to answer

    @property
    def n_workers(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)


def resolve(engine: str = "threads", scheduler: Optional[str] = None, workers: Optional[int] = None) -> Executor:
    """The executor the options ask for; with dask, the scheduler address falls back to $IPOLENS_DASK_SCHEDULER."""
    engine = (engine or "threads").strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if engine == "dask":  # the environment's scheduler is a default for dask only, never an error for other engines
        scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler and engine != "dask":
        raise ValueError(f"--scheduler {scheduler} needs --engine dask (engine is {engine})")
    if engine == "dask":
        _require_dask()
    return Executor(engine, workers, scheduler)


def _require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise DaskMissing(f"--engine dask needs dask.distributed, which is not installed: {INSTALL_HINT}") from None


class SchedulerUnreachable(ValueError):
    """No dask scheduler answers at the address given; the message names it."""


@contextlib.contextmanager
def dask_client(ex: Executor) -> Iterator[Any]:
    """A dask Client: the one given, one connected to ``ex.scheduler``, or one on a new LocalCluster (closed after)."""
    if ex.client is not None:
        yield ex.client
        return
    _require_dask()
    from distributed import Client

    if ex.scheduler:
        try:
            client = Client(ex.scheduler, timeout=ex.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(f"no dask scheduler answers at {ex.scheduler} (waited {ex.connect_timeout:g} s: "
                                       f"{type(exc).__name__}: {exc}); start one or check --scheduler / "
                                       f"${SCHEDULER_ENV}") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster, client = local_cluster(ex.n_workers, processes=ex.processes)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


# A cluster started here lives for one command and serves no dashboard, on the machine that runs the tasks, so its
# housekeeping is slowed to what such a run needs: no stack sampler (every 10 ms it takes the GIL to record
# profiles nobody can read), the event-loop watchdog every 500 ms instead of 20 ms, the process monitor (dashboard
# plots) every 2 s, a worker's memory check every second. Idle, two workers and the scheduler then use about 0.08
# CPU-seconds per 5 s instead of 0.7 (measured here): on a 2-core machine the default took 7% of the cores from
# the tasks.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "500ms",
                        "distributed.admin.system-monitor.interval": "2s",
                        "distributed.worker.memory.monitor-interval": "1s"}


def local_cluster(n_workers: int, *, processes: bool = True) -> tuple[Any, Any]:
    """A new ``LocalCluster`` of ``n_workers`` one-thread workers with no dashboard, and a Client on it (the
    caller closes both). The workers take ``LOCAL_CLUSTER_CONFIG`` (a nanny hands its config to the worker)."""
    _require_dask()
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                               dashboard_address=None)
    return cluster, Client(cluster)


class Shared:
    """A read-only bundle of inputs every task needs; one object, so Dask scatters it as a whole."""

    def __init__(self, **values):
        self.__dict__.update(values)


def map_tasks(fn: Callable[[Any, Any], Any], tasks: list, shared: Any, ex: Executor,
              progress: Optional[Callable[[int, int], None]] = None, sizes: Optional[list[int]] = None) -> list:
    """``[fn(shared, t) for t in tasks]`` on the executor, in task order. ``progress(done, total)`` after each
    task, counting tasks, or units of work when ``sizes`` gives each task's."""
    out: list = [None] * len(tasks)
    sizes = sizes or [1] * len(tasks)
    done, total = 0, sum(sizes)
    for k, res in imap_tasks(fn, enumerate(tasks), shared, ex, keyed=True):
        out[k] = res
        done += sizes[k]
        if progress:
            progress(done, total)
    return out


def imap_tasks(fn: Callable[[Any, Any], Any], tasks: Iterable, shared: Any, ex: Executor, *, keyed: bool = False,
               inflight: Optional[int] = None) -> Iterator[Any]:
    """Results of ``fn(shared, t)`` as tasks finish (completion order), at most ``inflight`` tasks submitted ahead,
    so a long stream of tasks is never held in memory. With ``keyed``, tasks are (key, task) pairs and results
    come back as (key, result)."""
    items = iter(tasks) if keyed else ((None, t) for t in tasks)
    if ex.engine == "local":
        for key, t in items:
            r = fn(shared, t)
            yield (key, r) if keyed else r
        return
    if ex.engine == "threads":
        yield from _threads(fn, items, shared, ex, keyed, inflight or 2 * ex.n_workers)
        return
    with dask_client(ex) as client:
        yield from _dask(client, fn, items, shared, keyed, inflight)


def _threads(fn, items, shared, ex, keyed, inflight):
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    with ThreadPoolExecutor(max_workers=ex.n_workers) as pool:
        pending: dict = {}
        for key, t in items:
            pending[pool.submit(fn, shared, t)] = key
            if len(pending) >= inflight:
                yield from _drain(pending, wait(pending, return_when=FIRST_COMPLETED)[0], keyed)
        while pending:
            yield from _drain(pending, wait(pending, return_when=FIRST_COMPLETED)[0], keyed)


def _drain(pending: dict, finished, keyed):
    for f in finished:
        key = pending.pop(f)
        r = f.result()
        yield (key, r) if keyed else r


def _dask(client, fn, items, shared, keyed, inflight):
    from distributed import wait

    n = max(1, len(client.scheduler_info().get("workers", {})))
    inflight = inflight or 4 * n
    # the shared inputs go to every worker once; each task only carries a reference to them
    ref = client.scatter(shared, broadcast=True, hash=False)
    pending: dict = {}
    try:
        for key, t in items:
            pending[client.submit(fn, ref, t, pure=False)] = key
            if len(pending) >= inflight:
                yield from _drain_dask(pending, wait(list(pending), return_when="FIRST_COMPLETED").done, keyed)
        while pending:
            yield from _drain_dask(pending, wait(list(pending), return_when="FIRST_COMPLETED").done, keyed)
    finally:
        for f in pending:
            f.cancel()
        ref.release()


def _drain_dask(pending: dict, finished, keyed):
    for f in finished:
        key = pending.pop(f)
        r = f.result()  # a task's exception is raised here, with its traceback
        f.release()
        yield (key, r) if keyed else r
