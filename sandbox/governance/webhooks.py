"""Webhooks: the endpoints connectors register, the deliveries of their events, signatures and retries.

Events are written to each workspace's outbox by the actions (sandbox/actions/events.py). A
dispatcher (sandbox/http/webhooks.py) moves them into `deliveries` here, one per matching endpoint,
and sends them; every attempt is recorded, failures are retried with exponential backoff, and a
connector can ask for any delivery again. The scheme is documented in docs/webhooks.md:

    Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

`t` is real time (the moment of the attempt), not sandbox time: a workspace clock may be frozen or
moved days ahead, while a receiver compares `t` with its own clock to refuse stale signatures.
Times below are real unix seconds, passed in by the caller.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import json
import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timezone

from ..actions import Context
from ..actions.events import EVENT_TYPES, forget_before, last_id, payloads, read_after
from ..domain.errors import SandboxError
from ..store.governance import GovernanceStore

FAMILIES = tuple(dict.fromkeys(t.split(".")[0] for t in EVENT_TYPES))
WILDCARDS = (*(f"{family}.*" for family in FAMILIES), "*")
MAX_ATTEMPTS = 8
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
# A claimed delivery is another worker's again after this long: three send timeouts, so a worker
# killed mid-delivery (or a replica that lost the database) delays it by at most this much.
LEASE_S = 15.0
TOLERANCE_S = 300
MAX_ENDPOINTS = 10
URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?][^\s#]*)?$", re.IGNORECASE)
# The events of a served bank's own event feed (bindings/feeds.py): `<bank>:<type>`, `*` anywhere in a pattern.
BANK_EVENT = re.compile(r"^[a-z0-9][a-z0-9_-]*:[^\s:]+$")
# A header a receiver reads the signature from besides `Sandbox-Signature`; never one HTTP itself gives meaning to.
SIGNATURE_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_RESERVED_HEADERS = frozenset(("content-type", "content-length", "host", "user-agent", "connection", "transfer-encoding",
                               "authorization", "cookie", "expect", "te", "trailer", "upgrade", "sandbox-event-id",
                               "sandbox-event-type", "sandbox-signature"))
STATUSES = ("pending", "delivered", "failed")
# The outbox drops what the dispatcher has read once this many events have been read since.
OUTBOX_KEEP = 1000
# Finished deliveries (delivered or failed) stay in the delivery log, for redelivery, this long.
LOG_KEEP_S = 7 * 86400


@dataclass(frozen=True)
class Endpoint:
    id: str
    connector_id: str
    url: str
    events: tuple[str, ...]
    secret: str
    created_at: str
    active: bool
    signature_header: str | None = None

    def wants(self, type_: str) -> bool:
        """Whether the endpoint asked for events of `type_`: by name, by family (`transfer.*`), or by a pattern of
        a bank's events (`stripe:customer.*`); `*` asks for every event, the banks' too."""
        return type_ in self.events or "*" in self.events or f"{type_.split('.')[0]}.*" in self.events or any(
            "*" in pattern and ":" in pattern and fnmatch.fnmatchcase(type_, pattern) for pattern in self.events)

    def to_dict(self, *, with_secret: bool = False) -> dict:
        data = {"id": self.id, "connector_id": self.connector_id, "url": self.url, "events": list(self.events),
                "created_at": self.created_at, "active": self.active, "signature_header": self.signature_header}
        if with_secret:
            data["secret"] = self.secret
        return data


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The `Sandbox-Signature` header value for `body` sent at `timestamp` (unix seconds)."""
    return f"t={int(timestamp)},v1={_mac(secret, int(timestamp), body)}"


