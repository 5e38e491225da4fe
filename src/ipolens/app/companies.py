"""Use cases: companies and the listings they link (``ipolens company``, ``link``, ``unlink``, the profile's company
section, ``Database.company``, ``GET /api/company/{name}``).

Which company a listing belongs to, in order:
1. a link row (``ledger.companies``): ``ipolens link``, an import's ``company`` / ``a_share_code`` /
   ``h_share_code`` column; the user's own links win, then the newest row. A row without a company (``unlink``)
   detaches the listing.
2. what the ledger's facts say, nothing more: listings whose sources give the same legal name (its class suffix
   such as ``- H shares`` aside), or the same English *and* Chinese name, are one company (the 2018-22 dataset's
   GEM-to-Main-Board transfers). A reused code is not a relisting of one company unless its names say so.
3. else the listing stands alone.
Share class and role come from the link row, else from what is stated: ``- H shares`` in the legal name; an SH/SZ
code is an A share (B share for 900xxx/200xxx); an HK listing of a company with an A listing is its H share; the
HKEX short-name marker ``-S``/``-SW``/``-SB`` is a secondary listing. Nothing is guessed beyond that.
The H-share discount to the A share is computed on the H listing date from prices the ledger holds and the dated FX
table, with every input named; where one is missing the reason is given instead.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analytics.fx import FxMissing, FxTable, find_rate
from ..ledger import companies as lc
from ..ledger.access import Store
from ..ledger.codes import split_listing
from ..ledger.markets import UnknownMarket, market as market_info
from ..ledger.model import Entity, Source
from ..ledger.queries import companies as q
from ..ledger.queries.fx import fx_rates
from ..ledger.store import EntityNotFound, Ledger, normalise_alias
from .base import Refused, Result, UserError

__all__ = ["CompanyResult", "AmbiguousCompany", "company", "company_frame", "company_section", "link", "unlink",
           "LINK_SOURCE"]

LINK_SOURCE = Source(lc.MANUAL_SOURCE, "user", "Company links made with ipolens link / unlink", publisher="the user",
                     note="one row per listing: the company it belongs to (none after unlink)")
_H_SHARES = re.compile(r"-\s*h\s*shares?\b", re.IGNORECASE)
_SECONDARY = re.compile(r"-S[BW]?$")  # HKEX short-name marker of a secondary listing, after NFKC and upper-casing
_A_PLUS_H = re.compile(r"\bA\s*\+\s*H\b", re.IGNORECASE)
DISCOUNT_FORMULA = "(1 - H price x {pair} / A close) x 100"


class AmbiguousCompany(EntityNotFound):
    """A name that matches several companies; ``choices`` are their keys."""

    def __init__(self, message: str, choices: list[str]):
        super().__init__(message)
        self.choices = choices


@dataclass
class CompanyResult(Result):
    """A company and its listings (oldest first). ``company`` is None for a listing that belongs to no company with
    other listings; ``basis`` says where the grouping comes from. ``not_in_ledger``: listings a source says exist but
    the ledger lacks; ``ah_discount``: the H share against the A share on the H listing date."""
    company: str | None
    name_en: str | None
    name_zh: str | None
    basis: str
    listings: list[dict[str, Any]] = field(default_factory=list)
    not_in_ledger: list[str] = field(default_factory=list)
    ah_discount: list[dict[str, Any]] = field(default_factory=list)


# -- who belongs to which company -------------------------------------------------------------------------------------
def _norm(text) -> str:
    return normalise_alias(str(text)) if text else ""


def _legal_base(legal: str | None) -> str:
    """'Montage Technology Co., Ltd. - H shares' -> 'Montage Technology Co., Ltd.'"""
    return _H_SHARES.split(legal, 1)[0].strip(" -") if legal else ""


def _stated_class(r: dict) -> tuple[str | None, str | None]:
    for what in ("legal_name", "name_en"):  # a dataset's name column may hold the legal name of the class
        if r.get(what) and _H_SHARES.search(r[what]):
            return "H", f"{what.replace('_', ' ')} {r[what]!r} ({r.get(what + '_source')})"
    prefix, _, code = str(r["key"]).partition(":")
    if prefix in ("SH", "SZ"):
        if code.startswith(("900", "200")):
            return "B", f"{prefix} code {code[:6]} (B-share range)"
        return "A", f"{prefix} code (A share)"
    return None, None


def _stated_role(r: dict) -> tuple[str | None, str | None]:
    if str(r["key"]).startswith("HK:"):
        for name, src in ((r["name_en"], r["name_en_source"]), (r["name_zh"], r["name_zh_source"])):
            short = unicodedata.normalize("NFKC", str(name or "")).upper().replace("—", "-").strip()
            if _SECONDARY.search(short):
                return "secondary", f"HKEX short name {name!r} ends in the secondary-listing marker" + (
                    f" ({src})" if src else "")
    return None, None


class _Groups:
    """Every listing's company as the ledger states it (links, then facts), read once per use case."""

    def __init__(self, led: Ledger):
        self.rows = {r["key"]: r for r in q.listing_names(led).to_dict("records")}
        self.links = {r["listing"]: r for r in q.link_rows(led).to_dict("records")}
        self.entities = {r["key"]: r for r in q.company_entities(led).to_dict("records")}
        self.implied, self.implied_basis = self._implied()

    def _implied(self) -> tuple[dict[str, str], dict[str, str]]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        why: dict[tuple, str] = {}
        keys: dict[tuple, list[str]] = {}
        for k, r in self.rows.items():
            if r["legal_name"]:
                t = ("legal", _norm(_legal_base(r["legal_name"])))
                keys.setdefault(t, []).append(k)
                why[t] = f"same legal name {_legal_base(r['legal_name'])!r} ({r['legal_name_source']})"
            if r["name_en"] and r["name_zh"]:
                t = ("names", _norm(r["name_en"]), _norm(r["name_zh"]))
                keys.setdefault(t, []).append(k)
                srcs = sorted({s for s in (r["name_en_source"], r["name_zh_source"]) if s})
                why[t] = (f"same English and Chinese name {r['name_en']!r} / {r['name_zh']!r}"
                          + (f" ({', '.join(srcs)})" if srcs else ""))
        for t, members in keys.items():
            if len(members) > 1 and all(t[1:]):
                for m in members[1:]:
                    parent[find(m)] = find(members[0])
        groups: dict[str, list[str]] = {}
        for k in list(parent):
            groups.setdefault(find(k), []).append(k)
        out, out_basis = {}, {}
        for members in groups.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda k: (self.rows[k]["listing_date"] or "9999", k))
            first = self.rows[members[0]]
            ck = lc.company_key(_legal_base(first["legal_name"]) or first["name_en"] or first["name_zh"])
            if ck in out_basis:  # two groups of one name (different Chinese names): keep them apart
                ck = f"{ck}-{members[0].split(':', 1)[1].lower()}"
            reasons = sorted({why[t] for t, ms in keys.items() if len(ms) > 1 and set(ms) <= set(members)})
            for m in members:
                out[m] = ck
            out_basis[ck] = "; ".join(reasons)
        return out, out_basis

    def company_of(self, listing: str) -> str | None:
        link = self.links.get(listing)
        if link is not None:
            return link["company"]
        return self.implied.get(listing)

    def members(self, ck: str) -> list[str]:
        out = {k for k, r in self.links.items() if r["company"] == ck}
        out |= {k for k, c in self.implied.items() if c == ck and k not in self.links}
        return sorted(out, key=lambda k: ((self.rows.get(k) or {}).get("listing_date") or "9999", k))

    def known(self, ck: str) -> bool:
        return ck in self.entities or ck in self.implied_basis or any(r["company"] == ck for r in self.links.values())

    def listing(self, key: str, partners: list[str]) -> dict:
        r = self.rows.get(key) or {"key": key, "code": None, "market": None, "name_en": None, "name_zh": None,
                                   "legal_name": None, "legal_name_source": None, "route": None,
                                   "listing_date": None, "name_en_source": None, "name_zh_source": None}
        link = self.links.get(key) or {}
        cls, cls_basis = (link.get("share_class"), "link") if link.get("share_class") else _stated_class(r)
        if cls is None and key.startswith("HK:") and any(_stated_class(self.rows.get(p) or {"key": p})[0] == "A"
                                                        for p in partners):
            cls, cls_basis = "H", "HK listing of a company with an A-share listing"
        role, role_basis = (link.get("role"), "link") if link.get("role") else _stated_role(r)
        if link:
            basis = f"{'linked' if link['company'] else 'detached'} by {link['source_title'] or link['source_id']}" + (
                f": {link['note']}" if link.get("note") else "")
        elif key in self.implied:
            basis = self.implied_basis[self.implied[key]]
        else:
            basis = "the only listing the ledger links to this company"
        return {"key": key, "code": r["code"], "market": r["market"], "name_en": r["name_en"],
                "name_zh": r["name_zh"], "legal_name": r["legal_name"], "listing_date": r["listing_date"],
                "share_class": cls, "share_class_basis": cls_basis, "role": role, "role_basis": role_basis,
                "basis": basis, "source": link.get("source_id")}


