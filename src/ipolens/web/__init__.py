"""The web face: ``create_app()`` builds the FastAPI app (JSON API + dashboard); ``ipolens serve`` runs it."""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(store=None, db_path=None, allowed_hosts=(), db=None, **kwargs):
    from .app import create_app as _create

    return _create(store=store, db_path=db_path, allowed_hosts=allowed_hosts, db=db, **kwargs)
