"""Worked banking stories: each runs the core actions on a real seeded workspace and ends with the books."""

from __future__ import annotations

from datetime import datetime

import pytest

from books import assert_books_balance, pick, to, workspace
from sandbox.actions import accounts, debits, statements, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.errors import SandboxError


def balance(ctx, account) -> int:
    return accounts.balance(ctx, account["id"])["balance"]


def internal(ctx, bank_code, purpose) -> int:
    return ctx.db.conn.execute(
        "SELECT balance FROM accounts WHERE kind = 'internal' AND bank_code = ? AND purpose = ?", (bank_code, purpose)
    ).fetchone()[0]


def test_story_salary_arrives_from_a_company_at_another_sandbox_bank(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    employer = pick(ctx, "0991", "corporate", minimum=1_000_000)
    employee = pick(ctx, "0990")
    before_employer, before_employee = balance(ctx, employer), balance(ctx, employee)
    transfer = transfers.create(ctx, from_account_id=employer["id"], to=to(employee), amount=250_000, memo="11月分給与")
    assert transfer["status"] == "executed" and transfer["destination"] == "sandbox"
    assert transfer["fee"] == 145  # つばめ銀行 charges 145 yen to other banks
    assert balance(ctx, employee) == before_employee + 250_000
    assert balance(ctx, employer) == before_employer - 250_000 - 145
    line = statements.statement(ctx, employee["id"], date_from="2026-11-05")["lines"][-1]
    assert line["direction"] == "credit" and line["amount"] == 250_000
    assert line["description"] == f"ﾌﾘｺﾐ {employer['holder_kana']}"[:48]
    assert_books_balance(ctx.db)


def test_story_rent_after_cutoff_on_the_friday_before_a_monday_holiday_runs_on_tuesday(tmp_path):
    # 2027-01-08 is a Friday; Monday 2027-01-11 is Coming-of-Age Day; Tuesday 2027-01-12 is a business day.
    friday_4pm = datetime(2027, 1, 8, 16, 0, tzinfo=JST)
    spaces, ctx, clock = workspace(tmp_path, friday_4pm)
    tenant = pick(ctx, "0992", minimum=200_000)  # 星空信用金庫: no モアタイム, cut-off 14:30
    landlord = pick(ctx, "0990", "corporate")
    before = balance(ctx, tenant)
    transfer = transfers.create(ctx, from_account_id=tenant["id"], to=to(landlord), amount=85_000)
    assert transfer["status"] == "scheduled"
    assert transfer["execution_date"] == "2027-01-12"
    assert balance(ctx, tenant) == before
    for moment in (datetime(2027, 1, 9, 12, 0, tzinfo=JST), datetime(2027, 1, 11, 10, 0, tzinfo=JST),
                   datetime(2027, 1, 12, 8, 0, tzinfo=JST)):
        clock.set(moment)
        assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}
        assert transfers.get(ctx, transfer["id"])["status"] == "scheduled"
    clock.set(datetime(2027, 1, 12, 9, 0, tzinfo=JST))
    assert transfers.run_due(ctx)["executed"] == [transfer["id"]]
    done = transfers.get(ctx, transfer["id"])
    assert done["status"] == "executed" and done["executed_at"].startswith("2027-01-12")
    assert balance(ctx, tenant) == before - 85_000 - 770  # other bank, 30,000 yen or more
    assert_books_balance(ctx.db)


def test_story_an_instant_debit_bounces_for_insufficient_funds_then_succeeds(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    collector = pick(ctx, "0991", "corporate")
    payer = pick(ctx, "0991", exclude={collector["id"]})
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"],
                                    customer_reference="CUST-0001")
    assert mandate["status"] == "active"
    too_much = payer["available_balance"] + 1
    with pytest.raises(SandboxError) as refused:
        debits.create_debit(ctx, mandate_id=mandate["id"], amount=too_much)
    assert refused.value.code == "insufficient_funds"
    assert balance(ctx, payer) == payer["balance"]
    assert balance(ctx, collector) == collector["balance"]
    debit = debits.create_debit(ctx, mandate_id=mandate["id"], amount=3_000, description="チャージ")
    assert debit["status"] == "executed"
    assert balance(ctx, payer) == payer["balance"] - 3_000
    assert balance(ctx, collector) == collector["balance"] + 3_000
    assert_books_balance(ctx.db)


