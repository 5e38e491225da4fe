"""`ipolens news eval --corpus`: the scoring of the news-dev label format, checked against hand counts.

The fixture corpus in tests/fixtures/news_corpus/ is invented text (three short articles and one injected copy). The
scoring tests feed hand-written reader output (claim dicts) so every figure is counted by hand, whatever the reader
does today; the use-case tests run the real reader and check only what holds for any reader.
"""
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipolens.app.news import evaluate_corpus
from ipolens.cli import app
from ipolens.news import corpus_eval as ce
from ipolens.news.text import read_article

from conftest import SHARED, needs_shared  # noqa: E402

CORPUS = Path(__file__).parent / "fixtures" / "news_corpus"
NEWS_DEV = SHARED / "data" / "news-dev"
MARKER = "===== ORIGINAL TEXT BELOW =====\n"


def _text(rel: str) -> tuple[str, int]:
    t = (CORPUS / rel).read_text(encoding="utf-8")
    return t, t.index(MARKER) + len(MARKER)


def _at(text: str, needle: str, after: int = 0, *, occurrence: int = 1) -> tuple[int, int]:
    """[start, end) of the n-th occurrence of ``needle`` at or after ``after`` (str.find, independent of the code)."""
    i = after - 1
    for _ in range(occurrence):
        i = text.find(needle, i + 1)
        assert i >= 0, needle
    return i, i + len(needle)


def _claim(cid, text, needle, after, value=None, *, unit=None, metric="statement", verdict="unverifiable",
           text_value=None, value_high=None, occurrence=1):
    s, e = _at(text, needle, after, occurrence=occurrence)
    return {"id": cid, "start": s, "end": e, "value": value, "value_high": value_high, "text": text_value,
            "unit": unit, "metric": metric, "verdict": verdict, "why": "", "quote": needle, "date": None}


def _article(key: str) -> ce.LabelledArticle:
    natural, injected = ce.load_corpus(CORPUS, "all")
    return next(a for a in natural + injected if a.key == key)


def _claims_01(text: str, body: int) -> list[dict]:
    """A made-up reader output for 01: one wrong currency, one wrong scale, one unassigned metric, three flags."""
    return [
        _claim("c1", text, "20%", body, 20, unit="pct", metric="first_day_return", verdict="consistent"),
        _claim("c2", text, "6月10日", body, text_value="2025-06-10", unit="date", metric="listing_date"),
        _claim("c3", text, "10港元", body, 10, unit="HKD", metric="offer_price", verdict="consistent"),
        _claim("c4", text, "12港元", body, 12, unit="CNY", metric="close_price", verdict="consistent"),
        _claim("c5", text, "20%", body, 20, unit="pct", metric="statement", verdict="tension", occurrence=2),
        _claim("c6", text, "1000万股", body, 1000, unit="shares", metric="shares_offered", verdict="consistent"),
        _claim("c7", text, "1亿港元", body, 1e8, unit="HKD", metric="funds_raised_planned", verdict="consistent"),
        _claim("c8", text, "500股", body, 500, unit="shares", metric="lot_size"),
        _claim("c9", text, "1500港元", body, 1500, unit="HKD", metric="gain_per_lot", verdict="inconsistent"),
        _claim("c10", text, "10日", body, 10, unit="count", metric="statement", verdict="inconsistent"),
    ]


# -- the corpus: split, dates, markets, quotes ---------------------------------------------------------------------
def test_split_follows_the_article_number():
    dev_n, dev_i = ce.load_corpus(CORPUS, "dev")
    test_n, test_i = ce.load_corpus(CORPUS, "test")
    all_n, all_i = ce.load_corpus(CORPUS, "all")
    assert [a.key for a in dev_n] == ["01", "03"] and [a.key for a in dev_i] == ["injected/01"]
    assert [a.key for a in test_n] == ["02"] and test_i == []
    assert [a.key for a in all_n] == ["01", "02", "03"] and [a.key for a in all_i] == ["injected/01"]
    assert [len(a.labels) for a in all_n + all_i] == [9, 4, 3, 9]
    assert [lab.id for lab in all_i[0].labels if lab.injected] == ["01-04"]
    with pytest.raises(ValueError):
        ce.load_corpus(CORPUS, "train")


