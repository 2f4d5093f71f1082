"""Fewer round trips to PostgreSQL change nothing a caller sees (sandbox.store.postgres).

Writes queued in a pipeline (`store.database.pipeline`: PostgreSQL's pipeline mode, a no-op on SQLite)
still report their rowcount and still undo the whole transaction when one is refused; a transaction's
start travels with its first statement and still takes the workspace's lock before it; and a transfer
costs the round trips counted here, no more.
"""

from __future__ import annotations

import select
import threading

import psycopg
import pytest

from sandbox.actions import transfers
from sandbox.domain.errors import SandboxError
from sandbox.store import postgres as layer
from sandbox.store.database import pipeline, write

from engines import INTEGRITY_ERRORS, database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

KAEDE, TSUBAME = "0990", "0991"
EVENT = "INSERT INTO events (type, resource_id, connector_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)"


def _count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_pipeline_rowcount_counts_queued_writes(seeded):
    db = seeded.db
    internal = db.conn.execute("SELECT count(*) FROM accounts WHERE kind = 'internal'").fetchone()[0]
    with write(db), pipeline(db):
        db.conn.execute(EVENT, ("transfer.created", "trf_x", "con_x", "{}", "2026-11-05T10:00:00+09:00"))
        updated = db.conn.execute("UPDATE accounts SET status = status WHERE kind = 'internal'")
        assert updated.rowcount == internal > 0


def test_pipeline_refused_write_undoes_the_whole_transaction(seeded, books):
    db = seeded.db
    before, events = books.snapshot(db), _count(db, "events")
    with pytest.raises(INTEGRITY_ERRORS, match="immutable"):
        with write(db), pipeline(db):
            db.conn.execute(EVENT, ("transfer.created", "trf_x", "con_x", "{}", "2026-11-05T10:00:00+09:00"))
            db.conn.execute("DELETE FROM postings WHERE id = (SELECT min(id) FROM postings)")  # the ledger refuses
    assert not db.conn.in_transaction
    assert _count(db, "events") == events
    assert books.snapshot(db) == before
    with write(db):  # the connection serves the next transaction
        db.conn.execute(EVENT, ("transfer.created", "trf_y", "con_y", "{}", "2026-11-05T10:00:00+09:00"))
    assert _count(db, "events") == events + 1
    books.check(db)


def test_a_statement_queued_after_a_refused_one_runs_when_sent_again(seeded):
    # Queued behind a refused write, a statement new to the connection was never prepared: sent again in
    # a later pipeline, it is prepared then (not named as if it had been, which the server refuses).
    db = seeded.db
    fresh = "SELECT count(*) FROM events WHERE resource_id = ? AND type = 'after a refusal'"
    with pytest.raises(INTEGRITY_ERRORS, match="immutable"):
        with pipeline(db), write(db):  # as an idempotent action runs: the ROLLBACK is queued too
            db.conn.execute("DELETE FROM postings WHERE id = (SELECT min(id) FROM postings)")
            db.conn.execute(fresh, ("trf_x",)).fetchone()
    with pipeline(db):
        asked = db.conn.execute(fresh, ("trf_x",))
    assert asked.fetchone()[0] == 0


def test_transaction_start_travels_with_its_first_statement_and_still_takes_the_lock(seeded, database_url):
    if database_url is None:
        pytest.skip("round trips and advisory locks are PostgreSQL's")
    conn = seeded.db.conn
    with layer.counting(only_this_thread=True) as trips:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("COMMIT")
    assert sum(trips.values()) == 0  # an empty transaction never reaches the server
    with layer.counting(only_this_thread=True) as trips:
        conn.execute("BEGIN IMMEDIATE")
        assert conn.in_transaction
        conn.execute("SELECT count(*) FROM accounts WHERE kind = ?", ("internal",)).fetchone()
        with psycopg.connect(database_url, autocommit=True) as other:
            held = not other.execute("SELECT pg_try_advisory_lock(%s)", (layer.lock_key(conn.schema),)).fetchone()[0]
        conn.execute("COMMIT")
    assert held, "the workspace's writer lock was not held inside the transaction"
    assert sum(trips.values()) == 2  # BEGIN, the lock and the query in one; COMMIT


