"""A claim: one figure of an article with its entity, metric, date or period, span, quote and sentence."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .schema import CURRENCIES

__all__ = ["Claim", "UNASSIGNED", "UNNAMED", "FUNDAMENTALS", "PRICE_LIKE"]


@dataclass
class Claim:
    id: str
    article: str
    entity: str | None
    entity_key: str | None
    code: str | None
    metric: str
    value: float | None
    unit: str | None
    qualifier: str
    start: int  # offsets in the file's text as read
    end: int
    quote: str
    sentence: str
    value_high: float | None = None
    text: str | None = None
    date: str | None = None  # ISO date the claim is about (as_of or event date)
    period: str | None = None
    currency_inferred: bool = False
    claim_type: str = "reported"
    verdict: str = "unverifiable"
    why: str = "not checked"
    notes: list[str] = field(default_factory=list)
    # normalised-text offsets and the article's reference date, for the verifier (not part of the JSON)
    _nstart: int = 0
    _nend: int = 0
    _ref: str | None = None
    _resn: float | None = None  # as-written rounding of the figure
    _gap: str = ""  # normalised text between the previous figure of the sentence and this one (fx pairing)
    # whether the figure's paragraph names its entity by the figure's sentence (else it is the article's subject,
    # carried across paragraphs: in a roundup of several deals a paragraph's 该股 may be a company the reader
    # does not know)
    _named: bool = True
    # how the metric was chosen (claim_roles.ROLE_BASES): the figure's own words (a cue in its clause, its unit,
    # noun, table row or list name) or something weaker (a cue of another clause, a topic an earlier figure set,
    # a neighbour, a head noun ...); a failing check trusts only the former (verdict_evidence.OWN_WORDS)
    _role: str = ""

    def to_json(self) -> dict:
        d = asdict(self)
        for k in ("_nstart", "_nend", "_ref", "_resn", "_gap", "_named", "_role"):
            d.pop(k)
        d["currency"] = self.unit if self.unit in CURRENCIES else None
        return d


# Roles come from the cue words nearest each figure (ipolens.news.roles, cues in lexicon/roles.yaml).
UNASSIGNED = "statement"  # a figure whose role the reader does not know (or whose cues conflict)
# Company financials: a bare 元 here is renminbi for mainland companies, whatever the outlet's market.
FUNDAMENTALS = {"revenue", "net_loss", "net_loss_cumulative", "adjusted_net_loss", "net_profit", "rd_expense",
                "rd_expense_cumulative", "backlog", "gross_loss", "dividend_total", "underwriting_fees", "issue_costs"}
PRICE_LIKE = {"offer_price", "open_price", "close_price", "trough_price", "peak_price", "market_cap",
               "first_day_market_cap", "turnover", "snapshot_price", "entry_fee", "gain_per_lot", "gain_per_lot_max",
               "loss_per_lot", "intraday_high", "intraday_low", "grey_market_price", "grey_market_high",
               "grey_market_turnover", "placing_price", "margin_subscription"}

# A disagreement with the ledger is the article's error only when the figure is surely about the ledger's company: the
# article's subject carried into a paragraph that does not name it ('the stock', 該股) may be another company.
UNNAMED = ("the figure's paragraph does not name the company: it may be about another one (the reading is "
           "doubtful)")
