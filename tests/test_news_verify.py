"""Verification on short texts modelled on real published errors (../shared/docs/news-numbers.md §4)."""

from ipolens.app.news import check_text as _check_text
from ipolens.news.verify import verify
from ipolens.news.extract import extract_claims
from ipolens.news.text import article_from_text


def check_text(store, text, **kw) -> dict:
    """The use case's JSON, as the CLI and the web API give it."""
    return _check_text(store, text, **kw).to_dict()


def _claims(store, text, market="CN"):
    return {c["metric"]: c for c in check_text(store, text, market=market)["claims"]}


def test_moore_threads_wrong_percentage(store):
    cs = _claims(store, "摩尔线程发行价114.28元/股,上市首日收于600.50元,涨幅425.26%。")
    r = cs["first_day_return"]
    assert r["verdict"] == "inconsistent"
    assert "425.46%" in r["why"]
    assert cs["close_price"]["unit"] == "CNY" and cs["close_price"]["code"] == "688795.SH"


def test_zhipu_close_and_return_disagree(store):
    cs = _claims(store, "智谱收报125.7港元,较发行价116.2港元上涨8.06%。", market="HK")
    assert cs["first_day_return"]["verdict"] == "inconsistent"
    assert "8.18%" in cs["first_day_return"]["why"]
    assert cs["close_price"]["verdict"] == "inconsistent"  # the deal data has 131.50
    assert "131.5" in cs["close_price"]["why"]


def test_truncated_integer_headline_is_accepted(store):
    cs = _claims(store, "壁仞科技发行价19.6港元,开盘报35.7港元,高开82%。", market="HK")
    assert cs["first_day_open_return"]["verdict"] == "consistent"


def test_rounded_percentage_within_decimals(store):
    cs = _claims(store, "某公司发行价10.00港元,开盘报12.35港元,高开23.5%。", market="HK")
    assert cs["first_day_open_return"]["verdict"] == "consistent"
    cs = _claims(store, "某公司发行价10.00港元,开盘报12.35港元,高开23.9%。", market="HK")
    assert cs["first_day_open_return"]["verdict"] == "inconsistent"


def test_net_above_gross_is_inconsistent():
    art = article_from_text("甲公司募资总额40亿港元,募资净额42亿港元。")
    cs = extract_claims(art, market="HK")
    fs = verify({"a": cs})
    assert any(f.check == "net_below_gross" and f.verdict == "inconsistent" for f in fs)


def test_direction_word_contradiction():
    art = article_from_text("公司经调整净亏损从2023年的7.67亿元收窄至2024年的10.51亿元。")
    cs = extract_claims(art, market="CN")
    fs = verify({"a": cs})
    assert any(f.check == "direction" and f.verdict == "inconsistent" for f in fs)


def test_cagr_wrong():
    art = article_from_text("行业规模由2019年的12亿元增长到2023年的150亿元,年复合增长率达到60%。")
    cs = extract_claims(art)
    fs = verify({"a": cs})
    cagr = [f for f in fs if f.check == "cagr"]
    assert cagr and cagr[0].verdict == "inconsistent" and "88.0%" in cagr[0].why  # (150 / 12) ** (1 / 4) - 1 = 0.880


def test_fx_band_assumption_without_rates():
    art = article_from_text("市值233.6亿港元,约合30亿美元。某估值86亿港元(约12亿美元)。")
    cs = extract_claims(art)
    fs = [f for f in verify({"a": cs}) if f.check == "fx"]
    assert [f.verdict for f in fs] == ["consistent", "tension"]
    assert "7.75–7.85" in fs[1].why and "assumption" in fs[1].why


def test_fx_uses_dated_rate_when_present(fresh_store):
    with fresh_store.write() as led:
        if not len(led.query("SELECT * FROM fx_rates WHERE base = 'USD' AND quote = 'HKD'")):
            led.con.execute("INSERT INTO sources (id, kind, title) VALUES ('fx:test', 'dataset', 'test rates')")
            led.con.execute("INSERT INTO fx_rates VALUES ('2026-01-05', 'USD', 'HKD', 7.78, 'fx:test', NULL)")
    # 389 / 50 = 7.78, the inserted rate
    out = check_text(fresh_store, "至2026年1月5日,该公司市值389亿港元,约合50亿美元。", market="HK")
    fx = [f for f in out["findings"] if f["check"] == "fx"]
    assert fx and "fx_rates row" in fx[0]["why"] and fx[0]["verdict"] == "consistent"


def test_unverifiable_says_what_is_missing():
    art = article_from_text("壁仞科技发行价19.6港元,收盘录得75.8%的涨幅。")
    cs = extract_claims(art, market="HK")
    verify({"a": cs})
    ret = [c for c in cs if c.metric == "first_day_return"][0]
    assert ret.verdict == "unverifiable" and "close price" in ret.why and "34.46" in ret.why


def test_every_claim_has_a_why(store):
    out = check_text(store, "壁仞科技发行价19.6港元,开盘报35.7港元。市值近800亿港元。")
    assert out["claims"] and all(c["why"] for c in out["claims"])


def test_english_report(store):
    t = ("Biren Technology priced its IPO at HK$19.60 per share, raising HK$5.58 billion. The shares opened at "
         "HK$35.70, up 82.1%, and closed at HK$34.46. The retail tranche was oversubscribed 2,347 times.")
    cs = _claims(store, t, market="HK")
    assert cs["offer_price"]["value"] == 19.6 and cs["offer_price"]["code"] == "06082.HK"
    assert cs["proceeds_gross"]["value"] == 5.58e9
    assert cs["first_day_open_return"]["verdict"] == "consistent"
    assert cs["oversubscription_public"]["verdict"] == "consistent"  # 2,347 is 2347.53 truncated


def test_english_dates():
    import datetime as dt

    from ipolens.news.dates import scan_dates

    got = {d.raw: d.date for d in scan_dates("listed on January 8, 2026; closed Dec 19", dt.date(2026, 1, 6))}
    assert got["January 8, 2026"] == dt.date(2026, 1, 8)
    assert got["Dec 19"] == dt.date(2025, 12, 19)


def test_this_company_resolves_to_the_company_just_named(store):
    cs = check_text(store, "沐曦股份表现亮眼。摩尔线程上市首日大升468.78%。该公司总市值突破3000亿元。", market="CN")["claims"]
    cap = [c for c in cs if c["value"] == 3e11][0]
    assert cap["entity_key"] == "SH:688795" and cap["unit"] == "CNY" and cap["qualifier"] == "more_than"