# -- reading ----------------------------------------------------------------------------------------------------------
def company(store: Store, text: str) -> CompanyResult:
    """The company ``text`` names (a company name or key, or any listing's code or name) with its listings."""
    if not text or not str(text).strip():
        raise UserError("give a company name or a listing code")
    with store.read() as led:
        g = _Groups(led)
        ck, listing = _find(led, g, str(text).strip())
        return _result(led, g, ck, listing)


def company_frame(result: CompanyResult) -> pd.DataFrame:
    """The listings of a company result as a DataFrame (``Database.company``), the company in every row."""
    df = pd.DataFrame(result.listings)
    df.insert(0, "company", result.company)
    return df


def _company_names(g: _Groups, ck: str) -> tuple[str | None, str | None]:
    e = g.entities.get(ck)
    if e and (e["name_en"] or e["name_zh"]):
        return e["name_en"], e["name_zh"]
    members = [g.rows[k] for k in g.members(ck) if k in g.rows]
    legal = next((_legal_base(r["legal_name"]) for r in members if r["legal_name"]), None)
    return (legal or next((r["name_en"] for r in members if r["name_en"]), None),
            next((r["name_zh"] for r in members if r["name_zh"]), None))


def _find(led: Ledger, g: _Groups, text: str) -> tuple[str | None, str | None]:
    """(company key, None) or (None, listing key) for a listing that belongs to no company."""
    if text.upper().startswith("CO:") and g.known(text):
        return text, None
    alias = _norm(text)
    hits = set(q.company_alias_hits(led, alias, exact_only=True)) if alias else set()
    if not hits and alias and not q.listing_alias_hits(led, alias, exact_only=True):
        hits = set(q.company_alias_hits(led, alias))  # a prefix of a company's name only when no name is exact
    for ck in set(g.implied.values()) - set(g.entities):
        if alias and alias in {_norm(n) for n in _company_names(g, ck) if n}:
            hits.add(ck)
    hits = {h for h in hits if g.known(h) or h in g.entities}
    if len(hits) > 1:
        choices = sorted(hits)
        shown = ", ".join(f"{ck} {' / '.join(n for n in _company_names(g, ck) if n) or ''} "
                          f"({', '.join(g.members(ck)) or 'no listing in the ledger'})".replace("  ", " ")
                          for ck in choices)
        raise AmbiguousCompany(f"{text!r} is ambiguous: it matches {len(choices)} companies: {shown}. Give the "
                               "company key (CO:...) or a listing code", choices)
    if hits:
        return hits.pop(), None
    if alias and split_listing(text)[1] is None:
        # a listing name: several listings of one company are that company; of several companies, ambiguous
        found = q.listing_alias_hits(led, alias)
        owners = sorted({g.company_of(k) or k for k in found})
        if len(owners) == 1 and owners[0].startswith("CO:"):
            return owners[0], None
        if len(owners) > 1:
            shown = ", ".join(f"{o} {' / '.join(n for n in _company_names(g, o) if n)} ({', '.join(g.members(o))})"
                              if o.startswith("CO:") else f"{o} {_listing_label(g, o)}" for o in owners[:8])
            raise AmbiguousCompany(f"{text!r} is ambiguous: it matches {len(owners)} companies: {shown}. Give the "
                                   "company key (CO:...) or a listing code", owners)
    key = led.resolve_entity(text)  # a listing code or name (a reused code asks which listing)
    ent = led.entity(key) or {}
    if ent.get("kind") == "company":
        return key, None
    if ent.get("kind") != "listing":
        raise EntityNotFound(f"{text!r} ({key}) is neither a company nor a listing")
    ck = g.company_of(key)
    return (ck, None) if ck else (None, key)


