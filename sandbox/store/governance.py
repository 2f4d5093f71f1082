"""The governance database: connectors, their tokens and grants, capacity counters, usage and logs.

One SQLite file (`governance.db`) beside the control database, shared by every server worker. It is
kept apart from the workspace files because it must survive a workspace reset (credentials do), and
apart from the control database because every API call writes here (counters, the request log) and
those writes should not queue behind workspace bookkeeping.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from .database import immediate
from .schema import apply
from .shared import SharedStore

MIGRATIONS = [
    # V1: connectors and the audit trail of what was done to them.
    """
    CREATE TABLE connectors (
        id TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        name TEXT NOT NULL,
        class TEXT NOT NULL CHECK (class IN ('self-use', 'third-party')),
        plan TEXT NOT NULL,
        redirect_uris TEXT NOT NULL DEFAULT '[]',
        customer_id TEXT,
        registration_number TEXT,
        secret_hash TEXT NOT NULL,
        token_ttl INTEGER NOT NULL DEFAULT 3600,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        created_at TEXT NOT NULL
    );
    CREATE INDEX connectors_workspace ON connectors (workspace);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        workspace TEXT NOT NULL,
        connector_id TEXT,
        event TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT
    );
    CREATE INDEX audit_connector ON audit (connector_id, id);
    """,
    # V2: OAuth: what a customer agreed to (grants), authorization codes and tokens (hashes only).
    """
    CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
        workspace TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        accounts TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        revoked_at REAL
    );
    CREATE TABLE codes (
        code_hash TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
        grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
        redirect_uri TEXT,
        scope TEXT NOT NULL,
        challenge TEXT,
        challenge_method TEXT,
        expires_at REAL NOT NULL
    );
    CREATE TABLE tokens (
        access_hash TEXT PRIMARY KEY,
        refresh_hash TEXT UNIQUE,
        connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
        grant_id TEXT REFERENCES grants (id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        issued_at REAL NOT NULL,
        expires_in INTEGER NOT NULL,
        refresh_expires_at REAL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tokens_connector ON tokens (connector_id);
    """,
    # V3: capacity counters (fixed windows), usage per connector, operation and day, the request log.
    """
    CREATE TABLE counters (
        key TEXT PRIMARY KEY,
        window INTEGER NOT NULL,
        used INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE usage (
        connector_id TEXT NOT NULL,
        day TEXT NOT NULL,
        operation TEXT NOT NULL,
        bank TEXT NOT NULL,
        calls INTEGER NOT NULL,
        refused INTEGER NOT NULL,
        PRIMARY KEY (connector_id, day, bank, operation)
    ) WITHOUT ROWID;
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        workspace TEXT,
        connector_id TEXT,
        bank TEXT,
        operation_id TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        error_code TEXT,
        scenario TEXT,
        interaction_id TEXT
    );
    CREATE INDEX requests_workspace ON requests (workspace, id);
    CREATE INDEX requests_connector ON requests (connector_id, id);
    """,
    # V4: capacity as one row per connector (both windows), used and checked by a single statement.
    """
    DROP TABLE counters;
    CREATE TABLE capacity (
        connector_id TEXT PRIMARY KEY,
        second INTEGER NOT NULL,
        second_used INTEGER NOT NULL,
        day INTEGER NOT NULL,
        day_used INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # V5: webhooks: the endpoints connectors register, one delivery per (event, endpoint), and how far
    # each workspace's outbox has been read (per generation: a reset starts a new outbox).
    """
    CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        -- Kept as it is, not hashed: every delivery is signed with it (HMAC), so the sandbox needs it.
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX webhook_endpoints_connector ON webhook_endpoints (connector_id) WHERE active = 1;
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        workspace TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        next_attempt_at REAL,
        lease TEXT,
        last_status INTEGER,
        last_error TEXT,
        created_at REAL NOT NULL,
        delivered_at REAL,
        redelivery_of INTEGER
    );
    CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);
    CREATE TABLE outbox_cursors (
        workspace TEXT PRIMARY KEY,
        generation TEXT NOT NULL,
        last_event_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # V6: the counters moved to their own file (capacity.db, see CounterStore); V4's table was never used.
    """
    DROP TABLE capacity;
    """,
    # V7: the FAPI 2.0 profile: a connector's profile and public keys (private_key_jwt), the key an
    # access token is bound to (DPoP), pushed authorization requests (PAR), and the proof ids already
    # seen (DPoP proofs and client assertions are each accepted once).
    """
    ALTER TABLE connectors ADD COLUMN security_profile TEXT NOT NULL DEFAULT 'plain';
    ALTER TABLE connectors ADD COLUMN jwks TEXT;
    ALTER TABLE connectors ADD COLUMN jwks_uri TEXT;
    ALTER TABLE tokens ADD COLUMN jkt TEXT;
    CREATE TABLE pushed_requests (
        uri_hash TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
        params TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE seen_jtis (
        key TEXT PRIMARY KEY,
        expires_at REAL NOT NULL
    ) WITHOUT ROWID;
    """,
    # V8: a webhook endpoint may ask for the signature under a header of its own as well (a receiver written for a
    # bank whose webhooks are signed the same way, Stripe's `Stripe-Signature`).
    """
    ALTER TABLE webhook_endpoints ADD COLUMN signature_header TEXT;
    """,
    # V9: the consent a bank's API made that a grant was given for (the one its authorization request named: UK Open
    # Banking's `openbanking_intent_id`), so its tokens reach what that consent allows while it is authorised.
    """
    ALTER TABLE grants ADD COLUMN consent_id TEXT;
    """,
]


class GovernanceStore(SharedStore):
    """Per-thread connections to `governance.db` (or the `governance` schema), migrated on first open."""

    name = "governance"
    foreign_keys = True

    def __init__(self, data_dir: Path | str, database_url: str | None = None):
        super().__init__(data_dir, database_url)
        apply(self.conn, MIGRATIONS)  # each step under the write lock: workers starting at once migrate once

    @contextmanager
    def write(self):
        """One IMMEDIATE transaction (the write lock taken up front, as for workspaces)."""
        with immediate(self.conn) as conn:
            yield conn


class CounterStore(SharedStore):
    """Capacity counters in their own file (`capacity.db`), shared by every worker process.

    Every governed call writes here, so the file is tuned for that: no fsync ever (`synchronous=OFF`:
    after an operating-system crash a second's counts may be lost, which costs nothing), and apart
    from the governance database, whose log writes it never waits behind.
    """

    name = "capacity"
    synchronous = "OFF"

    def __init__(self, data_dir: Path | str, database_url: str | None = None):
        super().__init__(data_dir, database_url)
        with immediate(self.conn) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS capacity (connector_id TEXT PRIMARY KEY, second INTEGER NOT NULL,"
                " second_used INTEGER NOT NULL, day INTEGER NOT NULL, day_used INTEGER NOT NULL) WITHOUT ROWID")
