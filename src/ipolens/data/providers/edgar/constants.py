"""EDGAR calls ipolens makes through edgartools: the transport function names, documented outputs, host."""
from __future__ import annotations

PROVIDER = "edgar"
LIBRARY = "edgar"  # the import name of the edgartools package (pip install edgartools)
PACKAGE = "edgartools"

# transport functions (edgar/transport.py): what each returns is recorded as JSON in tests/fixtures/providers/edgar
FILINGS = "company_filings"  # Company(id).get_filings(form=[...]).to_pandas() + the registrant's name, CIK, tickers
# the frame's columns: COMPANY_FILINGS_SCHEMA in edgartools 5.62.1 edgar/entity/filings.py
FILINGS_DOC = "https://github.com/dgunning/edgartools/blob/main/edgar/entity/filings.py"
DOCUMENT = "offering_document"  # find(accession).obj(): RegistrationS1 (S-1/F-1 and /A) or Prospectus424B (.deal)
# Deal.to_dict(), CoverPageData, S1CoverPage, UnderwritingInfo: edgartools 5.62.1 edgar/offerings/prospectus/
DOCUMENT_DOC = "https://github.com/dgunning/edgartools/blob/main/edgar/offerings/prospectus/deal.py"

HOST = "www.sec.gov"
# SEC fair-access policy: at most 10 requests per second; one edgartools call may make several.
MIN_INTERVAL_S = 0.2
# SEC requires a User-Agent naming the requester; edgartools reads it from this variable.
IDENTITY_ENV = "EDGAR_IDENTITY"

ARCHIVES = "https://www.sec.gov/Archives/edgar/data"
