"""Score the reader against a labelled corpus in the news-dev format (``NN.txt`` + ``NN.claims.yaml``, ``injected/``).

A labelled claim is *found* when an extracted claim has the same value (base units, within the rounding the label
is written to) and its span lies inside the label's quote, located as the corpus README says: the first occurrence
at or after the previous claim's. Matching is greedy in text order and one-to-one. On the matched pairs the score
counts currency, metric (through the vocabulary table ``lexicon/metric_aliases.yaml``) and verdicts: flag precision,
error recall (natural and injected apart) and the share of consistent labels the reader confirms.

Pure: claims come in as the JSON dicts ``ipolens news check --json`` prints; ``ipolens.app.news`` runs the reader.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from .corpus_labels import (SPLITS, Label, LabelledArticle, article_date, load_corpus, locate_quotes, outlet_for,
                            split_of)

__all__ = ["Label", "LabelledArticle", "Counts", "Match", "ArticleScore", "load_corpus", "split_of", "outlet_for",
           "article_date", "locate_quotes", "value_matches", "claim_span", "match_claims", "score_article",
           "metric_table", "metric_agrees", "is_unassigned", "claim_currency", "label_roles", "SPLITS", "CURRENCIES",
           "FLAGGED"]

from .schema import CURRENCIES  # noqa: E402  (the one list of currencies)
FLAGGED = ("inconsistent", "tension")
# Base units of a label unit in the unit a reader may give: Taiwan 張 = 1,000 shares; a gain written 升N倍 is labelled
# N x 100 percent points, the reader may keep it as N x.
_BASE = {("lots", "shares"): 1 / 1000.0, ("pct", "x"): 100.0, ("x", "pct"): 0.01}
_MAX_REL_TOL = 0.005  # the written rounding never widens the match beyond half a percent


@dataclass
class Match:
    label: Label
    claim: dict | None


@dataclass
class Counts:
    """Tallies of one article, language or split; the rates are derived (``rates``)."""
    articles: int = 0
    labels: int = 0
    located: int = 0
    extracted: int = 0
    matched: int = 0
    money_matched: int = 0
    currency_right: int = 0
    metric_right: int = 0
    metric_assigned: int = 0
    metric_unassigned: int = 0
    sign_misses: int = 0  # missed labels that a claim in the quote has with the opposite sign (a diagnostic)
    flagged: int = 0
    flagged_right: int = 0  # flagged and matched to an INCONSISTENT label
    flagged_on_other_label: int = 0  # flagged and matched to a consistent/unverifiable/na label
    flagged_unmatched: int = 0
    errors_natural: int = 0
    errors_natural_caught: int = 0
    errors_injected: int = 0
    errors_injected_caught: int = 0
    consistent_labels: int = 0
    consistent_verified: int = 0

    def add(self, other: Counts) -> Counts:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def rates(self) -> dict[str, float | None]:
        """Shares with their denominators; None where the denominator is zero (nothing to measure)."""
        def r(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {"value_recall": r(self.matched, self.labels),
                "currency": r(self.currency_right, self.money_matched),
                "metric_agreement": r(self.metric_right, self.matched),
                "metric_assigned_share": r(self.metric_assigned, self.matched),
                "flag_precision": r(self.flagged_right, self.flagged),
                "error_recall_natural": r(self.errors_natural_caught, self.errors_natural),
                "error_recall_injected": r(self.errors_injected_caught, self.errors_injected),
                "verified_share": r(self.consistent_verified, self.consistent_labels)}

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)} | self.rates()



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


# -- scoring -------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def metric_table() -> tuple[dict[str, frozenset[str]], frozenset]:
    """(label metric -> reader metrics that mean the same, reader metrics that mean 'unassigned')."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "lexicon" / "metric_aliases.yaml").read_text(encoding="utf-8"))
    aliases = {str(k): frozenset(str(x) for x in (v if isinstance(v, list) else [v]))
               for k, v in (data.get("aliases") or {}).items()}
    unassigned = frozenset("" if x is None else str(x) for x in data.get("unassigned") or [])
    return aliases, unassigned


def claim_currency(claim: dict) -> str | None:
    """The claim's currency: its ``currency`` field when the reader gives one, else a currency unit."""
    cur = claim.get("currency")
    if cur:
        return str(cur)
    unit = claim.get("unit")
    return unit if unit in CURRENCIES else None


def metric_agrees(label_metric: str | None, claim_metric: str | None) -> bool:
    aliases, _ = metric_table()
    return bool(label_metric) and (claim_metric == label_metric or claim_metric in aliases.get(label_metric, ()))


def is_unassigned(claim_metric: str | None) -> bool:
    return (claim_metric or "") in metric_table()[1]


@dataclass
class ArticleScore:
    key: str
    language: str
    counts: Counts
    details: dict = field(default_factory=dict)


