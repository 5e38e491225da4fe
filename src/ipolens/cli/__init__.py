"""The ``ipolens`` command line: sibling modules each ``register(app)`` their commands, which parse options, call
one use case of ``ipolens.app`` and render it. Start-up imports only typer; a command loads what it needs."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="ipolens",
    help="IPO research workbench: HKEX (incl. Chapter 18C), SSE STAR and Nasdaq listings, with sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rendering help through rich costs ~0.3 s at every start
)


@app.callback()
def _root(lang: str = typer.Option(None, "--lang", metavar="en|zh-Hans|zh-Hant",
                                   help="Language of labels and numbers (default: IPOLENS_LANG, else the locale)."),
          colors: str = typer.Option(None, "--colors", metavar="cn|us",
                                     help="cn: red up / green down; us: the reverse (default: from the language).")
          ) -> None:
    from ..i18n import parse_colors, parse_lang, set_colors, set_lang

    try:  # set (or reset) both on every run, so an in-process caller never inherits the previous run's choice
        set_lang(parse_lang(lang) if lang else None)
        set_colors(parse_colors(colors) if colors else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


_MODULES = ("core", "hk", "news", "news_batch", "lab", "stats", "live", "live_pipeline", "parties", "companies", "pipeline", "followon", "calendar", "web")


def _register_all() -> None:
    for name in _MODULES:
        modname = f"{__name__}.{name}"
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:
                continue
            raise
        mod.register(app)


_register_all()


def main() -> None:
    app()
