"""The controlled vocabulary of ledger fields.

Each field names the typed view it resolves into, how it is dated, and what kind of value it holds.
Dating decides what counts as "the same fact" for conflicts:
  deal   - a property of the IPO itself: all values compete, whatever their as_of (64% vs 51.93% cornerstones);
  point  - a reading at a date (market cap): values on different dates form a dated series;
  period - a figure for a fiscal period (FY2024, 2025H1): values compete within a period.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Field", "FIELDS", "field", "fields_of", "UnknownFieldError", "VIEWS"]


class UnknownFieldError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0])


@dataclass(frozen=True)
class Field:
    name: str
    view: str  # companies | listings | first_day | financials | market_stats | aftermarket | other
    dating: str  # deal | point | period
    kind: str  # money | pct | pp | x | count | shares | text | date | number | flag | year
    label: str

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "date")


def _f(name: str, view: str, dating: str, kind: str, label: str) -> Field:
    return Field(name, view, dating, kind, label)


_SPECS = [
    # companies: static descriptors
    _f("name_en", "companies", "deal", "text", "English name"),
    _f("name_zh", "companies", "deal", "text", "Chinese name"),
    _f("legal_name", "companies", "deal", "text", "Legal name of the listed class"),
    _f("sector", "companies", "deal", "text", "Sector"),
    _f("industry", "companies", "deal", "text", "Industry"),
    _f("founded_year", "companies", "deal", "year", "Year founded"),
    _f("headcount", "companies", "point", "count", "Employees"),
    _f("patents_filed", "companies", "point", "count", "Patents filed"),
    _f("patents_granted", "companies", "point", "count", "Patents granted"),
    _f("invention_patent_grant_rate", "companies", "point", "pct", "Invention-patent grant rate (as stated)"),
    # listings: one row per IPO
    _f("listing_date", "listings", "deal", "date", "Listing date"),
    _f("expected_listing_date", "listings", "deal", "date", "Expected listing date (forecast)"),
    _f("offering_start_date", "listings", "deal", "date", "Offer period start"),
    _f("exchange", "listings", "deal", "text", "Exchange"),
    _f("board", "listings", "deal", "text", "Board"),
    _f("route", "listings", "deal", "text", "Listing route"),
    _f("listing_chapter", "listings", "deal", "text", "Listing chapter"),
    _f("sponsors", "listings", "deal", "text", "Sponsors"),
    _f("lot_size", "listings", "deal", "shares", "Board lot"),
    _f("offer_price", "listings", "deal", "money", "Offer price"),
    _f("offer_price_low", "listings", "deal", "money", "Offer price, range low"),
    _f("offer_price_high", "listings", "deal", "money", "Offer price, range high"),
    _f("market_cap_low", "listings", "deal", "money", "Market cap at range low"),
    _f("market_cap_high", "listings", "deal", "money", "Market cap at range high"),
    _f("market_cap_at_offer", "listings", "deal", "money", "Market cap at offer price"),
    _f("shares_offered", "listings", "deal", "shares", "Shares offered (base)"),
    _f("shares_outstanding", "listings", "deal", "shares", "Shares outstanding after listing"),
    _f("proceeds_gross", "listings", "deal", "money", "Gross proceeds (base offer)"),
    _f("proceeds_net", "listings", "deal", "money", "Net proceeds"),
    _f("funds_raised_planned", "listings", "deal", "money", "Planned raise"),
    _f("valuation", "listings", "deal", "money", "Valuation at IPO (as stated)"),
    _f("target_market_cap", "listings", "deal", "money", "Target market cap at IPO"),
    _f("private_valuation", "listings", "period", "money", "Last private valuation"),
    _f("oversubscription_public", "listings", "deal", "x", "Public-offer subscription multiple"),
    _f("public_undersubscribed", "listings", "deal", "flag", "Public offer undersubscribed"),
    _f("public_applicants", "listings", "deal", "count", "Valid public applications"),
    _f("lots_to_secure_one_lot", "listings", "deal", "count", "Lots applied to be sure of one lot"),
    _f("one_lot_success_rate", "listings", "deal", "pct", "One-lot success rate"),
    _f("lottery_rate", "listings", "deal", "pct", "Online lottery (中签) rate"),
    _f("aggregate_allocation_pct", "listings", "deal", "pct", "Public shares allotted / applied"),
    _f("initial_public_pct", "listings", "deal", "pct", "Initial public tranche"),
    _f("final_public_pct", "listings", "deal", "pct", "Final public tranche"),
    _f("cornerstone_count", "listings", "deal", "count", "Cornerstone investors"),
    _f("cornerstone_share_of_offer", "listings", "deal", "pct", "Cornerstone share of offer"),
    _f("cornerstone_amount", "listings", "deal", "money", "Cornerstone subscription"),
    _f("greenshoe_pct", "listings", "deal", "pct", "Over-allotment option"),
    _f("counts_as_ipo", "listings", "deal", "flag", "Counted as an IPO by the source"),
    _f("delisted", "listings", "deal", "flag", "Delisted"),
    _f("ipo_sequence_rank_of_year", "listings", "deal", "number", "Order among the year's IPOs"),
    _f("vendor_discrepancy", "listings", "deal", "number", "Source's first-day-return vendor discrepancy"),
    # first_day: the debut
    _f("open_price", "first_day", "deal", "money", "First-day open"),
    _f("close_price", "first_day", "deal", "money", "First-day close"),
    _f("first_day_open_return", "first_day", "deal", "pct", "Open vs offer"),
    _f("first_day_return", "first_day", "deal", "pct", "Close vs offer"),
    _f("grey_market_return", "first_day", "deal", "pct", "Grey market vs offer"),
    _f("turnover", "first_day", "deal", "money", "First-day turnover"),
    _f("first_day_market_cap", "first_day", "deal", "money", "Market cap at first close"),
    # point-in-time readings
    _f("market_cap", "listings", "point", "money", "Market cap"),
    _f("cumulative_return_since_ipo", "aftermarket", "point", "pct", "Return since the offer"),
    _f("trough_price", "aftermarket", "period", "money", "Trough price"),
    _f("peak_price", "aftermarket", "period", "money", "Peak price"),
    _f("price_multiple_trough_to_peak", "aftermarket", "period", "x", "Peak / trough"),
    _f("a_share_price_rank", "aftermarket", "point", "number", "Rank by A-share price"),
    # financials
    _f("revenue", "financials", "period", "money", "Revenue"),
    _f("revenue_growth_yoy", "financials", "period", "pct", "Revenue growth y/y"),
    _f("net_profit", "financials", "period", "money", "Net profit"),
    _f("net_loss", "financials", "period", "money", "Net loss"),
    _f("net_loss_cumulative", "financials", "period", "money", "Cumulative net loss"),
    _f("adjusted_net_loss", "financials", "period", "money", "Adjusted net loss"),
    _f("rd_expense", "financials", "period", "money", "R&D expense"),
    _f("rd_expense_cumulative", "financials", "period", "money", "Cumulative R&D expense"),
    _f("rd_share_of_opex", "financials", "period", "pct", "R&D share of opex"),
    _f("rd_share_of_opex_min", "financials", "period", "pct", "Lowest R&D share of opex"),
    _f("implied_opex", "financials", "period", "money", "Total opex implied by R&D and its share"),
    _f("backlog", "financials", "point", "money", "Order backlog"),
    _f("framework_and_sales_contract_value", "financials", "point", "money", "Framework + sales contracts"),
    _f("backlog_plus_framework", "financials", "point", "money", "Backlog + framework contracts"),
    _f("enterprise_contract_value_yoy", "financials", "period", "pct", "Enterprise contract value y/y"),
    _f("chips_sold_cumulative", "financials", "point", "count", "Chips sold, cumulative"),
    _f("cluster_delivery_value", "financials", "point", "money", "Cluster delivery value"),
    # pipeline (issue 14; ledger/pipeline.py): add pipeline fields below this line
    _f("ipo_valuation_reported", "other", "point", "money", "IPO valuation reported or targeted (press; rumour)"),
    _f("filed_valuation", "other", "point", "money", "Valuation stated in a registration filing"),
    _f("overallotment_shares", "other", "deal", "shares", "Over-allotment (greenshoe) option, shares"),
    # a round's valuation before its new money: another basis than the (post-money) private_valuation, never a conflict
    _f("private_valuation_pre_money", "other", "point", "money", "Private valuation before the round (pre-money)"),
    # end pipeline
    # calendar (issue 14; app/calendar.py): add calendar fields below this line
    _f("offering_end_date", "listings", "deal", "date", "Offer period end (applications close)"),
    _f("pricing_date", "listings", "deal", "date", "Price determination date"),
    _f("allotment_results_date", "listings", "deal", "date", "Allotment results published (中签号公布日)"),
    _f("subscription_date", "listings", "deal", "date", "A-share online subscription day (申购日)"),
    _f("subscription_payment_date", "listings", "deal", "date", "A-share payment day for winning lots (中签缴款日)"),
    _f("subscription_code", "listings", "deal", "text", "A-share subscription code (申购代码)"),
    _f("subscription_limit_shares", "listings", "deal", "shares", "A-share online subscription cap (申购上限)"),
    _f("subscription_min_market_value", "listings", "deal", "money",
       "Market value of holdings needed for the full cap (顶格申购需配市值)"),
    _f("issue_pe", "listings", "deal", "x", "P/E at the offer price (发行市盈率)"),
    _f("industry_pe", "listings", "deal", "x", "Industry P/E the issuer cites (行业市盈率)"),
    # end calendar
    # follow-on offerings (issue 14; ledger/offerings.py): add follow-on fields below this line
    # facts of an offering entity (OF:...), never of the listing: a follow-on price cannot compete with offer_price
    _f("followon_price", "other", "deal", "money", "Follow-on issue price"),
    _f("followon_new_shares", "other", "deal", "shares", "Follow-on new shares"),
    _f("followon_shares_before", "other", "deal", "shares", "Shares in issue before the follow-on"),
    _f("followon_funds_gross", "other", "deal", "money", "Follow-on gross funds raised"),
    # end follow-on offerings
    # market statistics
    _f("index_return", "market_stats", "period", "pct", "Index return"),
    _f("southbound_net_inflow", "market_stats", "period", "money", "Southbound net inflow"),
    _f("southbound_net_inflow_cumulative", "market_stats", "period", "money", "Southbound net inflow, cumulative"),
    _f("market_size", "market_stats", "period", "money", "Market size"),
    _f("market_size_forecast", "market_stats", "period", "money", "Market size (forecast)"),
    _f("cagr", "market_stats", "period", "pct", "Compound annual growth"),
    _f("domestic_vendor_share", "market_stats", "period", "pct", "Domestic vendors' share"),
    _f("domestic_vendor_share_forecast", "market_stats", "period", "pct", "Domestic vendors' share (forecast)"),
    _f("domestic_market_increment", "market_stats", "period", "money", "Increment of the domestic market"),
    _f("api_token_price_change", "market_stats", "period", "pct", "API token price change"),
    _f("ipo_market_date", "market_stats", "point", "date", "IPO market date"),
]

FIELDS: dict[str, Field] = {f.name: f for f in _SPECS}

# N-day aftermarket horizons carried by the 2018-2022 HK set.
HORIZONS = (80, 100, 120, 140, 160, 252, 372)
for _h in ("latest",) + tuple(str(h) for h in HORIZONS):
    for _prefix, _label in (("ret", "Return vs offer"), ("hsi_ret", "HSI from listing close"),
                            ("hshc_ret", "HS Healthcare from listing close")):
        _name = f"{_prefix}_{'latest' if _h == 'latest' else 'day' + _h}"
        FIELDS[_name] = Field(_name, "aftermarket", "deal", "pct", f"{_label}, {'latest' if _h == 'latest' else 'day ' + _h}")
FIELDS["ret_day0"] = Field("ret_day0", "aftermarket", "deal", "pct", "Listing-day close vs offer (second vendor)")

# Product specifications and other statements the articles make: kept in the ledger, not in a typed view.
for _name in ("process_nm", "transistor_count", "peak_tflops_bf16", "pcie_generation", "relative_compute_vs_br100",
              "dies_per_package", "commercial_cluster_scale_cards", "cluster_uninterrupted_training_days",
              "cluster_failure_free_days", "checkpoint_recovery_minutes", "loss_reproducibility_error",
              "mlperf_inference_2_1_closed_bert_rank", "mlperf_inference_2_1_closed_resnet50_rank",
              "hot_chips_chinese_gpgpu_speakers", "sail_awards_count", "planned_commercialization_year",
              "planned_launch_year", "cluster_size_cards", "sector_first_listing_rank",
              "listing_sequence_rank_among_llm_four_dragons", "peer_group_size", "star_market_cap_rank",
              "asia_ai_hardware_financing_rank", "typical_valuation_range", "typical_market_cap",
              "listed_peer_availability_before_biren", "listed_general_gpu_before_2025", "typical_valuation_floor",
              "ipo_not_before", "expected_listing_period", "expected_valuation", "expected_mega_ipo_count",
              "valuation_change_multiple", "cluster_scale_gap_threshold_cards", "hk_inflow_start_year",
              "first_day_characterization", "revenue_scale_change", "breakeven_guidance", "net_loss_guidance",
              "ipo_market_characterization", "statement"):
    FIELDS.setdefault(_name, Field(_name, "other", "point", "number", _name.replace("_", " ")))

VIEWS = ("companies", "listings", "first_day", "financials", "market_stats", "aftermarket")


def field(name: str) -> Field:
    try:
        return FIELDS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, FIELDS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFieldError(f"unknown field {name!r}{hint}") from None


def fields_of(view: str) -> list[Field]:
    return [f for f in FIELDS.values() if f.view == view]
