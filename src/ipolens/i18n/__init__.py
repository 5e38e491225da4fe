"""Languages (issue 16): one message catalogue for every label the CLI, the dashboard and the reports show.

``t(key, lang=None)`` gives the label in ``lang`` (default ``current_lang()``: ``set_lang`` / ``IPOLENS_LANG`` / the
locale); ``catalogue(lang)`` the whole table (the dashboard fetches it); ``LANGS`` the supported languages.
``colors(convention=None, lang=None)`` the up/down colours: ``cn`` red up / green down, ``us`` the reverse; the
default follows the language (Chinese readers read red as up). Number formatting is in ``ipolens.i18n.format``.

Start-up cost matters (``ipolens --help`` imports this through the root callback): yaml loads on first lookup.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGS", "CONVENTIONS", "t", "catalogue", "set_lang", "current_lang", "normalise_lang", "parse_lang",
           "colors", "set_colors", "current_colors", "parse_colors", "field_label", "has", "sentences"]

LANGS = ("en", "zh-Hans", "zh-Hant")
CONVENTIONS = ("cn", "us")
# why these hues: the red and green of the reports' existing palette, readable on white
_PALETTE = {"red": "#c0392b", "green": "#1f7a3a"}
_current: str | None = None
_colors: str | None = None


@lru_cache(maxsize=2)
def _load(name: str) -> dict[str, dict[str, str]]:
    import yaml

    return yaml.safe_load(Path(__file__).with_name(name).read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    """The labels (messages.yaml) and the sentences the use cases write in English (sentences.yaml)."""
    return {**_load("sentences.yaml"), **_load("messages.yaml")}


def sentences(lang: str | None = None) -> dict[str, str]:
    """sentences.yaml in ``lang``: key -> text (the English is the template ``report.terminal.known`` matches)."""
    lang = _lang(lang)
    return {k: v.get(lang) or v.get("en") or k for k, v in _load("sentences.yaml").items()}


def normalise_lang(lang: str | None) -> str:
    """'zh' / 'zh_CN' / 'zh-cn' -> zh-Hans, 'zh_TW' / 'zh-HK' -> zh-Hant, anything else English."""
    s = (lang or "").replace("_", "-").lower()
    if s.startswith("zh"):
        return "zh-Hant" if any(x in s for x in ("hant", "tw", "hk", "mo")) else "zh-Hans"
    return "en"


def parse_lang(lang: str | None) -> str:
    """A language a user typed (``--lang``, ``?lang=``): en*, zh* in any spelling; anything else is refused with a
    message naming the choices (``normalise_lang`` is lenient on purpose, for locales such as ``C.UTF-8``)."""
    s = (lang or "").strip().replace("_", "-").lower()
    if s == "en" or s.startswith("en-") or s == "zh" or s.startswith("zh-"):
        return normalise_lang(s)
    raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)} (or zh)")


def set_lang(lang: str | None) -> str:
    global _current
    _current = normalise_lang(lang) if lang else None
    return current_lang()


def current_lang() -> str:
    if _current:
        return _current
    env = os.environ.get("IPOLENS_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG")
    return normalise_lang(env)


def _lang(lang: str | None) -> str:
    return normalise_lang(lang) if lang else current_lang()


def catalogue(lang: str | None = None) -> dict[str, str]:
    """Every label (messages.yaml) in ``lang``: what the dashboard fetches."""
    lang = _lang(lang)
    return {k: v.get(lang) or v.get("en") or k for k, v in _load("messages.yaml").items()}


def t(key: str, lang: str | None = None, **fields) -> str:
    """The label of ``key`` in ``lang``; with ``fields``, its named placeholders filled ({n}, {code} ...)."""
    entry = _messages().get(key)
    if entry is None:
        return key
    text = entry.get(_lang(lang)) or entry.get("en") or key
    return text.format(**fields) if fields else text


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue (a face passes either a key or text that is data, such as a code)."""
    return key in _messages()


def field_label(name: str, lang: str | None = None) -> str:
    """A ledger field's label (``field.<name>``); an unknown field reads as its name with spaces."""
    key = f"field.{name}"
    return t(key, lang) if key in _messages() else name.replace("_", " ")


def parse_colors(convention: str | None) -> str:
    s = (convention or "").strip().lower()
    if s not in CONVENTIONS:
        raise ValueError(f"unknown colour convention {convention!r}; expected cn (red up) or us (green up)")
    return s


def set_colors(convention: str | None) -> str | None:
    global _colors
    _colors = parse_colors(convention) if convention else None
    return _colors


def current_colors(lang: str | None = None) -> str:
    """The convention in force: ``set_colors`` / ``IPOLENS_COLORS``, else from the language (zh -> cn)."""
    if _colors:
        return _colors
    env = (os.environ.get("IPOLENS_COLORS") or "").strip().lower()
    if env in CONVENTIONS:
        return env
    return "cn" if _lang(lang).startswith("zh") else "us"


def colors(convention: str | None = None, lang: str | None = None) -> dict[str, str]:
    """{"up": colour, "down": colour, "convention": cn|us} for gains and losses."""
    conv = parse_colors(convention) if convention else current_colors(lang)
    up, down = ("red", "green") if conv == "cn" else ("green", "red")
    return {"up": _PALETTE[up], "down": _PALETTE[down], "convention": conv}
