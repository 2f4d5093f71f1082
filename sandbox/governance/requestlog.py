"""The request log and usage meter: every API call, as bank staff and the connector see it.

Only facts about the call are kept (who, which operation, the outcome, how long it took); no header,
body, token, secret or password ever reaches this table.

Entries are written in batches, off the request's path: a call only appends to this process's buffer,
and a background thread writes the buffer every `FLUSH_S` seconds (sooner once `BATCH` entries wait),
in one transaction. One write per call would cost as much as the balance inquiry it records, and a
flush run by the request that found the buffer due stalled that request (and the ones queued behind it
on the event loop) for the whole batch. The usage meter's rows are summed per connector, day and
operation before they are written, so a batch is a few multi-row inserts and a handful of upserts.

Readers in this process flush first; another worker's calls appear within about `FLUSH_S`. A clean
shutdown (SIGINT, SIGTERM, the end of the process) stops the thread and writes what is left, so
nothing is lost, unless the database is away just then: it logs how many entries it could not write.
A crash (SIGKILL, power loss) loses what was buffered: the entries of that process's last `FLUSH_S`
seconds or so (and a batch it was writing), never anything about money, which the workspace commits
before the answer leaves.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from dataclasses import dataclass

from ..domain.errors import SandboxError
from ..store.errors import OUTAGE_TYPES, unavailable
from ..store.governance import GovernanceStore

log = logging.getLogger(__name__)

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
ROWS_PER_INSERT = 250  # 12 values a row: 3,000 parameters, well under SQLite's and PostgreSQL's limits
_INSERT = ("INSERT INTO requests (at, workspace, connector_id, bank, operation_id, method, path, status, latency_ms, "
           "error_code, scenario, interaction_id) VALUES ")
_ROW = "(" + ", ".join(["?"] * 12) + ")"


class RequestLog:
    def __init__(self, store: GovernanceStore):
        self.store = store
        self._buffer: list[Entry] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one batch at a time, so entries are written in their order
        self._full = threading.Event()
        self._stopped = threading.Event()
        self._flusher: threading.Thread | None = None

    def record(self, entry: Entry) -> None:
        """Buffer one call's entry; the background thread writes it (see the module docstring)."""
        with self._lock:
            self._buffer.append(entry)
            if len(self._buffer) >= BATCH:
                self._full.set()
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._run, name="request-log", daemon=True)
                self._flusher.start()
                atexit.register(self.close)

    def flush(self) -> None:
        """Write what this process has buffered, in one transaction."""
        with self._writing:
            with self._lock:
                entries, self._buffer = self._buffer, []
                self._full.clear()
            if not entries:
                return
            try:
                self._write(entries)
            except BaseException:
                with self._lock:  # nothing is lost: the entries wait for the next flush
                    self._buffer[:0] = entries
                raise

    def close(self) -> None:
        """Stop the background thread and write what is left (at exit, or when the app shuts down).

        With the database out of reach at that moment, what is left cannot be written: it is lost, as a
        crash would lose it, and said so in one line rather than a traceback at exit.
        """
        self._stopped.set()
        self._full.set()
        flusher = self._flusher
        if flusher is not None and flusher is not threading.current_thread():
            flusher.join(timeout=10)
        try:
            self.flush()
        except OUTAGE_TYPES as error:
            if not unavailable(error):
                raise
            with self._lock:
                lost, self._buffer = len(self._buffer), []
            log.warning("the request log could not write its last %d entries: %s", lost, error)

    def _write(self, entries: list[Entry]) -> None:
        with self.store.write() as conn:
            # Many rows to a statement: SQLite lets go of the interpreter lock for each statement it
            # runs, and a writer thread that asks for it back once per row keeps stopping the thread
            # that serves requests; once per ROWS_PER_INSERT rows it hardly shows.
            for start in range(0, len(entries), ROWS_PER_INSERT):
                chunk = entries[start:start + ROWS_PER_INSERT]
                conn.execute(_INSERT + ", ".join([_ROW] * len(chunk)),
                             [value for e in chunk for value in (
                                 e.at, e.workspace, e.connector_id, e.bank, e.operation_id, e.method, e.path, e.status,
                                 round(e.latency_ms, 3), e.error_code, e.scenario, e.interaction_id)])
            calls, refused = Counter(), Counter()
            for e in entries:
                if e.connector_id and e.operation_id and e.day:
                    key = (e.connector_id, e.day, e.bank or "", e.operation_id)
                    calls[key] += 1
                    refused[key] += e.status >= 400
            conn.executemany(
                "INSERT INTO usage (connector_id, day, bank, operation, calls, refused) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (connector_id, day, bank, operation) DO UPDATE SET calls = calls + excluded.calls, "
                "refused = refused + excluded.refused",
                [(*key, count, refused[key]) for key, count in calls.items()])

    def _run(self) -> None:
        """Write the buffer every `FLUSH_S` seconds, or as soon as `BATCH` entries wait, until closed."""
        while not self._stopped.is_set():
            self._full.wait(FLUSH_S)
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