def score_article(art: LabelledArticle, claims: list[dict], text: str, body_start: int) -> ArticleScore:
    """Locate the quotes, match the claims and count; ``details`` lists what a tuner inspects."""
    locate_quotes(text, body_start, art.labels)
    matches = match_claims(art.labels, claims, text)
    n = Counts(articles=1, labels=len(art.labels), located=sum(lab.start is not None for lab in art.labels),
               extracted=len(claims))
    det: dict[str, list] = {"misses": [], "wrong_metric": [], "wrong_currency": [], "false_flags": [],
                            "missed_errors": [], "unlocated": []}
    matched_ids: dict[int, list[Label]] = {}  # a claim with a title copy answers two labels
    for m in matches:
        lab, c = m.label, m.claim
        _count_errors(n, lab, c, art.injected_copy, det)
        if lab.check == "consistent":
            n.consistent_labels += 1
            n.consistent_verified += int(c is not None and c.get("verdict") == "consistent")
        if lab.start is None:
            det["unlocated"].append({"id": lab.id, "quote": lab.quote})
        if c is None:
            if lab.start is not None:
                det["misses"].append(miss := _miss(lab, claims, text))
                n.sign_misses += int(miss["sign_only"])
            continue
        matched_ids.setdefault(id(c), []).append(lab)
        n.matched += 1
        if lab.unit in CURRENCIES:
            n.money_matched += 1
            if claim_currency(c) == lab.unit:
                n.currency_right += 1
            else:
                det["wrong_currency"].append(_pair(lab, c) | {"label_unit": lab.unit, "got": claim_currency(c)})
        if is_unassigned(c.get("metric")):
            n.metric_unassigned += 1
        else:
            n.metric_assigned += 1
        if metric_agrees(lab.metric, c.get("metric")):
            n.metric_right += 1
        else:
            det["wrong_metric"].append(_pair(lab, c) | {"label_metric": lab.metric, "got": c.get("metric")})
    for c in claims:
        if c.get("verdict") not in FLAGGED:
            continue
        n.flagged += 1
        labs = matched_ids.get(id(c), [])
        lab = next((x for x in labs if x.check == "INCONSISTENT"), labs[0] if labs else None)
        if lab is not None and lab.check == "INCONSISTENT":
            n.flagged_right += 1
            continue
        if lab is None:
            n.flagged_unmatched += 1
        else:
            n.flagged_on_other_label += 1
        det["false_flags"].append({"claim": c.get("id"), "value": c.get("value") if c.get("value") is not None
                                   else c.get("text"), "metric": c.get("metric"), "verdict": c.get("verdict"),
                                   "why": c.get("why"), "quote": c.get("quote"),
                                   "label": lab.id if lab else None, "label_check": lab.check if lab else None})
    for rows in det.values():
        for r in rows:
            r["article"] = art.key
    return ArticleScore(art.key, art.language, n, det)


def _count_errors(n: Counts, lab: Label, c: dict | None, injected_copy: bool, det: dict) -> None:
    """Labelled errors: injected ones (``injected: true``) apart from the natural ones."""
    if lab.check != "INCONSISTENT":
        return
    caught = c is not None and c.get("verdict") in FLAGGED
    if lab.injected and injected_copy:
        n.errors_injected += 1
        n.errors_injected_caught += int(caught)
    else:
        n.errors_natural += 1
        n.errors_natural_caught += int(caught)
    if not caught:
        det["missed_errors"].append({"id": lab.id, "quote": lab.quote, "injected": lab.injected,
                                     "matched": c is not None, "verdict": c.get("verdict") if c else None,
                                     "why": c.get("why") if c else None})


def _pair(lab: Label, c: dict) -> dict:
    return {"id": lab.id, "quote": lab.quote, "value": lab.value, "claim": c.get("id")}


def _miss(lab: Label, claims: list[dict], text: str | None = None) -> dict:
    """A label no claim matched, with the claims whose spans overlap its quote (what the reader read there) and the
    likely reason: nothing read, the value with the opposite sign, the value with a span reaching past the quote (or
    already taken by an earlier label), or another value."""
    over = [c for c in claims if claim_span(c, text)[0] < lab.end and claim_span(c, text)[1] > lab.start]
    near = [{"value": c.get("value") if c.get("value") is not None else c.get("text"), "unit": c.get("unit"),
             "start": c.get("start"), "end": c.get("end")} for c in over]
    sign_only = False
    if isinstance(lab.value, (int, float)) and not isinstance(lab.value, bool) and lab.value:
        flipped = Label(lab.id, lab.quote, -lab.value, None if lab.value_high is None else -lab.value_high,
                        lab.unit, lab.metric, lab.check)
        sign_only = any(value_matches(flipped, c) for c in over)
    reason = ("nothing read" if not over else "sign" if sign_only
              else "span or taken" if any(value_matches(lab, c) for c in over) else "value")
    return {"id": lab.id, "quote": lab.quote, "value": lab.value, "value_high": lab.value_high, "unit": lab.unit,
            "span": [lab.start, lab.end], "reason": reason, "read_there": near, "sign_only": sign_only}

