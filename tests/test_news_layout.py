"""Article layouts: metadata blocks, title lines, page furniture and URLs (ipolens.news.layout), and the title
dedupe (ipolens.news.dedupe). All articles here are invented for the tests; expected offsets are found with
str.find on the test's own text, never taken from the code under test."""
import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest
import yaml
from typer.testing import CliRunner

from ipolens.cli import app
from ipolens.news.dedupe import compatible_roles, merge_title_repeats, same_figure
from ipolens.news.extract import extract_claims
from ipolens.news.layout import HEADER_MARKER, parse_date, read_layout
from ipolens.news.text import article_from_text, read_article

from conftest import REPO, SHARED  # noqa: E402

NEWS_DEV = SHARED / "data" / "news-dev"


def _claims(text: str, **kw):
    return extract_claims(article_from_text(text), **kw)


def _span_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    i = text.index(needle, start)
    return i, i + len(needle)


def _inside(c, span) -> bool:
    return span[0] <= c.start and c.end <= span[1]


def _overlaps(c, span) -> bool:
    return c.start < span[1] and c.end > span[0]


# --- layouts -------------------------------------------------------------------------------------------------------
MARKER = ("Title: 甲乙科技首日收涨25%\nPublisher: 测试日报\nDate: 2025-03-04 10:30 (printed)\nLanguage: zh-Hans\n"
          f"{HEADER_MARKER}\n甲乙科技首日收涨25%\n甲乙科技今日在港交所上市，首日收涨25%，发行价为10港元。\n")


def test_marker_block():
    art = article_from_text(MARKER)
    assert art.layout.kind == "marker"
    assert art.header["title"] == "甲乙科技首日收涨25%"
    assert art.header["publisher"] == "测试日报"
    assert art.published() == dt.date(2025, 3, 4)
    assert art.language() == "zh-Hans"
    assert art.body_start == MARKER.index(HEADER_MARKER) + len(HEADER_MARKER) + 1
    title_line = _span_of(MARKER, "甲乙科技首日收涨25%", art.body_start)
    assert art.layout.title == title_line
    # no claim from the header block; the title's 25% is the body's 25%: one claim, in the body
    claims = _claims(MARKER)
    pct = [c for c in claims if c.value == 25]
    assert len(pct) == 1 and pct[0].start > title_line[1]
    assert all(c.start >= art.body_start for c in claims)


def test_marker_header_date_not_printed_stays_unknown():
    text = f"Title: x\nDate: not printed; evidence: 2025-05-20\n{HEADER_MARKER}\n正文第一段，股价10元。\n"
    assert article_from_text(text).published() is None


KV_ZH = "标题：甲乙科技上市首日涨25%\n来源：测试日报\n发布时间：2025年3月4日 10:30\n\n甲乙科技今日在港交所上市，首日收涨25%，发行价为10港元，募资8亿港元。\n"


def test_key_value_lines_simplified_chinese():
    art = article_from_text(KV_ZH)
    assert art.layout.kind == "metadata"
    assert art.header["title"] == "甲乙科技上市首日涨25%"
    assert art.header["publisher"] == "测试日报"
    assert art.published() == dt.date(2025, 3, 4)
    assert art.title == "甲乙科技上市首日涨25%"
    title_value = _span_of(KV_ZH, "甲乙科技上市首日涨25%")
    assert art.layout.title == title_value
    claims = _claims(KV_ZH)
    meta = _span_of(KV_ZH, "来源：测试日报\n发布时间：2025年3月4日 10:30")
    assert not [c for c in claims if _overlaps(c, meta)]
    values = sorted(c.value for c in claims if c.value is not None)
    assert values == [10, 25, 8e8]
    masked = {(s, e) for s, e, kind in art.layout.masked if kind == "metadata"}
    assert {_span_of(KV_ZH, "来源：测试日报"), _span_of(KV_ZH, "发布时间：2025年3月4日 10:30")} <= masked
    assert [c for c in claims if c.value == 25][0].start > meta[1]  # located in the body, not the Title: line


KV_HANT = "標題：丙丁醫藥招股 入場費5050元\n來源：測試財經\n日期：2025/06/30\n\n丙丁醫藥今日起招股，每手500股，招股價10元。\n"


def test_key_value_lines_traditional_chinese():
    art = article_from_text(KV_HANT)
    assert art.layout.kind == "metadata"
    assert art.header["title"] == "丙丁醫藥招股 入場費5050元"
    assert art.header["publisher"] == "測試財經"
    assert art.published() == dt.date(2025, 6, 30)
    claims = _claims(KV_HANT)
    assert not [c for c in claims if _overlaps(c, _span_of(KV_HANT, "日期：2025/06/30"))]
    fee = [c for c in claims if c.value == 5050]
    assert len(fee) == 1 and _inside(fee[0], _span_of(KV_HANT, "入場費5050元"))  # not repeated: stays in the title


