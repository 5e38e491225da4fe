"""Public-tranche size after reallocation (clawback) under a regime, and regime inference for a listing."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from .regimes import Regime, regime as get_regime

__all__ = ["TrancheResult", "Evidence", "Inference", "allocate", "evidence", "fits", "infer", "infer_regime",
           "is_18c", "snap_initial_pct", "initial_public_shares", "REFORM_DATE", "SNAP_TOLERANCE_PCT",
           "TRANSITION_DAYS", "MATCH_TOLERANCE", "UPSIZE_MAX_PCT"]

REFORM_DATE = dt.date(2025, 8, 4)
# A prospectus is published about 1-2 weeks before listing (3.5-business-day offer, T+2 to trading under FINI,
# rules doc 1.4): a deal listed this many days after the reform may still follow PN18.
TRANSITION_DAYS = 14
# Relative tolerance when the ledger's final / initial public shares is compared with a ladder's multiplier
# (allocation % and demand are rounded in exports; distinct ladder multipliers differ by 25% or more).
MATCH_TOLERANCE = 0.05
# Offer Size Adjustment Option: up to 15% more shares (rules doc 1.5); a stated final % may be of the enlarged offer.
UPSIZE_MAX_PCT = 15.0
_18C = re.compile(r"(?<![0-9A-Za-z])18C(?![0-9A-Za-z])", re.IGNORECASE)
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
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def is_18c(route: object = None, chapter: object = None) -> bool:
    """Chapter 18C from the listing route ("18C specialist tech", "Chapter 18C", "第18C章") or the chapter field."""
    return any(isinstance(v, str) and _18C.search(v) for v in (route, chapter))


def _18c_reason(listing: dict) -> str:
    chapter, route = listing.get("listing_chapter"), listing.get("route")
    return (f"listing chapter {chapter!r}" if is_18c(None, chapter) else f"route {route!r}") + " is Chapter 18C"


@dataclass(frozen=True)
class Evidence:
    """What the ledger says the reallocation was: final / initial public shares, and how that was read."""
    multiplier: float | None  # final / initial public shares (None: only the stated final % is known)
    stated_final_pct: float | None  # final public tranche as stated (% of the final offer, which an upsize enlarges)
    text: str


def evidence(listing: dict) -> Evidence | None:
    """The final allocation in the ledger, if any.

    ``aggregate_allocation_pct`` (shares allotted / applied) x ``oversubscription_public`` (applied / initial public
    shares) = final / initial public shares, whenever the public offer was oversubscribed (allocation < 100%).
    Otherwise ``final_public_pct`` / ``initial_public_pct``, the stated final tranche (of a possibly upsized offer)."""
    alloc, x = listing.get("aggregate_allocation_pct"), listing.get("oversubscription_public")
    ini, fin = listing.get("initial_public_pct"), listing.get("final_public_pct")
    if alloc is not None and x is not None and x >= 1 and 0 < alloc < 100:
        m = alloc / 100 * x
        return Evidence(m, fin, f"aggregate_allocation_pct {alloc:.6g}% x oversubscription_public {x:g}x = final / "
                                f"initial public shares {m:.3f}")
    if fin is not None and ini:
        return Evidence(None, float(fin), f"final_public_pct {fin:g}% with initial_public_pct {ini:g}%")
    return None


def fits(reg: Regime | str, initial_pct: float | None, subscription: float | None, ev: Evidence | None) -> bool | None:
    """Does the regime's ladder reproduce the ledger's final allocation? None when there is nothing to compare.

    A multiplier matches within ``MATCH_TOLERANCE`` (relative: rounded allocation % and demand). A stated final %
    is of the final offer, which an Offer Size Adjustment Option enlarges by up to ``UPSIZE_MAX_PCT``: it matches
    when it lies between the predicted % / (1 + upsize) and the predicted %."""
    if ev is None or subscription is None:
        return None
    try:
        res = allocate(reg, initial_pct, subscription)
    except ValueError:
        return False
    if ev.multiplier is not None:
        return abs(ev.multiplier - res.multiplier) <= MATCH_TOLERANCE * res.multiplier
    lo = res.final_pct / (1 + UPSIZE_MAX_PCT / 100) - SNAP_TOLERANCE_PCT
    return lo <= ev.stated_final_pct <= res.final_pct + SNAP_TOLERANCE_PCT


@dataclass(frozen=True)
class Inference:
    regime: str
    reason: str
    notes: tuple[str, ...] = ()


def infer(listing: dict) -> Inference:
    """The regime of a ledger listing row, from its route or chapter, its listing date, its initial tranche and, where
    the ledger has it, its final allocation (``evidence``). Raises ValueError when they do not decide it.

    Candidates: an 18C route or chapter -> ``18c`` (outside Mechanism A/B); listed before 2025-08-04 -> ``pn18``;
    listed within ``TRANSITION_DAYS`` after it -> 2025b, 2025a or pn18 (the listing date stands in for the
    prospectus date, which may predate the reform); later -> 2025b or 2025a; no listing date -> all three. Candidates
    whose initial-tranche range excludes the listing's initial % drop out (Mechanism A starts at 5%, B and PN18 at
    10% or more). The final allocation then picks the candidate whose ladder reproduces it; without it, the first
    candidate is taken only when it is the only one or when every candidate gives the same final tranche."""
    day = _as_date(listing.get("listing_date"))
    ini, x = listing.get("initial_public_pct"), listing.get("oversubscription_public")
    if is_18c(listing.get("route"), listing.get("listing_chapter")):
        prior, why = ["18c"], _18c_reason(listing)
    elif day is None:
        prior, why = ["pn18", "2025b", "2025a"], "listing date unknown"
    elif day < REFORM_DATE:
        prior, why = ["pn18"], f"listed {day} before the 2025 reform ({REFORM_DATE})"
    elif day < REFORM_DATE + dt.timedelta(days=TRANSITION_DAYS):
        prior, why = ["2025b", "2025a", "pn18"], (f"listed {day}, within {TRANSITION_DAYS} days of the 2025 reform "
                                                  "(the prospectus may predate it)")
    else:
        prior, why = ["2025b", "2025a"], f"listed {day} after the 2025 reform ({REFORM_DATE})"
    viable = [c for c in prior if ini is None or _allows(get_regime(c), ini)]
    if not viable:
        raise ValueError(f"{why}, but an initial public tranche of {ini:g}% fits none of {', '.join(prior)}: "
                         "pass --regime")
    if ini is not None and len(viable) < len(prior):
        why += f"; initial public {ini:g}% leaves {', '.join(viable)}"
    ev = evidence(listing)
    matched = [c for c in viable if fits(c, ini, x, ev)]
    if matched:
        chosen = matched[0]
        if len(viable) > 1 or ev.multiplier is not None:
            why += f"; the ledger's final allocation ({ev.text}) fits {', '.join(matched)}"
        notes = _same_tranche_note(matched, ini, x)
        return Inference(chosen, why, notes)
    if ev is not None and x is not None:
        chosen = viable[0]
        return Inference(chosen, why, (f"the ledger's final allocation ({ev.text}) fits no candidate ladder "
                                       f"({', '.join(viable)}): a waiver or deal-stated ladder? pass --ladder",))
    if len(viable) == 1:
        return Inference(viable[0], why)
    if x is not None and len({allocate(c, ini, x).final_pct for c in viable}) == 1:
        return Inference(viable[0], why, _same_tranche_note(viable, ini, x))
    raise ValueError(f"{why}: the regime is one of {', '.join(viable)} and the ledger has no final allocation to "
                     f"tell them apart; pass --regime {'|'.join(viable)}")


def _allows(reg: Regime, ini: float) -> bool:
    return reg.initial_min - SNAP_TOLERANCE_PCT <= ini <= reg.initial_max + SNAP_TOLERANCE_PCT


def _same_tranche_note(regimes: list[str], ini: float | None, x: float | None) -> tuple[str, ...]:
    if len(regimes) < 2 or x is None:
        return ()
    return (f"{' and '.join(regimes)} give the same final tranche here; {regimes[0]} is shown",)


def infer_regime(listing: dict) -> tuple[str, str]:
    """(regime id, reason) for a ledger listing row: ``infer`` without its notes."""
    inf = infer(listing)
    return inf.regime, inf.reason
