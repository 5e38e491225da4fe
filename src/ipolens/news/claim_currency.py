"""The outlet's market (HK, CN, US, TW) and a figure's currency: what a bare 元 or $ means, and why.

Apart from claim_context.py because the currency rule reads the listing venue, the metric and the outlet, not where
the figure sits in the text.
"""
from __future__ import annotations

import re

from .claim import FUNDAMENTALS, PRICE_LIKE as _PRICE_LIKE
from .numbers import Quantity
from .text import Article, normalise

OUTLETS = ("HK", "CN", "US", "TW")  # an outlet's market decides what a bare 元 or $ means
_CURRENCY_OF = {"HK": "HKD", "CN": "CNY", "US": "USD", "TW": "TWD"}
# Words only Taiwan's market uses (its exchange, OTC and emerging boards, its dollar), read on the simplified text:
# a text that names them is about a Taiwan listing, where a bare 元 is the Taiwan dollar.
_TAIWAN = re.compile(r"(?<!纽约)(?<!纽)证交所|台湾证券交易所|柜买中心|兴柜|上柜|台股|新台币|台币|NT\$")
_TWD_WORD = re.compile(r"新台币|台币|NT\$")  # the figure's own currency word: explicit, not inferred


def outlet_market(article: Article, market: str | None = None) -> str:
    """HK | CN | US | TW: decides a bare 元. Flag first, then Taiwan's market words, then the header's language,
    then the script of the text."""
    if market:
        m = market.upper()
        if m not in OUTLETS:
            raise ValueError(f"unknown market {market!r}; expected HK, CN, US or TW")
        return m
    if _TAIWAN.search(normalise(article.body[:3000]).text):
        return "TW"
    lang = article.language() or ""
    if lang.startswith("zh-Hant"):
        return "HK"
    if lang.startswith("zh"):
        return "CN"
    if lang.startswith("en"):
        return "US"
    body = article.body
    if any("\u4e00" <= c <= "\u9fff" for c in body[:2000]):
        import unicodedata

        head = unicodedata.normalize("NFKC", body[:2000])  # full-width ，。 are no sign of traditional script
        return "HK" if normalise(head).text != head else "CN"
    return "US"


def _currency(q: Quantity, metric: str, ent_key: str | None, gazetteer, outlet: str,
              around: str = "", mainland: bool = False) -> tuple[str | None, bool]:
    """``around``: the text just before and after the figure ('新台币48元', 'NT$48': the figure's own currency)."""
    if (q.bare_yuan or q.raw.startswith("$")) and _TWD_WORD.search(around):
        return "TWD", False
    if not q.bare_yuan:
        return q.unit, False
    market = ent_key.split(":")[0] if ent_key else None
    if outlet == "TW" and market not in ("HK", "SH", "SZ"):
        return "TWD", True
    if metric in FUNDAMENTALS and (market in ("HK", "SH", "SZ", "CO") or market is None and mainland):
        return "CNY", True
    if market in ("SH", "SZ"):
        return "CNY", True
    if market == "HK" and metric in _PRICE_LIKE:
        return "HKD", True
    return _CURRENCY_OF[outlet], True


def _why_currency(metric: str, ent_key: str | None, outlet: str, mainland: bool = False) -> str:
    market = ent_key.split(":")[0] if ent_key else None
    if outlet == "TW" and market not in ("HK", "SH", "SZ"):
        return "a Taiwan listing: bare 元 is the Taiwan dollar"
    if metric in FUNDAMENTALS and market in ("HK", "SH", "SZ", "CO"):
        return "company financials of a mainland issuer are reported in renminbi"
    if metric in FUNDAMENTALS and market is None and mainland:
        return "company financials in a mainland (Simplified Chinese) text are in renminbi"
    if market in ("SH", "SZ"):
        return f"{ent_key} trades in renminbi"
    if market == "HK" and metric in _PRICE_LIKE:
        return f"{ent_key} trades in Hong Kong dollars"
    return f"outlet market {outlet}"
