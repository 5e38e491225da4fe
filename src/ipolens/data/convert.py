"""Convert the shippable files of ../shared/data into the package's embedded dataset (maintainers only).

    python -m ipolens.data.convert ../shared/data

Writes wide CSVs with ledger field names and base units (HKD, not HK$ bn; percent, not fractions) and a long CSV of
the article facts. Only files marked shippable in ../shared/data/README.md are read.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import yaml

EMBEDDED = Path(__file__).parent / "embedded"

HK_RENAME = {
    "name": "name_en", "name_cn": "name_zh", "listing_date": "listing_date", "sponsor": "sponsors",
    "sector_yahoo": "sector", "industry_yahoo": "industry", "lot_size": "lot_size",
    "offer_price_low_hkd": "offer_price_low", "offer_price_high_hkd": "offer_price_high",
    "offer_price_hkd": "offer_price", "public_oversubscription_x": "oversubscription_public",
    "public_undersubscribed": "public_undersubscribed", "lots_to_secure_one_lot": "lots_to_secure_one_lot",
    "one_lot_success_rate": "one_lot_success_rate", "first_day_return": "first_day_return",
    "grey_market_return": "grey_market_return", "counts_as_ipo": "counts_as_ipo", "delisted": "delisted",
    "discrepancy_abs": "vendor_discrepancy",
}
HK_BN = {"market_cap_low_hkd_bn": "market_cap_low", "market_cap_high_hkd_bn": "market_cap_high",
         "market_cap_at_offer_hkd_bn": "market_cap_at_offer"}
FRACTION_COLUMNS = ["one_lot_success_rate", "first_day_return", "grey_market_return"]


def convert_hk_2018_2022(shared: Path) -> pd.DataFrame:
    src = pd.read_csv(shared / "hk_ipos_2018_2022" / "hk_ipos_2018_2022.csv", dtype={"code": str})
    out = pd.DataFrame({"code": src["code"]})
    for a, b in HK_RENAME.items():
        out[b] = src[a]
    out["industry"] = src["industry_yahoo"].fillna(src["aastocks_industry"])
    for a, b in HK_BN.items():
        out[b] = (src[a] * 1e9).round(0)
    for col in FRACTION_COLUMNS:
        out[col] = (out[col] * 100).round(6)
    ret_cols = [c for c in src.columns if re.fullmatch(r"(hsi_|hshc_)?ret_(day\d+|latest)", c)]
    for c in ret_cols:
        out[c] = (src[c] * 100).round(6)
    out["vendor_discrepancy"] = (out["vendor_discrepancy"] * 100).round(6)  # pp, like the returns
    return out


def convert_hk_ai_2026(shared: Path) -> pd.DataFrame:
    src = pd.read_csv(shared / "hk_ai_ipos_2026" / "hk_ai_ipos_2026.csv", dtype={"code": str})
    out = pd.DataFrame({
        "code": src["code"], "legal_name": src["name_at_listing"], "listing_date": src["listing_date"],
        "route": src["route"], "offer_price": src["offer_price_hkd"], "close_price": src["first_day_close_hkd"],
        "close_price_basis": src["first_day_close_basis"], "first_day_return": src["initial_return_pct"],
        "oversubscription_public": src["public_offer_subscription_x"],
        "public_applicants": src["public_applicants"], "cornerstone_share_of_offer": src["cornerstone_pct"],
        "aggregate_allocation_pct": src["aggregate_allocation_pct"],
        "initial_public_pct": src["initial_public_pct"], "final_public_pct": src["final_public_pct"],
        "proceeds_gross": (src["base_proceeds_hkd_bn"] * 1e9).round(0),
    })
    # The basis column sometimes carries the reported first-day open: "... (open 235.4)".
    out["open_price"] = src["first_day_close_basis"].str.extract(r"open ([\d.]+)")[0].astype(float)
    out["listing_chapter"] = src["route"].map(lambda r: "18C" if str(r).startswith("18C") else None)
    return out


QUALIFIER = {"exact": "exact", "approx": "about", "gt": "more_than", "near": "nearly", "range": "range",
             "range_gt": "range", "order_of_magnitude": "order_of_magnitude"}
METRIC = {"first_day_close_return": "first_day_return", "market_cap_usd": "market_cap",
          "valuation_usd": "valuation", "oversubscription_multiple": "oversubscription_public"}
ENTITY = {
    "Biren Technology": "HK:06082", "Zhipu AI": "HK:02513", "Iluvatar CoreX": "HK:09903",
    "China LLM API market (industry)": "MKT:cn-llm-api",
    "Hong Kong Exchanges and Clearing (HKEX IPO market)": "MKT:hk-ipo",
    "Hong Kong-listed AI/tech IPOs (generic)": "MKT:hk-ai-ipos",
    "Chinese general-purpose GPU sector": "MKT:cn-gpgpu", "HW Electro": "US:HWEP", "PressLogic": "CO:presslogic",
    "AIGO Holding": "CO:aigo", "SpaceX": "CO:spacex", "OpenAI": "CO:openai", "Anthropic": "CO:anthropic",
    "SpaceX / OpenAI / Anthropic (group)": "MKT:us-mega-ipos", "Cambricon": "SH:688256",
    "Moore Threads": "SH:688795", "MetaX": "SH:688802", "Kweichow Moutai": "SH:600519",
    "Cambricon + Moore Threads + MetaX (group)": "MKT:star-gpu-trio", "Hang Seng Index": "IDX:HSI",
    "Hang Seng TECH Index": "IDX:HSTECH", "Southbound Stock Connect flows": "MKT:southbound",
    "Contemporary Amperex Technology (CATL)": "CO:catl",
    "Overseas long-only capital (flows into HK)": "MKT:hk-foreign-flows",
    "Chinese GPU vendors (industry)": "MKT:cn-gpgpu",
}
ARTICLE_SOURCE = {"2026-01-icefire-overview.zh-Hans.txt": "news:2026-01-icefire-overview",
                  "2025-12-biren-ipo-launch.zh-Hant.txt": "news:2025-12-biren-ipo-launch",
                  "2026-01-06-biren-debut-cold.zh-Hans.txt": "news:2026-01-06-biren-debut-cold"}
EXCLUDED_CLAIMS = ("promotional", "headline_unrelated")


def _entity(name: str) -> str:
    if name in ENTITY:
        return ENTITY[name]
    for prefix, key in (("Biren Technology", "HK:06082"), ("Nasdaq IPO cohort", "MKT:nasdaq-small-ipos-2026"),
                        ("China intelligent computing chip market", "MKT:cn-ai-chip-market"),
                        ("Chinese vendors' share", "MKT:cn-ai-chip-market")):
        if name.startswith(prefix):
            return key
    raise KeyError(f"no entity key for article entity {name!r}")


def _period(text):
    if text is None:
        return None, None
    s = str(text)
    m = re.fullmatch(r"(FY\d{4}) \(implied\)", s)
    if m:
        return m.group(1), "period implied by the text"
    if s.startswith("unspecified"):
        return None, f"period not stated ({s})"
    return s, None


def convert_article_facts(shared: Path) -> pd.DataFrame:
    doc = yaml.safe_load((shared / "article_facts.yaml").read_text(encoding="utf-8"))
    rows = []
    for f in doc["facts"]:
        if f["claim_type"] in EXCLUDED_CLAIMS:
            continue
        name = f["entity"]["name_en"]
        unit = f["unit"]
        currency = unit if unit in ("HKD", "CNY", "USD") else None
        unit_out = {"%": "pct"}.get(unit, unit)
        if unit == "CNY/HKD (unspecified)":
            unit_out = "money (currency unspecified)"
        value = f["value"]
        text = None
        metric = METRIC.get(f["metric"], f["metric"])
        if unit in ("date", "period", "text") or metric in ("listing_chapter",):
            text, value = (None if value is None else str(value)), None
        period, pnote = _period(f.get("period"))
        as_of = f.get("as_of")
        anote = None
        if as_of is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(as_of)):
            anote, as_of = f"as of: {as_of}", None
        claim = f["claim_type"]
        if value is None and text is None and claim not in ("qualitative", "qualitative_dated"):
            claim = "unresolved"  # reported, but the text gives no value (e.g. '今日啟動招股' with no date)
        note_parts = [p for p in (f.get("notes") or None, pnote, anote) if p]
        if " - " in name:  # a product of the company, e.g. "Biren Technology - BR100 GPU"
            note_parts.insert(0, f"about: {name}")
        rows.append({
            "ext_id": f["id"], "source_id": ARTICLE_SOURCE[f["article_file"]], "entity": _entity(name),
            "field": metric, "value": value, "value_high": f.get("value_high"), "text": text, "unit": unit_out,
            "currency": currency, "qualifier": QUALIFIER[f["qualifier"]], "as_of": as_of, "period": period,
            "quote": f["quote"], "claim_type": claim, "dataset_table": f["dataset_table"],
            "note": "; ".join(note_parts) or None,
        })
    return pd.DataFrame(rows)


def main(shared_dir: str) -> None:
    shared = Path(shared_dir)
    EMBEDDED.mkdir(exist_ok=True)
    convert_hk_2018_2022(shared).to_csv(EMBEDDED / "hk_listings_2018_2022.csv", index=False)
    convert_hk_ai_2026(shared).to_csv(EMBEDDED / "hk_ai_listings_2026.csv", index=False)
    convert_article_facts(shared).to_csv(EMBEDDED / "article_facts.csv", index=False)
    print(f"wrote embedded dataset to {EMBEDDED}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
