"""Group commit: the write transactions of requests served side by side share one commit.

A commit is the dearest step of a transfer on SQLite (its pages appended to the log, the writer lock
taken and handed on), and each one makes every other process's connection to the file throw away its
page cache. A worker serving many connections has several requests ready at once; here their write
blocks run one after the other inside one transaction, and commit once. Each but the first runs in a
savepoint of its own (which costs a copy of every page it changes); a failure of the first rolls back the
transaction, which holds nothing else yet, and the next block starts a new one.

How sync code shares a transaction without being rewritten: the bank's handler runs in a greenlet
(`bridged`). When it enters `store.database.write`, the greenlet hands control back to its request's
task, which queues it on the database's `Committer` and waits. The committer runs on the event loop
right after the requests that were ready with it: it takes the writer lock, begins, and switches into
each queued greenlet in turn; a greenlet runs its block (synchronously: a write block never awaits) in
its savepoint and switches back at the block's end. Then one COMMIT, and each request goes on from where
its block ended, or gets the commit's error. A block that raises rolls back its savepoint only, and
raises in its own request once the batch is done, exactly as it would have alone.

What a request sees is what it would have seen alone, in the batch's order: a later block reads what an
earlier one wrote (an idempotency key retried within one batch gets the first result), and nothing is
acknowledged before the commit that holds it. A crash before that commit loses the whole batch, none
of it acknowledged.

Outside a bridged handler (the control plane's threads, the CLI, tests calling actions), on a connection
already inside a transaction (a block nested in another), and on PostgreSQL, `write` runs the block
alone as before. The HTTP layer bridges only what may write to a batchable database (http/banks.py):
reads and PostgreSQL's handlers run directly, since a greenlet costs about 20 µs.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
import time
import weakref

import greenlet

from . import locks
from .errors import StoreUnavailable

_committers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# While another process holds the writer lock, the batch tries again after these pauses (doubling),
# and more requests join it meanwhile; the event loop serves them instead of sleeping in the lock.
FIRST_PAUSE_S = 0.0002
LAST_PAUSE_S = 0.002


class _Bridged(greenlet.greenlet):
    """A handler's greenlet: the marker that its writes may join a batch."""

    writing = False  # its block is running inside a batch now: a write nested in it runs inline


def batchable(db) -> bool:
    """Whether writes to `db` may be batched: SQLite's (PostgreSQL's commit by themselves, module docstring)."""
    return isinstance(db.conn, sqlite3.Connection)


def current() -> _Bridged | None:
    """The bridged handler whose next write block may join a batch, if one is running."""
    here = greenlet.getcurrent()
    return here if isinstance(here, _Bridged) and not here.writing else None


async def bridged(fn, *args):
    """Run `fn(*args)` (sync code) so that its write blocks join this process's batches; its result."""
    child = _Bridged(fn)
    child.gr_context = contextvars.copy_context()
    asked = child.switch(*args)
    while not child.dead:
        committer = _committers.get(asked)
        if committer is None:
            committer = _committers[asked] = Committer(asked)
        try:
            await committer.join(child)
        except BaseException as error:  # noqa: BLE001 - handed to the handler, where its write began or ended
            if child.dead:
                raise
            asked = child.throw(error)
        else:
            asked = child.switch()
    return asked


def join(db) -> bool:
    """From inside a bridged handler: wait for this write block's turn in a batch transaction on `db`.

    True when the block must open a savepoint of its own (it is not the first of its transaction)."""
    return greenlet.getcurrent().parent.switch(db)


def done(failed: bool) -> None:
    """From inside a bridged handler: the write block ended, its savepoint closed; wait for the commit.

    A block that failed without a savepoint has its transaction rolled back by the committer. The
    committer's error, if the batch failed to begin or commit, raises here."""
    greenlet.getcurrent().parent.switch((_ENDED, failed))


_ENDED = "ended"


def _closed(conn) -> bool:
    try:
        conn.total_changes
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return True
    return False


class Committer:
    """The batches of one database connection: the handlers waiting to write, run and committed together."""

    def __init__(self, db):
        self._db = weakref.ref(db)  # the registry's key: a strong reference would keep it forever
        self.waiting: list[tuple[_Bridged, asyncio.Future]] = []
        self._since: float | None = None  # when the batch began to wait for the writer lock
        self._pause = FIRST_PAUSE_S

    def join(self, child: _Bridged) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self.waiting:
            # After the callbacks already ready (other requests, which may join this batch too).
            loop.call_soon(self.run)
        self.waiting.append((child, future))
        return future

    def run(self) -> None:
        """Run every waiting block in one transaction and settle each request's future; while another
        process holds the writer lock, try again a little later, the event loop free meanwhile."""
        db = self._db()
        if db is None or _closed(db.conn):
            # The workspace was reset or deleted while the batch waited: this thread closed its old
            # generation's connection at its next request. The retry goes to the new one.
            self._fail(StoreUnavailable("the workspace changed generation (a reset) while the request "
                                        "waited to write; try again"))
            return
        lock = locks.of(db)
        if lock is not None and not lock.try_enter():
            self._wait(lock)
            return
        self._since, self._pause = None, FIRST_PAUSE_S
        batch = [(child, future) for child, future in self.waiting if not future.done() and not child.dead]
        self.waiting = []
        try:
            committed = self._transaction(db.conn, batch)
        except Exception as error:  # noqa: BLE001 - the batch did not commit: every request in it fails
            for _child, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        finally:
            if lock is not None:
                lock.__exit__(None, None, None)
        for future in committed:
            future.set_result(None)

    def _wait(self, lock) -> None:
        now = time.monotonic()
        if self._since is None:
            self._since = now
        if now - self._since >= lock.timeout:
            self._since, self._pause = None, FIRST_PAUSE_S
            self._fail(StoreUnavailable(f"the writer lock of {lock.path} was not free within {lock.timeout:g} s"))
            return
        asyncio.get_running_loop().call_later(self._pause, self.run)
        self._pause = min(self._pause * 2, LAST_PAUSE_S)

    def _fail(self, error: Exception) -> None:
        batch, self.waiting = self.waiting, []
        for _child, future in batch:
            if not future.done():
                future.set_exception(error)

    def _transaction(self, conn, batch) -> list[asyncio.Future]:
        """The blocks of `batch`, in order, in one transaction; the futures of those that succeeded."""
        committed = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            first = True
            for child, future in batch:
                if self._write(child, savepoint=not first):
                    committed.append(future)
                    first = False
                else:
                    future.set_result(None)  # its own error raises in it
                    if first:  # its writes, without a savepoint, go with the transaction's start
                        conn.execute("ROLLBACK")
                        conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return committed

    @staticmethod
    def _write(child: _Bridged, savepoint: bool) -> bool:
        """Run one handler's block, to its end; whether it succeeded."""
        child.writing = True
        try:
            ended = child.switch(savepoint)
        finally:
            child.writing = False
        if not (isinstance(ended, tuple) and ended[0] == _ENDED):
            raise RuntimeError(f"a write block switched away before its end: {ended!r}")
        return not ended[1]
