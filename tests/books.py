"""Test helpers for the banking core: a seeded workspace on a frozen clock, and the books' invariants."""

from __future__ import annotations

from datetime import datetime

from sandbox.actions import accounts
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.store import ledger
from sandbox.workspaces import Workspaces

THURSDAY_10AM = datetime(2026, 11, 5, 10, 0, tzinfo=JST)


def workspace(tmp_path, moment=THURSDAY_10AM, name="default", database_url=None):
    """A freshly seeded default workspace and its context, on a clock frozen at `moment` (SQLite, or PostgreSQL at `database_url`)."""
    clock = FixedClock(moment)
    spaces = Workspaces(tmp_path, clock, database_url=database_url)
    spaces.create(name, as_of="2026-11-04")
    return spaces, spaces.context(name), clock


def assert_books_balance(db) -> None:
    """The global invariants, checked by the ledger's own verifier and once more by plain SQL."""
    assert ledger.verify(db) == []
    conn = db.conn
    assert conn.execute("SELECT sum(balance) FROM accounts").fetchone()[0] == 0
    assert conn.execute(
        "SELECT count(*) FROM (SELECT movement_id FROM postings GROUP BY movement_id HAVING sum(amount) <> 0)"
    ).fetchone()[0] == 0
    assert conn.execute(
        "SELECT count(*) FROM accounts a WHERE a.balance <> (SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_no = a.no)"
    ).fetchone()[0] == 0


def snapshot(db) -> dict:
    """Everything a refused request must leave untouched."""
    conn = db.conn
    return {
        "balances": dict(conn.execute("SELECT id, balance FROM accounts").fetchall()),
        "statuses": dict(conn.execute("SELECT id, status FROM accounts").fetchall()),
        **{table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
           for table in ("postings", "movements", "transfers", "mandates", "debits", "idempotency", "consents")},
    }


def pick(ctx, bank_code=None, kind="individual", minimum=0, exclude=()):
    """An active customer account matching the wish, richest first."""
    found = [a for a in accounts.list_accounts(ctx, limit=500)["accounts"]
             if a["status"] == "active" and a["customer_kind"] == kind and a["balance"] >= minimum
             and (bank_code is None or a["bank_code"] == bank_code) and a["id"] not in exclude]
    assert found, f"no {kind} account in {bank_code} with {minimum} yen"
    return max(found, key=lambda a: a["balance"])


def to(account, name=None) -> dict:
    """The payee coordinates of an account, as a transfer request names them."""
    return {"bank_code": account["bank_code"], "branch_code": account["branch_code"],
            "account_type": account["account_type"], "account_number": account["account_number"],
            "name": name or account["holder_kana"]}
