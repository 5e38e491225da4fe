"""The live transport: HKEXnews feeds and announcements over HTTPS with the standard library (no extra needed)."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from ..base import ProviderError, Transport
from . import constants as C

_HEADERS = {"User-Agent": "ipolens (research workbench; https://github.com/ipolens)", "Referer": C.APP_INDEX_DOC}
TIMEOUT_S = 15


def _get(url: str) -> bytes:
    req = urllib.request.Request(url, headers=_HEADERS)
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:  # noqa: S310 - fixed https hosts
        return resp.read()


def _text(ref: str) -> str:
    """An announcement's text: a local .txt/.htm file or an HKEXnews URL. PDFs need pypdf (not a dependency)."""
    p = Path(ref)
    raw = p.read_bytes() if p.exists() else _get(ref)
    if raw[:4] == b"%PDF":
        try:
            import io

            from pypdf import PdfReader
        except ImportError:
            raise ProviderError(f"{ref} is a PDF: reading it needs pypdf (pip install pypdf), or pass the "
                                "announcement saved as text or HTML") from None
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    text = raw.decode("utf-8", errors="replace")
    if "<html" in text[:2000].lower():
        import html
        import re

        text = html.unescape(re.sub(r"<(?:br|/p|/tr|/div)[^>]*>", "\n", text, flags=re.I))
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def live_transport() -> Transport:
    def call(function: str, **kwargs: Any) -> Any:
        if function == C.APPLICATIONS:
            url = f"{C.FEED_BASE}/{C.FEEDS[kwargs['feed']].format(board=kwargs['board'])}"
            return json.loads(_get(url).decode("utf-8-sig"))
        if function == C.ALLOTMENT:
            return _text(kwargs["ref"])
        raise ProviderError(f"hkexnews: no call {function!r}")

    return call