KV_EN = ("Title: Acme Robotics jumps 25% in Hong Kong debut\nSource: Example Wire\nDate: March 4, 2025\n"
         "URL: https://example.com/news/2025/03/04/acme-ipo-123456\n\n"
         "Acme Robotics climbed 25% in its market debut, having set its offer at HK$10 apiece, "
         "raising HK$800 million.\n")


def test_key_value_lines_english():
    art = article_from_text(KV_EN)
    assert art.layout.kind == "metadata"
    assert art.header["url"] == "https://example.com/news/2025/03/04/acme-ipo-123456"
    assert art.header["publisher"] == "Example Wire"
    assert art.published() == dt.date(2025, 3, 4)
    claims = _claims(KV_EN)
    header = (0, KV_EN.index("\n\n"))
    assert not [c for c in claims if _overlaps(c, header) and not _overlaps(c, _span_of(KV_EN, "25%"))]
    assert sorted(c.value for c in claims if c.value is not None) == [10, 25, 8e8]
    assert [c for c in claims if c.value == 25][0].start > header[1]


TITLE_LINE = ("丙丁医药暗盘收涨18% 一手赚900元\n\n"
              "丙丁医药公布配售结果，公开发售获超额认购120倍。该股暗盘收报5.9元，较招股价5元升18%。\n")


def test_first_line_title_and_dedupe():
    art = article_from_text(TITLE_LINE)
    assert art.layout.kind == "title"
    assert art.title == "丙丁医药暗盘收涨18% 一手赚900元"
    assert art.layout.title == _span_of(TITLE_LINE, "丙丁医药暗盘收涨18% 一手赚900元")
    claims = _claims(TITLE_LINE)
    gain = [c for c in claims if c.value == 18]
    assert len(gain) == 1 and _inside(gain[0], _span_of(TITLE_LINE, "升18%"))  # repeated: one claim, in the body
    assert any("also in the title" in n for n in gain[0].notes)
    lot = [c for c in claims if c.value == 900]
    assert len(lot) == 1 and _inside(lot[0], _span_of(TITLE_LINE, "一手赚900元"))  # not repeated: in the title


def test_plain_text_has_no_header():
    text = "戊己能源今日公布招股结果，公开发售获超额认购35倍，一手中签率为20%。公司募资15亿元。\n该股明日上市。\n"
    art = article_from_text(text)
    assert art.layout.kind == "plain"
    assert art.layout.title is None and art.body_start == 0 and art.header == {}
    assert sorted(c.value for c in _claims(text) if c.value is not None) == [20, 35, 1.5e9]


def test_sentence_first_line_is_not_a_title():
    text = "戊己能源今日上市，首日涨15%。\n公司发行价为8元。\n"
    assert read_layout(text).title is None


def test_windows_line_endings_and_bom(tmp_path):
    text = "\ufeff标题：庚辛半导体首日涨120%\r\n来源：测试日报\r\n\r\n庚辛半导体今日上市，首日收涨120%，收报45.6元。\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    art = read_article(path)
    assert art.text == text[1:]  # the BOM is not part of the text as read
    assert art.layout.kind == "metadata"
    assert art.header["title"] == "庚辛半导体首日涨120%" and art.header["publisher"] == "测试日报"
    claims = extract_claims(art)
    for c in claims:
        assert "\r" not in art.text[c.start:c.end]
    assert sorted(c.value for c in claims if c.value is not None) == [45.6, 120]
    # the same text handed over as a string with its BOM: offsets index that string
    art2 = article_from_text(text)
    assert art2.header["title"] == "庚辛半导体首日涨120%"
    for c in extract_claims(art2):
        assert str(c.value).rstrip("0").rstrip(".") in text[c.start:c.end].replace(",", "")


URLS = ("戊己能源发行价为12元。详见https://example.cn/a/2025/%E5%9F%BA%E9%87%91-8899.html ，"
        "或网址www.example.com.cn/2024/0501/77.shtml。邮箱ir2025@example.com。"
        "另见港股%E7%94%B2%E4%B9%99%E5%85%AC%E5%91%8A。公司市值为300亿元。\n")


def test_urls_escapes_and_emails_are_not_scanned():
    claims = _claims(URLS)
    assert sorted(c.value for c in claims if c.value is not None) == [12, 3e10]
    for needle in ("https://example.cn/a/2025/%E5%9F%BA%E9%87%91-8899.html", "www.example.com.cn/2024/0501/77.shtml",
                   "ir2025@example.com", "%E7%94%B2%E4%B9%99%E5%85%AC%E5%91%8A"):
        span = _span_of(URLS, needle)
        assert not [c for c in claims if _overlaps(c, span)], needle
    kinds = {k for _, _, k in read_layout(URLS).masked}
    assert {"url", "email", "escape"} <= kinds


