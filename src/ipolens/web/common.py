"""What every route module shares: the store of the app, and running a use case off the event loop.

Use cases run in a bounded thread pool with a time limit, so one slow request never blocks ``/healthz`` or the
others. Each use case opens its own read-only connection (see ``ledger.access``), so threads never share one.
"""
from __future__ import annotations

import asyncio
import functools
import time
from typing import Any, Callable

from fastapi import Request

from ..app.base import jsonable

__all__ = ["call", "store_of"]


def store_of(request: Request):
    return request.app.state.store


async def call(request: Request, fn: Callable[..., Any], *args: Any, deadline: bool = False, **kwargs: Any) -> Any:
    """``fn(store, *args, **kwargs)`` in the app's worker pool, within its time limit; returns the JSON-safe result.

    ``deadline=True`` also passes ``deadline=`` (a ``time.monotonic()`` value) so long loops can stop themselves;
    errors (UserError, EntityNotFound, LedgerBusy, TimeLimit) propagate to the app's exception handlers."""
    state = request.app.state
    limit = state.time_limit
    if deadline:
        kwargs["deadline"] = time.monotonic() + limit
    job = functools.partial(fn, state.store, *args, **kwargs)
    async with state.slots:  # bounded: at most `workers` use cases run at once, the rest queue here
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(state.pool, job)
        try:
            result = await asyncio.wait_for(asyncio.shield(fut), timeout=limit + 1.0)
        except asyncio.TimeoutError:
            from ..app.base import TimeLimit

            raise TimeLimit(f"the request ran past its time limit of {limit:g} s") from None
    return jsonable(result)
