"""JSON schema of one claim (``ipolens news extract --json`` prints a list of these), and a small validator."""
from __future__ import annotations

__all__ = ["CLAIM_SCHEMA", "validate_claim", "VERDICTS", "UNITS", "CURRENCIES"]

VERDICTS = ("consistent", "inconsistent", "tension", "unverifiable")
UNITS = ("HKD", "CNY", "USD", "TWD", "GBP", "JPY", "pct", "pp", "x", "shares", "count", "rank", "date", "year", "period", "days",
         "minutes", "hours", "nm", "TFLOPS", "PFLOPS", "TOPS", "version", "text", "points")
CURRENCIES = ("HKD", "CNY", "USD", "TWD", "GBP", "JPY")  # the one list; quantity, identity_defs, corpus_eval take it
_NUM = {"type": ["number", "null"]}
_STR = {"type": ["string", "null"]}

CLAIM_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ipolens news claim",
    "type": "object",
    "required": ["id", "article", "entity", "entity_key", "code", "metric", "value", "value_high", "text", "unit",
                 "currency", "qualifier", "date", "period", "start", "end", "quote", "sentence", "currency_inferred",
                 "claim_type", "verdict", "why", "notes"],
    "properties": {
        "id": {"type": "string", "description": "<file stem>#<n>, in text order"},
        "article": {"type": "string"},
        "entity": {**_STR, "description": "display name of the linked entity"},
        "entity_key": {**_STR, "description": "ledger key: HK:06082, SH:688795, CO:catl, IDX:HSI, MKT:..."},
        "code": {**_STR, "description": "listing code, 06082.HK / 688795.SH / HWEP; null when not listed"},
        "metric": {"type": "string", "description": "ledger field name, or a news-only metric (docs/news.md)"},
        "value": {**_NUM, "description": "base units: 855.4亿 -> 85540000000; percent numbers: 82.1"},
        "value_high": {**_NUM, "description": "upper end of a range"},
        "text": {**_STR, "description": "text value: ISO date, year, period or label (18C)"},
        "unit": {"type": ["string", "null"], "enum": list(UNITS) + [None]},
        "currency": {"type": ["string", "null"], "enum": list(CURRENCIES) + [None],
                     "description": "the currency of a money figure (the same as its unit), null for other figures"},
        "qualifier": {"type": "string", "enum": ["exact", "about", "nearly", "more_than", "at_least", "at_most",
                                                 "range", "order_of_magnitude"]},
        "date": {**_STR, "description": "ISO date the claim is as of / about"},
        "period": {**_STR, "description": "FY2024, 2024, 2025H1, 2023-01, 2020-2024"},
        "start": {"type": "integer", "minimum": 0, "description": "offset in the file's text as read (BOM removed)"},
        "end": {"type": "integer", "minimum": 0},
        "quote": {"type": "string", "maxLength": 80, "description": "the clause around the figure, verbatim"},
        "sentence": {"type": "string"},
        "currency_inferred": {"type": "boolean", "description": "currency read from a bare 元 by rule"},
        "claim_type": {"type": "string", "enum": ["reported", "forecast", "promotional"]},
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "why": {"type": "string", "description": "the working behind the verdict"},
        "notes": {"type": "array", "items": {"type": "string"}},
    },
}


def validate_claim(obj: dict) -> None:
    """Raise ValueError when ``obj`` does not follow CLAIM_SCHEMA (types, enums, required keys, offsets)."""
    for key in CLAIM_SCHEMA["required"]:
        if key not in obj:
            raise ValueError(f"claim lacks {key!r}")
    types = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "array": list, "null": type(None)}
    for key, spec in CLAIM_SCHEMA["properties"].items():
        v = obj[key]
        allowed = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        if not any(isinstance(v, types[t]) and not (t in ("number", "integer") and isinstance(v, bool))
                   for t in allowed):
            raise ValueError(f"claim {key}={v!r} is not {allowed}")
        if "enum" in spec and v not in spec["enum"]:
            raise ValueError(f"claim {key}={v!r} not in {spec['enum']}")
        if "maxLength" in spec and isinstance(v, str) and len(v) > spec["maxLength"]:
            raise ValueError(f"claim {key} longer than {spec['maxLength']}")
    if obj["end"] < obj["start"]:
        raise ValueError("claim end before start")
