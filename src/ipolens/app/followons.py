"""Use cases: follow-on offerings (``ipolens followon CODE``, ``followon calc``, ``followon add``,
``GET /api/followons/{code}``, ``GET /api/followon/calc``).

The maths and rule checks are ``analytics.followons``; the rules are data (``hk/followon_rules.yaml``,
``hk/followon_rules_cn.yaml``), each with its rule number and source. Recorded offerings live in the ``offerings``
table (``ledger.offerings``), keyed apart from the IPO. Percent keys are percent numbers (21.0 means 21%).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..analytics import followons as fa
from ..ledger import offerings as lo
from ..ledger.access import Store
from ..ledger.model import Fact, FactError, Source, to_date
from ..ledger.queries import offerings as q
from .base import Result, UserError, jsonable

__all__ = ["rules", "followon_calc", "followons", "add_followons", "CalcResult", "FollowonsResult", "AddResult"]

_SLUG = re.compile(r"[^\w]+")


@lru_cache(maxsize=1)
def rules() -> tuple[dict, dict]:
    """(HK rules, A-share rules) from the rule files."""
    base = resources.files("ipolens.hk")
    return tuple(yaml.safe_load((base / name).read_text(encoding="utf-8"))
                 for name in ("followon_rules.yaml", "followon_rules_cn.yaml"))  # type: ignore[return-value]


def _out(v: Any) -> Any:
    """Decimals to floats (rounded to 10 places: the decision precision), recursively."""
    if isinstance(v, Decimal):
        return round(float(v), 10)
    if isinstance(v, dict):
        return {k: _out(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_out(x) for x in v]
    return v


@dataclasses.dataclass
class CalcResult(Result):
    """A proposed offering: every figure its inputs allow (``terp``, ``nil_paid_value``, ``ex_rights_price``,
    ``benchmark_price``, ``discount_to_benchmark``, ``tde``, ``floor_price`` ...), ``checks`` (each with its rule,
    limit, status ok | flagged | unknown and source), ``flagged`` and ``flags``."""
    data: dict

    def to_dict(self) -> dict:
        return jsonable(self.data)


def _pos(name: str, value, allow_zero: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = fa.dec(value, name)
    except ValueError as exc:
        raise UserError(f"--{name.replace('_', '-')}: {exc}") from None
    if d < 0 or (d == 0 and not allow_zero):
        raise UserError(f"--{name.replace('_', '-')}: must be positive, got {value}")
    return d


def _prior(items: list[str] | None) -> list[fa.Prior]:
    """'DATE,TYPE,NEW_SHARES,DISCOUNT_PCT[,MANDATE]' items (discount to that issue's own benchmarked price)."""
    out = []
    for i, text in enumerate(items or [], start=1):
        parts = [p.strip() for p in str(text).split(",")]
        if len(parts) not in (4, 5):
            raise UserError(f"--prior {text!r}: expected DATE,TYPE,NEW_SHARES,DISCOUNT_PCT[,MANDATE]")
        try:
            day = to_date(parts[0])
        except ValueError as exc:
            raise UserError(f"--prior {text!r}: {exc}") from None
        if parts[1] not in fa.TYPES:
            raise UserError(f"--prior {text!r}: type {parts[1]!r} is not one of {', '.join(fa.TYPES)}")
        mandate = parts[4] if len(parts) == 5 else None
        if mandate is not None and mandate not in lo.MANDATES:
            raise UserError(f"--prior {text!r}: mandate {mandate!r} is not general or specific")
        try:
            disc = fa.dec(parts[3], "discount")
        except ValueError as exc:
            raise UserError(f"--prior {text!r}: {exc}") from None
        out.append(fa.Prior(day, parts[1], _pos("prior new shares", parts[2]), disc, mandate, label=f"prior {i}"))
    return out


def followon_calc(store: Store | None = None, *, type: str, price, ratio: str | None = None, last_close=None,
                  avg5=None, avg20=None, turnover20=None, volume20=None, mandate: str | None = None,
                  shares_before=None, new_shares=None, funds=None, holder: str = "other", regime: str | None = None,
                  floor_price=None, announced: str | None = None, prior: list[str] | None = None) -> CalcResult:
    """Figures and rule checks of a proposed offering (``store`` is unused: the calculator reads no ledger)."""
    if type not in fa.TYPES:
        raise UserError(f"--type {type!r}: expected one of {', '.join(fa.TYPES)}")
    p = _pos("price", price)
    if p is None:
        raise UserError("--price: required")
    if mandate is not None and mandate not in lo.MANDATES:
        raise UserError(f"--mandate {mandate!r}: expected general or specific")
    if holder not in lo.HOLDERS:
        raise UserError(f"--holder {holder!r}: expected one of {', '.join(lo.HOLDERS)}")
    r = None
    if ratio is not None:
        try:
            r = fa.parse_ratio(ratio, held_first=(type == "pei_gu"))
        except ValueError as exc:
            raise UserError(f"--ratio: {exc}") from None
    elif type in ("rights", "open_offer", "pei_gu"):
        raise UserError(f"--ratio: required for --type {type}" + (" (held:new, e.g. 10:3)" if type == "pei_gu"
                                                                 else " (new:held, e.g. 1:4)"))
    a20 = _pos("avg20", avg20)
    t20, v20 = _pos("turnover20", turnover20), _pos("volume20", volume20)
    if a20 is None and (t20 is None) != (v20 is None):
        raise UserError("--turnover20 and --volume20 go together (the 20-day average is turnover / volume)")
    if a20 is None and t20 is not None:
        a20 = fa.vwap(t20, v20)
    try:
        day = to_date(announced)
    except ValueError as exc:
        raise UserError(f"--announced: {exc}") from None
    priors = _prior(prior)
    if mandate is None and type in ("placing", "top_up"):
        mandate = "general"  # the calculator's documented default (--mandate); recorded offerings assume nothing
    if priors and day is None:
        raise UserError("--prior needs --announced (the 12-month window ends on it)")
    proposal = fa.Proposal(type=type, price=p, last_close=_pos("last_close", last_close), avg5=_pos("avg5", avg5),
                           avg20=a20, ratio=r, mandate=mandate, shares_before=_pos("shares_before", shares_before),
                           new_shares=_pos("new_shares", new_shares), funds=_pos("funds", funds), holder=holder,
                           regime=regime, floor_price=_pos("floor_price", floor_price), announced=day, prior=priors)
    hk, cn = rules()
    try:
        data = fa.assess(proposal, hk, cn)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    data["rules_version"] = (cn if type in fa.CN_TYPES else hk).get("version")
    return CalcResult(_out(data))


# -- recorded offerings -------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class FollowonsResult(Result):
    """A listing's (or a company's) recorded follow-ons, oldest first, each with its figures and rule checks.
    ``listing`` is the listing asked for (None when a company was named); ``listings`` every listing covered."""
    listing: str | None
    company: str | None
    listings: list[str]
    offerings: list[dict]


def _merged(rows: list[dict]) -> dict:
    """One offering from its rows (strongest source first): each column from the first row that states it, and
    the source of each figure kept."""
    out: dict = {"sources": []}
    for r in rows:
        out["sources"].append({"id": r["source_id"], "title": r["source_title"], "kind": r["source_kind"],
                               "url": r["source_url"], "published": r["source_published"], "doc_ref": r["doc_ref"],
                               "quote": r["quote"]})
        for c in lo.COLUMNS:
            if out.get(c) is None and r.get(c) is not None:
                out[c] = r[c]
                if c in lo.FACT_FIELDS or c in ("floor_price", "last_close", "avg5_close", "avg20_close"):
                    out.setdefault("figure_sources", {})[c] = r["source_id"]
    return out


def _d(v) -> Decimal | None:
    return None if v is None else fa.dec(v)


def _assess_recorded(o: dict, earlier: list[dict]) -> dict:
    ratio = fa.Ratio(_d(o["ratio_new"]), _d(o["ratio_held"])) if o.get("ratio_new") else None
    day = to_date(o["announced"])
    priors = [fa.Prior(to_date(e["announced"]), e["type"], _d(e["new_shares"]), e["_discount"], e.get("mandate"),
                       _d(e.get("shares_before")), label=e["key"]) for e in earlier if e.get("new_shares")]
    p = fa.Proposal(type=o["type"], price=_d(o["price"]), last_close=_d(o.get("last_close")),
                    avg5=_d(o.get("avg5_close")), avg20=_d(o.get("avg20_close")), ratio=ratio,
                    mandate=o.get("mandate"), shares_before=_d(o.get("shares_before")),
                    new_shares=_d(o.get("new_shares")), funds=_d(o.get("funds_gross")),
                    holder=o.get("holder") or "other", floor_price=_d(o.get("floor_price")), announced=day,
                    prior=priors)
    hk, cn = rules()
    return fa.assess(p, hk, cn)


def followons(store: Store, code: str) -> FollowonsResult:
    """The follow-ons of the listing ``code`` names and of its company's other listings (or of every listing of a
    named company), with discounts, dilution and rule checks."""
    from .companies import company

    if not code or not str(code).strip():
        raise UserError("give a listing code or a company name")
    c = company(store, str(code).strip())
    keys = [x["key"] for x in c.listings]
    with store.read() as led:
        try:
            asked = led.resolve_entity(str(code).strip())
        except LookupError:  # a company name that is no listing's alias
            asked = None
        asked = asked if asked in keys else None
        rows = q.offering_rows(led, keys).to_dict("records")
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["key"], []).append(r)
    merged = sorted((_merged(g) for g in groups.values()), key=lambda o: (str(o["announced"]), o["key"]))
    out = []
    for o in merged:
        earlier = [e for e in merged if e["listing"] == o["listing"] and str(e["announced"]) < str(o["announced"])]
        a = _assess_recorded(o, earlier)
        o["_discount"] = a.get("discount_to_benchmark")
        disc_bench = a.get("discount_to_benchmark")
        if o["type"] == "ding_zeng":
            disc_bench = a.get("discount_to_avg20")
        elif o["type"] == "pei_gu":
            disc_bench = a.get("discount_to_last_close")
        out.append({
            "key": o["key"], "listing": o["listing"], "type": o["type"], "announced": o["announced"],
            "priced": o.get("priced"), "completed": o.get("completed"), "price": o["price"],
            "currency": o.get("currency"), "shares": o.get("new_shares"), "shares_before": o.get("shares_before"),
            "funds_gross": o.get("funds_gross"), "funds_net": o.get("funds_net"), "mandate": o.get("mandate"),
            "ratio": a.get("ratio"), "lockup_months": o.get("lockup_months") or a.get("lockup_months"),
            "discount_to_last_close": a.get("discount_to_last_close"), "discount_to_benchmark": disc_bench,
            "benchmark_price": a.get("benchmark_price"), "dilution": a.get("dilution"),
            "pct_existing": a.get("pct_existing"), "pct_enlarged": a.get("pct_enlarged"),
            "terp": a.get("terp"), "ex_rights_price": a.get("ex_rights_price"), "tde": a.get("tde_aggregate"),
            "floor_price": a.get("floor_price"), "price_to_floor_pct": a.get("price_to_floor_pct"),
            "flags": a["flags"], "checks": a["checks"], "source": o["sources"][0]["id"], "sources": o["sources"],
            "missing": [c for c in ("last_close", "shares_before") if o.get(c) is None],
        })
    for o in merged:
        o.pop("_discount", None)
    return FollowonsResult(asked, c.company, keys, _out(out))


