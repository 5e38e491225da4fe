"""ipolens.news: read Chinese and English IPO news, extract its numeric claims and check them.

The package works on data (article text, gazetteer frames, candidate ledger facts, an FX table); the use cases that
read and write the ledger live in ``ipolens.app.news``:

    from ipolens.app.news import check_text
    result = check_text(store, "壁仞科技发行价19.6港元,收盘报34.46港元,涨幅75.8%。", market="HK")

Submodules import lazily; ``import ipolens.news`` stays cheap.
"""
from __future__ import annotations

__all__: list[str] = []
