"""The web face: ``create_app()`` builds the FastAPI app (JSON API + dashboard); ``ipolens serve`` runs it."""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(db=None, db_path=None, allowed_hosts=()):
    from .app import create_app as _create

    return _create(db=db, db_path=db_path, allowed_hosts=allowed_hosts)
