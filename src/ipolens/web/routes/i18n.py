"""The message catalogue for the dashboard: one language's labels, the same ``ipolens.i18n`` the CLI and reports use."""
from __future__ import annotations

from fastapi import APIRouter, Path

from ... import i18n
from ...app.base import UserError

router = APIRouter()


@router.get("/api/i18n/{lang}", summary="Dashboard labels in one language", tags=["i18n"],
            responses={400: {"description": "A language ipolens does not have"}})
async def catalogue(lang: str = Path(..., max_length=20, examples=["zh-Hant"],
                                     description="en | zh-Hans | zh-Hant (zh, zh-TW, zh_CN ... are read as these)")) -> dict:
    """``messages``: key -> label (English where a language lacks one); ``colors``: up/down colours per convention
    (cn: red up, us: green up); ``default_colors``: the convention the language implies."""
    try:
        name = i18n.parse_lang(lang)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return {"lang": name, "langs": list(i18n.LANGS), "messages": i18n.catalogue(name),
            "colors": {c: i18n.colors(convention=c) for c in i18n.CONVENTIONS},
            "default_colors": i18n.colors(lang=name)["convention"]}
