"""Self-contained HTML reports: each page is one HTML string with plotly.js and the CSS inline, so the file opens
offline. The data comes from ``ipolens.app.report``; this package only renders it.

``ipo_report(store, "6082.HK", lang="zh-Hant")`` and ``market_report(store, "HK", 2026)`` return a ``ReportResult``
(html, suggested file name): the CLI writes it to a file, ``GET /report/{code}`` serves it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app loads when a report is made: `ipolens.report.terminal` must stay cheap to import
    from ..app.report import ReportResult
    from ..app.store import Store

__all__ = ["ipo_report", "market_report", "render_ipo", "render_market"]


def render_ipo(data) -> str:
    from .ipo import render_ipo as _render

    return _render(data)


def render_market(data, pipeline: dict | None = None) -> str:
    from .market import render_market as _render

    return _render(data, pipeline)


def ipo_report(store: "Store", code: str, lang: str | None = None) -> "ReportResult":
    """``lang``: en, zh-Hans, zh-Hant (or zh); None: the current language (--lang, IPOLENS_LANG, the locale)."""
    from ..app.report import ReportResult, ipo_report_data

    data = ipo_report_data(store, code, lang)
    return ReportResult(html=render_ipo(data), file_name=data.file_name)


def market_report(store: "Store", market: str = "HK", year: int | None = None,
                  lang: str | None = None) -> "ReportResult":
    from ..app.report import ReportResult, market_report_data

    from .pipeline import pipeline_section_data

    data = market_report_data(store, market, year, lang)
    return ReportResult(html=render_market(data, pipeline_section_data(store, data.market)), file_name=data.file_name)
