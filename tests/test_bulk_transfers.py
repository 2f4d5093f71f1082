"""Bulk transfers (総合振込): the Zengin codec, the core action over a real ledger, and both dialects over HTTP.

A batch is checked item by item and refused whole when any item is bad; it runs on its date at the
payer bank's cut-off as one movement (one debit of the amounts, one of the fees, a credit per payee);
it can be cancelled before then, and one executed item can be returned. Every story ends with the
books' invariants.
"""

from __future__ import annotations

import base64
import random
import threading
import time
import uuid
from datetime import datetime

import httpx
import live_server
import pytest

from sandbox.actions import accounts, bulk_transfers, clock, transfers
from sandbox.domain import zengin
from sandbox.domain.calendar import JST, next_business_day
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError

LIVE_SERVER = {}
FRIDAY = "2026-11-06"  # the business day after the seeded workspaces' Thursday
OUTSIDE_BANK = {"bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567",
                "name": "ｿﾄ ﾉ ｷﾞﾝｺｳ"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JST)


def move_clock(seeded, moment: str) -> dict:
    """Set the workspace's clock as the control plane does: what falls due runs."""
    return clock.set_clock(seeded.ctx, mode="set", to=moment)


def bulk_tables(db) -> dict:
    return {table: sorted(db.conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in ("bulk_transfers", "bulk_transfer_items")}


def sample_file(payments=None) -> zengin.BulkFile:
    header = zengin.Header("0000012345", "ｶ)ｶｴﾃﾞｼﾖｳｼﾞ", "1106", "0990", "001", "1", "1234567",
                           bank_name="ｶｴﾃﾞ", branch_name="ﾎﾝﾃﾝ")
    payments = payments or (
        zengin.Payment("0991", "310", "1", "5856117", "ﾜﾀﾅﾍﾞ ﾏｲ", 45_000, bank_name="ﾂﾊﾞﾒ", reference="0000000001"),
        zengin.Payment("0001", "001", "2", "0000001", "ｶ)ﾐﾅﾄｼﾖｳｶｲ", 1_200_000, reference="INV2026110001", edi=True),
    )
    return zengin.BulkFile(header, tuple(payments))


def record_of(data: bytes, number: int) -> bytes:
    return data.split(b"\r\n")[number - 1]


def with_record(data: bytes, number: int, record: bytes) -> bytes:
    lines = data.split(b"\r\n")
    lines[number - 1] = record
    return b"\r\n".join(lines)


# --- the codec ------------------------------------------------------------------------------------

def test_zengin_round_trip_with_and_without_line_breaks():
    bulk = sample_file()
    with_breaks = zengin.dump(bulk)
    assert len(with_breaks) == 5 * 122 and all(len(r) == 120 for r in with_breaks.split(b"\r\n")[:-1])
    assert zengin.parse(with_breaks) == bulk
    assert zengin.parse(zengin.dump(bulk, line_break=b"")) == bulk
    assert zengin.parse(zengin.dump(bulk, line_break=b"\n")) == bulk
    # The same file as text, and as UTF-8 bytes (a file saved by a modern editor), reads the same.
    text = with_breaks.decode("cp932")
    assert zengin.parse(text) == bulk
    assert zengin.parse(text.encode("utf-8")) == bulk
    assert bulk.total == 1_245_000 and record_of(with_breaks, 4)[1:7] == b"000002"


def test_zengin_refuses_a_record_of_the_wrong_length():
    data = zengin.dump(sample_file())
    short = with_record(data, 2, record_of(data, 2)[:-1])
    with pytest.raises(SandboxError) as refused:
        zengin.parse(short)
    assert refused.value.code == "invalid_zengin_file" and refused.value.details["record"] == 2
    with pytest.raises(SandboxError) as refused:
        zengin.parse(zengin.dump(sample_file(), line_break=b"")[:-5])
    assert refused.value.code == "invalid_zengin_file" and "whole number of 120-byte records" in refused.value.message


@pytest.mark.parametrize("name", ["山田ﾀﾛｳ", "ﾀﾛｳ@ﾔﾏﾀﾞ"])
def test_zengin_refuses_a_name_outside_the_zengin_set(name):
    data = zengin.dump(sample_file())
    record = record_of(data, 2)
    # The name field: columns 51-80. A kanji takes two bytes, so the record keeps its 120 bytes.
    raw = name.encode("cp932")
    bad = record[:50] + raw + b" " * (30 - len(raw)) + record[80:]
    assert len(bad) == 120
    with pytest.raises(SandboxError) as refused:
        zengin.parse(with_record(data, 2, bad))
    assert refused.value.code == "invalid_kana" and refused.value.details["record"] == 2
    assert refused.value.details.get("field", "name") == "name"


@pytest.mark.parametrize("field, start, width, value", [("count", 1, 6, b"000003"), ("total", 7, 12, b"000001245001")])
def test_zengin_refuses_a_trailer_that_does_not_add_up(field, start, width, value):
    data = zengin.dump(sample_file())
    trailer = record_of(data, 4)
    with pytest.raises(SandboxError) as refused:
        zengin.parse(with_record(data, 4, trailer[:start] + value + trailer[start + width:]))
    assert refused.value.code == "invalid_zengin_file"
    assert refused.value.details == {"record": 4, "field": field}


@pytest.mark.parametrize("breakage, record", [
    (lambda d: with_record(d, 1, b"111" + record_of(d, 1)[3:]), 1),          # a salary file (種別 11)
    (lambda d: d.rsplit(b"\r\n", 2)[0], 4),                                  # no end record
    (lambda d: with_record(d, 2, record_of(d, 2)[:80] + b"00004500X0" + record_of(d, 2)[90:]), 2),  # amount
    (lambda d: with_record(d, 2, b"3" + record_of(d, 2)[1:]), 2),            # an unknown record kind
])
def test_zengin_refuses_a_file_of_the_wrong_shape(breakage, record):
    with pytest.raises(SandboxError) as refused:
        zengin.parse(breakage(zengin.dump(sample_file())))
    assert refused.value.code == "invalid_zengin_file" and refused.value.details["record"] == record


# --- the core -------------------------------------------------------------------------------------

@pytest.fixture
def parties(seeded, books):
    """A rich corporate payer at 楓銀行, a payee at another of its branches, and one at つばめ銀行."""
    return three_parties(seeded.ctx, books)


def three_parties(ctx, books):
    """A rich corporate payer at 楓銀行, a payee at another of its branches, and one at つばめ銀行."""
    payer = books.pick(ctx, "0990", kind="corporate", minimum=5_000_000)
    same_branch = tuple(row[0] for row in ctx.db.conn.execute(
        "SELECT id FROM accounts WHERE kind = 'customer' AND bank_code = '0990' AND branch_code = ?",
        (payer["branch_code"],)))
    return payer, books.pick(ctx, "0990", exclude=same_branch), books.pick(ctx, "0991")


def items_for(books, same_bank, other_bank, amounts=(10_000, 50_000, 70_000)):
    return [{"to": books.payee(same_bank), "amount": amounts[0], "client_reference": "0000000001"},
            {"to": books.payee(other_bank), "amount": amounts[1]},
            {"to": OUTSIDE_BANK, "amount": amounts[2], "client_reference": "INV-3"}]


def test_bulk_transfers_execute_on_their_date_at_the_cutoff_as_one_movement(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    before = {a["id"]: books.balance(ctx, a["id"]) for a in parties}
    suspense = books.internal(ctx, "0990", "suspense")
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=items_for(books, same_bank, other_bank))
    # Fees by route and amount: another branch under 30,000 (110), other banks over it (440 each).
    assert (batch["status"], batch["item_count"], batch["total_amount"], batch["total_fee"]) == ("scheduled", 3, 130_000, 990)
    assert batch["item_counts"]["scheduled"] == 3 and batch["execution_date"] == FRIDAY

    assert move_clock(seeded, f"{FRIDAY}T14:59:00+09:00")["bulk_transfers"]["executed"] == []
    assert books.balance(ctx, payer["id"]) == before[payer["id"]]
    ran = move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    assert ran["bulk_transfers"]["executed"] == [batch["id"]]

    done = bulk_transfers.get(ctx, batch["id"])
    assert (done["status"], done["debited"], done["item_counts"]["executed"]) == ("executed", 130_990, 3)
    assert books.balance(ctx, payer["id"]) == before[payer["id"]] - 130_990
    assert books.balance(ctx, same_bank["id"]) == before[same_bank["id"]] + 10_000
    assert books.balance(ctx, other_bank["id"]) == before[other_bank["id"]] + 50_000
    assert books.internal(ctx, "0990", "suspense") == suspense + 70_000
    payer_lines = ctx.db.conn.execute(
        "SELECT p.amount, p.description FROM postings p JOIN accounts a ON a.no = p.account_no"
        " WHERE p.movement_id = ? AND a.id = ? ORDER BY p.id", (done["movement_id"], payer["id"])).fetchall()
    assert payer_lines == [(-130_000, "ｿｳｺﾞｳﾌﾘｺﾐ 3ｹﾝ"), (-990, "ﾃｽｳﾘｮｳ")]
    page = bulk_transfers.list_items(ctx, batch["id"], limit=2)
    assert [i["item_no"] for i in page["items"]] == [1, 2] and page["next_cursor"] == "2"
    rest = bulk_transfers.list_items(ctx, batch["id"], cursor=page["next_cursor"])
    assert [(i["item_no"], i["status"], i["client_reference"]) for i in rest["items"]] == [(3, "executed", "INV-3")]
    books.check(ctx.db)


def test_bulk_transfers_refuse_bad_items_all_at_once_and_change_nothing(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    items = [
        {"to": books.payee(same_bank), "amount": 1_000},                                  # good
        {"to": {**books.payee(other_bank), "name": "ｼﾞﾂﾊﾍﾞﾂｼﾞﾝ"}, "amount": 1_000},          # name mismatch
        {"to": {**OUTSIDE_BANK, "bank_code": "0002"}, "amount": 1_000},                    # no such bank
        {"to": {**books.payee(same_bank), "name": "山田"}, "amount": 1_000},               # not kana
        {"to": books.payee(same_bank), "amount": 0},                                       # no amount
        {"to": {**books.payee(same_bank), "account_type": "7"}, "amount": 1_000},          # no such type
        {"to": books.payee(payer), "amount": 1_000},                                       # itself
        {"to": books.payee(same_bank), "amount": 200_000_000},                             # per-transfer limit
        "not an item",
    ]
    state, tables = books.snapshot(ctx.db), bulk_tables(ctx.db)
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, from_account_id=payer["id"], items=items, execution_date=FRIDAY)
    assert refused.value.code == "invalid_bulk_items" and refused.value.details["refused"] == 8
    assert [(i["item"], i["code"]) for i in refused.value.details["items"]] == [
        (2, "beneficiary_name_mismatch"), (3, "unknown_bank"), (4, "invalid_kana"), (5, "invalid_amount"),
        (6, "invalid_account_type"), (7, "same_account"), (8, "limit_exceeded"), (9, "invalid_request")]
    assert books.snapshot(ctx.db) == state and bulk_tables(ctx.db) == tables


@pytest.mark.parametrize("change, code", [
    (lambda r: {**r, "items": []}, "invalid_request"),
    (lambda r: {**r, "items": r["items"] * 5000}, "invalid_request"),          # 10,000 items
    (lambda r: {**r, "execution_date": "2026-11-07"}, "non_business_day"),     # a Saturday
    (lambda r: {**r, "execution_date": "2026-11-04"}, "past_execution_date"),
    (lambda r: {**r, "from_account_id": "acc_nobody"}, "account_not_found"),
])
def test_bulk_transfers_refuse_a_bad_batch_and_change_nothing(seeded, books, parties, change, code):
    ctx = seeded.ctx
    payer, same_bank, _ = parties
    request = {"from_account_id": payer["id"], "items": [{"to": books.payee(same_bank), "amount": 1_000}] * 2}
    state, tables = books.snapshot(ctx.db), bulk_tables(ctx.db)
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, **change(request))
    assert refused.value.code == code
    assert books.snapshot(ctx.db) == state and bulk_tables(ctx.db) == tables


