"""What every provider's fetchers share beyond the contract (``base.Fetcher``): the provider's base class, and
reading a vendor table through an alias table, and the list inside a JSON payload.

A provider declares its base once::

    class _AkshareFetcher(ProviderFetcher, constants=C, live=live_transport): ...

and its fetchers take their provider name, vendor package, probed host and rate limit from ``constants`` (the
provider's ``constants.py``) and their live transport from ``live``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Callable, ClassVar, Iterator, Mapping, Sequence

from .base import Fetcher, ProviderError, RateLimiter, Transport, apply_aliases
from .cells import Cells, rows

__all__ = ["ProviderFetcher", "table_cells", "payload_list"]


class ProviderFetcher(Fetcher):
    """The base of one provider's fetchers; its subclasses share one rate limiter (one per provider)."""

    _live: ClassVar[Callable[[], Transport]]

    def __init_subclass__(cls, constants: ModuleType | None = None, live: Callable[[], Transport] | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if (constants is None) != (live is None):
            raise TypeError(f"{cls.__name__}: a provider's base names both its constants and its live transport")
        if constants is not None:
            cls.provider, cls.library, cls.host = constants.PROVIDER, constants.LIBRARY, constants.HOST
            cls.limiter = RateLimiter(constants.MIN_INTERVAL_S)
            cls._live = staticmethod(live)

    def live_transport(self) -> Transport:
        return self._live()


def table_cells(where: str, table: tuple[list[str], list[dict]], aliases: Mapping[str, Sequence[str]],
                required: Sequence[str]) -> Iterator[Cells]:
    """``Cells`` of each row of a vendor ``table`` (its columns and row dicts), its columns mapped through
    ``aliases``. An empty table gives no rows and is not checked for columns: a vendor's empty answer often has
    none."""
    columns, records = table
    if not records:
        return iter(())
    return rows(where, records, apply_aliases(columns, aliases, required, where=where))


def payload_list(payload: Any, key: str, where: str, shape: str) -> list:
    """``payload[key]`` of a JSON payload that must be an object holding a list there; otherwise a ProviderError
    saying the ``shape`` expected and the type received."""
    if not isinstance(payload, dict) or not isinstance(payload.get(key), list):
        raise ProviderError(f"{where}: expected {shape}, got {type(payload).__name__}")
    return payload[key]
