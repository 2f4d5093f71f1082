"""Idempotency keys: a retry gets the first result, a changed body is refused, and no money moves twice."""

from __future__ import annotations

import threading

import pytest

from sandbox.actions import debits, transfers
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.workspaces import Workspaces

from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

KAEDE, TSUBAME = "0990", "0991"


def count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def parties(seeded, books):
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000)
    payee = books.pick(ctx, TSUBAME, "individual")
    return payer, payee


def test_idempotency_same_key_and_body_returns_the_first_result_and_moves_money_once(seeded, books, parties):
    ctx = seeded.ctx
    payer, payee = parties
    request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 7_000, "memo": "注文 42",
               "idempotency_key": "order-42"}
    first = transfers.create(ctx, **request)
    after_first = books.snapshot(ctx.db)

    retries = [transfers.create(ctx, **request) for _ in range(3)]

    assert all(retry == first for retry in retries)
    assert books.snapshot(ctx.db) == after_first
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 7_000 - first["fee"]
    assert books.balance(ctx, payee["id"]) == payee["balance"] + 7_000
    assert ctx.db.conn.execute("SELECT count(*) FROM transfers WHERE from_account_id = ?", (payer["id"],)).fetchone()[0] == 1
    books.check(ctx.db)


def test_idempotency_a_retry_written_differently_but_meaning_the_same_is_a_replay(seeded, books, parties):
    # The key guards the canonical request: an amount sent as "7000" or as 7000 is the same transfer.
    ctx = seeded.ctx
    payer, payee = parties
    first = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=7_000, idempotency_key="k-1")
    retry = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount="7000", idempotency_key="k-1")
    assert retry == first
    assert count(ctx.db, "transfers") == 1


def test_idempotency_a_retry_after_cancellation_returns_the_first_result_and_books_nothing_new(seeded, books, parties):
    ctx = seeded.ctx
    payer, payee = parties
    request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 7_000,
               "execution_date": "2026-11-16", "idempotency_key": "later-1"}
    first = transfers.create(ctx, **request)
    transfers.cancel(ctx, first["id"])
    assert transfers.create(ctx, **request)["id"] == first["id"]
    assert count(ctx.db, "transfers") == 1
    assert transfers.get(ctx, first["id"])["status"] == "cancelled"


@pytest.mark.parametrize("change", [
    {"amount": 7_001},
    {"amount": 70_000},
    {"memo": "another memo"},
    {"execution_date": "2026-11-16"},
    {"client_reference": "INV-2"},
    {"to.name": "ﾀﾞﾚｶ ﾍﾞﾂｼﾞﾝ"},
    {"to.account_number": "0000001"},
    {"holiday_rule": "previous"},
], ids=lambda change: next(iter(change)))
def test_idempotency_same_key_with_another_body_is_refused_and_changes_nothing(seeded, books, parties, change):
    ctx = seeded.ctx
    payer, payee = parties
    request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 7_000, "idempotency_key": "order-43"}
    first = transfers.create(ctx, **request)
    before = books.snapshot(ctx.db)
    for key, value in change.items():
        if key.startswith("to."):
            request["to"] = {**request["to"], key[3:]: value}
        else:
            request[key] = value

    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, **request)

    assert refused.value.code == "idempotency_conflict"
    assert refused.value.details == {"idempotency_key": "order-43"}
    assert books.snapshot(ctx.db) == before
    assert transfers.get(ctx, first["id"]) == first
    books.check(ctx.db)


def test_idempotency_another_payer_with_the_same_key_is_a_conflict_not_a_replay(seeded, books, parties):
    ctx = seeded.ctx
    payer, payee = parties
    other = books.pick(ctx, KAEDE, "individual", minimum=100_000, exclude={payer["id"]})
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=5_000, idempotency_key="shared")
    before = books.snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, from_account_id=other["id"], to=books.payee(payee), amount=5_000, idempotency_key="shared")
    assert refused.value.code == "idempotency_conflict"
    assert books.snapshot(ctx.db) == before


def test_idempotency_a_refused_request_is_not_remembered_and_its_retry_is_judged_afresh(seeded, books, parties):
    ctx = seeded.ctx
    payer, payee = parties
    poor = books.pick(ctx, KAEDE, "individual", maximum=900_000, type_="1", exclude={payer["id"]})
    request = {"from_account_id": poor["id"], "to": books.payee(payee), "amount": poor["available_balance"],
               "idempotency_key": "after-payday"}
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, **request)
    assert refused.value.code == "insufficient_funds"  # the amount fits, the fee does not
    assert count(ctx.db, "idempotency") == 0
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(poor), amount=10_000)  # payday
    retried = transfers.create(ctx, **request)
    assert retried["status"] == "executed"
    assert transfers.create(ctx, **request) == retried
    books.check(ctx.db)


