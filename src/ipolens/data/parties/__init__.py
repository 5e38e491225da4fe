"""Parties of a deal (sponsor banks, cornerstone investors) as entities with aliases, and the splitter for the
name lists that exports carry ("CICC, Goldman Sachs (Asia) L.L.C.", "中金公司、高盛", "A; B and C").

Vocabularies are the YAML files beside this module (``sponsors.yaml``, ``investors.yaml``), each entry with its
sources. A name matches an entry when their keys agree: ``party_key`` ignores case, punctuation, spaces,
traditional vs simplified characters and trailing legal suffixes, so "Goldman Sachs (Asia) LLC" and
"Goldman Sachs (Asia) L.L.C." are one spelling. Nothing here touches the ledger.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from ..import_values import is_legal_suffix

__all__ = ["Party", "Vocabulary", "party_key", "split_names", "sponsor_vocabulary", "investor_vocabulary",
           "clean_name"]

# Separators of a name list: , ， 、 ; ； / and the word "and" (a multi-part name is rejoined below).
_SEP = re.compile(r"(\s*[,，、;；/]\s*|\s+and\s+)", re.IGNORECASE)
# Trailing legal suffixes ignored when comparing names (after NFKC and lower-casing).
_LEGAL_TAIL = re.compile(r"(?:[\s,.]+(?:co|company|ltd|limited|inc|incorporated|llc|l\s*\.?\s*l\s*\.?\s*c|plc|pte)"
                         r"|股份有限公司|有限责任公司|有限公司|公司|[\s,.]+)+$")
_MAX_PARTS = 4  # a known name spans at most this many pieces of the split ("UBS AG", "Hong Kong Branch")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a core dependency
        return None
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def party_key(name: str) -> str:
    """'Goldman Sachs (Asia) L.L.C.' -> 'goldmansachsasia'; '中國國際金融香港證券有限公司' -> '中国国际金融香港证券'."""
    s = unicodedata.normalize("NFKC", name or "").lower().strip()
    conv = _t2s()
    if conv is not None and any(ord(ch) > 0x2e80 for ch in s):
        s = conv.convert(s)
    prev = None
    while prev != s:
        prev, s = s, _LEGAL_TAIL.sub("", s).strip()
    return "".join(ch for ch in s if ch.isalnum())


def clean_name(text: str) -> str:
    """A name as written, tidied for display: spaces collapsed, 'Ltd' spelled 'Limited', stray punctuation off."""
    s = re.sub(r"\s+", " ", str(text)).strip().strip(",;，；、").strip()
    s = re.sub(r"\s+\.", ".", re.sub(r",(?=[^\s,])", ", ", s))
    return re.sub(r"\bLtd\b\.?", "Limited", s).strip()


@dataclass(frozen=True)
class Party:
    id: str
    kind: str  # sponsor | cornerstone
    name_en: str | None
    name_zh: str | None = None
    type: str | None = None  # cornerstone type (sovereign fund, asset manager, ...)
    names: tuple[str, ...] = ()  # every spelling the vocabulary lists
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name_en or self.name_zh or self.id


@dataclass
class Vocabulary:
    """Parties of one kind and the key of every spelling they are known by."""

    kind: str
    parties: dict[str, Party] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)  # party_key(spelling) -> party id

    def add(self, party: Party) -> None:
        self.parties[party.id] = party
        for n in party.names:
            k = party_key(n)
            if k and self.by_key.setdefault(k, party.id) != party.id:
                raise ValueError(f"{self.kind} vocabulary: {n!r} names both {self.by_key[k]} and {party.id}")

    def match(self, name: str) -> Party | None:
        pid = self.by_key.get(party_key(name))
        return self.parties.get(pid) if pid else None

    def knows(self, name: str) -> bool:
        return party_key(name) in self.by_key


def split_names(text: str | None, vocab: Vocabulary | None = None) -> list[str]:
    """Names in a list cell, in order, each once. Splits on , ， 、 ; / and ' and '; a run of pieces that the
    vocabulary knows as one name ("UBS AG, Hong Kong Branch") stays whole, and a piece that is only a legal
    suffix or a branch ("Co., Ltd", "Hong Kong Branch") joins the name before it."""
    if not isinstance(text, str) or not text.strip():
        return []
    bits = _SEP.split(text.strip())
    pieces, seps = bits[0::2], bits[1::2]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        taken = None
        if vocab is not None:
            for j in range(min(len(pieces), i + _MAX_PARTS) - 1, i, -1):
                cand = "".join(p + s for p, s in zip(pieces[i:j], seps[i:j])) + pieces[j]
                if vocab.knows(cand):
                    taken, i = cand, j + 1
                    break
        if taken is None:
            taken = pieces[i]
            i += 1
            while i < len(pieces) and pieces[i].strip() and is_legal_suffix(pieces[i]):  # one suffix vocabulary
                taken += seps[i - 1] + pieces[i]
                i += 1
        name = clean_name(taken)
        if name and party_key(name) and name not in out:
            out.append(name)
    return out


def _load(file: str, kind: str, list_key: str) -> Vocabulary:
    doc = yaml.safe_load(resources.files(__package__).joinpath(file).read_text(encoding="utf-8"))
    vocab = Vocabulary(kind, sources=dict(doc.get("sources") or {}))
    for e in doc[list_key]:
        unknown = [s for s in e.get("sources") or [] if s not in vocab.sources]
        if unknown or not e.get("sources"):
            raise ValueError(f"{file}: entry {e.get('id')!r} cites unknown or no sources {unknown}")
        names = [e.get("name_en"), e.get("name_zh"), *(e.get("legal") or []), *(e.get("aliases") or [])]
        vocab.add(Party(id=f"{kind}:{e['id']}", kind=kind, name_en=e.get("name_en"), name_zh=e.get("name_zh"),
                        type=e.get("type"), names=tuple(str(n) for n in names if n),
                        sources=tuple(e["sources"])))
    return vocab


@lru_cache(maxsize=1)
def sponsor_vocabulary() -> Vocabulary:
    """The sponsor banks of ``sponsors.yaml``."""
    return _load("sponsors.yaml", "sponsor", "sponsors")


@lru_cache(maxsize=1)
def investor_vocabulary() -> Vocabulary:
    """The cornerstone investors of ``investors.yaml`` known under several names."""
    return _load("investors.yaml", "cornerstone", "investors")
