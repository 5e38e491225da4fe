"""Land standard models in the ledger, idempotently: a re-run with the same data adds nothing.

Bars go to ``prices`` (one row per code, date, adjusted, source: replaced, then inserted), FX rates to ``fx_rates``, IPO events to ``facts``
(delete-then-insert by source and ext_id, inside one transaction), lock-up releases to ``lockup_releases``.
Each provider is one ``dataset`` source whose ``retrieved`` stamp is the time of the latest fetch.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from .models import DailyBar, FxRate, IpoEvent, LockupRelease

__all__ = ["provider_source", "store_bars", "store_fx", "store_ipo_events", "store_lockups", "fx_rate_on"]

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


def provider_source(ledger, provider: str, retrieved: dt.datetime | None = None) -> str:
    """Register (or refresh the retrieval time of) the provider's source row; returns its id."""
    from ...ledger.model import Source

    sid, title, publisher, url = SOURCES[provider]
    ledger.add_source(Source(id=sid, kind="dataset", title=title, publisher=publisher, url=url,
                             retrieved=retrieved or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
    return sid


def _count(ledger, sql: str, params: list) -> int:
    return ledger.con.execute(sql, params).fetchall()[0][0]


def store_bars(ledger, bars: Iterable[DailyBar], source_id: str) -> int:
    """Upsert bars (plus adjusted bars for listings whose Adj Close differs from Close). Returns rows added."""
    import pandas as pd

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
    if not rows:
        return 0
    df = pd.DataFrame(rows, columns=["code", "date", "open", "high", "low", "close", "volume", "turnover",
                                     "adjusted", "source_id"])
    df = df.drop_duplicates(["code", "date", "adjusted", "source_id"], keep="last")
    with ledger.transaction():
        before = _count(ledger, "SELECT count(*) FROM prices WHERE source_id = ?", [source_id])
        ledger.con.register("_bars", df)
        try:  # replace, then insert: re-fetched bars overwrite their old values and add no rows
            ledger.con.execute("DELETE FROM prices p USING _bars b WHERE p.code = b.code AND p.date = CAST(b.date "
                               "AS DATE) AND p.adjusted = b.adjusted AND p.source_id = b.source_id")
            ledger.con.execute("INSERT INTO prices SELECT code, CAST(date AS DATE), open, high, low, "
                               "close, volume, turnover, adjusted, source_id FROM _bars")
        finally:
            ledger.con.unregister("_bars")
        after = _count(ledger, "SELECT count(*) FROM prices WHERE source_id = ?", [source_id])
    return after - before


def _mul(v: float | None, f: float) -> float | None:
    return None if v is None else v * f


def _upsert_counted(ledger, table: str, rows: list[tuple], source_id: str) -> int:
    """Upsert on the table's key in one transaction; returns how many rows the source gained (0 on a re-run)."""
    marks = ", ".join("?" * len(rows[0]))
    with ledger.transaction():
        before = _count(ledger, f"SELECT count(*) FROM {table} WHERE source_id = ?", [source_id])
        ledger.con.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
        after = _count(ledger, f"SELECT count(*) FROM {table} WHERE source_id = ?", [source_id])
    return after - before


def store_fx(ledger, rates: Iterable[FxRate], source_id: str, note: str | None = None) -> int:
    rows = [(r.date, r.base, r.quote, float(r.rate), source_id, note) for r in rates]
    if not rows:
        return 0
    return _upsert_counted(ledger, "fx_rates", rows, source_id)


def _event_facts(e: IpoEvent, source_id: str) -> list:
    from ...ledger.model import Fact

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


def store_ipo_events(ledger, events: Iterable[IpoEvent], source_id: str) -> int:
    """Facts for each event (and a listing entity when the ledger has none). Returns facts added (net)."""
    from ...ledger.codes import parse_code
    from ...ledger.model import Entity

    events = list(events)
    facts = [f for e in events for f in _event_facts(e, source_id)]
    known = {r[0] for r in ledger.con.execute("SELECT key FROM entities").fetchall()}
    new_entities = []
    for e in events:
        if e.code in known:
            continue  # never overwrite curated names with a vendor's short name
        lc = parse_code(e.code)
        market = "STAR" if lc.board == "STAR" else ("NASDAQ" if lc.market == "US" else lc.market)
        zh = e.name if e.name and any("\u4e00" <= ch <= "\u9fff" for ch in e.name) else None
        new_entities.append(Entity(e.code, "listing", market, lc.display, None if zh else e.name, zh))
        known.add(e.code)
    with ledger.transaction():
        before = _count(ledger, "SELECT count(*) FROM facts WHERE source_id = ?", [source_id])
        if new_entities:
            ledger.add_entities(new_entities)
        if facts:
            ledger.con.executemany("DELETE FROM facts WHERE source_id = ? AND ext_id = ?",
                                   sorted({(source_id, f.ext_id) for f in facts}))
            ledger.add_facts(facts)
        after = _count(ledger, "SELECT count(*) FROM facts WHERE source_id = ?", [source_id])
    return after - before


def store_lockups(ledger, releases: Iterable[LockupRelease], source_id: str) -> int:
    rows = [(r.code, r.release_date, r.share_type or "", r.name, r.shares, r.actual_shares, r.market_value,
             r.float_pct, source_id) for r in releases]
    if not rows:
        return 0
    return _upsert_counted(ledger, "lockup_releases", rows, source_id)


def fx_rate_on(ledger, day: dt.date, base: str, quote: str) -> tuple[float, dt.date, str] | None:
    """The latest rate on or before ``day`` as (rate, date, source): fetched rates first on a tie, the embedded
    ECB table otherwise; the inverse pair is used (1 / rate) when only that one is stored."""
    if base == quote:
        return 1.0, day, "identity"
    rows = ledger.con.execute(
        """SELECT rate, date, source_id, base = ? AS direct FROM fx_rates
           WHERE date <= ? AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?))
           ORDER BY date DESC, direct DESC, source_id = 'fx:ecb-eurofxref' LIMIT 1""",
        [base, day, base, quote, quote, base]).fetchall()
    if not rows:
        return None
    rate, when, source, direct = rows[0]
    return (rate if direct else 1.0 / rate), when, source
