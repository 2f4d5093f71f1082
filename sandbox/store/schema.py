"""The workspace schema and its migrations, versioned with SQLite's `user_version`.

The ledger's rules are enforced by the database as well as by the code that writes it:
- a posting's account balance is updated by a trigger, so a balance always equals its postings;
- a movement row is written after its postings and refused unless they sum to zero (two or more);
- postings of a movement already written are refused, and postings are never updated or deleted;
- a customer account's balance may not fall below minus its overdraft limit (a CHECK constraint).
"""

from __future__ import annotations

import json
import re
import sqlite3

import sqlite_utils

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE banks (
    code TEXT PRIMARY KEY CHECK (length(code) = 4),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    rules TEXT NOT NULL            -- JSON: fees, limits, cutoff, moretime (domain.banks.BankRules)
);

CREATE TABLE branches (
    bank_code TEXT NOT NULL REFERENCES banks(code),
    code TEXT NOT NULL CHECK (length(code) = 3),
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    PRIMARY KEY (bank_code, code)
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    bank_code TEXT NOT NULL REFERENCES banks(code),
    kind TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    email TEXT,
    birth_date TEXT
);

CREATE TABLE accounts (
    no INTEGER PRIMARY KEY,        -- the ledger's own key; `id` is the opaque public one
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('customer', 'internal')),
    bank_code TEXT NOT NULL REFERENCES banks(code),
    branch_code TEXT,
    type TEXT CHECK (type IN ('1', '2', '4', '9')),
    number TEXT CHECK (number IS NULL OR length(number) = 7),
    purpose TEXT,                  -- internal accounts: fee_income, clearing, suspense, opening
    customer_id TEXT REFERENCES customers(id),
    holder_name TEXT NOT NULL,
    holder_kana TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
    overdraft_limit INTEGER NOT NULL DEFAULT 0 CHECK (overdraft_limit >= 0),
    balance INTEGER NOT NULL DEFAULT 0,
    opened_on TEXT NOT NULL,
    CHECK (kind = 'internal' OR balance >= -overdraft_limit)
);
CREATE UNIQUE INDEX accounts_coordinates ON accounts (bank_code, branch_code, type, number) WHERE kind = 'customer';
CREATE UNIQUE INDEX accounts_internal ON accounts (bank_code, purpose) WHERE kind = 'internal';
CREATE INDEX accounts_customer ON accounts (customer_id);

CREATE TABLE movements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    booked_at TEXT NOT NULL,
    reference TEXT
);

CREATE TABLE postings (
    id INTEGER PRIMARY KEY,
    movement_id INTEGER NOT NULL REFERENCES movements(id) DEFERRABLE INITIALLY DEFERRED,
    account_no INTEGER NOT NULL REFERENCES accounts(no),
    amount INTEGER NOT NULL CHECK (amount <> 0),
    balance_after INTEGER NOT NULL,
    booked_on TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE INDEX postings_account ON postings (account_no, booked_on);
CREATE INDEX postings_movement ON postings (movement_id);

CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    from_account_id TEXT NOT NULL REFERENCES accounts(id),
    to_bank_code TEXT NOT NULL,
    to_branch_code TEXT NOT NULL,
    to_account_type TEXT NOT NULL,
    to_account_number TEXT NOT NULL,
    to_name TEXT NOT NULL,
    to_account_id TEXT REFERENCES accounts(id),
    route TEXT NOT NULL,
    destination TEXT NOT NULL CHECK (destination IN ('internal', 'sandbox', 'external')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    fee INTEGER NOT NULL CHECK (fee >= 0),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'executed', 'failed', 'cancelled', 'returned')),
    requested_at TEXT NOT NULL,
    execution_date TEXT NOT NULL,
    executed_at TEXT,
    cancelled_at TEXT,
    returned_at TEXT,
    failure_code TEXT,
    movement_id INTEGER,           -- the movements that executed and returned it (no foreign key:
    return_movement_id INTEGER,    -- each would make every new movement scan this table)
    payer_name TEXT NOT NULL,
    memo TEXT,
    client_reference TEXT,
    connector_id TEXT
);
CREATE INDEX transfers_account_day ON transfers (from_account_id, execution_date);
CREATE INDEX transfers_due ON transfers (status, execution_date);