def test_bulk_transfers_after_the_cutoff_run_the_next_business_day(make_workspace, books):
    seeded = make_workspace(moment=at("2026-11-05T15:30:00"))
    ctx = seeded.ctx
    payer = books.pick(ctx, "0990", kind="corporate", minimum=1_000_000)
    payee = books.pick(ctx, "0992")
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], items=[{"to": books.payee(payee), "amount": 5_000}])
    assert batch["execution_date"] == FRIDAY
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date="2026-11-05",
                              items=[{"to": books.payee(payee), "amount": 5_000}])
    assert refused.value.code == "cutoff_passed"


def test_bulk_transfers_cancel_before_execution_and_never_run(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    before = books.balance(ctx, payer["id"])
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=items_for(books, same_bank, other_bank))
    day_total = "SELECT amount FROM daily_totals WHERE account_id = ? AND day = ?"
    assert ctx.db.conn.execute(day_total, (payer["id"], FRIDAY)).fetchone()[0] >= 130_000
    cancelled = bulk_transfers.cancel(ctx, batch["id"])
    assert cancelled["status"] == "cancelled" and cancelled["item_counts"]["cancelled"] == 3
    assert ctx.db.conn.execute(day_total, (payer["id"], FRIDAY)).fetchone()[0] == 0
    assert move_clock(seeded, f"{FRIDAY}T16:00:00+09:00")["bulk_transfers"]["executed"] == []
    assert books.balance(ctx, payer["id"]) == before
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.cancel(ctx, batch["id"])
    assert refused.value.code == "not_cancellable"
    executed = bulk_transfers.create(ctx, from_account_id=payer["id"], items=items_for(books, same_bank, other_bank),
                                     execution_date="2026-11-09")
    move_clock(seeded, "2026-11-09T15:00:00+09:00")
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.cancel(ctx, executed["id"])
    assert refused.value.code == "not_cancellable"
    books.check(ctx.db)


