"""Rule data for HK IPO mechanics, loaded from the versioned YAML files in ``regimes/``.

Every file names its source and lists its UNCONFIRMED items; code never hard-codes a ladder.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is present: 10x faster

__all__ = ["Regime", "Tier", "UnknownRegime", "regime", "regimes", "rule_file", "parse_ladder"]


class UnknownRegime(ValueError):
    """A regime id that no data file defines."""


@dataclass(frozen=True)
class Tier:
    at_least: float  # public demand, x of the initial public shares
    pct: float  # public tranche, % of the shares initially offered


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    source: str
    version: str
    applies: str
    initial_min: float
    initial_max: float
    initial_base: float
    ladder: tuple[Tier, ...]
    unconfirmed: tuple[dict, ...] = field(default=())
    # Cap on moving shares from an undersubscribed placing to the public tranche, % of the shares initially offered.
    # Reported only: the tranche engine does not model that discretionary reallocation. None: the regime states none.
    placing_cap_pct: float | None = None

    @property
    def fixed(self) -> bool:
        return not self.ladder

    def with_ladder(self, ladder: tuple[Tier, ...]) -> "Regime":
        """The same regime with a deal-stated or user-configured ladder (waivers, UNCONFIRMED triggers)."""
        note = {"item": "ladder overridden by the user", "note": ", ".join(f"{t.at_least:g}x->{t.pct:g}%" for t in ladder)}
        return replace(self, id=self.id + "+custom", name=self.name + " (custom ladder)", ladder=ladder,
                       unconfirmed=self.unconfirmed + (note,))

    def with_placing_cap(self, pct: float) -> "Regime":
        """The same regime with a user-set placing reallocation cap (the 2025 level is UNCONFIRMED: 15% or 30%)."""
        if not 0 < pct <= 100:
            raise ValueError(f"placing reallocation cap must be in (0, 100] % of the offer, got {pct:g}")
        note = {"item": "placing reallocation cap overridden by the user", "note": f"{pct:g}% of the shares offered"}
        return replace(self, placing_cap_pct=float(pct), unconfirmed=self.unconfirmed + (note,))


@lru_cache(maxsize=None)
def _files() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in resources.files(__package__).joinpath("regimes").iterdir():
        if entry.name.endswith(".yaml"):
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_LOADER)
            out[str(data["id"])] = data
    return out


def rule_file(file_id: str) -> dict[str, Any]:
    """Raw data of one rule file (``fees-hk``, ``lockups``, ``ballot-model`` ...)."""
    try:
        return _files()[file_id]
    except KeyError:
        raise UnknownRegime(f"no rule file {file_id!r}") from None


def _build(data: dict[str, Any]) -> Regime:
    ini = data["initial_pct"]
    ladder = tuple(sorted((Tier(float(t["at_least"]), float(t["pct"])) for t in data.get("ladder") or []),
                          key=lambda t: t.at_least))
    return Regime(id=str(data["id"]), name=data["name"], source=str(data["source"]), version=str(data["version"]),
                  applies=str(data["applies"]), initial_min=float(ini["min"]), initial_max=float(ini["max"]),
                  initial_base=float(ini["base"]), ladder=ladder, unconfirmed=tuple(data.get("unconfirmed") or ()),
                  placing_cap_pct=None if data.get("placing_reallocation_cap_pct") is None
                  else float(data["placing_reallocation_cap_pct"]))


@lru_cache(maxsize=None)
def regimes() -> dict[str, Regime]:
    """All public-tranche regimes by id."""
    return {k: _build(v) for k, v in _files().items() if v.get("kind") == "tranche"}


def regime(regime_id: str) -> Regime:
    known = regimes()
    key = regime_id.strip().lower()
    if key not in known:
        hint = difflib.get_close_matches(key, known, n=2)
        raise UnknownRegime(f"unknown regime {regime_id!r}; expected one of {', '.join(sorted(known))}"
                            + (f" (did you mean {', '.join(hint)}?)" if hint else ""))
    return known[key]


def parse_ladder(text: str) -> tuple[Tier, ...]:
    """``"15:30,50:40,100:50"`` (demand x : tranche %) -> tiers, checked to rise with demand."""
    tiers = []
    for part in text.split(","):
        try:
            x, pct = part.split(":")
            tiers.append(Tier(float(x), float(pct)))
        except ValueError:
            raise ValueError(f"bad ladder step {part!r}; write DEMAND:PCT pairs, e.g. 15:30,50:40,100:50") from None
    tiers.sort(key=lambda t: t.at_least)
    for t in tiers:
        if t.at_least < 0 or not 0 < t.pct <= 100:
            raise ValueError(f"bad ladder step {t.at_least:g}:{t.pct:g}; demand must be >= 0 and pct in (0, 100]")
    if any(b.pct < a.pct for a, b in zip(tiers, tiers[1:])):
        raise ValueError("ladder percentages must not fall as demand rises")
    return tuple(tiers)
