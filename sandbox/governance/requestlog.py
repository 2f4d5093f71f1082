"""The request log and usage meter: every API call, as bank staff and the connector see it.

Only facts about the call are kept (who, which operation, the outcome, how long it took); no header,
body, token, secret or password ever reaches this table.

Entries are written in batches: a call appends to this process's buffer, and the call that finds the
buffer `FLUSH_S` seconds old writes it, in one transaction, on its own thread. One write per call would
cost as much as the balance inquiry it records; a busy background writer would cost nearly as much,
because its per-row hand-overs of the interpreter lock keep interrupting the thread serving requests.
A background thread writes only what an idle server left in the buffer, and everything at exit.
Readers in this process flush first; another worker's calls appear within about `2 * FLUSH_S`.
"""

from __future__ import annotations

import atexit
import threading
import time
from dataclasses import dataclass

from ..domain.errors import SandboxError
from ..store.governance import GovernanceStore

FIELDS = ("id", "at", "workspace", "connector_id", "bank", "operation_id", "method", "path", "status", "latency_ms",
          "error_code", "scenario", "interaction_id")
FILTERS = ("connector_id", "bank", "operation_id", "status", "error_code", "scenario", "interaction_id", "method")


@dataclass
class Entry:
    at: str
    workspace: str | None
    connector_id: str | None
    bank: str | None
    operation_id: str | None
    method: str
    path: str
    status: int
    latency_ms: float
    error_code: str | None = None
    scenario: str | None = None
    interaction_id: str | None = None
    day: str | None = None  # the sandbox day, for the usage meter


FLUSH_S = 0.2
BATCH = 500


class RequestLog:
    def __init__(self, store: GovernanceStore):
        self.store = store
        self._buffer: list[Entry] = []
        self._lock = threading.Lock()
        self._flusher: threading.Thread | None = None
        self._oldest = 0.0  # monotonic time of the oldest buffered entry

    def record(self, entry: Entry) -> None:
        now = time.monotonic()
        with self._lock:
            if not self._buffer:
                self._oldest = now
            self._buffer.append(entry)
            due = len(self._buffer) >= BATCH or now - self._oldest >= FLUSH_S
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._run, name="request-log", daemon=True)
                self._flusher.start()
                atexit.register(self.flush)
        if due:
            self.flush()

    def flush(self) -> None:
        """Write what this process has buffered, in one transaction."""
        with self._lock:
            entries, self._buffer = self._buffer, []
        if not entries:
            return
        try:
            self._write(entries)
        except BaseException:
            with self._lock:  # nothing is lost: the entries wait for the next flush
                self._buffer[:0] = entries
            raise

    def _write(self, entries: list[Entry]) -> None:
        with self.store.write() as conn:
            conn.executemany(
                "INSERT INTO requests (at, workspace, connector_id, bank, operation_id, method, path, status, latency_ms, "
                "error_code, scenario, interaction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.at, e.workspace, e.connector_id, e.bank, e.operation_id, e.method, e.path, e.status,
                  round(e.latency_ms, 3), e.error_code, e.scenario, e.interaction_id) for e in entries])
            conn.executemany(
                "INSERT INTO usage (connector_id, day, bank, operation, calls, refused) VALUES (?, ?, ?, ?, 1, ?) "
                "ON CONFLICT DO UPDATE SET calls = calls + 1, refused = refused + excluded.refused",
                [(e.connector_id, e.day, e.bank or "", e.operation_id, int(e.status >= 400))
                 for e in entries if e.connector_id and e.operation_id and e.day])

    def _run(self) -> None:
        """Write what an idle server left behind (a busy one writes as it goes, in `record`)."""
        while True:
            time.sleep(FLUSH_S)
            with self._lock:
                stale = bool(self._buffer) and time.monotonic() - self._oldest >= 2 * FLUSH_S
            if stale:
                try:
                    self.flush()
                except Exception:  # noqa: BLE001 - a busy database must not end the flusher; the next round retries
                    pass

    def query(self, *, workspace: str | None = None, limit=100, before=None, since=None, **filters) -> dict:
        """Newest first; `before` pages back (the id of the oldest entry seen), `since` tails forward."""
        self.flush()
        clauses, params = [], []
        if workspace is not None:
            clauses.append("workspace = ?")
            params.append(workspace)
        for name, value in filters.items():
            if name not in FILTERS:
                raise SandboxError("invalid_request", f"unknown filter {name!r}", field=name)
            if value is not None:
                clauses.append(f"{name} = ?")
                params.append(value)
        for name, value, op in (("before", before, "<"), ("since", since, ">")):
            if value is not None:
                if not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
                    raise SandboxError("invalid_request", f"{name} must be a request id", field=name)
                clauses.append(f"id {op} ?")
                params.append(int(value))
        if not (isinstance(limit, int) and 1 <= limit <= 1000):
            raise SandboxError("invalid_request", "limit must be from 1 to 1000", field="limit")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.conn.execute(f"SELECT {', '.join(FIELDS)} FROM requests {where} ORDER BY id DESC LIMIT ?",
                                       (*params, limit + 1)).fetchall()
        items = [dict(zip(FIELDS, row)) for row in rows[:limit]]
        return {"requests": items, "next_before": items[-1]["id"] if len(rows) > limit else None}

    def ids_of(self, workspace: str, interaction_ids: list[str]) -> list[int]:
        """The log ids of a workspace's calls with these interaction ids (an alert's evidence), oldest first."""
        self.flush()
        if not interaction_ids:
            return []
        rows = self.store.conn.execute(
            f"SELECT id FROM requests WHERE workspace = ? AND interaction_id IN ({', '.join('?' * len(interaction_ids))}) "
            "ORDER BY id", (workspace, *interaction_ids)).fetchall()
        return [row[0] for row in rows]

    def get(self, request_id) -> dict:
        self.flush()
        row = self.store.conn.execute(f"SELECT {', '.join(FIELDS)} FROM requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise SandboxError("not_found", f"no request {request_id!r} in the log")
        return dict(zip(FIELDS, row))

    def usage(self, connector_id: str, *, day_from: str | None = None, day_to: str | None = None) -> list[dict]:
        self.flush()
        clauses, params = ["connector_id = ?"], [connector_id]
        if day_from:
            clauses.append("day >= ?")
            params.append(day_from)
        if day_to:
            clauses.append("day <= ?")
            params.append(day_to)
        rows = self.store.conn.execute(
            f"SELECT day, bank, operation, calls, refused FROM usage WHERE {' AND '.join(clauses)} ORDER BY day, bank, operation",
            params)
        return [dict(zip(("day", "bank", "operation", "calls", "refused"), row)) for row in rows]