def test_story_a_transfer_to_another_sandbox_bank_moves_both_clearing_accounts(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0992")
    clearing_a, clearing_b = internal(ctx, "0990", "clearing"), internal(ctx, "0992", "clearing")
    fees = internal(ctx, "0990", "fee_income")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=40_000)
    assert transfer["route"] == "other_bank" and transfer["fee"] == 440
    assert internal(ctx, "0990", "clearing") == clearing_a + 40_000
    assert internal(ctx, "0992", "clearing") == clearing_b - 40_000
    assert internal(ctx, "0990", "fee_income") == fees + 440
    assert balance(ctx, payee) == payee["balance"] + 40_000
    lines = statements.statement(ctx, payer["id"], date_from="2026-11-05")["lines"]
    assert [(l["direction"], l["amount"], l["description"]) for l in lines[-2:]] == [
        ("debit", 40_000, f"ﾌﾘｺﾐ {payee['holder_kana']}"[:48]), ("debit", 440, "ﾃｽｳﾘｮｳ")]
    assert lines[-1]["balance_after"] == balance(ctx, payer)
    assert_books_balance(ctx.db)


def test_story_a_transfer_to_a_real_bank_outside_the_sandbox_goes_to_suspense(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    payer = pick(ctx, "0990", minimum=50_000)
    suspense = internal(ctx, "0990", "suspense")
    outside = {"bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567",
               "name": "ﾔﾏﾀﾞ ﾀﾛｳ"}
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=outside, amount=12_000)
    assert transfer["destination"] == "external" and transfer["status"] == "executed" and transfer["fee"] == 330
    assert internal(ctx, "0990", "suspense") == suspense + 12_000
    assert balance(ctx, payer) == payer["balance"] - 12_330
    assert_books_balance(ctx.db)


def test_story_a_scheduled_transfer_is_cancelled_and_never_runs(tmp_path):
    _, ctx, clock = workspace(tmp_path)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=10_000, execution_date="2026-11-10")
    assert transfer["status"] == "scheduled" and transfer["execution_date"] == "2026-11-10"
    cancelled = transfers.cancel(ctx, transfer["id"])
    assert cancelled["status"] == "cancelled"
    clock.set(datetime(2026, 11, 10, 9, 0, tzinfo=JST))
    assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}
    with pytest.raises(SandboxError) as again:
        transfers.cancel(ctx, transfer["id"])
    assert again.value.code == "not_cancellable"
    assert balance(ctx, payer) == payer["balance"]
    assert_books_balance(ctx.db)


def test_story_a_scheduled_transfer_fails_when_the_money_is_gone_by_its_date(tmp_path):
    _, ctx, clock = workspace(tmp_path)
    payer = next(a for a in accounts.list_accounts(ctx, bank_code="0990", limit=500)["accounts"]
                 if a["customer_kind"] == "individual" and 100_000 < a["available_balance"] < 900_000)
    payee = pick(ctx, "0991")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=payer["available_balance"] - 1_000,
                                execution_date="2026-11-06")
    transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=5_000)
    clock.set(datetime(2026, 11, 6, 9, 0, tzinfo=JST))
    assert transfers.run_due(ctx)["failed"] == [transfer["id"]]
    failed = transfers.get(ctx, transfer["id"])
    assert failed["status"] == "failed" and failed["failure_code"] == "insufficient_funds"
    assert_books_balance(ctx.db)


def test_story_a_returned_transfer_gives_the_amount_back_but_not_the_fee(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0990", kind="corporate")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=20_000)
    returned = transfers.return_transfer(ctx, transfer["id"], reason="account_closed")
    assert returned["status"] == "returned"
    assert balance(ctx, payer) == payer["balance"] - transfer["fee"]
    assert balance(ctx, payee) == payee["balance"]
    with pytest.raises(SandboxError) as twice:
        transfers.return_transfer(ctx, transfer["id"])
    assert twice.value.code == "not_returnable"
    assert_books_balance(ctx.db)


def test_story_a_frozen_account_refuses_money_in_and_out(tmp_path):
    _, ctx, _ = workspace(tmp_path)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    ctx.db.conn.execute("UPDATE accounts SET status = 'frozen' WHERE id = ?", (payee["id"],))
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=1_000)
    assert refused.value.code == "account_frozen"
    ctx.db.conn.execute("UPDATE accounts SET status = 'closed' WHERE id = ?", (payer["id"],))
    with pytest.raises(SandboxError) as closed:
        transfers.create(ctx, from_account_id=payer["id"], to=to(pick(ctx, "0992")), amount=1_000)
    assert closed.value.code == "account_closed"
    assert_books_balance(ctx.db)
