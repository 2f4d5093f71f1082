"""Idempotency, races and several processes hammering one workspace: money moves exactly once."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from datetime import datetime

import pytest

from books import THURSDAY_10AM, assert_books_balance, pick, snapshot, to, workspace
from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from sandbox.actions import accounts, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.workspaces import Workspaces


def test_idempotency_a_retry_returns_the_first_result_and_moves_money_once(tmp_path, database_url):
    _, ctx, _ = workspace(tmp_path, database_url=database_url)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    request = {"from_account_id": payer["id"], "to": to(payee), "amount": 7_000, "idempotency_key": "order-42"}
    first = transfers.create(ctx, **request)
    again = transfers.create(ctx, **request)
    assert again == first
    assert ctx.db.conn.execute("SELECT count(*) FROM transfers WHERE from_account_id = ?", (payer["id"],)).fetchone()[0] == 1
    assert accounts.balance(ctx, payer["id"])["balance"] == payer["balance"] - 7_000 - first["fee"]
    assert_books_balance(ctx.db)


def test_idempotency_the_same_key_with_another_body_is_refused(tmp_path, database_url):
    _, ctx, _ = workspace(tmp_path, database_url=database_url)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=7_000, idempotency_key="order-43")
    before = snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=7_001, idempotency_key="order-43")
    assert refused.value.code == "idempotency_conflict"
    assert snapshot(ctx.db) == before


def test_idempotency_a_refused_request_is_judged_afresh_on_retry(tmp_path, database_url):
    _, ctx, _ = workspace(tmp_path, database_url=database_url)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    ctx.db.conn.execute("UPDATE accounts SET status = 'frozen' WHERE id = ?", (payer["id"],))
    with pytest.raises(SandboxError):
        transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=1_000, idempotency_key="k")
    ctx.db.conn.execute("UPDATE accounts SET status = 'active' WHERE id = ?", (payer["id"],))
    assert transfers.create(ctx, from_account_id=payer["id"], to=to(payee), amount=1_000, idempotency_key="k")["status"] == "executed"


def test_idempotency_a_retry_racing_the_original_moves_money_once(tmp_path, database_url):
    spaces, ctx, _ = workspace(tmp_path, database_url=database_url)
    payer, payee = pick(ctx, "0990", minimum=100_000), pick(ctx, "0991")
    request = {"from_account_id": payer["id"], "to": to(payee), "amount": 9_000, "idempotency_key": "race-1"}
    barrier, results, errors = threading.Barrier(4), [], []

    def send():
        # Each thread has its own connection, as server workers do.
        own = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database_url).context("default")
        barrier.wait()
        try:
            results.append(transfers.create(own, **request))
        except Exception as error:  # noqa: BLE001 - any failure is reported below
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r["id"] for r in results}) == 1
    assert ctx.db.conn.execute("SELECT count(*) FROM transfers").fetchone()[0] == 1
    assert accounts.balance(ctx, payer["id"])["balance"] == payer["balance"] - 9_000 - results[0]["fee"]
    assert_books_balance(ctx.db)


def _hammer(data_dir: str, url: str | None, ids: list, coordinates: dict, worker: int, count: int, queue) -> None:
    """One process: `count` random transfers among `ids`, every fifth sent twice with the same key."""
    ctx = Workspaces(data_dir, FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST)), database_url=url).context("default")
    rng = random.Random(worker)
    done, refused = {}, 0
    for n in range(count):
        payer, payee = rng.sample(ids, 2)
        key = f"w{worker}-{n}"
        amount = rng.choice((500, 3_000, 40_000, 250_000, 900_000))
        for attempt in range(2 if n % 5 == 0 else 1):
            try:
                result = transfers.create(ctx, from_account_id=payer, to=coordinates[payee], amount=amount, idempotency_key=key)
                if key in done:
                    assert done[key] == result["id"], "a retry made a second transfer"
                done[key] = result["id"]
            except SandboxError as error:
                assert error.code in ("insufficient_funds", "limit_exceeded"), error.code
                refused += 1
            if attempt == 0 and n % 5 == 0:
                time.sleep(rng.random() / 500)
    queue.put((done, refused))


@pytest.mark.slow
def test_concurrency_four_processes_of_random_transfers_keep_the_books(tmp_path, database_url):
    spaces, ctx, _ = workspace(tmp_path, database_url=database_url)
    chosen = [a for a in accounts.list_accounts(ctx, limit=500)["accounts"]
              if a["status"] == "active" and a["customer_kind"] == "individual"][:20]
    ids = [a["id"] for a in chosen]
    coordinates = {a["id"]: to(a) for a in chosen}
    total_before = sum(a["balance"] for a in chosen)
    queue = multiprocessing.get_context("spawn").Queue()
    processes = [multiprocessing.get_context("spawn").Process(
        target=_hammer, args=(str(tmp_path), database_url, ids, coordinates, worker, 250, queue)) for worker in range(4)]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    done = {key: transfer for outcome, _ in outcomes for key, transfer in outcome.items()}
    assert len(set(done.values())) == len(done), "two keys share a transfer, or one key made two"
    rows = ctx.db.conn.execute("SELECT count(*), coalesce(sum(fee), 0) FROM transfers WHERE status = 'executed'").fetchone()
    assert rows[0] == len(done)
    assert sum(refused for _, refused in outcomes) > 0, "the mix never hit a refusal: the test proves less than it says"
    total_after = sum(accounts.balance(ctx, i)["balance"] for i in ids)
    assert total_after == total_before - rows[1]  # only fees left the twenty accounts
    assert_books_balance(ctx.db)
