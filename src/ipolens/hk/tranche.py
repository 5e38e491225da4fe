"""Public-tranche size after reallocation (clawback) under a regime, and regime inference for a listing."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from .regimes import Regime, regime as get_regime

__all__ = ["TrancheResult", "allocate", "infer_regime", "snap_initial_pct", "initial_public_shares", "REFORM_DATE",
           "SNAP_TOLERANCE_PCT"]

REFORM_DATE = dt.date(2025, 8, 4)
# Stored tranche percentages are share ratios (5.0001 for a 5% tranche rounded to whole lots): snap them.
SNAP_TOLERANCE_PCT = 0.01


@dataclass(frozen=True)
class TrancheResult:
    regime: str
    regime_name: str
    source: str
    initial_pct: float
    subscription: float
    final_pct: float
    multiplier: float
    tier_at_least: float | None
    offer_shares: int | None
    initial_shares: int | None
    final_shares: int | None
    unconfirmed: list[str]
    notes: list[str]
    placing_reallocation_cap_pct: float | None = None  # reported, not applied (see allocate)

    def to_dict(self) -> dict:
        return asdict(self)


def _tier(reg: Regime, subscription: float):
    hit = None
    for t in reg.ladder:
        if subscription >= t.at_least:
            hit = t
    return hit


def snap_initial_pct(reg: Regime, initial_pct: float | None) -> tuple[float, str | None]:
    """(initial public %, note): the regime's base when unknown, snapped to it within ``SNAP_TOLERANCE_PCT``."""
    ini = reg.initial_base if initial_pct is None else float(initial_pct)
    if abs(ini - reg.initial_base) <= SNAP_TOLERANCE_PCT and ini != reg.initial_base:
        return reg.initial_base, f"initial {ini:g}% treated as the regime's {reg.initial_base:g}% (share rounding)"
    return ini, None


def initial_public_shares(reg: Regime | str, initial_pct: float | None, offer_shares: int) -> int:
    """Initial public tranche in shares. One helper for every command, so tranche, odds and subscribe agree."""
    reg = get_regime(reg) if isinstance(reg, str) else reg
    return round(offer_shares * snap_initial_pct(reg, initial_pct)[0] / 100)


def allocate(reg: Regime | str, initial_pct: float | None, subscription: float,
             offer_shares: int | None = None) -> TrancheResult:
    """Final public tranche (% of the shares initially offered) for public demand ``subscription`` (x).

    Ladder levels are absolute percentages of the initial offer; a tranche never shrinks below its initial size.
    Undersubscription (x < 1) leaves the tranche unchanged here: reallocation to the placing is deal-specific.
    Shares moved the other way, from an undersubscribed placing to the public tranche, are at the coordinators'
    discretion and not modelled either; the regime's cap on them is only reported.
    """
    reg = get_regime(reg) if isinstance(reg, str) else reg
    if subscription is None or subscription != subscription or subscription < 0:
        raise ValueError(f"subscription must be a non-negative multiple, got {subscription!r}")
    ini, snapped = snap_initial_pct(reg, initial_pct)
    notes: list[str] = [snapped] if snapped else []
    if not 0 < ini <= 100:
        raise ValueError(f"initial public pct must be in (0, 100], got {ini:g}")
    if not reg.initial_min - SNAP_TOLERANCE_PCT <= ini <= reg.initial_max + SNAP_TOLERANCE_PCT:
        raise ValueError(f"regime {reg.id} allows an initial public tranche of {reg.initial_min:g}-{reg.initial_max:g}%,"
                         f" got {ini:g}%")
    tier = _tier(reg, subscription)
    final = max(ini, tier.pct) if tier else ini
    if offer_shares is not None and offer_shares < 0:
        raise ValueError("offer shares must be non-negative")
    init_sh = None if offer_shares is None else initial_public_shares(reg, ini, offer_shares)
    final_sh = None if offer_shares is None else round(offer_shares * final / 100)
    if reg.placing_cap_pct is not None:
        notes.append(f"reallocation from an undersubscribed placing (capped at {reg.placing_cap_pct:g}% of the offer) "
                     "is not modelled: the tranche above ignores placing demand")
    unconf = [f"{u.get('item')}: {u.get('note', '')} (confirm: {u.get('confirm_with', 'n/a')})".strip()
              for u in reg.unconfirmed]
    return TrancheResult(regime=reg.id, regime_name=reg.name, source=reg.source, initial_pct=ini,
                         subscription=float(subscription), final_pct=final, multiplier=round(final / ini, 6),
                         tier_at_least=None if tier is None else tier.at_least, offer_shares=offer_shares,
                         initial_shares=init_sh, final_shares=final_sh, unconfirmed=unconf, notes=notes,
                         placing_reallocation_cap_pct=reg.placing_cap_pct)


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def infer_regime(listing: dict) -> tuple[str, str]:
    """(regime id, reason) for a ledger listing row.

    Order: an 18C route or chapter -> ``18c`` (its own ladder since 2023-03-31, outside Mechanism A/B);
    listed before 2025-08-04 -> ``pn18`` (the listing date stands in for the prospectus date, so deals listed in the
    first weeks after the reform may be misclassified); otherwise Mechanism B when the initial tranche is 10-60% (A always
    starts at 5%), Mechanism A when it is 5%. Anything else cannot be inferred: pass ``--regime``.
    """
    route = str(listing.get("route") or "")
    chapter = str(listing.get("listing_chapter") or "")
    if "18C" in route.upper() or chapter.upper() == "18C":
        return "18c", f"route {route or chapter!r} is Chapter 18C"
    day = _as_date(listing.get("listing_date"))
    if day is None:
        raise ValueError("listing date unknown: pass --regime")
    if day < REFORM_DATE:
        return "pn18", f"listed {day} before the 2025 reform (2025-08-04)"
    ini = listing.get("initial_public_pct")
    fin = listing.get("final_public_pct")
    if ini is None:
        raise ValueError(f"listed {day} after the reform but the initial public pct is unknown: pass --regime 2025a|2025b")
    if 10 - SNAP_TOLERANCE_PCT <= ini <= 60 + SNAP_TOLERANCE_PCT:
        same = fin is not None and abs(fin - ini) <= SNAP_TOLERANCE_PCT
        return "2025b", (f"listed {day} after the reform, initial public {ini:g}% (Mechanism A starts at 5%)"
                         + ("; final == initial" if same else ""))
    if abs(ini - 5) <= SNAP_TOLERANCE_PCT:
        return "2025a", f"listed {day} after the reform, initial public {ini:g}% (Mechanism A)"
    raise ValueError(f"cannot infer a regime from initial public {ini:g}%: pass --regime")
