"""Acceptance of the core slice: `ipolens ipo 6082.HK --json` and friends, every number with its source."""
import json

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def biren(cli_home):
    from typer.testing import CliRunner

    from ipolens.cli import app

    r = CliRunner().invoke(app, ["ipo", "6082.HK", "--json"], env={"IPOLENS_HOME": str(cli_home)})
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _sourced(v):
    assert v["basis"] in ("stated", "derived", "derived_by_source")
    if v["basis"] == "derived":
        assert v["derivation"]["formula"] and v["derivation"]["facts"]
    else:
        assert v["source"] and v["fact_id"]
    return v["value"]


def test_deal_terms(biren):
    d = biren["deal"]
    assert _sourced(d["offer_price"]) == 19.6 and d["offer_price"]["currency"] == "HKD"
    assert _sourced(d["listing_date"]) == "2026-01-02"
    assert _sourced(d["cornerstone_count"]) == 23
    assert _sourced(d["greenshoe_pct"]) == 15


def test_first_day(biren):
    f = biren["first_day"]
    assert _sourced(f["open_price"]) == 35.7
    ret = f["first_day_open_return"]
    assert _sourced(ret) == pytest.approx(82.142857, abs=1e-6) and round(ret["value"], 2) == 82.14
    assert ret["stated_values"][0]["value"] == 82.1 and ret["stated_values"][0]["agrees_with_derived"]
    assert _sourced(f["close_price"]) == 34.46
    assert round(_sourced(f["first_day_return"]), 1) == 75.8
    t = f["turnover"]
    assert _sourced(t) == 5_520_000_000 and t["currency"] == "HKD" and t["quote"] == "全天成交额达55.2亿港元"


def test_market_cap_and_series(biren):
    mc = biren["valuation"]["market_cap"]
    assert _sourced(mc) == 85_540_000_000 and mc["as_of"] == "2026-01-05" and mc["currency"] == "HKD"
    assert "stated" in mc["label"]
    series = {(v["as_of"], v["currency"]): v for v in biren["valuation"]["market_cap_series"]}
    assert series[("2026-01-06", "HKD")]["qualifier"] == "nearly"
    ps = biren["valuation"]["price_to_sales"]
    assert ps["fx"]["pair"] == "CNY/HKD" and ps["fx"]["source"]
    assert ps["value"] == pytest.approx(85.54e9 / (3.37e8 * ps["fx"]["rate"]))


def test_fundamentals(biren):
    per = biren["fundamentals"]["periods"]
    assert {p for p in ("FY2022", "FY2023", "FY2024", "2025H1") if "revenue" in per.get(p, {})} == \
        {"FY2022", "FY2023", "FY2024", "2025H1"}
    der = biren["fundamentals"]["derived"]
    cagr = der["revenue_cagr"]
    assert (cagr["start"], cagr["end"]) == ("FY2022", "FY2024")
    assert cagr["value"] == pytest.approx(((3.37e8 / 4.99e5) ** 0.5 - 1) * 100)
    loss = der["adjusted_net_loss_change_FY2023_FY2024"]
    assert round(loss["value"], 1) == -27.0 and loss["direction"] == "narrowed"
    for period, share, rd in (("FY2022", 79.8, 10.18e8), ("FY2023", 76.4, 8.86e8), ("FY2024", 73.7, 8.27e8)):
        assert per[period]["rd_share_of_opex"]["value"] == share
        assert per[period]["implied_opex"]["value"] == pytest.approx(rd / (share / 100))


def test_conflicts_and_sources(biren):
    fields = {c["field"] for c in biren["conflicts"]}
    assert "cornerstone_share_of_offer" in fields  # 51.93 (dataset) vs 约64% (001 at the range midpoint)
    used = set()

    def walk(o):
        if isinstance(o, dict):
            if o.get("basis") in ("stated", "derived_by_source"):
                used.add(o["source"])
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(biren)
    assert used <= set(biren["sources"])
    for s in biren["sources"].values():
        assert s["title"] and s["kind"]


