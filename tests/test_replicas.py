"""Replicas that share only their data: two real `bank-sandbox serve` processes, one answer.

The two processes share one data directory (SQLite), or one PostgreSQL database with a data directory
each (the PostgreSQL half runs where tests/engines.py finds a server); nothing else passes between
them. A change
made through one (a suspension, a scenario, the clock, a reset, a plan, a withdrawn consent) is in
force on the other at its next request; each webhook event is delivered once, by whichever process
claims it, and one killed mid-delivery leaves it to the other when its lease runs out; SIGTERM lets
the requests under way finish and then refuses new connections. tests/test_replica_failures.py stops
and kills replicas under load (three behind HAProxy on PostgreSQL). The PostgreSQL tests run where
tests/engines.py finds a server, and skip otherwise.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import BUSINESS_MORNING
from oauth_flows import bearer, client_credentials, create_connector, third_party_token
from replicas import HUB, V1, company, payee, pay, postgres, receivers, server_pair, subscribe  # noqa: F401 - fixtures
from sandbox.governance.recent import Recent
from sandbox.governance.webhooks import LEASE_S
from sandbox.store.governance import GovernanceStore

pytestmark = pytest.mark.slow

# The longest a change made through one replica may take to be in force on another.
PROPAGATION_S = 1.0


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(request, tmp_path_factory):
    """Two server processes sharing one data directory (SQLite) or one database (PostgreSQL, each with its
    own empty data directory), the sandbox clock frozen on a business morning."""
    with server_pair(request, tmp_path_factory, request.param, BUSINESS_MORNING) as servers:
        yield servers


@pytest.fixture(scope="module")
def admin_a(pair):
    with pair[0].admin() as client:
        yield client


@pytest.fixture(scope="module")
def people(admin_a):
    """Active customer accounts of the default workspace."""
    accounts = admin_a.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    return [a for a in accounts if a["status"] == "active"]


def in_force(check, seconds: float = PROPAGATION_S) -> float:
    """Seconds until `check()` (a request to the other replica) holds; fails past `seconds`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"not in force after {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - started


# -- state changed through one replica, in force on the other --------------------------------------------

def test_replicas_token_from_one_works_on_the_other_and_suspension_resumption_propagate(pair, admin_a, people):
    connector, account = company(admin_a, people)
    token = client_credentials(pair[0].url, connector)  # issued by A
    balance = f"{pair[1].url}{HUB}/accounts/{account['id']}"

    def status_on_b() -> int:
        return httpx.get(balance, headers=bearer(token), timeout=30).status_code

    assert status_on_b() == 200
    assert admin_a.post(f"{V1}/connectors/{connector['id']}/suspend", json={"reason": "replica test"}).status_code == 200
    refused = httpx.get(balance, headers=bearer(token), timeout=30)
    assert refused.status_code == 403 and refused.json()["code"] == "connector_suspended", refused.text
    assert admin_a.post(f"{V1}/connectors/{connector['id']}/resume", json={}).status_code == 200
    assert in_force(lambda: status_on_b() == 200) < PROPAGATION_S


def test_replicas_scenario_armed_and_cleared_on_one_applies_on_the_other(pair, admin_a, people):
    connector, own = company(admin_a, people)
    token = client_credentials(pair[0].url, connector)
    url = f"{pair[1].url}{HUB}/accounts/{own['id']}"
    headers = bearer(token)
    rule = {"name": "replica maintenance", "match": {"bank": "hub"}, "effect": {"type": "maintenance", "retry_after": 7}}
    armed = admin_a.post(f"{V1}/workspaces/default/scenarios", json=rule)
    assert armed.status_code == 201, armed.text
    try:
        answer = httpx.get(url, headers=headers, timeout=30)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "7", answer.text
    finally:
        assert admin_a.delete(f"{V1}/workspaces/default/scenarios").status_code in (200, 204)
    assert httpx.get(url, headers=headers, timeout=30).status_code == 200


