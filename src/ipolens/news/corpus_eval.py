"""Score the reader against a labelled corpus in the news-dev format (``NN.txt`` + ``NN.claims.yaml``, ``injected/``).

A labelled claim is *found* when an extracted claim has the same value (base units, within the rounding the label
is written to) and its span lies inside the label's quote, located as the corpus README says: the first occurrence
at or after the previous claim's. Matching is greedy in text order and one-to-one. On the matched pairs the score
counts currency, metric (through the vocabulary table ``lexicon/metric_aliases.yaml``) and verdicts: flag precision,
error recall (natural and injected apart) and the share of consistent labels the reader confirms.

Which labelled and extracted claims pair up is label_matching's. Pure: claims come in as the JSON dicts
``ipolens news check --json`` prints; ``ipolens.app.news`` runs the reader.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from .corpus_labels import (SPLITS, Label, LabelledArticle, article_date, load_corpus, locate_quotes, outlet_for,
                            split_of)
from .label_matching import Match, claim_span, label_roles, match_claims, value_matches  # re-exported

__all__ = ["Label", "LabelledArticle", "Counts", "Match", "ArticleScore", "load_corpus", "split_of", "outlet_for",
           "article_date", "locate_quotes", "value_matches", "claim_span", "match_claims", "score_article",
           "metric_table", "metric_agrees", "is_unassigned", "claim_currency", "label_roles", "SPLITS", "CURRENCIES",
           "FLAGGED"]

from .schema import CURRENCIES  # noqa: E402  (the one list of currencies)
FLAGGED = ("inconsistent", "tension")


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
