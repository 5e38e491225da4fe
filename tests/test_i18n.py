"""The message catalogue (issue 16): every label in en, zh-Hans and zh-Hant; every ledger field labelled; the
language from --lang / IPOLENS_LANG / the locale; the colour convention from --colors or the language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import ipolens.i18n as i18n
from ipolens.ledger.fields import FIELDS

MESSAGES = yaml.safe_load(Path(i18n.__file__).with_name("messages.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _reset():
    yield
    i18n.set_lang(None)
    i18n.set_colors(None)


def test_every_entry_has_all_three_languages():
    bad = [k for k, v in MESSAGES.items() if not isinstance(v, dict) or any(not v.get(lang) for lang in i18n.LANGS)]
    assert not bad, bad
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9_.\-]*", k) for k in MESSAGES), "keys are snake_case with dots"


def test_every_ledger_field_has_a_label():
    names = FIELDS if isinstance(FIELDS, dict) else {f.name for f in FIELDS}
    missing = sorted(n for n in names if f"field.{n}" not in MESSAGES)
    assert not missing, missing


def test_traditional_entries_are_traditional():
    """zh-Hant written in Traditional characters: OpenCC's Simplified->Traditional conversion leaves them as they are
    (a Simplified character left in, such as 发 or 认, would be changed). The language names are exempt: each is
    written in its own script."""
    opencc = pytest.importorskip("opencc")
    cc = opencc.OpenCC("s2t")
    fold = str.maketrans({"祕": "秘"})  # both Traditional; OpenCC prefers the first
    bad = {k: v["zh-Hant"] for k, v in MESSAGES.items()
           if not k.startswith("lang.") and cc.convert(v["zh-Hant"]).translate(fold) != v["zh-Hant"].translate(fold)}
    assert not bad, list(bad.items())[:10]


@pytest.mark.parametrize("key,hant", [("field.lottery_rate", "中籤"), ("field.grey_market_return", "暗盤"),
                                      ("field.offering_start_date", "招股"), ("field.cornerstone_amount", "認購")])
def test_hong_kong_terms(key, hant):
    assert hant in MESSAGES[key]["zh-Hant"]


def test_qualifier_words_are_the_chinese_hedges():
    # the issue: qualifiers are 约/近/超/以上 in Chinese
    assert [i18n.t(f"qualifier.{q}", "zh-Hans") for q in ("about", "nearly", "more_than", "at_least")] == \
        ["约", "近", "超", "以上"]


@pytest.mark.parametrize("given,expected", [("zh", "zh-Hans"), ("zh_CN.UTF-8", "zh-Hans"), ("zh-TW", "zh-Hant"),
                                            ("zh_HK", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("en_GB.UTF-8", "en"),
                                            ("C.UTF-8", "en"), (None, "en")])
def test_normalise_lang(given, expected):
    assert i18n.normalise_lang(given) == expected


def test_parse_lang_refuses_what_it_cannot_serve():
    assert i18n.parse_lang("zh-Hant") == "zh-Hant" and i18n.parse_lang("EN") == "en"
    for bad in ("fr", "", "chinese", None):
        with pytest.raises(ValueError, match="zh-Hans"):
            i18n.parse_lang(bad)


def test_language_from_option_then_environment_then_locale(monkeypatch):
    monkeypatch.delenv("IPOLENS_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert i18n.current_lang() == "zh-Hant"
    monkeypatch.setenv("IPOLENS_LANG", "zh-Hans")
    assert i18n.current_lang() == "zh-Hans" and i18n.t("report.deal") == "发行条款与首日表现"
    i18n.set_lang("en")
    assert i18n.current_lang() == "en" and i18n.t("report.deal") == "Deal terms and the first day"


def test_catalogue_and_field_label():
    cat = i18n.catalogue("zh-Hant")
    assert cat["field.lot_size"] == "每手股數" and len(cat) == len(MESSAGES)
    assert i18n.field_label("offer_price", "zh-Hans") == "发行价"
    assert i18n.field_label("not_a_field", "zh-Hans") == "not a field"


def test_colours_follow_the_language_unless_chosen(monkeypatch):
    monkeypatch.delenv("IPOLENS_COLORS", raising=False)
    red, green = "#c0392b", "#1f7a3a"
    assert i18n.colors(lang="zh-Hant") == {"up": red, "down": green, "convention": "cn"}  # red up in Chinese
    assert i18n.colors(lang="en") == {"up": green, "down": red, "convention": "us"}
    assert i18n.colors("us", lang="zh-Hans")["up"] == green
    i18n.set_colors("cn")
    assert i18n.colors(lang="en")["up"] == red
    i18n.set_colors(None)
    monkeypatch.setenv("IPOLENS_COLORS", "cn")
    assert i18n.colors(lang="en")["up"] == red
    with pytest.raises(ValueError, match="cn"):
        i18n.colors("green")


def test_root_options(run_cli):
    res = run_cli("--lang", "fr", "ipos")
    assert res.exit_code == 2 and "unknown language" in res.output
    res = run_cli("--colors", "purple", "ipos")
    assert res.exit_code == 2 and "colour convention" in res.output
    res = run_cli("--lang", "zh-Hant", "--colors", "us", "conflicts", "6082.HK", "--json")
    assert res.exit_code == 0, res.output
    assert i18n.current_lang() == "zh-Hant" and i18n.current_colors() == "us"
