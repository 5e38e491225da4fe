"""Score extraction against labelled facts in the format of ../shared/data/article_facts.yaml.

One model with the news-dev scorer (``news.corpus_eval``): a claim's value matches a fact's within the rounding the
fact is written to (``corpus_eval.value_matches``; equal text for dates, years and labels) and metrics agree through
the one vocabulary table (``corpus_eval.metric_agrees``, lexicon/metric_aliases.yaml). The span rule differs: the
reference facts are not listed in text order and their quotes repeat, so a claim matches when its span overlaps any
occurrence of the fact's quote (the corpus rule, the first occurrence after the previous label's, loses 11 of the 133
reference facts). Matching is one-to-one, in text order.
"""
from __future__ import annotations

import contextlib

import math
from dataclasses import dataclass, field
from pathlib import Path

from .corpus_eval import Label, metric_agrees, value_matches

__all__ = ["Score", "evaluate", "load_facts"]

_UNIT_MAP = {"%": "pct"}


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    money_matched: int = 0
    currency_right: int = 0
    metric_right: int = 0
    entity_scored: int = 0  # matched facts whose labelled entity names a company (ticker or Chinese name)
    entity_right: int = 0
    per_metric: dict[str, list[int]] = field(default_factory=dict)  # metric -> [gold, matched]
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def currency_accuracy(self) -> float:
        return self.currency_right / self.money_matched if self.money_matched else 1.0

    @property
    def entity_accuracy(self) -> float:
        return self.entity_right / self.entity_scored if self.entity_scored else 0.0

    @property
    def metric_accuracy(self) -> float:
        return self.metric_right / self.matched if self.matched else 0.0

    def table(self) -> str:
        lines = [f"{'metric':40} {'gold':>5} {'found':>6} {'recall':>7}"]
        for m, (g, k) in sorted(self.per_metric.items()):
            lines.append(f"{m:40} {g:5d} {k:6d} {k / g if g else 0:7.2f}")
        lines.append(f"{'ALL':40} {self.gold:5d} {self.matched:6d} {self.recall:7.2f}")
        lines.append(f"value recall={self.recall:.3f} precision={self.precision:.3f} "
                     f"currency_accuracy={self.currency_accuracy:.3f} metric_accuracy={self.metric_accuracy:.3f} "
                     f"entity_accuracy={self.entity_accuracy:.3f} "
                     f"(gold {self.gold}, predicted {self.predicted}, matched {self.matched}, "
                     f"money matched {self.money_matched})")
        return "\n".join(lines)


def load_facts(path: str | Path) -> list[dict]:
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return list(data["facts"] if isinstance(data, dict) else data)


def _cmp_value(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    try:
        return float(s)
    except ValueError:
        return s


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return a == b


# Metric names in article_facts.yaml that the ledger vocabulary spells differently.
_METRIC_ALIASES = {"first_day_close_return": "first_day_return", "oversubscription_multiple": "oversubscription_public",
                   "funds_raised_planned": "proceeds_planned"}


def evaluate(articles_dir: str | Path, facts: list[dict], claims_by_file: dict[str, list]) -> Score:
    """``claims_by_file``: article file name -> list of Claim."""
    from .text import read_article

    score = Score()
    by_file: dict[str, list[dict]] = {}
    for f in facts:
        by_file.setdefault(f["article_file"], []).append(f)
    for name, gold in by_file.items():
        art = read_article(Path(articles_dir) / name)
        claims = list(claims_by_file.get(name, []))
        score.predicted += len(claims)
        used: set[int] = set()
        for f in gold:
            gv = _cmp_value(f.get("value"))
            if gv is None:
                continue
            score.gold += 1
            metric = _METRIC_ALIASES.get(f.get("metric"), f.get("metric"))
            score.per_metric.setdefault(metric, [0, 0])[0] += 1
            spans = _occurrences(art.text, f.get("quote") or "", art.body_start)
            label = Label(id=str(f.get("id")), quote=f.get("quote") or "", value=f.get("value"),
                          value_high=f.get("value_high"), unit=_UNIT_MAP.get(f.get("unit"), f.get("unit")),
                          metric=metric, check=None)
            hit = None
            for i, c in enumerate(claims):
                if i in used or not _value_ok(label, c, gv):
                    continue
                if any(c.start < qe and c.end > qs for qs, qe in spans):
                    hit = i
                    break
            if hit is None:
                score.misses.append({"id": f.get("id"), "value": f.get("value"), "quote": f.get("quote")})
                continue
            used.add(hit)
            c = claims[hit]
            score.matched += 1
            score.per_metric[metric][1] += 1
            if metric_agrees(metric, c.metric):
                score.metric_right += 1
            ent = _entity_ok(f.get("entity") or {}, c)
            if ent is not None:
                score.entity_scored += 1
                score.entity_right += int(ent)
            unit = _UNIT_MAP.get(f.get("unit"), f.get("unit"))
            if unit in ("HKD", "CNY", "USD"):
                score.money_matched += 1
                score.currency_right += int(c.unit == unit)
        for i, c in enumerate(claims):
            if i not in used:
                score.false_positives.append({"article": name, "value": c.value if c.value is not None else c.text,
                                              "unit": c.unit, "metric": c.metric, "quote": c.quote})
    return score


def _value_ok(label: Label, c, gv) -> bool:
    """The corpus scorer's value rule; a text-valued claim (a date, a period) compares its text."""
    if isinstance(gv, float) and c.value is not None:
        return value_matches(label, c.to_json() if hasattr(c, "to_json") else dict(vars(c)))
    cv = _cmp_value(c.value if c.value is not None else (c.text or c.date or c.period))
    return cv is not None and _same(cv, gv)


def _entity_ok(gold: dict, c) -> bool | None:
    """Does the claim's entity agree with the label? None when the label names no single company."""
    from ipolens.ledger.codes import CodeError, parse_code

    ticker, zh = gold.get("ticker"), gold.get("name_zh")
    if ticker:
        with contextlib.suppress(CodeError):  # a ticker we cannot read falls back to the Chinese name
            return parse_code(str(ticker)).key == c.entity_key
    if zh and not any(w in zh for w in ("(", "+", "、", "generic")):
        from .text import to_simplified

        name = to_simplified(c.entity or "")
        z = to_simplified(zh).split()[0]
        return bool(name) and (name in z or z in name or name[:2] == z[:2])
    return None


def _occurrences(text: str, quote: str, start: int) -> list[tuple[int, int]]:
    out = []
    if not quote:
        return out
    i = text.find(quote, start)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out