def test_api_returns_same_as_json(db, biren):
    p = db.ipo("壁仞").to_dict()
    assert json.loads(json.dumps(p, default=str))["deal"]["offer_price"]["value"] == \
        biren["deal"]["offer_price"]["value"]
    assert set(p) == set(biren)


def test_facts_command_shows_both_market_caps(run_cli):
    r = run_cli("facts", "6082.HK", "--field", "market_cap", "--json")
    assert r.exit_code == 0
    body = json.loads(r.output)
    rows = body["rows"]
    assert body["total"] == len(rows)
    hkd = {(row["value"], row["qualifier"], row["date_key"]) for row in rows if row["currency"] == "HKD"}
    assert hkd == {(85_540_000_000, "exact", "2026-01-05"), (80_000_000_000, "nearly", "2026-01-06")}
    assert all(row["source_title"] and row["quote"] for row in rows)
    r = run_cli("facts", "6082.HK", "--field", "market_cap")
    # the value through the one formatter (i18n.format.fmt_value): 85,540,000,000 / 1e9 = 85.54 -> "HKD 85.54bn"
    assert "HKD 85.54bn" in r.output and "nearly" in r.output


def test_ipos_csv(run_cli):
    import csv
    import io

    r = run_cli("ipos", "--market", "HK", "--year", "2020", "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert len(rows) == 154
    assert {"oversubscription_public", "one_lot_success_rate", "first_day_return"} <= set(rows[0])
    assert all(row["listing_date"].startswith("2020") for row in rows)


def test_human_profile_has_legend_and_conflicts(run_cli):
    r = run_cli("ipo", "6082 HK")
    assert r.exit_code == 0
    for s in ("Sources", "港股研究社", "[d]", "Conflicts", "HKD 85.54bn", "+82.14%"):
        assert s in r.output, s


def test_unknown_code_is_a_clean_error(run_cli):
    r = run_cli("ipo", "0001.HK")
    assert r.exit_code == 2 and "error:" in r.output
    r = run_cli("ipos", "--market", "LSE")
    assert r.exit_code == 2
    r = run_cli("facts", "6082.HK", "--field", "market_kap")
    assert r.exit_code == 2 and "did you mean market_cap" in r.output


def test_ipos_sort_and_api_dataframe(db):
    from ipolens.app.base import UserError

    df = db.ipos(market="HK", year=2020, sort="-oversubscription_public")
    assert df.oversubscription_public.iloc[0] == df.oversubscription_public.max()
    with pytest.raises(UserError, match="did you mean"):
        db.ipos(sort="oversubscription")
    with pytest.raises(UserError, match="unknown market 'LSE'"):
        db.ipos(market="LSE")
    # market names as the registry spells them
    assert len(db.ipos(market="hkex", year=2020)) == len(df) == 154


def test_ipos_search_pages_and_columns(store):
    from ipolens.app.profile import IPO_COLUMNS, ipos

    full = ipos(store, market="HK", year=2026, sort="listing_date")
    assert full.total == 8 and full.columns == [c for c in IPO_COLUMNS if c in full.frame.columns]
    page = ipos(store, market="HK", year=2026, sort="listing_date", offset=3, limit=2)
    assert page.total == 8 and page.to_dict()["rows"] == full.to_dict()["rows"][3:5]
    # traditional and simplified spellings find the same listing; so do the code and the English name
    hits = [set(ipos(store, q=q).frame["code"]) for q in ("智譜", "智谱", "02513", "zhipu")]
    assert all(h == {"02513.HK"} for h in hits), hits


def test_deal_derivations_check_the_stated_figures(biren):
    cs = biren["deal"]["cornerstone_share_from_amount"]
    assert cs["value"] == pytest.approx(29e8 / 5_582_993_360 * 100)
    verdicts = {s["value"]: s["agrees_with_derived"] for s in cs["stated_values"]}
    assert verdicts == {51.93: True, 64.0: False, 50.0: True}  # article_checks E3/E4
    gs = biren["deal"]["greenshoe_proceeds"]
    assert gs["value"] == pytest.approx(5_582_993_360 * 0.15)


def test_star_case_flags_a_wrong_stated_return(db):
    f = db.ipo("688795").to_dict()["first_day"]["first_day_return"]
    assert f["basis"] == "derived" and f["value"] == pytest.approx(425.4638, abs=1e-4)
    assert [(s["value"], s["agrees_with_derived"]) for s in f["stated_values"]] == [(468.78, False)]


def test_no_stored_fact_is_hidden(biren, db):
    other = biren["other"]
    assert other["founded_year"]["value"] == 2019 and other["founded_year"]["quote"]
    assert other["patents_filed"]["qualifier"] == "more_than"
    shown = set(biren["deal"]) | set(biren["first_day"]) | set(biren["other"]) | {"market_cap", "name_en"}
    for period in biren["fundamentals"]["periods"].values():
        shown |= set(period)
    stored = set(db.facts("6082.HK").dropna(subset=["value", "text"], how="all").field)
    assert stored <= shown


def test_every_face_shows_the_same_first_day_return(db):
    """Moore Threads: the news article's 468.78% loses to 600.50 / 114.28 from the exchange data, in the profile,
    the ipos table and the compare table alike."""
    from ipolens.app.stats import compare

    expected = (600.50 / 114.28 - 1) * 100  # 425.46%
    assert db.ipo("688795").to_dict()["first_day"]["first_day_return"]["value"] == pytest.approx(expected)
    star = db.ipos(market="STAR").set_index("code")
    assert star.loc["688795.SH", "first_day_return"] == pytest.approx(expected)
    row = compare(db.store, ["688795"]).rows.iloc[0]
    assert row["first_day_return"] == pytest.approx(expected) and row["first_day_return_source"] == "derived:ipolens"


def test_financials_keep_currency_and_qualifiers(db):
    fin = db.financials("Biren").set_index("period")
    # the backlog row holds only 约8.22亿 CNY: its currency and its 约 survive the wide table
    backlog = fin[fin["backlog"].notna()].iloc[0]
    assert backlog["currency"] == "CNY" and "backlog: about" in backlog["qualifiers"]
    assert "revenue_growth_yoy: nearly" in fin.loc["2025H1", "qualifiers"]  # 近50%
    assert fin.loc["FY2024", "currency"] == "CNY" and pd.isna(fin.loc["FY2024", "qualifiers"])


def test_facts_command_shows_a_derivation_instead_of_a_quote(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    r = run_cli("facts", "688795", "--field", "first_day_return")
    assert r.exit_code == 0
    assert "= (close_price / offer_price - 1) x 100 (facts #" in r.output and "nan" not in r.output


def test_ipos_table_keeps_prices_and_codes_whole_on_a_narrow_terminal(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = run_cli("ipos", "--market", "STAR")
    assert r.exit_code == 0
    assert "688795.SH" in r.output and "114.28" in r.output and "104.66" in r.output and "CNY" in r.output
    assert run_cli("ipos", "--limit", "-3").exit_code == 2  # a negative limit is refused, not read as "all but 3"


def test_compare_counts_one_company_once(store):
    from ipolens.app.stats import compare

    res = compare(store, ["6082.HK", "6082", "壁仞科技", "688795"])
    assert list(res.rows["code"]) == ["06082.HK", "688795.SH"]
    assert res.medians.set_index("market").loc["HK", "companies"] == 1


def test_unknown_codes_exit_2_and_unwritable_reports_are_clean(run_cli, tmp_path):
    assert run_cli("compare", "6082.HK", "NOPE").exit_code == 2
    assert run_cli("report", "NOPE").exit_code == 2
    r = run_cli("report", "6082.HK", "--out", str(tmp_path / "no" / "such" / "dir" / "x.html"))
    assert r.exit_code == 2 and "cannot write" in r.output and "Traceback" not in r.output