FURNITURE = ("庚辛半导体登陆科创板 首日大涨120%\n责任编辑：王五\n记者赵六摄\n"
             "庚辛半导体今日登陆科创板，开盘报45.6元，较发行价上涨120%。\n分享到：微信 2\nPhoto: Example/2024\n"
             "© Example Wire 2025. All rights reserved\n相关阅读\n壬癸汽车募资30亿元\n子丑生物首日涨56%\n")


def test_furniture_lines_are_not_scanned():
    claims = _claims(FURNITURE)
    body = _span_of(FURNITURE, "庚辛半导体今日登陆科创板，开盘报45.6元，较发行价上涨120%。")
    title = _span_of(FURNITURE, "庚辛半导体登陆科创板 首日大涨120%")
    assert all(_inside(c, body) or _inside(c, title) for c in claims), [(c.value, c.quote) for c in claims]
    assert {c.value for c in claims} >= {45.6, 120}
    masked = {FURNITURE[s:e] for s, e, _ in read_layout(FURNITURE).masked}
    assert {"责任编辑：王五", "记者赵六摄", "分享到：微信 2", "Photo: Example/2024"} <= masked


def test_reporter_sentence_is_article_text():
    text = "记者了解到，该股开盘报10元。\n"
    assert [c.value for c in _claims(text)] == [10]


def test_page_timestamp_lines():
    text = ("甲乙科技首日收涨25% 市值达500亿\n测试财经 2025-03-04 10:30\n\n"
            "甲乙科技今日在港交所上市，首日收涨25%。\n")
    lay = read_layout(text)
    assert lay.published == dt.date(2025, 3, 4)
    assert ("测试财经 2025-03-04 10:30" in {text[s:e] for s, e, _ in lay.masked})
    for stamp, day_first, want in (("Published 03/14/2023, 11:05 AM", False, dt.date(2023, 3, 14)),
                                   ("22/12/2025", True, dt.date(2025, 12, 22)),
                                   ("发布时间：2025年02月22日 09:24", True, dt.date(2025, 2, 22)),
                                   ("Date: 4 March 2025", False, dt.date(2025, 3, 4))):
        assert parse_date(stamp, prefer_day_first=day_first)[0] == want, stamp


def test_offsets_map_back_to_the_figure():
    """Every claim's [start, end) of the text as read holds the figure's digits (full-width ones included)."""
    text = "标题：甲乙科技募资８亿港元\n来源：测试\n\n甲乙科技发行价为１０港元，募资８亿港元，首日涨２５％。\n"
    claims = _claims(text)
    assert claims
    for c in claims:
        piece = text[c.start:c.end]
        assert re.search(r"[0-9０-９]", piece), piece
    assert len([c for c in claims if c.value == 8e8]) == 1


# --- the dedupe rule, on plain objects ---------------------------------------------------------------------------
def _c(value, unit="pct", metric="first_day_return", start=0, entity=None, text=None, high=None):
    return SimpleNamespace(value=value, value_high=high, unit=unit, metric=metric, start=start, end=start + 3,
                           entity_key=entity, text=text, date=None, notes=[])


def test_dedupe_rule():
    assert same_figure(_c(16.43), _c(16.43)) and not same_figure(_c(16.43), _c(16.4))
    assert not same_figure(_c(263, "HKD"), _c(263, "CNY"))
    assert not same_figure(_c(10, high=12), _c(10, high=13))
    assert compatible_roles(_c(5, metric="statement"), _c(5, metric="offer_price"))
    assert not compatible_roles(_c(5, metric="close_price"), _c(5, metric="offer_price"))
    assert not compatible_roles(_c(5, entity="A"), _c(5, entity="B"))
    t1, t2 = _c(28, start=0), _c(900, "HKD", "gain_per_lot", start=5)
    b1, b2 = _c(28, start=50), _c(28, start=80)
    out = merge_title_repeats([t1, t2, b1, b2], lambda pos: pos < 20)
    assert out == [t2, b1, b2] and b1.notes and not b2.notes


