"""CLI: ``serve``. Only typer is imported at start-up; FastAPI and uvicorn load when the command runs."""
from __future__ import annotations

import typer


def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default loopback only)"),
    port: int = typer.Option(8000, "--port", help="Port"),
    db_path: str = typer.Option(None, "--db", help="Ledger file or ':memory:' (default: $IPOLENS_HOME)"),
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI at /docs)."""
    try:
        import uvicorn

        from ipolens.web import create_app
    except ImportError as exc:
        typer.echo(f"error: the web extra is not installed ({exc.name}); pip install 'ipolens[web]'", err=True)
        raise typer.Exit(2)
    import ipolens

    try:
        db = ipolens.open(db_path)  # build the ledger before accepting requests
    except Exception as exc:  # noqa: BLE001 - DuckDB allows one process per ledger file: say so plainly
        if "lock" in str(exc).lower():
            typer.echo("error: the ledger is open in another ipolens process (DuckDB allows one); stop it, or "
                       "pass --db / set IPOLENS_HOME to another ledger", err=True)
            raise typer.Exit(1)
        raise
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding {host}: the API has no authentication", err=True)
    typer.echo(f"ipolens dashboard on http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(create_app(db=db), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
