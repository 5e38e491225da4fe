"""CLI: companies and the listings they link (``company NAME|CODE``, ``link A B``, ``unlink LISTING``)."""
from __future__ import annotations

import typer

from ._common import emit, handle_errors, open_store, print_out

JSON = typer.Option(False, "--json", help="Print JSON")


def _render(r) -> None:
    from ..report.terminal import company_tables

    print_out(*company_tables(r.to_dict()))


@handle_errors
def company_cmd(name: str = typer.Argument(..., help="Company name or key (CO:...), or any of its listings' codes"),
                as_json: bool = JSON) -> None:
    """A company's listings (A, H, ADS, ordinary; primary or secondary) and the H-share discount to the A share."""
    from ..app.companies import company
    emit(company(open_store(), name), as_json, _render)


@handle_errors
def link_cmd(first: str = typer.Argument(..., help="A listing code"),
             second: str = typer.Argument(..., help="Another listing of the same company"),
             name: str = typer.Option(None, "--company", help="The company's name (new or known)"),
             classes: str = typer.Option(None, "--classes", help="Share classes of the two listings, e.g. H,A"),
             as_json: bool = JSON) -> None:
    """Say that two listings belong to one company (an A+H company, a dual primary, a relisting)."""
    from ..app.companies import link
    emit(link(open_store(), first, second, name, classes), as_json, _render)


@handle_errors
def unlink_cmd(listing: str = typer.Argument(..., help="A listing code"), as_json: bool = JSON) -> None:
    """Detach a listing from its company (also from a link the facts imply, such as the same name)."""
    from ..app.companies import unlink
    emit(unlink(open_store(), listing), as_json, _render)


def register(app: typer.Typer) -> None:
    for name, fn in (("company", company_cmd), ("link", link_cmd), ("unlink", unlink_cmd)):
        app.command(name)(fn)
