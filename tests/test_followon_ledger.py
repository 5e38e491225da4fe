"""Follow-on offerings in the ledger: keyed apart from the IPO (no conflict with its offer price), recorded from files
in one transaction with row errors, listed per listing or company. Expected values come from the fixture files
(read here with csv / yaml) and the embedded YAML, or by hand."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from ipolens.app import followons as fl
from ipolens.app.base import UserError
from ipolens.app.profile import conflicts, ipo_profile
from ipolens.ledger import model, offerings as lo

FIX = Path(__file__).parent / "fixtures" / "followons"
EMBEDDED = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "data" / "embedded" / "followons.yaml"


def _csv(name: str) -> list[dict]:
    with (FIX / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _offer_price(store) -> tuple[float, str]:
    v = ipo_profile(store, "6082.HK").to_dict()["deal"]["offer_price"]
    return v["value"], v["currency"]


def test_placing_price_never_conflicts_with_the_ipo_offer_price(fresh_store):
    row = _csv("placings.csv")[0]
    before_conflicts = conflicts(fresh_store, "6082.HK").to_dict()["rows"]
    before_price = _offer_price(fresh_store)
    assert before_price == (19.6, "HKD")  # Biren's IPO offer price in the embedded data (hk_ai_listings_2026.csv)
    assert float(row["price"]) != before_price[0]

    r = fl.add_followons(fresh_store, str(FIX / "placings.csv"), source_title="test placings")
    assert r.written == 1 and r.offerings == ["OF:HK:06082:placing:2026-03-05"]
    assert conflicts(fresh_store, "6082.HK").to_dict()["rows"] == before_conflicts
    assert _offer_price(fresh_store) == before_price
    with fresh_store.read() as led:
        assert led.resolve_entity("Biren") == "HK:06082"  # the offering entity adds no alias
        fact = led.query("SELECT entity, value_num, currency FROM facts WHERE field = 'followon_price' "
                         "AND entity LIKE 'OF:HK:06082:%'")
    assert fact.to_dict("records") == [{"entity": "OF:HK:06082:placing:2026-03-05", "value_num": 30.0,
                                        "currency": "HKD"}]
    # no offering-level conflict either, until a second source gives another price for the same placing
    assert conflicts(fresh_store, "OF:HK:06082:placing:2026-03-05").to_dict()["total"] == 0
    fl.add_followons(fresh_store, str(FIX / "other_source.yaml"))
    c = conflicts(fresh_store, "OF:HK:06082:placing:2026-03-05").to_dict()
    assert c["total"] == 1 and {c["rows"][0]["value_a"], c["rows"][0]["value_b"]} == {30.0, 31.0}
    assert conflicts(fresh_store, "6082.HK").to_dict()["rows"] == before_conflicts


def test_listing_the_followons_with_discounts(fresh_store):
    row = _csv("placings.csv")[0]
    fl.add_followons(fresh_store, str(FIX / "placings.csv"), source_title="test placings")
    res = fl.followons(fresh_store, "Biren").to_dict()
    assert res["listing"] == "HK:06082" and len(res["offerings"]) == 1
    o = res["offerings"][0]
    # by hand from the fixture: price 30.00, close 36.00, 5-day average 35.00 -> benchmark 36.00;
    # discount (1 - 30/36) = 16.67%; 10,000,000 new on 200,000,000: 5% existing, 10/210 = 4.76% enlarged
    assert (o["price"], o["currency"], o["type"]) == (float(row["price"]), row["currency"], row["type"])
    assert o["benchmark_price"] == 36.0
    assert o["discount_to_benchmark"] == pytest.approx(100 * (1 - 30 / 36))
    assert o["discount_to_last_close"] == pytest.approx(100 * (1 - 30 / 36))
    assert o["pct_existing"] == pytest.approx(5.0) and o["dilution"] == pytest.approx(100 * 10 / 210)
    assert o["flags"] == [] and o["source"] == "user:followons:test-placings"
    # re-adding the same source replaces its rows: still one
    fl.add_followons(fresh_store, str(FIX / "placings.csv"), source_title="test placings")
    assert len(fl.followons(fresh_store, "6082.HK").to_dict()["offerings"]) == 1


def test_bad_rows_name_file_row_and_field_and_write_nothing(fresh_store):
    with fresh_store.read() as led:
        before = led.query("SELECT count(*) AS n FROM offerings")["n"][0]  # the embedded follow-ons
    with pytest.raises(UserError) as exc:
        fl.add_followons(fresh_store, str(FIX / "bad.csv"), source_title="bad rows")
    msg = str(exc.value)
    for needle in ("bad.csv row 1, field price", "row 2, field listing", "row 3, field type",
                   "row 4, field announced", "row 5, field price: must be positive",
                   "row 6, field mandate", "row 6, field currency", "nothing written"):
        assert needle in msg, (needle, msg)
    with fresh_store.read() as led:
        assert led.query("SELECT count(*) AS n FROM offerings")["n"][0] == before
        assert led.query("SELECT count(*) AS n FROM sources WHERE id = 'user:followons:bad-rows'")["n"][0] == 0
    with pytest.raises(UserError, match="no source"):
        fl.add_followons(fresh_store, str(FIX / "placings.csv"))
    with pytest.raises(UserError, match="no such file"):
        fl.add_followons(fresh_store, str(FIX / "missing.csv"), source_title="x")


def test_embedded_cambricon_ding_zeng(fresh_store):
    doc = yaml.safe_load(EMBEDDED.read_text(encoding="utf-8"))
    filing = next(r for r in doc["offerings"] if r["source"].startswith("filing:"))
    fl.add_followons(fresh_store, str(EMBEDDED))
    res = fl.followons(fresh_store, "寒武纪").to_dict()
    assert [o["key"] for o in res["offerings"]] == ["OF:SH:688256:ding_zeng:2025-05-01"]
    o = res["offerings"][0]
    assert o["price"] == filing["price"] and o["shares"] == filing["new_shares"]
    assert o["source"] == filing["source"] and len(o["sources"]) == 2  # the filing ranks before the news report
    assert o["floor_price"] == 1081.32 and o["lockup_months"] == 6
    # the documents' own ratios: 110.51% of the floor; 0.79% of the 421,685,170 shares after the issue
    assert round(o["price_to_floor_pct"], 2) == 110.51 and round(o["dilution"], 2) == 0.79
    assert filing["shares_before"] + filing["new_shares"] == 421685170
    assert o["checks"][0]["status"] == "ok" and o["checks"][0]["unconfirmed"]


def test_offering_key_and_constants():
    assert lo.offering_key("HK:06082", "placing", "2026-03-05") == "OF:HK:06082:placing:2026-03-05"
    assert lo.offering_key("HK:06082", "placing", "2026-03-05", 2) == "OF:HK:06082:placing:2026-03-05#2"
    assert lo.CURRENCIES == model.CURRENCIES and lo.QUOTE_MAX == model.QUOTE_MAX


def test_unknown_listing_or_company(store):
    from ipolens.ledger.store import EntityNotFound

    with pytest.raises(EntityNotFound):
        fl.followons(store, "NO SUCH COMPANY XYZ")
    assert fl.followons(store, "688795").to_dict()["offerings"] == []


def test_a_company_lists_the_followons_of_all_its_listings(fresh_store):
    """Through company links: a placing of one listing shows when the company's other listing is asked for (a
    throwaway link between two embedded listings, for the test only)."""
    from ipolens.app.companies import link

    fl.add_followons(fresh_store, str(FIX / "placings.csv"), source_title="test placings")
    link(fresh_store, "6082.HK", "688795", "Test Holding Co", None)
    res = fl.followons(fresh_store, "688795").to_dict()
    assert res["listing"] == "SH:688795" and set(res["listings"]) == {"HK:06082", "SH:688795"}
    assert [(o["listing"], o["type"]) for o in res["offerings"]] == [("HK:06082", "placing")]


def test_a_price_in_another_currency_than_the_listing_trades_in_is_refused(fresh_store, tmp_path):
    # Biren (HK:06082) trades in HKD (markets.yaml: HK currency HKD); a USD price against HKD closes would read as a
    # discount of about 1 - 30/36 in the wrong unit, so the row is refused and nothing written
    bad = tmp_path / "usd_placing.csv"
    bad.write_text("listing,type,announced,price,currency,mandate\n"
                   "06082.HK,placing,2026-03-05,4.00,USD,general\n", encoding="utf-8")
    with fresh_store.read() as led:
        before = led.query("SELECT count(*) AS n FROM offerings")["n"][0]
    with pytest.raises(UserError) as exc:
        fl.add_followons(fresh_store, str(bad), source_title="usd placing")
    assert "row 1, field currency" in str(exc.value) and "HKD" in str(exc.value)
    with fresh_store.read() as led:
        assert led.query("SELECT count(*) AS n FROM offerings")["n"][0] == before