def test_transfer_round_trips_stay_within_budget(seeded, books, database_url):
    if database_url is None:
        pytest.skip("round trips are PostgreSQL's")
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    ctx.connector_id = "con_budget"  # a connector's transfer writes its events too
    ctx.connector_class = "self-use"  # and the bank's approval policy reads its history
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="warm")
    ctx._banks.clear()  # as a new request's context finds them
    ctx._internal.clear()
    with layer.counting(only_this_thread=True) as trips:
        transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="counted")
    # Before the lock: the banks (kept for the workspace's generation, so only this once), then the
    # payer, the payee and the payer's day total together, then the internal accounts (kept too).
    # Under it, two: the lock with the key's lookup, both accounts again with the day's total, the
    # movement's number and the approval policy's reads of the payer's history (all answered together);
    # then the postings (one statement, whose answer nothing waits for), every other write and the
    # COMMIT in one pipeline.
    assert sum(trips.values()) <= 5, trips
    assert trips["sandbox.actions.transfers._ask_parties"] == 1, trips
    under_lock = {"sandbox.actions.idempotency._replayed": 1, "sandbox.actions.approvals.reasons": 0,
                  "sandbox.store.ledger.post": 0, "sandbox.actions.idempotency.once": 1}
    assert {caller: trips[caller] for caller in under_lock} == under_lock, trips
    books.check(ctx.db)


def test_a_transfers_queued_statements_make_no_psycopg_cursor(seeded, books, database_url, monkeypatch):
    # Queued through psycopg's pipeline, each statement made a cursor with its adapters and polled the
    # socket: about 30 µs of a worker's CPU, against 3-7 µs through libpq's pipeline itself, and a
    # transfer queues some fifteen. A transfer now sends every statement that way or the direct way.
    if database_url is None:
        pytest.skip("pipelines are PostgreSQL's")
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="warm")
    through_psycopg = []
    execute = layer.Cursor.execute
    monkeypatch.setattr(layer.Cursor, "execute", lambda cursor, *args, **kwargs: (
        through_psycopg.append(args[0]), execute(cursor, *args, **kwargs))[1])
    made = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="counted")
    again = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="counted")
    assert through_psycopg == []
    assert made == again and made["status"] == "executed"
    books.check(ctx.db)


def test_psycopgs_way_inside_a_pipeline_runs_after_what_was_queued(seeded, books, database_url):
    # DDL and COPY go psycopg's way: inside a pipeline, after what was queued before them has answered,
    # and what is queued after them still joins the same transaction.
    db = seeded.db
    events = _count(db, "events")
    with write(db), pipeline(db):
        db.conn.execute(EVENT, ("transfer.created", "trf_a", "con_a", "{}", "2026-11-05T10:00:00+09:00"))
        db.conn.execute("PRAGMA defer_foreign_keys = ON")  # on PostgreSQL: the keys taken off (ALTER TABLE)
        db.conn.executemany(EVENT, [("transfer.created", f"trf_{n}", "con_b", "{}", "2026-11-05T10:00:00+09:00")
                                    for n in range(3)])
    assert _count(db, "events") == events + 4
    books.check(db)
    if database_url is None:
        return  # (SQLite leaves a transaction whose COMMIT failed open: the store never defers keys there)
    before = books.snapshot(db)
    with pytest.raises(INTEGRITY_ERRORS):  # the keys put back at COMMIT find a posting of no movement
        with write(db), pipeline(db):
            db.conn.execute(EVENT, ("transfer.created", "trf_c", "con_c", "{}", "2026-11-05T10:00:00+09:00"))
            db.conn.execute("PRAGMA defer_foreign_keys = ON")
            db.conn.execute("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
                            " SELECT 999999, no, 1, balance + 1, '2026-11-05', 'x' FROM accounts WHERE kind = ? LIMIT 1",
                            ("customer",))
    assert not db.conn.in_transaction
    assert _count(db, "events") == events + 4
    assert books.snapshot(db) == before


def test_reads_sent_before_any_is_read_share_one_round_trip(seeded, database_url):
    db = seeded.db
    expected = {kind: _kinds(db, kind) for kind in ("internal", "customer")}
    with layer.counting(only_this_thread=True) as trips:
        with pipeline(db), write(db):
            internal = db.conn.execute("SELECT count(*) FROM accounts WHERE kind = ?", ("internal",))
            customer = db.conn.execute("SELECT count(*) FROM accounts WHERE kind = ?", ("customer",))
            # Read in the other order than sent: each cursor still gets its own answer.
            assert (customer.fetchone()[0], internal.fetchone()[0]) == (expected["customer"], expected["internal"])
            later = db.conn.execute("SELECT count(*) FROM accounts WHERE kind = ? AND status = ?", ("customer", "active"))
            assert 0 < later.fetchone()[0] <= expected["customer"]
    if database_url is not None:
        # The first two reads (with BEGIN and the lock) answered together, the later one, and the COMMIT.
        assert sum(trips.values()) == 3, trips


