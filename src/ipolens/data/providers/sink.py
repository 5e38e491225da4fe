"""Standard models as ledger rows: bars as a frame, FX and lock-up rows, IPO events as facts and new entities.

Pure conversions; ``app.data`` writes what they return through ``ledger.sink`` inside ``Store.write``. Each
provider is one ``dataset`` source whose ``retrieved`` stamp is the time of the latest fetch.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Iterable

from ...ledger.codes import base_key, listing_key, parse_code
from ...ledger.model import Entity, Fact, Source
from .models import DailyBar, FxRate, IpoEvent, LockupRelease

__all__ = ["SOURCES", "provider_source", "bar_frame", "assign_listings", "key_events", "fx_rows", "lockup_rows",
           "event_facts", "new_entities"]

SOURCES = {
    "yfinance": ("dataset:yfinance", "Yahoo Finance daily history (via yfinance)", "Yahoo Finance",
                 "https://finance.yahoo.com"),
    "akshare": ("dataset:akshare-eastmoney", "Eastmoney data centre (via AKShare)", "Eastmoney",
                "https://data.eastmoney.com"),
    # the HK new-listing list is 10jqka's page, not Eastmoney's: its facts name their own source
    "akshare-ths": ("dataset:akshare-10jqka", "10jqka (同花顺) HK new-listing data (via AKShare)", "10jqka (同花顺)",
                    "https://data.10jqka.com.cn/ipo/xgsgyzq/"),
    "fx": ("fx:yahoo", "Yahoo Finance currency rates (via yfinance)", "Yahoo Finance", "https://finance.yahoo.com"),
}


def provider_source(provider: str, retrieved: dt.datetime | None = None) -> Source:
    """The provider's source row, stamped with the retrieval time."""
    sid, title, publisher, url = SOURCES[provider]
    return Source(id=sid, kind="dataset", title=title, publisher=publisher, url=url,
                  retrieved=retrieved or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))


def bar_frame(bars: Iterable[DailyBar], source_id: str):
    """Rows for ``prices``: each bar, plus an adjusted bar for listings whose Adj Close departs from Close."""
    import pandas as pd

    from ...ledger.sink import BAR_COLUMNS

    bars = list(bars)
    # an adjusted series only for listings whose Adj Close departs from Close somewhere (dividend, split);
    # otherwise it would repeat the raw bars row for row
    moved = {b.code for b in bars if b.adj_close is not None and b.close
             and abs(b.adj_close - b.close) > 1e-9 * abs(b.close)}
    rows = []
    for b in bars:
        rows.append((b.code, b.date, b.open, b.high, b.low, b.close, b.volume, b.turnover, b.adjusted, source_id))
        if b.code in moved and b.adj_close is not None and b.close and not b.adjusted:
            f = b.adj_close / b.close  # Yahoo's adjustment factor scales the whole bar
            rows.append((b.code, b.date, _mul(b.open, f), _mul(b.high, f), _mul(b.low, f), b.adj_close,
                         b.volume, b.turnover, True, source_id))
    df = pd.DataFrame(rows, columns=BAR_COLUMNS)
    return df.drop_duplicates(["code", "date", "adjusted", "source_id"], keep="last")


Window = tuple[str, dt.date, "dt.date | None"]  # (listing key, listing date, next listing's date or None)


def assign_listings(bars: Iterable[DailyBar], windows: list[Window],
                    named: str | None = None) -> tuple[list[DailyBar], int]:
    """The bars of a code under the listing trading on each bar's date (the latest listed on or before it; an
    earlier listing keeps its bars until the next one lists: delisting dates are not stored), and how many were
    dropped: with ``named``, every bar outside that listing's window; otherwise the bars before the first
    listing. Without windows (one listing), the bars are returned as they are."""
    bars = list(bars)
    if not windows:
        return bars, 0
    kept = []
    for b in bars:
        key = next((k for k, since, until in windows if since <= b.date and (until is None or b.date < until)), None)
        if key is None or (named is not None and key != named):
            continue
        kept.append(replace(b, code=key))
    return kept, len(bars) - len(kept)


def _mul(v: float | None, f: float) -> float | None:
    return None if v is None else v * f


def fx_rows(rates: Iterable[FxRate], source_id: str, note: str | None = None) -> list[tuple]:
    return [(r.date, r.base, r.quote, float(r.rate), source_id, note) for r in rates]