CREATE TABLE mandates (
    id TEXT PRIMARY KEY,
    payer_account_id TEXT NOT NULL REFERENCES accounts(id),
    collector_account_id TEXT NOT NULL REFERENCES accounts(id),
    collector_name TEXT NOT NULL,
    customer_reference TEXT,
    max_amount INTEGER,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'expired')),
    created_at TEXT NOT NULL,
    expires_on TEXT,
    revoked_at TEXT,
    connector_id TEXT
);
CREATE INDEX mandates_payer ON mandates (payer_account_id);

CREATE TABLE debits (
    id TEXT PRIMARY KEY,
    mandate_id TEXT NOT NULL REFERENCES mandates(id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL CHECK (status IN ('executed', 'failed')),
    created_at TEXT NOT NULL,
    movement_id INTEGER,
    description TEXT,
    client_reference TEXT,
    connector_id TEXT
);
CREATE INDEX debits_mandate ON debits (mandate_id);

CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
"""

# The ledger's guards, kept apart so a trusted bulk load (seeding) can lift and restore them.
LEDGER_TRIGGERS = """
CREATE TRIGGER postings_sealed BEFORE INSERT ON postings
WHEN EXISTS (SELECT 1 FROM movements WHERE id = NEW.movement_id)
BEGIN SELECT RAISE(ABORT, 'ledger: movement already sealed'); END;

CREATE TRIGGER postings_move_balance AFTER INSERT ON postings
BEGIN UPDATE accounts SET balance = balance + NEW.amount WHERE no = NEW.account_no; END;

CREATE TRIGGER postings_immutable_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'ledger: postings are immutable'); END;

CREATE TRIGGER postings_immutable_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'ledger: postings are immutable'); END;

CREATE TRIGGER movements_balanced BEFORE INSERT ON movements
WHEN (SELECT count(*) FROM postings WHERE movement_id = NEW.id) < 2
  OR (SELECT sum(amount) FROM postings WHERE movement_id = NEW.id) <> 0
