"""Issue 15 review: namesake files and inputs keep their own ledger sources, a large file's rows leave memory piece by
piece (and a killed or failing file leaves no half of itself), the dask scheduler variable is for dask only, an
unreachable scheduler is a user error, and OUT inside INPUT is refused."""
from __future__ import annotations

import hashlib
import json
import socket
import sys
import tracemalloc
from pathlib import Path

import duckdb
import pytest

from ipolens.analytics.fx import FxTable
from ipolens.app import news_batch as B
from ipolens.app.base import UserError
from ipolens.app.news import gazetteer
from ipolens.lab import executor as E
from ipolens.ledger import lake
from ipolens.ledger.queries import fx as fx_q
from ipolens.news import batch as nb

TEMPLATE = ("壁仞科技(06082.HK)于2026年1月2日上市，招股价{offer}港元，每手200股，"
            "首日收报{close}港元，较招股价上涨{ret}%。\n\n")
FILLER = "市场人士认为港股新股市场气氛良好，投资者情绪稳定。" * 10 + "\n\n"  # no figures


def _article(offer: float, close: float) -> str:
    return TEMPLATE.format(offer=f"{offer:.2f}", close=f"{close:.2f}", ret=f"{(close / offer - 1) * 100:.1f}")


def _tag(path: Path) -> str:
    """The input hash the source ids carry, computed here from its definition (sha256 of the absolute path)."""
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:8]


def _offers(store, tag: str) -> dict:
    with store.read() as led:
        rows = led.con.execute("SELECT source_id, value_num FROM facts WHERE field = 'offer_price' "
                               "AND starts_with(source_id, ?) ORDER BY 1", [f"news:{tag}/"]).fetchall()
    return {s: round(v, 2) for s, v in rows}


# -- 1. source ids -------------------------------------------------------------------------------------------------
def test_namesakes_in_subfolders_keep_their_own_sources(fresh_store, tmp_path):
    d = tmp_path / "in"
    (d / "x").mkdir(parents=True)
    (d / "y").mkdir()
    (d / "x" / "a.txt").write_text(_article(19.60, 35.70), encoding="utf-8")
    (d / "y" / "a.txt").write_text(_article(21.00, 35.70), encoding="utf-8")
    B.batch(fresh_store, str(d), str(tmp_path / "out"), E.Executor("local"), add_to_ledger=True)
    tag = _tag(d)
    # each file's offer price is cited to that file, not both to one "news:a"
    assert _offers(fresh_store, tag) == {f"news:{tag}/x/a.txt": 19.60, f"news:{tag}/y/a.txt": 21.00}


def test_a_second_input_of_the_same_name_does_not_replace_the_first(fresh_store, tmp_path):
    inputs = []
    for name, offer in (("one", 19.60), ("two", 21.00)):
        (tmp_path / name).mkdir()
        src = tmp_path / name / "archive.jsonl"
        src.write_text(json.dumps({"text": _article(offer, 35.70)}, ensure_ascii=False) + "\n", encoding="utf-8")
        B.batch(fresh_store, str(src), str(tmp_path / f"out-{name}"), E.Executor("local"), add_to_ledger=True)
        inputs.append(src)
    # both batches' facts stay: line 1 of each archive is its own source
    assert _offers(fresh_store, _tag(inputs[0])) == {f"news:{_tag(inputs[0])}/archive.jsonl#1": 19.60}
    assert _offers(fresh_store, _tag(inputs[1])) == {f"news:{_tag(inputs[1])}/archive.jsonl#1": 21.00}


# -- 2. a large file in bounded memory -----------------------------------------------------------------------------
class _Counting:
    """A Spill that keeps nothing: counts rows and adds up what holding them would take."""

    def __init__(self):
        self.pieces, self.closes, self.sources, self.held = 0, set(), 0, 0

    def write(self, tables):
        self.pieces += 1
        self.closes |= {round(r["value"], 2) for r in tables["claims"] if r["metric"] == "close_price"}
        self.sources += len(tables["sources"])
        # a row held in memory is at least its dict and its values (shared small objects counted too: an upper
        # bound would only make the check below easier)
        self.held += sum(sys.getsizeof(r) + sum(sys.getsizeof(v) for v in r.values())
                         for rows in tables.values() for r in rows)

    def truncate(self, n):
        raise AssertionError("nothing fails in this file")


