"""Pure readers of HKEXnews documents: the AP/PHIP index feeds as stage events, an allotment-results
announcement (its text) as an ``AllotmentResult``.

Feed dates are DD/MM/YYYY. Each Application Proof submission dates a filing (the first ``a1_filed``, later ones
``a1_refiled``: a renewal continues the application); the first PHIP dates ``phip``. The inactive list gives a
status without a date: a lapse is dated by Rule 9.03 (six months after the last Application Proof), a rejection or
withdrawal by the latest date the record shows, and the quote says so. The listed list gives the stock code.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

from ..base import ProviderError, parse_code_key, to_float
from ..fetching import payload_list
from ..pipeline_models import AllotmentResult, FeedQuery, StageEvent
from . import constants as C
from ....ledger.calendars import add_months
from ....ledger.pipeline_rules import regime_for

__all__ = ["statuses", "feed_events", "hk_date", "allotment", "add_months"]


def _lapse_months() -> int:
    """The HK lapse period of the stage rules (ledger/pipeline_stages.yaml, Rule 9.03 / GEM 12.07): one source."""
    return regime_for("HK").lapse.months


# HKEX appends a stock marker to some applicants' names ("- B" Chapter 18A biotech, "- W" weighted voting rights,
# "- S" secondary listing, "- P" Chapter 18C pre-commercial): kept apart, so the deal is named as the company is
_MARKER = re.compile(r"\s+-\s+([A-Z]{1,3})$")
_ORDINAL = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\s+submission", re.I)
_ZH_ORDINAL = re.compile(r"第([一二三四五六七八九十])次呈交")
_ZH_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


@functools.lru_cache(maxsize=1)
def statuses() -> dict:
    import yaml

    return yaml.safe_load(Path(__file__).with_name("statuses.yaml").read_text(encoding="utf-8"))


def hk_date(text: Any, where: str) -> dt.date | None:
    """A DD/MM/YYYY feed date (None when blank); anything else is a ProviderError naming ``where``."""
    s = str(text or "").strip()
    if not s:
        return None
    try:
        return dt.datetime.strptime(s, "%d/%m/%Y").date()
    except ValueError:
        raise ProviderError(f"{where}: not a DD/MM/YYYY date: {text!r}") from None


def _kind(doc: dict) -> str | None:
    label = f"{doc.get('nF') or ''} {doc.get('nS1') or ''}"
    for kind, words in statuses()["documents"].items():
        if any(w.lower() in label.lower() for w in words):
            return kind
    return None


def _submission(doc: dict) -> int:
    label = str(doc.get("nF") or "")
    m = _ORDINAL.search(label)
    if m:
        return int(m.group(1))
    z = _ZH_ORDINAL.search(label)
    return _ZH_DIGITS[z.group(1)] if z else 1


def _url(path: Any) -> str | None:
    p = str(path or "").strip()
    return None if not p else (p if p.startswith("http") else C.DOC_BASE + p)


def feed_events(payload: Any, query: FeedQuery, where: str = "hkexnews app_feed") \
        -> tuple[list[StageEvent], list[str]]:
    """Stage events of every applicant in one feed, and notes on what could not be read. Returns (events, notes)."""
    table, out, notes = statuses(), [], []
    for i, rec in enumerate(payload_list(payload, "app", where, "{genDate, uDate, app: [...]}"), start=1):
        at = f"{where}: applicant {i}"
        name = str(rec.get("a") or "").strip()
        if not name:
            raise ProviderError(f"{at}: no applicant name ('a')")
        marker = _MARKER.search(name)
        if marker:
            name = name[:marker.start()].strip()
        code = None
        if query.feed == "listed" and rec.get("st"):
            code = str(rec["st"]).strip().zfill(5) + ".HK"
            parse_code_key(code)  # a malformed code is an error here, not a bad key later
        docs = [d for d in (rec.get("ls") or []) + (rec.get("ps") or []) if isinstance(d, dict)]
        firsts: dict[tuple[str, int], tuple[dt.date, dict]] = {}
        for j, d in enumerate(docs, start=1):
            kind, day = _kind(d), hk_date(d.get("d"), f"{at}, document {j}")
            if kind is None or day is None:
                continue
            key = (kind, _submission(d) if kind == "application_proof" else 1)
            if key not in firsts or day < firsts[key][0]:
                firsts[key] = (day, d)
        events = []
        for (kind, n), (day, d) in sorted(firsts.items(), key=lambda kv: (kv[1][0], kv[0][1])):
            stage = "phip" if kind == "phip" else ("a1_filed" if n == 1 else "a1_refiled")
            events.append(StageEvent(name, "HK", stage, day, code, _url(d.get("u1") or d.get("u2")),
                                     f"{(d.get('nF') or d.get('nS1') or kind).strip()} {day.isoformat()}"))
        aps = [day for (kind, _n), (day, _d) in firsts.items() if kind == "application_proof"]
        latest = max([e.date for e in events] + [x for x in [hk_date(rec.get("d"), at)] if x], default=None)
        if query.feed == "inactive":
            stage = table["inactive_status"].get(str(rec.get("s") or "").strip())
            if stage is None:
                notes.append(f"{at} ({name}): unknown status {rec.get('s')!r}; status left out")
            elif stage == "lapsed" and aps:
                day = add_months(max(aps), _lapse_months())
                events.append(StageEvent(name, "HK", "lapsed", day, code, None,
                                         f"lapsed (HKEXnews inactive); date = last AP + {_lapse_months()} months, "
                                         "Rule 9.03"))
            elif latest:
                events.append(StageEvent(name, "HK", stage, latest, code, None,
                                         f"{stage} (HKEXnews inactive list); no date stated: latest record date"))
        elif query.feed == "returned":
            day = hk_date(rec.get("rd"), f"{at}, return date")
            if day:
                events.append(StageEvent(name, "HK", "returned", day, code, None,
                                         f"returned {day.isoformat()} (HKEXnews)"))
        if marker:
            for e in events:
                e.extra["hkex_marker"] = marker.group(1)
        if query.since:
            events = [e for e in events if e.date >= query.since]
        out.extend(events)
    return out, notes


# -- allotment results -----------------------------------------------------------------------------------------------
_NUM = r"([\d,]+(?:\.\d+)?)"
_HKD = r"HK\$\s?" + _NUM
_LABELS = {
    "code": r"Stock code\s*[:：]?\s*(\d{4,5})\b|股份代號\s*[:：]?\s*(\d{4,5})",
    "name": r"Stock short name\s*[:：]?\s*(.+)|股份簡稱\s*[:：]?\s*(.+)",
    "dealings": r"Dealings commencement date\*?\s*[:：]?\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4})",
    "final_price": r"Final Offer Price\s*[:：]?\s*" + _HKD + r"|最終發售價\s*[:：]?\s*" + _HKD,
    "range": r"Offer Price Range\s*[:：]?\s*" + _HKD + r"\s*[-–~至]\s*" + _HKD,
    "gross": r"Gross proceeds\s*[:：]?\s*" + _HKD + r"\s*(million|billion)?",
    "net": r"Net proceeds\s*[:：]?\s*" + _HKD + r"\s*(million|billion)?",
    "valid": r"No\. of valid applications\s*[:：]?\s*" + _NUM + r"|有效申請數目\s*[:：]?\s*" + _NUM,
    "successful": r"No\. of successful applications\s*[:：]?\s*" + _NUM,
    "level": r"Subscription level\s*[:：]?\s*" + _NUM + r"\s*times|認購水平\s*[:：]?\s*" + _NUM + r"\s*倍",
}
# a basis-of-allotment row: shares applied for, valid applications, basis, approximate percentage allotted
_BASIS_ROW = re.compile(r"^\s*" + _NUM + r"\s+" + _NUM + r"\s+(.+?)\s+" + _NUM + r"\s*%\s*$", re.M)
_BALLOT = re.compile(_NUM + r"\s+out\s+of\s+" + _NUM + r"\s+applicants?\s+to\s+receive\s+" + _NUM + r"\s+shares?",
                     re.I)
_FULL = re.compile(_NUM + r"\s+shares?\s*$", re.I)
_SCALE = {None: 1.0, "million": 1e6, "billion": 1e9}


def _find(text: str, label: str) -> re.Match | None:
    return re.search(_LABELS[label], text, re.I)


def _group(m: re.Match | None, *idx: int) -> str | None:
    if m is None:
        return None
    for i in idx or range(1, (m.re.groups or 0) + 1):
        if m.group(i):
            return m.group(i).strip()
    return None


def _money(m: re.Match | None) -> float | None:
    if m is None:
        return None
    return to_float(m.group(1)) * _SCALE[(m.group(2) or "").lower() or None]


def _doc_date(ref: str | None) -> dt.date | None:
    m = re.search(r"/(20\d\d)/(\d\d)(\d\d)/", ref or "")
    return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None


def allotment(text: Any, ref: str | None, where: str = "hkexnews allotment_results") -> AllotmentResult:
    """What the announcement states; a label it does not print stays None. No final offer price: ProviderError."""
    if not isinstance(text, str) or not text.strip():
        raise ProviderError(f"{where}: empty announcement")
    flat = text.replace("\u00a0", " ")
    price = _group(_find(flat, "final_price"))
    if price is None:
        raise ProviderError(f"{where} ({ref}): no 'Final Offer Price' in the announcement; is it an allotment "
                            "results announcement?")
    code = _group(_find(flat, "code"))
    rng = _find(flat, "range")
    res = AllotmentResult(
        name=_group(_find(flat, "name")), code=parse_code_key(code.zfill(5) + ".HK") if code else None,
        final_offer_price=to_float(price), offer_price_low=to_float(rng.group(1)) if rng else None,
        offer_price_high=to_float(rng.group(2)) if rng else None,
        valid_applications=to_float(_group(_find(flat, "valid"))),
        successful_applications=to_float(_group(_find(flat, "successful"))),
        oversubscription_public=to_float(_group(_find(flat, "level"))),
        gross_proceeds=_money(_find(flat, "gross")), net_proceeds=_money(_find(flat, "net")),
        announced=_doc_date(ref), doc_ref=ref)
    dealing = _group(_find(flat, "dealings"))
    if dealing:
        try:
            res.listing_date = dt.datetime.strptime(dealing, "%d %B %Y").date()
        except ValueError:
            raise ProviderError(f"{where}: dealings commencement date {dealing!r} is not a date") from None
    parts = re.split(r"BASIS\s+OF\s+ALLOTMENT", flat, maxsplit=1, flags=re.I)
    basis = parts[1] if len(parts) == 2 else ""
    first = _BASIS_ROW.search(basis) if basis else None
    if first:  # the first row is one board lot
        lot, applicants, rule = to_float(first.group(1)), to_float(first.group(2)), first.group(3)
        res.lot_size, res.one_lot_applications = lot, applicants
        ballot = _BALLOT.search(rule)
        if ballot:
            won, of = to_float(ballot.group(1)), to_float(ballot.group(2))
            res.one_lot_success_rate = won / of * 100 if of else None
        elif _FULL.search(rule) and to_float(_FULL.search(rule).group(1)) == lot:
            res.one_lot_success_rate = 100.0
        res.extra["one_lot_basis"] = rule.strip()
    return res
