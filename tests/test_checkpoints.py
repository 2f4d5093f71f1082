"""The write-ahead log is copied back on a thread of its own, and starts over, under a steady stream of writes."""

from __future__ import annotations

import gc
import os
import sqlite3
import threading
import time
from pathlib import Path

from sandbox.store import checkpoints
from sandbox.store.database import connect, write


def _wal(path) -> int:
    return os.path.getsize(f"{path}-wal")


def test_a_busy_workspace_log_stays_far_below_the_commit_time_checkpoint(tmp_path):
    path = tmp_path / "busy.db"
    db = connect(path)
    db.conn.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)")
    chunk = os.urandom(512 * 1024)
    fallback_bytes = checkpoints.FALLBACK_PAGES * 4096
    written, started = 0, time.monotonic()
    while written < 1.5 * fallback_bytes:  # past the commit-time checkpoint, had the thread done nothing
        with write(db):
            db.conn.execute("INSERT INTO blobs (data) VALUES (?)", (chunk,))
            db.conn.execute("DELETE FROM blobs WHERE id < (SELECT max(id) - 4 FROM blobs)")
        written += len(chunk)
        time.sleep(0.01)  # a steady stream (about 40 MB of log a second), as transfers under load write
    assert _wal(path) < fallback_bytes / 2, (_wal(path), written, time.monotonic() - started)
    assert db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_checkpoint_if_grown_copies_a_grown_log_once_and_leaves_the_rest(tmp_path):
    path = str(tmp_path / "one.db")
    assert checkpoints.checkpoint_if_grown(path) is None  # no database, no log
    db = connect(path)
    db.conn.execute("PRAGMA wal_autocheckpoint=0")  # only this test copies the log
    db.conn.execute("CREATE TABLE blobs (data BLOB)")
    small = checkpoints.checkpoint_if_grown(path)
    assert small is not None and small[0] < checkpoints.AFTER_BYTES  # small: left alone

    reader = connect(path)  # a reader elsewhere sees the same rows before and after the copy
    with write(db):
        db.conn.executemany("INSERT INTO blobs VALUES (?)", [(os.urandom(64 * 1024),) for _ in range(80)])
    frames = lambda: db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # noqa: E731 - (busy, log, copied)
    seen = checkpoints.checkpoint_if_grown(path)
    assert seen[0] >= checkpoints.AFTER_BYTES
    for _ in range(100):  # the process's checkpoint thread may hold this file's checkpoint lock at this moment
        busy, logged, copied = frames()
        if not busy:
            break
        time.sleep(0.05)
    assert busy == 0 and logged == copied > 0
    assert checkpoints.checkpoint_if_grown(path, seen) == seen  # nothing written since: nothing done
    assert reader.conn.execute("SELECT count(*) FROM blobs").fetchone() == (80,)


def test_the_thread_checkpoints_files_of_live_connections_only(tmp_path):
    db = connect(tmp_path / "watched.db")
    assert any(thread.name == "sandbox-checkpoints" for thread in threading.enumerate())
    assert os.path.realpath(tmp_path / "watched.db") in set(checkpoints._watched.values())
    db.conn.close()
    del db
    import gc

    gc.collect()
    assert os.path.realpath(tmp_path / "watched.db") not in set(checkpoints._watched.values())


def _unwatched(path: str) -> sqlite3.Connection:
    """A connection in WAL mode that no thread checkpoints: only the test copies its log."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE blobs (data BLOB)")
    return conn


class _HeldWriterLock:
    """The workspace's writer lock held by another thread (a writer in the middle of a transaction)."""

    def __init__(self, path: str):
        self._held, self._release = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._hold, args=(path,))

    def _hold(self, path: str) -> None:
        with checkpoints.locks.of_file(path, 5):
            self._held.set()
            self._release.wait(10)

    def __enter__(self):
        self._thread.start()
        assert self._held.wait(5)

    def __exit__(self, *_exc):
        self._release.set()
        self._thread.join()


def _timed_checkpoint(path: str):
    started = time.monotonic()
    seen = checkpoints.checkpoint_if_grown(path)
    return seen, time.monotonic() - started


def test_a_log_below_the_restart_mark_is_copied_without_waiting_for_writers(tmp_path):
    # The copy itself waits for nobody; only letting the log start over takes the writer lock, and only
    # once the log holds RESTART_BYTES. A writer holding the lock delays neither.
    path = str(tmp_path / "steady.db")
    conn = _unwatched(path)
    with conn:
        conn.executemany("INSERT INTO blobs VALUES (?)", [(os.urandom(64 * 1024),) for _ in range(80)])
    assert checkpoints.AFTER_BYTES <= _wal(path) < checkpoints.RESTART_BYTES
    with _HeldWriterLock(path):
        seen, took = _timed_checkpoint(path)
    assert seen is not None and took < checkpoints.LOCK_WAIT_S / 2, (seen, took)
    busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and logged == copied > 0
    assert conn.execute("SELECT count(*) FROM blobs").fetchone() == (80,)


