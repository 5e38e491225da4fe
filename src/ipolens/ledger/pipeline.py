"""Pipeline deals and their dated stages (issue 14). Tables are added to the schema through ``DDL_PIPELINE``."""
from __future__ import annotations

DDL_PIPELINE: list[str] = []