BEGIN SELECT RAISE(ABORT, 'ledger: postings of a movement must be two or more and sum to zero'); END;
"""

# Consents: what a customer allowed a connector to do (read accounts, make one payment).
_V2 = """
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('account_access', 'payment')),
    status TEXT NOT NULL CHECK (status IN ('awaiting_authorisation', 'authorised', 'rejected', 'consumed', 'revoked', 'expired')),
    bank_code TEXT,
    permissions TEXT,              -- JSON array
    account_ids TEXT,              -- JSON array
    payment TEXT,                  -- JSON: the canonical transfer request
    fee INTEGER,
    created_at TEXT NOT NULL,
    status_updated_at TEXT NOT NULL,
    expires_at TEXT,
    transfer_id TEXT REFERENCES transfers(id),
    connector_id TEXT
);
"""

# A transfer remembers the consent it was made under (consent-style APIs show it on the payment).
_V3 = """
ALTER TABLE transfers ADD COLUMN consent_id TEXT;
"""

# What each account has committed to transfers per execution day, kept as a running total so the daily
# limit is one lookup however many transfers an account makes in a day.
_V4 = """
CREATE TABLE daily_totals (
    account_id TEXT NOT NULL,
    day TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;
INSERT INTO daily_totals (account_id, day, amount)
    SELECT from_account_id, execution_date, sum(amount) FROM transfers
    WHERE status IN ('scheduled', 'executed') GROUP BY from_account_id, execution_date;
"""

# The workspace's sandbox time: the server's clock, shifted or frozen (one row; absent means real time).
_V5 = """
CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    frozen_at TEXT,
    offset_seconds INTEGER NOT NULL DEFAULT 0
);
"""

# Fewer pages written per transfer (each page a transaction touches is one more frame in the write-ahead
# log, and one more page for the checkpoint to copy back and fsync):
# - idempotency records become an ordinary rowid table with a unique (scope, key) index: the large
#   stored responses are appended to the table instead of being inserted at random places in a
#   WITHOUT ROWID b-tree keyed by the client's key (which split and rebalanced ~3.6 pages a record);
# - only scheduled transfers wait in the due index (`run_due` is its only reader): an executed one
#   never enters it.
_V6 = """
CREATE TABLE idempotency_v6 (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO idempotency_v6 (scope, key, request_hash, response, created_at)
    SELECT scope, key, request_hash, response, created_at FROM idempotency;
DROP TABLE idempotency;
ALTER TABLE idempotency_v6 RENAME TO idempotency;
CREATE UNIQUE INDEX idempotency_scope_key ON idempotency (scope, key);
DROP INDEX transfers_due;
CREATE INDEX transfers_due ON transfers (execution_date) WHERE status = 'scheduled';
"""

# Transfers waiting for the customer's approval (risk-based authentication): the request and what it
# would do are kept here, under the transfer id it will have; no money moves and no limit is used until
# the customer approves it, when the transfer is written as any other.
_V7 = """
CREATE TABLE approvals (
    transfer_id TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    preview TEXT NOT NULL,
    reasons TEXT NOT NULL,
    customer_id TEXT,
    connector_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status = 'pending';
"""

# Scenario rules injected into a workspace (a reset restores the pristine file, which has none), and
# the returns (組戻し) they scheduled for transfers that executed.
_V8 = """
CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    rule TEXT NOT NULL,
    pack TEXT,
    created_at TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0,
    applied INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    undo TEXT
);
CREATE TABLE scheduled_returns (
    transfer_id TEXT PRIMARY KEY,
    due_on TEXT NOT NULL,
    reason TEXT,
    scenario_id TEXT
);
"""

# The outbox of webhook events: every state change of a transfer, debit or mandate adds a row in the
# same transaction as the change itself, so a crash can neither lose an event nor invent one. The
# payload is the event as receivers get it; `occurred_at` is sandbox time. Rows are appended, and
# deleted only once the webhook dispatcher has read them.
_V9 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    connector_id TEXT,
    payload TEXT NOT NULL,
    occurred_at TEXT NOT NULL
);
"""

# Bulk transfers (総合振込): a batch from one payer account on one designated date, executed at the payer
# bank's cut-off as one movement; each item keeps its payee, fee and status, and its own return (組戻し).
# Only scheduled batches wait in the due index, as for transfers.
_V10 = """
CREATE TABLE bulk_transfers (
    id TEXT PRIMARY KEY,
    from_account_id TEXT NOT NULL REFERENCES accounts(id),
    execution_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'executed', 'failed', 'cancelled')),
    item_count INTEGER NOT NULL CHECK (item_count BETWEEN 1 AND 9999),
    total_amount INTEGER NOT NULL CHECK (total_amount > 0),
    total_fee INTEGER NOT NULL CHECK (total_fee >= 0),
    debited INTEGER,               -- what execution took from the payer: executed items' amounts and fees
    requested_at TEXT NOT NULL,
    executed_at TEXT,
    cancelled_at TEXT,
    failure_code TEXT,
    movement_id INTEGER,
    payer_name TEXT NOT NULL,      -- the requester's name the payees see (振込依頼人名)
    requester_code TEXT,
    source TEXT NOT NULL CHECK (source IN ('json', 'zengin')),
    client_reference TEXT,
    connector_id TEXT
);
CREATE INDEX bulk_transfers_due ON bulk_transfers (execution_date) WHERE status = 'scheduled';
CREATE INDEX bulk_transfers_account ON bulk_transfers (from_account_id);
CREATE TABLE bulk_transfer_items (
    bulk_transfer_id TEXT NOT NULL REFERENCES bulk_transfers(id),
    no INTEGER NOT NULL CHECK (no BETWEEN 1 AND 9999),
    to_bank_code TEXT NOT NULL,
    to_branch_code TEXT NOT NULL,
    to_account_type TEXT NOT NULL,
    to_account_number TEXT NOT NULL,
    to_name TEXT NOT NULL,
    to_account_id TEXT,
    route TEXT NOT NULL,
    destination TEXT NOT NULL CHECK (destination IN ('internal', 'sandbox', 'external')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    fee INTEGER NOT NULL CHECK (fee >= 0),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'executed', 'failed', 'cancelled', 'returned')),
    failure_code TEXT,
    client_reference TEXT,
    returned_at TEXT,
    return_movement_id INTEGER,
    PRIMARY KEY (bulk_transfer_id, no)
) WITHOUT ROWID;
"""

# The approval policy's reads, bounded whatever the history: has the payer paid this account before
# (the first match, by payer and account number), and how many transfers in the last hour (counted
# only up to the policy's limit, along the payer's transfers in request order). The payer's index by
# request time takes the place of the one by execution date, which only listing a payer's transfers
# still used (it filters on the payer alone): each index costs every transfer about one log page.
_V11 = """
DROP INDEX transfers_account_day;
CREATE INDEX transfers_requested ON transfers (from_account_id, requested_at);
CREATE INDEX transfers_payee ON transfers (from_account_id, to_account_number);
"""

# The balance trigger made again: on PostgreSQL it now moves each account once per statement of
# postings (store/postgres.py's TRIGGERS), and a schema made before takes it here. SQLite's is the same.
_V12 = "DROP TRIGGER postings_move_balance;\n" + re.search(
    r"CREATE TRIGGER postings_move_balance .*?END;", LEDGER_TRIGGERS, re.S).group(0)

# Resources a connector made through operations no binding names (answers from the spec alone): the
# read's path template (`kind`) and id find one; `owner` is the path values its creation named (which
# lists hold it), `sent` what the client sent to make or change it, `answer` the last answer about it. A
# deleted one stays, as a tombstone, so that reading it again is a 404 (or its tombstone). `seq` keeps lists in creation order.
_V13 = """
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,
    api TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    owner TEXT NOT NULL,
    sent TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX documents_id ON documents (api, kind, id);
"""

# A list reads the kept resources of one kind made last: by this index it reads those, not all of its kind
# and then sorts them (a page of 20 out of thousands spent a sixth of its time there).
_V14 = "CREATE INDEX documents_made ON documents (api, kind, seq);\n"

# The seal and the balance check made again: on PostgreSQL the seal now looks at each statement of
# postings once, not at each posting, and the check reads a movement's postings once (store/postgres.py's
# TRIGGERS); a schema made before takes them here. SQLite's are the same.
_V15 = "DROP TRIGGER postings_sealed;\nDROP TRIGGER movements_balanced;\n" + "\n".join(re.search(
    rf"CREATE TRIGGER {name} .*?END;", LEDGER_TRIGGERS, re.S).group(0) for name in ("postings_sealed", "movements_balanced"))
# The values a kept resource's answer holds (`names_in`: the ids it names others by among them),
# each beside the resource (its `seq`): a read of an account's balance finds the transfers naming the account by
# this index, not by reading every resource the workspace keeps (a read among 3,000 kept transfers read them all).
# A value a resource no longer holds may stay: what is found is read again.
_V16 = """
CREATE TABLE document_names (
    api TEXT NOT NULL,
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (api, name, seq)
) WITHOUT ROWID;
"""

# How far into a kept answer its values are indexed (a JSON:API relationship's id is five objects down:
# `data.relationships.account.data.id`), and the longest value indexed.
_NAMED_DEPTH, _NAME_LENGTH = 5, 200


def names_in(answer, depth: int = 0) -> set[str]:
    """The values a kept `answer` holds in its objects (not its lists), a few objects down, as text: text and whole
    numbers, what ids are; the ids it names other resources by are among them (a transfer's `account_id`)."""
    found = set()
    if isinstance(answer, dict) and depth < _NAMED_DEPTH:
        for value in answer.values():
            if isinstance(value, dict):
                found |= names_in(value, depth + 1)
            elif isinstance(value, str) and 0 < len(value) <= _NAME_LENGTH or type(value) is int:
                found.add(str(value))
    return found


def _v17(conn) -> None:
    """Index the values of what was kept before `document_names` was (_V16 made it empty): after an upgrade, a
    balance read left out the transfers a workspace kept before it."""
    rows = conn.execute("SELECT seq, api, answer FROM documents").fetchall()
    conn.executemany("INSERT OR IGNORE INTO document_names (api, name, seq) VALUES (?, ?, ?)",
                     [(api, name, seq) for seq, api, answer in rows for name in names_in(json.loads(answer))])


# A migration is a script, or a function of the connection for what SQL alone does not say the same way on both
# engines (a fresh database has nothing for it to do, and PostgreSQL's one-script start leaves it out).
MIGRATIONS = [_V1 + LEDGER_TRIGGERS, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12, _V13, _V14, _V15, _V16,
              _v17]


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema up to the latest version, one transaction per migration."""
    apply(db.conn, MIGRATIONS)


def apply(conn, migrations: list[str]) -> None:
    """Run the `migrations` that `conn`'s database has not had yet, each in a transaction of its own.

    Every store versions its schema this way (`PRAGMA user_version`, a row per schema on PostgreSQL).
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(migrations[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                conn.execute("COMMIT")  # another process migrated first
                continue
            if callable(script):
                script(conn)
            else:
                for statement in statements(script):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def statements(script: str):
    """Split a migration into statements (triggers contain ';', so split on complete statements)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
