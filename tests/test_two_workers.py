"""Two server processes write to one workspace under load: the books must tell one consistent story.

`bank-sandbox serve --workers 2` runs on a real port; eight client threads send 楓銀行 transfer requests
from one corporate account with a self-use connector's OAuth token. Every third request is sent a second
time by another thread, with the same Idempotency-Key and body, so retries race their originals across
the two workers; the amounts add up to more than the account holds, so the later ones bounce. After a
clean shutdown the workspace file is read directly: balanced books, no money made or lost, one
transfer per accepted key, and an account that never went below its overdraft limit; and the request
log, which each worker writes in batches off the request's path, holds every call. A second test kills
the server mid-load and has every client retry: what was acknowledged stays, and each key pays once.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import live_server
from books import assert_books_balance
from sandbox.http.app import clock_from
from sandbox.settings import Settings
from sandbox.store import locks
from sandbox.store.errors import StoreUnavailable, unavailable
from sandbox.workspaces import Workspaces

BIN = Path(sys.executable).parent / "bank-sandbox"
ADMIN = "two-workers-admin-token-of-32-chars-or-more"
THREADS = 8
PER_THREAD = 15
TRANSFER = "/banks/kaede/corporation/v1/transfer/request"


def _serve(tmp_path: Path, port: int, workers: int = 2, **settings: str) -> subprocess.Popen:
    """`serve --workers N` on `tmp_path`'s data directory, in a process group of its own."""
    (tmp_path / "plans.yaml").write_text(live_server.ROOMY_PLANS, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN,
           "SANDBOX_PLANS": str(tmp_path / "plans.yaml"), **settings}
    return subprocess.Popen(
        [str(BIN), "serve", "--workers", str(workers), "--port", str(port), "--data-dir", str(tmp_path / "data"),
         "--clock", live_server.BUSINESS_MORNING], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)