def _kinds(db, kind: str) -> int:
    return db.conn.execute("SELECT count(*) FROM accounts WHERE kind = ?", (kind,)).fetchone()[0]


def test_reads_sent_together_after_the_server_closed_the_idle_connection_are_served(seeded, database_url):
    # A restart closes every idle connection; a block of reads that starts on one gets a new one first,
    # as a statement run alone does (on SQLite there is no server to go away).
    db = seeded.db
    expected = _kinds(db, "customer")
    if database_url is not None:
        pid = db.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(database_url, autocommit=True) as other:
            assert other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
        socket = db.conn._link.conn.pgconn.socket
        assert select.select([socket], [], [], 5)[0], "the server did not close the connection"
    with pipeline(db):
        asked = db.conn.execute("SELECT count(*) FROM accounts WHERE kind = ?", ("customer",))
    assert asked.fetchone()[0] == expected


def test_a_transfer_moved_to_another_day_is_checked_against_that_days_total(seeded, books):
    # The day's total asked for ahead is the requested date's; a Saturday moves to Monday, whose total
    # is read instead. Monday is nearly used up: the transfer is refused and nothing changes.
    ctx, db = seeded.ctx, seeded.db
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    per_day = ctx.rules(KAEDE).limits["individual"].per_day
    with write(db):
        db.conn.execute("INSERT INTO daily_totals (account_id, day, amount) VALUES (?, ?, ?)",
                        (payer["id"], "2026-11-09", per_day - 10))
    before = books.snapshot(db)
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=100,
                         execution_date="2026-11-07", holiday_rule="next", idempotency_key="saturday")
    assert refused.value.code == "limit_exceeded" and refused.value.details["used"] == per_day - 10
    assert books.snapshot(db) == before
    scheduled = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=100,
                                 execution_date="2026-11-10", idempotency_key="tuesday")
    assert scheduled["status"] == "scheduled" and scheduled["execution_date"] == "2026-11-10"
    books.check(db)


def test_a_view_used_by_another_thread_sends_through_that_threads_connection(seeded, database_url):
    # An object holding a view (a request's context, a store) may be used by another thread than the
    # one that made it: the view must not share the first thread's connection with it, where it would
    # join (or break) a transaction open there (concurrent transfers answered 500 when it did).
    if database_url is None:
        pytest.skip("a sqlite3 connection is one connection, whoever uses it")
    db = seeded.db
    before = _count(db, "events")
    written, read = threading.Event(), threading.Event()
    seen = []

    def reader():
        written.wait(30)
        seen.append(db.conn.execute("SELECT count(*) FROM events").fetchone()[0])
        read.set()

    other = threading.Thread(target=reader)
    other.start()
    with write(db):
        db.conn.execute(EVENT, ("transfer.created", "trf_t", "con_t", "{}", "2026-11-05T10:00:00+09:00"))
        written.set()
        read.wait(30)
    other.join(30)
    assert seen == [before], "the other thread saw this thread's uncommitted write"
    assert _count(db, "events") == before + 1


def test_a_transfer_reads_in_two_statements_before_its_lock_and_two_under_it(seeded, books, database_url, monkeypatch):
    # Each statement costs the server and the worker their share of a transfer's CPU. Before the lock, the
    # payer with its total on the day as a column of its row (they were two statements), and the payee.
    # Under the workspace's writer lock, where every other writer of the workspace waits: the key's lookup, then one read of both accounts with the day's total, the
    # movement's number and the approval policy's reads of the payer's history as columns beside them
    # (they were four statements: the accounts, the number and the policy's read each on its own).
    if database_url is None:
        pytest.skip("statements sent to a server are PostgreSQL's")
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    ctx.connector_id, ctx.connector_class = "con_reads", "self-use"  # the approval policy reads the history
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="warm")
    sent = []
    execute = layer.Connection.execute
    monkeypatch.setattr(layer.Connection, "execute", lambda view, sql, *args: (sent.append(sql), execute(view, sql, *args))[1])
    made = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1, idempotency_key="reads")
    assert made["status"] == "executed"
    assert len(sent[:sent.index("BEGIN IMMEDIATE")]) == 2, sent  # the payer with its day's total; the payee
    locked = sent[sent.index("BEGIN IMMEDIATE") + 1:]
    reads = locked[:next(n for n, sql in enumerate(locked) if not sql.lstrip().upper().startswith("SELECT"))]
    assert len(reads) == 2, reads
    assert transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1,
                            idempotency_key="reads") == made  # the key's lookup still answers a retry
    books.check(ctx.db)
