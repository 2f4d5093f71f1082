"""The writer lock of a workspace database: one writer at a time, and the next one woken at once.

SQLite lets one writer in and makes the others poll: a connection that finds the database locked
sleeps in growing steps (up to 100 ms) before it tries again, so under load a writer often sleeps on
after the lock came free, which is where the p99 of transfers went. Writers here queue on this lock
first and only then run `BEGIN IMMEDIATE`, which then finds SQLite's lock free:

- inside a process, a re-entrant lock shared by every connection to the same file, so the threads of
  one worker (the event loop, the control plane's pool, the webhook dispatcher) hand over at once;
- between processes, `flock` on a lock file beside the database (`<file>-lock`). A waiting process
  tries again after 50 µs, then at doubling intervals up to 1 ms: a transaction holds the lock for
  well under a millisecond, so the next writer is in almost as soon as the holder lets go.

The wait is bounded like SQLite's own (`timeout`, the store's busy timeout): past it the writer gets
`StoreUnavailable`, answered 503 as any locked database is, so a stalled holder cannot hang every
other worker. A blocking `flock` would wake a waiter a little sooner, but nothing can interrupt it.

Nothing can deadlock: a holder never awaits (writes run synchronously inside one `with write(db)`
block, on the thread that took the lock), and no holder waits for another workspace's writer lock.
A database that was not registered (in memory, another engine) falls back to SQLite's busy handler.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from contextlib import nullcontext

from .errors import StoreUnavailable

_by_path: weakref.WeakValueDictionary[str, WriterLock] = weakref.WeakValueDictionary()
_by_db: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_registry = threading.Lock()


class WriterLock:
    """Exclusive, re-entrant in its thread, across the threads of this process and across processes."""

    def __init__(self, path: str, timeout: float):
        self.path = path
        self.timeout = timeout
        self._threads = threading.RLock()
        self._depth = 0  # only the holding thread reads or writes it
        self._fd: int | None = None
        self._pid: int | None = None  # the process that opened `_fd`

    def __enter__(self) -> WriterLock:
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise StoreUnavailable(f"the writer lock of {self.path} was not free within {self.timeout:g} s")
        self._take(deadline)
        return self

    def try_enter(self) -> bool:
        """Take the lock if it is free now, without waiting; whether it was taken (release: `__exit__`)."""
        if not self._threads.acquire(blocking=False):
            return False
        return self._take(None)

    def _take(self, deadline: float | None) -> bool:
        """With the threads' lock held: take the file's (waiting until `deadline`, or not at all if None)."""
        if self._depth == 0:
            try:
                fd = self._descriptor()
                if not _flock(fd, deadline, self.path):
                    self._threads.release()
                    return False
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1
        return True

    def _descriptor(self) -> int:
        """The lock file's descriptor, opened on first use in this process and kept while the lock lives.

        Kept rather than opened for each hold (an open and a close a transfer): a lock lives as long as a
        connection to its generation's file does, so a reset's old generations do not pile descriptors
        up. A forked child shares its parent's open file, and with it the parent's flock: it opens its own.
        """
        if self._fd is None or self._pid != os.getpid():
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:  # the data directory gone or read-only: an outage, as SQLite's would be
                raise StoreUnavailable(f"cannot open the writer lock {self.path}: {error.strerror}") from None
            self._pid = os.getpid()
        return self._fd

    def __exit__(self, *_exc) -> None:
        self._depth -= 1
        if self._depth == 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def __del__(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)


def _flock(fd: int, deadline: float | None, path: str) -> bool:
    """Lock `fd` exclusively, trying again until `deadline` (None: once); whether it was locked."""
    pause = 0.00005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if deadline is None:
                return False
            if time.monotonic() >= deadline:
                raise StoreUnavailable(f"the writer lock of {path} was not free in time") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.001)


def lock_path(database_file: str) -> str:
    return f"{database_file}-lock"


def register(db, database_file: str | None, timeout: float) -> None:
    """Make `write(db)` queue on the writer lock of `database_file` (None or ":memory:": no lock)."""
    if not database_file or database_file == ":memory:":
        return
    lock = of_file(database_file, timeout)
    with _registry:
        _by_db[db] = lock


def of_file(database_file: str, timeout: float) -> WriterLock:
    """The writer lock of `database_file`: the one this process's registered connections to it share."""
    path = lock_path(os.path.realpath(database_file))
    with _registry:
        lock = _by_path.get(path)
        if lock is None:
            lock = _by_path[path] = WriterLock(path, timeout)
        return lock


def of(db) -> WriterLock | None:
    """The writer lock registered for `db`, if any."""
    return _by_db.get(db)


def held(db):
    """The writer lock to hold around a write transaction on `db` (a no-op for an unregistered one)."""
    return _by_db.get(db) or nullcontext()
