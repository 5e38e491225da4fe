"""The FastAPI app behind ``ipolens serve``: routers from ``web/routes/`` over the app layer, the dashboard from
vendored static files (nothing loads from a CDN), and the guards in front of them (``web/security.py``).

Use cases run in a bounded worker pool with a per-request time limit (``web/common.call``), each on its own
read-only connection, so several requests run at once and a slow one never blocks ``/healthz``.
"""
from __future__ import annotations

import asyncio
import importlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import errors, pages
from .security import LOOPBACK_HOSTS, HostCheck, WriteGuard

STATIC = Path(__file__).with_name("static")
ROUTERS = ("ledger", "stats", "hk", "news", "companies", "pipeline", "followons", "calendar", "search", "i18n")  # web/routes/<name>.py, each exposing `router`
BODY_CAPS = {"/api/news/check": 2_000_000}  # bytes; every other POST gets security.DEFAULT_CAP
TIME_LIMIT = float(os.environ.get("IPOLENS_WEB_TIME_LIMIT", "60"))  # seconds per request
WORKERS = int(os.environ.get("IPOLENS_WEB_WORKERS", str(min(8, (os.cpu_count() or 2) * 2))))


def create_app(store=None, db_path: str | None = None, allowed_hosts: tuple[str, ...] | list[str] = (),
               db=None, time_limit: float | None = None, workers: int | None = None) -> FastAPI:
    """The app over ``store`` (a ``ledger.access.Store``), else ``db.store`` (an ``ipolens.Database``), else the
    ledger at ``db_path``. ``allowed_hosts``: Host names accepted besides loopback and the bound address."""
    from ipolens import __version__

    if store is None:
        from ..app.store import open_store

        store = db.store if db is not None else open_store(db_path)
    n = workers or WORKERS

    app = FastAPI(title="ipolens", version=__version__, docs_url=None, redoc_url=None,
                  description="IPO research workbench API: HKEX (incl. Chapter 18C), SSE STAR and Nasdaq listings, "
                              "every value with its source.")
    app.state.store, app.state.time_limit = store, time_limit or TIME_LIMIT
    # the pool lives as long as the app (no lifespan shutdown: test clients may run the lifespan more than once)
    app.state.pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ipolens-web")
    app.state.slots = asyncio.Semaphore(n)
    errors.install(app)
    routers = [importlib.import_module(f"{__package__}.routes.{name}").router for name in ROUTERS]
    for router in routers:
        app.include_router(router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    allowed = tuple(LOOPBACK_HOSTS) + tuple(allowed_hosts)
    posts = frozenset(r.path for rt in routers for r in rt.routes if "POST" in (getattr(r, "methods", None) or ()))
    app.add_middleware(WriteGuard, allowed=allowed, paths=posts, caps=BODY_CAPS)
    app.add_middleware(HostCheck, allowed=allowed)  # added last, so it runs first
    return app