def _listing_label(g: _Groups, key: str) -> str:
    r = g.rows.get(key) or {}
    return " ".join(str(x) for x in (r.get("name_en") or r.get("name_zh"),
                                     f"(listed {r['listing_date']})" if r.get("listing_date") else None) if x)


def _result(led: Ledger, g: _Groups, ck: str | None, listing: str | None) -> CompanyResult:
    keys = g.members(ck) if ck else [listing]
    listings = [g.listing(k, [p for p in keys if p != k]) for k in keys]
    name_en, name_zh = _company_names(g, ck) if ck else (listings[0]["name_en"], listings[0]["name_zh"])
    if ck is None:
        basis = "no source links this listing to another"
    elif ck in g.entities and not g.implied_basis.get(ck):
        basis = "; ".join(sorted({x["basis"] for x in listings})) or "a company in the ledger with no listing"
    else:
        basis = g.implied_basis.get(ck) or "; ".join(sorted({x["basis"] for x in listings}))
    return CompanyResult(ck, name_en, name_zh, basis, listings, _not_in_ledger(g, listings),
                         _discounts(led, listings))


def _not_in_ledger(g: _Groups, listings: list[dict]) -> list[str]:
    out = []
    classes = {x["share_class"] for x in listings}
    for x in listings:
        r = g.rows.get(x["key"]) or {}
        if r.get("route") and _A_PLUS_H.search(str(r["route"])) and "A" not in classes:
            out.append(f"A shares: the listing route {r['route']!r} of {x['code'] or x['key']} "
                       f"({r.get('route_source')}) says the issuer has A shares; their listing is not in the ledger")
        if x["role"] == "secondary" and not any(y["role"] == "primary" or (y["role"] is None and y is not x)
                                                for y in listings):
            out.append(f"primary listing: {x['code'] or x['key']} is a secondary listing ({x['role_basis']}); "
                       "the primary listing is not in the ledger")
    return out