@pytest.mark.parametrize("market, outlet", [("HKEX Main Board (A+H listing)", "HK"), ("HKEX GEM and Main Board", "HK"),
                                            ("SSE STAR Market (IPO)", "CN"), ("NYSE (IPO, ADS)", "US"),
                                            ("Nasdaq (IPO)", "US"), ("TWSE (IPO, auction)", None), ("", None)])
def test_market_label_to_outlet(market, outlet):
    assert ce.outlet_for(market) == outlet


@pytest.mark.parametrize("line, day", [
    ("2024-11-05 14:02 (printed, HKT)", dt.date(2024, 11, 5)),
    ("not printed; evidence: \"3月4日...\" -> written 2025-03-04", dt.date(2025, 3, 4)),
    ("not printed; evidence: only debut-day numbers -> written 2024-05-14..05-1x", dt.date(2024, 5, 14)),
    ("not printed; evidence: the link (issue of 2024-02-06; 昨日 = 2024-02-05)", dt.date(2024, 2, 6)),
    ("not printed; evidence: none", None), (None, None)])
def test_article_date_from_the_header(line, day):
    assert ce.article_date(line) == day


def test_a_repeated_quote_is_found_at_or_after_the_previous_claim():
    art = _article("01")
    text, body = _text("01.txt")
    ce.locate_quotes(text, body, art.labels)
    by_id = {lab.id: lab for lab in art.labels}
    # 上市首日涨20% is in the header's Title (skipped), the body's first line (01-01) and after 收盘报12港元 (01-05)
    first = _at(text, "上市首日涨20%", body)
    second = _at(text, "上市首日涨20%", first[0] + 1)
    assert (by_id["01-01"].start, by_id["01-01"].end) == first
    assert (by_id["01-05"].start, by_id["01-05"].end) == second
    assert first[0] >= body and second[0] > _at(text, "收盘报12港元", body)[0]
    assert all(lab.start is not None for lab in art.labels)


def test_a_quote_missing_from_the_text_is_unlocated():
    labels = [ce.Label("x-01", "abc", 1, None, "count", None, "unverifiable"),
              ce.Label("x-02", "zzz", 2, None, "count", None, "unverifiable"),
              ce.Label("x-03", "abc", 3, None, "count", None, "unverifiable")]
    ce.locate_quotes("abc abc", 0, labels)
    assert [(lab.start, lab.end) for lab in labels] == [(0, 3), (None, None), (0, 3)]


# -- values --------------------------------------------------------------------------------------------------------
def _lab(value, unit, high=None):
    return ce.Label("t", "q", value, high, unit, None, "unverifiable")


@pytest.mark.parametrize("label, claim, same", [
    (_lab(16.43, "pct"), {"value": 16.434, "unit": "pct"}, True),  # within half a unit of the 2nd decimal
    (_lab(16.43, "pct"), {"value": 16.44, "unit": "pct"}, False),
    (_lab(16.43, "pct"), {"value": -16.43, "unit": "pct"}, False),  # returns are signed
    (_lab(1390000000000, "HKD"), {"value": 1.394e12, "unit": "HKD"}, True),  # 1.39万亿: half of 0.01万亿
    (_lab(1390000000000, "HKD"), {"value": 1.396e12, "unit": "HKD"}, False),
    (_lab(100, "shares"), {"value": 100.4, "unit": "shares"}, True),  # at most half a percent
    (_lab(100, "shares"), {"value": 101, "unit": "shares"}, False),
    (_lab(258, "pct"), {"value": 2.58, "unit": "x"}, True),  # 升2.58倍 labelled in percent points
    (_lab(3000, "lots"), {"value": 3_000_000, "unit": "shares"}, True),  # Taiwan 張 = 1,000 shares
    (_lab(50, "TWD", 58), {"value": 50, "value_high": 58, "unit": None}, True),
    (_lab(50, "TWD", 58), {"value": 50, "value_high": None, "unit": None}, False),
    (_lab("2025-05-20", "date"), {"value": None, "text": "2025-05-20"}, True),
    (_lab("2025-05-20", "date"), {"value": None, "text": None, "date": "2025-05-20"}, True),
    (_lab("2025-05-20", "date"), {"value": 20, "text": None, "date": "2025-05-20"}, False),
    (_lab("2025-05", "date"), {"value": None, "text": "2025-05-20"}, False),
    (_lab("09:30", "time"), {"value": None, "text": "09:30"}, True),
    (_lab(2015, "year"), {"value": None, "text": "2015"}, True),
    (_lab(2015, "year"), {"value": 2015.0, "text": None}, True),
    (_lab(2015, "year"), {"value": 2016.0, "text": None}, False),
    (_lab(5, "count"), {"value": float("inf")}, False),
])
def test_value_matches(label, claim, same):
    assert ce.value_matches(label, claim) is same


