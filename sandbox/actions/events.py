"""The workspace's outbox of webhook events: what changed, written with the change itself.

Actions call `emit` inside their write transaction, so an event exists exactly when its state change
was committed. The HTTP layer's dispatcher reads the outbox with `read_after` and hands the events
to the connectors' webhook endpoints (see sandbox/governance/webhooks.py).
"""

from __future__ import annotations

import json

import orjson

from ..domain.identifiers import new_id
from ..store.database import write
from .context import Context

EVENT_TYPES = (
    "transfer.created",
    "transfer.pending_approval",
    "transfer.executed",
    "transfer.failed",
    "transfer.cancelled",
    "transfer.returned",
    "bulk_transfer.created",
    "bulk_transfer.executed",
    "bulk_transfer.failed",
    "bulk_transfer.cancelled",
    "bulk_transfer.item_returned",
    "debit.created",
    "mandate.created",
    "mandate.revoked",
)

_FIELDS = ("id", "type", "resource_id", "connector_id", "payload", "occurred_at")


def emit(ctx: Context, type_: str, resource: dict) -> None:
    """Add an event about `resource` (a transfer, batch, debit or mandate as actions return it). Call inside `write`."""
    emit_all(ctx, [(type_, resource)])


def emit_all(ctx: Context, changes: list[tuple[str, dict]]) -> None:
    """Add the events of several (type, resource) changes at once: one statement, in their order.

    The event belongs to the connector that made the resource (its `connector_id`), whoever caused
    the change: a transfer executed by a clock step is still its maker's news. What no connector made
    (bank staff, the development header) has nobody to be told, so it is not written: the dispatcher
    would only skip it, and two rows a transfer are a fifth of what a transfer costs.
    """
    rows, at = [], None
    for type_, resource in changes:
        if type_ not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type_!r}")
        connector_id = resource.get("connector_id")
        if connector_id is None:
            continue
        if at is None:  # asked of the clock only when something is written (a staff call writes nothing)
            at = ctx.now().isoformat(timespec="seconds")
        payload = {"id": new_id("evt"), "type": type_, "occurred_at": at, "workspace": ctx.workspace,
                   "connector_id": connector_id, "data": resource}
        rows.append((type_, resource["id"], connector_id, orjson.dumps(payload).decode(), at))
    if rows:
        ctx.db.conn.execute(
            "INSERT INTO events (type, resource_id, connector_id, payload, occurred_at) VALUES "
            + ", ".join(["(?, ?, ?, ?, ?)"] * len(rows)), [value for row in rows for value in row])


def emit_told(ctx: Context, type_: str, event_id: str, payload: dict) -> None:
    """Add an event a bank's own feed told (bindings/feeds.py: `stripe:customer.created`), its payload the bank's
    event as its list answers it, for the calling connector's endpoints. Call inside `write`; a call no connector
    made writes nothing."""
    if ctx.connector_id is None:
        return
    # (written by the standard library: a bank's answers may hold keys that are text of another type, the literal
    # `$ref` of an example, and integers past 64 bits, which orjson refuses)
    text = json.dumps(payload, default=str, ensure_ascii=False)
    ctx.db.conn.execute("INSERT INTO events (type, resource_id, connector_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                        (type_, event_id, ctx.connector_id, text, ctx.now().isoformat(timespec="seconds")))


def read_after(ctx: Context, last_id: int, limit: int = 500, fields: tuple[str, ...] = _FIELDS) -> list[dict]:
    """The events written after event `last_id`, oldest first (payloads as stored text), with `fields` only
    when given (a dispatcher reads the payloads of the events somebody wants: `payloads`)."""
    rows = ctx.db.conn.execute(
        f"SELECT {', '.join(fields)} FROM events WHERE id > ? ORDER BY id LIMIT ?", (int(last_id), int(limit))
    ).fetchall()
    return [dict(zip(fields, row)) for row in rows]


def payloads(ctx: Context, event_ids: list[int]) -> dict[int, str]:
    """The stored payloads of these events, by id."""
    found: dict[int, str] = {}
    for start in range(0, len(event_ids), 500):
        chunk = [int(event_id) for event_id in event_ids[start:start + 500]]
        found.update(ctx.db.conn.execute(
            f"SELECT id, payload FROM events WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
    return found


def forget_before(ctx: Context, event_id: int) -> int:
    """Delete the events older than `event_id` (all handed on already); return how many went.

    The event `event_id` itself stays: ids are rowids, so the newest row left keeps the next event's
    id above every id a dispatcher has read.
    """
    with write(ctx.db):
        return ctx.db.conn.execute("DELETE FROM events WHERE id < ?", (int(event_id),)).rowcount


def last_id(ctx: Context) -> int:
    """The id of the newest event (0 when there is none)."""
    return ctx.db.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