# --- the interface ---------------------------------------------------------------------------------------------
def test_news_check_json_on_a_file_without_marker(tmp_path, monkeypatch):
    monkeypatch.setenv("IPOLENS_HOME", str(tmp_path / "home"))
    f = tmp_path / "kv.txt"
    f.write_text(KV_ZH, encoding="utf-8")
    r = CliRunner().invoke(app, ["news", "check", str(f), "--json", "--all", "--market", "HK"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {"claims", "findings"} <= set(out)
    keys = {"value", "unit", "metric", "entity", "start", "end", "verdict", "why"}  # the unit carries the currency
    assert out["claims"] and all(keys <= set(c) for c in out["claims"])
    meta = _span_of(KV_ZH, "发布时间：2025年3月4日 10:30")
    assert not [c for c in out["claims"] if c["start"] < meta[1] and c["end"] > meta[0]]


def test_lexicon_covers_three_scripts():
    data = yaml.safe_load((REPO / "src" / "ipolens" / "news" / "lexicon" / "layout.yaml").read_text(encoding="utf-8"))
    for field in ("title", "date", "publisher", "url", "author"):
        words = data["metadata_keys"][field]
        assert any(re.fullmatch(r"[A-Za-z ]+", w) for w in words), field
        assert any("\u4e00" <= ch <= "\u9fff" for w in words for ch in w), field
    assert "相关阅读" in data["list_headings"] and "相關閱讀" in data["list_headings"]
    assert "责任编辑" in data["furniture_prefixes"] and "責任編輯" in data["furniture_prefixes"]


# --- the development corpus ----------------------------------------------------------------------------------------
def _news_dev_files():
    return sorted(NEWS_DEV.glob("[0-9][0-9].txt"))


def _header_title(text: str) -> str | None:
    m = re.search(r"^Title: (.*)$", text, re.M)
    if not m or m[1].startswith("("):
        return None
    return re.sub(r"\s+\((?:from|headline|first words|chart)[^)]*\)\s*$", "", m[1]).strip()


@pytest.mark.needs_shared
def test_news_dev_layout_finds_the_header_title_and_date():
    files = _news_dev_files()
    assert len(files) >= 30
    for f in files:
        text = f.read_text(encoding="utf-8")
        body = text[text.index(HEADER_MARKER) + len(HEADER_MARKER) + 1:]
        lay = read_layout(body)  # the article as plain text, without its marker header
        want = _header_title(text)
        lines = [ln.strip() for ln in body.splitlines()]
        want = want if want in lines else None  # the header's title is printed as a line of the text
        got = body[lay.title[0]:lay.title[1]].strip() if lay.title else None
        assert got == want, f.name
        date = re.search(r"^Date: (\d{4}-\d{2}-\d{2})(.*)$", text, re.M)
        if date and "not printed" not in date[2]:
            assert lay.published == dt.date.fromisoformat(date[1]), f.name
        elif re.search(r"^Date: not printed", text, re.M):
            assert lay.published is None, f.name
        # with the marker header the article's metadata is the header's
        art = read_article(f)
        assert art.layout.kind == "marker" and art.body_start == text.index(HEADER_MARKER) + len(HEADER_MARKER) + 1


_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[!-~]+")


@pytest.mark.needs_shared
def test_news_dev_no_claim_inside_a_url():
    for f in _news_dev_files():
        art = read_article(f)
        urls = [(m.start(), m.end()) for m in _URL_IN_TEXT.finditer(art.text, art.body_start)]
        for c in extract_claims(art):
            assert not [u for u in urls if c.start < u[1] and c.end > u[0]], (f.name, c.quote)
            assert c.start >= art.body_start


# -- sub-headings in the body (invented text) ---------------------------------------------------------------------------
_SUBHEADED = ("某公司今日公布招股结果,公开发售获大幅超额认购,市场反应热烈,认购人数创下今年以来的新高纪录。\n\n"
              "暗盘每手账面赚500元\n\n"
              "该股昨日暗盘收报5.5元,较招股价5元上升10%,按每手1000股计算,每手账面赚500元,表现理想。\n")


def test_a_short_line_with_a_figure_between_paragraphs_is_a_sub_heading():
    from ipolens.news.layout import read_layout

    lay = read_layout(_SUBHEADED)
    (s, e), = lay.headings
    assert _SUBHEADED[s:e] == "暗盘每手账面赚500元"
    assert lay.in_title(s + 3) and not lay.in_title(_SUBHEADED.index("该股"))


def test_a_sub_heading_figure_the_paragraph_repeats_is_one_claim_in_the_paragraph():
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import article_from_text

    claims = [c for c in extract_claims(article_from_text(_SUBHEADED), market="HK") if c.value == 500]
    assert len(claims) == 1
    (c,) = claims
    assert c.start == _SUBHEADED.rindex("500元")  # located in the paragraph, the heading copy noted
    assert any("also in the title" in n for n in c.notes)


def test_a_line_with_sentence_punctuation_or_no_figure_is_no_sub_heading():
    from ipolens.news.layout import read_layout

    text = _SUBHEADED.replace("暗盘每手账面赚500元", "暗盘表现理想,值得留意")
    assert read_layout(text).headings == ()
    text = _SUBHEADED.replace("暗盘每手账面赚500元", "暗盘表现理想")
    assert read_layout(text).headings == ()
