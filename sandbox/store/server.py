"""The server's own state: console sessions, failed sign-ins, readiness runs and open readiness sessions.

Each of these decides an answer (is this cookie signed in? must this address wait? which reports
exist?), so none may live in one process's memory or one replica's data directory: they are rows in
the store, one table per kind, read and written with SQL both engines speak. On SQLite that is
`server.db` under the data directory (shared by every worker process); with a database URL it is the
`server` schema in PostgreSQL, so a replica's data directory may be empty.
"""

from __future__ import annotations

from pathlib import Path

from .database import immediate
from .shared import SharedStore
from .schema import apply

MIGRATIONS = [
    # V1: console sessions (an id, the session's content as text, when it ends), failed sign-ins (one row
    # per failure, kept while it is inside the limit's window), readiness runs (the report, and the few
    # fields a list shows) and open readiness sessions (dropped when the session finishes).
    """
    CREATE TABLE console_sessions (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        expires_at REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
    CREATE TABLE failed_sign_ins (
        id INTEGER PRIMARY KEY,
        surface TEXT NOT NULL,
        address TEXT NOT NULL,
        failed_at REAL NOT NULL
    );
    CREATE INDEX failed_sign_ins_address ON failed_sign_ins (surface, address, failed_at);
    CREATE INDEX failed_sign_ins_age ON failed_sign_ins (failed_at);
    CREATE TABLE readiness_runs (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        listing TEXT NOT NULL,
        report TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX readiness_runs_started ON readiness_runs (started_at);
    CREATE TABLE readiness_sessions (
        id TEXT PRIMARY KEY,
        session TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
]


class ServerStore(SharedStore):
    """Per-thread connections to `server.db`, or to the `server` schema at `database_url`; migrated on open."""

    name = "server"

    def __init__(self, data_dir: Path | str, database_url: str | None = None):
        super().__init__(data_dir, database_url)
        apply(self.conn, MIGRATIONS)  # under the schema's lock: replicas starting at once migrate once

    # -- console sessions --------------------------------------------------------------------------
    def session(self, session_id: str, now: float) -> str | None:
        """The content of a session that has not ended by `now`; None for an unknown or ended one."""
        row = self.conn.execute("SELECT data FROM console_sessions WHERE id = ? AND expires_at > ?",
                                (session_id, now)).fetchone()
        return row[0] if row else None

    def keep_session(self, session_id: str, data: str, expires_at: float, now: float, *, replace: bool = True) -> bool:
        """Store a session until `expires_at` (with `replace` off, only if no live one has the id); drop ended ones.

        Returns whether it was stored.
        """
        with immediate(self.conn) as conn:
            conn.execute("DELETE FROM console_sessions WHERE expires_at <= ?", (now,))
            update = "DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at" if replace else "DO NOTHING"
            stored = conn.execute(f"INSERT INTO console_sessions (id, data, expires_at) VALUES (?, ?, ?) "
                                  f"ON CONFLICT (id) {update}", (session_id, data, expires_at)).rowcount
        return stored == 1

    def end_session(self, session_id: str) -> bool:
        return self.conn.execute("DELETE FROM console_sessions WHERE id = ?", (session_id,)).rowcount == 1

    def end_sessions(self) -> None:
        self.conn.execute("DELETE FROM console_sessions")

    # -- failed sign-ins ---------------------------------------------------------------------------
    def nth_latest_failure(self, surface: str, address: str, since: float, n: int) -> float | None:
        """When the `n`th most recent failure of `address` on `surface` after `since` happened; None if fewer."""
        row = self.conn.execute(
            "SELECT failed_at FROM failed_sign_ins WHERE surface = ? AND address = ? AND failed_at > ? "
            "ORDER BY failed_at DESC LIMIT 1 OFFSET ?", (surface, address, since, n - 1)).fetchone()
        return row[0] if row else None

    def add_failure(self, surface: str, address: str, at: float, forget_before: float) -> None:
        """Record a failure at `at`, and forget every failure (of any address) older than `forget_before`."""
        with immediate(self.conn) as conn:
            conn.execute("DELETE FROM failed_sign_ins WHERE failed_at < ?", (forget_before,))
            conn.execute("INSERT INTO failed_sign_ins (surface, address, failed_at) VALUES (?, ?, ?)",
                         (surface, address, at))

    # -- readiness runs and sessions -----------------------------------------------------------------
    def add_run(self, run_id: str, started_at: str, listing: str, report: str) -> None:
        """File a run (once: a run already filed under the id stays as it is)."""
        self.conn.execute("INSERT OR IGNORE INTO readiness_runs (id, started_at, listing, report) VALUES (?, ?, ?, ?)",
                          (run_id, started_at, listing, report))

    def run(self, run_id: str) -> str | None:
        row = self.conn.execute("SELECT report FROM readiness_runs WHERE id = ?", (run_id,)).fetchone()
        return row[0] if row else None

    def run_listings(self) -> list[str]:
        """Each run's listing, newest first."""
        rows = self.conn.execute("SELECT listing FROM readiness_runs ORDER BY started_at DESC, id").fetchall()
        return [row[0] for row in rows]

    def save_readiness_session(self, session_id: str, session: str) -> None:
        self.conn.execute("INSERT INTO readiness_sessions (id, session) VALUES (?, ?) "
                          "ON CONFLICT (id) DO UPDATE SET session = excluded.session", (session_id, session))

    def readiness_session(self, session_id: str) -> str | None:
        row = self.conn.execute("SELECT session FROM readiness_sessions WHERE id = ?", (session_id,)).fetchone()
        return row[0] if row else None

    def close_readiness_session(self, session_id: str) -> None:
        self.conn.execute("DELETE FROM readiness_sessions WHERE id = ?", (session_id,))
