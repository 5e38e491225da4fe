"""HKEXnews fetchers: the AP/PHIP index (one feed per status) as HK stage events; an allotment-results
announcement as an ``AllotmentResult``."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..base import _OVERRIDES, ProviderError, Transport, parse_code_key, require_param, to_date
from ..fetching import ProviderFetcher
from ..pipeline_models import AllotmentResult, DocumentQuery, FeedQuery, StageEvent
from . import constants as C
from . import parse
from .transport import live_transport

__all__ = ["ApplicationsFetcher", "AllotmentResultsFetcher"]


class _HkexFetcher(ProviderFetcher, constants=C, live=live_transport):
    """The HKEXnews fetchers' base: one rate limit for all of them."""


class ApplicationsFetcher(_HkexFetcher):
    """appactive / appactive_appphip / appinactive / applisted / appreturned feeds of one board: every
    applicant's Application Proof submissions, PHIP, and the list's status (lapsed, rejected, withdrawn, returned;
    the listed list gives the stock code)."""

    model = StageEvent
    function = C.APPLICATIONS
    doc_url = C.APP_INDEX_DOC

    def transform_query(self, params: Mapping[str, Any]) -> FeedQuery:
        feed = str(params.get("feed") or "active").strip().lower()
        board = str(params.get("board") or "sehk").strip().lower()
        if feed not in C.FEEDS:
            raise ProviderError(f"unknown HKEXnews feed {feed!r}; expected one of {', '.join(C.FEEDS)}")
        if board not in C.BOARDS:
            raise ProviderError(f"unknown HKEX board {board!r}; expected {' or '.join(C.BOARDS)}")
        return FeedQuery(feed, board, to_date(params.get("since")))

    def request(self, query: FeedQuery) -> dict[str, Any]:
        return {"feed": query.feed, "board": query.board}

    def subject(self, query: FeedQuery) -> str:
        return f"{query.board} {query.feed} applications"

    def transform_data(self, query: FeedQuery, raw: Any) -> list[StageEvent]:
        events, self.notes = parse.feed_events(raw, query, where=f"hkexnews {query.board} {query.feed} feed")
        return events


class AllotmentResultsFetcher(_HkexFetcher):
    """An allotment-results announcement (HKEXnews URL, or a saved text/HTML/PDF file): final offer price, range,
    valid applications, subscription level, proceeds, board lot and the one-lot success rate."""

    model = AllotmentResult
    function = C.ALLOTMENT
    doc_url = C.ALLOTMENT_DOC

    @property
    def transport(self) -> Transport:
        # a saved file needs no network: skip the probe the base class makes before live calls
        ref = getattr(self, "_ref", None)
        if self._transport is None and C.PROVIDER not in _OVERRIDES and ref and Path(ref).exists():
            return live_transport()
        return super().transport

    def transform_query(self, params: Mapping[str, Any]) -> DocumentQuery:
        ref = str(require_param(params, "ref", "hkexnews allotment results")).strip()
        if not (ref.startswith("https://") or Path(ref).exists()):
            raise ProviderError(f"{ref}: neither an https:// URL nor a file")
        self._ref = ref
        return DocumentQuery(ref, params.get("deal"), "HK", params.get("code"))

    def request(self, query: DocumentQuery) -> dict[str, Any]:
        return {"ref": query.ref}

    def subject(self, query: DocumentQuery) -> str:
        return query.ref

    def transform_data(self, query: DocumentQuery, raw: Any) -> list[AllotmentResult]:
        res = parse.allotment(raw, query.ref, where=f"hkexnews {self.function}")
        if query.deal and not res.name:
            res.name = str(query.deal)
        if query.code and res.code is None:
            res.code = parse_code_key(str(query.code))
        return [res]