def test_bulk_transfers_return_one_item_and_keep_its_fee(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=items_for(books, same_bank, other_bank))
    move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    payer_before, payee_before = books.balance(ctx, payer["id"]), books.balance(ctx, other_bank["id"])
    returned = bulk_transfers.return_item(ctx, batch["id"], 2, reason="wrong_account")
    assert (returned["status"], returned["failure_code"], returned["item_no"]) == ("returned", "wrong_account", 2)
    assert books.balance(ctx, payer["id"]) == payer_before + 50_000
    assert books.balance(ctx, other_bank["id"]) == payee_before - 50_000
    counts = bulk_transfers.get(ctx, batch["id"])["item_counts"]
    assert (counts["executed"], counts["returned"]) == (2, 1)
    outside = bulk_transfers.return_item(ctx, batch["id"], "3")  # money back from outside, through suspense
    assert outside["status"] == "returned"
    for item_no, code in ((2, "not_returnable"), (4, "bulk_transfer_not_found"), (0, "invalid_request")):
        with pytest.raises(SandboxError) as refused:
            bulk_transfers.return_item(ctx, batch["id"], item_no)
        assert refused.value.code == code
    books.check(ctx.db)


def test_bulk_transfers_fail_whole_when_the_payer_cannot_pay(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, "0990", kind="corporate", minimum=100_000)
    payee = books.pick(ctx, "0991")
    amount = payer["available_balance"] // 2 + 1
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=[{"to": books.payee(payee), "amount": amount}] * 2)
    before = books.snapshot(ctx.db)["balances"]
    ran = move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    assert ran["bulk_transfers"]["failed"] == [batch["id"]]
    failed = bulk_transfers.get(ctx, batch["id"])
    assert (failed["status"], failed["failure_code"], failed["item_counts"]["failed"]) == ("failed", "insufficient_funds", 2)
    assert books.snapshot(ctx.db)["balances"] == before
    books.check(ctx.db)