def test_a_log_past_the_restart_mark_waits_for_the_writer_lock_then_starts_over(tmp_path):
    path = str(tmp_path / "full.db")
    conn = _unwatched(path)
    chunk = os.urandom(512 * 1024)
    while _wal(path) < checkpoints.RESTART_BYTES + 1024 * 1024:
        with conn:
            conn.execute("INSERT INTO blobs VALUES (?)", (chunk,))
    with _HeldWriterLock(path):  # the second step waits for the writer, then gives up the round
        seen, took = _timed_checkpoint(path)
    assert seen is None and took >= checkpoints.LOCK_WAIT_S * 0.9, (seen, took)
    assert checkpoints.checkpoint_if_grown(path) is not None
    with conn:
        conn.execute("DELETE FROM blobs WHERE rowid = 1")
    # The log started over: it holds only that last write's pages (the file keeps its size).
    busy, logged, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and 0 < logged * 4096 < checkpoints.AFTER_BYTES, logged


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_the_rounds_of_a_file_share_one_connection_that_holds_nothing_between_them(tmp_path, monkeypatch):
    # Opening a connection reads the workspace's whole schema at its first statement (about 2 ms): once
    # per file, not once per round; between rounds it holds no read lock, so the log still starts over.
    path = str(tmp_path / "kept.db")
    conn = _unwatched(path)
    opened = []  # the checkpoints' connections (the test's own are opened by path)
    connect_ = sqlite3.connect
    monkeypatch.setattr(checkpoints.sqlite3, "connect", lambda *a, **k: k.get("uri") and opened.append(a) or connect_(*a, **k))
    kept, seen, chunk = {}, None, os.urandom(512 * 1024)

    def grow(conn):  # a log past AFTER_BYTES, in a file that stays small
        with conn:
            conn.execute("DELETE FROM blobs")
            conn.executemany("INSERT INTO blobs VALUES (?)", [(chunk,)] * 9)

    for _ in range(3):  # three rounds, each finding the log grown since the last
        grow(conn)
        seen = checkpoints.checkpoint_if_grown(path, seen, kept)
        assert seen is not None and seen[0] >= checkpoints.AFTER_BYTES
    assert len(opened) == 1 and list(kept) == [path], opened
    conn.execute("INSERT INTO blobs VALUES (x'00')")
    busy, logged, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and 0 < logged < 10, logged  # the log started over: it holds that one write's pages
    conn.close()

    # The file deleted and made again under its name (a workspace deleted and created again): the
    # connection to the deleted one is let go, and the new one's log is the one copied.
    _remove(path)
    conn = _unwatched(path)
    grow(conn)
    assert checkpoints.checkpoint_if_grown(path, None, kept) is not None
    assert len(opened) == 2 and kept[path][1] == (os.stat(path).st_dev, os.stat(path).st_ino)
    busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and logged == copied > 0
    conn.close()
    _remove(path)
    assert checkpoints.checkpoint_if_grown(path, seen, kept) is None and kept == {}  # its file gone: closed


def _open_files(prefix: str) -> int:
    """How many of this process's file descriptors are open on files whose path starts with `prefix`."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(prefix)
        except OSError:  # closed meanwhile (listdir's own descriptor)
            pass
    return count


def _eventually(condition, within_s: float = 3.0) -> bool:
    deadline = time.monotonic() + within_s
    while not condition():  # a bounded wait for the checkpoint thread's next rounds
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_the_thread_lets_go_of_a_file_no_connection_uses_any_more(tmp_path):
    # A reset moves a workspace to a new file and deletes the old one later: the thread must not hold
    # the old one open (its disk space would never come back).
    path = tmp_path / "gone.db"
    db = connect(path)
    db.conn.execute("CREATE TABLE blobs (data BLOB)")
    with write(db):
        db.conn.executemany("INSERT INTO blobs VALUES (?)", [(os.urandom(512 * 1024),)] * 9)
    prefix = os.path.realpath(path)
    alone = _open_files(prefix)  # this connection's own (the file and its log)
    assert _eventually(lambda: _open_files(prefix) > alone)  # the thread's, once it copied the log
    db.conn.close()
    del db
    gc.collect()
    _remove(str(path))
    assert _eventually(lambda: _open_files(prefix) == 0), os.listdir("/proc/self/fd")
