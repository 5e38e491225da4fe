"""Helpers shared by the CLI modules: opening the ledger, error exits, number formatting. Imports stay light."""
from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable

import typer


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def open_store(path: str | None = None):
    """The ledger store (built from the embedded dataset on first use). Reads never wait on ``ipolens serve``."""
    from ..app.store import open_store as _open

    return _open(path)


def handle_errors(fn: Callable) -> Callable:
    """Turn the errors users cause (unknown code, bad option, bad file) into a message and exit code 2; a ledger
    held by another process exits 3."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..app.base import LedgerBusy, LedgerWriteError, TimeLimit
        from ..ledger.codes import CodeError
        from ..ledger.fields import UnknownFieldError
        from ..ledger.store import EntityNotFound

        try:
            return fn(*args, **kwargs)
        except (LedgerBusy, TimeLimit) as exc:
            fail(str(exc), code=3)
        except LedgerWriteError as exc:
            fail(str(exc))
        except (EntityNotFound, CodeError, UnknownFieldError, ValueError) as exc:
            fail(exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc))

    return wrapper


FULL_PRECISION = typer.Option(False, "--full-precision",
                              help="CSV numbers at full float precision (default: rounded, no float noise)")
# JSON keeps full precision: it is exactly what the web API and the Python API's to_dict() return (parity tests).
# Rounding it too is one switch here, once the web API rounds the same way (report/terminal.jsonable_rounded).
ROUND_JSON = False


def emit(result, as_json: bool, render: Callable | None = None, full_precision: bool = False) -> None:
    """Print a use case's result: its ``to_dict()`` as JSON (the web API's keys and numbers) or
    ``render(result)``."""
    if as_json or render is None:
        full = full_precision or wants_full_precision()
        if full:
            from ..app.base import full_precision as keep_every_digit

            with keep_every_digit():
                data = result.to_dict()
        else:
            data = result.to_dict()  # floats without binary noise (app.base.jsonable)
        dump_json(data, full or not ROUND_JSON)
    else:
        render(result)


def wants_full_precision() -> bool:
    """IPOLENS_FULL_PRECISION=1: every command's CSV at full float precision."""
    import os

    return os.environ.get("IPOLENS_FULL_PRECISION", "").strip().lower() in ("1", "true", "yes")


def dump_json(obj: Any, full_precision: bool = True) -> None:
    if not full_precision:
        from ..report.terminal import jsonable_rounded

        obj = jsonable_rounded(obj)
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


# The terminal rendering toolkit lives with the other renderers (report/terminal.py).
from ..report.terminal import fmt_number, is_missing, print_out, show, table  # noqa: E402,F401
