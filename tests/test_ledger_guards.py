"""The database itself refuses unsound books, whoever writes to it (sandbox.store.schema's triggers and checks).

Each test writes raw SQL past the Python code, inside a transaction it rolls back, and shows that
the database (SQLite or PostgreSQL) raises an integrity error and the books are as they were.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.domain.calendar import JST
from sandbox.domain.money import Leg, Movement
from sandbox.store import ledger
from sandbox.store.database import pipeline, write

from engines import INTEGRITY_ERRORS, database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

POSTING = "INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) VALUES (?, ?, ?, 0, '2026-11-05', 'TEST')"
NOW = datetime(2026, 11, 5, 10, 0, tzinfo=JST)


@pytest.fixture
def books_db(seeded, books):
    """The seeded workspace's database, with its books checked sound before and after the test."""
    db = seeded.db
    books.check(db)
    before = books.snapshot(db)
    yield db
    assert not db.conn.in_transaction, "the test left a transaction open"
    assert books.snapshot(db) == before
    books.check(db)


def _account(db, kind="customer", overdraft=None, minimum=0):
    clauses = ["kind = ?", "balance >= ?"]
    params = [kind, minimum]
    if overdraft is not None:
        clauses.append("overdraft_limit > 0" if overdraft else "overdraft_limit = 0")
    row = db.conn.execute(
        f"SELECT no, balance, overdraft_limit FROM accounts WHERE {' AND '.join(clauses)} ORDER BY balance DESC LIMIT 1", params
    ).fetchone()
    assert row is not None
    return row


def _next_movement(db) -> int:
    return db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM movements").fetchone()[0]


