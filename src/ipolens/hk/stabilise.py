"""Price stabilisation and the greenshoe (SFC Price Stabilizing Rules).

The stabilising manager over-allots ``over_allotment_pct`` of the base offer, leaving a short position. On each day of
the window with a close below the offer price it buys shares back in the market (never above the offer price), up to
the remaining short and any daily cap; purchases at the offer price count only when ``buy_at_offer`` is set. Whatever
short is left at the end of the window is covered by exercising the over-allotment option (new shares at the offer
price). The window ends on the 30th day after the last day for lodging public applications, not 30 days after listing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

__all__ = ["StabilisationResult", "stabilise", "window_end", "parse_path"]

WINDOW_DAYS = 30


def window_end(application_deadline: dt.date) -> dt.date:
    return application_deadline + dt.timedelta(days=WINDOW_DAYS)


@dataclass
class StabilisationResult:
    offer_price: float
    base_shares: int
    over_allotted_shares: int
    window_end: dt.date | None
    shares_bought_back: int
    buyback_cost_hkd: float
    average_buyback_price: float | None
    greenshoe_exercised_shares: int
    greenshoe_exercised_pct: float  # of the base offer
    exercise: str  # full | partial | none
    final_offer_shares: int  # base + greenshoe shares issued: the float added by the offer
    greenshoe_proceeds_hkd: float
    days_used: int
    days_ignored_after_window: int
    purchases: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["window_end"] = None if self.window_end is None else self.window_end.isoformat()
        return d


def stabilise(offer_price: float, base_shares: int, path: list[tuple[dt.date | None, float]],
              over_allotment_pct: float = 15.0, application_deadline: dt.date | None = None,
              daily_cap_shares: int | None = None, buy_at_offer: bool = False) -> StabilisationResult:
    """Run the stabilisation window over ``path`` [(date or None, close)] and settle the greenshoe."""
    if offer_price <= 0:
        raise ValueError("offer price must be positive")
    if base_shares < 0:
        raise ValueError("base shares must be non-negative")
    if not 0 <= over_allotment_pct <= 15:
        raise ValueError("over-allotment must be between 0 and 15% of the base offer (the HK maximum)")
    if daily_cap_shares is not None and daily_cap_shares < 0:
        raise ValueError("daily cap must be non-negative")
    short = round(base_shares * over_allotment_pct / 100)
    end = window_end(application_deadline) if application_deadline else None
    remaining, bought, cost, used, ignored = short, 0, 0.0, 0, 0
    purchases = []
    for day, price in path:
        if price is None or price <= 0:
            raise ValueError(f"bad price {price!r} in the path")
        if end is not None and day is not None and day > end:
            ignored += 1
            continue
        used += 1
        if remaining == 0:
            continue
        if price < offer_price or (buy_at_offer and price == offer_price):
            qty = remaining if daily_cap_shares is None else min(remaining, daily_cap_shares)
            if qty:
                remaining -= qty
                bought += qty
                cost += qty * price
                purchases.append({"date": None if day is None else day.isoformat(), "price": price, "shares": qty})
    exercised = remaining
    kind = "none" if exercised == 0 else ("full" if exercised == short else "partial")
    if short == 0:
        kind = "none"
    return StabilisationResult(
        offer_price=offer_price, base_shares=int(base_shares), over_allotted_shares=int(short), window_end=end,
        shares_bought_back=int(bought), buyback_cost_hkd=round(cost, 2),
        average_buyback_price=round(cost / bought, 4) if bought else None,
        greenshoe_exercised_shares=int(exercised),
        greenshoe_exercised_pct=round(100 * exercised / base_shares, 6) if base_shares else 0.0,
        exercise=kind, final_offer_shares=int(base_shares + exercised),
        greenshoe_proceeds_hkd=round(exercised * offer_price, 2), days_used=used, days_ignored_after_window=ignored,
        purchases=purchases)


def parse_path(text: str) -> list[tuple[dt.date | None, float]]:
    """Closes from ``'20.1,19.2,...'`` or CSV lines ``date,close`` (a header line is skipped)."""
    points: list[tuple[dt.date | None, float]] = []
    try:
        if "\n" not in text:  # a file's text has line breaks; a list typed inline has none
            points = [(None, float(p)) for p in text.split(",") if p.strip()]
        else:
            for line in text.splitlines():
                parts = [p.strip() for p in line.split(",")]
                if not parts[0] or parts[0].lower() in ("date", "day"):
                    continue
                points.append((None, float(parts[0])) if len(parts) == 1
                              else (dt.date.fromisoformat(parts[0]), float(parts[1])))
    except ValueError as exc:
        raise ValueError(f"cannot read the price path: {exc}") from None
    if not points:
        raise ValueError("the price path is empty")
    return points