def test_span_must_lie_inside_the_quote_white_space_aside():
    text = "发行价为 263 港元"
    lab = ce.Label("t", "263 港元", 263, None, "HKD", "offer_price", "unverifiable")
    ce.locate_quotes(text, 0, [lab])
    inside = {"start": 4, "end": 11, "value": 263, "unit": "HKD"}  # " 263 港元": a leading space is not content
    outside = {"start": 0, "end": 11, "value": 263, "unit": "HKD"}
    assert ce.match_claims([lab], [outside], text)[0].claim is None
    assert ce.match_claims([lab], [inside], text)[0].claim is inside
    assert ce.match_claims([lab], [inside])[0].claim is None  # without the text the space counts


def test_one_claim_matches_one_label_greedy_in_text_order():
    text = "涨20% 涨20%"
    labels = [ce.Label(f"t{i}", "涨20% 涨20%", 20, None, "pct", None, "consistent") for i in (1, 2, 3)]
    ce.locate_quotes(text, 0, labels)
    claims = [{"id": "b", "start": 5, "end": 8, "value": 20, "unit": "pct"},
              {"id": "a", "start": 1, "end": 4, "value": 20, "unit": "pct"}]
    got = [m.claim["id"] if m.claim else None for m in ce.match_claims(labels, claims, text)]
    assert got == ["a", "b", None]


def test_a_body_claim_with_a_title_copy_answers_both_labels():
    """The reader reports a headline figure repeated in the body as one body claim noting its title copy; the
    corpus labels both copies: the claim answers each, and a flag on it counts once."""
    text = "某公司涨20%\n正文:某公司首日涨20%。"
    labels = [ce.Label("t1", "某公司涨20%", 20, None, "pct", None, "INCONSISTENT"),
              ce.Label("t2", "首日涨20%", 20, None, "pct", None, "consistent")]
    ce.locate_quotes(text, 0, labels)
    body = {"id": "c", "start": 17, "end": 20, "value": 20, "unit": "pct", "verdict": "inconsistent",
            "notes": ["also in the title at 4-7"]}
    assert text[4:7] == text[17:20] == "20%"
    got = [m.claim["id"] if m.claim else None for m in ce.match_claims(labels, [body], text)]
    assert got == ["c", "c"]
    body["notes"] = []
    assert [m.claim is None for m in ce.match_claims(labels, [body], text)] == [True, False]


# -- the score, by hand ----------------------------------------------------------------------------------------------
def test_score_of_article_01_by_hand():
    text, body = _text("01.txt")
    s = ce.score_article(_article("01"), _claims_01(text, body), text, body)
    n = s.counts
    # matched: 01-01 c1, 01-02 c2, 01-03 c3, 01-04 c4, 01-05 c5, 01-07 c7, 01-08 c8, 01-09 c9; 01-06 missed (1000 != 1e7)
    assert (n.labels, n.located, n.extracted, n.matched) == (9, 9, 10, 8)
    # money: 01-03, 01-04, 01-07, 01-09; c4 says CNY for 港元
    assert (n.money_matched, n.currency_right) == (4, 3)
    # metric: c5 is unassigned; c7 funds_raised_planned = proceeds_planned through the alias table
    assert (n.metric_right, n.metric_assigned, n.metric_unassigned) == (7, 7, 1)
    # flags: c9 on the INCONSISTENT 01-09, c5 (tension) on the consistent 01-05, c10 on no label
    assert (n.flagged, n.flagged_right, n.flagged_on_other_label, n.flagged_unmatched) == (3, 1, 1, 1)
    assert (n.errors_natural, n.errors_natural_caught, n.errors_injected) == (1, 1, 0)
    # consistent labels 01-01 03 04 05 06 07; confirmed: c1, c3, c4, c7 (c5 is tension, 01-06 unmatched)
    assert (n.consistent_labels, n.consistent_verified) == (6, 4)
    r = n.rates()
    assert r["value_recall"] == round(8 / 9, 4) and r["currency"] == 0.75 and r["metric_agreement"] == 0.875
    assert r["flag_precision"] == round(1 / 3, 4) and r["error_recall_natural"] == 1.0
    assert r["error_recall_injected"] is None and r["verified_share"] == round(4 / 6, 4)
    assert [m["id"] for m in s.details["misses"]] == ["01-06"]
    assert s.details["misses"][0]["read_there"][0]["value"] == 1000 and s.details["misses"][0]["reason"] == "value"
    assert [w["id"] for w in s.details["wrong_metric"]] == ["01-05"]
    assert [w["id"] for w in s.details["wrong_currency"]] == ["01-04"]
    assert sorted(f["claim"] for f in s.details["false_flags"]) == ["c10", "c5"]
    assert s.details["missed_errors"] == [] and s.details["unlocated"] == []


