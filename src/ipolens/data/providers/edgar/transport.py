"""The live transport: edgartools calls by name, answered as plain JSON-able data (what the fixtures record).
Imported lazily so that the CLI starts without edgartools."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

from ..base import ProviderError, Transport, require_live
from . import constants as C

# the first characters of an S-1/F-1 the price-range reader needs: the cover page and the offering summary
COVER_CHARS = 40_000


def live_transport() -> Transport:
    require_live(C.LIBRARY)
    if not os.environ.get(C.IDENTITY_ENV):
        raise ProviderError(f"the SEC asks every EDGAR client to name itself: set {C.IDENTITY_ENV}='Your Name "
                            "you@example.com' and run again")
    import edgar

    def call(function: str, **kwargs: Any) -> Any:
        if function == C.FILINGS:
            return _filings(edgar, **kwargs)
        if function == C.DOCUMENT:
            return _document(edgar, **kwargs)
        raise ProviderError(f"edgar: no call {function!r}")

    return call


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _filings(edgar, company: str, forms: list[str]) -> dict:
    c = edgar.Company(company)
    df = c.get_filings(form=forms).to_pandas()
    rows = [{k: _iso(v) for k, v in r.items()} for r in df.to_dict("records")]
    return {"name": c.name, "cik": c.cik, "tickers": list(getattr(c, "tickers", None) or []), "filings": rows}


def _document(edgar, accession: str) -> dict:
    filing = edgar.find(accession)
    if filing is None:
        raise ProviderError(f"edgar: no filing {accession}")
    obj = filing.obj()
    out: dict[str, Any] = {"form": filing.form, "filing_date": _iso(filing.filing_date),
                           "accession_no": filing.accession_no, "company": filing.company, "cik": filing.cik}
    uw = getattr(obj, "underwriting", None)
    if uw is not None:
        out["underwriting"] = {"underwriters": [u.name for u in uw.underwriters], "fee_type": uw.fee_type,
                               "overallotment_shares": uw.overallotment_shares, "lock_up_days": uw.lock_up_days}
    if hasattr(obj, "deal"):  # Prospectus424B
        out["kind"] = "prospectus_424b"
        out["cover_page"] = obj.cover_page.model_dump()
        out["deal"] = obj.deal.to_dict()
    else:  # RegistrationS1 (S-1, F-1 and their amendments)
        out["kind"] = "registration"
        out["cover_page"] = obj.cover_page.model_dump()
        out["offering_type"] = getattr(obj.offering_type, "value", None)
        out["total_offering"] = obj.total_offering
        out["cover_text"] = (filing.text() or "")[:COVER_CHARS]
    return out
