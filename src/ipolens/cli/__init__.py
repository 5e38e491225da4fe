"""The ``ipolens`` command line. Start-up imports only typer; each command imports what it needs when it runs.

Command groups live in sibling modules, each exposing ``register(app)``: core (ipo, ipos, facts, conflicts,
import), hk, news, lab and the later faces. A module that is not present is simply not registered.
"""
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

_MODULES = ("core", "hk", "news", "lab", "stats", "live", "web")


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
