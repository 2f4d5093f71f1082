"""Replicas stopped and killed under load: what a replica leaves behind is taken up by another.

A replica stopped by SIGTERM while it sends webhooks finishes the send under way and hands the rest back
at once (not left to its lease). Then the whole story on PostgreSQL: three replicas behind HAProxy, load
from several connectors, a replica killed, the database taken away and given back; every acknowledged
transfer is there exactly once and every event delivered. (Apart from tests/test_replicas.py so that
two test workers run the two files at once: together they were the longest file of the suite.)
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import BUSINESS_MORNING
from oauth_flows import client_credentials
from replicas import (BIN, V1, Balancer, Replicas, company, database_down, haproxy_available, pay, payee,  # noqa: F401
                      postgres, receivers, subscribe)
from sandbox.governance.webhooks import LEASE_S

pytestmark = pytest.mark.slow


def test_webhooks_a_stopping_replica_finishes_its_send_and_hands_back_the_rest(tmp_path, receivers):
    replicas = Replicas(tmp_path, 2, clock=BUSINESS_MORNING)
    stopping, other = replicas[0].start(), replicas[1]
    try:
        with stopping.admin() as admin:
            people = [a for a in admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
                      if a["status"] == "active"]
            connector, account = company(admin, people)
        receiver = receivers(delay=2.0)  # each answer takes 2 s: one endpoint's deliveries go one after another
        subscribe(stopping.url, connector, receiver, ["transfer.executed"])
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
                subscribe(balancer.url, connector, receiver, ["transfer.executed"])
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