def test_bulk_transfers_an_item_to_a_frozen_account_fails_alone(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    before = books.balance(ctx, payer["id"])
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=items_for(books, same_bank, other_bank))
    with ctx.db.conn:
        ctx.db.conn.execute("UPDATE accounts SET status = 'frozen' WHERE id = ?", (other_bank["id"],))
    move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    done = bulk_transfers.get(ctx, batch["id"])
    assert (done["status"], done["item_counts"]["executed"], done["item_counts"]["failed"]) == ("executed", 2, 1)
    assert done["debited"] == 10_000 + 110 + 70_000 + 440
    assert books.balance(ctx, payer["id"]) == before - done["debited"]
    failed = bulk_transfers.list_items(ctx, batch["id"], status="failed")["items"]
    assert [(i["item_no"], i["failure_code"]) for i in failed] == [(2, "account_frozen")]
    books.check(ctx.db)


def test_bulk_transfers_with_no_payee_left_fail_whole(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=[{"to": books.payee(same_bank), "amount": 1_000},
                                         {"to": books.payee(other_bank), "amount": 2_000}])
    with ctx.db.conn:
        ctx.db.conn.execute("UPDATE accounts SET status = 'closed' WHERE id = ?", (same_bank["id"],))
        ctx.db.conn.execute("UPDATE accounts SET status = 'frozen' WHERE id = ?", (other_bank["id"],))
    before = books.snapshot(ctx.db)["balances"]
    assert move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")["bulk_transfers"]["failed"] == [batch["id"]]
    failed = bulk_transfers.list_items(ctx, batch["id"])
    assert failed["bulk_transfer"]["status"] == "failed" and books.snapshot(ctx.db)["balances"] == before
    assert [i["failure_code"] for i in failed["items"]] == ["account_closed", "account_frozen"]
    books.check(ctx.db)


