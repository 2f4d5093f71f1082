"""Replicas that share only their data: two real `bank-sandbox serve` processes, one answer.

The two processes share one data directory (SQLite), or one PostgreSQL database with a data directory
each (the PostgreSQL half runs where tests/engines.py finds a server); nothing else passes between
them. A change
made through one (a suspension, a scenario, the clock, a reset, a plan, a withdrawn consent) is in
force on the other at its next request; each webhook event is delivered once, by whichever process
claims it, and one killed mid-delivery leaves it to the other when its lease runs out; SIGTERM lets
the requests under way finish and then refuses new connections. The last test is the whole story on
PostgreSQL: three replicas behind HAProxy, load, a replica killed, the database taken away and given
back. The PostgreSQL tests run where tests/engines.py finds a server, and skip otherwise.
"""

from __future__ import annotations

import itertools
import json
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from live_server import BUSINESS_MORNING
from oauth_flows import bearer, client_credentials, create_connector, third_party_token
from replicas import BIN, Balancer, Replicas, server_pair, database_down, haproxy_available
from sandbox.governance.recent import Recent
from sandbox.governance.webhooks import LEASE_S
from sandbox.store.governance import GovernanceStore

try:  # the PostgreSQL server of the test session, where the machine has one (tests/engines.py)
    from engines import postgres  # noqa: F401 - a pytest fixture, found by name
except ImportError:
    @pytest.fixture(scope="session")
    def postgres():
        pytest.skip("no PostgreSQL here: tests/engines.py (the `postgres` fixture) is not available")

pytestmark = pytest.mark.slow

V1 = "/sandbox/v1"
HUB = "/hub/v1"
# The longest a change made through one replica may take to be in force on another.
PROPAGATION_S = 1.0


class Receiver:
    """A local webhook receiver: records every POST (answered after `delay` s); with `hold_first`, leaves the
    first one unanswered until released."""

    def __init__(self, hold_first: bool = False, delay: float = 0.0):
        self.arrivals: list[dict] = []
        self.held = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with receiver._lock:
                    first = not receiver.arrivals
                    receiver.arrivals.append({"event": body, "answered": not (hold_first and first)})
                if hold_first and first:
                    receiver.held.set()
                    receiver.release.wait(120)
                time.sleep(delay)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender is gone (killed mid-delivery)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def event_ids(self, answered_only: bool = False) -> list[str]:
        with self._lock:
            return [a["event"]["id"] for a in self.arrivals if a["answered"] or not answered_only]

    def wait_for(self, count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.event_ids()) < count:
            time.sleep(0.05)
        assert len(self.event_ids()) >= count, f"{len(self.event_ids())} of {count} deliveries arrived"

    def answered_about(self, resource_ids: set, seconds: float) -> set:
        """Wait until an event about each of `resource_ids` was answered, or `seconds`; the ids answered
        about. A redelivery (a sender killed after the receiver had it) counts once, so the count of
        arrivals can reach the count of events while one of them is still on its way."""
        deadline = time.monotonic() + seconds
        while True:
            with self._lock:
                answered = {a["event"]["data"]["id"] for a in self.arrivals if a["answered"]}
            if resource_ids <= answered or time.monotonic() >= deadline:
                return answered
            time.sleep(0.05)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


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


@pytest.fixture
def receivers():
    made = []

    def make(**options) -> Receiver:
        made.append(Receiver(**options))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


_companies = itertools.count()


def company(admin, people, plan: str | None = None) -> tuple[dict, dict]:
    """A self-use connector of a corporate customer of 楓銀行 not used before, and that customer's account."""
    corporate = sorted({a["customer_id"] for a in people if a["bank_code"] == "0990" and a["customer_kind"] == "corporate"})
    customer = corporate[next(_companies) % len(corporate)]
    account = next(a for a in people if a["customer_id"] == customer)
    body = {"class": "self-use", "customer_id": customer, **({"plan": plan} if plan else {})}
    return create_connector(admin, **body), account


def payee(people) -> dict:
    account = next(a for a in people if a["bank_code"] == "0992" and a["customer_kind"] == "individual")
    return {"bank_code": account["bank_code"], "branch_code": account["branch_code"],
            "account_type": account["account_type"], "account_number": account["account_number"],
            "name": account["holder_kana"]}


def pay(base: str, token: dict, account: dict, to: dict, key: str, amount: int = 1) -> httpx.Response:
    return httpx.post(f"{base}{HUB}/transfers", headers={**bearer(token), "Idempotency-Key": key}, timeout=60,
                      json={"from_account_id": account["id"], "amount": amount, "to": to})


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

def _subscribe(base: str, connector: dict, receiver: Receiver, events: list[str]) -> None:
    answer = httpx.post(f"{base}{V1}/connectors/{connector['id']}/webhooks", timeout=30,
                        auth=(connector["client_id"], connector["client_secret"]), json={"url": receiver.url, "events": events})
    assert answer.status_code == 201, answer.text


def test_webhooks_two_replicas_deliver_every_event_exactly_once(pair, admin_a, people, receivers):
    connector, account = company(admin_a, people)
    receiver = receivers()
    _subscribe(pair[0].url, connector, receiver, ["transfer.*"])
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
    _subscribe(pair[0].url, connector, receiver, ["transfer.executed"])
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


