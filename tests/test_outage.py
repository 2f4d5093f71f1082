"""The database out of reach: 503 with Retry-After in the caller's own format, nothing changed, and back by itself.

A real `bank-sandbox serve` process, and a second process that takes the workspace database's write
lock (SQLite's own, `BEGIN IMMEDIATE`) the way a stuck writer would. Held for a moment, writers wait
for it and succeed; held past the busy timeout, the write is answered 503 with Retry-After (RFC 7807
on the control plane and on the hub, whose own format it is; OAuth's `temporarily_unavailable` on the
token endpoint), never a 500, and nothing moved. Once
the lock is gone the same request, retried with its Idempotency-Key, goes through without a restart.
On PostgreSQL (where tests/engines.py finds a server) the database is cut off instead: every
connection ended and new ones refused, as while it restarts; every surface answers 503 at once.
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import BUSINESS_MORNING
from oauth_flows import bearer, client_credentials, create_connector
from replicas import Replicas, database_down
from sandbox.store.database import BUSY_TIMEOUT_S

pytestmark = pytest.mark.slow

V1 = "/sandbox/v1"
HUB = "/hub/v1"

# Another process holding a database's write lock for argv[2] seconds; says "held" once it has it.
HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


class Holder:
    """The write lock of a database file, held by another process for `seconds`."""

    def __init__(self, path, seconds: float):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "held"

    def wait(self) -> None:
        assert self.process.wait(timeout=BUSY_TIMEOUT_S + 30) == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    replicas = Replicas(tmp_path_factory.mktemp("outage"), 1, clock=BUSINESS_MORNING).start()
    try:
        yield replicas[0]
    finally:
        replicas.stop()


@pytest.fixture(scope="module")
def admin(server):
    with server.admin() as client:
        yield client


@pytest.fixture(scope="module")
def payer(server, admin):
    """A company's connector, its token, its account and a payee."""
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    account = next(a for a in accounts if a["bank_code"] == "0990" and a["customer_kind"] == "corporate"
                   and a["status"] == "active")
    to = next(a for a in accounts if a["bank_code"] == "0992" and a["status"] == "active")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": account["customer_id"]})
    return {"connector": connector, "token": client_credentials(server.url, connector), "account": account,
            "to": {"bank_code": to["bank_code"], "branch_code": to["branch_code"], "account_type": to["account_type"],
                   "account_number": to["account_number"], "name": to["holder_kana"]}}


def workspace_file(server, admin):
    generation = admin.get(f"{V1}/workspaces/default").json()["generation"]
    return server.data_dir / "workspaces" / f"default.{generation}.db"


def transfer(server, payer, key: str) -> httpx.Response:
    return httpx.post(f"{server.url}{HUB}/transfers", timeout=BUSY_TIMEOUT_S + 30,
                      headers={**bearer(payer["token"]), "Idempotency-Key": key},
                      json={"from_account_id": payer["account"]["id"], "amount": 1000, "to": payer["to"]})


def new_token(server, payer) -> httpx.Response:
    connector = payer["connector"]
    return httpx.post(f"{server.url}/oauth/token", data={"grant_type": "client_credentials"}, timeout=BUSY_TIMEOUT_S + 30,
                      auth=(connector["client_id"], connector["client_secret"]))


def balance(admin, account_id: str) -> int:
    """The account's balance; a worker that has just been stalled may shed a request or two first (503 busy)."""
    for _ in range(20):
        answer = admin.get(f"{V1}/workspaces/default/accounts/{account_id}")
        if answer.status_code != 503:
            break
        time.sleep(0.2)
    assert answer.status_code == 200, answer.text
    return answer.json()["balance"]


def test_outage_a_lock_held_for_a_moment_is_waited_for(server, admin, payer):
    holder = Holder(workspace_file(server, admin), 1.5)
    started = time.monotonic()
    answer = transfer(server, payer, "brief-lock")
    holder.wait()
    assert answer.status_code == 201, answer.text
    assert 1.0 <= time.monotonic() - started < BUSY_TIMEOUT_S  # it waited for the lock, then went through