def test_bulk_transfers_of_a_connector_tell_it_and_wait_while_it_is_suspended(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    ctx.connector_id = "cn_books"
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY,
                                  items=items_for(books, same_bank, other_bank))
    ctx.held = frozenset({"cn_books"})
    assert move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")["bulk_transfers"]["held"] == [batch["id"]]
    assert bulk_transfers.get(ctx, batch["id"])["status"] == "scheduled"
    ctx.held = frozenset()
    assert bulk_transfers.run_due(ctx)["executed"] == [batch["id"]]
    bulk_transfers.return_item(ctx, batch["id"], 1)
    events = ctx.db.conn.execute("SELECT type, resource_id, connector_id FROM events ORDER BY id").fetchall()
    assert events == [("bulk_transfer.created", batch["id"], "cn_books"), ("bulk_transfer.executed", batch["id"], "cn_books"),
                      ("bulk_transfer.item_returned", batch["id"], "cn_books")]
    books.check(ctx.db)


def test_bulk_transfers_idempotency_key_answers_the_first_batch(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    request = {"from_account_id": payer["id"], "execution_date": FRIDAY, "items": items_for(books, same_bank, other_bank)}
    first = bulk_transfers.create(ctx, **request, idempotency_key="batch-1")
    assert bulk_transfers.create(ctx, **request, idempotency_key="batch-1")["id"] == first["id"]
    assert ctx.db.conn.execute("SELECT count(*) FROM bulk_transfers").fetchone()[0] == 1
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, **{**request, "execution_date": "2026-11-09"}, idempotency_key="batch-1")
    assert refused.value.code == "idempotency_conflict"


def zengin_file_for(payer: dict, payees: list[dict], mmdd: str = "1106", amount: int = 3_000) -> zengin.BulkFile:
    header = zengin.Header("0000000042", "ｶｴﾃﾞｼﾖｳｼﾞ(ｶ", mmdd, payer["bank_code"], payer["branch_code"],
                           payer["account_type"], payer["account_number"])
    return zengin.BulkFile(header, tuple(
        zengin.Payment(p["bank_code"], p["branch_code"], p["account_type"], p["account_number"], p["holder_kana"],
                       amount + n, reference=f"{n:010d}") for n, p in enumerate(payees, start=1)))


def test_bulk_transfers_take_a_zengin_file(seeded, books, parties):
    ctx = seeded.ctx
    payer, same_bank, other_bank = parties
    data = zengin.dump(zengin_file_for(payer, [same_bank, other_bank]))
    batch = bulk_transfers.create(ctx, file=data)
    assert (batch["source"], batch["execution_date"], batch["payer_name"], batch["requester_code"]) == (
        "zengin", FRIDAY, "ｶｴﾃﾞｼﾖｳｼﾞ(ｶ", "0000000042")
    assert batch["total_amount"] == 3_001 + 3_002 and batch["from_account_id"] == payer["id"]
    items = bulk_transfers.list_items(ctx, batch["id"])["items"]
    assert [i["client_reference"] for i in items] == ["0000000001", "0000000002"]
    # The same file as base64 text (how a request document carries bytes that are not UTF-8).
    again = bulk_transfers.create(ctx, file=base64.b64encode(data).decode("ascii"))
    assert again["total_amount"] == batch["total_amount"]
    # A header's MMDD that has passed this year means next year's day, which is too far ahead.
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, file=zengin.dump(zengin_file_for(payer, [same_bank], mmdd="1104")))
    assert refused.value.code == "execution_date_too_far"
    with pytest.raises(SandboxError) as refused:
        bulk_transfers.create(ctx, file=zengin.dump(zengin_file_for(payer, [same_bank], mmdd="1340")))
    assert refused.value.code == "invalid_date"
    move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    books.check(ctx.db)


