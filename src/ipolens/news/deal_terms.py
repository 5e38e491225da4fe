"""How the deal check names a pipeline deal: the pseudo-fields its rows come under, the lexicon's stage and value
words, a market's regime. One place, so the stage and the value comparisons read a deal alike."""
from __future__ import annotations

from functools import lru_cache

# The pseudo-fields under which ledger.queries.news.deal_context puts a named entity's deal (the same strings there).
DEAL_LINK, DEAL_STAGE, DEAL_VALUE = "deal:link", "deal:stage", "deal:value"
DEAL_FIELDS = (DEAL_LINK, DEAL_STAGE, DEAL_VALUE)


@lru_cache(maxsize=1)
def _deal_vocab() -> dict:
    """lexicon/roles.yaml ``deal_claims``: the stages a claim's day names, the kind of value a claim states."""
    import yaml

    from .roles import LEXICON_PATH

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the lexicon is long: the C parser when there is one
    return yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=loader)["deal_claims"]


@lru_cache(maxsize=1)
def _kind_fields() -> dict[str, tuple[str, ...]]:
    """Kind of value -> the deal's ledger fields of that kind (valuation kinds from the pipeline rules)."""
    from ipolens.ledger.pipeline_rules import valuation_fields

    out: dict[str, list[str]] = {}
    for name, kind in valuation_fields().items():
        out.setdefault(kind, []).append(name)
    for kind, names in _deal_vocab()["raise_fields"].items():
        out.setdefault(kind, []).extend(names)
    return {k: tuple(v) for k, v in out.items()}


def _regime(market) -> str | None:
    from ipolens.ledger.pipeline_rules import regime_for

    try:
        return regime_for(str(market)).name
    except ValueError:
        return None


def _deal_label(deal) -> str:
    return f"deal {deal.deal_name or deal.deal} ({deal.market})"