def lockup_rows(releases: Iterable[LockupRelease], source_id: str) -> list[tuple]:
    return [(r.code, r.release_date, r.share_type or "", r.name, r.shares, r.actual_shares, r.market_value,
             r.float_pct, source_id) for r in releases]


def event_facts(e: IpoEvent, source_id: str) -> list[Fact]:
    facts = []

    def add(field: str, value=None, text=None, currency=None, unit=None) -> None:
        if value is None and text is None:
            return
        facts.append(Fact(entity=e.code, field=field, source_id=source_id, value=value, text=text,
                          currency=currency, unit=unit, as_of=e.listing_date, ext_id=f"{e.code}:{field}"))

    add("listing_date", text=e.listing_date.isoformat() if e.listing_date else None)
    add("expected_listing_date", text=e.extra.get("expected_listing_date"))
    add("offer_price", e.offer_price, currency=e.currency)
    add("offer_price_low", e.extra.get("offer_price_low"), currency=e.currency)
    add("offer_price_high", e.extra.get("offer_price_high"), currency=e.currency)
    add("lot_size", e.lot_size, unit="shares")
    add("shares_offered", e.shares_offered, unit="shares")
    add("lottery_rate", e.lottery_rate, unit="pct")
    add("oversubscription_public", e.oversubscription_public, unit="x")
    add("close_price", e.first_day_close, currency=e.currency)
    add("first_day_return", e.first_day_return, unit="pct")
    add("exchange", text=e.exchange)
    add("board", text=e.board)
    return facts


def key_events(events: Iterable[IpoEvent], listings: dict[str, list[dict]],
               days: int) -> tuple[list[IpoEvent], list[str]]:
    """Each event under the listing it describes, by the rule imports follow (``data.importer``): a provider
    answers for a code, and a code the exchange reused has several listings.

    ``listings``: the ledger's listings per code key (``Ledger.listing_identities``). A dated event joins the
    code's listing listed within ``days`` of it (the nearest), else the code's only undated listing; else it is a
    new listing (the plain key for the code's first, ``@YEAR`` for a later one) and a note says so. An undated
    event of a code with several listings cannot be placed: it is left out with a note. Returns (events, notes)."""
    known = {b: [dict(x) for x in rows] for b, rows in listings.items()}
    out, notes = [], []
    for e in events:
        base = base_key(e.code)
        own = known.setdefault(base, [])
        when = e.listing_date or _iso_day(e.extra.get("expected_listing_date"))  # an upcoming deal's date places it too
        if when is None:
            if len(own) > 1:
                notes.append(f"{base}: no listing date from the provider and the code has {len(own)} listings "
                             f"({', '.join(x['key'] for x in own)}): left out")
                continue
            out.append(replace(e, code=own[0]["key"] if own else base))
            continue
        day = when.isoformat()
        near = sorted((abs((dt.date.fromisoformat(x["listing_date"]) - when).days), x["key"])
                      for x in own if x["listing_date"])
        undated = [x for x in own if not x["listing_date"]]
        if near and near[0][0] <= days:
            key = near[0][1]
        elif len(undated) == 1:
            key = undated[0]["key"]
            undated[0]["listing_date"] = day
        elif not own:
            key = base
            own.append({"key": key, "listing_date": day})
        else:
            key = listing_key(base, day, [x["listing_date"] for x in own], {x["key"] for x in own})
            notes.append(f"{base}: listed {day}, more than {days} days from its listings "
                         f"({', '.join(x['key'] for x in own)}): a different listing, created {key}")
            own.append({"key": key, "listing_date": day})
        out.append(replace(e, code=key))
    return out, notes


def _iso_day(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def new_entities(events: Iterable[IpoEvent], known: set[str]) -> list[Entity]:
    """A listing entity for each event the ledger does not know (curated names are never overwritten)."""
    out, seen = [], set(known)
    for e in events:
        if e.code in seen:
            continue
        lc = parse_code(base_key(e.code))  # HK:02718@2025 is a listing of 02718
        market = "STAR" if lc.board == "STAR" else ("NASDAQ" if lc.market == "US" else lc.market)
        zh = e.name if e.name and any("\u4e00" <= ch <= "\u9fff" for ch in e.name) else None
        out.append(Entity(e.code, "listing", market, lc.display, None if zh else e.name, zh))
        seen.add(e.code)
    return out
