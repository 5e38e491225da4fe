"""Pipeline over HTTP (issue 14): the same use cases as the CLI."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
