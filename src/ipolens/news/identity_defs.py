"""The declared identities (lexicon/identities.yaml) read into ``Identity`` entries, the constants they may name (fee
schedule, HKD peg), and the vocabulary helpers every part of the solver shares (canonical metric names, unit
families, undated deal terms)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

import yaml

from .schema import CURRENCIES as MONEY  # every currency the reader gives; one identity never mixes two

__all__ = ["Identity", "Outcome", "identities", "canonical", "unit_family", "undated", "venue_priced", "VENUE_DOUBT",
           "CONSTANTS", "MONEY"]

Interval = tuple[float, float]

def _hk_application_fee_rate() -> tuple[float, float]:
    """Sum of the HK application levies and brokerage, from the HK fee schedule (exact decimals)."""
    from ipolens.hk.fees import fee_schedule

    total = sum(Decimal(str(v)) for v in fee_schedule()["application"].values())
    return float(total), float(total)


def _hk_fee_cent_rounding() -> tuple[float, float]:
    """Each application levy is rounded to the cent on its own (fees-hk.yaml ``rounding``): the entry fee may differ
    from lot x price x (1 + rate) by half a cent per item."""
    from ipolens.hk.fees import fee_schedule

    half = 0.005 * len(fee_schedule()["application"])
    return -half, half


def _hkd_usd_peg() -> tuple[float, float]:
    """HKD per USD: the Linked Exchange Rate System's convertibility band (HKMA), a well-known outside constant."""
    return 7.75, 7.85


def _over_allotment_standard() -> tuple[float, float]:
    """The over-allotment (greenshoe) option as a % of the offer: 15%, the cap of HKEX practice and the US norm."""
    return 15.0, 15.0


def _a_share_lot_500() -> tuple[float, float]:
    """Shares per winning number (签) in an A-share subscription on the STAR Market, ChiNext and Shenzhen: 500."""
    return 500.0, 500.0


def _a_share_lot_1000() -> tuple[float, float]:
    """Shares per winning number (签) on the Shanghai main board: 1,000."""
    return 1000.0, 1000.0


def _tw_board_lot() -> tuple[float, float]:
    """Shares per board lot (張) on the Taiwan exchanges: 1,000 (TWSE/TPEx trading unit; odd lots trade apart)."""
    return 1000.0, 1000.0


CONSTANTS = {"hk_application_fee_rate": _hk_application_fee_rate, "hk_fee_cent_rounding": _hk_fee_cent_rounding,
             "hkd_usd_peg": _hkd_usd_peg, "tw_board_lot": _tw_board_lot,
             "over_allotment_standard": _over_allotment_standard, "a_share_lot_500": _a_share_lot_500,
             "a_share_lot_1000": _a_share_lot_1000}


@dataclass(frozen=True)
class Identity:
    id: str
    kind: str  # relation | parts | ratio | restates
    roles: tuple[str, ...]
    text: str = ""
    lhs: ast.AST | None = None
    rhs: ast.AST | None = None
    constants: tuple[tuple[str, Interval], ...] = ()
    currency: str | None = None
    whole: float | None = None
    within: Interval | None = None
    fillers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # roles another metric may fill (a grey-market close)
    slack: Interval = (0.0, 0.0)  # the relation holds within this much of its left side (per-item cent rounding)
    check: str = ""  # the finding's kind (``check`` in the JSON); the id unless the entry names one
    previous: str | None = None  # a role filled by the figure of the trading day before the others' (a day's move)
    absent: tuple[str, ...] = ()  # roles the article must not state for the relation to apply (another basis)
    support_only: bool = False  # a convention, not a rule: agreement supports, a mismatch says nothing
    context: tuple[tuple[str, str], ...] = ()  # (role, pattern): the role's figure's sentence must say the pattern
    unless_said: str = ""  # a pattern that, in any member's sentence, names a part the relation leaves out

    @property
    def kind_name(self) -> str:
        return self.check or self.id


@dataclass
class Outcome:
    """One identity's verdict on one claim. ``exact``: every input is an exact figure of the same date and basis;
    ``confirms``: an arithmetic identity (a restatement agreeing is support, not a confirmation)."""
    check: str
    verdict: str
    why: str
    claims: list[str] = field(default_factory=list)
    exact: bool = True
    confirms: bool = True
    computed: bool | None = None  # a relation's verdict: whether the claim is its computed side (None: no relation)
    suspects: tuple[str, ...] = ()  # not judged because these approximate inputs may be another quantity
    swapped: bool = False  # the claim is the relation's value with two neighbouring digits swapped (a copying slip)
    doubt: str = ""  # not judged: "placement" (its inputs stand far from it) or "reading" (another quantity)
    via: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a derived member's id -> the claims it came from


# -- the declarations ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("ipolens.news").joinpath("lexicon/identities.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def venue_priced() -> frozenset[str]:
    """``venue_priced``: metrics each venue quotes at its own prices (Hong Kong's grey market, broker by broker)."""
    return frozenset(_config().get("venue_priced") or ())


def set_at_pricing() -> frozenset[str]:
    """``set_at_pricing``: deal terms fixed at pricing or allotment (unknown to an article written days before)."""
    return frozenset(_config().get("set_at_pricing") or ())