def _rejected(db, *statements, message: str | None = None):
    """Run the statements in one transaction; assert the last raises IntegrityError; roll back."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements[:-1]:
            conn.execute(sql, params)
        sql, params = statements[-1]
        with pytest.raises(INTEGRITY_ERRORS, match=message):
            conn.execute(sql, params)
    finally:
        conn.execute("ROLLBACK")


def test_ledger_guards_a_movement_whose_postings_do_not_sum_to_zero_is_refused(books_db):
    payer, _, _ = _account(books_db, minimum=10_000)
    fee_income, _, _ = _account(books_db, kind="internal")
    movement = _next_movement(books_db)
    _rejected(
        books_db,
        (POSTING, (movement, payer, -1_000)),
        (POSTING, (movement, fee_income, 999)),
        ("INSERT INTO movements (id, kind, booked_at) VALUES (?, 'transfer', '2026-11-05T10:00:00+09:00')", (movement,)),
        message="sum to zero",
    )


def test_ledger_guards_a_movement_of_one_posting_is_refused(books_db):
    payer, _, _ = _account(books_db, minimum=10_000)
    movement = _next_movement(books_db)
    _rejected(
        books_db,
        (POSTING, (movement, payer, -1_000)),
        ("INSERT INTO movements (id, kind, booked_at) VALUES (?, 'transfer', '2026-11-05T10:00:00+09:00')", (movement,)),
        message="two or more",
    )


def test_ledger_guards_a_movement_without_postings_is_refused(books_db):
    _rejected(
        books_db,
        ("INSERT INTO movements (id, kind, booked_at) VALUES (?, 'transfer', '2026-11-05T10:00:00+09:00')",
         (_next_movement(books_db),)),
        message="two or more",
    )


def test_ledger_guards_postings_never_sealed_by_a_movement_cannot_commit(books_db):
    payer, _, _ = _account(books_db, minimum=10_000)
    other, _, _ = _account(books_db, kind="internal")
    movement = _next_movement(books_db)
    conn = books_db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(POSTING, (movement, payer, -1_000))
        conn.execute(POSTING, (movement, other, 1_000))
        with pytest.raises(INTEGRITY_ERRORS):
            conn.execute("COMMIT")  # the deferred foreign key to movements
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def test_ledger_guards_a_balanced_movement_is_accepted(books_db):
    # The control for the refusals above: the same raw SQL, balanced, goes through (then is rolled back).
    payer, balance, _ = _account(books_db, minimum=10_000)
    other, _, _ = _account(books_db, kind="internal")
    movement = _next_movement(books_db)
    conn = books_db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(POSTING, (movement, payer, -1_000))
        conn.execute(POSTING, (movement, other, 1_000))
        conn.execute("INSERT INTO movements (id, kind, booked_at) VALUES (?, 'transfer', '2026-11-05T10:00:00+09:00')", (movement,))
        assert conn.execute("SELECT balance FROM accounts WHERE no = ?", (payer,)).fetchone()[0] == balance - 1_000
    finally:
        conn.execute("ROLLBACK")


@pytest.mark.parametrize("sql", [
    "UPDATE postings SET amount = amount + 1 WHERE id = (SELECT max(id) FROM postings)",
    "UPDATE postings SET description = 'ﾃｲｾｲ' WHERE id = 1",
    "UPDATE postings SET account_no = account_no WHERE id = 1",
    "UPDATE postings SET movement_id = movement_id + 1 WHERE id = 1",
])
def test_ledger_guards_postings_cannot_be_updated(books_db, sql):
    _rejected(books_db, (sql, ()), message="immutable")


@pytest.mark.parametrize("sql", [
    "DELETE FROM postings WHERE id = (SELECT max(id) FROM postings)",
    "DELETE FROM postings",
])
def test_ledger_guards_postings_cannot_be_deleted(books_db, sql):
    _rejected(books_db, (sql, ()), message="immutable")


def test_ledger_guards_a_posting_added_to_a_sealed_movement_is_refused(books_db):
    sealed = books_db.conn.execute("SELECT max(id) FROM movements").fetchone()[0]
    payer, _, _ = _account(books_db, minimum=10_000)
    other, _, _ = _account(books_db, kind="internal")
    # Even a balanced pair cannot join a movement already written.
    _rejected(books_db, (POSTING, (sealed, payer, -1_000)), message="sealed")
    _rejected(books_db, (POSTING, (sealed, other, 1_000)), message="sealed")


def test_ledger_guards_a_posting_to_an_account_that_does_not_exist_is_refused(books_db):
    # By the database's key, not only by `ledger.post` (whose legs name accounts by id), on both engines.
    payer, _, _ = _account(books_db, minimum=10_000)
    nowhere = books_db.conn.execute("SELECT max(no) + 1000 FROM accounts").fetchone()[0]
    movement = _next_movement(books_db)
    _rejected(books_db, (POSTING, (movement, nowhere, 1_000)), message="(?i)foreign key")
    # In one statement with a posting to an account that exists, the whole statement is refused.
    _rejected(books_db, ("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) "
                         "VALUES (?, ?, -1000, 0, '2026-11-05', 'TEST'), (?, ?, 1000, 0, '2026-11-05', 'TEST')",
                         (movement, payer, movement, nowhere)), message="(?i)foreign key")


def test_ledger_guards_an_account_with_postings_cannot_be_deleted_or_renumbered(books_db):
    payer, _, _ = _account(books_db, minimum=10_000)
    free = books_db.conn.execute("SELECT max(no) + 1000 FROM accounts").fetchone()[0]
    _rejected(books_db, ("DELETE FROM accounts WHERE no = ?", (payer,)), message="(?i)foreign key")
    _rejected(books_db, ("UPDATE accounts SET no = ? WHERE no = ?", (free, payer)), message="(?i)foreign key")


def test_ledger_guards_a_zero_posting_is_refused(books_db):
    payer, _, _ = _account(books_db)
    _rejected(books_db, (POSTING, (_next_movement(books_db), payer, 0)), message="(?i)check constraint")


def test_ledger_guards_a_customer_balance_cannot_go_below_zero_without_an_overdraft(books_db):
    account, balance, _ = _account(books_db, overdraft=False, minimum=1)
    other, _, _ = _account(books_db, kind="internal")
    movement = _next_movement(books_db)
    _rejected(books_db, (POSTING, (movement, other, balance + 1)), (POSTING, (movement, account, -(balance + 1))),
              message="(?i)check constraint")


def test_ledger_guards_a_customer_balance_stops_at_its_overdraft_limit(books_db):
    account, balance, limit = _account(books_db, overdraft=True)
    other, _, _ = _account(books_db, kind="internal")
    conn = books_db.conn
    movement = _next_movement(books_db)
    # Down to exactly minus the limit is allowed ...
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(POSTING, (movement, account, -(balance + limit)))
        assert conn.execute("SELECT balance FROM accounts WHERE no = ?", (account,)).fetchone()[0] == -limit
    finally:
        conn.execute("ROLLBACK")
    # ... one yen further is not.
    _rejected(books_db, (POSTING, (movement, other, balance + limit + 1)), (POSTING, (movement, account, -(balance + limit + 1))),
              message="(?i)check constraint")


def test_ledger_guards_a_customer_balance_cannot_be_set_below_its_limit_directly(books_db):
    account, _, limit = _account(books_db, overdraft=False)
    _rejected(books_db, ("UPDATE accounts SET balance = -1 WHERE no = ?", (account,)), message="(?i)check constraint")


def test_ledger_guards_an_internal_account_may_go_negative(books_db):
    # Clearing and suspense accounts carry negative balances by design; the limit is for customers only.
    internal, balance, _ = _account(books_db, kind="internal")
    payee, _, _ = _account(books_db)
    conn = books_db.conn
    movement = _next_movement(books_db)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(POSTING, (movement, internal, -(balance + 5_000)))
        conn.execute(POSTING, (movement, payee, balance + 5_000))
        conn.execute("INSERT INTO movements (id, kind, booked_at) VALUES (?, 'test', '2026-11-05T10:00:00+09:00')", (movement,))
        assert conn.execute("SELECT balance FROM accounts WHERE no = ?", (internal,)).fetchone()[0] == -5_000
    finally:
        conn.execute("ROLLBACK")


def test_ledger_post_writes_a_balanced_movement_with_running_balances(seeded, books):
    db = seeded.db
    payer_no, payer_id, payer_balance = db.conn.execute(
        "SELECT no, id, balance FROM accounts WHERE kind = 'customer' ORDER BY balance DESC LIMIT 1").fetchone()
    fee_no, fee_id, fee_balance = db.conn.execute(
        "SELECT no, id, balance FROM accounts WHERE kind = 'internal' AND purpose = 'fee_income' LIMIT 1").fetchone()
    with write(db):
        movement = ledger.post(db, Movement("fee", (Leg(payer_id, -330, "ﾃｽｳﾘﾖｳ"), Leg(fee_id, 330, "ﾃｽｳﾘﾖｳ"))), NOW, "test")
    rows = db.conn.execute("SELECT account_no, amount, balance_after FROM postings WHERE movement_id = ? ORDER BY id", (movement,)).fetchall()
    assert rows == [(payer_no, -330, payer_balance - 330), (fee_no, 330, fee_balance + 330)]
    books.check(db)


def test_ledger_post_keeps_a_running_balance_for_an_account_with_several_legs(seeded, books):
    # A payer's amount and its fee are two legs of one movement: the second leg's balance follows the first.
    db = seeded.db
    (payer_no, payer_id, payer_balance), (other_no, other_id, other_balance) = db.conn.execute(
        "SELECT no, id, balance FROM accounts WHERE kind = 'customer' ORDER BY balance DESC, id LIMIT 2").fetchall()
    fee_no, fee_id, fee_balance = db.conn.execute(
        "SELECT no, id, balance FROM accounts WHERE kind = 'internal' AND purpose = 'fee_income' LIMIT 1").fetchone()
    legs = (Leg(payer_id, -1_000, "ﾌﾘｺﾐ"), Leg(other_id, 1_000, "ﾌﾘｺﾐ"), Leg(payer_id, -330, "ﾃｽｳﾘﾖｳ"),
            Leg(fee_id, 330, "ﾃｽｳﾘﾖｳ"), Leg(payer_id, -7, "ﾃｽｳﾘﾖｳ"), Leg(fee_id, 7, "ﾃｽｳﾘﾖｳ"))
    with write(db):
        movement = ledger.post(db, Movement("transfer", legs), NOW, "test")
    rows = db.conn.execute("SELECT account_no, amount, balance_after FROM postings WHERE movement_id = ? ORDER BY id",
                           (movement,)).fetchall()
    assert rows == [(payer_no, -1_000, payer_balance - 1_000), (other_no, 1_000, other_balance + 1_000),
                    (payer_no, -330, payer_balance - 1_330), (fee_no, 330, fee_balance + 330),
                    (payer_no, -7, payer_balance - 1_337), (fee_no, 7, fee_balance + 337)]
    assert db.conn.execute("SELECT balance FROM accounts WHERE no = ?", (payer_no,)).fetchone()[0] == payer_balance - 1_337
    books.check(db)


def test_ledger_post_splits_a_long_movement_and_its_running_balances_carry_on(seeded, books):
    # A bulk transfer's movement may have thousands of legs: written in several statements, in order.
    db = seeded.db
    payer_no, payer_id, payer_balance = db.conn.execute(
        "SELECT no, id, balance FROM accounts WHERE kind = 'customer' ORDER BY balance DESC, id LIMIT 1").fetchone()
    payees = db.conn.execute("SELECT no, id, balance FROM accounts WHERE kind = 'customer' AND id <> ? ORDER BY id LIMIT 3",
                             (payer_id,)).fetchall()
    count = ledger.LEGS_PER_STATEMENT + 51  # two statements, a payee's legs in both
    legs = []
    for n in range(count):
        payee = payees[n % 3]
        legs += [Leg(payer_id, -(n + 1), "ﾌﾘｺﾐ"), Leg(payee[1], n + 1, "ﾌﾘｺﾐ")]
    with write(db):
        movement = ledger.post(db, Movement("bulk_transfer", tuple(legs)), NOW, "test")
    rows = db.conn.execute("SELECT account_no, amount, balance_after FROM postings WHERE movement_id = ? ORDER BY id",
                           (movement,)).fetchall()
    running = {payer_no: payer_balance, **{no: balance for no, _, balance in payees}}
    expected = []
    for leg in legs:
        no = payer_no if leg.account_id == payer_id else next(p[0] for p in payees if p[1] == leg.account_id)
        running[no] += leg.amount
        expected.append((no, leg.amount, running[no]))
    assert rows == expected
    books.check(db)


def test_ledger_post_to_an_unknown_account_writes_nothing(seeded, books):
    db = seeded.db
    before = books.snapshot(db)
    payer_id = db.conn.execute("SELECT id FROM accounts WHERE kind = 'customer' ORDER BY balance DESC LIMIT 1").fetchone()[0]
    with pytest.raises(ledger.LedgerError):
        with write(db):
            ledger.post(db, Movement("transfer", (Leg(payer_id, -100, "x"), Leg("acc_nowhere", 100, "x"))), NOW)
    assert books.snapshot(db) == before


def test_ledger_post_to_an_unknown_account_in_a_pipeline_writes_nothing(seeded, books):
    # As a transfer posts: with its other writes queued on PostgreSQL, the refusal comes at the next answer.
    db = seeded.db
    before = books.snapshot(db)
    payer_id = db.conn.execute("SELECT id FROM accounts WHERE kind = 'customer' ORDER BY balance DESC LIMIT 1").fetchone()[0]
    with pytest.raises((ledger.LedgerError, *INTEGRITY_ERRORS)):
        with pipeline(db), write(db):
            ledger.post(db, Movement("transfer", (Leg(payer_id, -100, "x"), Leg("acc_nowhere", 100, "x"))), NOW)
            db.conn.execute("INSERT INTO daily_totals (account_id, day, amount) VALUES (?, '2026-11-05', 100)", (payer_id,))
    assert books.snapshot(db) == before
    assert db.conn.execute("SELECT count(*) FROM daily_totals WHERE account_id = ? AND day = '2026-11-05'",
                           (payer_id,)).fetchone()[0] == 0


def test_ledger_verify_reports_books_tampered_behind_the_guards(seeded):
    # With the triggers lifted (as only a bulk load may), a skewed balance and an edited posting are found.
    db = seeded.db
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in ("postings_move_balance", "postings_immutable_update"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE accounts SET balance = balance + 1 WHERE no = (SELECT max(no) FROM accounts WHERE kind = 'customer')")
        conn.execute("UPDATE postings SET amount = amount + 7 WHERE id = 1")
        problems = ledger.verify(db)
    finally:
        conn.execute("ROLLBACK")
    assert any("not zero" in p for p in problems)
    assert any("postings summing to" in p for p in problems)
    assert any("but postings sum to" in p for p in problems)
    assert any("wrong balance after" in p for p in problems)
    assert ledger.verify(db) == []  # the rollback restored the triggers and the books
