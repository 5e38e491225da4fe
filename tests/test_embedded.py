"""The embedded dataset: coverage of the shipped files and of the article facts."""
import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import SHARED

EMB = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded"


def test_all_2018_2022_ipos_are_listings(db):
    src = pd.read_csv(EMB / "hk_listings_2018_2022.csv", dtype={"code": str})
    df = db.ipos(market="HK")
    df = df[(df.listing_date.astype(str) >= "2018-01-01") & (df.listing_date.astype(str) < "2023-01-01")]
    assert len(df) == len(src) == 499
    by_year = df.listing_date.astype(str).str[:4].value_counts().to_dict()
    assert by_year == {"2019": 186, "2020": 154, "2021": 100, "2022": 50, "2018": 9}


def test_2018_2022_values_carry_over(db):
    row = db.ipos(market="HK", year=2019).set_index("code").loc["09988.HK"]
    assert row.offer_price == 176.0 and row.lot_size == 100
    assert abs(row.first_day_return - 6.591) < 1e-9  # 0.06591 in the source, as percent
    assert abs(row.one_lot_success_rate - 80.0) < 1e-9


def test_ai_listings_2026(db):
    df = db.ipos(year=2026).set_index("code")
    assert set(df.index) == {"06082.HK", "02513.HK", "09903.HK", "00100.HK", "00501.HK", "03986.HK",
                             "06809.HK", "00600.HK"}
    assert df.loc["00100.HK", "open_price"] == 235.4  # reported in the basis column
    assert df.loc["00600.HK", "first_day_return"] == 0.0


def test_every_article_fact_except_ads_and_the_gold_headline(store):
    rows = list(csv.DictReader((EMB / "article_facts.csv").open(encoding="utf-8")))
    ids = {r["ext_id"] for r in rows}
    with store.read() as led:
        got = set(led.query("SELECT ext_id FROM facts WHERE source_id LIKE 'news:%'").ext_id)
    assert got == ids


@pytest.mark.needs_shared
def test_article_facts_match_the_reference_labels(store):
    ids = {r["ext_id"] for r in csv.DictReader((EMB / "article_facts.csv").open(encoding="utf-8"))}
    facts = yaml.safe_load((SHARED / "data" / "article_facts.yaml").read_text(encoding="utf-8"))["facts"]
    wanted = {f["id"] for f in facts if f["claim_type"] not in ("promotional", "headline_unrelated")}
    assert ids == wanted
    assert not {"S001-001", "S001-002", "S001-057", "S001-058"} & ids


def test_article_sources_are_named(store):
    from ipolens.app.profile import sources

    src = sources(store).rows
    src = src[(src.kind == "news") & src.id.str.startswith("news:")]  # the reference articles (web: pages are pipeline sources)
    assert len(src) == 3
    for r in src.to_dict("records"):
        assert r["title"] and r["publisher"]
        assert r["published"] is not None or r["date_note"]


def test_quotes_are_short(store):
    with store.read() as led:
        q = led.query("SELECT quote FROM facts WHERE quote IS NOT NULL")
    assert (q.quote.str.len() <= 80).all()


@pytest.mark.needs_shared
def test_quotes_are_verbatim(store):
    with store.read() as led:
        q = led.query("SELECT quote, source_id FROM facts WHERE quote IS NOT NULL")
    for folder, prefix in (("data/articles", "news:"), ("docs", "dataset:ipolens-reference-notes")):
        files = list((SHARED / folder).glob("*.*"))
        assert files, folder
        joined = "\n".join(p.read_text(encoding="utf-8") for p in files if p.suffix in (".txt", ".md"))
        quotes = q[q.source_id.str.startswith(prefix)].quote
        assert len(quotes) > 0
        for quote in quotes:
            assert quote.rstrip("…") in joined, quote


def test_rebuild_is_idempotent_and_keeps_user_facts(fresh_store):
    from ipolens.data.embedded import build
    from ipolens.ledger.model import Fact, Source

    with fresh_store.write() as led:
        led.add_source(Source("user:mine", "user", "my notes"))
        led.add_facts([Fact("HK:06082", "lot_size", "user:mine", value=200, unit="shares")])
    with fresh_store.read() as led:
        n0 = led.counts()["facts"]
    with fresh_store.write() as led:
        build(led)
    with fresh_store.read() as led:
        assert led.counts()["facts"] == n0
        assert led.query("SELECT count(*) n FROM facts WHERE source_id='user:mine'").n[0] == 1