def company_section(led: Ledger, key: str) -> dict:
    """The profile's company section for listing ``key``: its company, share class, the other listings and the
    A/H discount; empty when nothing is known beyond the listing itself."""
    g = _Groups(led)
    if g.known(key) or key in g.entities:  # the profile of a company entity: all its listings are "other"
        res = _result(led, g, key, None)
        return {"company": key, "name_en": res.name_en, "name_zh": res.name_zh, "basis": res.basis,
                "share_class": None, "share_class_basis": None, "role": None, "role_basis": None,
                "other_listings": res.listings, "not_in_ledger": res.not_in_ledger, "ah_discount": res.ah_discount}
    ck = g.company_of(key)
    res = _result(led, g, ck, None if ck else key)
    me = next((x for x in res.listings if x["key"] == key), None) or g.listing(key, [])
    others = [x for x in res.listings if x["key"] != key]
    if not (ck or others or res.not_in_ledger or me["share_class"] or me["role"]):
        return {}
    return {"company": ck, "name_en": res.name_en, "name_zh": res.name_zh, "basis": res.basis,
            "share_class": me["share_class"], "share_class_basis": me["share_class_basis"], "role": me["role"],
            "role_basis": me["role_basis"], "other_listings": others, "not_in_ledger": res.not_in_ledger,
            "ah_discount": res.ah_discount}


