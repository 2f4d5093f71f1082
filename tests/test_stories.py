"""Worked banking stories: each runs the core actions on a real seeded workspace and ends with the books.

The banks of the default profile: 楓銀行 (0990, cut-off 15:00, モアタイム), つばめ銀行 (0991, other-bank
fee 145 yen, モアタイム) and 星空信用金庫 (0992, cut-off 14:30, no モアタイム, other-bank fee 550/770).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.actions import accounts, beneficiaries, debits, statements, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.errors import SandboxError

KAEDE, TSUBAME, HOSHIZORA = "0990", "0991", "0992"


def jst(*parts) -> datetime:
    return datetime(*parts, tzinfo=JST)


def last_line(ctx, account_id: str) -> dict:
    lines = statements.statement(ctx, account_id, limit=500)
    while lines["next_cursor"]:
        lines = statements.statement(ctx, account_id, limit=500, cursor=lines["next_cursor"])
    return lines["lines"][-1]


def movement_lines(ctx, transfer: dict) -> list[tuple[str, int]]:
    """The (account id, amount) legs of the movement that executed `transfer`."""
    return ctx.db.conn.execute(
        "SELECT a.id, p.amount FROM postings p JOIN accounts a ON a.no = p.account_no WHERE p.movement_id = ? ORDER BY p.id",
        (transfer["movement_id"],),
    ).fetchall()


def test_story_salary_arrives_from_a_company_at_another_sandbox_bank(seeded, books):
    ctx = seeded.ctx
    employer = books.pick(ctx, TSUBAME, "corporate", minimum=1_000_000)
    employee = books.pick(ctx, KAEDE, "individual")
    clearing = {bank: books.internal(ctx, bank, "clearing") for bank in (KAEDE, TSUBAME)}
    fee_income = books.internal(ctx, TSUBAME, "fee_income")

    salary = transfers.create(ctx, from_account_id=employer["id"], to=books.payee(employee), amount=285_000, memo="11月分給与")

    assert salary["status"] == "executed" and salary["destination"] == "sandbox" and salary["route"] == "other_bank"
    assert salary["fee"] == 145 and salary["total"] == 285_145
    assert books.balance(ctx, employee["id"]) == employee["balance"] + 285_000
    assert books.balance(ctx, employer["id"]) == employer["balance"] - 285_145
    assert books.internal(ctx, TSUBAME, "clearing") == clearing[TSUBAME] + 285_000
    assert books.internal(ctx, KAEDE, "clearing") == clearing[KAEDE] - 285_000
    assert books.internal(ctx, TSUBAME, "fee_income") == fee_income + 145
    line = last_line(ctx, employee["id"])
    assert (line["direction"], line["amount"], line["date"]) == ("credit", 285_000, "2026-11-05")
    assert line["description"] == f"ﾌﾘｺﾐ {employer['holder_kana']}"[:48]
    assert line["balance_after"] == employee["balance"] + 285_000
    books.check(ctx.db)


@pytest.mark.parametrize("friday, closed_days, execution_day", [
    # Monday 2027-01-11 is 成人の日: the transfer runs on Tuesday 2027-01-12.
    (jst(2027, 1, 8, 16, 0), [jst(2027, 1, 9, 12), jst(2027, 1, 10, 9), jst(2027, 1, 11, 10)], "2027-01-12"),
    # Monday 2026-09-21 敬老の日, Tuesday 国民の休日, Wednesday 秋分の日: it runs on Thursday 2026-09-24.
    (jst(2026, 9, 18, 16, 0), [jst(2026, 9, 21, 10), jst(2026, 9, 22, 10), jst(2026, 9, 23, 15)], "2026-09-24"),
])
def test_story_rent_after_cutoff_on_the_friday_before_a_monday_holiday(make_workspace, books, friday, closed_days, execution_day):
    seeded = make_workspace(friday, as_of=(friday.date()).isoformat())
    ctx, clock = seeded.ctx, seeded.clock
    tenant = books.pick(ctx, HOSHIZORA, "individual", minimum=200_000)  # no モアタイム, cut-off 14:30
    landlord = books.pick(ctx, KAEDE, "corporate")
    hoshizora_fees = books.internal(ctx, HOSHIZORA, "fee_income")
    assert transfers.quote_fee(ctx, tenant["id"], KAEDE, landlord["branch_code"], 85_000)["fee"] == 770

    rent = transfers.create(ctx, from_account_id=tenant["id"], to=books.payee(landlord), amount=85_000, memo="家賃")

    assert rent["status"] == "scheduled" and rent["execution_date"] == execution_day and rent["fee"] == 770
    assert rent["movement_id"] is None and rent["executed_at"] is None
    untouched = books.snapshot(ctx.db)
    for moment in closed_days:
        clock.set(moment)
        assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}
    clock.set(datetime.fromisoformat(f"{execution_day}T08:29:00+09:00"))  # the day has come, core time has not
    assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}
    assert books.snapshot(ctx.db) == untouched
    assert transfers.get(ctx, rent["id"])["status"] == "scheduled"

    clock.set(datetime.fromisoformat(f"{execution_day}T09:00:00+09:00"))
    assert transfers.run_due(ctx) == {"executed": [rent["id"]], "failed": [], "held": [], "returned": []}

    done = transfers.get(ctx, rent["id"])
    assert done["status"] == "executed" and done["executed_at"] == f"{execution_day}T09:00:00+09:00"
    assert books.balance(ctx, tenant["id"]) == tenant["balance"] - 85_000 - 770
    assert books.balance(ctx, landlord["id"]) == landlord["balance"] + 85_000
    assert books.internal(ctx, HOSHIZORA, "fee_income") == hoshizora_fees + 770
    assert last_line(ctx, landlord["id"])["date"] == execution_day
    assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}  # and never twice
    books.check(ctx.db)


def test_story_an_instant_debit_bounces_for_insufficient_funds_then_succeeds(seeded, books):
    ctx = seeded.ctx
    collector = books.pick(ctx, KAEDE, "corporate")
    payer = books.pick(ctx, TSUBAME, "individual", minimum=10_000)
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"],
                                    customer_reference="CARD-0001")
    assert mandate["status"] == "active" and mandate["collector_name"] == collector["holder_kana"]
    before = books.snapshot(ctx.db)

    with pytest.raises(SandboxError) as bounced:
        debits.create_debit(ctx, mandate_id=mandate["id"], amount=payer["available_balance"] + 1, idempotency_key="charge-1")

    assert bounced.value.code == "insufficient_funds"
    assert bounced.value.details == {"available": payer["available_balance"], "required": payer["available_balance"] + 1}
    assert books.snapshot(ctx.db) == before  # no partial debit, no failed row, no idempotency record

    debit = debits.create_debit(ctx, mandate_id=mandate["id"], amount=3_000, description="チャージ", idempotency_key="charge-1")

    assert debit["status"] == "executed" and debit["amount"] == 3_000
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 3_000  # no fee on a debit
    assert books.balance(ctx, collector["id"]) == collector["balance"] + 3_000
    payer_line, collector_line = last_line(ctx, payer["id"]), last_line(ctx, collector["id"])
    assert (payer_line["direction"], payer_line["amount"]) == ("debit", 3_000)
    assert payer_line["description"].startswith("ｺｳﾌﾘ ")
    assert (collector_line["direction"], collector_line["amount"]) == ("credit", 3_000)
    assert debits.get_debit(ctx, debit["id"]) == debit
    books.check(ctx.db)


def test_story_a_transfer_to_another_sandbox_bank_moves_both_clearing_accounts(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    clearing = {bank: books.internal(ctx, bank, "clearing") for bank in (KAEDE, TSUBAME)}
    inquiry = beneficiaries.inquire(ctx, TSUBAME, payee["branch_code"], payee["account_type"], payee["account_number"],
                                    name=payee["holder_kana"])
    assert inquiry["verified"] and inquiry["name_matches"] and inquiry["holder_kana"] == payee["holder_kana"]

    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=20_000)

    assert transfer["status"] == "executed" and transfer["fee"] == 330  # 楓銀行, other bank, under 30,000 yen
    assert transfer["to"]["account_id"] == payee["id"]
    assert books.internal(ctx, KAEDE, "clearing") == clearing[KAEDE] + 20_000
    assert books.internal(ctx, TSUBAME, "clearing") == clearing[TSUBAME] - 20_000
    assert sorted(movement_lines(ctx, transfer), key=lambda leg: leg[1]) == sorted([
        (payer["id"], -20_000), (ctx.internal_account(KAEDE, "clearing"), 20_000),
        (ctx.internal_account(TSUBAME, "clearing"), -20_000), (payee["id"], 20_000),
        (payer["id"], -330), (ctx.internal_account(KAEDE, "fee_income"), 330)], key=lambda leg: leg[1])
    credit = last_line(ctx, payee["id"])
    assert credit["direction"] == "credit" and credit["amount"] == 20_000
    assert credit["description"] == f"ﾌﾘｺﾐ {payer['holder_kana']}"[:48]
    assert credit["movement_id"] == transfer["movement_id"]
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 20_330
    books.check(ctx.db)


def test_story_a_transfer_within_one_branch_costs_nothing_and_touches_no_clearing(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, KAEDE, "corporate", exclude={payer["id"]})
    clearing = books.internal(ctx, KAEDE, "clearing")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=30_000)
    expected_route = "same_branch" if payer["branch_code"] == payee["branch_code"] else "same_bank"
    assert transfer["route"] == expected_route and transfer["destination"] == "internal"
    assert transfer["fee"] == {"same_branch": 0, "same_bank": 220}[expected_route]
    assert books.internal(ctx, KAEDE, "clearing") == clearing
    assert books.balance(ctx, payee["id"]) == payee["balance"] + 30_000
    books.check(ctx.db)


def test_story_a_transfer_to_a_real_bank_outside_the_sandbox_goes_to_suspense(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    suspense = books.internal(ctx, KAEDE, "suspense")
    outside = {"bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567", "name": "ｻﾄｳ ﾊﾅｺ"}
    inquiry = beneficiaries.inquire(ctx, "0001", "001", "1", "1234567", name="ｻﾄｳ ﾊﾅｺ")
    assert inquiry["verified"] is False and inquiry["holder_kana"] is None  # a real bank cannot be asked

    transfer = transfers.create(ctx, from_account_id=payer["id"], to=outside, amount=50_000)

    assert transfer["status"] == "executed" and transfer["destination"] == "external" and transfer["fee"] == 440
    assert transfer["to"]["account_id"] is None
    assert books.internal(ctx, KAEDE, "suspense") == suspense + 50_000
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 50_440
    assert sorted(movement_lines(ctx, transfer)) == sorted([
        (payer["id"], -50_000), (ctx.internal_account(KAEDE, "suspense"), 50_000),
        (payer["id"], -440), (ctx.internal_account(KAEDE, "fee_income"), 440)])
    books.check(ctx.db)


def test_story_a_scheduled_transfer_is_cancelled_and_never_runs(seeded, books):
    ctx, clock = seeded.ctx, seeded.clock
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=40_000,
                                execution_date="2026-11-16")
    assert transfer["status"] == "scheduled" and transfer["execution_date"] == "2026-11-16"
    before = books.snapshot(ctx.db)["balances"]

    cancelled = transfers.cancel(ctx, transfer["id"])

    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] == "2026-11-05T10:00:00+09:00"
    clock.set(jst(2026, 11, 16, 10, 0))
    assert transfers.run_due(ctx) == {"executed": [], "failed": [], "held": [], "returned": []}
    assert transfers.get(ctx, transfer["id"])["status"] == "cancelled"
    assert books.snapshot(ctx.db)["balances"] == before
    with pytest.raises(SandboxError) as again:
        transfers.cancel(ctx, transfer["id"])
    assert again.value.code == "not_cancellable" and again.value.details == {"status": "cancelled"}
    books.check(ctx.db)


def test_story_a_cancelled_transfer_gives_back_its_share_of_the_daily_limit(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual")  # 楓銀行 individuals: 1,000,000 per transfer, 2,000,000 a day
    payee = books.pick(ctx, TSUBAME, "individual")
    request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 1_000_000, "execution_date": "2026-11-16"}
    first = transfers.create(ctx, **request)
    transfers.create(ctx, **request)
    with pytest.raises(SandboxError) as over:
        transfers.create(ctx, **request)
    assert over.value.code == "limit_exceeded" and over.value.details["kind"] == "per_day"
    transfers.cancel(ctx, first["id"])
    assert transfers.create(ctx, **request)["status"] == "scheduled"
    books.check(ctx.db)


def test_story_an_executed_transfer_cannot_be_cancelled(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(books.pick(ctx, TSUBAME)), amount=1_000)
    with pytest.raises(SandboxError) as refused:
        transfers.cancel(ctx, transfer["id"])
    assert refused.value.code == "not_cancellable" and refused.value.details == {"status": "executed"}
    assert transfers.get(ctx, transfer["id"]) == transfer
    books.check(ctx.db)


def test_story_a_transfer_to_another_sandbox_bank_is_returned(seeded, books):
    ctx, clock = seeded.ctx, seeded.clock
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    clearing = {bank: books.internal(ctx, bank, "clearing") for bank in (KAEDE, TSUBAME)}
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=45_000)
    assert transfer["fee"] == 440
    clock.set(jst(2026, 11, 6, 11, 0))

    returned = transfers.return_transfer(ctx, transfer["id"], reason="wrong payee")

    assert returned["status"] == "returned" and returned["returned_at"] == "2026-11-06T11:00:00+09:00"
    assert returned["failure_code"] == "wrong payee"
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 440  # the amount comes back, the fee stays charged
    assert books.balance(ctx, payee["id"]) == payee["balance"]
    assert books.internal(ctx, KAEDE, "clearing") == clearing[KAEDE]
    assert books.internal(ctx, TSUBAME, "clearing") == clearing[TSUBAME]
    back = last_line(ctx, payer["id"])
    assert (back["direction"], back["amount"], back["date"]) == ("credit", 45_000, "2026-11-06")
    assert back["description"].startswith("ｸﾐﾓﾄﾞｼ")
    for again in (transfers.return_transfer, transfers.cancel):
        with pytest.raises(SandboxError) as refused:
            again(ctx, transfer["id"])
        assert refused.value.code in ("not_returnable", "not_cancellable")
        assert refused.value.details == {"status": "returned"}
    books.check(ctx.db)


def test_story_a_transfer_to_a_real_bank_is_returned_from_suspense(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, HOSHIZORA, "individual", minimum=100_000)
    suspense = books.internal(ctx, HOSHIZORA, "suspense")
    outside = {"bank_code": "0005", "branch_code": "001", "account_type": "1", "account_number": "7654321", "name": "ﾀﾅｶ ｲﾁﾛｳ"}
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=outside, amount=10_000)
    assert transfer["status"] == "executed" and transfer["fee"] == 550
    transfers.return_transfer(ctx, transfer["id"])
    assert books.internal(ctx, HOSHIZORA, "suspense") == suspense
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 550
    books.check(ctx.db)


def test_story_a_return_the_payee_can_no_longer_cover_is_refused(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual", maximum=50_000, type_="1")
    landlord = books.pick(ctx, TSUBAME, "corporate")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=20_000)
    spent = books.balance(ctx, payee["id"])
    transfers.create(ctx, from_account_id=payee["id"], to=books.payee(landlord), amount=spent)  # same bank: no fee
    before = books.snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        transfers.return_transfer(ctx, transfer["id"])
    assert refused.value.code == "insufficient_funds"
    assert books.snapshot(ctx.db) == before
    books.check(ctx.db)


def test_story_a_scheduled_transfer_the_payer_cannot_cover_fails_on_its_day(seeded, books):
    ctx, clock = seeded.ctx, seeded.clock
    payer = books.pick(ctx, HOSHIZORA, "individual", minimum=100_000, maximum=900_000)
    payee = books.pick(ctx, KAEDE, "individual")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=payer["balance"],
                                execution_date="2026-11-09")
    assert transfer["status"] == "scheduled"  # funds are checked when it runs, not when it is booked
    clock.set(jst(2026, 11, 9, 9, 0))
    before = books.snapshot(ctx.db)["balances"]

    assert transfers.run_due(ctx) == {"executed": [], "failed": [transfer["id"]], "held": [], "returned": []}

    failed = transfers.get(ctx, transfer["id"])
    assert failed["status"] == "failed" and failed["failure_code"] == "insufficient_funds"  # the fee did not fit
    assert books.snapshot(ctx.db)["balances"] == before
    with pytest.raises(SandboxError) as refused:
        transfers.cancel(ctx, transfer["id"])
    assert refused.value.code == "not_cancellable"
    books.check(ctx.db)


def test_story_a_day_of_mixed_business_keeps_the_books(seeded, books):
    # Salary, rent after cut-off, a debit and a transfer out of the sandbox, then the next morning's run.
    ctx, clock = seeded.ctx, seeded.clock
    employer = books.pick(ctx, KAEDE, "corporate", minimum=1_000_000)
    worker = books.pick(ctx, HOSHIZORA, "individual")
    collector = books.pick(ctx, TSUBAME, "corporate")
    transfers.create(ctx, from_account_id=employer["id"], to=books.payee(worker), amount=300_000)
    mandate = debits.create_mandate(ctx, payer_account_id=worker["id"], collector_account_id=collector["id"])
    debits.create_debit(ctx, mandate_id=mandate["id"], amount=12_345)
    clock.set(jst(2026, 11, 5, 17, 0))
    rent = transfers.create(ctx, from_account_id=worker["id"], to=books.payee(collector), amount=90_000)
    assert rent["status"] == "scheduled" and rent["execution_date"] == "2026-11-06"
    abroad = transfers.create(ctx, from_account_id=employer["id"], amount=5_000, to={
        "bank_code": "0009", "branch_code": "001", "account_type": "1", "account_number": "0000001", "name": "ｽｽﾞｷ ｼﾞﾛｳ"})
    assert abroad["status"] == "scheduled"  # 楓銀行 takes モアタイム, a bank outside the sandbox does not
    clock.set(jst(2026, 11, 6, 8, 30))
    assert sorted(transfers.run_due(ctx)["executed"]) == sorted([rent["id"], abroad["id"]])
    assert books.balance(ctx, worker["id"]) == worker["balance"] + 300_000 - 12_345 - 90_000 - 770
    books.check(ctx.db)


def test_story_a_clock_set_in_utc_still_keeps_japanese_days(make_workspace, books):
    # 23:45 UTC on Wednesday is 08:45 JST on Thursday: a server whose frozen clock was given in UTC
    # must still date the passbook and run Thursday's transfers by the Japanese day.
    seeded = make_workspace(jst(2026, 11, 4, 15, 0))
    ctx, clock = seeded.ctx, seeded.clock
    payer = books.pick(ctx, HOSHIZORA, "individual", minimum=100_000)
    payee = books.pick(ctx, KAEDE, "individual")
    clock.set(jst(2026, 11, 4, 16, 0))  # after 星空信用金庫's cut-off: runs on Thursday
    rent = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=50_000)
    assert rent["execution_date"] == "2026-11-05"
    clock.set(datetime.fromisoformat("2026-11-04T23:45:00+00:00"))

    assert transfers.run_due(ctx)["executed"] == [rent["id"]]

    assert last_line(ctx, payee["id"])["date"] == "2026-11-05"
    assert transfers.get(ctx, rent["id"])["executed_at"] == "2026-11-05T08:45:00+09:00"
    books.check(ctx.db)


def test_story_a_company_draws_on_its_overdraft_and_no_further(seeded, books):
    ctx = seeded.ctx
    account_id, limit = ctx.db.conn.execute(
        "SELECT id, overdraft_limit FROM accounts WHERE kind = 'customer' AND status = 'active' AND overdraft_limit > 0"
        " ORDER BY balance, id LIMIT 1").fetchone()
    company = accounts.load(ctx, account_id)
    assert company["available_balance"] == company["balance"] + limit
    supplier = books.pick(ctx, TSUBAME if company["bank_code"] != TSUBAME else KAEDE, "corporate")
    amount = company["balance"] + limit // 2

    paid = transfers.create(ctx, from_account_id=company["id"], to=books.payee(supplier), amount=amount)

    assert paid["status"] == "executed"
    balance = books.balance(ctx, company["id"])
    assert balance == company["balance"] - amount - paid["fee"] < 0  # overdrawn, within the limit
    left = balance + limit
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, from_account_id=company["id"], to=books.payee(supplier), amount=left)
    assert refused.value.code == "insufficient_funds"  # the amount fits the overdraft, the other-bank fee does not
    assert refused.value.details["required"] > left
    books.check(ctx.db)


@pytest.mark.parametrize("payee_bank, status, execution_date", [
    (TSUBAME, "executed", "2026-11-05"),     # モアタイム on both sides: at once, at any hour
    (HOSHIZORA, "scheduled", "2026-11-06"),  # the payee's bank takes no モアタイム: the next business day
])
def test_story_an_evening_transfer_runs_at_once_only_if_both_banks_take_moretime(make_workspace, books, payee_bank,
                                                                                 status, execution_date):
    seeded = make_workspace(jst(2026, 11, 5, 19, 30))
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, payee_bank, "individual")
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=10_000)
    assert (transfer["status"], transfer["execution_date"]) == (status, execution_date)
    books.check(ctx.db)


def test_story_a_payee_named_as_people_type_it_is_matched_in_zengin_kana(seeded, books):
    import jaconv

    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    typed = jaconv.kata2hira(jaconv.h2z(payee["holder_kana"], kana=True, ascii=True, digit=True))  # full-width hiragana
    assert typed != payee["holder_kana"]
    transfer = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee, name=typed), amount=5_000)
    assert transfer["status"] == "executed" and transfer["to"]["name"] == payee["holder_kana"]
    unspaced = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee, name=typed.replace("\u3000", "")),
                                amount=5_000)
    assert unspaced["status"] == "executed"  # the name check ignores spacing, as banks' checks do
    assert books.balance(ctx, payee["id"]) == payee["balance"] + 10_000
    books.check(ctx.db)


def test_story_an_instant_debit_runs_on_a_saturday_night(make_workspace, books):
    seeded = make_workspace(jst(2026, 11, 7, 23, 30))
    ctx = seeded.ctx
    payer = books.pick(ctx, HOSHIZORA, "individual", minimum=10_000)  # even at a bank without モアタイム
    collector = books.pick(ctx, KAEDE, "corporate")
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    debit = debits.create_debit(ctx, mandate_id=mandate["id"], amount=1_980)
    assert debit["status"] == "executed" and debit["created_at"] == "2026-11-07T23:30:00+09:00"
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 1_980
    assert last_line(ctx, collector["id"])["date"] == "2026-11-07"
    books.check(ctx.db)


def test_story_a_debit_under_an_expired_or_revoked_mandate_is_refused(seeded, books):
    ctx, clock = seeded.ctx, seeded.clock
    payer = books.pick(ctx, KAEDE, "individual", minimum=10_000)
    collector = books.pick(ctx, KAEDE, "corporate")
    expiring = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"],
                                     customer_reference="GYM", expires_on="2026-11-10")
    revoked = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"],
                                    customer_reference="PHONE")
    debits.revoke_mandate(ctx, revoked["id"])
    assert debits.create_debit(ctx, mandate_id=expiring["id"], amount=1_000)["status"] == "executed"
    clock.set(jst(2026, 11, 11, 10, 0))
    assert debits.get_mandate(ctx, expiring["id"])["status"] == "expired"
    before = books.snapshot(ctx.db)
    for mandate, status in ((expiring, "expired"), (revoked, "revoked")):
        with pytest.raises(SandboxError) as refused:
            debits.create_debit(ctx, mandate_id=mandate["id"], amount=1_000)
        assert refused.value.code == "mandate_inactive" and refused.value.details == {"status": status}
    assert books.snapshot(ctx.db) == before
    books.check(ctx.db)
