"""The news reader over an archive: plan partitions of articles, read each article through ``news.api``, and hand
back partition tables (claims, findings, ledger-ready facts and sources, errors) for the caller to write.

Nothing here touches a file format that needs a database: Parquet reading and writing are functions the caller
passes in (``Io``). A partition is a fixed slice of the input (files in name order, or lines / rows in file order),
so its content never depends on the engine or on which partitions ran before: a killed batch re-runs only the
partitions without a done marker and ends with the same tables. One bad article (undecodable, empty, a record
without text, a reader failure) becomes an error row with its reason; it never stops the partition.
A large text file is read in pieces of about ``PIECE_CHARS`` characters cut at paragraph (else line) ends, and
with a ``Spill`` each piece's rows leave memory as soon as the piece is read, so memory stays bounded; checks inside
an article then run within each piece. An article's ledger source id is ``news:<input hash>/<name in the input>``
(the path relative to INPUT, or ``<file>#<line or row>``; the hash is of the input's absolute path), so two files of
one name, or two inputs of one name, never share a source. Planning is batch_plan's, the tables' shapes batch_tables'.
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Protocol

from . import api
from .extract import OUTLETS
from .batch_plan import PART_SIZE, Io, Item, _items, input_tag, part_name, plan  # re-exported: the batch's interface
from .batch_tables import (CLAIM_COLUMNS, ERROR_COLUMNS, FACT_COLUMNS, FINDING_COLUMNS, SOURCE_COLUMNS, TABLES,
                           _claim_row, cross_findings)
from .text import NewsEncodingError, decode_bytes

__all__ = ["Io", "Context", "Item", "plan", "run_partition", "TABLES", "CLAIM_COLUMNS", "FINDING_COLUMNS",
           "FACT_COLUMNS", "SOURCE_COLUMNS", "ERROR_COLUMNS", "cross_findings", "BIG_FILE", "PIECE_CHARS",
           "part_name", "Spill", "input_tag"]

BIG_FILE = 1 << 19  # bytes: larger text files are streamed in pieces (ten times a long article: a file read whole
# is one article, whose pairwise checks and rows grow with it; 2 MB read whole peaked at 402 MB)
PIECE_CHARS = 50_000  # a piece's checks are quadratic in its claims: keep pieces article-sized
_BLOCK = 1 << 20
TEXT_SUFFIXES = {".txt", ".md", ".text"}


@dataclass
class Context:
    """What every partition needs, sent to each worker once."""
    gazetteer: Any
    fx: Any
    facts: Any  # the ledger's numeric facts (pandas), or None to skip the ledger check
    io: Io
    published: dt.date | None = None  # defaults for articles that do not say
    market: str | None = None
    encoding: str | None = None
    _index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        # built here, once, not lazily: partitions share the context across threads
        if self.facts is not None:
            for pos, key in enumerate(zip(self.facts["entity"], self.facts["field"])):
                self._index.setdefault(key, []).append(pos)

    def candidates(self, pairs: list[tuple[str, str]]):
        """The ledger rows of these (entity, field) pairs, in ledger order (what ``news check`` fetches)."""
        if self.facts is None:
            return None
        pos = sorted(p for k in pairs for p in self._index.get(k, ()))
        return self.facts.iloc[pos].reset_index(drop=True)


class Spill(Protocol):
    """Where a partition's rows go while a large file is read: ``write`` stores the tables so far as the next piece
    (in order), ``pieces`` counts the pieces stored, ``truncate(n)`` removes every piece after the first n."""
    pieces: int

    def write(self, tables: dict[str, list[dict]]) -> None: ...

    def truncate(self, n: int) -> None: ...


# -- one partition -------------------------------------------------------------------------------------------------
def run_partition(ctx: Context, task: dict, spill: Spill | None = None) -> dict[str, list[dict]]:
    """The tables of one partition: rows per table name (see TABLES), articles in partition order. With ``spill``,
    the rows of a large file do not wait for the partition's end: before each of its pieces is read, the rows so far
    go to ``spill``; once anything was spilled, the rest goes there too and the returned tables are empty (the
    spilled pieces, in order, are the partition's tables)."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    sourced: set[str] = set()  # articles whose source row is written (a file's pieces share one)
    for item in _items(task, ctx.io):
        if item.error:
            out["errors"].append({"article": item.key, "reason": item.error})
            continue
        mark = None  # spilled pieces before this article's first: a failure mid-file removes the later ones
        try:
            for art, published, market in _articles(item, ctx):
                if spill is not None and isinstance(art, _Piece):
                    if any(out.values()):
                        _spill(spill, out)
                        out = {t: [] for t in TABLES}
                    mark = spill.pieces if mark is None else mark
                _read_one(ctx, task["tag"], item, art, published, market, out, sourced)
        except _SpillFailed as exc:  # the output cannot be written: no article's fault, the partition stops
            raise exc.__cause__ from None
        except Exception as exc:  # noqa: BLE001 - one article's reader failure must not stop the batch
            # an article is whole or absent: a failure mid-file drops its earlier pieces
            _drop(out, item.key)
            if mark is not None:
                spill.truncate(mark)
            reason = str(exc) if isinstance(exc, _Bad) else f"reader failed: {type(exc).__name__}: {exc}"
            out["errors"].append({"article": item.key, "reason": reason})
    if spill is not None and spill.pieces:
        spill.write(out)
        out = {t: [] for t in TABLES}
    return out


