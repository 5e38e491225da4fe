"""Opening the ledger for the faces: a ``Store`` with the embedded dataset loaded and the schema current."""
from __future__ import annotations

from pathlib import Path

from ..data.embedded import _version as embedded_version, ensure_embedded
from ..ledger.access import Store
from ..ledger.store import SCHEMA_VERSION

__all__ = ["open_store", "Store"]


def open_store(path: str | Path | None = None, wait: float | None = None) -> Store:
    """The ledger at ``path`` (default: $IPOLENS_HOME or the user data directory; ``":memory:"`` for a throwaway),
    built from the embedded dataset on first use. Only a first run or a package upgrade opens it for writing."""
    store = Store(path, wait=wait)
    if store.exists() and not store.in_memory:
        with store.read() as led:
            current = (led.get_meta("embedded_version") == embedded_version()
                       and led.get_meta("schema_version") == SCHEMA_VERSION)
        if current:
            return store
    with store.write() as led:
        ensure_embedded(led)
    return store