# -- recording ----------------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class AddResult(Result):
    file: str
    sources: list[str]
    written: int
    offerings: list[str]


def add_followons(store: Store, path: str, source_title: str | None = None, source_url: str | None = None,
                  publisher: str | None = None, published: str | None = None) -> AddResult:
    """Record the follow-ons of a YAML file (its own ``sources``) or a CSV file (``source_title`` names the source),
    validated completely and written in one transaction; re-adding a source replaces its offerings."""
    try:
        raw, records = lo.read_file(path)
        sources = [Source(**s) for s in raw]
    except lo.OfferingError as exc:
        raise UserError(str(exc)) from None
    except (TypeError, FactError) as exc:
        raise UserError(f"{path} sources: {exc}") from None
    default = None
    if source_title:
        slug = _SLUG.sub("-", source_title.strip().lower()).strip("-") or "untitled"
        try:
            sources.append(Source(f"user:followons:{slug}", "user", source_title, publisher=publisher or "the user",
                                  url=source_url, published=published))
        except ValueError as exc:
            raise UserError(f"source: {exc}") from None
        default = sources[-1].id
    if not sources:
        raise UserError(f"{path}: no source: give --source-title (a CSV file) or a 'sources' list (a YAML file)")
    with store.write() as led:
        for s in sources:
            led.add_source(s)
        try:
            df = lo.prepare(led, records, str(path), default_source=default)
            n = lo.write_offerings(led, df, source_ids=[s.id for s in sources])
            led.add_facts([Fact(**f) for f in lo.fact_rows(df)])
        except (lo.OfferingError, FactError) as exc:
            raise UserError(str(exc)) from None
    return AddResult(str(path), [s.id for s in sources], n, sorted(set(df["key"])))
