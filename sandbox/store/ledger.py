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
from functools import lru_cache

import sqlite_utils

from ..domain.money import Movement
from .schema import LEDGER_TRIGGERS, statements

_INSERT_LEG = (
    "INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) "
    "SELECT ?, no, ?, balance + ?, ?, ? FROM accounts WHERE id = ?"
)
# At most this many legs to one statement of `_insert` (a bulk transfer's movement may have
# thousands), to stay well under the server's limit on parameters.
LEGS_PER_STATEMENT = 200


@lru_cache(maxsize=64)
def _insert(legs: int) -> str:
    """The INSERT of `legs` postings in one statement. Each leg's running balance is the account's balance
    before the statement plus that account's legs up to this one in the movement (a payer's amount, then
    its fee), summed by `post`: not the balance as each row's trigger leaves it, as SQLite fires AFTER
    triggers row by row and PostgreSQL at the statement's end. A leg naming no account finds no `no` and
    breaks the column's NOT NULL, so the statement fails whole."""
    values = ", ".join(["(?, ?, ?, ?, ?)"] * legs)
    return ("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) "
            "SELECT ?, a.no, l.column3, a.balance + l.column4, ?, l.column5"
            f" FROM (VALUES {values}) AS l LEFT JOIN accounts a ON a.id = l.column2 ORDER BY l.column1")


class LedgerError(RuntimeError):
    """The books would not balance: a bug, never a customer's mistake."""


# The next movement's number, as a scalar subquery: a caller that reads other rows under the write lock
# before it posts asks for it as a column of that read (one statement, not two), and passes it to `post`.
NEXT_NUMBER = "(SELECT coalesce(max(id), 0) + 1 FROM movements)"


def ask_number(db: sqlite_utils.Database):
    """Ask for the next movement's number, to be read by `post`. Call inside the same `write` block as
    `post`, before it: writers hold the write lock, so the number cannot be taken twice."""
    return db.conn.execute(f"SELECT {NEXT_NUMBER}")


def post(db: sqlite_utils.Database, movement: Movement, booked_at: datetime, reference: str | None = None,
         number: int | None = None) -> int:
    """Write `movement` (already balanced) and return its number. Call inside `store.database.write`.

    `number`: the next number, read earlier in this transaction under the same lock (`NEXT_NUMBER`).
    """
    conn = db.conn
    movement_id = number if number is not None else ask_number(db).fetchone()[0]
    booked_on = booked_at.date().isoformat()
    # To a server, which pipelines (`store.database.pipeline`), the legs travel as one statement; SQLite,
    # where a statement is a call into the library, is quicker with one a leg.
    if getattr(conn, "pipeline", None) is None:
        _post_by_leg(conn, movement_id, movement.legs, booked_on)
    else:
        _post_together(conn, movement_id, movement.legs, booked_on)
    conn.execute(
        "INSERT INTO movements (id, kind, booked_at, reference) VALUES (?, ?, ?, ?)",
        (movement_id, movement.kind, booked_at.isoformat(timespec="seconds"), reference),
    )
    return movement_id


def _post_by_leg(conn, movement_id: int, legs, booked_on: str) -> None:
    """One statement a leg: each reads the balance the leg before it left, and the rowcount says at once
    whether every account was there."""
    cursor = conn.executemany(_INSERT_LEG, [(movement_id, leg.amount, leg.amount, booked_on, leg.description,
                                             leg.account_id) for leg in legs])
    if cursor.rowcount != len(legs):
        known = {row[0] for row in conn.execute(
            f"SELECT id FROM accounts WHERE id IN ({', '.join('?' * len(legs))})", [leg.account_id for leg in legs])}
        raise LedgerError(f"no ledger account {next(leg.account_id for leg in legs if leg.account_id not in known)!r}")


def _post_together(conn, movement_id: int, legs, booked_on: str) -> None:
    """The legs in one statement (`_insert`; its balance trigger runs once for all of them), which in a
    pipeline travels with the rest of the transaction: nothing waits for its answer. A leg without an
    account fails it at once outside a pipeline (`LedgerError`), inside one at the pipeline's next answer
    (the database's integrity error), and the transaction is rolled back either way."""
    for start in range(0, len(legs), LEGS_PER_STATEMENT):
        chunk = legs[start:start + LEGS_PER_STATEMENT]
        params, moved = [movement_id, booked_on], {}
        for number, leg in enumerate(chunk, start):
            # What this statement moves the account by up to this leg (the balance it reads already
            # holds what an earlier statement of the movement moved).
            moved[leg.account_id] = moved.get(leg.account_id, 0) + leg.amount
            params += (number, leg.account_id, leg.amount, moved[leg.account_id], leg.description)
        try:
            conn.execute(_insert(len(chunk)), params)
        except Exception as error:  # the database's integrity error: only a leg without an account is ours
            if "account_no" in str(error):
                raise LedgerError(f"no ledger account among {sorted({leg.account_id for leg in chunk})}") from error
            raise


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
