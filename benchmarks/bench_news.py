"""News-reader throughput as a ratio to a bare regex number scan of the same text.

    python benchmarks/bench_news.py [--repeat 5] [--articles ../shared/data/articles]

The floor is one ``re.finditer`` over digits (thousands separators, decimals, 万/亿 scales) on the raw text: the
cheapest thing that could call itself number extraction. The news reader does NFKC + t2s with offset maps, numbers
with units and qualifiers, dates, entity linking and metric attribution (no ledger access inside the timed loop).
Prints characters per second of each and ``news_vs_regex_floor=R`` (R = regex time / news time; below 1 means the
news reader is R times as fast as the floor, i.e. 0.01 = a hundred times slower).
"""
from __future__ import annotations

import argparse
import collections
import re
import statistics
import time
from pathlib import Path

FLOOR = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:万亿|萬億|亿|億|万|萬)?")


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--articles", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "articles"))
    args = ap.parse_args()

    from ipolens.app.news import gazetteer
    from ipolens.app.store import open_store
    from ipolens.news.extract import extract_claims
    from ipolens.news.text import read_article

    arts = [read_article(p) for p in sorted(Path(args.articles).glob("*.txt"))]
    if not arts:
        raise SystemExit(f"no articles in {args.articles}")
    gaz = gazetteer(open_store(":memory:"))
    chars = sum(len(a.text) for a in arts)
    extract_claims(arts[0], gaz)  # warm caches (OpenCC, cn2an, regexes)

    def floor() -> None:
        for a in arts:
            collections.deque(FLOOR.finditer(a.text), maxlen=0)  # consume every match, keep none

    def news() -> None:
        for a in arts:
            extract_claims(a, gaz)

    # the floor is microseconds: run it many times per sample so the timer resolves it
    inner = 200
    t_floor = _median(lambda: [floor() for _ in range(inner)], args.repeat) / inner
    t_news = _median(news, args.repeat)
    print(f"articles={len(arts)} chars={chars}")
    print(f"regex_floor_chars_per_s={chars / t_floor:,.0f}")
    print(f"news_chars_per_s={chars / t_news:,.0f}")
    print(f"news_vs_regex_floor={t_floor / t_news:.4f}")


if __name__ == "__main__":
    main()
