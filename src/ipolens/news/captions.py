"""Photo and figure captions inside an article: lines that describe a picture, whose figures are not claims.

A caption line is short (a paragraph is not) and either opens with a picture word ('图为…'), has a first clause that
names a picture ('…芯片剖面示意图，共含120亿个晶体管…': the figure repeats the text it illustrates), opens a wire caption
('In this Jan 5, 2024, photo, …') or ends with a photographer's credit in capitals ('(JOHN SMITH / CHINA DAILY)').
The words are data: lexicon/layout.yaml (caption_*)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["caption_spans"]

_CAPTION_MAX = 160  # a longer line is a paragraph, even when it opens with a picture word
_CREDIT = re.compile(r"\((?:[A-Z][A-Z.'-]*\s?){1,4}/\s?(?:[A-Z][A-Za-z.'-]*\s?){1,4}\)\s*$")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "lexicon" / "layout.yaml").read_text(encoding="utf-8"))
    alt = lambda ws: "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))  # noqa: E731
    zh = re.compile(rf"^[\s*#【\[]*(?:(?:{alt(data['caption_openings'])})|"
                    rf"[^,，。:：;；\n]{{0,30}}?(?:{alt(data['caption_clause_ends'])})\s*[,，:：])")
    en = re.compile(rf"^\s*In this\b[^\n]{{0,40}}?\b(?:{alt(data['caption_photo_words'])})\b", re.I)
    return zh, en


def caption_spans(text: str, start: int) -> list[tuple[int, int, str]]:
    """(start, end, 'furniture') of every caption line from ``start`` on."""
    zh, en = _patterns()
    out = []
    pos = start
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if line.strip() and len(line) <= _CAPTION_MAX and (zh.match(line) or en.match(line) or _CREDIT.search(line)):
            s = pos + len(line) - len(line.lstrip())
            out.append((s, pos + len(line.rstrip()), "furniture"))
        pos = end + 1
    return out
