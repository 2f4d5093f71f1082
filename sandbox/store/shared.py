"""Stores that every server process shares: one SQLite file under the data directory, or one schema
of the PostgreSQL database.

The governance data, capacity counters, abuse counters and the server's own rows (console sessions,
sign-in failures, readiness runs) are each such a store. They differ in what they hold and how much
a lost second of writes costs (hence `synchronous`), not in how they are opened: that is here, once.
Each thread keeps its own connection, so the server's thread pools bound the connections as a pool
would.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from .database import BUSY_TIMEOUT_S


class SharedStore:
    """Per-thread connections to `<data_dir>/<name>.db`, or to schema `<name>` at `database_url`."""

    name: str
    synchronous = "NORMAL"  # SQLite's fsync policy for the file; "OFF" where a lost second costs nothing
    foreign_keys = False

    def __init__(self, data_dir: Path | str, database_url: str | None = None):
        self.path = Path(data_dir) / f"{self.name}.db"
        self._local = threading.local()
        self._connection = shared_connection(database_url, self.name) or partial(
            thread_connection, self._local, self.path, self.synchronous, foreign_keys=self.foreign_keys)

    @property
    def conn(self) -> sqlite3.Connection:
        return self._connection()

    def data_version(self) -> int:
        """Changes whenever another connection has committed (on PostgreSQL: a watched table changed,
        announced to every process): lets readers keep caches cheaply (`governance.recent`). Inside
        `one_reading`, read once for the whole block."""
        pinned = getattr(self._local, "pinned", None)
        if pinned is None:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]
        if not pinned:
            pinned.append(self.conn.execute("PRAGMA data_version").fetchone()[0])
        return pinned[0]

    @contextmanager
    def one_reading(self):
        """Judge every cached lookup of this thread's block against one reading of `data_version`.

        One request's lookups (its token, then its connector) need not each ask whether another process
        committed in the microseconds between them: each reading costs a statement, which was a tenth of
        a governed balance inquiry's time with three of them. Blocks nest (the outer reading holds)."""
        outer = getattr(self._local, "pinned", None)
        self._local.pinned = [] if outer is None else outer
        try:
            yield
        finally:
            self._local.pinned = outer


def shared_connection(database_url: str | None, schema: str):
    """With a PostgreSQL URL, what gives this thread's connection to `schema` there; else None (SQLite)."""
    if not database_url:
        return None
    from .postgres import Postgres  # psycopg is imported only by those who use it

    engine = Postgres.at(database_url)
    engine.ensure_schema(schema)
    return partial(engine.connection, schema)


def thread_connection(local: threading.local, path: Path, synchronous: str, foreign_keys: bool = False):
    """This thread's connection to `path` in WAL mode, opened on first use (autocommit: code says BEGIN)."""
    conn = getattr(local, "conn", None)
    if conn is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        if foreign_keys:
            conn.execute("PRAGMA foreign_keys=ON")
        local.conn = conn
    return conn