def test_replicas_clock_moved_and_reset_on_one_seen_by_the_other(pair, admin_a, people):
    connector, account = company(admin_a, people)
    token = client_credentials(pair[0].url, connector)
    b = pair[1].url
    moved = admin_a.post(f"{V1}/workspaces/default/clock", json={"mode": "set", "to": "2026-11-06T11:00:00+09:00"})
    assert moved.status_code == 200, moved.text
    seen = httpx.get(f"{b}{HUB}/accounts/{account['id']}", headers=bearer(token), timeout=30)
    assert seen.headers["x-sandbox-time"].startswith("2026-11-06T11:00"), seen.headers

    made = pay(b, token, account, payee(people), "before-reset")
    assert made.status_code == 201, made.text
    transfer = f"{b}{HUB}/transfers/{made.json()['id']}"
    assert httpx.get(transfer, headers=bearer(token), timeout=30).status_code == 200
    assert admin_a.post(f"{V1}/workspaces/default/reset").status_code == 200
    gone = httpx.get(transfer, headers=bearer(token), timeout=30)
    assert gone.status_code == 404, gone.text
    back = httpx.get(f"{b}{HUB}/accounts/{account['id']}", headers=bearer(token), timeout=30)
    assert back.headers["x-sandbox-time"] == BUSINESS_MORNING  # a reset gives the workspace the server's time


def test_replicas_plan_changed_on_one_decides_on_the_other(pair, admin_a, people):
    connector, account = company(admin_a, people, plan="standard")
    token = client_credentials(pair[0].url, connector)
    b, to = pair[1].url, payee(people)
    assert pay(b, token, account, to, "plan-1").status_code == 201
    changed = admin_a.patch(f"{V1}/connectors/{connector['id']}", json={"plan": "free"})
    assert changed.status_code == 200 and changed.json()["plan"] == "free", changed.text
    refused = pay(b, token, account, to, "plan-2")
    assert refused.status_code == 403 and refused.json()["code"] == "plan_forbidden", refused.text


def test_replicas_consent_revoked_on_one_stops_the_token_on_the_other(pair, admin_a, people):
    customer = next(a for a in people if a["bank_code"] == "0991" and a["customer_kind"] == "individual")
    connector = create_connector(admin_a, **{"class": "third-party"})
    token = third_party_token(pair[0].url, connector, customer["customer_id"], "accounts:read")  # consented on A
    balance = f"{pair[1].url}/banks/tsubame/v1/accounts/{customer['id']}/balance"
    consented = httpx.get(balance, headers=bearer(token), timeout=30)
    assert consented.status_code == 200, consented.text
    grant = admin_a.get(f"{V1}/connectors/{connector['id']}/grants").json()["grants"][-1]
    assert admin_a.delete(f"{V1}/connectors/{connector['id']}/grants/{grant['id']}").status_code == 200
    withdrawn = httpx.get(balance, headers=bearer(token), timeout=30)
    assert withdrawn.status_code == 401 and withdrawn.json()["error"]["code"] == "invalid_token", withdrawn.text


# -- webhooks: one claim per delivery across processes ------------------------------------------------

def test_webhooks_two_replicas_deliver_every_event_exactly_once(pair, admin_a, people, receivers):
    connector, account = company(admin_a, people)
    receiver = receivers()
    subscribe(pair[0].url, connector, receiver, ["transfer.*"])
    token = client_credentials(pair[1].url, connector)
    to = payee(people)
    made = []
    for n in range(12):  # alternately through each replica, within the plan's capacity (10 calls a second)
        made.append(pay(pair[n % 2].url, token, account, to, f"hook-{n}"))
        time.sleep(0.12)
    assert all(m.status_code == 201 for m in made), [m.text for m in made if m.status_code != 201]
    receiver.wait_for(24, seconds=20)  # created and executed, for each
    time.sleep(1.0)  # a second claim of the same delivery would arrive within a dispatcher round or two
    counts = Counter(receiver.event_ids())
    assert len(counts) == 24 and set(counts.values()) == {1}, counts
    transfers = {m.json()["id"] for m in made}
    assert {(a["event"]["data"]["id"]) for a in receiver.arrivals} == transfers
    log = httpx.get(f"{pair[1].url}{V1}/connectors/{connector['id']}/webhook-deliveries", params={"limit": 100},
                    auth=(connector["client_id"], connector["client_secret"]), timeout=30).json()["deliveries"]
    assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1)] * 24


