"""Page furniture: bylines, credits, share buttons, related-story lists, and the headline-like lines they hold.

Apart from layout.py because it carries the vocabulary of lexicon/layout.yaml and the searches built from it;
layout.py only decides the regions of one article.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .page_dates import MONTH, is_timestamp
from .text_lines import EOL, LEAD_SPACE, STRIP, has_cjk, lines, trimmed

# A headline is short; past this many characters a first line is a paragraph.
_TITLE_MAX_CJK = 64
_TITLE_MAX_LATIN = 150
_SHORT_LINE = 40  # furniture without a colon must be a short line
_NEAR = 130  # furniture found by a word inside the line lies this close to the line's start


@dataclass(frozen=True)
class _Vocabulary:
    keys: dict[str, str]  # casefolded key -> field
    key_re: re.Pattern  # a metadata key at the start of a line, then a colon
    pair_re: re.Pattern  # a further 'key: value' pair inside a metadata line
    furniture_re: re.Pattern
    marks: tuple[str, ...]
    suffixes: tuple[str, ...]
    headings: frozenset[str]
    author_re: re.Pattern
    author_word: re.Pattern
    candidate_res: tuple[re.Pattern, ...]  # where a furniture line may be (then tested by is_furniture / is_timestamp)
    heading_re: re.Pattern  # a related-story heading line


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "lexicon" / "layout.yaml").read_text(encoding="utf-8"))
    keys = {fold(k): f for f, words in data["metadata_keys"].items() for k in words}
    alt = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    furn = "|".join(re.escape(fold(k)) for k in sorted(data["furniture_prefixes"], key=len, reverse=True))
    authors = "|".join(re.escape(fold(k)) for k, f in keys.items() if f == "author" and len(k) > 1)

    def raw(words):
        """The words in the casings a page prints them (as written, lower, Capitalised, UPPER), longest first: the
        candidate searches run without re.I, which would cost the regex engine its fast skip-ahead."""
        forms = {v for w in words for v in (w, fold(w), w.lower(), w.capitalize(), w.upper())}
        return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    author_words = [k for k, f in keys.items() if f == "author" and len(k) > 1]
    authors_cjk = "|".join(re.escape(k) for k in author_words if has_cjk(k))
    authors_latin = "|".join(re.escape(k) for k in author_words if not has_cjk(k) and k not in ("by", "editor"))
    suffixes_cjk = [w for w in data["furniture_suffixes"] if has_cjk(w)]
    suffixes_latin = [w for w in data["furniture_suffixes"] if not has_cjk(w)]
    return _Vocabulary(
        keys=keys,
        key_re=re.compile(rf"[\[【(]?\s*({alt})\s*[\]】)]?\s*[:|]\s*", re.I),
        pair_re=re.compile(rf"(?:^|\s+|[|·])({alt})\s*:\s*", re.I),
        furniture_re=re.compile(rf"[\[【(]?\s*({furn})"),  # on folded text: no re.I needed
        marks=tuple(fold(m) for m in data["furniture_marks"]),
        suffixes=tuple(fold(s) for s in data["furniture_suffixes"]),
        headings=frozenset(fold(h) for h in data["list_headings"]),
        author_re=re.compile(rf"^.{{0,8}}?(?:{authors})\s*:"),
        author_word=re.compile(rf"(?:{authors_cjk})|\b(?:{authors_latin})\b"),
        # each starts with a literal or a small character set, so a search skips ahead in C
        candidate_res=(
            re.compile(rf"\n[{LEAD_SPACE}]*[\[【(]?[ \t]*(?:{raw(data['furniture_prefixes'])}|"
                       rf"{raw(data['furniture_marks'])})"),
            re.compile(rf"(?:{raw(suffixes_cjk)})[ \t\u3000]*\r?\n"),
            re.compile(rf"(?:{raw(suffixes_latin)})[ \t]*\r?\n"),
            re.compile(authors_cjk),
            re.compile(rf"\b(?:{raw(authors_latin.split('|'))})\b"),
            re.compile(r"[-/.]\d{1,2}[-/.]"),  # the middle of a numeric date (2025-03-04, 22/12/2025)
            re.compile(rf"(?<=\s){MONTH}\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d(?!\d)")),  # a word date (a byline's)
        heading_re=re.compile(rf"\n[{LEAD_SPACE}#*【\[]*(?:{raw(data['list_headings'])}|"
                              rf"(?i:{'|'.join(re.escape(w) for w in data['list_heading_prefixes'])})[ \t]?[^\n.。,，:：;；]{{1,40}}?)"
                              rf"[ \t]*[:：】\]]*[ \t\r]*(?=\n|$)"),
    )


def fold(s: str) -> str:
    """NFKC and casefold: full-width colons, digits and letters read as ASCII; lengths may change, so folded
    strings are only ever tested, never used for offsets."""
    return unicodedata.normalize("NFKC", s).casefold()


_SENTENCE_END = ("。", ".", ";", "；", ":", "：", ",", "，", "、")
_SENTENCE_PUNCT = re.compile(r"[。，,；;]")
_BULLET = re.compile(r"[-*•·▪●◆■]\s|\d{1,2}[.)、]\s*\D")  # a list item is not a headline


def is_furniture(line: str) -> bool:
    voc = vocabulary()
    f = fold(line if len(line) <= 96 else line[:48]).strip(STRIP)  # long lines: only their opening is tested
    if not f:
        return False
    if f.startswith(voc.marks):
        return True
    short = len(line) <= 96 and len(f) <= _SHORT_LINE and not _SENTENCE_PUNCT.search(f)
    m = voc.furniture_re.match(f)
    if m:
        rest = f[m.end(1):].lstrip(" \t]】)")
        if rest.startswith((":", "|")) or not rest or (short and not any(c.isdigit() for c in f)):
            return True
    if short and len(f) <= 30 and f.endswith(voc.suffixes):
        return True
    if len(line) <= 96 and len(f) <= 80 and not _SENTENCE_PUNCT.search(f.replace(",", "")) and voc.author_re.match(f):
        return True  # '每经记者:张三 李四 每经编辑:王五'
    return short and not any(c.isdigit() for c in f) and bool(voc.author_word.search(f))  # '經濟日報／記者張三／台北報導'


def is_heading(line: str) -> bool:
    if len(line) > 40:
        return False
    f = fold(line).strip(STRIP + ":：|-—=#*【】[]")
    return f in vocabulary().headings


def is_headline(line: str) -> bool:
    if len(line) > 2 * _TITLE_MAX_LATIN:
        return False
    f = unicodedata.normalize("NFKC", line).strip(STRIP + "#")
    if f.endswith(_SENTENCE_END) or "。" in f[:-1] or _BULLET.match(f):
        return False
    if has_cjk(f):
        return 6 <= len(f) <= _TITLE_MAX_CJK
    return len(f.split()) >= 3 and len(f) <= _TITLE_MAX_LATIN  # 'Overview' is a section heading


def furniture_after(text: str, start: int) -> list[tuple[int, int, str]]:
    """Furniture and page timestamps below the lead. Regexes find the places where a furniture line could be (a
    furniture word opening a line, a credit closing one, an author word, a numeric date); only those lines are tested.
    Apart from a line opened by a furniture word, furniture is a short line, so the look back is bounded."""
    out = []
    starts: set[int] = set()
    first, *rest = vocabulary().candidate_res
    starts.update(m.start() + 1 for m in first.finditer(text, max(0, start - 1)))
    for pat in rest:
        for m in pat.finditer(text, start):
            p = m.start()
            ls = text.rfind("\n", max(start, p - _NEAR), p)
            if ls >= 0 or p - start <= _NEAR:
                starts.add(ls + 1 if ls >= 0 else start)
    for ls in sorted(starts):
        eol = EOL.search(text, ls)
        le = eol.start() if eol else len(text)
        s, e = trimmed(text, ls, le)
        if s < e and (is_timestamp(text[s:e], lead=False) or is_furniture(text[s:e])):
            out.append((s, e, "furniture"))
    return out


def _heading_lines(text: str, start: int):
    """[start, end) of each related-story heading line from ``start`` on."""
    if start == 0:  # the first line has no line break before it
        eol = EOL.search(text)
        le = eol.start() if eol else len(text)
        if is_heading(text[:le]):
            yield 0, le
    for m in vocabulary().heading_re.finditer(text, max(0, start - 1)):
        yield m.start() + 1, m.end()


def list_spans(text: str, start: int) -> list[tuple[int, int, str]]:
    """A related-story heading and the headline-like lines under it, up to the first paragraph."""
    out = []
    done = start
    for hs, he in _heading_lines(text, start):
        if hs < done:
            continue  # inside the list just read
        s, end = trimmed(text, hs, he)
        done = he
        for ls, le in lines(text, he):
            ts, te = trimmed(text, ls, le)
            if ts < te and not (is_headline(text[ts:te]) or is_furniture(text[ts:te])):
                break
            if ts < te:
                end = te
            done = le
        out.append((s, end, "list"))
    return out


def is_section_label(line: str) -> bool:
    """A section label above the headline ('經濟', 'Markets'): a word or two, no digits."""
    if len(line) > 16:
        return False
    f = unicodedata.normalize("NFKC", line).strip(STRIP + "#|｜")
    if any(c.isdigit() for c in f):
        return False
    return len(f) <= 4 if has_cjk(f) else len(f.split()) == 1
