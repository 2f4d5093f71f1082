"""Writing movements to the ledger and checking its invariants.

`post` is the only code that inserts postings. It runs inside the caller's write transaction, so a
movement and whatever record it belongs to (a transfer, a debit) commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from ..domain.identifiers import new_id
from ..domain.money import Movement

_INSERT = (
    "INSERT INTO postings (movement_id, account_id, amount, balance_after, booked_on, description) "
    "SELECT ?, id, ?, balance + ?, ?, ? FROM accounts WHERE id = ?"
)


def post(db: sqlite_utils.Database, movement: Movement, booked_at: datetime, reference: str | None = None) -> str:
    """Write `movement` (already balanced) and return its id. Call inside `store.database.write`."""
    movement_id = new_id("mov")
    booked_on = booked_at.date().isoformat()
    conn = db.conn
    for leg in movement.legs:
        cursor = conn.execute(_INSERT, (movement_id, leg.amount, leg.amount, booked_on, leg.description, leg.account_id))
        if cursor.rowcount != 1:
            raise LookupError(f"ledger: no account {leg.account_id!r}")
    conn.execute(
        "INSERT INTO movements (id, kind, booked_at, reference) VALUES (?, ?, ?, ?)",
        (movement_id, movement.kind, booked_at.isoformat(timespec="seconds"), reference),
    )
    return movement_id


def verify(db: sqlite_utils.Database) -> list[str]:
    """Return every broken ledger invariant (an empty list means the books are sound)."""
    problems = []
    conn = db.conn
    total = conn.execute("SELECT coalesce(sum(balance), 0) FROM accounts").fetchone()[0]
    if total != 0:
        problems.append(f"balances sum to {total}, not zero")
    for movement_id, amount in conn.execute(
        "SELECT movement_id, sum(amount) FROM postings GROUP BY movement_id HAVING sum(amount) <> 0"
    ):
        problems.append(f"movement {movement_id} sums to {amount}")
    for account_id, balance, posted in conn.execute(
        "SELECT a.id, a.balance, coalesce(p.total, 0) FROM accounts a "
        "LEFT JOIN (SELECT account_id, sum(amount) AS total FROM postings GROUP BY account_id) p ON p.account_id = a.id "
        "WHERE a.balance <> coalesce(p.total, 0)"
    ):
        problems.append(f"account {account_id} balance {balance} but postings sum to {posted}")
    for (orphan,) in conn.execute(
        "SELECT DISTINCT movement_id FROM postings WHERE movement_id NOT IN (SELECT id FROM movements)"
    ):
        problems.append(f"postings of unsealed movement {orphan}")
    for account_id, balance, limit in conn.execute(
        "SELECT id, balance, overdraft_limit FROM accounts WHERE kind = 'customer' AND balance < -overdraft_limit"
    ):
        problems.append(f"account {account_id} balance {balance} below its overdraft limit {limit}")
    # The running balance printed on each passbook line must follow from the previous line.
    for account_id, posting_id in conn.execute(
        "SELECT account_id, id FROM ("
        " SELECT account_id, id, balance_after,"
        "  sum(amount) OVER (PARTITION BY account_id ORDER BY id) AS running FROM postings"
        ") WHERE balance_after <> running LIMIT 20"
    ):
        problems.append(f"posting {posting_id} of {account_id} shows a wrong balance after")
    return problems
