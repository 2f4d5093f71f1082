"""The abuse monitor's file (`abuse.db`): windowed counters, holds on connectors, and alerts.

Shared by every worker process, like the capacity counters: each signal is one UPSERT on one row of a
fixed window (never a scan of history), so a rule costs the same on the millionth request as on the
first. Kept apart from governance.db because it is written on the request path; a workspace's rows go
when the workspace is reset.
"""

from __future__ import annotations

from pathlib import Path

from .shared import SharedStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS windows (
    workspace TEXT NOT NULL, rule TEXT NOT NULL, key TEXT NOT NULL,
    window INTEGER NOT NULL,        -- the window's start, sandbox epoch seconds
    count INTEGER NOT NULL,         -- signals (distinct ones where the rule counts distinct items)
    misses INTEGER NOT NULL,        -- of which misses (or, for inquiries, sequential numbers)
    total INTEGER NOT NULL,         -- summed amounts (structuring)
    last INTEGER,                   -- the last item as a number (sequential account numbers)
    tripped INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL,         -- the interaction ids of the latest signals (JSON array)
    PRIMARY KEY (workspace, rule, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seen (
    workspace TEXT NOT NULL, rule TEXT NOT NULL, key TEXT NOT NULL, item TEXT NOT NULL, window INTEGER NOT NULL,
    PRIMARY KEY (workspace, rule, key, item)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS holds (
    connector_id TEXT PRIMARY KEY,
    workspace TEXT NOT NULL,
    until REAL,                     -- refused until (wall-clock epoch seconds), by `rule`
    rule TEXT,
    wait_until REAL                 -- the last Retry-After the connector was given runs out (wall clock)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace TEXT NOT NULL,
    rule TEXT NOT NULL,
    connector_id TEXT,
    subject TEXT,
    bank_code TEXT,
    action TEXT NOT NULL,
    figures TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    raised_at TEXT NOT NULL,
    resolved_at TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS alerts_workspace ON alerts (workspace, seq);
CREATE TABLE IF NOT EXISTS staff_endpoints (
    id TEXT PRIMARY KEY,
    workspace TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


class AbuseStore(SharedStore):
    """Per-thread connections to `abuse.db` (no fsync: a lost second of counts costs nothing)."""

    name = "abuse"
    synchronous = "OFF"

    def __init__(self, data_dir: Path | str, database_url: str | None = None):
        super().__init__(data_dir, database_url)
        self.conn.executescript(SCHEMA)

    def forget(self, workspace: str, *, endpoints: bool = False) -> None:
        """Drop a workspace's windows, holds and alerts (a reset: the workspace starts afresh), and with
        `endpoints` the staff's alert endpoints too (the workspace is deleted)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("windows", "seen", "holds", "alerts", *(("staff_endpoints",) if endpoints else ())):
                conn.execute(f"DELETE FROM {table} WHERE workspace = ?", (workspace,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