def test_outage_past_the_busy_timeout_is_a_503_with_retry_after_then_serves_again(server, admin, payer):
    account_id = payer["account"]["id"]
    before = balance(admin, account_id)
    connector = payer["connector"]["id"]
    # Two stuck writers: one on the workspace (the transfer's database), one on the governance database
    # (the control plane's suspension): one worker's writers to one database queue behind each other,
    # so each surface meets its own lock and both time out together.
    holders = [Holder(workspace_file(server, admin), BUSY_TIMEOUT_S + 8),
               Holder(server.data_dir / "governance.db", BUSY_TIMEOUT_S + 8)]
    with ThreadPoolExecutor(3) as pool:
        # The control plane and the OAuth server wait in threads, the hub's transfer in its batch
        # (store/batches.py) while the event loop serves on; it is sent last, once the others are waiting.
        suspended = pool.submit(admin.post, f"{V1}/connectors/{connector}/suspend", json={"reason": "outage test"})
        token = pool.submit(new_token, server, payer)
        time.sleep(1.0)
        paid = pool.submit(transfer, server, payer, "through-an-outage")
        answers = {"hub": paid.result(), "control plane": suspended.result()}
        token = token.result()
    for holder in holders:
        holder.wait()
    assert token.status_code == 503 and token.headers["retry-after"].isdigit(), token.text  # the OAuth server too
    assert token.json()["error"] == "temporarily_unavailable", token.text
    for surface, answer in answers.items():
        assert answer.status_code == 503, f"{surface}: {answer.status_code} {answer.text}"
        assert answer.headers["retry-after"].isdigit(), surface
        assert answer.headers["content-type"].startswith("application/problem+json"), surface
        problem = answer.json()
        assert problem["status"] == 503 and "database" in problem["detail"], problem
    assert balance(admin, account_id) == before  # nothing moved
    assert admin.get(f"{V1}/connectors/{connector}").json()["status"] == "active"  # nothing changed

    again = transfer(server, payer, "through-an-outage")  # the client's retry, same key: served, no restart
    assert again.status_code == 201, again.text
    assert balance(admin, account_id) < before
    assert httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
    assert new_token(server, payer).status_code == 200


# -- PostgreSQL: the database refuses every connection for a while -----------------------------------------

try:  # the PostgreSQL server of the test session, where the machine has one (tests/engines.py)
    from engines import postgres  # noqa: F401 - a pytest fixture, found by name
except ImportError:
    @pytest.fixture(scope="session")
    def postgres():
        pytest.skip("no PostgreSQL here: tests/engines.py (the `postgres` fixture) is not available")

# An outage must be answered well inside a load balancer's patience (HAProxy's `timeout server` in tests/replicas.py).
ANSWER_WITHIN_S = 15


def test_outage_postgres_refusing_connections_is_a_503_then_every_surface_serves_again(postgres, tmp_path):
    url = postgres.new_database()
    replicas = Replicas(tmp_path, 1, database_url=url, clock=BUSINESS_MORNING).start()
    server = replicas[0]
    try:
        with server.admin() as admin:
            accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
            account = next(a for a in accounts if a["bank_code"] == "0990" and a["customer_kind"] == "corporate")
            to = next(a for a in accounts if a["bank_code"] == "0992")
            connector = create_connector(admin, **{"class": "self-use", "customer_id": account["customer_id"]})
            payer = {"connector": connector, "token": client_credentials(server.url, connector), "account": account,
                     "to": {k: to[k] for k in ("bank_code", "branch_code", "account_type", "account_number")}
                     | {"name": to["holder_kana"]}}
            before = balance(admin, account["id"])

            database_down(postgres.admin_url, url, down=True)
            try:
                started = time.monotonic()
                answers = {"hub": transfer(server, payer, "while-postgres-is-away"),
                           "control plane": admin.get(f"{V1}/workspaces/default/accounts/{account['id']}"),
                           "token endpoint": new_token(server, payer),
                           "readiness": httpx.get(f"{server.url}/readyz", timeout=30)}
                assert time.monotonic() - started < 4 * ANSWER_WITHIN_S  # four answers, none of them a hang
            finally:
                database_down(postgres.admin_url, url, down=False)
            for surface, answer in answers.items():
                assert answer.status_code == 503, f"{surface}: {answer.status_code} {answer.text}"
            for surface in ("hub", "control plane", "token endpoint"):
                assert answers[surface].headers["retry-after"].isdigit(), surface
            assert answers["hub"].json()["code"] == "maintenance"
            assert answers["token endpoint"].json()["error"] == "temporarily_unavailable"

            # Back by itself, no restart: the client's retry (same key) goes through once the connections
            # the database ended have been noticed (each at most once).
            deadline = time.monotonic() + ANSWER_WITHIN_S
            while (again := transfer(server, payer, "while-postgres-is-away")).status_code == 503:
                assert time.monotonic() < deadline, again.text
                time.sleep(0.2)
            assert again.status_code == 201, again.text
            assert balance(admin, account["id"]) == before - again.json()["total"]  # exactly one transfer
            assert httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
    finally:
        replicas.stop()
        postgres.drop_database(url)
