"""Writing movements to the ledger, bulk loading it, and checking its invariants.

`post` is the only code that inserts postings at run time. It runs inside the caller's write
transaction, so a movement and the record it belongs to (a transfer, a debit) commit together or not
at all; the database triggers of `schema.LEDGER_TRIGGERS` check it once more as it is written.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import contextmanager
from datetime import datetime

import sqlite_utils

from ..domain.money import Movement
from .schema import LEDGER_TRIGGERS, statements

_INSERT = (
    "INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) "
    "SELECT ?, no, ?, balance + ?, ?, ? FROM accounts WHERE id = ?"
)


class LedgerError(RuntimeError):
    """The books would not balance: a bug, never a customer's mistake."""


def ask_number(db: sqlite_utils.Database):
    """Ask for the next movement's number, to be read by `post` (`asked`). Call inside the same `write`
    block as `post`, before it: writers hold the write lock, so the number cannot be taken twice."""
    return db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM movements")


def post(db: sqlite_utils.Database, movement: Movement, booked_at: datetime, reference: str | None = None,
         asked=None) -> int:
    """Write `movement` (already balanced) and return its number. Call inside `store.database.write`.

    `asked`: the next number, asked for earlier in this transaction (`ask_number`) with other reads.
    """
    conn = db.conn
    movement_id = (asked if asked is not None else ask_number(db)).fetchone()[0]
    booked_on = booked_at.date().isoformat()
    # One executemany: on PostgreSQL the legs travel in one round trip (a pipeline), not one each.
    cursor = conn.executemany(_INSERT, [(movement_id, leg.amount, leg.amount, booked_on, leg.description, leg.account_id)
                                        for leg in movement.legs])
    if cursor.rowcount != len(movement.legs):
        known = {row[0] for row in conn.execute(
            f"SELECT id FROM accounts WHERE id IN ({', '.join('?' * len(movement.legs))})",
            [leg.account_id for leg in movement.legs])}
        missing = next(leg.account_id for leg in movement.legs if leg.account_id not in known)
        raise LedgerError(f"no ledger account {missing!r}")
    conn.execute(
        "INSERT INTO movements (id, kind, booked_at, reference) VALUES (?, ?, ?, ?)",
        (movement_id, movement.kind, booked_at.isoformat(timespec="seconds"), reference),
    )
    return movement_id


def load_postings(conn, postings: list[tuple]) -> None:
    """Write seeded postings (movement, account no, amount, balance after, day, description), in order.

    Row by row (executemany), Python takes the GIL back after every row; in one INSERT ... SELECT over a
    JSON array SQLite loads them all without it, so the worker thread naming the customers runs
    meanwhile. JSON carries the integers and texts unchanged, and json_each reads the array in order,
    so the ids follow the list. PostgreSQL's layer loads an executemany with COPY instead.
    """
    if not isinstance(conn, sqlite3.Connection):
        conn.executemany("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
                         " VALUES (?, ?, ?, ?, ?, ?)", postings)
        return
    conn.execute(
        "INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
        " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),"
        " json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]') FROM json_each(?)",
        (json.dumps(postings, ensure_ascii=False),))


@contextmanager
def bulk_load(db: sqlite_utils.Database):
    """Lift the per-row triggers for a trusted bulk load, then restore them and verify the whole ledger.

    Use inside a write transaction: if the loaded books are unsound, nothing of the load is committed.
    The loader writes postings with their balance_after and sets each account's balance itself.
    """
    conn = db.conn
    names = re.findall(r"CREATE TRIGGER (\w+)", LEDGER_TRIGGERS)
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for statement in statements(LEDGER_TRIGGERS):
        conn.execute(statement)
    problems = verify(db)
    if problems:
        raise LedgerError("bulk load left the ledger unsound: " + "; ".join(problems[:5]))


def verify(db: sqlite_utils.Database) -> list[str]:
    """Return every broken ledger invariant (an empty list means the books are sound)."""
    problems = []
    conn = db.conn
    total = conn.execute("SELECT coalesce(sum(balance), 0) FROM accounts").fetchone()[0]
    if total != 0:
        problems.append(f"balances sum to {total}, not zero")
    for movement_id, amount, legs in conn.execute(
        "SELECT movement_id, sum(amount), count(*) FROM postings GROUP BY movement_id HAVING sum(amount) <> 0 OR count(*) < 2"
    ):
        problems.append(f"movement {movement_id} has {legs} postings summing to {amount}")
    for account_id, balance, posted in conn.execute(
        "SELECT a.id, a.balance, coalesce(p.total, 0) FROM accounts a "
        "LEFT JOIN (SELECT account_no, sum(amount) AS total FROM postings GROUP BY account_no) p ON p.account_no = a.no "
        "WHERE a.balance <> coalesce(p.total, 0)"
    ):
        problems.append(f"account {account_id} balance {balance} but postings sum to {posted}")
    for (orphan,) in conn.execute("SELECT DISTINCT movement_id FROM postings WHERE movement_id NOT IN (SELECT id FROM movements)"):
        problems.append(f"postings of unsealed movement {orphan}")
    for account_id, balance, limit in conn.execute(
        "SELECT id, balance, overdraft_limit FROM accounts WHERE kind = 'customer' AND balance < -overdraft_limit"
    ):
        problems.append(f"account {account_id} balance {balance} below its overdraft limit {limit}")
    # The running balance printed on each passbook line must follow from the lines before it. Posting
    # ids are unique, so a ROWS frame sums the same lines as the default RANGE one, without peer checks;
    # and as every line is read and sorted by (account, id) anyway, a plain table scan is cheaper than
    # walking the (account, day) index and fetching each row from it.
    for account_no, posting_id in conn.execute(
        "SELECT account_no, id FROM (SELECT account_no, id, balance_after,"
        " sum(amount) OVER (PARTITION BY account_no ORDER BY id ROWS UNBOUNDED PRECEDING) AS running"
        " FROM postings NOT INDEXED) AS lines WHERE balance_after <> running LIMIT 20"
    ):
        problems.append(f"posting {posting_id} of account #{account_no} shows a wrong balance after")
    return problems
