"""`ipolens ipo CODE` (one screen and --full) and the conflict pairs in Chinese: every label, coded value, derived
key and number from the catalogue and the formatter, none of the catalogue's English left (issue 16)."""
import io
import re

import pytest
from _lang_scan import english_found, proper_names, raw_keys as _raw_keys

CODES = ("6082.HK", "9903.HK", "2513.HK", "688795.SH")


@pytest.fixture()
def lang_of_test():
    from ipolens.i18n import current_lang, set_lang

    before = current_lang()
    yield set_lang
    set_lang(before)


def _render(p, full: bool) -> str:
    from rich.console import Console

    from ipolens.report.profile_terminal import print_profile

    con = Console(width=250, file=io.StringIO(), record=True, color_system=None)
    print_profile(p, full=full, console=con)
    return con.export_text()


def _english_found(out: str, lang: str, p: dict | None = None) -> list:
    return english_found(out, lang, proper_names(p or {}))


@pytest.fixture(scope="module")
def profiles(store):
    from ipolens.app.profile import ipo_profile

    return {c: ipo_profile(store, c).to_dict() for c in CODES}


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("code", CODES)
def test_zh_profile_has_no_english_catalogue_label(profiles, lang_of_test, lang, full, code):
    lang_of_test(lang)
    out = _render(profiles[code], full)
    found = _english_found(out, lang, profiles[code])
    assert not found, found[:20]
    assert not _raw_keys(out), _raw_keys(out)[:10]


def test_the_terminal_check_catches_english_and_raw_keys():
    # the checks above must be able to fail: a raw route value beside a CJK label, an English header, a ledger key
    out = ("上市路徑 Conventional [1]   每手股數  100 [2]\n"
           "┃ 欄位 ┃ A ┃ src A ┃\n│ revenue_growth_FY2022_FY2023 │ +443.29% │ [d] │\n基本面 undated\n")
    keys = {k for k, _ in _english_found(out, "zh-Hant")}
    assert {"route.conventional", "term.col.src_a", "term.undated"} <= keys
    assert _raw_keys(out) == ["revenue_growth_FY2022_FY2023"]


def test_derived_pair_and_coded_values_are_translated(profiles, lang_of_test):
    from ipolens.i18n import t

    lang_of_test("zh-Hans")
    out = _render(profiles["6082.HK"], True)
    # the catalogue's words, built from the field label and the two periods
    assert f"{t('field.revenue')}增长 FY2023–FY2024" in out
    assert f"{t('field.adjusted_net_loss')}变动 FY2023–FY2024" in out
    assert "18C 特专科技" in out  # route '18C specialist tech' (messages.yaml route.18c_specialist_tech)
    lang_of_test("en")
    out = _render(profiles["6082.HK"], True)
    assert "Revenue growth FY2023–FY2024" in out and "18C specialist tech" in out


def _two_currency_conflict() -> dict:
    # HKD 51.2bn (about) against USD 7.0bn (about); converted at 7.7864..7.7878 with the ±5% of "about":
    # 7.0e9 x 0.95 x 7.7864 = 51.779e9, 7.0e9 x 1.05 x 7.7878 = 57.240e9 (by hand)
    return {"value_a": 51.2e9, "value_b": 7.0e9, "text_a": "约512亿港元", "text_b": "约70亿美元",
            "qualifier_a": "about", "qualifier_b": "about", "currency_a": "HKD", "currency_b": "USD", "unit": "HKD",
            "fx_rate_lo": 7.7864, "fx_rate_hi": 7.7878, "value_b_converted_lo": 7.0e9 * 0.95 * 7.7864,
            "value_b_converted_hi": 7.0e9 * 1.05 * 7.7878, "fx_dates": "2026-01-05..2026-01-07",
            "fx_source": "fx:ecb-eurofxref"}


@pytest.mark.parametrize("lang,a,b", [
    ("zh-Hans", "约512.00亿港元", "约70.00亿美元 = 517.80亿港元–572.40亿港元（按 1 美元 = 7.7864–7.7878 港元，"),
    ("zh-Hant", "約512.00億港元", "約70.00億美元 = 517.80億港元–572.40億港元（按 1 美元 = 7.7864–7.7878 港元，"),
    ("en", "about HKD 51.20bn", "about USD 7.00bn = HKD 51.78bn–HKD 57.24bn at 1 USD = 7.7864–7.7878 HKD ("),
])
def test_two_currency_conflict_in_the_readers_language(lang_of_test, lang, a, b):
    from ipolens.report.terminal import pair_text

    lang_of_test(lang)
    ta, tb = pair_text(_two_currency_conflict())
    assert ta == a and tb.startswith(b), (ta, tb)
    assert tb.endswith("2026-01-05..2026-01-07" + ("，fx:ecb-eurofxref）" if lang != "en" else ", fx:ecb-eurofxref)"))
    if lang != "en":
        assert not re.search(r"HKD|USD|\bat\b", ta + tb)


@pytest.mark.parametrize("command", [("conflicts", "2513.HK"), ("facts", "9903.HK")])
def test_conflicts_and_facts_headers_in_chinese(run_cli, lang_of_test, command):
    try:
        r = run_cli("--lang", "zh-Hant", *command)
    finally:
        lang_of_test(None)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    # the title, the header row and the field column; values (a legal name, a quote) are the sources' own words
    fields = [x.split("│")[2] for x in lines if x.startswith("│") and x.count("│") > 3]
    found = _english_found("\n".join([lines[0], *(x for x in lines if "┃" in x), *fields]), "zh-Hant")
    assert not found, found[:20]
    # headers and the title from the catalogue (messages.yaml term.col.*, term.*_title)
    assert ("對象" in r.output and "來源 A" in r.output) if command[0] == "conflicts" else "條事實" in r.output
    assert not re.search(r"\b(entity|source A|conflicts|facts for|undated)\b", r.output)
