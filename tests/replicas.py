"""Several `bank-sandbox serve` processes as replicas of one sandbox, and HAProxy in front of them.

Each replica is a real server process on its own free port of 127.0.0.1. With a database URL
(PostgreSQL) every replica gets its own empty data directory, as separate hosts would: the database
is all they share. Without one (SQLite) they share one data directory, as the worker processes of
one machine do. `Balancer` writes an HAProxy configuration to a temporary directory and runs
Debian's haproxy in the foreground, health-checking every replica, so a client sees one address.
Beside them, what the replica tests share: a local webhook receiver, connectors of the seeded companies,
a transfer through the hub. Helpers only: the tests that use them are tests/test_replicas.py,
tests/test_replica_failures.py and tests/test_outage.py.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from live_server import ADMIN_TOKEN, free_port
from oauth_flows import bearer, create_connector

try:  # the PostgreSQL server of the test session, where the machine has one (tests/engines.py)
    from engines import postgres  # noqa: F401 - a pytest fixture, found by name
except ImportError:
    @pytest.fixture(scope="session")
    def postgres():
        pytest.skip("no PostgreSQL here: tests/engines.py (the `postgres` fixture) is not available")

V1 = "/sandbox/v1"
HUB = "/hub/v1"

BIN = Path(sys.executable).parent / "bank-sandbox"
HAPROXY = Path("/usr/sbin/haproxy")
START_S = 120  # seeding the default workspace on first start takes a few seconds on a busy machine


def haproxy_available() -> bool:
    return HAPROXY.exists() and os.access(HAPROXY, os.X_OK)


@dataclass
class Replica:
    """One `bank-sandbox serve` process: started, killed and started again on the same port and data dir."""

    name: str
    port: int
    data_dir: Path
    env: dict
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, wait: bool = True) -> Replica:
        self.starts += 1
        self.log_path = self.data_dir.parent / f"{self.name}.{self.starts}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([str(BIN), "serve", "--workers", "1", "--port", str(self.port), "--data-dir", str(self.data_dir)],
                                            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, seconds: float = START_S) -> None:
        """Wait until the replica answers /healthz; fail with its log when it dies or never answers."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"replica {self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"replica {self.name} did not answer within {seconds} s:\n{self.log()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no drain, no shutdown hook; whatever it held (leases, transactions) it drops mid-way."""
        self.signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self, seconds: float = 30) -> int | None:
        """SIGTERM and wait for the process to exit; SIGKILL past `seconds`. Returns its exit code."""
        if not self.alive():
            return None if self.process is None else self.process.returncode
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path and self.log_path.exists() else ""

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=60)


@dataclass
class Replicas:
    """N replicas of one sandbox: one shared SQLite data directory, or one PostgreSQL database."""

    root: Path
    count: int
    database_url: str | None = None
    clock: str | None = None
    extra_env: dict = field(default_factory=dict)
    members: list[Replica] = field(default_factory=list)

    def __post_init__(self):
        shared = self.root / "data"
        for index in range(self.count):
            name = f"replica{index}"
            data_dir = (self.root / name / "data") if self.database_url else shared
            data_dir.mkdir(parents=True, exist_ok=True)
            self.members.append(Replica(name, free_port(), data_dir, self._env()))

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
        env.update(SANDBOX_ADMIN_TOKEN=ADMIN_TOKEN, SANDBOX_FAILED_AUTH_LIMIT="100000/minute", COLUMNS="200")
        if self.database_url:
            env["SANDBOX_DATABASE_URL"] = self.database_url
        if self.clock:
            env["SANDBOX_CLOCK"] = self.clock
        env.update(self.extra_env)
        return env

    def __getitem__(self, index: int) -> Replica:
        return self.members[index]

    def __iter__(self):
        return iter(self.members)

    def start(self) -> Replicas:
        """Start every replica. The first seeds workspace `default` alone; the others start together after it."""
        first, *others = self.members
        first.start()
        for replica in others:
            replica.start(wait=False)
        for replica in others:
            replica.wait_ready()
        return self

    def stop(self) -> None:
        for replica in self.members:
            replica.stop()

    def logs(self) -> str:
        return "\n".join(f"--- {r.name} ---\n{r.log()}" for r in self.members)


@contextmanager
def server_pair(request, tmp_path_factory, engine: str, clock: str, **options):
    """Two started servers sharing one data directory (SQLite) or one database with an empty data
    directory each (PostgreSQL, a fresh database of the `postgres` fixture, dropped afterwards)."""
    url = request.getfixturevalue("postgres").new_database() if engine == "postgresql" else None
    replicas = Replicas(tmp_path_factory.mktemp("pair"), 2, database_url=url, clock=clock, **options).start()
    try:
        yield replicas
    finally:
        replicas.stop()
        if url:
            request.getfixturevalue("postgres").drop_database(url)


class Balancer:
    """HAProxy in front of the replicas: round robin over those whose health check passes."""

    def __init__(self, replicas: Replicas, work_dir: Path, health: str = "/readyz"):
        self.replicas, self.health = replicas, health
        self.port = free_port()
        self.config = work_dir / "haproxy.cfg"
        self.config.write_text(self._config())
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _config(self) -> str:
        # A refused connection (a dead replica) fails a check at once: three in a row take it out within
        # about 1.5 s; a slow answer is given 2 s, since a busy machine is not a dead replica.
        servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check inter 500ms fall 3 rise 2"
                            for r in self.replicas)
        # A request that found its replica dead is not re-sent by HAProxy (a POST may have been taken):
        # the client retries with its Idempotency-Key, as a connector would.
        return f"""global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 2s
    option redispatch
    retries 1

frontend sandbox
    bind 127.0.0.1:{self.port}
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET {self.health}
    http-check expect status 200
{servers}
"""

    def start(self, seconds: float = 30) -> Balancer:
        assert haproxy_available(), f"{HAPROXY} is not installed"
        check = subprocess.run([str(HAPROXY), "-c", "-f", str(self.config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        self.log_path = self.config.with_suffix(".log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([str(HAPROXY), "-db", "-f", str(self.config)], stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"HAProxy did not answer on {self.url}:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def database_down(admin_url: str, database_url: str, down: bool) -> None:
    """Take a PostgreSQL database away from its clients, or give it back.

    Down, it refuses new connections and ends those open, which is what a stopped or restarting server
    looks like to the replicas; up, it takes connections again. Needs only an administrator's URL.
    """
    import psycopg

    database = database_url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"false" if down else "true"}')
        if down:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))


# -- what the replica tests share ---------------------------------------------------------------

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


def subscribe(base: str, connector: dict, receiver: Receiver, events: list[str]) -> None:
    answer = httpx.post(f"{base}{V1}/connectors/{connector['id']}/webhooks", timeout=30,
                        auth=(connector["client_id"], connector["client_secret"]), json={"url": receiver.url, "events": events})
    assert answer.status_code == 201, answer.text
