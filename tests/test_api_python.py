"""The Python API as a notebook uses it (issue 16 item 7): dates, market aliases, years, p.value, p.to_frame, plot."""
import datetime as dt

import pandas as pd
import pytest


def test_date_columns_are_datetime64(db):
    df = db.ipos()
    assert pd.api.types.is_datetime64_any_dtype(df["listing_date"])
    # independent: the listing row's own date (a Python date from the ledger) for one STAR listing
    row = df[df["code"] == "688795.SH"].iloc[0]
    stated = db.listing("688795")["listing_date"]
    assert row["listing_date"].date() == pd.Timestamp(stated).date()
    assert (df["listing_date"].dt.year >= 2000).all()
    assert pd.api.types.is_datetime64_any_dtype(db.facts("6082.HK")["as_of"])


@pytest.mark.parametrize("alias", ["SH", "SS", "SSE", "sh"])
def test_shanghai_aliases_find_the_sh_codes(db, alias):
    every = db.ipos()
    expected = set(every.loc[every["code"].str.endswith(".SH"), "code"])  # by the code suffix, not the market
    assert expected  # STAR codes such as 688795.SH
    assert set(db.ipos(market=alias)["code"]) == expected


def test_star_is_star_and_unknown_market_is_an_error(db):
    star = db.ipos(market="STAR")
    assert set(star["market"]) == {"STAR"}
    with pytest.raises(ValueError, match="unknown market 'XX'"):
        db.ipos(market="XX")


def test_year_int_range_and_list(db):
    every = db.ipos()
    years = every["listing_date"].dt.year
    want = set(every.loc[years.isin([2019, 2020, 2021]), "code"])
    assert set(db.ipos(year=range(2019, 2022))["code"]) == want
    assert set(db.ipos(year=[2019, 2020, 2021])["code"]) == want
    assert set(db.ipos(year=2020)["code"]) == set(every.loc[years == 2020, "code"])
    with pytest.raises(ValueError):
        db.ipos(year="twenty")


def test_profile_value_and_flat_frame(db):
    p = db.ipo("6082.HK")
    assert p.value("offer_price") == 19.6  # HKD 19.60, the allotment results (urop-hk-ipo dataset)
    assert p.value("revenue", period="FY2024") == 337_000_000  # 3.37亿 CNY, the FY2024 revenue in both articles
    assert p.value("lottery_rate") is None  # an HK deal has no STAR lottery rate: missing, not invented
    with pytest.raises(KeyError, match="offer_price"):
        p.value("offer_pric")
    f = p.to_frame()
    assert {"section", "period", "field", "value", "unit", "currency", "qualifier", "as_of", "source",
            "resolved"} <= set(f.columns)
    offer = f[(f["field"] == "offer_price") & f["resolved"]]
    assert len(offer) == 1 and offer["value"].iloc[0] == 19.6 and offer["currency"].iloc[0] == "HKD"
    # flat: one scalar per cell, and every value the profile holds (resolved or not) is a row
    assert not f["value"].map(lambda v: isinstance(v, (dict, list))).any()
    d = p.to_dict()
    n_other = sum(len(v.get("other_values", [])) for sec in ("deal", "first_day") for v in d[sec].values())
    assert len(f[f["section"].isin(["deal", "first_day"])]) == len(d["deal"]) + len(d["first_day"]) + n_other
    assert pd.api.types.is_datetime64_any_dtype(f["as_of"])


def test_plot_works_out_of_the_box(db):
    import importlib.util

    df = db.ipos(market="HK", year=2026)
    fig = df.plot(x="listing_date", y="first_day_return")
    assert fig is not None
    if importlib.util.find_spec("matplotlib") is None:  # plotly (a dependency) is the backend then
        import plotly.graph_objects as go

        assert isinstance(fig, go.Figure)
        assert len(fig.data[0].x) == len(df)
    assert isinstance(df["listing_date"].iloc[0], (pd.Timestamp, dt.datetime))
