"""Every terminal rendering of the CLI in Chinese (issue 16): each command below, run as a user runs it
(`ipolens --lang zh-Hans|zh-Hant …` at 80 and 120 columns), prints no English label of the catalogue and no
ledger field name raw; with `--lang en` the same commands print no Chinese label of the catalogue. Data stays as
the sources state it (names, source ids, codes, quotes)."""
from __future__ import annotations

import re

import pytest
from _lang_scan import chinese_found, english_found, raw_field_keys, unwrap

from conftest import REPO

# an arithmetic error and a ledger conflict: findings of both kinds (examples/README.md)
NEWS = sorted(str(p) for p in (REPO / "examples" / "news").glob("*.txt") if "error" in p.name or "conflict" in p.name)
COMMANDS = {
    "pipeline": ("pipeline",),
    "deal": ("deal", "SpaceX", "--on", "2026-06-05"),
    "calendar": ("calendar", "--from", "2026-01-01", "--to", "2026-03-31"),
    **{f"stats-{by}": ("stats", "--by", by, "--market", "HK") for by in
       ("band", "year", "sponsor", "route", "market", "year_market", "nday")},
    "stats-left-out": ("stats", "--by", "year", "--market", "HK", "--year", "2020"),
    "lab-flip": ("lab", "flip", "--market", "HK", "--from", "2021", "--to", "2021", "--exit", "day:80"),
    "lab-grid": ("lab", "grid", "--from", "2019", "--to", "2021", "--exit", "debut,day:80", "--stop", "none,0.1",
                 "--walk-forward", "2:1", "--engine", "local"),
    "lab-run": ("lab", "run", str(REPO / "examples" / "barbell.yaml"), "--engine", "local"),
    "ipos": ("ipos", "--market", "HK", "--year", "2020", "--limit", "12"),
    "company": ("company", "688256.SH"),
    "ipo-full": ("ipo", "6082.HK", "--full"),
    "hk-tranche": ("hk", "tranche", "6082.HK"),
    "hk-odds": ("hk", "odds", "6699.HK", "--lots", "10"),
    "hk-subscribe": ("hk", "subscribe", "9903.HK", "--lots", "10", "--lot-size", "100", "--margin", "0.9"),
    "hk-stabilise": ("hk", "stabilise", "--offer-price", "10", "--base-shares", "1000000", "--path",
                     "9.5,9.8,10.2", "--daily-cap", "50000"),
    "lockups": ("lockups", "--from", "2026-01-01", "--to", "2026-12-31", "--market", "HK"),
    "followon": ("followon", "688256.SH"),
    "followon-calc": ("followon", "calc", "--type", "placing", "--mandate", "general", "--price", "7.90",
                      "--last-close", "10.00", "--avg5", "9.90"),
    "conflicts": ("conflicts", "2513.HK"),
    "facts": ("facts", "9903.HK"),
    "news-check": ("news", "check", *NEWS),
}


@pytest.fixture(scope="module")
def cli(store):
    """Runs a command through the real CLI (typer's CliRunner) on the session's in-memory ledger: every command
    module's ``open_store`` answers with ``store``. Returns {(name, lang, width): output}, filled on demand."""
    import importlib

    from typer.testing import CliRunner

    from ipolens.cli import _MODULES, app
    from ipolens.i18n import set_colors, set_lang

    mods = [importlib.import_module(f"ipolens.cli.{m}") for m in _MODULES]
    mp = pytest.MonkeyPatch()
    for m in mods:
        if hasattr(m, "open_store"):
            mp.setattr(m, "open_store", lambda *a, **k: store)
    runner, cache = CliRunner(), {}

    def run(args: tuple, lang: str, width: int) -> str:
        key = (args, lang, width)
        if key not in cache:
            r = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": str(width), "IPOLENS_LANG": None},
                              catch_exceptions=False)
            assert r.exit_code == 0, (args, lang, r.output)
            cache[key] = r.stdout
        return cache[key]

    yield run
    mp.undo()
    set_lang(None)
    set_colors(None)


@pytest.fixture(scope="module")
def names(store) -> set[str]:
    """Names as the sources state them (a legal name "… Co., Ltd. - H shares", an English short name): data, not
    labels, whatever words they hold."""
    with store.read() as led:
        rows = led.con.execute("SELECT value_text FROM facts WHERE field LIKE '%name%' AND value_text IS NOT NULL "
                               "UNION SELECT name_en FROM entities WHERE name_en IS NOT NULL "
                               "UNION SELECT name_zh FROM entities WHERE name_zh IS NOT NULL").fetchall()
    return {r[0] for r in rows}


def _data(out: str) -> set[str]:
    """Nodes that are data in an English rendering: quotes and names as the sources write them (all CJK), which
    may happen to equal a Chinese label (a quote "发行价" is the article's word)."""
    from _lang_scan import nodes

    return {n for n in nodes(out) if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef\d.,%+\-：: ]+", n)
            and _quoted(out, n)}


def _quoted(out: str, node: str) -> bool:
    # a node inside a quote column or a name column is data: it sits on a line with a source id or a code
    return any(node in line and re.search(r"\b(news|dataset|user|exchange|prospectus):|\d{4,6}\.(HK|SH|SZ)\b", line)
               for line in out.splitlines())


def test_the_shipped_examples_give_news_check_an_article():
    assert NEWS  # examples/news ships with the repository: news-check below always reads one


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_zh_output_has_no_english_label_and_no_raw_field(cli, names, name, lang, width):
    out = unwrap(cli(COMMANDS[name], lang, width), width)
    found = english_found(out, lang, names)
    assert not found, (name, found[:15])
    raw = raw_field_keys(out)
    assert not raw, (name, raw[:15])
    assert re.search(r"[\u4e00-\u9fff]", out)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_en_output_has_no_chinese_label(cli, names, name):
    out = unwrap(cli(COMMANDS[name], "en", 120), 120)
    found = chinese_found(out, _data(out) | names)
    assert not found, (name, found[:15])


def test_zh_and_en_differ_where_labels_are(cli):
    # the labels change with the language; the data (codes, dates) do not
    zh, en = cli(COMMANDS["stats-band"], "zh-Hans", 120), cli(COMMANDS["stats-band"], "en", 120)
    assert "First-day return by band" in en and "按认购倍数区间分组的首日涨幅" in zh  # stats.title_by, stats.by.band
    assert "未计入" in zh and "Left out" in en  # left_out.head
    zh = cli(COMMANDS["lab-grid"], "zh-Hant", 120)
    assert "參數網格" in zh and "第 80 個交易日" in zh  # lab.grid_title; day:80 as lab.rule.day_n


def test_the_scanners_catch_an_injected_english_header_and_a_raw_field():
    # the checks above must be able to fail: an English header among Chinese ones, a raw field name in a note,
    # and (the other way round) a Chinese label in an English table
    out = ("┃ 代碼 ┃ next step ┃ 認購倍數區間 ┃\n│ 6082.HK │ 2026-01-02 │ 50-100x │\n"
           "註: 公式 offer_price × lot_size\n註：Left out 3 listing(s): 3 no listing date: a, b, c.\n")
    keys = {k for k, _ in english_found(out, "zh-Hant")}
    assert {"pl.col.next", "left_out.head"} <= keys
    assert raw_field_keys(out) == ["lot_size", "offer_price"]
    assert raw_field_keys("source dataset:hk_listings_2018_2022 and docs/offer_price.md") == []
    en = "┃ code ┃ 發行價 ┃ band ┃\n│ 6082.HK │ 19.60 │ 50-100x │\n"
    assert ("field.offer_price", "發行價") in chinese_found(en)
