"""A listings file and its cornerstone records in one import run (the mapping's `cornerstones:`), in one
transaction: records may name listings the same run creates, and a bad record leaves nothing behind."""
from __future__ import annotations

import json

import pytest

from ipolens.app.base import UserError
from ipolens.app.data import import_file
from ipolens.app.parties import investor

LISTINGS = ("股票代码,名称,上市日期,发行价,币种\n"
            "2998.HK,ONE RUN ROBOTICS,2026-04-08,12.5,HKD\n"
            "2997.HK,ONE RUN CHIPS,2026-04-15,30.0,HKD\n")


def _files(tmp_path, records):
    (tmp_path / "deals.csv").write_text(LISTINGS, encoding="utf-8")
    (tmp_path / "cs.json").write_text(json.dumps({"deals": records}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "map.yaml").write_text("cornerstones: cs.json\n", encoding="utf-8")
    return tmp_path / "deals.csv", tmp_path / "map.yaml"


def test_listings_and_their_cornerstones_land_together(fresh_store, tmp_path):
    data, mapping = _files(tmp_path, [
        {"code": "2998.HK", "cornerstones": [{"name": "One Run Fund Limited", "amount": "HKD 50,000,000",
                                              "shares": "4,000,000", "lockup_months": 6}]},
        {"code": "2997.HK", "cornerstones": [{"name": "One Run Fund Ltd", "amount": "US$2m"}]}])
    res = import_file(fresh_store, data, "one run sheet", mapping)
    assert res.entities == 2 and res.cornerstone_rows == 2
    out = investor(fresh_store, "one run fund").to_dict()
    by = {d["code"]: d for d in out["deals"]}
    assert set(by) == {"02998.HK", "02997.HK"}  # both spellings of the fund are one investor
    assert by["02998.HK"]["amount"] == 50e6 and by["02998.HK"]["shares"] == 4e6
    assert by["02997.HK"]["amount"] == 2e6 and by["02997.HK"]["currency"] == "USD"
    # 2026-04-08 + 6 months = 2026-10-08, a Thursday session on XHKG
    assert (by["02998.HK"]["lockup_end"], by["02998.HK"]["first_tradable"]) == ("2026-10-08", "2026-10-08")
    # a re-import of the same files replaces, never doubles, the cornerstone rows
    import_file(fresh_store, data, "one run sheet", mapping)
    assert len(investor(fresh_store, "one run fund").deals) == 2


def test_a_bad_cornerstone_record_leaves_the_listings_out_too(fresh_store, tmp_path):
    data, mapping = _files(tmp_path, [
        {"code": "2998.HK", "cornerstones": [{"name": "One Run Fund Limited", "amount": "19,6"}]}])
    with fresh_store.read() as led:
        before = led.counts()
    with pytest.raises(UserError, match="cs.json"):
        import_file(fresh_store, data, "one run sheet", mapping)
    with fresh_store.read() as led:
        assert led.counts() == before


def test_a_missing_cornerstone_file_is_named(fresh_store, tmp_path):
    from ipolens.data.importer import ImportFailed

    data, mapping = _files(tmp_path, [])
    mapping.write_text("cornerstones: nowhere.json\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_file(fresh_store, data, "one run sheet", mapping)
    assert "cornerstones" in str(exc.value.problems[0])
