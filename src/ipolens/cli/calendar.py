"""CLI: the IPO calendar (``ipolens calendar --from D --to D [--market M]``): parse, call ``ipolens.app.calendar``,
render with ``report.calendar_terminal``."""
from __future__ import annotations

from typing import Optional

import typer

from ._common import emit, handle_errors, open_store


@handle_errors
def calendar_cmd(
    date_from: Optional[str] = typer.Option(None, "--from", help="First day (YYYY-MM-DD; default today)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Last day (YYYY-MM-DD; default 30 days after --from)."),
    market: Optional[str] = typer.Option(None, "--market", help="Only this market (HK, STAR, NASDAQ ...)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the same object GET /api/calendar returns)."),
) -> None:
    """Application windows, subscription, pricing, allotment and listing days of the deals in the ledger, each
    checked against its exchange's trading calendar (a non-session date is flagged, not moved)."""
    from ..app.calendar import calendar
    from ..report.calendar_terminal import print_calendar

    emit(calendar(open_store(), date_from, date_to, market), as_json, lambda r: print_calendar(r.to_dict()))


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar_cmd)
