"""Planning a news batch: the partitions of an input (a folder of text files, a JSONL or a Parquet file) and the
items each partition holds, in a fixed order.

Apart from batch.py because a plan depends only on the input, never on reading an article: batch.py reads the items.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

PART_SIZE = 200  # articles per partition


@dataclass
class Io:
    """Parquet access supplied by the caller: ``count(path)`` rows, ``rows(path, offset, n)`` as dicts."""
    count: Callable[[str], int]
    rows: Callable[[str, int, int], list[dict]]


@dataclass
class Item:
    key: str  # the article's name in every table: a file path, or "<input>#<line or row>"
    name: str = ""  # its name relative to the input (the source id's tail)
    text: str | None = None
    path: Path | None = None  # a text file to read (text is None)
    url: str | None = None
    published: str | None = None
    market: str | None = None
    error: str | None = None


def part_name(k: int) -> str:
    return f"part-{k:05d}"


def input_tag(source: str | Path) -> str:
    """A short hash of the input's absolute path: the source ids of two inputs of one name stay apart."""
    return hashlib.sha256(str(Path(source).resolve()).encode("utf-8")).hexdigest()[:8]


# -- planning ------------------------------------------------------------------------------------------------------
def plan(source: str | Path, io: Io, part_size: int = PART_SIZE) -> list[dict]:
    """The partitions of an input: a folder of text files, a JSONL file or a Parquet file of articles."""
    p = Path(source)
    if part_size < 1:
        raise ValueError(f"partition size must be >= 1, got {part_size}")
    if p.is_dir():
        files = sorted(f.relative_to(p).as_posix() for f in p.rglob("*")
                       if f.is_file() and not f.name.startswith("."))
        if not files:
            raise ValueError(f"{p}: no files in the folder")
        return [{"kind": "folder", "root": str(p), "tag": input_tag(p), "files": files[a:a + part_size]}
                for a in range(0, len(files), part_size)]
    if not p.exists():
        raise ValueError(f"no such input: {p}")
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        tasks, start, n, off = [], 0, 0, 0
        with open(p, "rb") as fh:  # byte offsets of every part_size-th line, read without holding the file
            for line in fh:
                if n == part_size:
                    tasks.append({"kind": "jsonl", "path": str(p), "tag": input_tag(p), "offset": start,
                                  "lines": n, "first": len(tasks) * part_size})
                    start, n = off, 0
                off += len(line)
                n += 1
        if n:
            tasks.append({"kind": "jsonl", "path": str(p), "tag": input_tag(p), "offset": start, "lines": n,
                          "first": len(tasks) * part_size})
        return tasks
    if p.suffix.lower() == ".parquet":
        total = io.count(str(p))
        return [{"kind": "parquet", "path": str(p), "tag": input_tag(p), "offset": a, "rows": min(part_size, total - a)}
                for a in range(0, total, part_size)]
    raise ValueError(f"{p}: input must be a folder of text files, a .jsonl or a .parquet file")


def _items(task: dict, io: Io) -> Iterator[Item]:
    if task["kind"] == "folder":
        for name in task["files"]:
            yield Item(key=str(Path(task["root"]) / name), name=name, path=Path(task["root"]) / name)
        return
    name = Path(task["path"]).name
    if task["kind"] == "jsonl":
        with open(task["path"], "rb") as fh:
            fh.seek(task["offset"])
            for k in range(task["lines"]):
                line = fh.readline()
                key = f"{name}#{task['first'] + k + 1}"  # 1-based line number
                try:
                    rec = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    yield Item(key, key, error=f"line {task['first'] + k + 1} is not a JSON record: {exc}")
                    continue
                yield _record(key, rec)
        return
    for k, rec in enumerate(io.rows(task["path"], task["offset"], task["rows"])):
        yield _record(f"{name}#{task['offset'] + k}", rec)  # 0-based row number


def _record(key: str, rec: Any) -> Item:
    if not isinstance(rec, dict):
        return Item(key, key, error="record is not an object with a text field")
    text = rec.get("text")
    if not isinstance(text, str):
        return Item(key, key, error="record has no text field" if text is None else "text is not a string")
    pub = rec.get("published")
    pub = pub.isoformat() if isinstance(pub, (dt.date, dt.datetime)) else (str(pub) if pub not in (None, "") else None)
    return Item(key, key, text=text, url=rec.get("url") or None, published=pub, market=rec.get("market") or None)