VENUE_DOUBT = "the ledger value is of a grey market of unstated platform (each broker's grey market has its own prices)"


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Reader name -> label-vocabulary name, from the one shared table (lexicon/metric_aliases.yaml, label -> reader
    names, which the corpus evaluation reads too), plus the entries of identities.yaml ``aliases`` that table does
    not hold yet."""
    text = resources.files("ipolens.news").joinpath("lexicon/metric_aliases.yaml").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for label, names in ((yaml.safe_load(text) or {}).get("aliases") or {}).items():
        for name in names or ():
            out.setdefault(name, label)
    for name, label in (_config().get("aliases") or {}).items():
        out.setdefault(name, label)
    return out


def canonical(metric: str | None) -> str | None:
    """The label-vocabulary name of a metric the extractor may still call by an older name."""
    return _aliases().get(metric, metric)


def unit_family(role: str) -> str | None:
    """The unit family of a role; a range's end or middle (``offer_price_range_low``) has its range's."""
    units = _config().get("units") or {}
    if role in units:
        return units[role]
    for suffix in ("_low", "_high", "_mid"):
        if role.endswith(suffix) and role[: -len(suffix)] in units:
            return units[role[: -len(suffix)]]
    return None


def undated(role: str) -> bool:
    return role in (_config().get("undated") or ())


@lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    cfg = _config()
    consts = {name: CONSTANTS[src]() for name, src in (cfg.get("constants") or {}).items()}
    out = []
    for e in cfg["identities"]:
        if "relation" in e:
            left, right = e["relation"].split("=")
            lhs, rhs = ast.parse(left.strip(), mode="eval").body, ast.parse(right.strip(), mode="eval").body
            names = [n.id for side in (lhs, rhs) for n in ast.walk(side) if isinstance(n, ast.Name)]
            if len(names) != len(set(names)):
                raise ValueError(f"identity {e['id']}: each role must appear once")
            used = tuple((n, consts[n]) for n in names if n in consts)
            roles = tuple(n for n in names if n not in consts)
            fill = tuple((r, tuple(ms)) for r, ms in (e.get("filled_by") or {}).items())
            slack = CONSTANTS[e["slack"]]() if e.get("slack") else (0.0, 0.0)
            if e.get("previous") and e["previous"] not in roles:
                raise ValueError(f"identity {e['id']}: previous names {e['previous']!r}, not a role of the relation")
            out.append(Identity(e["id"], "relation", roles, e["relation"], lhs, rhs, used, e.get("currency"),
                                fillers=fill, slack=slack, check=e.get("check", ""), previous=e.get("previous"),
                                absent=tuple(e.get("absent") or ()), support_only=bool(e.get("support_only")),
                                context=tuple((e.get("context") or {}).items()), unless_said=e.get("unless_said", "")))
        elif "parts" in e and e.get("whole") == "stated_total":  # parts and a total of one role (identity_total)
            out.append(Identity(e["id"], "parts_total", (e["parts"],), check=e.get("check", "")))
        elif "parts" in e:  # a whole that is a number (100%) or a role (a stated total); parts may only sum below it
            w = e["whole"]
            roles = (e["parts"],) if isinstance(w, (int, float)) else (e["parts"], w)
            out.append(Identity(e["id"], "parts", roles, text=e.get("bound", "equal"),
                                whole=float(w) if isinstance(w, (int, float)) else None))
        elif "midpoint" in e:  # the middle of a stated range (the offer price at the midpoint of the range)
            out.append(Identity(e["id"], "midpoint", (e["midpoint"], e["range"]), f"{e['midpoint']} = "
                                f"({e['range']} low + high) / 2"))
        elif "inside" in e:  # a figure that must lie inside a stated range (the final price inside the indicative range)
            out.append(Identity(e["id"], "inside", (e["inside"], e["range"])))
        elif "order" in e:  # figures that must come in this order (a weighted average between the lowest and highest)
            out.append(Identity(e["id"], "order", tuple(e["order"]), " <= ".join(e["order"]), check=e.get("check", "")))
        elif "ratio" in e:
            num, den = (s.strip() for s in e["ratio"].split("/"))
            out.append(Identity(e["id"], "ratio", (num, den), e["ratio"], within=tuple(e["within"])))
        elif "converts" in e:  # one amount stated in two currencies, through a rate constant (quote per base)
            base, quote = e["currencies"]
            # all: every role (its figures in the two currencies) but the roles named under 'except'
            conv = ("*",) + tuple(e.get("except") or ()) if e["converts"] == "all" else tuple(e["converts"])
            if e["rate"] == "article":  # no outside rate: the article's own conversions must agree with each other
                out.append(Identity(e["id"], "own_rate", conv, f"{quote} = {base} x the article's own rate",
                                    currency=f"{base}/{quote}", check=e.get("check", "")))
                continue
            out.append(Identity(e["id"], "converts", conv, f"{quote} = {base} x {e['rate']}",
                                constants=((e["rate"], CONSTANTS[e["rate"]]()),), currency=f"{base}/{quote}"))
        elif "restates" in e:  # a list of roles, or 'all' but the roles named under 'except'
            roles = ("*",) + tuple(e.get("except") or ()) if e["restates"] == "all" else tuple(e["restates"])
            out.append(Identity(e["id"], "restates", roles))
        else:
            raise ValueError(f"identity {e.get('id')}: no relation, parts, ratio or restates")
    return tuple(out)
