"""Adversarial texts for the news reader, one generator per shape, seeded: what a hypothesis loop over arbitrary
Unicode rarely builds (one endless sentence of figures, many 分别 lists in one clause, a paragraph of many names,
sub-headings over every paragraph...). ``benchmarks/bench_news.py`` times them; ``tests/test_news_linear_shapes.py``
checks spans and crashes on them. Words come from the role lexicon's own example sentences and alias table."""
from __future__ import annotations

import random
import re
from pathlib import Path

_LEXICON = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "news" / "lexicon"
_EG = re.compile(r"eg: '([^']*)'")
EXAMPLES = [e.replace("{", "").replace("}", "")
            for e in _EG.findall((_LEXICON / "roles.yaml").read_text(encoding="utf-8"))]
CUE_WORDS = sorted({w for e in EXAMPLES for w in re.findall(r"[\u4e00-\u9fff]{2,4}", e)})
NAMES = ["恒生指数", "南向资金", "茅台", "寒武纪", "宁德时代", "智谱", "AIGO", "Hua Hong Semiconductor Ltd."]
_ENDS = re.compile(r"[。.!?;\n]")


def _fill(rng: random.Random, part, n: int, joiner: str = "") -> str:
    out, size = [], 0
    while size < n:
        p = part(rng)
        out.append(p)
        size += len(p) + len(joiner)
    return joiner.join(out)[:n]


def figure(rng: random.Random) -> str:
    return rng.choice([f"{rng.randrange(1, 999)}.{rng.randrange(10)}亿元", f"{rng.randrange(100)}%",
                       f"{rng.randrange(1, 99)}.{rng.randrange(100)}港元", f"{rng.randrange(10**6):,}股",
                       f"{rng.randrange(1, 5000)}倍", f"HK${rng.randrange(1, 99)}.{rng.randrange(100)}"])


def cue(rng: random.Random) -> str:
    return rng.choice(CUE_WORDS)


def date(rng: random.Random) -> str:
    y, m, d = rng.randrange(1990, 2030), rng.randrange(1, 13), rng.randrange(1, 29)
    return rng.choice([f"{y}年{m}月{d}日", f"{y}年", f"{m}月{d}日", f"{y}年至{y + rng.randrange(1, 4)}年",
                       f"Q{rng.randrange(1, 5)}", f"Jan {d}, {y}", f"{y}-{m:02d}-{d:02d}"])


def name(rng: random.Random) -> str:
    code = f"({rng.randrange(1, 9999):05d}.HK)" if rng.random() < .5 else \
        f"({rng.choice(['688', '300', '600'])}{rng.randrange(1000):03d}.{rng.choice(['SH', 'SZ'])})"
    made = rng.choice("华中新天海东北") + rng.choice("芯科达源盛联") + rng.choice(["科技", "控股", "集团", "生物"])
    return rng.choice(NAMES + [made]) + code


def _respectively(rng: random.Random) -> str:
    return "、".join(cue(rng) for _ in range(rng.randrange(2, 5))) + "分别为" + \
        "、".join(figure(rng) for _ in range(rng.randrange(2, 5)))