# -- the A/H discount -------------------------------------------------------------------------------------------------
def _currency(key: str) -> str | None:
    try:
        return market_info({"SH": "SH", "SZ": "SZ", "HK": "HK", "US": "NASDAQ"}[key.split(":", 1)[0]]).currency
    except (KeyError, UnknownMarket):
        return None


def _discounts(led: Ledger, listings: list[dict]) -> list[dict]:
    hs = [x for x in listings if x["share_class"] == "H"]
    a_shares = [x for x in listings if x["share_class"] == "A"]
    if not (hs and a_shares):
        return []
    fx = FxTable(fx_rates(led))
    return [_discount(led, fx, h, a) for h in hs for a in a_shares]


def _discount(led: Ledger, fx: FxTable, h: dict, a: dict) -> dict:
    out: dict[str, Any] = {"h_listing": h["key"], "a_listing": a["key"], "date": h["listing_date"]}
    day = h["listing_date"]
    if not day:
        return {**out, "missing": "the H listing has no listing date"}
    a_close = q.close_on(led, a["key"], day)
    if a_close is None:
        return {**out, "missing": f"no close of {a['code'] or a['key']} on {day} in the prices table (import its "
                                  "daily prices, or the A share did not trade that day)"}
    a_ccy = _currency(a["key"]) or "CNY"
    out["a_close"] = {"value": a_close["close"], "currency": a_ccy, "source": a_close["source_id"],
                      "basis": "prices table"}
    facts = q.best_values(led, h["key"], ("close_price", "offer_price"))
    h_ccy = _currency(h["key"]) or "HKD"
    h_close = q.close_on(led, h["key"], day)
    if h_close is not None:
        out["h_close"] = {"value": h_close["close"], "currency": h_ccy, "source": h_close["source_id"],
                          "basis": "prices table"}
    elif facts.get("close_price") and (facts["close_price"]["as_of"] or day)[:10] == day:
        out["h_close"] = {**facts["close_price"], "basis": "stated first-day close"}
    if facts.get("offer_price"):
        out["h_offer"] = {**facts["offer_price"], "basis": "stated offer price"}
    priced = [k for k in ("h_close", "h_offer") if k in out]
    if not priced:
        return {**out, "missing": f"no H-share close on {day} and no offer price in the ledger"}
    for k in priced:
        ccy = out[k].get("currency") or h_ccy
        try:
            rate = find_rate(fx, ccy, a_ccy, dt.date.fromisoformat(day))
        except FxMissing as exc:
            out[f"{k[2:]}_discount_pct"] = None
            out.setdefault("missing", f"{ccy}->{a_ccy}: {exc}")
            continue
        out["fx"] = {"pair": f"{rate.base}/{rate.quote}", "rate": rate.rate, "date": rate.date.isoformat(),
                     "source": rate.source_id, "via": rate.via}
        out[f"{k[2:]}_discount_pct"] = (1 - out[k]["value"] * rate.rate / a_close["close"]) * 100
    out["formula"] = DISCOUNT_FORMULA.format(pair=out["fx"]["pair"] if "fx" in out else "FX")
    out["note"] = "positive: the H share is cheaper than the A share; offer_discount uses the H offer price"
    return out


# -- writing ----------------------------------------------------------------------------------------------------------
def _listing_key(led: Ledger, text: str) -> str:
    key = led.resolve_entity(text)
    if (led.entity(key) or {}).get("kind") != "listing":
        raise UserError(f"{text!r} ({key}) is not a listing; link and unlink take listing codes")
    return key


