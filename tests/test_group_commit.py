"""Group commit (store/batches.py): the write blocks of bank handlers ready together share one SQLite
transaction, and each is still all or nothing by itself.

The handlers here are the real actions run the way the HTTP layer runs them (`batches.bridged` on an
event loop), on a seeded workspace file; the statements SQLite ran are read from its trace callback.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import threading
import time

import pytest

from sandbox.actions import accounts, transfers
from sandbox.domain.errors import SandboxError
from sandbox.store import batches, locks
from sandbox.store.database import connect, write
from sandbox.store.errors import StoreUnavailable

from books import assert_books_balance, pick, to


def _statements(conn) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    return seen


def _together(*calls):
    """Run each (fn, *args) as a bridged handler, all ready at once; their results or errors, in order."""
    async def main():
        return await asyncio.gather(*(batches.bridged(*call) for call in calls), return_exceptions=True)
    return asyncio.run(main())


def _transfer(ctx, payer, payee, amount, key=None):
    return (transfers.create, ctx, payer["id"], to(payee), amount, None, "next", None, None, key)


def test_blocks_ready_together_commit_once_and_each_moves_its_money(seeded):
    ctx = seeded.ctx
    payer = pick(ctx, minimum=100_000)
    first = pick(ctx, exclude={payer["id"]})
    payees = [first, pick(ctx, exclude={payer["id"], first["id"]})]
    before = {a["id"]: a["balance"] for a in (payer, *payees)}
    seen = _statements(ctx.db.conn)
    results = _together(*(_transfer(ctx, payer, payees[n % 2], 1_000 + n, key=f"k{n}") for n in range(8)))
    ctx.db.conn.set_trace_callback(None)
    assert all(isinstance(r, dict) and r["status"] == "executed" for r in results), results
    assert seen.count("BEGIN IMMEDIATE") == 1 and seen.count("COMMIT") == 1
    assert seen.count("SAVEPOINT batched") == 7  # every block but the first
    paid = sum(1_000 + n for n in range(8))
    assert accounts.balance(ctx, payer["id"])["balance"] <= before[payer["id"]] - paid  # fees on top, if any
    assert sum(accounts.balance(ctx, p["id"])["balance"] - before[p["id"]] for p in payees) == paid
    assert len({r["id"] for r in results}) == 8
    assert_books_balance(ctx.db)


@pytest.mark.parametrize("refused_at", [0, 2, 4])
def test_a_refused_transfer_in_a_batch_changes_nothing_and_its_neighbours_commit(seeded, refused_at):
    ctx = seeded.ctx
    payer = pick(ctx, minimum=100_000)
    payee = pick(ctx, exclude={payer["id"]})
    calls = [_transfer(ctx, payer, payee, 500, key=f"ok{n}") for n in range(5)]
    calls[refused_at] = _transfer(ctx, payer, payee, payer["balance"] * 10, key="too-much")
    results = _together(*calls)
    refused = results[refused_at]
    assert isinstance(refused, SandboxError) and refused.code in ("insufficient_funds", "limit_exceeded")
    ok = [r for n, r in enumerate(results) if n != refused_at]
    assert all(isinstance(r, dict) for r in ok), results
    conn = ctx.db.conn
    assert conn.execute("SELECT count(*) FROM transfers WHERE from_account_id = ?", (payer["id"],)).fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM idempotency WHERE key = 'too-much'").fetchone()[0] == 0
    assert_books_balance(ctx.db)


def test_a_key_sent_twice_in_one_batch_moves_money_once(seeded):
    ctx = seeded.ctx
    payer = pick(ctx, minimum=100_000)
    payee = pick(ctx, exclude={payer["id"]})
    first, again, other = _together(_transfer(ctx, payer, payee, 700, key="same"),
                                     _transfer(ctx, payer, payee, 700, key="same"),
                                     _transfer(ctx, payer, payee, 701, key="other"))
    assert first == again and first["id"] != other["id"]
    assert ctx.db.conn.execute("SELECT count(*) FROM transfers WHERE from_account_id = ?",
                               (payer["id"],)).fetchone()[0] == 2
    assert_books_balance(ctx.db)


def _marked(db, mark, fail=False):
    """A plain write block: a row, then (when asked) an error after it was written."""
    with write(db):
        db.conn.execute("INSERT INTO marks (mark) VALUES (?)", (mark,))
        if fail:
            raise ValueError(f"{mark} fails after writing")
    return mark


@pytest.fixture
def marks_db(tmp_path):
    db = connect(tmp_path / "marks.db")
    db.conn.execute("CREATE TABLE marks (mark TEXT NOT NULL)")
    yield db
    db.conn.close()


@pytest.mark.parametrize("failing", [0, 1, 3])
def test_a_block_that_fails_after_writing_leaves_only_its_own_rows_out(marks_db, failing):
    results = _together(*((_marked, marks_db, f"m{n}", n == failing) for n in range(4)))
    assert isinstance(results[failing], ValueError)
    assert [r for n, r in enumerate(results) if n != failing] == [f"m{n}" for n in range(4) if n != failing]
    rows = [r[0] for r in marks_db.conn.execute("SELECT mark FROM marks ORDER BY rowid")]
    assert rows == [f"m{n}" for n in range(4) if n != failing]
    assert not marks_db.conn.in_transaction


def test_a_failed_commit_fails_every_block_of_the_batch_and_keeps_none(marks_db):
    conn = marks_db.conn
    conn.executescript("""
        CREATE TABLE parents (id INTEGER PRIMARY KEY);
        CREATE TABLE children (parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);
    """)

    def orphan(db):
        with write(db):  # checked only at COMMIT: the whole transaction is refused there
            db.conn.execute("INSERT INTO children (parent) VALUES (42)")

    results = _together((_marked, marks_db, "a"), (orphan, marks_db), (_marked, marks_db, "b"))
    assert all(isinstance(r, sqlite3.IntegrityError) for r in results), results
    assert conn.execute("SELECT count(*) FROM marks").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM children").fetchone()[0] == 0
    assert not conn.in_transaction
    assert _together((_marked, marks_db, "c")) == ["c"]  # the next batch starts clean


def test_a_write_to_another_database_inside_a_block_runs_by_itself(marks_db, tmp_path):
    other = connect(tmp_path / "other.db")
    other.conn.execute("CREATE TABLE marks (mark TEXT NOT NULL)")

    def both(mark):
        with write(marks_db):
            marks_db.conn.execute("INSERT INTO marks (mark) VALUES (?)", (mark,))
            with write(other):
                other.conn.execute("INSERT INTO marks (mark) VALUES (?)", (mark,))
        return mark

    assert _together((both, "x"), (both, "y")) == ["x", "y"]
    assert [r[0] for r in other.conn.execute("SELECT mark FROM marks ORDER BY rowid")] == ["x", "y"]
    assert [r[0] for r in marks_db.conn.execute("SELECT mark FROM marks ORDER BY rowid")] == ["x", "y"]
    other.conn.close()


def _lock_file(db) -> str:
    return locks.of(db).path


def test_while_another_process_holds_the_lock_the_loop_keeps_serving_and_the_batch_commits_after(marks_db):
    fd = os.open(_lock_file(marks_db), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # through a descriptor of its own: to the lock, another process
    ticks = []

    async def main():
        writes = asyncio.gather(*(batches.bridged(_marked, marks_db, f"m{n}") for n in range(3)))

        async def ticker():
            for _ in range(20):
                ticks.append(time.monotonic())
                await asyncio.sleep(0.005)

        await ticker()  # the event loop runs on while the batch waits for the lock
        assert marks_db.conn.execute("SELECT count(*) FROM marks").fetchone()[0] == 0
        threading.Timer(0.05, os.close, (fd,)).start()
        return await writes

    assert asyncio.run(main()) == ["m0", "m1", "m2"]
    assert len(ticks) == 20
    assert marks_db.conn.execute("SELECT count(*) FROM marks").fetchone()[0] == 3


def test_a_lock_never_freed_refuses_the_batch_as_an_outage(marks_db):
    lock = locks.of(marks_db)
    fd = os.open(lock.path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    lock.timeout = 0.3  # the busy timeout, shortened for the test
    try:
        started = time.monotonic()
        results = _together((_marked, marks_db, "a"), (_marked, marks_db, "b"))
        assert all(isinstance(r, StoreUnavailable) for r in results), results
        assert 0.25 < time.monotonic() - started < 5
    finally:
        os.close(fd)
    assert _together((_marked, marks_db, "c")) == ["c"]
    assert [r[0] for r in marks_db.conn.execute("SELECT mark FROM marks")] == ["c"]


def test_a_request_cancelled_before_its_turn_writes_nothing(marks_db):
    async def main():
        kept = asyncio.ensure_future(batches.bridged(_marked, marks_db, "kept"))
        dropped = asyncio.ensure_future(batches.bridged(_marked, marks_db, "dropped"))
        await asyncio.sleep(0)  # both have reached their write and wait for the batch
        dropped.cancel()
        return await kept, await asyncio.gather(dropped, return_exceptions=True)

    kept, (dropped,) = asyncio.run(main())
    assert kept == "kept" and isinstance(dropped, asyncio.CancelledError)
    assert [r[0] for r in marks_db.conn.execute("SELECT mark FROM marks")] == ["kept"]


def test_outside_a_bridged_handler_a_block_commits_by_itself(marks_db):
    seen = _statements(marks_db.conn)
    assert _marked(marks_db, "alone") == "alone"
    marks_db.conn.set_trace_callback(None)
    assert "SAVEPOINT batched" not in seen and seen.count("COMMIT") == 1


def test_a_batch_whose_connection_closed_meanwhile_is_an_outage_to_retry(tmp_path):
    db = connect(tmp_path / "reset.db")
    db.conn.execute("CREATE TABLE marks (mark TEXT NOT NULL)")

    async def main():
        writes = [asyncio.ensure_future(batches.bridged(_marked, db, mark)) for mark in ("a", "b")]
        await asyncio.sleep(0)  # both wait for their batch
        db.conn.close()  # as a request that finds the workspace reset closes the old generation's connection
        return await asyncio.gather(*writes, return_exceptions=True)

    results = asyncio.run(main())
    assert all(isinstance(r, StoreUnavailable) and "try again" in str(r) for r in results), results

