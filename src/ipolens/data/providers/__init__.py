"""Live data providers: one folder per vendor, each with the same files, behind one three-stage fetcher contract.

See ``base.py`` for the contract, ``fetching.py`` for what every provider's fetchers share, ``models.py`` for
the standard models and ``docs/live.md`` for the commands.
Nothing here imports a vendor library, pandas or DuckDB at import time.
"""
from __future__ import annotations

import importlib

__all__ = ["FETCHERS", "fetcher_class"]

# name -> "module:Class"; every fetcher is listed here and has a conformance test on a recorded fixture
FETCHERS = {
    "akshare.hk_profile": "akshare.fetchers:HkProfileFetcher",
    "akshare.hk_history": "akshare.fetchers:HkHistoryFetcher",
    "akshare.a_history": "akshare.fetchers:AShareHistoryFetcher",
    "akshare.new_issues": "akshare.fetchers:NewIssueFetcher",
    "akshare.hk_new_issues": "akshare.fetchers:HkNewIssueFetcher",
    "akshare.lockups": "akshare.fetchers:LockupFetcher",
    "yfinance.history": "yfinance.fetchers:HistoryFetcher",
    "yfinance.ipo_calendar": "yfinance.fetchers:IpoCalendarFetcher",
    "fx.yahoo": "fx.fetchers:FxFetcher",
    # pipeline (issue 14): conformance cases in tests/test_providers_pipeline.py (PIPELINE_CASES)
    "akshare.register": "akshare.pipeline:RegisterFetcher",
    "akshare.review": "akshare.pipeline:ReviewFetcher",
    "akshare.new_share_calendar": "akshare.pipeline:NewShareCalendarFetcher",
    "edgar.filings": "edgar.fetchers:FilingHistoryFetcher",
    "edgar.offer_terms": "edgar.fetchers:OfferTermsFetcher",
    "hkexnews.applications": "hkexnews.fetchers:ApplicationsFetcher",
    "hkexnews.allotment": "hkexnews.fetchers:AllotmentResultsFetcher",
}


def fetcher_class(name: str):
    """The fetcher class registered as ``name`` (imported on demand)."""
    try:
        target = FETCHERS[name]
    except KeyError:
        import difflib

        hint = difflib.get_close_matches(name, FETCHERS, n=1)
        raise KeyError(f"no fetcher {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")) from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
