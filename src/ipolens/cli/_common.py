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
        from ..app.base import LedgerBusy, TimeLimit
        from ..ledger.codes import CodeError
        from ..ledger.fields import UnknownFieldError
        from ..ledger.store import EntityNotFound

        try:
            return fn(*args, **kwargs)
        except (LedgerBusy, TimeLimit) as exc:
            fail(str(exc), code=3)
        except (EntityNotFound, CodeError, UnknownFieldError, ValueError) as exc:
            fail(exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc))

    return wrapper


def emit(result, as_json: bool, render: Callable | None = None) -> None:
    """Print a use case's result: its ``to_dict()`` as JSON (exactly what the web API returns) or ``render(result)``."""
    if as_json or render is None:
        dump_json(result.to_dict())
    else:
        render(result)


def dump_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


SIGNED = ("return", "growth", "change", "cagr")


def fmt_number(v: float | None, unit: str | None = None, currency: str | None = None, name: str = "") -> str:
    """19.6 HKD -> '19.60 HKD'; 85540000000 HKD -> '85,540,000,000 HKD (855.40亿)'; 82.14 pct -> '+82.14%'."""
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if unit == "pct":
        sign = "+" if any(w in name for w in SIGNED) else ""
        return f"{v:{sign},.2f}%" if abs(v) >= 0.01 or v == 0 else f"{v:{sign}.6g}%"
    if unit == "x":
        return f"{v:,.2f}x"
    if unit == "year":  # a calendar year reads 2019, not 2,019
        return f"{int(v)}" if float(v).is_integer() else f"{v:g}"
    if currency or unit in ("HKD", "CNY", "USD"):
        cur = currency or unit
        if abs(v) >= 1e8:
            return f"{v:,.0f} {cur} ({v / 1e8:,.2f}亿)"
        if abs(v) >= 1e4:
            return f"{v:,.0f} {cur} ({v / 1e4:,.2f}万)"
        return f"{v:,.2f} {cur}"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.4g}"


def table(title: str, columns: tuple = (), rows=(), fold: bool = True, **kw):
    """A rich table of text cells (escaped: a source's "[1]" is text, not markup)."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=title, **kw)
    for c in columns:
        t.add_column(c, overflow="fold" if fold else "ellipsis", justify="right" if c == "value" else "left")
    for r in rows:
        t.add_row(*(escape(str(x)) for x in r))
    return t


def show(title: str, headers, rows, notes=(), width: int = 0, left=("item", "metric")) -> None:
    """Print one table of text cells (never parsed as markup): the first column and ``left`` headers left-aligned,
    the rest right-aligned; then each note."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(h, justify="left" if i == 0 or h in left else "right", overflow="fold")
    for r in rows:
        t.add_row(*(Text(str(x)) for x in r))
    con = Console(width=max(Console().width, width)) if width else Console()
    con.print(t)
    for n in notes:
        con.print(Text.assemble(("note: ", "bold yellow"), n))


def print_out(*things) -> None:
    from rich.console import Console

    Console().print(*things)


def is_missing(v) -> bool:
    try:
        return v is None or v != v
    except (TypeError, ValueError):
        return False