def test_bulk_transfers_of_9999_items_execute_within_bounds(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, "0990", kind="corporate", minimum=20_000_000)
    payees = [accounts.load(ctx, row[0]) for row in ctx.db.conn.execute(
        "SELECT id FROM accounts WHERE kind = 'customer' AND status = 'active' AND id <> ?", (payer["id"],))]
    items = [{"to": books.payee(payees[n % len(payees)]), "amount": 1_000 + n % 7} for n in range(zengin.MAX_PAYMENTS)]
    batch = bulk_transfers.create(ctx, from_account_id=payer["id"], execution_date=FRIDAY, items=items)
    ctx.clock = FixedClock(at(f"{FRIDAY}T15:00:00"))
    started = time.perf_counter()
    ran = bulk_transfers.run_due(ctx)
    elapsed = time.perf_counter() - started
    assert ran["executed"] == [batch["id"]]
    assert elapsed < 10, f"9,999 items took {elapsed:.2f} s to execute"  # ~0.1 s measured: see docs/benchmarks.md
    done = bulk_transfers.get(ctx, batch["id"])
    assert done["item_counts"]["executed"] == zengin.MAX_PAYMENTS and done["debited"] == done["total"]
    books.check(ctx.db)


def test_bulk_transfers_race_single_transfers_and_cancellations_without_overdraft(seeded, books):
    """Threads submit and cancel batches and send single transfers from one payer; then the day runs."""
    ctx = seeded.ctx
    payer = books.pick(ctx, "0990", kind="corporate", minimum=1_000_000)
    payees = [books.pick(ctx, bank, exclude=(payer["id"],)) for bank in ("0990", "0991", "0992")]
    budget = payer["available_balance"]
    # Each batch asks for about a tenth of the payer's money: not every one that runs can be paid.
    share = budget // 10 // 3
    errors, made = [], []

    def worker(n: int) -> None:
        rng = random.Random(n)
        wctx = seeded.spaces.context(seeded.name)
        for step in range(12):
            try:
                if step % 3 == 2:
                    transfers.create(wctx, from_account_id=payer["id"], to=books.payee(rng.choice(payees)),
                                     amount=rng.randint(1_000, share), idempotency_key=f"t-{n}-{step}")
                    continue
                batch = bulk_transfers.create(
                    wctx, from_account_id=payer["id"], execution_date=FRIDAY, idempotency_key=f"b-{n}-{step}",
                    items=[{"to": books.payee(p), "amount": rng.randint(1_000, share)} for p in payees])
                made.append(batch["id"])
                if rng.random() < 0.3:
                    bulk_transfers.cancel(wctx, batch["id"])
            except SandboxError as refusal:
                if refusal.code not in ("insufficient_funds", "limit_exceeded"):
                    errors.append(repr(refusal))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(made) > 10
    move_clock(seeded, f"{FRIDAY}T15:00:00+09:00")
    rows = ctx.db.conn.execute(
        "SELECT status, debited, total_amount + total_fee FROM bulk_transfers WHERE from_account_id = ?", (payer["id"],)
    ).fetchall()
    assert {status for status, _, _ in rows} <= {"executed", "failed", "cancelled"}
    assert any(status == "executed" for status, _, _ in rows)
    assert all(debited == total for status, debited, total in rows if status == "executed")
    after = accounts.load(ctx, payer["id"])
    assert after["balance"] >= -after["overdraft_limit"]
    books.check(ctx.db)


# --- over HTTP: the hub and 楓銀行 --------------------------------------------------------------------

@pytest.fixture(scope="module")
def http_parties(live, books):
    return three_parties(live.workspaces.context("default"), books)


class Patient(httpx.HTTPTransport):
    """Waits out a busy sandbox (503 with Retry-After, as it sheds load) and sends again, as a connector should."""

    def handle_request(self, request):
        for _ in range(10):
            response = super().handle_request(request)
            if response.status_code != 503 or "Retry-After" not in response.headers:
                return response
            response.read()
            response.close()
            time.sleep(float(response.headers["Retry-After"]))
        return response