def _classes(spec: str | None, n: int) -> list[str | None]:
    if not spec:
        return [None] * n
    parts = [p.strip() for p in str(spec).split(",")]
    if len(parts) != n:
        raise UserError(f"--classes gives {len(parts)} share classes for {n} listings (one each, comma-separated)")
    canon = {c.lower(): c for c in lc.SHARE_CLASSES}
    bad = [p for p in parts if p.lower() not in canon]
    if bad:
        raise UserError(f"unknown share class {bad[0]!r}; expected one of {', '.join(lc.SHARE_CLASSES)}")
    return [canon[p.lower()] for p in parts]


def link(store: Store, first: str, second: str, company_name: str | None = None,
         classes: str | None = None) -> CompanyResult:
    """Say that two listings are one company's (``ipolens link A B [--company NAME]``). The company is the one
    ``NAME`` names (a new one if none does), else the company either listing already has, else a new one named
    after the first listing. Two listings already in different companies need ``--company``."""
    with store.read() as led:
        a, b = _listing_key(led, first), _listing_key(led, second)
        if a == b:
            raise UserError(f"{first!r} and {second!r} are the same listing ({a})")
        g = _Groups(led)
        new: Entity | None = None
        if company_name and company_name.strip():
            hits = q.company_alias_hits(led, _norm(company_name), exact_only=True)  # a new name is a new company
            if len(hits) > 1:
                raise AmbiguousCompany(f"--company {company_name!r} is ambiguous: {', '.join(hits)}; give the key",
                                       hits)
            ck = hits[0] if hits else (company_name.strip() if company_name.upper().startswith("CO:") and
                                       g.known(company_name.strip()) else None)
            if ck is None:
                ck = lc.company_key(company_name)
                latin = bool(re.search(r"[A-Za-z]", company_name))
                new = Entity(ck, "company", name_en=company_name.strip() if latin else None,
                             name_zh=None if latin else company_name.strip())
        else:
            have = {c for c in (g.company_of(a), g.company_of(b)) if c}
            if len(have) > 1:
                raise Refused(f"{a} is in {g.company_of(a)} and {b} in {g.company_of(b)}; give --company NAME to "
                              "say which company both belong to")
            ck = have.pop() if have else None
            if ck is None:
                r = g.rows.get(a) or {}
                name = _legal_base(r.get("legal_name")) or r.get("name_en") or r.get("name_zh") or a
                ck = lc.company_key(name)
        if ck not in g.entities and new is None:
            en, zh = _company_names(g, ck) if g.known(ck) else (None, None)
            r = g.rows.get(a) or {}
            new = Entity(ck, "company", name_en=en or _legal_base(r.get("legal_name")) or r.get("name_en"),
                         name_zh=zh or r.get("name_zh"))
    cls = _classes(classes, 2)
    rows = [{"listing": k, "company": ck, "share_class": c, "role": None, "source_id": LINK_SOURCE.id,
             "note": f"ipolens link {first} {second}"} for k, c in zip((a, b), cls)]
    with store.write() as led:
        led.add_source(LINK_SOURCE)
        if new is not None:
            led.add_entities([new])
        lc.add_links(led, rows)
    return company(store, a)


def unlink(store: Store, listing: str) -> CompanyResult:
    """Detach a listing from its company (``ipolens unlink LISTING``): it then stands alone, whatever the facts
    imply, until a later ``link``."""
    with store.read() as led:
        key = _listing_key(led, listing)
        g = _Groups(led)
        ck = g.company_of(key)
        if ck is None:
            raise Refused(f"{listing!r} ({key}) belongs to no company with other listings; nothing to unlink")
    with store.write() as led:
        led.add_source(LINK_SOURCE)
        lc.add_links(led, [{"listing": key, "company": None, "share_class": None, "role": None,
                            "source_id": LINK_SOURCE.id, "note": f"ipolens unlink {listing} (was in {ck})"}])
    return company(store, key)
