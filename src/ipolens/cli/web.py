"""CLI: ``serve``. Only typer is imported at start-up; FastAPI and uvicorn load when the command runs."""
from __future__ import annotations

import typer

from ._common import fail, handle_errors, open_store


@handle_errors
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default loopback only)"),
    port: int = typer.Option(8000, "--port", help="Port"),
    db_path: str = typer.Option(None, "--db", help="Ledger file or ':memory:' (default: $IPOLENS_HOME)"),
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI at /docs); the CLI and notebooks keep working beside it."""
    try:
        import uvicorn

        from ipolens.web import create_app
    except ImportError as exc:
        fail(f"the web extra is not installed ({exc.name}); pip install 'ipolens[web]'")
    store = open_store(db_path)  # build the ledger before accepting requests
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding {host}: the API has no authentication", err=True)
    typer.echo(f"ipolens dashboard on http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(create_app(store=store), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
