"""Reading files: encodings, BOM, header, and offsets that point into the text as read."""
import datetime as dt
from pathlib import Path

import pytest

from ipolens.news.dates import resolve_month_day, scan_dates
from ipolens.news.text import NewsEncodingError, normalise, read_article

SAMPLE_HANT = "壁仞科技今日啟動招股,發行價19.6港元,市值1.38萬億港元。"
SAMPLE_HANS = "壁仞科技发行价19.6港元,开盘35.7港元,涨幅82.1%。"


@pytest.mark.parametrize("encoding,text", [("utf-8", SAMPLE_HANS), ("utf-8-sig", SAMPLE_HANS), ("gbk", SAMPLE_HANS),
                                           ("big5", SAMPLE_HANT), ("utf-8", SAMPLE_HANT)])
def test_encodings_read(tmp_path: Path, encoding, text):
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(encoding))
    art = read_article(p)
    assert art.text == text  # the BOM is not part of the text as read
    assert art.encoding in ("utf-8", "utf-8-sig", "gbk", "big5")


def test_undecodable_bytes_name_the_problem(tmp_path: Path):
    p = tmp_path / "bad.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 3)
    with pytest.raises(NewsEncodingError, match="UTF-8"):
        read_article(p)


def test_bom_with_broken_utf8(tmp_path: Path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "市值".encode("utf-8") + b"\xff\xfe\xfa")
    with pytest.raises(NewsEncodingError, match="byte-order mark"):
        read_article(p)


def test_header_and_body(tmp_path: Path):
    p = tmp_path / "x.zh-Hans.txt"
    p.write_text("Title: T\nDate: 2025-09-17 08:40\nLanguage: zh-Hans\n===== ORIGINAL TEXT BELOW =====\n正文", "utf-8")
    art = read_article(p)
    assert art.published() == dt.date(2025, 9, 17)
    assert art.body == "正文"
    assert art.language() == "zh-Hans"


def test_normalise_maps_offsets_back():
    orig = "市值１.３８萬億港元，漲幅８２．１％"
    n = normalise(orig)
    assert "1.38万亿港元" in n.text
    i = n.text.index("82.1%")
    s, e = n.span(i, i + len("82.1%"))
    assert orig[s:e] == "８２．１％"


def test_dates_relative_to_publication():
    ref = dt.date(2026, 1, 6)
    got = {d.raw: d for d in scan_dates("至1月5日,市值;预计于1月8日上市;截至12月19日收市;今(8)日;2025H1;2022年至2024年", ref)}
    assert got["1月5日"].date == dt.date(2026, 1, 5)
    assert got["1月8日"].date == dt.date(2026, 1, 8)
    assert got["12月19日"].date == dt.date(2025, 12, 19)
    assert got["今(8)日"].date == dt.date(2026, 1, 8)
    assert got["2025H1"].period == "2025H1"
    assert got["2022年至2024年"].period == "2022-2024"


def test_year_less_date_prefers_tense():
    # jionlp's pitfall: with base 2026-01-03, 12月17日 in a past-tense report is 2025-12-17
    assert resolve_month_day(12, 17, dt.date(2026, 1, 3), "past") == dt.date(2025, 12, 17)
    assert resolve_month_day(1, 8, dt.date(2025, 12, 30), "future") == dt.date(2026, 1, 8)


def test_chinese_numeral_date():
    (d,) = scan_dates("二〇二五年十二月五日")
    assert d.date == dt.date(2025, 12, 5)


from conftest import SHARED  # noqa: E402

_DATA = SHARED / "data" / "articles"


def _body(name: str) -> str:
    """The body of a reference article, read when a test runs (never at import: a fresh clone has no ../shared)."""
    return (_DATA / name).read_text("utf-8").split("=====\n")[-1]


def _snippets(text: str, encoding: str, n: int = 150, size: int = 30):
    import random

    rnd = random.Random(7)
    out = []
    while len(out) < n:
        i = rnd.randrange(len(text) - size)
        s = text[i:i + size]
        if sum("\u4e00" <= c <= "\u9fff" for c in s) < 12:
            continue
        try:
            out.append((s, s.encode(encoding)))
        except UnicodeEncodeError:
            continue
    return out


@pytest.mark.needs_shared
@pytest.mark.parametrize("encoding,name", [("gbk", "2026-01-06-biren-debut-cold.zh-Hans.txt"),
                                           ("big5", "2025-12-biren-ipo-launch.zh-Hant.txt")])
def test_gbk_and_big5_snippets_detected(encoding, name):
    from ipolens.news.text import decode_bytes

    wrong = [s for s, b in _snippets(_body(name), encoding) if decode_bytes(b)[0] != s]
    assert wrong == []
