"""The store: the one write path (one transaction, derived facts refreshed), short read-only reads, bounded waits."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import duckdb
import pytest

from ipolens.app.store import open_store
from ipolens.ledger.access import LedgerBusy, Store
from ipolens.ledger.model import Entity, Fact, FactError, Source

SRC = Source("user:store-test", "user", "store test")


def _deal(key: str, offer: float, close: float) -> list[Fact]:
    return [Fact(entity=key, field="offer_price", value=offer, currency="HKD", as_of="2026-03-02",
                 source_id=SRC.id),
            Fact(entity=key, field="close_price", value=close, currency="HKD", as_of="2026-03-02",
                 source_id=SRC.id)]


def _derived_return(store: Store, key: str):
    with store.read() as led:
        df = led.query("SELECT value_num FROM facts WHERE entity = ? AND field = 'first_day_return' "
                       "AND source_id = 'derived:ipolens'", [key])
    return None if df.empty else float(df["value_num"].iloc[0])


@pytest.fixture()
def file_store(tmp_path):
    return open_store(tmp_path / "l.duckdb", wait=1)


def test_a_write_refreshes_derived_facts(file_store):
    with file_store.write() as led:
        led.add_source(SRC)
        led.add_entities([Entity("HK:07999", "listing", "HK", "07999.HK", "Store Test")])
        led.add_facts(_deal("HK:07999", 8.0, 10.0))
    assert _derived_return(file_store, "HK:07999") == pytest.approx((10.0 / 8.0 - 1) * 100)
    # a later write of a new close moves the derived value with it
    with file_store.write() as led:
        led.delete_source(SRC.id)
        led.add_source(SRC)
        led.add_facts(_deal("HK:07999", 8.0, 6.0))
    assert _derived_return(file_store, "HK:07999") == pytest.approx((6.0 / 8.0 - 1) * 100)


def test_a_failed_write_leaves_nothing(file_store):
    with file_store.read() as led:
        before = led.counts()
    with pytest.raises(FactError):
        with file_store.write() as led:
            led.add_source(SRC)
            led.add_facts(_deal("HK:07998", 8.0, 10.0))
            led.add_facts([Fact(entity="HK:07998", field="no_such_field", value=1.0, source_id=SRC.id)])
    with file_store.read() as led:
        assert led.counts() == before


def test_reads_are_read_only(file_store):
    with file_store.read() as led:
        with pytest.raises(duckdb.Error):
            led.con.execute("DELETE FROM facts")


def test_reads_do_not_hold_the_file(file_store, tmp_path):
    with file_store.read():
        pass
    # another process can now open it for writing at once
    code = f"import duckdb; duckdb.connect({str(file_store.path)!r}).close(); print('ok')"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "ok", r.stderr


def test_a_held_file_fails_after_the_wait_naming_the_holder(file_store):
    code = (f"import duckdb, time; c = duckdb.connect({str(file_store.path)!r}); print('held', flush=True); "
            "time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t = time.monotonic()
        with pytest.raises(LedgerBusy) as exc:
            with file_store.read():
                pass
        assert 0.9 <= time.monotonic() - t < 5
        assert f"process {holder.pid}" in str(exc.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_waits_for_a_short_reader(file_store):
    code = (f"import duckdb, time; c = duckdb.connect({str(file_store.path)!r}, read_only=True); "
            "print('held', flush=True); time.sleep(0.5)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with file_store.write() as led:  # waits up to 1 s; the reader leaves after 0.5 s
            led.set_meta("touched", "yes")
    finally:
        holder.wait()
    with file_store.read() as led:
        assert led.get_meta("touched") == "yes"


def test_memory_store_serves_threads_with_their_own_cursors():
    store = open_store(":memory:")
    with store.read() as led:
        expected = led.query("SELECT count(*) AS n FROM facts")["n"].iloc[0]
    seen, errors = [], []

    def work():
        try:
            for _ in range(20):
                with store.read() as led:
                    seen.append(led.query("SELECT count(*) AS n FROM facts")["n"].iloc[0])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert seen == [expected] * 120


def test_opening_a_current_ledger_for_writing_writes_nothing(tmp_path):
    # the schema and views are (re)written only when they changed: a write that then fails on a full disk has no
    # earlier commits of its own for DuckDB to checkpoint over the file (tests/test_write_failures.py)
    import hashlib

    from ipolens.ledger.store import Ledger

    path = tmp_path / "l.duckdb"
    Ledger(path).con.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    led = Ledger(path)
    assert not (tmp_path / "l.duckdb.wal").exists() or (tmp_path / "l.duckdb.wal").stat().st_size == 0
    led.con.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
