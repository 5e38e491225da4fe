"""EDGAR fetchers (edgartools): a registrant's filing history as pipeline stages, an offering document's terms."""
from __future__ import annotations

from typing import Any, Mapping

from ..base import LiveExtraMissing, ProviderError, Transport, require_param, to_date
from ..fetching import ProviderFetcher
from ..pipeline_models import DocumentQuery, FilingsQuery, OfferTerms, StageEvent
from . import constants as C
from . import parse
from .transport import live_transport

__all__ = ["FilingHistoryFetcher", "OfferTermsFetcher", "US_FORMS"]


def US_FORMS() -> list[str]:  # noqa: N802 - a table read from forms.yaml
    table = parse.forms()
    return sorted(set(table["forms"]) | set(table["certifications"]))


def _market(value: Any, who: str, required: bool) -> str | None:
    if value is None or not str(value).strip():
        if required:
            raise ProviderError(f"{who}: the 'market' parameter is required ({' or '.join(parse.US_MARKETS)})")
        return None
    m = str(value).strip().upper()
    if m not in parse.US_MARKETS:
        raise ProviderError(f"{who}: market must be {' or '.join(parse.US_MARKETS)}, not {value!r}")
    return m


class _EdgarFetcher(ProviderFetcher, constants=C, live=live_transport):
    @property
    def transport(self) -> Transport:
        try:
            return super().transport
        except LiveExtraMissing:  # name the package to install (edgartools), not its import name (edgar)
            raise LiveExtraMissing(C.PACKAGE) from None


class FilingHistoryFetcher(_EdgarFetcher):
    """Company(ticker or CIK).get_filings(form=DRS, S-1, F-1, amendments, EFFECT, 424B4, RW, CERTNAS/CERTNYS):
    each form dated as a stage of the IPO (forms.yaml), with its accession number as the document reference."""

    model = StageEvent
    function = C.FILINGS
    doc_url = C.FILINGS_DOC

    def transform_query(self, params: Mapping[str, Any]) -> FilingsQuery:
        company = str(require_param(params, "company", "edgar filings")).strip()
        return FilingsQuery(company, _market(params.get("market"), "edgar filings", False),
                            (str(params["deal"]).strip() if params.get("deal") else None), to_date(params.get("since")))

    def request(self, query: FilingsQuery) -> dict[str, Any]:
        return {"company": query.company, "forms": US_FORMS()}

    def subject(self, query: FilingsQuery) -> str:
        return query.company

    def transform_data(self, query: FilingsQuery, raw: Any) -> list[StageEvent]:
        events, notes = parse.history_events(raw, query, where=f"edgar {self.function}")
        self.notes = notes
        return events


class OfferTermsFetcher(_EdgarFetcher):
    """find(accession).obj(): an S-1/F-1 (or amendment) gives the price range and shares its cover states and the
    fee table's maximum; a 424B4 gives edgartools' ``Deal`` (price, shares, gross and net proceeds) and the
    underwriters."""

    model = OfferTerms
    function = C.DOCUMENT
    doc_url = C.DOCUMENT_DOC

    def transform_query(self, params: Mapping[str, Any]) -> DocumentQuery:
        ref = parse.check_accession(require_param(params, "accession", "edgar offering document"))
        return DocumentQuery(ref, (str(params["deal"]).strip() if params.get("deal") else None),
                             _market(params.get("market"), "edgar offering document", True),
                             (str(params["code"]).strip() if params.get("code") else None))

    def request(self, query: DocumentQuery) -> dict[str, Any]:
        return {"accession": query.ref}

    def subject(self, query: DocumentQuery) -> str:
        return query.ref

    def transform_data(self, query: DocumentQuery, raw: Any) -> list[OfferTerms]:
        return [parse.offer_terms(raw, query, where=f"edgar {self.function}")]
