"""Languages (issue 16): one message catalogue for every label the CLI, the dashboard and the reports show.

Skeleton by the lead; F1 fills it. Contract: ``t(key, lang=None)`` gives the label in ``lang`` (default
``current_lang()``: ``set_lang`` / ``IPOLENS_LANG`` / the locale); ``catalogue(lang)`` the whole table (the dashboard
fetches it); ``LANGS`` the supported languages.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("en", "zh-Hans", "zh-Hant")
_current: str | None = None


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    return yaml.safe_load(Path(__file__).with_name("messages.yaml").read_text(encoding="utf-8")) or {}


def normalise_lang(lang: str | None) -> str:
    """'zh' / 'zh_CN' / 'zh-cn' -> zh-Hans, 'zh_TW' / 'zh-HK' -> zh-Hant, anything else English."""
    s = (lang or "").replace("_", "-").lower()
    if s.startswith("zh"):
        return "zh-Hant" if any(x in s for x in ("hant", "tw", "hk", "mo")) else "zh-Hans"
    return "en"


def set_lang(lang: str | None) -> str:
    global _current
    _current = normalise_lang(lang) if lang else None
    return current_lang()


def current_lang() -> str:
    if _current:
        return _current
    env = os.environ.get("IPOLENS_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG")
    return normalise_lang(env)


def catalogue(lang: str | None = None) -> dict[str, str]:
    lang = normalise_lang(lang) if lang else current_lang()
    return {k: v.get(lang) or v.get("en") or k for k, v in _messages().items()}


def t(key: str, lang: str | None = None) -> str:
    lang = normalise_lang(lang) if lang else current_lang()
    entry = _messages().get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry.get("en") or key
