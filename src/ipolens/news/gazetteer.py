"""Entity mentions: names, short names and listing codes from the ledger's entities and aliases (as frames).

Matching runs on an alphanumeric projection of the normalised text (lower case, spaces and punctuation dropped), so
'HW Electro' finds the alias 'hwelectro' and 摩爾執行緒 (after t2s: 摩尔执行绪) finds Moore Threads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

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
_CODE = re.compile(r"(?<![\d.])(\d{4,5})\.HK\b|(?<![\d.])(\d{6})\.(SH|SZ|SS)\b|\((?:HK|沪|深|SH|SZ)[:]?(\d{4,6})\)"
                   r"|\(([A-Z]{2,5})\)", re.I)


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
        # first two characters -> aliases, longest first: a dictionary probe per position beats a regex of
        # thousands of alternatives (Python's re tries every branch at every position)
        self._index: dict[str, list[str]] = {}
        for a in sorted(names, key=len, reverse=True):
            self._index.setdefault(a[:2], []).append(a)

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
        proj, idx = _project(text)
        out: list[Mention] = []
        i, n = 0, len(proj)
        next_tick = 4096
        while i < n - 1:
            if tick and i >= next_tick:
                tick()
                next_tick = i + 4096
            hit = None
            for a in self._index.get(proj[i:i + 2], ()):
                if proj.startswith(a, i):
                    s, e = idx[i], idx[i + len(a) - 1] + 1
                    if text[s].isascii() and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
                        continue
                    if text[e - 1].isascii() and e < len(text) and text[e].isascii() and text[e].isalnum():
                        continue
                    hit = a
                    out.append(Mention(s, e, self.names[a], text[s:e]))
                    break
            i += len(hit) if hit else 1
        for m in _CODE.finditer(text):
            key = self._code_key(m)
            if key:
                out.append(Mention(m.start(), m.end(), key, m[0]))
        out.sort(key=lambda x: x.start)
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
        i = self.info.get(key, {})
        for k in ("name_zh", "name_en"):
            if isinstance(i.get(k), str) and i[k]:
                return i[k]
        return key

    def code(self, key: str) -> str | None:
        from ipolens.ledger.codes import CodeError, parse_code

        if not key or key.split(":")[0] not in ("HK", "SH", "SZ", "US"):
            return None
        try:
            return parse_code(key.split(":", 1)[1] + ("" if key.startswith("US:") else "." + key.split(":")[0])).display
        except CodeError:
            return key


_ALNUM_RUN = re.compile(r"[^\W_]+")


def _project(text: str) -> tuple[str, list[int]]:
    """Lower-cased alphanumeric characters of ``text`` and, for each, its offset in ``text``."""
    chars, idx = [], []
    for m in _ALNUM_RUN.finditer(text):
        run = m.group(0)
        low = run.lower()
        if len(low) != len(run) or not all(c.isalnum() for c in run if ord(c) < 0x2E80 and not c.isascii()):
            for i, ch in enumerate(run, m.start()):  # rare: case folding changes length, or a combining mark
                if ch.isalnum():
                    chars.append(ch.lower()[:1])
                    idx.append(i)
            continue
        chars.append(low)
        idx.extend(range(m.start(), m.end()))
    return "".join(chars), idx