def test_webhooks_a_replica_killed_mid_delivery_leaves_it_to_the_other(pair, admin_a, people, receivers):
    connector, account = company(admin_a, people)
    receiver = receivers(hold_first=True)
    subscribe(pair[0].url, connector, receiver, ["transfer.executed"])
    token = client_credentials(pair[0].url, connector)
    made = pay(pair[0].url, token, account, payee(people), "killed-mid-delivery")
    assert made.status_code == 201, made.text
    assert receiver.held.wait(10), "the delivery never arrived"
    governance = GovernanceStore(pair[0].data_dir, pair.database_url).conn  # the replicas' own database
    (delivery_id, lease), = governance.execute("SELECT id, lease FROM deliveries WHERE lease IS NOT NULL").fetchall()
    holder_pid = int(lease.split("/")[0].rsplit(":", 1)[1])
    sender = next(r for r in pair if r.pid == holder_pid)
    other = next(r for r in pair if r is not sender)
    killed_at = time.monotonic()
    sender.kill()  # mid-delivery: the receiver has the request, the sender never sees the answer
    try:
        receiver.wait_for(2, seconds=LEASE_S + 10)
        waited = time.monotonic() - killed_at
        assert receiver.event_ids()[0] == receiver.event_ids()[1]  # the same event, sent again
        assert waited <= LEASE_S + 2, waited
        deadline = time.monotonic() + 5
        while governance.execute("SELECT status FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()[0] != "delivered":
            assert time.monotonic() < deadline, "the second attempt was not recorded"
            time.sleep(0.05)
        attempts, = governance.execute("SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        assert attempts == 2
        assert other.alive()
    finally:
        sender.start()  # the pair is whole again for the tests after this one


# -- SIGTERM drains ----------------------------------------------------------------------------------

def test_serve_sigterm_finishes_requests_under_way_then_refuses_connections(pair, admin_a, people):
    connector, account = company(admin_a, people)
    token = client_credentials(pair[0].url, connector)
    replica = pair[1]
    slow = {"name": "slow hub", "match": {"bank": "hub"}, "effect": {"type": "latency", "ms": 3000},
            "lifetime": {"times": 1}}
    assert admin_a.post(f"{V1}/workspaces/default/scenarios", json=slow).status_code == 201
    with ThreadPoolExecutor(1) as pool:
        try:
            answer = pool.submit(httpx.get, f"{replica.url}{HUB}/accounts/{account['id']}", headers=bearer(token),
                                 timeout=30)
            time.sleep(1.0)  # the request is in the replica, waiting out its latency
            replica.signal(signal.SIGTERM)
            time.sleep(0.5)
            with pytest.raises(httpx.ConnectError):  # no new connection once draining
                httpx.get(f"{replica.url}/healthz", timeout=2)
            assert replica.alive()  # still finishing the slow request
            finished = answer.result(timeout=30)
            assert finished.status_code == 200 and finished.json()["id"] == account["id"], finished.text
            # uvicorn ends the process with the signal it caught, once it has drained (-15 to its parent)
            assert replica.process.wait(timeout=30) in (0, -signal.SIGTERM)
        finally:
            admin_a.delete(f"{V1}/workspaces/default/scenarios")
            if not replica.alive():
                replica.start()


# -- the cache rule itself ---------------------------------------------------------------------------

def test_recent_entries_go_when_the_version_moves_or_they_grow_old():
    version = [1]
    recent = Recent(lambda: version[0], max_age=0.2)
    recent.entries()["cn_1"] = "active"
    assert recent.entries() == {"cn_1": "active"}
    version[0] = 2  # another process committed
    assert recent.entries() == {}
    recent.entries()["cn_1"] = "suspended"
    time.sleep(0.25)  # an engine whose version says nothing: the age bound alone
    assert recent.entries() == {}
    recent.entries()["cn_1"] = "active"
    seen = []
    other = threading.Thread(target=lambda: seen.append(dict(recent.entries())))
    other.start()
    other.join()
    assert seen == [{}] and recent.entries() == {"cn_1": "active"}  # each thread has its own
    recent.clear()  # this thread wrote through its own connection, which does not move its version
    assert recent.entries() == {}
