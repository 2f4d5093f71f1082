"""The write-ahead log is copied back on a thread of its own, and starts over, under a steady stream of writes."""

from __future__ import annotations

import os
import threading
import time

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
    busy, logged, copied = frames()
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
