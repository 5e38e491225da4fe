"""Matching a corpus's labelled claims to the reader's claims: a value within the label's written rounding, a span
inside the label's located quote, greedy in text order and one-to-one.

Apart from corpus_eval.py because matching decides which pairs exist; corpus_eval.py only scores the pairs.
evaluate.py uses the same value rule.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .corpus_labels import Label, LabelledArticle, locate_quotes

# Base units of a label unit in the unit a reader may give: Taiwan 張 = 1,000 shares; a gain written 升N倍 is labelled
# N x 100 percent points, the reader may keep it as N x.
_BASE = {("lots", "shares"): 1 / 1000.0, ("pct", "x"): 100.0, ("x", "pct"): 0.01}
_MAX_REL_TOL = 0.005  # the written rounding never widens the match beyond half a percent


@dataclass
class Match:
    label: Label
    claim: dict | None


# -- matching ------------------------------------------------------------------------------------------------------
def _tolerance(v: float | int) -> float:
    """Half a unit in the label's last written digit (trailing zeros of an integer are not digits), at most
    half a percent of the value."""
    if isinstance(v, bool) or v == 0:
        return 1e-9
    if isinstance(v, int):
        digits = str(abs(v))
        half = 0.5 * 10 ** (len(digits) - len(digits.rstrip("0")))
    else:
        r = repr(float(v))
        if "e" in r:
            half = abs(float(v)) * 1e-9
        else:
            decimals = len(r.split(".")[1].rstrip("0")) if "." in r else 0
            half = 0.5 * 10 ** -decimals
    return max(min(half, _MAX_REL_TOL * abs(v)), 1e-9 * abs(v))


def _num_equal(label_v, claim_v, unit: str | None, claim_unit: str | None) -> bool:
    if claim_v is None or isinstance(claim_v, bool):
        return False
    try:
        x = float(claim_v)
    except (TypeError, ValueError):
        return False
    if not math.isfinite(x):
        return False
    x *= _BASE.get((unit or "", claim_unit or ""), 1.0)
    return abs(x - float(label_v)) <= _tolerance(label_v)


def _text_forms(claim: dict) -> list[str]:
    """The text values a claim carries: an ISO date, a year, a time; the claim's date only when it has no value."""
    forms = [claim.get("text")]
    if claim.get("value") is None:
        forms.append(claim.get("date"))
    return [str(f).strip() for f in forms if f not in (None, "")]


def value_matches(label: Label, claim: dict) -> bool:
    """Same value as the label: numbers in base units within the label's rounding; dates and times as strings; years
    as integers; ranges on both ends."""
    v, unit = label.value, label.unit
    if v is None:
        return False
    if unit == "year":
        got = [claim.get("value")] + _text_forms(claim)
        return any(_as_int(g) == _as_int(v) for g in got if g is not None)
    if isinstance(v, str):
        return str(v).strip() in _text_forms(claim)
    if not _num_equal(v, claim.get("value"), unit, claim.get("unit")):
        return False
    if label.value_high is None:
        return True
    return _num_equal(label.value_high, claim.get("value_high"), unit, claim.get("unit"))


def _as_int(x) -> int | None:
    try:
        f = float(str(x).strip())
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def claim_span(claim: dict, text: str | None = None) -> tuple[int, int]:
    """The claim's [start, end), without white space at either end (a space read with the figure is not content)."""
    a, b = int(claim.get("start", -1)), int(claim.get("end", -1))
    if text is not None:
        while a < b and text[a:a + 1].isspace():
            a += 1
        while b > a and text[b - 1:b].isspace():
            b -= 1
    return a, b


_TITLE_COPY = re.compile(r"also in the title at (\d+)-(\d+)")


def match_claims(labels: list[Label], claims: list[dict], text: str | None = None) -> list[Match]:
    """Greedy in text order: each located label takes the first unused claim (by start) with the same value whose
    span lies inside the label's quote occurrence. A body claim that carries a title copy of its figure ("also in
    the title at S-E", the reader's one-claim rule for a headline figure repeated in the body) also answers the
    label of that title copy: the corpus labels both copies, the reader reports one claim for them."""
    spans = []  # (span, claim index): each claim's own span and its title copies
    for i, c in enumerate(claims):
        spans.append((claim_span(c, text), i))
        for note in c.get("notes") or ():
            if m := _TITLE_COPY.search(str(note)):
                spans.append(((int(m[1]), int(m[2])), i))
    order = sorted(range(len(spans)), key=lambda k: spans[k][0])
    used: set[int] = set()
    out = []
    for lab in labels:
        hit = None
        if lab.start is not None:
            for k in order:
                (a, b), i = spans[k]
                if k in used or not (lab.start <= a and b <= lab.end):
                    continue
                if value_matches(lab, claims[i]):
                    hit = k
                    break
        if hit is not None:
            used.add(hit)
        out.append(Match(lab, claims[spans[hit][1]] if hit is not None else None))
    return out


def label_roles(art: LabelledArticle, claims: list[dict], text: str, body_start: int) -> dict[str, str]:
    """Claim id -> the metric of the label it matches: to run the verifier with the labelled roles, so verdicts are
    measured apart from role errors (``benchmarks/news_eval.py``, 'with labelled roles')."""
    locate_quotes(text, body_start, art.labels)
    return {m.claim["id"]: m.label.metric for m in match_claims(art.labels, claims, text)
            if m.claim is not None and m.label.metric}
