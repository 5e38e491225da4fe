"""A disagreement with the ledger judges the article only when the reading is sure of what the figure is about.

1. The company: a figure in a paragraph that does not name it is read as about the article's subject (该股, "the
   stock"); in a roundup of several deals that may be a company the reader does not know, so a disagreement is not
   judged (agreement still supports the figure). A name earlier in the same paragraph is a sure reading.
2. The venue: Hong Kong's grey market trades on each broker's platform at its own prices; a ledger grey-market value of
   unstated platform is not the basis of the article's figure.
3. The ledger value's own rounding: the embedded HKEX 2018-2022 dataset writes subscription multiples to 0.1x.
"""
import datetime as dt

import pytest

from ipolens.app.news import check_text as _check_text

HKEX = "dataset:hkex-ipo-app-2018-2022"


def _claims(store, text, published=None):
    return _check_text(store, text, published=published, market="HK").to_dict()["claims"]


# 1. the company named in the figure's paragraph, or carried from an earlier one --------------------------------------
# The embedded ledger: Biren (HK:06082) market cap 近800亿港元 from a source published 2026-01-06.
NAMED = "截至2026年1月6日，壁仞科技市值{cap}亿港元"
SAME_PARAGRAPH = "壁仞科技今日举行股东会。截至2026年1月6日，该股市值{cap}亿港元"
CARRIED = "壁仞科技与摩尔线程今日举行股东会。\n截至2026年1月6日，该股市值{cap}亿港元"


def _cap(store, template, cap):
    caps = [c for c in _claims(store, template.format(cap=cap)) if c["metric"] == "market_cap"]
    assert len(caps) == 1, caps
    assert caps[0]["entity_key"] == "HK:06082", caps[0]  # the carried reading is made: the rule is what is tested
    return caps[0]


def test_a_disagreement_about_the_company_named_in_the_paragraph_is_judged(store):
    assert _cap(store, NAMED, "855.4")["verdict"] == "inconsistent"
    assert _cap(store, SAME_PARAGRAPH, "855.4")["verdict"] == "inconsistent"


def test_a_disagreement_about_a_company_carried_from_an_earlier_paragraph_is_not_judged(store):
    c = _cap(store, CARRIED, "855.4")
    assert c["verdict"] == "unverifiable", c["why"]
    assert "paragraph does not name the company" in c["why"]


def test_agreement_supports_a_carried_reading(store):
    c = _cap(store, CARRIED, "近800")
    assert c["verdict"] == "consistent", c["why"]


# 2. the grey market's platform -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def grey(store):
    """A listing of the embedded HKEX dataset with a positive grey-market return and a Chinese name."""
    with store.read() as led:
        rows = led.query(
            "SELECT e.name_zh, f.value_num FROM facts f JOIN entities e ON e.key = f.entity "
            f"WHERE f.source_id = '{HKEX}' AND f.field = 'grey_market_return' AND f.value_num > 5 "
            "AND e.name_zh IS NOT NULL AND e.name_zh <> e.name_en ORDER BY f.entity LIMIT 20")
    names = [(n, v) for n, v in zip(rows["name_zh"], rows["value_num"]) if all("\u4e00" <= ch <= "\u9fff" for ch in n)]
    assert names, "the embedded dataset has grey-market returns"
    return names[0]


def _grey(store, name, pct):
    got = [c for c in _claims(store, f"{name}暗盘收升{pct:.2f}%。", dt.date(2020, 1, 1))
           if c["metric"] == "grey_market_return"]
    assert len(got) == 1, got
    return got[0]


def test_a_grey_market_figure_off_the_ledger_is_not_judged(store, grey):
    name, v = grey
    c = _grey(store, name, v + 5)
    assert c["verdict"] == "unverifiable", c["why"]
    assert "platform" in c["why"]  # VENUE_DOUBT


def test_a_grey_market_figure_equal_to_the_ledger_is_supported(store, grey):
    name, v = grey
    assert _grey(store, name, v)["verdict"] == "consistent"


# 3. the dataset's written rounding -------------------------------------------------------------------------------
def test_the_hkex_dataset_multiples_are_read_to_their_written_tenth(store):
    with store.read() as led:
        rows = led.query(f"SELECT value_num, lo, hi FROM facts WHERE source_id = '{HKEX}' "
                         "AND field = 'oversubscription_public'")
    assert len(rows) > 100
    # every value is a whole number of tenths (the step is the data's own), and each admits half a tenth each side
    assert all(abs(v * 10 - round(v * 10)) < 1e-6 for v in rows["value_num"])
    assert (rows["hi"] - rows["lo"]).round(9).eq(0.1).all()
    assert ((rows["lo"] + rows["hi"]) / 2 - rows["value_num"]).abs().max() < 1e-9
