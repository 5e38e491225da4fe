"""``ipolens hk ...`` and ``ipolens lockups``: parse, call ``ipolens.app.hk``, render. Imports only typer at start."""
from pathlib import Path
from typing import Optional

import typer

from ._common import emit, handle_errors, open_store

hk_app = typer.Typer(help="HK IPO mechanics: clawback, Pool A/B ballot odds, subscription costs, stabilisation.",
                     no_args_is_help=True)

Opt = typer.Option
JSON = Opt(False, "--json", help="Print stable machine-readable JSON instead of tables.")


def _command(fn):
    return hk_app.command()(handle_errors(fn))


def _hk():
    from ipolens.app import hk
    return hk


def _terminal():
    """The renderers (``report.hk_terminal``), loaded once the use case has answered."""
    from ..report import hk_terminal

    return hk_terminal


@_command
def tranche(
    code: Optional[str] = typer.Argument(None, help="Listing code or name; regime and inputs come from the ledger."),
    regime: Optional[str] = Opt(None, "--regime", help="pn18, 2025a, 2025b, 18c or pn18-ld60-2."),
    initial_pct: Optional[float] = Opt(None, "--initial-pct", help="Initial public tranche, % of offer."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand, x initial tranche."),
    offer_shares: Optional[int] = Opt(None, "--offer-shares", help="Shares initially offered."),
    ladder: Optional[str] = Opt(None, "--ladder", help='Deal-stated ladder, e.g. "15:30,50:40,100:50".'),
    placing_cap: Optional[float] = Opt(None, "--placing-cap", help="Placing reallocation cap, % (reported only)."),
    as_json: bool = JSON,
) -> None:
    """Final public tranche after reallocation, its multiplier over the initial tranche, and share counts."""
    emit(_hk().tranche(open_store(), code, regime, subscription, initial_pct, offer_shares, ladder, placing_cap),
         as_json, _terminal().print_tranche)


@_command
def odds(
    code: Optional[str] = typer.Argument(None, help="Listing code or name (inputs from the ledger)."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand, x initial tranche."),
    lot_size: Optional[int] = Opt(None, "--lot-size", help="Shares per board lot."),
    price: Optional[float] = Opt(None, "--price", help="Offer price, HK$."),
    regime: Optional[str] = Opt(None, "--regime", help="Tranche regime (default: inferred, else pn18)."),
    initial_pct: Optional[float] = Opt(None, "--initial-pct"),
    tranche_shares: Optional[int] = Opt(None, "--tranche-shares", help="Initial public tranche, shares."),
    applicants: Optional[int] = Opt(None, "--applicants", help="Valid public applications."),
    lots: Optional[int] = Opt(None, "--lots", help="Also show the odds of an application of N lots."),
    brackets: Optional[str] = Opt(None, "--brackets", help='Applications "LOTS:APPLICANTS,..." (not the model).'),
    simulate_seed: Optional[int] = Opt(None, "--simulate", help="Run one seeded ballot draw (seed)."),
    as_json: bool = JSON,
) -> None:
    """Pool A/B ballot odds per application bracket, and the one-lot success rate."""
    emit(_hk().odds(open_store(), code, subscription, lot_size, price, regime, initial_pct, tranche_shares,
                    applicants, lots, brackets, simulate_seed), as_json, _terminal().print_odds)


@_command
def calibrate(
    refit: bool = Opt(False, "--fit", help="Re-fit the model parameters (grid search, a few minutes)."),
    as_json: bool = JSON,
) -> None:
    """Error of the predicted one-lot success rate against the 2018-2022 HK IPOs (percentage points)."""
    emit(_hk().calibrate(open_store(), refit), as_json, _terminal().print_calibration)


@_command
def subscribe(
    code: str = typer.Argument(..., help="Listing code or name."),
    lots: int = Opt(..., "--lots", help="Lots to apply for."),
    margin: float = Opt(0.0, "--margin", help="Share of the application financed by the broker (0-1)."),
    rate: float = Opt(0.035, "--rate", help="Annual margin interest rate (0.035 = 3.5%), actual/365."),
    days: int = Opt(7, "--days", help="Days the loan is outstanding."),
    handling_fee: Optional[float] = Opt(None, "--handling-fee", help="Fee per application, HK$ (50 cash, 100 margin)."),
    lot_size: Optional[int] = Opt(None, "--lot-size", help="Shares per board lot (if not in the dataset)."),
    price: Optional[float] = Opt(None, "--price", help="Offer price, HK$ (default: the ledger's)."),
    subscription: Optional[float] = Opt(None, "--subscription", help="Public demand x (default: ledger)."),
    regime: Optional[str] = Opt(None, "--regime", help="Tranche regime (default: inferred from the ledger)."),
    sell_commission: Optional[float] = Opt(None, "--sell-commission", help="Broker commission rate on the sale (0)."),
    seed: int = Opt(0, "--seed", help="Seed of the P&L simulation."),
    as_json: bool = JSON,
) -> None:
    """Application amount to the cent, financing cost, expected allotment and first-day P&L."""
    emit(_hk().subscribe(open_store(), code, lots, margin, rate, days, handling_fee, lot_size, price, subscription,
                         regime, sell_commission, seed), as_json, _terminal().print_subscription)


@_command
def stabilise(
    code: Optional[str] = typer.Argument(None, help="Listing code (offer price, greenshoe %, base shares)."),
    offer_price: Optional[float] = Opt(None, "--offer-price", help="Offer price, HK$."),
    base_shares: Optional[int] = Opt(None, "--base-shares", help="Base offer shares (before greenshoe)."),
    over_allotment: Optional[float] = Opt(None, "--over-allotment", help="% of base offer (default 15)."),
    path: str = Opt(..., "--path", help="Closes over the window: '20.1,19.2,...' or a CSV file date,close."),
    deadline: Optional[str] = Opt(None, "--deadline", help="Last day for public applications (YYYY-MM-DD)."),
    daily_cap: Optional[int] = Opt(None, "--daily-cap", help="Max shares bought back per day."),
    buy_at_offer: bool = Opt(False, "--buy-at-offer", help="Also buy on days closing exactly at the offer."),
    as_json: bool = JSON,
) -> None:
    """Shares bought back, greenshoe exercised and the resulting float, from a price path."""
    text = Path(path).read_text(encoding="utf-8") if Path(path).is_file() else path
    emit(_hk().stabilise(open_store(), text, code, offer_price, base_shares, over_allotment, deadline, daily_cap,
                         buy_at_offer), as_json, _terminal().print_stabilisation)


@handle_errors
def lockups(
    date_from: Optional[str] = Opt(None, "--from", help="First expiry session (YYYY-MM-DD)."),
    date_to: Optional[str] = Opt(None, "--to", help="Last expiry session (YYYY-MM-DD)."),
    market: str = Opt("HK", "--market", help="HK, STAR or NASDAQ."),
    stage_18c: Optional[str] = Opt(None, "--18c-stage", help="commercial or pre-commercial (default both)."),
    as_json: bool = JSON,
) -> None:
    """Lock-up expiries on the listing exchange's trading calendar (HK: calendar months, rolled forward)."""
    emit(_hk().lockups(open_store(), date_from, date_to, market, stage_18c), as_json, _terminal().print_lockups)


def register(app: typer.Typer) -> None:
    app.add_typer(hk_app, name="hk")
    app.command("lockups")(lockups)
