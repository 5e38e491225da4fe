"""The news-dev corpus as data: labelled articles (``NN.txt`` + ``NN.claims.yaml``, ``injected/``), the fixed
dev/test split, the outlet market and date of an article, and where each label's quote lies in the text."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Label", "LabelledArticle", "SPLITS", "load_corpus", "split_of", "outlet_for", "article_date",
           "locate_quotes"]

SPLITS = ("dev", "test", "all")


@dataclass
class Label:
    id: str
    quote: str
    value: object
    value_high: object
    unit: str | None
    metric: str | None
    check: str | None
    injected: bool = False
    start: int | None = None  # located occurrence of the quote in the article text (None: not found)
    end: int | None = None


@dataclass
class LabelledArticle:
    key: str  # "07" or "injected/07"
    text_path: Path
    language: str
    market: str
    injected_copy: bool
    labels: list[Label]

    @property
    def number(self) -> int:
        return int(re.sub(r"\D", "", Path(self.key).name) or 0)



# -- the corpus ----------------------------------------------------------------------------------------------------
def split_of(number: int) -> str:
    """The corpus README's fixed split: odd NN is dev, even NN is test."""
    return "dev" if number % 2 else "test"


def load_corpus(root: str | Path, split: str = "dev") -> tuple[list[LabelledArticle], list[LabelledArticle]]:
    """(natural articles, injected copies) of ``split`` under ``root``, in article order."""
    import yaml

    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    root = Path(root)
    out: tuple[list, list] = ([], [])
    for folder, injected in ((root, False), (root / "injected", True)):
        for path in sorted(folder.glob("*.claims.yaml")) if folder.is_dir() else []:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            art = _article(path, data, injected)
            if split == "all" or split_of(art.number) == split:
                out[injected].append(art)
    return out


def _article(path: Path, data: dict, injected: bool) -> LabelledArticle:
    stem = path.name.removesuffix(".claims.yaml")
    labels = [Label(id=str(c.get("id")), quote=str(c.get("quote") or ""), value=c.get("value"),
                    value_high=c.get("value_high"), unit=c.get("unit"), metric=c.get("metric"),
                    check=c.get("check"), injected=bool(c.get("injected")))
              for c in data.get("claims") or []]
    return LabelledArticle(key=f"injected/{stem}" if injected else stem,
                           text_path=path.parent / str(data.get("text_file") or f"{stem}.txt"),
                           language=str(data.get("language") or "?"), market=str(data.get("market") or ""),
                           injected_copy=injected, labels=labels)


def outlet_for(market: str) -> str | None:
    """The reader's outlet market for a label's ``market``: HKEX -> HK, SSE/SZSE -> CN, NYSE/Nasdaq -> US; others
    (TWSE) None, so the reader decides from the text."""
    m = market.upper()
    for words, outlet in ((("HKEX", "GEM"), "HK"), (("SSE", "SZSE", "STAR"), "CN"), (("NYSE", "NASDAQ"), "US")):
        if any(re.search(rf"\b{w}\b", m) for w in words):
            return outlet
    return None


def article_date(header_date: str | None) -> dt.date | None:
    """The article's date from its header ``Date:`` line: a printed leading date, else the date the evidence points
    to (``... -> [written] YYYY-MM-DD``, the first day of a window), else the first ISO date the evidence names;
    None when the header names no date."""
    text = header_date or ""
    m = (re.match(r"\s*(\d{4}-\d{2}-\d{2})", text) or re.search(r"->\s*(?:written\s+)?(\d{4}-\d{2}-\d{2})", text)
         or re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", text))
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m[1])
    except ValueError:
        return None


def locate_quotes(text: str, body_start: int, labels: list[Label]) -> None:
    """Set each label's [start, end): the first occurrence of its quote at or after the previous label's."""
    prev = body_start
    for lab in labels:
        i = text.find(lab.quote, prev) if lab.quote else -1
        if i < 0:
            lab.start = lab.end = None
            continue
        lab.start, lab.end = i, i + len(lab.quote)
        prev = i