@pytest.fixture
def two_workers(tmp_path):
    """The server (2 worker processes) on a fresh data directory; stopped with SIGINT, as Ctrl-C would."""
    port = live_server.free_port()
    process = _serve(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        assert live_server.wait_healthy(base, 90), "the server did not start"
        yield base, process, tmp_path / "data"
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _requests(payer: dict, payees: list[dict], amount: int) -> list[tuple[str, dict]]:
    """(key, body) for every request; more than the payer can pay."""
    made = []
    for n in range(THREADS * PER_THREAD):
        payee = payees[n % len(payees)]
        made.append((f"tw-{n:03d}", {"accountId": payer["id"], "transfers": [{
            "transferAmount": str(amount + n % 7), "beneficiaryBankCode": payee["bank_code"],
            "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
            "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]}))
    return made


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(2)  # SIGINT: a clean shutdown
    process.wait(timeout=30)


def _parties(base: str) -> tuple[dict, list[dict], dict, str]:
    """The payer (楓銀行's poorest corporate account), two payees, its self-use connector and a token."""
    admin = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=60)
    seeded = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    corporate = [a for a in seeded if a["bank_code"] == "0990" and a["customer_kind"] == "corporate"
                 and a["status"] == "active"]
    payer = min(corporate, key=lambda a: a["balance"])
    payees = [a for a in seeded if a["customer_kind"] == "individual" and a["status"] == "active"
              and a["customer_id"] != payer["customer_id"]][:2]  # more new payees would trip the abuse rules
    connector = admin.post("/sandbox/v1/connectors", json={
        "workspace": "default", "name": "two-workers", "class": "self-use", "customer_id": payer["customer_id"]}).json()
    return payer, payees, connector, _token(base, connector)


def _sent_until_served(client: httpx.Client, body: dict, key: str, attempts: int = 20) -> httpx.Response:
    """A transfer sent as a careful client sends it: again, the same key and body, after the `Retry-After` of a
    503 (the sandbox sheds what it cannot serve in time, as a busy machine's restarted server may)."""
    for _ in range(attempts):
        reply = client.post(TRANSFER, json=body, headers={"Idempotency-Key": key})
        if reply.status_code != 503:
            return reply
        time.sleep(min(float(reply.headers.get("retry-after") or 1), 2))
    return reply


def _token(base: str, connector: dict) -> str:
    return httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"}, timeout=60,
                      auth=(connector["client_id"], connector["client_secret"])).json()["access_token"]


@pytest.mark.slow
def test_two_workers_keep_the_books_under_concurrent_transfers(two_workers):
    base, process, data = two_workers
    payer, payees, connector, token = _parties(base)
    # About 40 transfers' worth, below the self-use corporate approval amount: the rest bounce.
    amount = min(payer["available_balance"] // 40, 4_000_000)
    planned = _requests(payer, payees, amount)
    queues = [[] for _ in range(THREADS)]
    for n, request in enumerate(planned):
        queues[n // PER_THREAD].append(request)
        if n % 3 == 0:
            queues[(n // PER_THREAD + 1) % THREADS].append(request)  # a retry racing its original
    answers: list[tuple[str, int, dict]] = []
    lock = threading.Lock()

    def send(queue):
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            for key, body in queue:
                reply = client.post(TRANSFER, json=body, headers={"Idempotency-Key": key})
                with lock:
                    answers.append((key, reply.status_code, reply.json() if reply.content else {}))

    threads = [threading.Thread(target=send, args=(queue,)) for queue in queues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(answers) == sum(len(q) for q in queues)
    assert not [a for a in answers if a[1] >= 500 and a[1] != 503], "a server error"
    refused = {a[2].get("errorCode") for a in answers if a[1] >= 400 and a[1] != 503}
    assert refused <= {"KB_ERR_2001"}, refused  # only "insufficient funds"
    accepted: dict[str, set] = {}
    for key, status, body in answers:
        if status < 300:
            assert body["resultCode"] == "1", body  # executed at once
            accepted.setdefault(key, set()).add(body["applyNo"])
    assert all(len(ids) == 1 for ids in accepted.values()), "a retry was answered with another transfer"
    assert 20 <= len(accepted) < len(planned), "the run should both pay and bounce"
    _stop(process)  # the log and the books are complete after a clean shutdown

    log = sqlite3.connect(data / "governance.db")
    try:
        logged = log.execute("SELECT count(*) FROM requests WHERE connector_id = ? AND method = 'POST'",
                             (connector["id"],)).fetchone()[0]
        metered = log.execute("SELECT sum(calls), sum(refused) FROM usage WHERE connector_id = ? AND operation = ?",
                              (connector["id"], "requestTransfer")).fetchone()
    finally:
        log.close()
    served = [a for a in answers if a[1] != 503]  # a request shed as busy never reached the log
    assert logged == len(served)
    assert metered == (len(served), sum(1 for a in served if a[1] >= 400))

    spaces = Workspaces(data, clock_from(Settings(clock=live_server.BUSINESS_MORNING)))
    db = spaces.database("default")
    try:
        assert_books_balance(db)
        conn = db.conn
        rows = conn.execute("SELECT id, amount, fee, status FROM transfers WHERE from_account_id = ?",
                            (payer["id"],)).fetchall()
        assert sorted(r[0] for r in rows) == sorted(next(iter(ids)) for ids in accepted.values())
        assert all(r[3] == "executed" for r in rows)
        balance, overdraft = conn.execute("SELECT balance, overdraft_limit FROM accounts WHERE id = ?",
                                          (payer["id"],)).fetchone()
        assert balance == payer["balance"] - sum(r[1] + r[2] for r in rows)
        assert balance >= -overdraft
        keys = conn.execute("SELECT count(*), count(DISTINCT key) FROM idempotency WHERE scope LIKE 'transfers.create:%'"
                            ).fetchone()
        assert keys == (len(accepted), len(accepted))
        # The refused requests left nothing behind: every posting belongs to a movement of an accepted transfer.
        moved = conn.execute("SELECT count(*), count(DISTINCT reference) FROM movements WHERE reference IN "
                             "(SELECT id FROM transfers WHERE from_account_id = ?)", (payer["id"],)).fetchone()
        assert moved == (len(rows), len(rows))
    finally:
        db.conn.close()


@pytest.mark.slow
def test_killed_mid_load_the_server_loses_no_acknowledged_transfer_and_retries_pay_once(tmp_path):
    """SIGKILL to the server and both workers while eight clients send transfers, which the workers commit
    in batches (store/batches.py); then a new server on the same files and every client retrying every
    request, the same key and body. An acknowledged transfer must still be there, each key must have
    paid exactly once, and the books must balance: a batch is committed whole or not at all."""
    port = live_server.free_port()
    process = _serve(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        assert live_server.wait_healthy(base, 90), "the server did not start"
        payer, payees, connector, token = _parties(base)
        planned = _requests(payer, payees, 1_000)
        answered: dict[str, tuple[int, dict]] = {}
        lock = threading.Lock()
        stop = threading.Event()

        def send(queue):
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
                for key, body in queue:
                    if stop.is_set():
                        return
                    try:
                        reply = client.post(TRANSFER, json=body, headers={"Idempotency-Key": key})
                    except httpx.HTTPError:
                        return  # the server is gone: this request's fate is unknown to the client
                    with lock:
                        answered[key] = (reply.status_code, reply.json() if reply.content else {})

        threads = [threading.Thread(target=send, args=(planned[n::THREADS],)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(answered) < len(planned) // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)  # the parent and both workers, mid-load
        stop.set()
        process.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=60)
        acknowledged = {key: body["applyNo"] for key, (status, body) in answered.items() if status < 300}
        assert 10 <= len(acknowledged) < len(planned), "the kill should land mid-load"

        process = _serve(tmp_path, port)
        assert live_server.wait_healthy(base, 90), "the server did not start again"
        token = _token(base, connector)
        paid = {}
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            for key, body in planned:  # every client retries everything it sent or meant to send
                reply = _sent_until_served(client, body, key)
                assert reply.status_code < 300, reply.text
                paid[key] = reply.json()["applyNo"]
        for key, apply_no in acknowledged.items():
            assert paid[key] == apply_no, f"{key}: acknowledged as {apply_no}, answered {paid[key]} after the crash"
        _stop(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    spaces = Workspaces(tmp_path / "data", clock_from(Settings(clock=live_server.BUSINESS_MORNING)))
    db = spaces.database("default")
    try:
        assert_books_balance(db)
        conn = db.conn
        rows = conn.execute("SELECT id, amount, fee FROM transfers WHERE from_account_id = ?", (payer["id"],)).fetchall()
        assert sorted(r[0] for r in rows) == sorted(paid.values())  # one transfer a key, no more
        balance = conn.execute("SELECT balance FROM accounts WHERE id = ?", (payer["id"],)).fetchone()[0]
        assert balance == payer["balance"] - sum(r[1] + r[2] for r in rows)
    finally:
        db.conn.close()


def test_a_server_stopped_by_sigterm_right_after_answering_has_logged_every_call(tmp_path):
    """SIGTERM (how the supervisor stops each worker, and Kubernetes a pod) within a few milliseconds of
    the last answer, before the log's background thread wrote it: the shutdown writes it. uvicorn ends
    the process by raising the signal again, so nothing left for `atexit` would ever be written."""
    port = live_server.free_port()
    process = _serve(tmp_path, port, workers=1, SANDBOX_OPEN_ACCESS="1")
    base = f"http://127.0.0.1:{port}"
    try:
        assert live_server.wait_healthy(base, 90), "the server did not start"
        with httpx.Client(base_url=base, headers={"X-Sandbox-Workspace": "default"}, timeout=30) as client:
            for n in range(30):
                assert client.get("/hub/v1/accounts", params={"limit": 1, "n": n}).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == -signal.SIGTERM  # uvicorn's way out: no atexit handlers run
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    log = sqlite3.connect(tmp_path / "data" / "governance.db")
    try:
        logged = log.execute("SELECT count(*) FROM requests WHERE path = '/hub/v1/accounts'").fetchone()[0]
    finally:
        log.close()
    assert logged == 30


# -- the writer lock itself (store/locks.py) ------------------------------------------------------------


def _held_elsewhere(path: Path) -> int:
    """flock the lock file through a descriptor of our own: to the lock, another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_writer_lock_goes_to_the_waiting_writer_as_soon_as_it_is_free(tmp_path):
    lock = locks.WriterLock(str(tmp_path / "w.db-lock"), timeout=10)
    other = _held_elsewhere(tmp_path / "w.db-lock")
    got = []

    def writer():
        with lock:
            got.append(time.monotonic())

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    assert got == []  # it waits while the other holder has the lock
    released = time.monotonic()
    os.close(other)
    thread.join(timeout=10)
    # Woken within a couple of milliseconds; SQLite's busy handler would be sleeping up to 100 ms by now.
    assert got and got[0] - released < 0.08


def test_writer_lock_is_reentrant_and_shared_by_the_threads_of_a_process(tmp_path):
    lock = locks.WriterLock(str(tmp_path / "w.db-lock"), timeout=10)
    order = []
    with lock:
        with lock:  # a write inside a write (a savepoint) does not wait for itself
            thread = threading.Thread(target=lambda: (lock.__enter__(), order.append("other"), lock.__exit__()))
            thread.start()
            time.sleep(0.1)
            order.append("first")
    thread.join(timeout=10)
    assert order == ["first", "other"]


def test_writer_lock_refuses_as_an_outage_when_a_holder_stalls(tmp_path):
    lock = locks.WriterLock(str(tmp_path / "w.db-lock"), timeout=0.3)
    other = _held_elsewhere(tmp_path / "w.db-lock")
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as refused:
            with lock:
                pass
        assert 0.25 < time.monotonic() - started < 5
        assert unavailable(refused.value)  # answered 503 with Retry-After, like any locked database
    finally:
        os.close(other)
    with lock:  # free again: the refusal left nothing held
        pass