@pytest.fixture(scope="module")
def api(live):
    """A connector's client without a token: the live server lets development callers through."""
    with httpx.Client(base_url=live.url, timeout=30, transport=Patient()) as client:
        yield client


@pytest.fixture(scope="module")
def control(live):
    """The control plane with the admin token (to move the workspace's clock)."""
    with httpx.Client(base_url=live.url, timeout=30, transport=Patient(),
                      headers={"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"}) as client:
        yield client


def test_hub_bulk_transfers_by_json_and_by_file_over_http(live, control, api, http_parties, books):
    payer, same_bank, other_bank = http_parties
    hub = "/hub/v1/bulk-transfers"
    created = api.post(hub, headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "from_account_id": payer["id"], "execution_date": FRIDAY, "items": items_for(books, same_bank, other_bank)})
    assert created.status_code == 201, created.text
    batch = created.json()
    assert created.headers["Location"] == f"{hub}/{batch['id']}" and batch["status"] == "scheduled"

    shift_jis = zengin.dump(zengin_file_for(payer, [same_bank, other_bank]))
    by_bytes = api.post(hub, content=shift_jis, headers={"Content-Type": "application/octet-stream"})
    assert by_bytes.status_code == 201, by_bytes.text
    by_text = api.post(hub, content=shift_jis.decode("cp932").encode("utf-8"),
                         headers={"Content-Type": "text/plain; charset=utf-8"})
    assert by_text.status_code == 201 and by_text.json()["source"] == "zengin"

    declared = api.post(hub, content=shift_jis, headers={"Content-Type": "text/plain; charset=Shift_JIS"})
    assert declared.status_code == 201 and declared.json()["total_amount"] == by_bytes.json()["total_amount"]
    undeclared = api.post(hub, content=shift_jis, headers={"Content-Type": "text/plain"})  # text is UTF-8 unless said
    assert undeclared.status_code == 400 and undeclared.json()["code"] == "invalid_request"

    bad = api.post(hub, content=shift_jis.decode("cp932")[:-10].encode("utf-8"), headers={"Content-Type": "text/plain"})
    assert bad.status_code == 400 and bad.headers["Content-Type"].startswith("application/problem+json")
    assert bad.json()["code"] == "invalid_zengin_file" and bad.json()["details"]["record"] == 5
    refused = api.post(hub, json={"from_account_id": payer["id"], "items": [
        {"to": books.payee(same_bank), "amount": 1}, {"to": {**books.payee(other_bank), "name": "ﾍﾞﾂｼﾞﾝ"}, "amount": 1}]})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_bulk_items"
    assert refused.json()["details"]["items"] == [
        {"item": 2, "code": "beneficiary_name_mismatch", "message": "the beneficiary name 'ﾍﾞﾂｼﾞﾝ' does not match the account holder"}]

    cancelled = api.post(f"{hub}/{by_text.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(f"{hub}/{by_text.json()['id']}/cancel").json()["code"] == "not_cancellable"

    moved = control.post("/sandbox/v1/workspaces/default/clock", json={"mode": "set", "to": f"{FRIDAY}T15:00:00+09:00"})
    assert moved.status_code == 200, moved.text
    assert sorted(moved.json()["bulk_transfers"]["executed"]) == sorted(
        [batch["id"], by_bytes.json()["id"], declared.json()["id"]])
    shown = api.get(f"{hub}/{batch['id']}").json()
    assert (shown["status"], shown["debited"]) == ("executed", 130_990)
    page = api.get(f"{hub}/{batch['id']}/items", params={"limit": 2}).json()
    assert [i["status"] for i in page["items"]] == ["executed", "executed"] and page["next_cursor"] == "2"
    returned = api.post(f"{hub}/{batch['id']}/items/1/return", json={"reason": "duplicate"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert api.post(f"{hub}/{batch['id']}/items/1/return").json()["code"] == "not_returnable"
    assert api.get(f"{hub}/blk_nothing").json()["code"] == "bulk_transfer_not_found"
    books.check(live.workspaces.context("default").db)


def test_kaede_bulk_transfer_by_json_and_by_file_over_http(live, control, api, http_parties, books):
    payer, same_bank, other_bank = http_parties
    base = "/banks/kaede/corporation/v1/bulktransfer"

    def item(account, amount, **extra):
        return {"transferAmount": str(amount), "beneficiaryBankCode": account["bank_code"],
                "beneficiaryBranchCode": account["branch_code"], "accountTypeCode": account["account_type"],
                "accountNumber": account["account_number"], "beneficiaryName": account["holder_kana"], **extra}

    def post(path, **kwargs):
        return api.post(f"{base}/{path}", headers={"Idempotency-Key": str(uuid.uuid4()), **kwargs.pop("headers", {})},
                          **kwargs)

    accepted = post("request", json={"accountId": payer["id"], "transferDesignatedDate": "2026-11-09",
                                     "bulkTransfers": [item(same_bank, 40_000, itemId="1"), item(other_bank, 2_000, ediInfo="INV9")]})
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert (body["resultCode"], body["totalCount"], body["totalTransferAmount"], body["totalFee"]) == ("2", "2", "42000", "550")

    by_file = post("request", content=zengin.dump(zengin_file_for(payer, [other_bank], mmdd="1109")),
                   headers={"Content-Type": "application/octet-stream"})
    assert by_file.status_code == 202 and by_file.json()["totalTransferAmount"] == "3001"

    refused = post("request", json={"accountId": payer["id"], "bulkTransfers": [
        item(same_bank, 1_000), replace_name(item(other_bank, 1_000), "ﾍﾞﾂｼﾞﾝ")]})
    assert refused.status_code == 400 and refused.json()["errorCode"] == "KB_ERR_1014"
    assert refused.json()["errorDetails"][0]["errorDetailsMessage"].startswith("item 2: ")
    broken = post("request", content=b"1" * 119, headers={"Content-Type": "text/plain"})
    assert broken.status_code == 400 and broken.json()["errorCode"] == "KB_ERR_1015"

    cancelled = post("cancel", json={"applyNo": by_file.json()["applyNo"]})
    assert cancelled.status_code == 200 and cancelled.json()["transferStatus"] == "5"
    assert post("cancel", json={"applyNo": by_file.json()["applyNo"]}).json()["errorCode"] == "KB_ERR_3001"

    moved = control.post("/sandbox/v1/workspaces/default/clock", json={"mode": "set", "to": "2026-11-09T15:00:00+09:00"})
    assert moved.status_code == 200, moved.text
    status = api.get(f"{base}/status", params={"applyNo": body["applyNo"]})
    assert status.status_code == 200, status.text
    shown = status.json()
    assert (shown["bulkTransferStatus"], shown["bulkTransferStatusName"], shown["hasNext"]) == ("3", "完了", False)
    assert [(d["itemNo"], d["itemId"], d["transferStatus"]) for d in shown["transferDetails"]] == [
        ("1", "1", "3"), ("2", "INV9", "3")]
    missing = api.get(f"{base}/status", params={"applyNo": "blk_nothing"})
    assert missing.status_code == 404 and missing.json()["errorCode"] == "KB_ERR_4006"
    books.check(live.workspaces.context("default").db)


def replace_name(item: dict, name: str) -> dict:
    return {**item, "beneficiaryName": name}


def test_hub_bulk_transfers_take_a_full_file_past_the_ordinary_body_limit(live, api, http_parties):
    """A 9,999-item Zengin file (about 1.2 MB) passes the bulk limit; the same bytes elsewhere get 413, unread."""
    payer, same_bank, other_bank = http_parties
    day = next_business_day(live.workspaces.context("default").now().date())  # earlier tests moved the clock
    data = zengin.dump(zengin_file_for(payer, [same_bank, other_bank] * (zengin.MAX_PAYMENTS // 2) + [same_bank],
                                       mmdd=day.strftime("%m%d"), amount=1_000))
    assert live.settings.max_body_bytes < len(data) < live.settings.max_bulk_body_bytes
    accepted = api.post("/hub/v1/bulk-transfers", content=data, headers={"Content-Type": "application/octet-stream"})
    assert accepted.status_code == 201, accepted.text[:500]
    assert accepted.json()["item_count"] == zengin.MAX_PAYMENTS
    refused = api.post("/hub/v1/transfers", content=data, headers={"Content-Type": "application/json"})
    assert refused.status_code == 413 and refused.headers["Content-Type"].startswith("application/problem+json")
    assert str(live.settings.max_body_bytes) in refused.json()["detail"]
