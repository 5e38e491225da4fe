"""Tables that fit the terminal: columns chosen by priority for the width, and a note naming those left out.

A header is never cut: a column is either shown at least as wide as its header (numbers, codes and dates at their
full width) or left out and named in the note. ``pages=True`` (``--all-columns``) shows every column instead, in
as many column pages as the width needs, each repeating the key column.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import t

_PER_COLUMN = 3  # rich's default box: one rule and a space of padding either side of each column
_EDGE = 1  # the table's closing rule


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    numeric: bool = False
    wrap: bool = False  # long text (names, sponsors) that may fold onto several lines
    wrap_min: int = 12  # the narrowest a wrapping column may become (never below its header)


def _len(s: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in str(s).split("\n")), default=0)


def min_widths(cols: list[Col], rows: list[list[str]]) -> list[int]:
    """The width each column needs: its header in full, and every cell of a non-wrapping column in full."""
    out = []
    for i, c in enumerate(cols):
        natural = max([_len(r[i]) for r in rows] + [0])
        head = max(_len(w) for w in c.header.split()) if c.wrap else _len(c.header)
        out.append(max(head, min(natural, c.wrap_min) if c.wrap else natural, 1))
    return out


def table_width(widths: list[int]) -> int:
    return sum(widths) + _PER_COLUMN * len(widths) + _EDGE


def fit(cols: list[Col], rows: list[list[str]], width: int,
        priority: list[str] | None = None) -> tuple[list[int], list[str]]:
    """Indices of the columns to show at ``width`` (in table order) and the headers left out, least important first
    to go. ``priority``: column keys, most important first; columns it does not name go before those it names."""
    need = min_widths(cols, rows)
    rank: dict[str, int] = {}
    for i, k in enumerate(priority or [c.key for c in cols]):
        rank.setdefault(k, i)
    kept = list(range(len(cols)))
    hidden: list[int] = []
    by_drop = sorted(kept, key=lambda i: -rank.get(cols[i].key, len(cols) + i))
    for i in by_drop:
        if table_width([need[j] for j in kept]) <= width or len(kept) == 1:
            break
        kept.remove(i)
        hidden.append(i)
    return kept, [cols[i].header for i in sorted(hidden)]


def pages(cols: list[Col], rows: list[list[str]], width: int, key: int = 0) -> list[list[int]]:
    """Every column, split into groups that fit ``width``; each group starts with the ``key`` column."""
    need = min_widths(cols, rows)
    groups: list[list[int]] = []
    current = [key]
    for i in range(len(cols)):
        if i == key:
            continue
        if table_width([need[j] for j in current + [i]]) > width and len(current) > 1:
            groups.append(current)
            current = [key]
        current.append(i)
    groups.append(current)
    return groups


def build(title: str, cols: list[Col], rows: list[list[str]], shown: list[int], width: int):
    """A rich table of the ``shown`` columns, each at least its minimum width (so no header is cut)."""
    from rich.table import Table
    from rich.text import Text

    need = min_widths(cols, rows)
    tab = Table(title=title, title_justify="left", header_style="bold")
    for i in shown:
        c = cols[i]
        tab.add_column(c.header, justify="right" if c.numeric else "left", min_width=need[i],
                       no_wrap=not c.wrap, overflow="fold")
    for r in rows:
        tab.add_row(*(Text(str(r[i])) for i in shown))
    return tab


def render(title: str, cols: list[Col], rows: list[list[str]], console=None, priority: list[str] | None = None,
           all_columns: bool = False, notes: tuple = (), key: str | None = None, option: str = "") -> list[str]:
    """Print the table fitted to the console's width (or every column in column pages that each repeat the ``key``
    column; columns empty in every row are named in a note rather than printed) and the notes; returns the headers
    left out. ``option``: the command's option that shows them all (named in the note). Title, headers and notes
    are catalogue keys or text (``report.terminal.tr``)."""
    from rich.console import Console
    from rich.text import Text

    from dataclasses import replace

    from .terminal import tr

    con = console or Console()
    cols = [replace(c, header=tr(c.header)) for c in cols]  # a header is a catalogue key or text
    title, notes = tr(title), tuple(tr(n) for n in notes if n)
    hidden: list[str] = []
    if all_columns:
        empty = [i for i, c in enumerate(cols) if c.key != key and rows and not any(str(r[i]).strip() for r in rows)]
        if empty:
            notes = (t("term.empty_columns").format(n=len(empty), cols=", ".join(cols[i].header for i in empty)),
                     *notes)
            keep = [i for i in range(len(cols)) if i not in empty]
            cols, rows = [cols[i] for i in keep], [[r[i] for i in keep] for r in rows]
        at = next((i for i, c in enumerate(cols) if c.key == key), 0)
        groups = pages(cols, rows, con.width, at)
        for n, g in enumerate(groups, 1):
            suffix = f"  ({t('term.columns_page').format(n=n, of=len(groups))})" if len(groups) > 1 else ""
            con.print(build(title + suffix, cols, rows, g, con.width))
    else:
        shown, hidden = fit(cols, rows, con.width, priority)
        con.print(build(title, cols, rows, shown, con.width))
    if hidden:
        msg = t("term.hidden_columns_opt" if option else "term.hidden_columns")
        notes = (msg.format(n=len(hidden), cols=", ".join(hidden), width=con.width, opt=option), *notes)
    for note in notes:
        if note:
            con.print(Text.assemble((t("term.note_prefix"), "bold yellow"), str(note)))
    return hidden
