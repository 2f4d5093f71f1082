"""The request log and usage meter: every API call, as bank staff and the connector see it.

Only facts about the call are kept (who, which operation, the outcome, how long it took); no header,
body, token, secret or password ever reaches this table.
"""

from __future__ import annotations

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


class RequestLog:
    def __init__(self, store: GovernanceStore):
        self.store = store

    def record(self, entry: Entry) -> None:
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO requests (at, workspace, connector_id, bank, operation_id, method, path, status, latency_ms, "
                "error_code, scenario, interaction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.at, entry.workspace, entry.connector_id, entry.bank, entry.operation_id, entry.method, entry.path,
                 entry.status, round(entry.latency_ms, 3), entry.error_code, entry.scenario, entry.interaction_id))
            if entry.connector_id and entry.operation_id and entry.day:
                conn.execute(
                    "INSERT INTO usage (connector_id, day, bank, operation, calls, refused) VALUES (?, ?, ?, ?, 1, ?) "
                    "ON CONFLICT DO UPDATE SET calls = calls + 1, refused = refused + excluded.refused",
                    (entry.connector_id, entry.day, entry.bank or "", entry.operation_id, int(entry.status >= 400)))

    def query(self, *, workspace: str | None = None, limit=100, before=None, since=None, **filters) -> dict:
        """Newest first; `before` pages back (the id of the oldest entry seen), `since` tails forward."""
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

    def get(self, request_id) -> dict:
        row = self.store.conn.execute(f"SELECT {', '.join(FIELDS)} FROM requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise SandboxError("not_found", f"no request {request_id!r} in the log")
        return dict(zip(FIELDS, row))

    def usage(self, connector_id: str, *, day_from: str | None = None, day_to: str | None = None) -> list[dict]:
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
