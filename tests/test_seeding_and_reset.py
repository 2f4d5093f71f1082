"""Seeding is deterministic and realistic; a reset brings back the seeded state exactly."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from books import THURSDAY_10AM, assert_books_balance, pick, to
from engines import INTEGRITY_ERRORS, digest, module_database_url, postgres  # noqa: F401 - fixtures: both engines
from sandbox.actions import accounts, statements, transfers
from sandbox.actions.directory import real_bank_codes
from sandbox.domain.clock import FixedClock
from sandbox.domain.kana import to_zengin
from sandbox.workspaces import Workspaces


dump_hash = digest


@pytest.fixture(scope="module")
def spaces(tmp_path_factory, module_database_url):
    spaces = Workspaces(tmp_path_factory.mktemp("seeding"), FixedClock(THURSDAY_10AM), database_url=module_database_url)
    spaces.create("one", seed=7, as_of="2026-11-04")
    spaces.create("two", seed=7, as_of="2026-11-04")
    spaces.create("other", seed=8, as_of="2026-11-04")
    return spaces


def test_seeding_same_profile_seed_and_date_give_identical_data(spaces):
    assert dump_hash(spaces.database("one")) == dump_hash(spaces.database("two"))


def test_seeding_another_seed_gives_other_data(spaces):
    assert dump_hash(spaces.database("one")) != dump_hash(spaces.database("other"))


def test_seeding_the_default_profile_looks_like_three_japanese_banks(spaces):
    db = spaces.database("one")
    banks = db.conn.execute("SELECT code FROM banks").fetchall()
    assert len(banks) == 3 and not {code for (code,) in banks} & real_bank_codes()
    for (code,) in banks:
        assert db.conn.execute("SELECT count(*) FROM branches WHERE bank_code = ?", (code,)).fetchone()[0] >= 2
        kinds = dict(db.conn.execute("SELECT kind, count(*) FROM customers WHERE bank_code = ? GROUP BY kind", (code,)))
        assert kinds == {"individual": 50, "corporate": 10}
    per_customer = Counter(c for (c,) in db.conn.execute("SELECT customer_id FROM accounts WHERE kind = 'customer'"))
    assert set(per_customer.values()) <= {1, 2, 3}
    for name, kana in db.conn.execute("SELECT holder_name, holder_kana FROM accounts WHERE kind = 'customer'"):
        assert to_zengin(kana) == kana, kana
        assert name and name != kana
    descriptions = {d for (d,) in db.conn.execute("SELECT description FROM postings")}
    assert any(d.startswith("ｷﾕｳﾖ") for d in descriptions)
    assert {"ﾃﾞﾝｷﾘﾖｳｷﾝ", "ｶﾞｽﾘﾖｳｷﾝ"} <= descriptions
    first, last = db.conn.execute("SELECT min(booked_on), max(booked_on) FROM postings").fetchone()
    assert first == "2026-08-06"  # 90 days before the as-of date: the opening balances
    assert "2026-10-28" <= last <= "2026-11-04"
    balances = sorted(b for (b,) in db.conn.execute("SELECT balance FROM accounts WHERE kind = 'customer'"))
    assert balances[0] > 0 and balances[-1] > 100 * balances[len(balances) // 2] / 10  # a spread, not a constant
    assert_books_balance(db)


def test_reset_restores_the_seeded_state_exactly(spaces):
    ctx = spaces.context("one")
    pristine = dump_hash(spaces.database("one"))
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0992")
    transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=12_345)
    transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=1_000, execution_date="2026-11-10")
    assert dump_hash(spaces.database("one")) != pristine
    result = spaces.reset("one")
    assert result["generation"] >= 1
    assert dump_hash(spaces.database("one")) == pristine
    assert accounts.balance(spaces.context("one"), payer["id"])["balance"] == payer["balance"]


def test_reset_is_seen_by_a_connection_another_thread_holds(spaces):
    ctx = spaces.context("two")
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    seen = {}

    def other_thread():
        own = spaces.context("two")
        seen["before"] = accounts.balance(own, payer["id"])["balance"]
        ready.set()
        resetted.wait(10)
        seen["after"] = accounts.balance(spaces.context("two"), payer["id"])["balance"]

    ready, resetted = threading.Event(), threading.Event()
    thread = threading.Thread(target=other_thread)
    transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=5_000)
    thread.start()
    ready.wait(10)
    spaces.reset("two")
    resetted.set()
    thread.join(10)
    assert seen["before"] < payer["balance"]
    assert seen["after"] == payer["balance"]


def test_reset_of_a_large_history_keeps_statements(spaces):
    ctx = spaces.context("other")
    account = pick(ctx, "0991")
    lines = statements.statement(ctx, account["id"], limit=500)["lines"]
    spaces.reset("other")
    assert statements.statement(spaces.context("other"), account["id"], limit=500)["lines"] == lines


def test_ledger_guards_the_database_refuses_an_unbalanced_movement(spaces):
    db = spaces.database("one")
    conn = db.conn
    account_no = conn.execute("SELECT no FROM accounts WHERE kind = 'customer' LIMIT 1").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
                     " VALUES (999999, ?, 100, 0, '2026-11-05', 'x')", (account_no,))
        with pytest.raises(INTEGRITY_ERRORS, match="sum to zero"):
            conn.execute("INSERT INTO movements (id, kind, booked_at) VALUES (999999, 'forged', '2026-11-05T10:00:00+09:00')")
    finally:
        conn.execute("ROLLBACK")
    assert_books_balance(db)


def test_ledger_guards_postings_are_immutable_and_sealed(spaces):
    conn = spaces.database("one").conn
    with pytest.raises(INTEGRITY_ERRORS, match="immutable"):
        conn.execute("UPDATE postings SET amount = amount + 1 WHERE id = 1")
    with pytest.raises(INTEGRITY_ERRORS, match="immutable"):
        conn.execute("DELETE FROM postings WHERE id = 1")
    movement, account_no = conn.execute("SELECT movement_id, account_no FROM postings WHERE id = 1").fetchone()
    with pytest.raises(INTEGRITY_ERRORS, match="sealed"):
        conn.execute("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
                     " VALUES (?, ?, 1, 0, '2026-11-05', 'x')", (movement, account_no))


def test_ledger_guards_a_balance_cannot_pass_its_overdraft_limit(spaces):
    conn = spaces.database("one").conn
    account_id = conn.execute("SELECT id FROM accounts WHERE kind = 'customer' AND overdraft_limit = 0 LIMIT 1").fetchone()[0]
    with pytest.raises(INTEGRITY_ERRORS, match="(?i)check"):
        conn.execute("UPDATE accounts SET balance = -1 WHERE id = ?", (account_id,))