class _SpillFailed(Exception):
    """Writing spilled rows failed (its cause is the real error)."""


def _spill(spill: Spill, out: dict) -> None:
    try:
        spill.write(out)
    except Exception as exc:
        raise _SpillFailed() from exc


class _Bad(ValueError):
    """An article that cannot be read; the message is the reason written to the errors table."""


def _drop(out: dict, key: str) -> None:
    for t in ("claims", "findings", "facts", "sources"):
        out[t] = [r for r in out[t] if r["article"] != key]


def _articles(item: Item, ctx: Context):
    """(Article, published, market) for the item: one, or the pieces of a large file."""
    published = ctx.published
    if item.published:
        try:
            published = dt.date.fromisoformat(item.published[:10])
        except ValueError:
            raise _Bad(f"published must be YYYY-MM-DD, got {item.published!r}") from None
    market = (item.market or ctx.market)
    if market is not None:
        market = str(market).upper()
        if market not in OUTLETS:
            raise _Bad(f"market must be one of {', '.join(OUTLETS)}, got {item.market!r}")
    if item.path is None:
        if not item.text.strip():
            raise _Bad("empty article")
        yield api.article_from_text(item.text, item.key), published, market
        return
    try:
        size = os.path.getsize(item.path)
    except OSError as exc:
        raise _Bad(f"cannot read: {exc.strerror or exc}") from None
    if size <= BIG_FILE:
        try:
            art = api.read_articles([item.path], ctx.encoding)[0]
        except NewsEncodingError as exc:
            raise _Bad(f"undecodable: {exc}") from None
        if not art.text.strip():
            raise _Bad("empty article")
        yield art, published, market
        return
    blank = True
    for k, text in enumerate(_pieces(item.path, ctx.encoding)):
        if not text.strip():
            continue
        art = api.article_from_text(text, str(item.path))
        if blank:  # only the first piece has the header: its date holds for the rest
            published = published or art.published()
            blank = False
        yield _Piece(art, k), published, market
    if blank:
        raise _Bad("empty article")


@dataclass
class _Piece:
    """One piece of a large file: its claim ids get a piece prefix so they stay unique within the file."""
    article: Any
    number: int


def _pieces(path: Path, encoding: str | None) -> Iterator[str]:
    """The file's text in pieces of about PIECE_CHARS characters, cut after a blank line (else a line end)."""
    with open(path, "rb") as fh:
        head = fh.read(_BLOCK)
        cut = head.rfind(b"\n") + 1 or len(head)  # a newline byte never sits inside a UTF-8/GBK/Big5 character
        try:
            _, enc = decode_bytes(head[:cut], str(path), encoding)
        except NewsEncodingError as exc:
            raise _Bad(f"undecodable: {exc}") from None
        dec = codecs.getincrementaldecoder(enc)()
        buf, data, pos = "", head, 0
        while True:
            try:
                buf += dec.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                raise _Bad(f"undecodable: {path}: invalid {enc} near byte {pos + exc.start}") from None
            pos += len(data)
            while len(buf) >= PIECE_CHARS:
                at = buf.rfind("\n\n", 0, PIECE_CHARS)
                at = at + 2 if at > 0 else (buf.rfind("\n", 0, PIECE_CHARS) + 1 or PIECE_CHARS)
                yield buf[:at]
                buf = buf[at:]
            if not data:
                break
            data = fh.read(_BLOCK)
    yield buf


def _read_one(ctx: Context, tag: str, item: Item, art, published, market, out: dict, sourced: set) -> None:
    piece = art.number if isinstance(art, _Piece) else None
    art = art.article if isinstance(art, _Piece) else art
    read = api.extract_all([art], ctx.gazetteer, published, market)
    if piece is not None:
        for c in read[art.path][1]:
            stem, _, n = c.id.rpartition("#")
            c.id = f"{stem}#p{piece}.{n}"
    findings = api.check_read(read, ctx.candidates(api.ledger_pairs(read)), ctx.fx)
    claims = read[art.path][1]
    for c in claims:
        out["claims"].append(_claim_row(item.key, c, piece))
    for f in findings:
        d = f.to_json()
        out["findings"].append({"article": item.key, "check": d["check"], "verdict": d["verdict"], "why": d["why"],
                                "claims": "|".join(d["claims"])})
    sid = f"news:{tag}/{item.name}"  # the file name alone would merge namesakes (see the module docstring)
    for src, stem, facts in api.ledger_records(read, published):
        if item.key not in sourced:  # a file's pieces share one source
            sourced.add(item.key)
            src.id, src.url = sid, item.url
            out["sources"].append({"article": item.key, "stem": stem,
                                   **{k: getattr(src, k) for k in SOURCE_COLUMNS[2:]}})
        for f in facts:
            f.source_id = sid
            out["facts"].append({"article": item.key, "stem": stem, **{k: getattr(f, k) for k in FACT_COLUMNS[2:]}})