def test_a_large_file_is_processed_in_bounded_memory(store, tmp_path, monkeypatch):
    with store.read() as led:
        fx = FxTable(fx_q.fx_rates(led))
    ctx = nb.Context(gazetteer(store), fx, None, nb.Io(lake.parquet_count, lake.parquet_rows))
    warm = tmp_path / "warm"
    warm.mkdir()
    (warm / "w.txt").write_text(_article(19.60, 35.70) * 3, encoding="utf-8")
    monkeypatch.setattr(nb, "BIG_FILE", 1_000)
    monkeypatch.setattr(nb, "PIECE_CHARS", 200)
    nb.run_partition(ctx, nb.plan(warm, ctx.io)[0])  # the reader's lazy loads happen here, not in the measure
    d = tmp_path / "in"
    d.mkdir()
    paragraphs = 0
    with open(d / "big.txt", "w", encoding="utf-8") as fh:
        while fh.tell() < 2 * 2**20:  # 2 MB
            fh.write(_article(19.60, 30 + (paragraphs % 1000) / 100) + FILLER)
            paragraphs += 1
    monkeypatch.setattr(nb, "BIG_FILE", 2**18)
    monkeypatch.setattr(nb, "PIECE_CHARS", 10_000)
    monkeypatch.setattr(nb, "_BLOCK", 2**16)
    spill = _Counting()
    tracemalloc.start()
    try:
        left = nb.run_partition(ctx, nb.plan(d, ctx.io)[0], spill)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not any(left.values())  # everything went to the spill
    # every paragraph's close price is read (30.00 + k/100 for k < 1000, repeating); one source for the whole file
    assert spill.closes == {round(30 + k / 100, 2) for k in range(min(paragraphs, 1000))} and spill.sources == 1
    assert spill.pieces >= 2 * 2**20 // 3 // 10_000 // 2  # ~700k characters in pieces of <= 10,000
    assert peak < spill.held / 5, f"peak {peak / 2**20:.1f} MB; holding every row takes {spill.held / 2**20:.1f} MB"


def _big_folder(tmp_path: Path, monkeypatch, bad_tail: bool = False) -> Path:
    monkeypatch.setattr(nb, "BIG_FILE", 2_000)
    monkeypatch.setattr(nb, "PIECE_CHARS", 500)
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_small.txt").write_text(_article(19.60, 35.70), encoding="utf-8")
    with open(d / "b_long.txt", "wb") as fh:
        fh.write("".join(_article(19.60, 30 + k / 10) for k in range(40)).encode("utf-8"))
        if bad_tail:
            fh.write(b"\xff\xfe\xfd" * 10)  # not UTF-8: the file fails after several pieces were read
    (d / "c_small.txt").write_text(_article(19.60, 36.70), encoding="utf-8")
    return d


def _rows(out: Path, table: str) -> list:
    return duckdb.sql(f"SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet('{out}/{table}/*.parquet', "
                      "filename = true, file_row_number = true) ORDER BY filename, file_row_number").fetchall()