SHAPES = {
    # one endless sentence: figures and cue words joined by commas, no sentence end anywhere
    "no_end": lambda rng, n: _fill(rng, lambda r: cue(r) + figure(r), n, ","),
    "numbers_listed": lambda rng, n: _fill(rng, figure, n, "、"),
    # 分别 lists: in one clause, one per sentence, opening their clause, with no clause break at all, in English
    "respectively_one_clause": lambda rng, n: _fill(rng, _respectively, n, ","),
    "respectively_sentences": lambda rng, n: _fill(rng, lambda r: _respectively(r) + "。", n),
    "respectively_opening": lambda rng, n: _fill(
        rng, lambda r: cue(r) + figure(r) + ",分别按年增加" + figure(r) + "及" + figure(r), n, ","),
    "respectively_no_break": lambda rng, n: _fill(
        rng, lambda r: cue(r) + figure(r) + cue(r) + figure(r) + "分别按年增加" + figure(r) + "及" + figure(r), n),
    "respectively_names_no_break": lambda rng, n: _fill(rng, lambda r: "发行价、开盘价分别为19.6、35.7港元", n),
    "respectively_en": lambda rng, n: _fill(
        rng, lambda r: " and ".join(r.choice(["revenue", "profit", "shares", "the stock"]) for _ in range(2))
        + f" rose {r.randrange(99)}% and {r.randrange(99)}%, respectively", n, " "),
    # role cue words, densely; the lexicon's examples as sentences and run together
    "cue_words": lambda rng, n: _fill(rng, lambda r: cue(r) + (figure(r) if r.random() < .3 else ""), n),
    "examples": lambda rng, n: _fill(rng, lambda r: r.choice(EXAMPLES), n, " "),
    "examples_no_end": lambda rng, n: _fill(rng, lambda r: _ENDS.sub(",", r.choice(EXAMPLES)), n, ","),
    "dates": lambda rng, n: _fill(rng, lambda r: date(r) + r.choice(["的", "", ",", "收入", figure(r)]), n),
    "dates_of_figures": lambda rng, n: _fill(rng, lambda r: date(r) + "的" + figure(r), n, ","),
    "names": lambda rng, n: _fill(rng, lambda r: name(r) + r.choice(["、", "和", ",", "市值" + figure(r)]), n),
    "names_listed": lambda rng, n: "包括" + _fill(rng, name, n - 20, "、") + "等,市值达12亿元",
    # the article's subject named above one long paragraph of index names and figures
    "subject_elsewhere": lambda rng, n: "茅台营收12亿元。茅台,宁德时代。\n" + _fill(
        rng, lambda r: f"恒生指数,营收{r.randrange(10**4)}亿元。", n),
    # a sub-heading with a figure over every paragraph
    "subheadings": lambda rng, n: _fill(rng, lambda r: f"营收{r.randrange(10**4)}亿元\n公司去年的净利润达到"
                                        f"{r.randrange(10**4)}.5亿元,同比增长,营业收入达到{figure(r)},同比增长。\n", n),
    # growth rates over year ranges in one endless sentence
    "cagr_years": lambda rng, n: _fill(rng, lambda r: f"{(y := r.randrange(1990, 2030))}年至{y + 5}年复合年增长率为"
                                       f"{r.randrange(99)}.5%", n, ","),
    "digits": lambda rng, n: "".join(rng.choice("0123456789,,. ") for _ in range(n)),
    "digit_run": lambda rng, n: "9" * (n - 2) + "亿元",
    "comma_groups": lambda rng, n: "1" + ",000" * ((n - 4) // 4) + "港元",
    "cn_numerals": lambda rng, n: "".join(rng.choice("零一二两三四五六七八九十百千万亿点壹贰拾佰仟萬億") for _ in range(n)),
    "cn_numerals_units": lambda rng, n: _fill(
        rng, lambda r: "".join(r.choice("一二三四五六七八九十百千万亿") for _ in range(r.randrange(1, 12)))
        + r.choice(["元", "亿港元", "%", "倍", "股", "人"]), n),
    "newlines": lambda rng, n: "\n" * n,
    "figures_on_lines": lambda rng, n: _fill(rng, lambda r: figure(r) + "\n" * r.randrange(1, 4), n),
    "header_lines": lambda rng, n: _fill(rng, lambda r: r.choice(["Title", "Date", "Source", "URL", "标题", "日期"])
                                         + ": " + r.choice([figure(r), date(r), f"https://x.com/a%20b%2C{r.randrange(99)}",
                                                            cue(r)]) + "\n", n),
    "wrapped_lines": lambda rng, n: _fill(rng, lambda r: "".join(cue(r) + figure(r) for _ in range(6))[:40] + "\n", n),
    "mixed_scripts": lambda rng, n: _fill(rng, lambda r: r.choice(["Revenue rose ", "净利润", "股價", "مليون ", "млн ",
                                                                   "百万ドル", "₹", "€"]) + figure(r), n, " "),
    "random_unicode": lambda rng, n: "".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(n)),
    "random_cjk_digits": lambda rng, n: "".join(
        chr(rng.choice([rng.randrange(0x4E00, 0x9FFF), rng.randrange(0x30, 0x3A), 0x2C, 0x3001])) for _ in range(n)),
    "spaces": lambda rng, n: "A and B rose 10% and 20%," + "\xa0" * (n - 60) + " and then fell respectively.",
    "brackets": lambda rng, n: _fill(rng, lambda r: "(" + figure(r) + r.choice(["", "约合", "或"]) + figure(r) + ")", n),
}


def shape(kind: str, n: int = 10_000, seed: int = 0) -> str:
    """A text of exactly ``n`` characters of the shape ``kind`` (a short draw is repeated up to ``n``)."""
    rng = random.Random(f"{kind}:{seed}")
    text = SHAPES[kind](rng, n) or "0"
    return (text * (n // len(text) + 1))[:n]