def test_label_roles_give_each_matched_claim_its_label_metric():
    """The verifier can be run with the labelled roles (verdicts measured apart from role errors): each matched
    claim gets its label's metric; an unmatched claim (c6 1000 vs the label's 1e7, c10 on no label) gets none."""
    text, body = _text("01.txt")
    art = _article("01")
    roles = ce.label_roles(art, _claims_01(text, body), text, body)
    assert set(roles) == {"c1", "c2", "c3", "c4", "c5", "c7", "c8", "c9"}
    assert roles == {m.claim["id"]: m.label.metric for m in ce.match_claims(art.labels, _claims_01(text, body), text)
                     if m.claim is not None}
    assert roles["c5"] == next(lab.metric for lab in art.labels if lab.id == "01-05")


def test_score_of_article_03_by_hand():
    text, body = _text("03.txt")
    claims = [_claim("c1", text, "50元至58元", body, 50, value_high=58, metric="statement"),
              _claim("c2", text, "3000張", body, 3_000_000, unit="shares", metric="auction_lots"),
              _claim("c3", text, "2015年", body, text_value="2015", unit="year", metric="founded_year")]
    n = ce.score_article(_article("03"), claims, text, body).counts
    assert (n.labels, n.matched, n.money_matched, n.currency_right) == (3, 3, 1, 0)  # TWD range read without currency
    assert (n.metric_right, n.metric_assigned, n.metric_unassigned) == (2, 2, 1)
    assert (n.flagged, n.consistent_labels, n.errors_natural) == (0, 0, 0)
    assert n.rates()["flag_precision"] is None and n.rates()["verified_share"] is None


def test_injected_errors_are_counted_apart_from_natural_ones():
    text, body = _text("injected/01.txt")
    claims = [_claim("c4", text, "13港元", body, 13, unit="HKD", metric="close_price", verdict="inconsistent"),
              _claim("c9", text, "1500港元", body, 1500, unit="HKD", metric="gain_per_lot", verdict="unverifiable")]
    s = ce.score_article(_article("injected/01"), claims, text, body)
    n = s.counts
    assert (n.labels, n.located, n.matched) == (9, 9, 2)
    assert (n.errors_injected, n.errors_injected_caught) == (1, 1)
    assert (n.errors_natural, n.errors_natural_caught) == (1, 0)  # 01-09 copied from the original, not flagged
    assert (n.flagged, n.flagged_right) == (1, 1)
    assert (n.consistent_labels, n.consistent_verified) == (5, 0)
    assert [m["id"] for m in s.details["missed_errors"]] == ["01-09"]


def test_counts_add_up():
    a = ce.Counts(labels=3, matched=2, flagged=1)
    a.add(ce.Counts(labels=4, matched=1, flagged_right=1))
    assert (a.labels, a.matched, a.flagged, a.flagged_right) == (7, 3, 1, 1)


def test_alias_table_is_a_vocabulary_of_distinct_names():
    aliases, unassigned = ce.metric_table()
    assert "statement" in unassigned
    for label, names in aliases.items():
        assert label not in names and names and all(n not in unassigned for n in names)
    assert ce.metric_agrees("proceeds_planned", "funds_raised_planned")
    assert not ce.metric_agrees("proceeds_gross", "funds_raised_planned")
    assert not ce.metric_agrees(None, None)


