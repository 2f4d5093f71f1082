"""Opening a workspace database and writing to it safely from many threads and processes.

Every connection runs in autocommit mode so that the code says where a transaction begins; writers
begin with `BEGIN IMMEDIATE`, which takes SQLite's write lock up front. Two writers in different
processes then queue on the lock (the busy timeout) instead of both reading a balance and one failing
at commit, so read-check-write sequences such as "is there enough money?" are serialised.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager, nullcontext
from pathlib import Path

import sqlite_utils

from . import batches, checkpoints, locks
from .schema import migrate

BUSY_TIMEOUT_S = 30.0


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (creating and migrating if need be) the workspace database at `path`."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints (which fsync) run on a thread of their own (store/checkpoints.py); a commit copies
    # the log back itself only if that thread falls far behind.
    conn.execute(f"PRAGMA wal_autocheckpoint={checkpoints.FALLBACK_PAGES}")
    # A page cache of up to 32 MiB (grown only as pages are read) instead of SQLite's 2 MiB: a
    # 10,000-account workspace is ~20 MB, and with the small cache about half the pages a transfer
    # touches were read again from the file or the log (a pread each); the cache survives between
    # transactions on the same connection.
    conn.execute("PRAGMA cache_size=-32768")
    conn.execute("PRAGMA foreign_keys=ON")
    # A savepoint (each block of a batch but the first, store/batches.py) copies every page it changes
    # into a statement journal; past 64 KiB SQLite spills that journal to a temporary file, which made
    # a transfer's savepoint cost as much as its commit. Kept in memory, it is a copy.
    conn.execute("PRAGMA temp_store=MEMORY")
    db = sqlite_utils.Database(conn)
    migrate(db)
    locks.register(db, str(path), BUSY_TIMEOUT_S)
    checkpoints.watch(db, str(path))
    return db


@contextmanager
def write(db: sqlite_utils.Database):
    """Run the block in one IMMEDIATE transaction: all of it commits, or none of it does.

    Writers queue on the database's writer lock first (store/locks.py), which wakes the next one as
    soon as this one commits, instead of polling SQLite's lock. A bank handler's block on SQLite joins
    the blocks of the requests served beside it in one transaction (store/batches.py): it is still all
    or nothing by itself, and nothing of it is kept unless that transaction commits.
    """
    if batches.current() is not None and not db.conn.in_transaction and batches.batchable(db):
        yield from _batched(db)
        return
    with locks.held(db), immediate(db.conn):
        yield db


def _batched(db: sqlite_utils.Database):
    """The block as part of a batch transaction, committed with its neighbours' (store/batches.py): in a
    savepoint of its own unless it comes first, where a failure rolls back the transaction's start."""
    savepoint = batches.join(db)
    conn = db.conn
    if savepoint:
        conn.execute("SAVEPOINT batched")
    try:
        yield db
    except BaseException:
        if savepoint:
            conn.execute("ROLLBACK TO batched")
            conn.execute("RELEASE batched")
        batches.done(failed=True)
        raise
    if savepoint:
        conn.execute("RELEASE batched")
    batches.done(failed=False)


@contextmanager
def immediate(conn: sqlite3.Connection):
    """One IMMEDIATE transaction on a plain connection (workspaces, and the governance database).

    Inside one already open (the items of an all-or-nothing request), the block is a savepoint of it:
    its refusal undoes only the block, and nothing is kept unless the outer transaction commits.
    """
    if conn.in_transaction:
        yield from _savepoint(conn)
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _savepoint(conn: sqlite3.Connection):
    conn.execute("SAVEPOINT nested")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK TO nested")
        conn.execute("RELEASE nested")
        raise
    else:
        conn.execute("RELEASE nested")


def pipeline(db: sqlite_utils.Database):
    """A block of writes whose answers nothing reads: on PostgreSQL they travel together (one round trip,
    `postgres.Connection.pipeline`); SQLite, in this process, runs each as it comes."""
    start = getattr(db.conn, "pipeline", None)
    return start() if start is not None else nullcontext()


def announced(db: sqlite_utils.Database):
    """A mark that moves whenever the workspace's clock or scenario rules may have changed, in any process or
    replica, without reading them: PostgreSQL's announcements (`postgres.Connection.announced`); on SQLite,
    the connection with what it has seen committed (`PRAGMA data_version` moves with every other
    connection's commit, `total_changes` with this one's rows). Each connection counts for itself, so the
    mark holds the connection: another's equal numbers mean nothing."""
    count = getattr(db.conn, "announced", None)
    if count is not None:
        return count()
    conn = db.conn
    return conn, conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


@contextmanager
def read(db: sqlite_utils.Database):
    """Run the block in one read transaction, so a statement and its balance agree."""
    conn = db.conn
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        conn.execute("COMMIT")