def test_webhooks_a_stopping_replica_finishes_its_send_and_hands_back_the_rest(tmp_path, receivers):
    replicas = Replicas(tmp_path, 2, clock=BUSINESS_MORNING)
    stopping, other = replicas[0].start(), replicas[1]
    try:
        with stopping.admin() as admin:
            people = [a for a in admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
                      if a["status"] == "active"]
            connector, account = company(admin, people)
        receiver = receivers(delay=2.0)  # each answer takes 2 s: one endpoint's deliveries go one after another
        _subscribe(stopping.url, connector, receiver, ["transfer.executed"])
        token = client_credentials(stopping.url, connector)
        made = [pay(stopping.url, token, account, payee(people), f"drain-{n}").json()["id"] for n in range(3)]
        receiver.wait_for(1, seconds=10)  # the only dispatcher has claimed all three and is sending the first
        other.start()
        stopped_at = time.monotonic()
        stopping.signal(signal.SIGTERM)
        receiver.wait_for(3, seconds=LEASE_S)
        handed_over = time.monotonic() - stopped_at
        assert stopping.process.wait(timeout=30) in (0, -signal.SIGTERM)
        assert Counter(receiver.event_ids()) == Counter({e: 1 for e in receiver.event_ids()})  # each once
        assert sorted(a["event"]["data"]["id"] for a in receiver.arrivals) == sorted(made)
        assert handed_over < LEASE_S - 5, handed_over  # handed back, not left to its lease
        time.sleep(2.5)  # the last answer, and its record
        log = httpx.get(f"{other.url}{V1}/connectors/{connector['id']}/webhook-deliveries", timeout=30,
                        auth=(connector["client_id"], connector["client_secret"])).json()["deliveries"]
        assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1)] * 3
    finally:
        replicas.stop()


# -- the whole story on PostgreSQL: three replicas behind HAProxy ----------------------------------------

TRANSFERS_PER_CONNECTOR = 40
CONNECTORS = 3
RETRY_FOR_S = 60


def _pay_until_acknowledged(base: str, token: dict, account: dict, to: dict, key: str) -> dict:
    """A connector's retry loop: the same Idempotency-Key until the bank acknowledges (201), bounded in time."""
    deadline = time.monotonic() + RETRY_FOR_S
    while True:
        wait = 0.2
        try:
            answer = pay(base, token, account, to, key)
            if answer.status_code == 201:
                return answer.json()
            # the plan's capacity, an outage or a dead replica: never a 500
            assert answer.status_code in (429, 502, 503, 504), answer.text
            wait = max(wait, min(float(answer.headers.get("retry-after", 0)), 2.0))
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{key} was not acknowledged within {RETRY_FOR_S} s"
        time.sleep(wait)


@pytest.mark.skipif(not haproxy_available(), reason="HAProxy (/usr/sbin/haproxy, Debian's haproxy) is not installed")
def test_replicas_on_postgres_survive_a_killed_replica_and_a_database_restart(postgres, tmp_path, receivers):
    url = postgres.new_database()
    replicas = Replicas(tmp_path / "replicas", 3, database_url=url, clock=BUSINESS_MORNING).start()
    balancer = Balancer(replicas, tmp_path).start()
    try:
        with httpx.Client(base_url=balancer.url, headers={"Authorization": f"Bearer {replicas[0].env['SANDBOX_ADMIN_TOKEN']}"},
                          timeout=60) as admin:
            people = [a for a in admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
                      if a["status"] == "active"]
            to, receiver = payee(people), receivers()
            payers = [company(admin, people) for _ in range(CONNECTORS)]
            tokens = []
            for connector, _ in payers:
                _subscribe(balancer.url, connector, receiver, ["transfer.executed"])
                tokens.append(client_credentials(balancer.url, connector))

            def load(index: int) -> list[dict]:
                (_, account), token = payers[index], tokens[index]
                return [_pay_until_acknowledged(balancer.url, token, account, to, f"load-{index}-{n}")
                        for n in range(TRANSFERS_PER_CONNECTOR)]

            with ThreadPoolExecutor(CONNECTORS) as pool:
                running = [pool.submit(load, i) for i in range(CONNECTORS)]
                time.sleep(2)
                replicas[1].kill()  # mid-load
                time.sleep(2)
                database_down(postgres.admin_url, url, down=True)  # as a restart looks to the replicas
                time.sleep(3)
                database_down(postgres.admin_url, url, down=False)
                replicas[1].start()
                acknowledged = [t for each in running for t in each.result(timeout=RETRY_FOR_S * 3)]

            assert len(acknowledged) == CONNECTORS * TRANSFERS_PER_CONNECTOR
            listed = admin.get(f"{V1}/workspaces/default/transfers", params={"limit": 500}).json()["transfers"]
            ids = Counter(t["id"] for t in listed)
            assert all(ids[t["id"]] == 1 for t in acknowledged), "an acknowledged transfer is missing or doubled"
            from_payers = {account["id"] for _, account in payers}
            assert sum(1 for t in listed if t["from_account_id"] in from_payers) == len(acknowledged)  # no extra one
            delivered = receiver.answered_about({t["id"] for t in acknowledged}, seconds=LEASE_S + 30)
            assert {t["id"] for t in acknowledged} <= delivered
        check = subprocess.run([str(BIN), "workspace", "check", "default", "--data-dir", str(replicas[0].data_dir)],
                               env=replicas[0].env, capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        balancer.stop()
        replicas.stop()
        postgres.drop_database(url)


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