def test_idempotency_keys_are_kept_apart_per_connector(seeded, books, parties):
    payer, payee = parties
    request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 1_000, "idempotency_key": "k"}
    one = transfers.create(seeded.spaces.context(seeded.name, connector_id="con_one"), **request)
    two = transfers.create(seeded.spaces.context(seeded.name, connector_id="con_two"), **request)
    assert one["id"] != two["id"]
    assert transfers.create(seeded.spaces.context(seeded.name, connector_id="con_one"), **request) == one
    assert count(seeded.db, "transfers") == 2
    books.check(seeded.db)


def test_idempotency_a_debit_retry_returns_the_first_debit_and_takes_the_money_once(seeded, books, parties):
    ctx = seeded.ctx
    payer, _ = parties
    collector = books.pick(ctx, TSUBAME, "corporate")
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    request = {"mandate_id": mandate["id"], "amount": 4_321, "description": "ﾁﾔ-ｼﾞ", "idempotency_key": "charge-9"}
    first = debits.create_debit(ctx, **request)
    assert debits.create_debit(ctx, **request) == first
    assert count(ctx.db, "debits") == 1
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 4_321
    before = books.snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        debits.create_debit(ctx, **{**request, "amount": 4_322})
    assert refused.value.code == "idempotency_conflict"
    assert books.snapshot(ctx.db) == before
    # A transfer may use the same key: the scopes are apart.
    assert transfers.create(ctx, from_account_id=payer["id"], to=books.payee(collector), amount=100,
                            idempotency_key="charge-9")["status"] == "executed"
    books.check(ctx.db)


def _race(seeded, action, request: dict, threads: int) -> tuple[list, list]:
    """Fire `request` from `threads` threads at once, each with its own Workspaces and connection."""
    barrier = threading.Barrier(threads)
    results, errors = [], []
    data_dir, moment = seeded.spaces.registry.data_dir, seeded.clock.now()

    def send():
        ctx = Workspaces(data_dir, FixedClock(moment), database_url=seeded.spaces.database_url).context(seeded.name)
        barrier.wait()
        try:
            results.append(action(ctx, **request))
        except BaseException as error:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(error)
        finally:
            ctx.db.conn.close()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    return results, errors


@pytest.mark.parametrize("threads", [2, 8])
def test_idempotency_a_retry_racing_the_original_moves_money_once(seeded, books, parties, threads):
    ctx = seeded.ctx
    payer, payee = parties
    fee = 330  # 楓銀行 to another bank, under 30,000 yen
    for round_ in range(5):
        request = {"from_account_id": payer["id"], "to": books.payee(payee), "amount": 9_000,
                   "idempotency_key": f"race-{threads}-{round_}"}
        before = count(ctx.db, "transfers")

        results, errors = _race(seeded, transfers.create, request, threads)

        assert errors == []
        assert len(results) == threads
        assert all(result == results[0] for result in results), "the copies got different answers"
        assert count(ctx.db, "transfers") == before + 1
        assert results[0]["status"] == "executed" and results[0]["fee"] == fee
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 5 * (9_000 + fee)
    assert books.balance(ctx, payee["id"]) == payee["balance"] + 5 * 9_000
    rows = ctx.db.conn.execute("SELECT key, json_extract(response, '$.id') FROM idempotency").fetchall()
    assert len(rows) == 5 and len({transfer_id for _, transfer_id in rows}) == 5
    books.check(ctx.db)


def test_idempotency_a_debit_retry_racing_the_original_takes_the_money_once(seeded, books, parties):
    ctx = seeded.ctx
    payer, _ = parties
    collector = books.pick(ctx, TSUBAME, "corporate")
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    request = {"mandate_id": mandate["id"], "amount": 2_500, "idempotency_key": "debit-race"}

    results, errors = _race(seeded, debits.create_debit, request, 4)

    assert errors == []
    assert len({result["id"] for result in results}) == 1
    assert count(ctx.db, "debits") == 1
    assert books.balance(ctx, payer["id"]) == payer["balance"] - 2_500
    books.check(ctx.db)
