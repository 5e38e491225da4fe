"""Entity mentions: names, short names and listing codes from the ledger's entities and aliases (as frames).

Matching runs on an alphanumeric projection of the normalised text (lower case, spaces and punctuation dropped), so
'HW Electro' finds the alias 'hwelectro' and 摩爾執行緒 (after t2s: 摩尔执行绪) finds Moore Threads. The projection and
its map back to text offsets are alnum_projection's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .alnum_projection import _project  # re-exported for tests
from .gazetteer_local import local_names
from .scan_anchor import Anchored

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Mention", "Gazetteer", "EXTRA_ALIASES", "ENTITIES_PATH"]

ENTITIES_PATH = Path(__file__).with_name("lexicon") / "entities.yaml"


def _extra_aliases(path: Path = ENTITIES_PATH) -> dict[str, str]:
    """Surface forms the news uses that the ledger's alias table does not hold (lexicon/entities.yaml)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return {str(k): str(v) for k, v in (yaml.safe_load(fh).get("aliases") or {}).items()}


EXTRA_ALIASES = _extra_aliases()
# (the look-ahead on the first character lets the scan skip every other position fast)
_CODE = re.compile(r"(?=[\d(])(?:(?<![\d.])(\d{4,5})\.HK\b|(?<![\d.])(\d{6})\.(SH|SZ|SS)\b"
                   r"|\((?:HK|沪|深|SH|SZ)[:]?(\d{4,6})\)|\(([A-Z]{2,5})\))", re.I)

_CODE_ANCHORED = Anchored(_CODE)  # tried only around its '.' and '(' (see scan_anchor)


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the normalised text
    end: int
    key: str
    surface: str


class Gazetteer:
    def __init__(self, names: dict[str, str], keys: set[str], info: dict[str, dict]):
        self.names = names  # projected alias -> entity key
        self.keys = keys
        self.info = info  # key -> {name_zh, name_en, market, code, kind}
        # first two characters -> aliases, longest first: the shorter aliases to try where a boundary check
        # rejects the longest one
        self._index: dict[str, list[str]] = {}
        for a in sorted(names, key=len, reverse=True):
            self._index.setdefault(a[:2], []).append(a)
        # an Aho-Corasick automaton finds the leftmost longest alias in one pass over the text, whatever the
        # number of aliases
        self._automaton = _automaton(names) if names else None
        self._shown: dict[str, str] = {}
        self._codes: dict[str, str | None] = {}

    @classmethod
    def from_frames(cls, ents: pd.DataFrame, aliases: pd.DataFrame) -> "Gazetteer":
        """From the entities (key, kind, market, code, name_en, name_zh) and aliases (alias, entity) frames."""
        from .text import to_simplified

        info = {r.key: {"kind": r.kind, "market": r.market, "code": r.code, "name_en": r.name_en,
                        "name_zh": r.name_zh} for r in ents.itertuples()}
        names: dict[str, str] = {}
        ambiguous: set[str] = set()

        def add(surface: str | None, key: str) -> None:
            if not surface or not isinstance(surface, str):
                return
            for form in {surface, to_simplified(surface)}:
                a = _project(form)[0]
                if not a or a.isdigit():
                    continue
                cjk = any(ord(c) > 0x2E7F for c in a)
                if (cjk and len(a) < 2) or (not cjk and len(a) < 4):
                    continue
                if a in names and names[a] != key:
                    ambiguous.add(a)
                names[a] = key

        for r in ents.itertuples():
            add(r.name_zh, r.key)
            add(r.name_en, r.key)
            # HK board names carry suffixes (－Ｂ, -W): also match the bare name
            if isinstance(r.name_zh, str):
                add(re.sub(r"[-－][A-ZＡ-Ｚ]+$", "", r.name_zh), r.key)
        for r in aliases.itertuples():
            add(r.alias, r.entity)
        for surface, key in EXTRA_ALIASES.items():
            add(surface, key)
        for a in ambiguous:
            names.pop(a, None)
        return cls(names, set(info), info)

    def find(self, text: str, tick: Callable[[], None] | None = None) -> list[Mention]:
        """Mentions in ``text``, by start; ``tick`` is called every few thousand characters (a caller's deadline)."""
        proj, runs = _project(text)
        out: list[Mention] = []
        n = len(proj)
        next_tick = 4096
        pos = 0
        while self._automaton is not None and pos < n - 1:
            restart = None
            for end, a in self._automaton.iter_long(proj, pos):
                i = end - len(a) + 1
                if tick and i >= next_tick:
                    tick()
                    next_tick = i + 4096
                # the longest alias at i comes first; a boundary check may still reject it for a shorter one
                hit = None
                for b in (a, *self._index.get(proj[i:i + 2], ())):
                    if len(b) <= len(a) and proj.startswith(b, i):
                        s, e = runs.at(i), runs.at(i + len(b) - 1) + 1
                        if _glued(text, s, e):
                            continue
                        hit = b
                        out.append(Mention(s, e, self.names[b], text[s:e]))
                        break
                if hit != a:  # rejected or shortened: go on from where the shorter hit (or the next position) ends
                    restart = i + (len(hit) if hit else 1)
                    break
            if restart is None:
                break
            pos = restart
        for m in _CODE_ANCHORED.finditer(text):
            key = self._code_key(m)
            if key:
                out.append(Mention(m.start(), m.end(), key, m[0]))
        out.sort(key=lambda x: x.start)
        new = [Mention(*n) for n in local_names(text, out)]
        if new:
            # an alias inside a longer new name (not at its start) is part of that name, not the company it names
            def inside(m: Mention) -> bool:
                return any(n.start < m.start and m.end <= n.end and n.key.startswith("NEW:") for n in new)

            out = sorted([m for m in out if not inside(m)] + new, key=lambda x: x.start)
        return out

    def _code_key(self, m: re.Match) -> str | None:
        from ipolens.ledger.codes import CodeError, parse_code

        raw = (f"{m[1]}.HK" if m[1] else f"{m[2]}.{m[3]}" if m[2] else m[4] if m[4] else None)
        try:
            if raw:
                key = parse_code(raw).key
                return key if key in self.keys else None
            key = f"US:{m[5]}"
            return key if key in self.keys else None
        except CodeError:
            return None

    def display(self, key: str) -> str:
        hit = self._shown.get(key)
        if hit is None:
            hit = self._shown[key] = self._display(key)  # a few keys, asked once per claim
        return hit

    def _display(self, key: str) -> str:
        i = self.info.get(key, {})
        for k in ("name_zh", "name_en"):
            if isinstance(i.get(k), str) and i[k]:
                return i[k]
        return key

    def code(self, key: str) -> str | None:
        if key not in self._codes:
            self._codes[key] = self._code(key)
        return self._codes[key]

    def _code(self, key: str) -> str | None:
        from ipolens.ledger.codes import CodeError, parse_code

        if not key or key.split(":")[0] not in ("HK", "SH", "SZ", "US"):
            return None
        try:
            return parse_code(key.split(":", 1)[1] + ("" if key.startswith("US:") else "." + key.split(":")[0])).display
        except CodeError:
            return key


def _glued(text: str, s: int, e: int) -> bool:
    """A Latin alias glued to letters or digits around it is part of another word ('aigo' in 'Taigo')."""
    if text[s].isascii() and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
        return True
    return text[e - 1].isascii() and e < len(text) and text[e].isascii() and text[e].isalnum()


def _automaton(names: dict[str, str]):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for a in names:
        auto.add_word(a, a)
    auto.make_automaton()
    return auto
