"""Follow-on offerings keyed apart from the IPO (issue 14). Tables are added to the schema through ``DDL_OFFERINGS``."""
from __future__ import annotations

DDL_OFFERINGS: list[str] = []
