"""Four processes hammer one workspace file with random transfers and retries: money moves exactly once.

The parent plans 1,000 keyed transfers among 20 accounts of three banks. Each of four spawned
processes sends its quarter; every fifth request is also sent by the neighbouring process (the same key
and body, sometimes after a short random sleep), so retries race their originals across processes.
Some amounts are large enough to bounce for insufficient funds (or to pass a daily limit). Afterwards
the books, the transfer rows and the idempotency records must tell one consistent story.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import defaultdict
from datetime import datetime

import pytest

from sandbox.actions import accounts, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.workspaces import Workspaces

from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

WORKERS = 4
PER_WORKER = 250
ACCOUNTS = 20
THURSDAY_10AM = datetime(2026, 11, 5, 10, 0, tzinfo=JST)  # a business day in core time: transfers run at once
EXPECTED_REFUSALS = ("insufficient_funds", "limit_exceeded")


def plan(ids: list[str], seed: int = 2026) -> list[dict]:
    """1,000 keyed requests: mostly everyday amounts, one in twenty-five large enough to bounce."""
    rng = random.Random(seed)
    requests = []
    for n in range(WORKERS * PER_WORKER):
        payer, payee = rng.sample(ids, 2)
        amount = 490_000 if rng.random() < 0.04 else rng.choice((300, 1_000, 3_000, 9_000, 29_999, 30_000))
        requests.append({"key": f"req-{n:04d}", "payer": payer, "payee": payee, "amount": amount})
    return requests


def schedule(requests: list[dict]) -> list[list[tuple[dict, bool]]]:
    """Each worker's queue: its own quarter, plus a copy of every fifth request of the worker before it."""
    queues = [[] for _ in range(WORKERS)]
    for n, request in enumerate(requests):
        owner = n // PER_WORKER
        queues[owner].append((request, False))
        if n % 5 == 0:
            queues[(owner + 1) % WORKERS].append((request, True))
    return queues


def hammer(data_dir: str, url: str | None, workspace: str, coordinates: dict, queue: list, worker: int, results) -> None:
    """One process: send the queue, report (key, transfer id or None, refusal code or None) per attempt."""
    try:
        ctx = Workspaces(data_dir, FixedClock(THURSDAY_10AM), database_url=url).context(workspace)
        rng = random.Random(worker)
        outcomes = []
        for request, is_retry in queue:
            if is_retry and rng.random() < 0.5:
                time.sleep(rng.random() / 200)
            try:
                result = transfers.create(ctx, from_account_id=request["payer"], to=coordinates[request["payee"]],
                                          amount=request["amount"], idempotency_key=request["key"])
                outcomes.append((request["key"], result["id"], result["status"], None))
            except SandboxError as refusal:
                outcomes.append((request["key"], None, None, refusal.code))
        results.put((worker, outcomes, None))
    except BaseException as error:  # noqa: BLE001 - the parent reports it
        results.put((worker, [], repr(error)))


@pytest.mark.slow
def test_concurrency_four_processes_of_random_transfers_and_retries_keep_the_books(seeded, books):
    ctx = seeded.ctx
    conn = ctx.db.conn
    ids = [row[0] for row in conn.execute(
        "SELECT a.id FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.kind = 'customer'"
        " AND a.status = 'active' AND c.kind = 'individual' AND a.type = '1' ORDER BY a.id LIMIT ?", (ACCOUNTS,))]
    assert len(ids) == ACCOUNTS and len({conn.execute("SELECT bank_code FROM accounts WHERE id = ?", (i,)).fetchone()[0]
                                         for i in ids}) > 1
    coordinates = {i: books.payee(accounts.load(ctx, i)) for i in ids}
    before = dict(conn.execute("SELECT id, balance FROM accounts").fetchall())
    requests = plan(ids)
    queues = schedule(requests)

    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    processes = [spawn.Process(target=hammer, args=(str(seeded.spaces.registry.data_dir), seeded.spaces.database_url, seeded.name, coordinates,
                                                    queues[w], w, results)) for w in range(WORKERS)]
    started = time.monotonic()
    for process in processes:
        process.start()
    reports = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    elapsed = time.monotonic() - started

    assert [error for _, _, error in reports if error] == []
    attempts = [outcome for _, outcomes, _ in reports for outcome in outcomes]
    assert len(attempts) == sum(len(queue) for queue in queues) == 1_200
    refusals = [code for _, _, _, code in attempts if code]
    assert set(refusals) <= set(EXPECTED_REFUSALS), set(refusals)
    assert refusals.count("insufficient_funds") > 0, "no request bounced: the mix proves less than it says"

    # No idempotency key maps to two transfers, and every success of a key names the same transfer.
    by_key = defaultdict(set)
    for key, transfer_id, status, _ in attempts:
        if transfer_id:
            assert status == "executed"
            by_key[key].add(transfer_id)
    assert all(len(found) == 1 for found in by_key.values()), {k: v for k, v in by_key.items() if len(v) > 1}
    succeeded = {key: next(iter(found)) for key, found in by_key.items()}
    assert len(set(succeeded.values())) == len(succeeded), "two keys share one transfer"
    assert len(succeeded) > len(requests) // 2, f"only {len(succeeded)} of {len(requests)} transfers went through"

    # The rows agree: one executed transfer per successful key, nothing else, one idempotency record each.
    rows = dict(conn.execute("SELECT id, status FROM transfers").fetchall())
    assert set(rows) == set(succeeded.values())
    assert set(rows.values()) == {"executed"}
    remembered = dict(conn.execute("SELECT key, json_extract(response, '$.id') FROM idempotency").fetchall())
    assert remembered == succeeded

    # Money: each account moved by exactly its executed transfers; only fees left the customers.
    by_id = {request["key"]: request for request in requests}
    fees = dict(conn.execute("SELECT id, fee FROM transfers").fetchall())
    expected = dict(before)
    for key, transfer_id in succeeded.items():
        request = by_id[key]
        expected[request["payer"]] -= request["amount"] + fees[transfer_id]
        expected[request["payee"]] += request["amount"]
    after = dict(conn.execute("SELECT id, balance FROM accounts").fetchall())
    assert {i: after[i] for i in ids} == {i: expected[i] for i in ids}
    bystanders = {i for (i,) in conn.execute("SELECT id FROM accounts WHERE kind = 'customer'")} - set(ids)
    assert {i: after[i] for i in bystanders} == {i: before[i] for i in bystanders}
    fee_income = conn.execute("SELECT sum(balance) FROM accounts WHERE purpose = 'fee_income'").fetchone()[0]
    fee_income_before = sum(before[i] for (i,) in conn.execute("SELECT id FROM accounts WHERE purpose = 'fee_income'"))
    assert fee_income - fee_income_before == sum(fees.values())
    assert sum(after.values()) == 0
    books.check(ctx.db)
    assert elapsed < 60, f"the hammering took {elapsed:.1f} s"