def verify(secret: str, header: str | None, body: bytes | str, now: float, tolerance: int = TOLERANCE_S) -> bool:
    """Whether `header` is a valid signature of `body` made within `tolerance` seconds of `now`.

    What a receiver checks: the HMAC, compared in constant time, and the age of the timestamp (a
    captured request replayed later fails). Receivers also remember event ids to drop replays made
    within the tolerance.
    """
    if isinstance(body, str):
        body = body.encode()
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures or abs(now - timestamp) > tolerance:
        return False
    expected = _mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in signatures)


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def holder() -> str:
    """Who holds a lease: this host and process (the start of every lease it takes, for operators)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4, ... up to MAX_DELAY_S."""
    return min(FIRST_DELAY_S * 2 ** max(attempts - 1, 0), MAX_DELAY_S)


def check_url(url) -> str:
    if not (isinstance(url, str) and len(url) <= 500 and URL.match(url)):
        raise SandboxError("invalid_request", f"url must be an http or https URL of at most 500 characters, got {url!r}",
                           field="url")
    return url


def check_events(events) -> tuple[str, ...]:
    if isinstance(events, str) or not isinstance(events, (list, tuple)) or not events:
        raise SandboxError("invalid_request", "events must be a non-empty list of event types", field="events")
    for name in events:
        if name not in EVENT_TYPES and name not in WILDCARDS and not (isinstance(name, str) and BANK_EVENT.match(name)):
            raise SandboxError("invalid_request", f"unknown event type {name!r} (types: {', '.join(EVENT_TYPES)}; "
                                                  f"wildcards: {', '.join(WILDCARDS)}; a bank's own events: "
                                                  f"<bank>:<type>, `*` anywhere)", field="events")
    return tuple(dict.fromkeys(events))


def check_signature_header(name) -> str | None:
    if name is None:
        return None
    if not (isinstance(name, str) and SIGNATURE_HEADER.match(name)) or name.lower() in _RESERVED_HEADERS:
        raise SandboxError("invalid_request", f"signature_header must be a header name of letters, digits and '-' "
                                              f"that HTTP gives no meaning of its own, got {name!r}", field="signature_header")
    return name


_ENDPOINT = "id, connector_id, url, events, secret, created_at, active, signature_header"
_DELIVERY = ("id", "endpoint_id", "event_id", "workspace", "type", "payload", "attempts", "status", "next_attempt_at",
             "last_status", "last_error", "created_at", "delivered_at", "redelivery_of")


def _endpoint(row) -> Endpoint:
    return Endpoint(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5], bool(row[6]), row[7])


def _moment(seconds) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="milliseconds")


def _delivery(row, url: str | None = None) -> dict:
    data = dict(zip(_DELIVERY, row))
    data["payload"] = json.loads(data["payload"])
    for name in ("next_attempt_at", "created_at", "delivered_at"):
        data[name] = _moment(data[name])
    if data["status"] != "pending":
        data["next_attempt_at"] = None
    data["url"] = url
    return data


