"""The tables a news batch writes: their columns, a claim's row (with its interval and dating group), and the
stage-two findings made from the cross-article groups.

Apart from batch.py because the table shapes are shared with the lake's stage two and the app, and hold no reading.
"""
from __future__ import annotations

from .rounding import of_claim  # the claim's interval, as verify compares it

CLAIM_COLUMNS = ("article", "piece", "id", "entity", "entity_key", "code", "metric", "value", "value_high", "unit",
                 "currency", "qualifier", "lo", "hi", "dating", "group_date", "date", "period", "claim_type", "quote",
                 "start", "end", "verdict", "why", "notes")

FINDING_COLUMNS = ("article", "check", "verdict", "why", "claims")
FACT_COLUMNS = ("article", "stem", "source_id", "entity", "field", "value", "text", "value_high", "unit",
                "currency", "qualifier", "as_of", "period", "quote", "claim_type", "note", "ext_id")

SOURCE_COLUMNS = ("article", "stem", "id", "kind", "title", "publisher", "url", "published", "date_note", "licence",
                  "note")

ERROR_COLUMNS = ("article", "reason")
TABLES = {"claims": CLAIM_COLUMNS, "findings": FINDING_COLUMNS, "facts": FACT_COLUMNS, "sources": SOURCE_COLUMNS,
          "errors": ERROR_COLUMNS}


def _claim_row(key: str, c, piece: int | None) -> dict:
    from ipolens.ledger.fields import FIELDS

    d = c.to_json()
    lo = hi = None
    if c.value is not None:
        try:
            lo, hi = of_claim(c)
        except (ValueError, TypeError):
            lo = hi = None  # a value the rounding model cannot read keeps no interval (checks then skip it)
    f = FIELDS.get(c.metric)
    dating = f.dating if f else "point"
    group = (c.date or "") if dating == "point" else ((c.period or "").lstrip("FY") if dating == "period" else "")
    row = {k: d.get(k) for k in CLAIM_COLUMNS}
    row.update(article=key, piece=piece, lo=lo, hi=hi, dating=dating, group_date=group, notes="; ".join(c.notes))
    return row


# -- stage two -----------------------------------------------------------------------------------------------------
def cross_findings(groups) -> list[dict]:
    """Findings from the disagreeing groups of ``ledger.lake.cross_article_groups`` (one row per group: the claim
    with the highest lower bound, a_*, and the one with the lowest upper bound, b_*). As in ``news check``: a point
    reading is inconsistent only when both figures carry the same date, else a tension (a price move, or another
    day, may explain it); deal terms and period figures that disagree are inconsistent."""
    out = []
    for g in groups.itertuples(index=False):
        gap = (g.b_value / g.a_value - 1) * 100 if g.a_value else float("nan")
        firm = g.dating != "point" or (bool(g.a_dated) and bool(g.b_dated))
        why = (f"{g.metric} of {g.entity_key} ({g.group_date or 'undated'}): {g.a_quote!r} in {g.a_article} "
               f"[{g.a_lo:.6g}, {g.a_hi:.6g}] vs {g.b_quote!r} in {g.b_article} [{g.b_lo:.6g}, {g.b_hi:.6g}] "
               f"({gap:+.1f}%): intervals disjoint; {g.claims} claims in the group")
        out.append({"entity_key": g.entity_key, "metric": g.metric, "unit": g.unit or None,
                    "group_date": g.group_date, "check": "cross_article",
                    "verdict": "inconsistent" if firm else "tension", "why": why, "claims": f"{g.a_id}|{g.b_id}",
                    "articles": 2})
    return out
