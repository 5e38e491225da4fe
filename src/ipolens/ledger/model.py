"""Plain records for sources, entities and facts, with validation at the boundary."""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field as dc_field
from typing import Any

from .fields import field as lookup_field
from .qualifiers import QUALIFIERS, QualifierError, as_given, check_precision, infers_rounding, interval
from .schema import SOURCE_KINDS

__all__ = ["Source", "Entity", "Fact", "FactError", "CURRENCIES", "QUOTE_MAX", "to_date"]

CURRENCIES = ("HKD", "CNY", "USD")
QUOTE_MAX = 80
# Claims that carry no value: characterisations, and statements whose value the text does not give.
VALUELESS_CLAIMS = ("qualitative", "qualitative_dated", "unresolved")


class FactError(ValueError):
    """A fact that cannot enter the ledger; the message names the field at fault."""


def to_date(value: Any) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise FactError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


@dataclass
class Source:
    id: str
    kind: str
    title: str
    publisher: str | None = None
    url: str | None = None
    published: dt.date | str | None = None
    date_note: str | None = None
    licence: str | None = None
    retrieved: dt.datetime | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_KINDS:
            raise FactError(f"source kind {self.kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        if not self.title:
            raise FactError("a source needs a title")
        self.published = to_date(self.published)


@dataclass
class Entity:
    key: str
    kind: str  # listing | company | index | market
    market: str | None = None
    code: str | None = None
    name_en: str | None = None
    name_zh: str | None = None
    aliases: list[str] = dc_field(default_factory=list)


@dataclass
class Fact:
    entity: str
    field: str
    source_id: str
    value: float | None = None
    text: str | None = None
    value_high: float | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    as_of: dt.date | str | None = None
    period: str | None = None
    quote: str | None = None
    derived_from: dict | None = None
    claim_type: str = "reported"
    note: str | None = None
    ext_id: str | None = None
    # The rounding step the source used (1: whole units, the truth within +-0.5; 0.01: +-0.005). None: not stated,
    # so a text figure's rounding is read from its digits and any other figure is exact as given (qualifiers.py).
    precision: float | None = None

    def validate(self) -> None:
        f = lookup_field(self.field)
        if self.qualifier not in QUALIFIERS:
            raise FactError(f"qualifier {self.qualifier!r} is not one of {', '.join(QUALIFIERS)}")
        if self.currency is not None and self.currency not in CURRENCIES:
            raise FactError(f"unknown currency {self.currency!r}; expected one of {', '.join(CURRENCIES)}")
        if f.kind == "money" and self.value is not None and self.currency is None:
            raise FactError(f"{self.field} is a money field and needs a currency")
        if self.value is not None:
            if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
                raise FactError(f"{self.field}: value {self.value!r} is not a number")
            if not math.isfinite(float(self.value)):
                raise FactError(f"{self.field}: value {self.value!r} is not finite")
        if f.is_text and self.value is not None and self.text is None:
            raise FactError(f"{self.field} holds text, not a number")
        if f.kind == "date" and self.text is not None:
            self.text = to_date(self.text).isoformat()
        if self.value is None and self.text is None and self.claim_type not in VALUELESS_CLAIMS:
            raise FactError(f"{self.field}: no value (claim types without one: {', '.join(VALUELESS_CLAIMS)})")
        if self.quote is not None and len(self.quote) > QUOTE_MAX:
            raise FactError(f"quote is {len(self.quote)} characters; at most {QUOTE_MAX}")
        if self.qualifier == "range" and self.value_high is None:
            raise FactError("a range needs value_high")
        try:
            self.precision = check_precision(self.precision)
        except QualifierError as exc:
            raise FactError(f"{self.field}: {exc}") from None
        self.as_of = to_date(self.as_of)

    def date_key(self, published: dt.date | None) -> str:
        dating = lookup_field(self.field).dating
        if dating == "deal":
            return ""
        if dating == "period":
            if self.period:
                return str(self.period)
        when = self.as_of or published
        return when.isoformat() if when else ""

    def written(self, source_kind: str | None = None) -> bool:
        """Is this figure read as written (text: its digits tell its rounding)? ``source_kind`` is the kind of its
        source; when the caller does not know it, a ``news:`` source id stands for it."""
        if source_kind is None and self.source_id.startswith("news:"):
            source_kind = "news"
        return infers_rounding(source_kind, self.quote)

    def row(self, published: dt.date | None, source_kind: str | None = None) -> dict[str, Any]:
        """The facts-table row; ``lo``/``hi`` follow the source kind's rule (see ``qualifiers.resolution``)."""
        self.validate()
        lo = hi = None
        value = None if self.value is None else as_given(self.value)
        high = None if self.value_high is None else as_given(self.value_high)
        if value is not None:
            lo, hi = interval(value, self.qualifier, high, precision=self.precision,
                              written=self.written(source_kind))
        unit = self.unit or self.currency
        return {
            "entity": self.entity, "field": self.field,
            "value_num": value, "value_high": high, "value_text": self.text, "unit": unit, "currency": self.currency,
            "qualifier": self.qualifier, "as_of": self.as_of, "period": self.period,
            "date_key": self.date_key(published), "lo": lo, "hi": hi, "source_id": self.source_id,
            "quote": self.quote,
            "derived_from": json.dumps(self.derived_from, ensure_ascii=False) if self.derived_from else None,
            "claim_type": self.claim_type, "note": self.note, "ext_id": self.ext_id, "precision": self.precision,
        }
