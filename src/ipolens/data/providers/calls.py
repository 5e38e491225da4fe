"""A time limit for one vendor call: vendor libraries call ``requests`` without a timeout, so a stalled server
would hang ``fetch`` forever. The call runs in a daemon thread; past the limit we stop waiting for it.

A thread cannot be killed, so a timed-out call may finish later in the background; its answer is dropped, and
being a daemon it never keeps the process alive.
"""
from __future__ import annotations

import os
import threading
from typing import Any, Callable

__all__ = ["CALL_TIMEOUT_S", "CallTimedOut", "call_timeout", "run_with_time_limit"]

# One vendor call, retries included. Generous next to the 10 s connection-retry budget: a paged AKShare call
# makes several requests, yet no documented call needs this long on a working link.
CALL_TIMEOUT_S = 20.0


class CallTimedOut(Exception):
    """The call did not return inside its limit (not a TimeoutError: that would read as "no network")."""


def call_timeout() -> float:
    """The limit in seconds: ``IPOLENS_CALL_TIMEOUT`` when set to a positive number, else 20 s."""
    text = os.environ.get("IPOLENS_CALL_TIMEOUT", "").strip()
    try:
        value = float(text) if text else CALL_TIMEOUT_S
    except ValueError:
        return CALL_TIMEOUT_S
    return value if value > 0 else CALL_TIMEOUT_S


def run_with_time_limit(fn: Callable[[], Any], seconds: float, name: str = "vendor-call") -> Any:
    """``fn()``'s result or exception, or CallTimedOut once ``seconds`` have passed without one."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as is
            box["error"] = exc
        finally:
            done.set()

    # daemon, not a ThreadPoolExecutor: the executor's threads are joined at exit, a hung call would block it
    threading.Thread(target=work, name=f"ipolens-{name}", daemon=True).start()
    if not done.wait(seconds):
        raise CallTimedOut(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]
