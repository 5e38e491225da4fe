"""The live transport: call an AKShare function by name. Imported lazily so the CLI starts without akshare."""
from __future__ import annotations

from typing import Any

from ..base import Transport, require_live
from .constants import LIBRARY


def live_transport() -> Transport:
    require_live(LIBRARY)
    import akshare

    def call(function: str, **kwargs: Any) -> Any:
        return getattr(akshare, function)(**kwargs)

    return call