# -- the use case and the command, with the real reader ----------------------------------------------------------------
def _consistent(scores: dict, rows: list[dict]) -> None:
    """What holds for any reader: totals are the sums of the rows, and each count fits inside its denominator."""
    keys = [k for k, v in scores.items() if isinstance(v, int)]
    assert {k: sum(r[k] for r in rows) for k in keys} == {k: scores[k] for k in keys}
    assert scores["located"] == scores["labels"]
    assert scores["matched"] <= scores["labels"]  # (a claim with a title copy answers two labels)
    assert scores["flagged"] == (scores["flagged_right"] + scores["flagged_on_other_label"]
                                 + scores["flagged_unmatched"])
    assert scores["metric_assigned"] + scores["metric_unassigned"] == scores["matched"]
    assert scores["currency_right"] <= scores["money_matched"] <= scores["matched"]
    assert scores["metric_right"] <= scores["matched"]
    assert scores["consistent_verified"] <= scores["consistent_labels"]
    for k in ("value_recall", "currency", "metric_agreement", "flag_precision", "verified_share"):
        assert scores[k] is None or 0 <= scores[k] <= 1


def test_use_case_on_the_fixture_corpus(store):
    r = evaluate_corpus(store, CORPUS, "dev", details=True)
    d = r.to_dict()
    assert d["split"] == "dev" and d["scores"]["articles"] == 2 and d["injected"]["articles"] == 1
    assert d["scores"]["labels"] == 12 and d["injected"]["labels"] == 9
    assert (d["scores"]["errors_natural"], d["injected"]["errors_injected"]) == (1, 1)
    rows = {a["article"]: a for a in d["articles"]}
    assert (rows["01"]["date"], rows["01"]["market"]) == ("2025-06-10", "HK")
    assert (rows["03"]["date"], rows["03"]["market"]) == ("2023-03-13", None)
    _consistent(d["scores"], [rows["01"], rows["03"]])
    _consistent(d["injected"], [rows["injected/01"]])
    assert set(d["languages"]) == {"zh-Hans", "zh-Hant"}
    assert set(d["details"]) >= {"misses", "wrong_metric", "false_flags", "missed_errors"}
    assert evaluate_corpus(store, CORPUS, "test").to_dict()["details"] == {}


def test_use_case_refuses_a_missing_folder_or_split(store, tmp_path):
    from ipolens.app.base import UserError

    for args in ((tmp_path / "nope", "dev"), (CORPUS, "train"), (tmp_path, "dev")):
        with pytest.raises(UserError):
            evaluate_corpus(store, *args)


def test_eval_command_on_a_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    r = runner.invoke(app, ["news", "eval", "--corpus", str(CORPUS), "--split", "all", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["scores"]["labels"] == 16 and d["injected"]["labels"] == 9
    r = runner.invoke(app, ["news", "eval", "--corpus", str(CORPUS), "--details"])
    assert r.exit_code == 0, r.output
    assert "value recall" in r.stdout and "flag precision" in r.stdout and "by article" in r.stdout
    r = runner.invoke(app, ["news", "eval"])
    assert r.exit_code == 2 and "--corpus" in r.stderr


# -- the real development corpus ---------------------------------------------------------------------------------------
@needs_shared
def test_dev_split_of_news_dev_adds_up(store):
    d = evaluate_corpus(store, NEWS_DEV, "dev", details=True).to_dict()
    natural = [a for a in d["articles"] if not a["article"].startswith("injected/")]
    injected = [a for a in d["articles"] if a["article"].startswith("injected/")]
    # the corpus README: dev = 19 odd-numbered articles, 451 claims, 8 natural INCONSISTENT; 7 injected dev copies
    assert [a["article"] for a in natural] == [f"{n:02d}" for n in range(1, 39, 2)]
    assert d["scores"]["labels"] == 451 and d["scores"]["errors_natural"] == 8
    assert [a["article"] for a in injected] == [f"injected/{n:02d}" for n in (1, 7, 11, 15, 21, 25, 29)]
    assert d["injected"]["errors_injected"] == 14
    _consistent(d["scores"], natural)
    _consistent(d["injected"], injected)
    assert d["details"]["unlocated"] == []
    assert sum(s["labels"] for s in d["languages"].values()) == 451
    for a in natural:
        text = read_article(NEWS_DEV / f"{a['article']}.txt")
        assert a["date"] is None or dt.date.fromisoformat(a["date"]).year >= 2023
        assert a["located"] == a["labels"] and text.body_start > 0