class Webhooks:
    """Endpoints, deliveries and the outbox cursors, in the governance database."""

    def __init__(self, store: GovernanceStore):
        self.store = store

    # -- endpoints ---------------------------------------------------------------------------------
    def register(self, connector_id: str, url, events, now: float, signature_header=None) -> dict:
        """A new endpoint for the connector; the answer carries its signing secret."""
        url, events, header = check_url(url), check_events(events), check_signature_header(signature_header)
        endpoint = Endpoint("whe_" + secrets.token_hex(8), connector_id, url, events, "whsec_" + secrets.token_urlsafe(32),
                            _moment(now), True, header)
        with self.store.write() as conn:
            count = conn.execute("SELECT count(*) FROM webhook_endpoints WHERE connector_id = ? AND active = 1",
                                 (connector_id,)).fetchone()[0]
            if count >= MAX_ENDPOINTS:
                raise SandboxError("invalid_request", f"a connector may register at most {MAX_ENDPOINTS} endpoints")
            conn.execute(f"INSERT INTO webhook_endpoints ({_ENDPOINT}) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                         (endpoint.id, connector_id, url, json.dumps(list(events)), endpoint.secret, endpoint.created_at,
                          header))
        return endpoint.to_dict(with_secret=True)

    def endpoints(self, connector_id: str) -> list[Endpoint]:
        rows = self.store.conn.execute(
            f"SELECT {_ENDPOINT} FROM webhook_endpoints WHERE connector_id = ? AND active = 1 ORDER BY created_at, id",
            (connector_id,))
        return [_endpoint(row) for row in rows]

    def wanting(self, connector_id: str, type_: str) -> int:
        """How many of the connector's endpoints ask for events of `type_`."""
        return sum(endpoint.wants(type_) for endpoint in self.endpoints(connector_id))

    def delivered(self, workspace: str, event_ids: list) -> dict:
        """{event id: how many endpoints have had it delivered} of these events of `workspace` (a redelivery to an
        endpoint that had it already counts once); events delivered to none are left out."""
        found: dict[str, int] = {}
        ids = [str(event_id) for event_id in event_ids]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(self.store.conn.execute(
                f"SELECT event_id, count(DISTINCT endpoint_id) FROM deliveries WHERE workspace = ? AND status = 'delivered' "
                f"AND event_id IN ({', '.join('?' * len(chunk))}) GROUP BY event_id", (workspace, *chunk)).fetchall())
        return found

    def endpoint(self, connector_id: str, endpoint_id) -> Endpoint:
        row = self.store.conn.execute(f"SELECT {_ENDPOINT} FROM webhook_endpoints WHERE id = ? AND connector_id = ? "
                                      "AND active = 1", (str(endpoint_id), connector_id)).fetchone()
        if row is None:
            raise SandboxError("not_found", f"no webhook endpoint {endpoint_id!r} for connector {connector_id}")
        return _endpoint(row)

    def delete(self, connector_id: str, endpoint_id) -> None:
        """Stop sending to the endpoint; what it still had pending is given up. Its delivery log stays."""
        endpoint = self.endpoint(connector_id, endpoint_id)
        with self.store.write() as conn:
            conn.execute("UPDATE webhook_endpoints SET active = 0 WHERE id = ?", (endpoint.id,))
            conn.execute("UPDATE deliveries SET status = 'failed', lease = NULL, last_error = 'endpoint deleted' "
                         "WHERE endpoint_id = ? AND status = 'pending'", (endpoint.id,))

    # -- from the outbox to deliveries --------------------------------------------------------------
    def pump(self, workspace: str, generation: str, ctx: Context, now: float) -> int:
        """Turn the workspace's new outbox events into deliveries; return how many deliveries were made.

        The cursor (the last event id read) is read and moved in the same IMMEDIATE transaction as the
        deliveries are written, so two workers never enqueue an event twice. `generation` names the
        workspace's current file: a reset starts a new outbox, read from its beginning. Each time the
        cursor passes another OUTBOX_KEEP events, the events read are deleted from the outbox (the
        deliveries carry their own copy), so a long-running workspace does not grow without end.
        """
        seen = self.store.conn.execute("SELECT generation, last_event_id FROM outbox_cursors WHERE workspace = ?",
                                       (workspace,)).fetchone()
        if seen is not None and seen[0] == generation and seen[1] >= last_id(ctx):
            return 0  # nothing new: no write at all
        made = 0
        with self.store.write() as conn:
            row = conn.execute("SELECT generation, last_event_id FROM outbox_cursors WHERE workspace = ?",
                               (workspace,)).fetchone()
            cursor = row[1] if row is not None and row[0] == generation else 0
            # Ids, types and connectors first; the payloads only of events an endpoint wants (most
            # connectors register none, and a transfer's two payloads are its largest rows).
            batch = read_after(ctx, cursor, fields=("id", "type", "connector_id", "resource_id"))
            wanted: dict[str, list[Endpoint]] = {}
            sends = []
            for event in batch:
                if event["connector_id"] is None:
                    continue
                if event["connector_id"] not in wanted:
                    wanted[event["connector_id"]] = self.endpoints(event["connector_id"])
                sends += [(endpoint, event) for endpoint in wanted[event["connector_id"]] if endpoint.wants(event["type"])]
            stored = payloads(ctx, sorted({event["id"] for _, event in sends})) if sends else {}
            for endpoint, event in sends:
                payload = stored[event["id"]]
                conn.execute(
                    "INSERT INTO deliveries (endpoint_id, event_id, workspace, type, payload, next_attempt_at, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (endpoint.id, str(json.loads(payload).get("id") or event["resource_id"]), workspace, event["type"],
                     payload, now, now))
                made += 1
            moved_to = batch[-1]["id"] if batch else cursor
            conn.execute("INSERT INTO outbox_cursors (workspace, generation, last_event_id) VALUES (?, ?, ?) "
                         "ON CONFLICT (workspace) DO UPDATE SET generation = excluded.generation, "
                         "last_event_id = excluded.last_event_id",
                         (workspace, generation, moved_to))
        if moved_to // OUTBOX_KEEP > cursor // OUTBOX_KEEP:
            forget_before(ctx, moved_to)
        return made

    def prune(self, now: float, keep_s: float = LOG_KEEP_S) -> int:
        """Delete finished deliveries made more than `keep_s` ago; return how many went. Pending ones stay."""
        with self.store.write() as conn:
            return conn.execute("DELETE FROM deliveries WHERE status <> 'pending' AND created_at < ?",
                                (now - keep_s,)).rowcount

    # -- sending ------------------------------------------------------------------------------------
    def claim(self, now: float, limit: int = 20) -> list[dict]:
        """Take up to `limit` due deliveries for this worker: each gets a lease no other worker will send under.

        The lease lives in the delivery's row, so it holds across processes and replicas alike:
        `lease` names the holder (`holder()`) and `next_attempt_at` is the moment it runs out, and the
        UPDATE takes a row only if it is still due, so of two workers racing for it one gets it
        (SQLite serialises the write transactions; PostgreSQL re-checks the WHERE on the locked row).
        A worker killed mid-delivery leaves the row leased until LEASE_S has passed; then it is due
        again and any worker sends it.

        Returns what the sender needs, oldest first: id, lease, endpoint_id, url, secret, event_id, type,
        payload (the raw body), attempts (this one included) and the endpoint's own signature header, if any.
        """
        if limit < 1 or self.store.conn.execute(
                "SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1", (now,)).fetchone() is None:
            return []
        lease = f"{holder()}/{secrets.token_hex(8)}"
        with self.store.write() as conn:
            ids = [row[0] for row in conn.execute(
                "SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id "
                "LIMIT ?", (now, limit))]
            if not ids:
                return []
            marks = ", ".join("?" * len(ids))
            conn.execute(f"UPDATE deliveries SET lease = ?, next_attempt_at = ?, attempts = attempts + 1 "
                         f"WHERE id IN ({marks}) AND status = 'pending' AND next_attempt_at <= ?",
                         (lease, now + LEASE_S, *ids, now))
            rows = conn.execute(
                "SELECT d.id, d.lease, d.endpoint_id, e.url, e.secret, d.event_id, d.type, d.payload, d.attempts, "
                "e.signature_header FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.lease = ? "
                "ORDER BY d.id", (lease,)).fetchall()
        return [dict(zip(("id", "lease", "endpoint_id", "url", "secret", "event_id", "type", "payload", "attempts",
                          "signature_header"), row)) for row in rows]

    def release(self, deliveries: list[dict], now: float) -> int:
        """Hand back claimed deliveries this worker will not send (it is stopping): due again at once.

        The attempt the claim counted is not counted; only the lease's holder can release it.
        """
        with self.store.write() as conn:
            return sum(conn.execute("UPDATE deliveries SET lease = NULL, next_attempt_at = ?, attempts = attempts - 1 "
                                    "WHERE id = ? AND lease = ? AND status = 'pending'",
                                    (now, delivery["id"], delivery["lease"])).rowcount for delivery in deliveries)

    def record(self, delivery_id: int, lease: str, now: float, status: int | None, error: str | None) -> str | None:
        """Record an attempt: delivered on a 2xx, else retried after `backoff` until MAX_ATTEMPTS, then failed.

        Only the holder of the lease records (a worker that lost it, past LEASE_S, changes nothing);
        returns the delivery's status then, or None.
        """
        ok = status is not None and 200 <= status < 300
        with self.store.write() as conn:
            row = conn.execute("SELECT attempts FROM deliveries WHERE id = ? AND lease = ? AND status = 'pending'",
                               (delivery_id, lease)).fetchone()
            if row is None:
                return None
            attempts = row[0]
            outcome = "delivered" if ok else ("failed" if attempts >= MAX_ATTEMPTS else "pending")
            conn.execute(
                "UPDATE deliveries SET status = ?, lease = NULL, last_status = ?, last_error = ?, next_attempt_at = ?, "
                "delivered_at = ? WHERE id = ?",
                (outcome, status, None if ok else (error or f"HTTP {status}")[:500],
                 now + backoff(attempts) if outcome == "pending" else None, now if ok else None, delivery_id))
        return outcome

    # -- the delivery log ---------------------------------------------------------------------------
    def deliveries(self, connector_id: str, *, status=None, type_=None, limit=50, before=None) -> dict:
        """The connector's deliveries, newest first; `before` pages back (the id of the oldest seen)."""
        clauses, params = ["e.connector_id = ?"], [connector_id]
        if status is not None:
            if status not in STATUSES:
                raise SandboxError("invalid_request", f"status must be one of {', '.join(STATUSES)}", field="status")
            clauses.append("d.status = ?")
            params.append(status)
        if type_ is not None:
            if type_ not in EVENT_TYPES and not (isinstance(type_, str) and BANK_EVENT.match(type_) and "*" not in type_):
                raise SandboxError("invalid_request", f"unknown event type {type_!r}", field="type")
            clauses.append("d.type = ?")
            params.append(type_)
        if before is not None:
            clauses.append("d.id < ?")
            params.append(int(before))
        if not (isinstance(limit, int) and 1 <= limit <= 500):
            raise SandboxError("invalid_request", "limit must be from 1 to 500", field="limit")
        rows = self.store.conn.execute(
            f"SELECT {', '.join('d.' + c for c in _DELIVERY)}, e.url FROM deliveries d "
            f"JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE {' AND '.join(clauses)} ORDER BY d.id DESC LIMIT ?",
            (*params, limit + 1)).fetchall()
        items = [_delivery(row[:-1], row[-1]) for row in rows[:limit]]
        return {"deliveries": items, "next_before": items[-1]["id"] if len(rows) > limit else None}

    def delivery(self, connector_id: str, delivery_id) -> dict:
        row = self.store.conn.execute(
            f"SELECT {', '.join('d.' + c for c in _DELIVERY)}, e.url FROM deliveries d "
            "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ? AND e.connector_id = ?",
            (delivery_id, connector_id)).fetchone()
        if row is None:
            raise SandboxError("not_found", f"no webhook delivery {delivery_id!r} for connector {connector_id}")
        return _delivery(row[:-1], row[-1])

    def redeliver(self, connector_id: str, delivery_id, now: float) -> dict:
        """Send a delivery's event again, as a new delivery (same event id, fresh signature, full retries)."""
        original = self.delivery(connector_id, delivery_id)
        self.endpoint(connector_id, original["endpoint_id"])  # a deleted endpoint gets nothing more
        with self.store.write() as conn:
            new_id = conn.execute(
                "INSERT INTO deliveries (endpoint_id, event_id, workspace, type, payload, next_attempt_at, created_at, "
                "redelivery_of) SELECT endpoint_id, event_id, workspace, type, payload, ?, ?, id FROM deliveries WHERE id = ?",
                (now, now, original["id"])).lastrowid
        return self.delivery(connector_id, new_id)
