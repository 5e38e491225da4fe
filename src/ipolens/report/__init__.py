"""Self-contained HTML reports: ``render_ipo(db, "6082.HK", lang="zh")`` and ``render_market(db, "HK", 2026)``.

Each returns one HTML string with plotly.js and the CSS inline, so the file opens offline.
"""
from __future__ import annotations

__all__ = ["render_ipo", "render_market"]


def render_ipo(db, code: str, lang: str = "en") -> str:
    from .ipo import render_ipo as _render

    return _render(db, code, lang=lang)


def render_market(db, market: str = "HK", year: int | None = None, lang: str = "en") -> str:
    from .market import render_market as _render

    return _render(db, market=market, year=year, lang=lang)