def test_a_large_file_is_written_in_pieces_and_a_killed_run_resumes(store, tmp_path, monkeypatch):
    d = _big_folder(tmp_path, monkeypatch)
    whole = tmp_path / "whole"
    res = B.batch(store, str(d), str(whole), E.Executor("local"), part_size=2)
    names = sorted(p.name for p in (whole / "claims").iterdir())
    assert names[0] == "part-00000-p00000.parquet" and "part-00000.parquet" not in names
    assert "part-00001.parquet" in names  # a partition without a large file stays one file
    claims = _rows(whole, "claims")
    assert res.claims == len(claims) and res.errors == 0
    # articles in partition order, every paragraph's close read (30.0 .. 33.9 in the long file)
    arts = [Path(r[0]).name for r in claims]
    assert arts == sorted(arts) and arts[:5] == ["a_small.txt"] * 5 and arts[-5:] == ["c_small.txt"] * 5
    closes = [(Path(r[0]).name, round(r[7], 2)) for r in claims if r[6] == "close_price"]
    assert closes == [("a_small.txt", 35.70), *(("b_long.txt", round(30 + k / 10, 2)) for k in range(40)),
                      ("c_small.txt", 36.70)]

    out, real, calls = tmp_path / "killed", lake.write_rows, []

    def dies_on_a_later_piece(rows, cols, types, path):
        calls.append(path)
        if len(calls) == 5 * 3 + 1:  # during the 4th piece of partition 0 (5 tables a piece)
            raise KeyboardInterrupt
        return real(rows, cols, types, path)

    monkeypatch.setattr(lake, "write_rows", dies_on_a_later_piece)
    with pytest.raises(KeyboardInterrupt):
        B.batch(store, str(d), str(out), E.Executor("local"), part_size=2)
    assert not (out / "_done").exists()  # pieces were written, yet the partition is not done
    assert len(list((out / "claims").glob("part-00000-p*.parquet"))) == 3
    monkeypatch.setattr(lake, "write_rows", real)
    again = B.batch(store, str(d), str(out), E.Executor("local"), part_size=2)
    assert again.skipped == 0 and again.claims == res.claims
    for t in (*nb.TABLES, "cross"):
        assert _rows(out, t) == _rows(whole, t)


def test_a_large_file_failing_midway_leaves_none_of_its_pieces(store, tmp_path, monkeypatch):
    d = _big_folder(tmp_path, monkeypatch, bad_tail=True)
    res = B.batch(store, str(d), str(tmp_path / "out"), E.Executor("local"))
    errors = [(Path(a).name, r.split(":")[0]) for a, r in _rows(tmp_path / "out", "errors")]
    assert errors == [("b_long.txt", "undecodable")]
    arts = [Path(r[0]).name for r in _rows(tmp_path / "out", "claims")]
    # five claims in each small file (listing date, offer, lot, close, first-day return), none of the long one's
    assert arts == ["a_small.txt"] * 5 + ["c_small.txt"] * 5 and res.claims == 10
    assert {Path(r[0]).name for r in _rows(tmp_path / "out", "sources")} == {"a_small.txt", "c_small.txt"}


# -- 3, 4. the dask scheduler --------------------------------------------------------------------------------------
def test_the_scheduler_variable_is_for_dask_only(monkeypatch):
    monkeypatch.setenv(E.SCHEDULER_ENV, "tcp://10.0.0.1:8786")
    assert E.resolve("threads").scheduler is None and E.resolve("local").engine == "local"
    with pytest.raises(ValueError, match="needs --engine dask"):  # an explicit --scheduler still is
        E.resolve("threads", scheduler="tcp://10.0.0.1:8786")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_a_user_error_naming_it(store, tmp_path):
    pytest.importorskip("distributed")
    addr = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(E.SchedulerUnreachable, match=addr):
        E.map_tasks(lambda shared, t: t, [1], None, E.Executor("dask", scheduler=addr, connect_timeout=1))
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(_article(19.60, 35.70), encoding="utf-8")
    with pytest.raises(UserError, match=f"no dask scheduler answers at {addr}"):
        B.batch(store, str(d), str(tmp_path / "out"), E.Executor("dask", scheduler=addr, connect_timeout=1))


# -- 5. OUT inside INPUT -------------------------------------------------------------------------------------------
def test_out_inside_the_input_folder_is_refused(store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(_article(19.60, 35.70), encoding="utf-8")
    for out in (d / "out", d):
        with pytest.raises(UserError, match="inside the input folder"):
            B.batch(store, str(d), str(out), E.Executor("local"))
    assert not (d / "out").exists()
