"""Copying a workspace's write-ahead log back into its database file, off the requests' path.

In WAL mode SQLite appends each commit to the `-wal` file, and every so many pages
(`wal_autocheckpoint`) the commit that crosses the mark copies the log into the database file and
syncs both to disk before it returns. Under a stream of transfers (about 17 log pages each) that
was one request in a few hundred waiting for two fsyncs. Here one thread per process checkpoints the
workspaces it has open whose log reaches `AFTER_BYTES` and has been written since its last look, in
two steps. The first, PASSIVE, waits for no reader or writer and copies the bulk of the log (syncing
it first and the database file after: the fsyncs that stalled commits) while writers keep appending.
The log starts over only after a checkpoint that copied all of it, which under a steady stream of
writes the first step never is: once the log holds `RESTART_BYTES`, a second step copies the few pages
written meanwhile while holding the workspace's writer lock (store/locks.py), so it completes, and the
next writer starts the log over. Writers wait for that second step only: a few pages and two short
fsyncs. The first step copies what was added since the last round (SQLite remembers how far it got),
so the log may grow to several times `AFTER_BYTES` before it starts over: under two workers' transfers
(about 170 MB of log a second, 21 pages a transfer) the second step ran at every round, holding the
writer lock for 4 % of the time (227 rounds in 8 s, a median of 0.6 ms, one in ten 4.3 ms or more); at
`RESTART_BYTES` it runs at one round in five or six, longer each time (a median of 4.4 ms) but for
half the time in all, and transfers went 3 % faster. The commit-time checkpoint stays as a safety net at
`FALLBACK_PAGES`, far above what this thread lets the log reach, should the thread fall behind.

Several worker processes may checkpoint the same file: SQLite lets one at a time in, and a process
that finds the checkpoint lock taken skips that round.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref

from . import locks
from .errors import StoreUnavailable

EVERY_S = 0.1
AFTER_BYTES = 4 * 1024 * 1024
RESTART_BYTES = 32 * 1024 * 1024
FALLBACK_PAGES = 32_000  # 128 MB of log with 4 KiB pages
LOCK_WAIT_S = 1.0  # for the writer lock; past it, the next round tries again

_watched: "weakref.WeakKeyDictionary[object, str]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def watch(db, path: str) -> None:
    """Checkpoint `path` in the background while `db` (a connection to it) is in use in this process."""
    global _thread
    with _lock:
        _watched[db] = os.path.realpath(path)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="sandbox-checkpoints", daemon=True)
            _thread.start()


def _run() -> None:
    seen, kept = {}, {}
    while True:
        time.sleep(EVERY_S)
        with _lock:
            paths = set(_watched.values())
        seen = {path: seen.get(path) for path in paths}
        for path in set(kept) - paths:  # no connection of this process uses it any more (a reset, a deletion)
            _forget(kept, path)
        for path in paths:
            seen[path] = checkpoint_if_grown(path, seen[path], kept)


def checkpoint_if_grown(path: str, seen: tuple | None = None, kept: dict | None = None) -> tuple | None:
    """Checkpoint `path` if its log reaches AFTER_BYTES and was written since `seen` (the log's size
    and time as the last call found them, which it returns), and let the log start over once it holds
    RESTART_BYTES. The log file keeps its size when SQLite starts it over, so its modification time
    tells whether anything was written since, and the first step's count of pages how much it holds.

    `kept`: the calling thread's connections by path, opened at the first checkpoint of a file and used
    for the next ones. A connection's first statement reads the whole schema (57 tables, indexes and
    triggers in a workspace: about 2 ms); opened for each round, that was most of a round's cost, and
    with eight teams' workspaces written at once (a round each every 0.1 s in each worker) a fifth of
    the CPU a transfer cost. A kept connection holds no lock between rounds; it is closed once its file
    is gone, or another file took its name (a workspace deleted and made again), where it would hold a
    deleted file open and copy that file's log instead of the new one's. Without `kept` the connection
    is opened and closed in the call."""
    try:
        log, file = os.stat(f"{path}-wal"), os.stat(path)
    except OSError:  # no log (yet, or any more): nothing to copy
        _forget(kept, path)
        return None
    identity = (file.st_dev, file.st_ino)
    if kept is not None and kept.get(path, (None, identity))[1] != identity:
        _forget(kept, path)
    now = (log.st_size, log.st_mtime_ns)
    if log.st_size < AFTER_BYTES or now == seen:
        return now
    conn = kept[path][0] if kept is not None and path in kept else None
    if conn is None:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0, isolation_level=None)
        except sqlite3.Error:  # the file was removed meanwhile (a reset, a deleted workspace)
            return None
        if kept is not None:
            kept[path] = conn, identity
    try:
        _, logged, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if logged * conn.execute("PRAGMA page_size").fetchone()[0] >= RESTART_BYTES:
            with locks.of_file(path, LOCK_WAIT_S):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except (sqlite3.Error, StoreUnavailable):  # another process holds the checkpoint lock: its round, not ours
        return None  # (a file that went meanwhile is let go at the next round, which finds it gone)
    finally:
        if kept is None:
            conn.close()
    return now


def _forget(kept: dict | None, path: str) -> None:
    """Close the kept connection to `path`, if any: its file is gone, replaced, or no longer used here."""
    conn, _ = kept.pop(path, (None, None)) if kept is not None else (None, None)
    if conn is not None:
        conn.close()
