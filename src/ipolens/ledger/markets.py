"""The markets registry: market names, their code prefix, currency, exchange calendar and board-lot rule.

Kept as data (``markets.yaml``). Every layer that needs a list of markets or a market's calendar asks here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["Market", "MARKETS", "market", "normalise_market", "UnknownMarket", "calendar_name",
           "markets_with"]


class UnknownMarket(ValueError):
    """A market name the registry does not know."""


@dataclass(frozen=True)
class Market:
    id: str
    name_en: str
    name_zh: str
    code_prefix: str
    currency: str
    calendar: str
    board_lot: str
    mechanics: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _doc() -> dict:
    return yaml.safe_load(Path(__file__).with_name("markets.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> dict[str, Market]:
    return {k: Market(id=k, **{**v, "mechanics": tuple(v.get("mechanics", ()))})
            for k, v in _doc()["markets"].items()}


MARKETS: tuple[str, ...] = tuple(_doc()["markets"])


def normalise_market(name: str, allowed: tuple[str, ...] | None = None) -> str:
    """'hk' -> 'HK', 'US' -> 'NASDAQ'; an unknown name (or one outside ``allowed``) raises UnknownMarket."""
    m = str(name).strip().upper()
    m = _doc().get("aliases", {}).get(m, m)
    pool = allowed or MARKETS
    if m not in pool:
        raise UnknownMarket(f"unknown market {name!r}; expected one of {', '.join(pool)}")
    return m


def market(name: str) -> Market:
    return _registry()[normalise_market(name)]


def calendar_name(name: str) -> str:
    """The exchange_calendars name of a market's sessions: HK -> XHKG, STAR -> XSHG, NASDAQ -> XNYS."""
    return market(name).calendar


def markets_with(mechanic: str) -> tuple[str, ...]:
    """Markets a mechanic applies to: ``markets_with('hk')`` -> ('HK',)."""
    return tuple(m.id for m in _registry().values() if mechanic in m.mechanics)
