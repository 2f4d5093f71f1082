"""Webhooks over real HTTP: events of a connector's transfers reach its own receiver, signed and retried.

The sandbox runs on 127.0.0.1 with its clock frozen at 16:00 on Friday 8 January 2027, after every
bank's cut-off; Monday 11 January is a holiday (成人の日). Receivers are real local HTTP servers that
record what they get. The outbox, the claims and the backoff are also driven directly over a real
governance database, where waiting out eight attempts costs nothing.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

from oauth_flows import bearer, client_credentials, create_connector
from sandbox.actions import accounts, debits, events, transfers
from sandbox.actions.events import EVENT_TYPES, read_after
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.governance import Governance
from sandbox.governance.webhooks import (LEASE_S, LOG_KEEP_S, MAX_ATTEMPTS, OUTBOX_KEEP, WILDCARDS, Webhooks, backoff, sign,
                                         verify)
from sandbox.resources import data_dir
from sandbox.store.database import write
from sandbox.workspaces import Workspaces

V1 = "/sandbox/v1"
HUB = "/hub/v1"
FRIDAY_AFTER_CUTOFF = "2027-01-08T16:00:00+09:00"
HOUR = 3600


class Receiver:
    """A local HTTP server that records every POST and answers the statuses it is told to, then 200."""

    def __init__(self, answers=()):
        self.requests: list[dict] = []
        self.answers = list(answers)
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append({"at": time.monotonic(), "path": self.path, "headers": dict(self.headers),
                                              "body": body})
                    status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        with self._lock:
            return [json.loads(r["body"]) for r in self.requests]

    def wait_for(self, count: int, seconds: float = 10) -> list[dict]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.requests) < count:
            time.sleep(0.05)
        assert len(self.requests) >= count, f"{len(self.requests)} of {count} requests arrived: {self.events()}"
        return self.requests

    def close(self):
        self.server.shutdown()
        self.server.server_close()


LIVE_SERVER = {"open_access": False, "clock": FRIDAY_AFTER_CUTOFF}


@pytest.fixture(scope="module")
def companies(admin):
    """Corporate customers of 楓銀行 (0990), each with its accounts, and payees at 星空信用金庫 (0992)."""
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    found: dict = {}
    for account in accounts:
        if account["bank_code"] == "0990" and account["customer_kind"] == "corporate" and account["status"] == "active":
            found.setdefault(account["customer_id"], []).append(account)
    payees = [a for a in accounts if a["bank_code"] == "0992" and a["status"] == "active"]
    return list(found.items()), payees


@pytest.fixture
def receivers():
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


class Company:
    """A self-use connector of one corporate customer: its credentials, a token and its first account."""

    def __init__(self, live, admin, customer_id, accounts):
        self.live, self.account = live, accounts[0]
        self.connector = create_connector(admin, **{"class": "self-use", "customer_id": customer_id})
        self.id = self.connector["id"]
        self.auth = (self.connector["client_id"], self.connector["client_secret"])
        self.token = client_credentials(live.url, self.connector)

    def control(self, method, path, **kwargs) -> httpx.Response:
        """A self-service call with the connector's own client id and secret."""
        return httpx.request(method, f"{self.live.url}{V1}/connectors/{self.id}{path}", auth=self.auth, timeout=30,
                             **kwargs)

    def subscribe(self, receiver: Receiver, events) -> dict:
        response = self.control("POST", "/webhooks", json={"url": receiver.url, "events": events})
        assert response.status_code == 201, response.text
        return response.json()

    def pay(self, payee: dict, amount: int, key: str) -> dict:
        response = httpx.post(f"{self.live.url}{HUB}/transfers", headers={**bearer(self.token), "Idempotency-Key": key},
                              timeout=30, json={"from_account_id": self.account["id"], "amount": amount,
                                                "to": {k: payee[k] for k in ("bank_code", "branch_code", "account_type",
                                                                             "account_number")} | {"name": payee["holder_kana"]}})
        assert response.status_code == 201, response.text
        return response.json()


def company(live, admin, companies, index: int) -> Company:
    customer_id, accounts = companies[0][index]
    return Company(live, admin, customer_id, accounts)


def signed(request: dict, secret: str) -> dict:
    """The event a receiver got, after checking its signature and headers as a receiver would."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert verify(secret, headers["sandbox-signature"], request["body"], time.time()), headers
    event = json.loads(request["body"])
    assert headers["sandbox-event-id"] == event["id"] and headers["sandbox-event-type"] == event["type"]
    assert headers["content-type"] == "application/json"
    return event


def advance(admin, seconds: int) -> dict:
    response = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


# -- the clock story ------------------------------------------------------------------------------


def test_webhooks_friday_transfer_runs_on_tuesday_and_its_events_arrive_signed(live, admin, companies, receivers):
    payer, bystander = company(live, admin, companies, 0), company(live, admin, companies, 1)
    own, theirs = receivers(), receivers()
    endpoint = payer.subscribe(own, ["transfer.*"])
    assert endpoint["secret"].startswith("whsec_") and endpoint["events"] == ["transfer.*"]
    elsewhere = bystander.subscribe(theirs, ["*"])

    transfer = payer.pay(companies[1][0], 12_345, "friday-1")
    assert transfer["status"] == "scheduled" and transfer["execution_date"] == "2027-01-12", transfer
    created = signed(own.wait_for(1)[0], endpoint["secret"])
    assert created["type"] == "transfer.created" and created["data"]["id"] == transfer["id"]
    assert created["occurred_at"] == FRIDAY_AFTER_CUTOFF and created["connector_id"] == payer.id
    assert created["workspace"] == "default" and created["data"]["status"] == "scheduled"

    # Saturday 09:00, the holiday Monday 09:00, Tuesday 08:00 (before core time): nothing runs, nothing is sent.
    for step, now in ((17 * HOUR, "2027-01-09T09:00:00+09:00"), (48 * HOUR, "2027-01-11T09:00:00+09:00"),
                      (23 * HOUR, "2027-01-12T08:00:00+09:00")):
        moved = advance(admin, step)
        assert moved["now"] == now and moved["executed"] == [], moved
        time.sleep(0.6)  # three rounds of the dispatcher
        assert [e["type"] for e in own.events()] == ["transfer.created"], now
        status = httpx.get(f"{live.url}{HUB}/transfers/{transfer['id']}", headers=bearer(payer.token), timeout=30)
        assert status.json()["status"] == "scheduled"

    assert advance(admin, HOUR)["executed"] == [transfer["id"]]  # Tuesday 09:00
    executed = signed(own.wait_for(2)[1], endpoint["secret"])
    assert executed["type"] == "transfer.executed" and executed["data"]["id"] == transfer["id"]
    assert executed["data"]["status"] == "executed" and executed["data"]["executed_at"] == "2027-01-12T09:00:00+09:00"
    assert executed["occurred_at"] == "2027-01-12T09:00:00+09:00" and executed["id"] != created["id"]

    log = payer.control("GET", "/webhook-deliveries")
    assert log.status_code == 200, log.text
    assert [(d["type"], d["status"], d["attempts"], d["last_status"]) for d in log.json()["deliveries"]] == [
        ("transfer.executed", "delivered", 1, 200), ("transfer.created", "delivered", 1, 200)]
    only = payer.control("GET", "/webhook-deliveries", params={"type": "transfer.created"}).json()["deliveries"]
    assert [d["event_id"] for d in only] == [created["id"]] and only[0]["payload"] == created

    # The bystander's endpoint (all types) never heard of the payer's transfer, and cannot read its log.
    assert theirs.requests == []
    assert httpx.get(f"{live.url}{V1}/connectors/{payer.id}/webhook-deliveries", auth=bystander.auth,
                     timeout=30).status_code == 404
    # Its own transfer is its own news, and only its own.
    mine = bystander.pay(companies[1][0], 1_000, "bystander-1")
    got = [signed(r, elsewhere["secret"]) for r in theirs.wait_for(2)]
    assert [(e["type"], e["data"]["id"]) for e in got] == [("transfer.created", mine["id"]), ("transfer.executed", mine["id"])]
    time.sleep(0.4)
    assert len(own.requests) == 2 and len(theirs.requests) == 2


def test_webhooks_signature_refuses_tampering_old_timestamps_and_other_secrets():
    body = json.dumps({"id": "evt_1", "type": "transfer.executed", "data": {"amount": 12345}}).encode()
    now = time.time()
    header = sign("whsec_test", body, int(now))
    assert verify("whsec_test", header, body, now)
    assert not verify("whsec_test", header, body.replace(b"12345", b"99999"), now)
    assert not verify("whsec_test", header, body + b" ", now)
    assert not verify("whsec_other", header, body, now)
    assert not verify("whsec_test", header, body, now + 301)  # a captured request replayed six minutes later
    assert verify("whsec_test", header, body, now + 299)
    assert not verify("whsec_test", sign("whsec_test", body, int(now) - 400), body, now)
    for broken in (None, "", "v1=abc", f"t={int(now)}", "t=x,v1=" + "0" * 64, header.replace("v1=", "v0=")):
        assert not verify("whsec_test", broken, body, now)


# -- retries, redelivery, registration -----------------------------------------------------------


def test_webhooks_a_failing_receiver_gets_retries_with_backoff_then_a_redelivery(live, admin, companies, receivers):
    payer = company(live, admin, companies, 2)
    flaky = receivers(answers=[500, 500])
    endpoint = payer.subscribe(flaky, ["transfer.created"])
    transfer = payer.pay(companies[1][0], 2_000, "flaky-1")

    first, second, third = flaky.wait_for(3)[:3]
    assert second["at"] - first["at"] >= 0.9 and third["at"] - second["at"] >= 1.9  # 1 s, then 2 s
    events = [signed(r, endpoint["secret"]) for r in (first, second, third)]
    assert {e["id"] for e in events} == {events[0]["id"]} and events[0]["data"]["id"] == transfer["id"]
    deadline = time.monotonic() + 5
    while (log := payer.control("GET", "/webhook-deliveries").json()["deliveries"])[0]["status"] == "pending":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    (delivery,) = log
    assert (delivery["status"], delivery["attempts"], delivery["last_status"], delivery["last_error"]) == (
        "delivered", 3, 200, None)

    again = payer.control("POST", f"/webhook-deliveries/{delivery['id']}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json()["redelivery_of"] == delivery["id"] and again.json()["status"] == "pending"
    redelivered = signed(flaky.wait_for(4)[3], endpoint["secret"])
    assert redelivered["id"] == events[0]["id"]  # the same event: a receiver that has it drops it
    missing = payer.control("POST", "/webhook-deliveries/999999/redeliver")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://127.0.0.1/hooks", "events": ["transfer.*"]}, "url"),
    ({"url": "127.0.0.1:9/hooks", "events": ["transfer.*"]}, "url"),
    ({"url": "http://127.0.0.1:9/hooks", "events": ["transfer.exploded"]}, "events"),
    ({"url": "http://127.0.0.1:9/hooks", "events": []}, "events"),
    ({"url": "http://127.0.0.1:9/hooks"}, "events"),
], ids=["ftp url", "no scheme", "unknown event type", "no event types", "events missing"])
def test_webhooks_bad_registrations_are_problems(live, admin, companies, body, field):
    payer = company(live, admin, companies, 3)
    response = payer.control("POST", "/webhooks", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_request" and field in response.text
    assert payer.control("GET", "/webhooks").json() == {"endpoints": []}


def test_webhooks_endpoints_are_listed_without_secrets_deleted_and_private(live, admin, companies):
    owner, other = company(live, admin, companies, 4), company(live, admin, companies, 5)
    created = owner.control("POST", "/webhooks", json={"url": "https://example.invalid/h", "events": ["mandate.*"]})
    endpoint = created.json()
    listed = owner.control("GET", "/webhooks").json()["endpoints"]
    assert listed == [{k: v for k, v in endpoint.items() if k != "secret"}]
    assert admin.get(f"{V1}/connectors/{owner.id}/webhooks").json()["endpoints"] == listed  # bank staff see them too
    foreign = httpx.request("DELETE", f"{live.url}{V1}/connectors/{owner.id}/webhooks/{endpoint['id']}", auth=other.auth,
                            timeout=30)
    assert foreign.status_code == 404 and foreign.json()["code"] == "connector_not_found"
    crossed = other.control("DELETE", f"/webhooks/{endpoint['id']}")
    assert crossed.status_code == 404 and crossed.json()["code"] == "not_found"
    assert httpx.get(f"{live.url}{V1}/connectors/{owner.id}/webhooks", timeout=30).status_code == 401
    assert owner.control("DELETE", f"/webhooks/{endpoint['id']}").status_code == 204
    assert owner.control("GET", "/webhooks").json() == {"endpoints": []}
    assert owner.control("DELETE", f"/webhooks/{endpoint['id']}").status_code == 404


def test_webhooks_spec_lists_every_event_type_and_wildcard():
    spec = yaml.safe_load((data_dir("specs") / "control-plane.yaml").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    assert schemas["WebhookEventType"]["enum"] == list(EVENT_TYPES)
    assert schemas["WebhookEndpointCreate"]["properties"]["events"]["items"]["anyOf"][0]["enum"] == [*EVENT_TYPES,
                                                                                                      *WILDCARDS]
    docs = (Path(__file__).resolve().parent.parent / "docs" / "webhooks.md").read_text(encoding="utf-8")
    for name in EVENT_TYPES:
        assert f"`{name}`" in docs


# -- the outbox, claims and backoff, without a server ----------------------------------------------


@pytest.fixture
def books(tmp_path):
    clock = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))
    workspaces = Workspaces(tmp_path, clock)
    workspaces.create("ws", seed=3)
    governance = Governance(tmp_path, data_dir("fixtures") / "plans.yaml")
    return workspaces, governance


def _pay(workspaces, connector_id: str, key: str) -> dict:
    ctx = workspaces.context("ws", connector_id)
    people = [a for a in accounts.list_accounts(ctx, limit=500)["accounts"]
              if a["customer_kind"] == "individual" and a["status"] == "active" and a["available_balance"] > 10_000]
    payer, payee = people[0], people[1]
    return transfers.create(ctx, from_account_id=payer["id"], amount=1_000, idempotency_key=key,
                            to={k: payee[k] for k in ("bank_code", "branch_code", "account_type", "account_number")}
                            | {"name": payee["holder_kana"]})


def _generation(workspaces) -> str:
    record = workspaces.registry.get("ws")
    return f"{record.incarnation}:{record.generation}"


def test_webhooks_outbox_is_read_once_claims_are_exclusive_and_backoff_ends_in_failure(books):
    workspaces, governance = books
    connector, _ = governance.connectors.create("ws", name="books", connector_class="self-use", customer_id="cus_x")
    hooks, rival = Webhooks(governance.store), Webhooks(governance.store)
    endpoint = hooks.register(connector.id, "http://127.0.0.1:9/h", ["transfer.executed"], 1000.0)
    transfer = _pay(workspaces, connector.id, "k1")
    _pay(workspaces, None, "k2")  # bank staff's transfer: no connector's news

    ctx = workspaces.context("ws")
    assert hooks.pump("ws", _generation(workspaces), ctx, 1000.0) == 1  # executed only: created is not subscribed
    assert rival.pump("ws", _generation(workspaces), ctx, 1000.0) == 0  # a second worker enqueues nothing again
    claimed = hooks.claim(1000.0)
    assert [(c["type"], c["url"], c["secret"]) for c in claimed] == [("transfer.executed", endpoint["url"], endpoint["secret"])]
    assert json.loads(claimed[0]["payload"])["data"]["id"] == transfer["id"]
    assert rival.claim(1000.0) == [] and rival.claim(1000.0 + LEASE_S - 1) == []  # leased to the first worker

    now, delivery = 1000.0, claimed[0]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = hooks.record(delivery["id"], delivery["lease"], now, 500 if attempt % 2 else None, "refused")
        assert outcome == ("failed" if attempt == MAX_ATTEMPTS else "pending")
        if outcome == "pending":
            assert hooks.claim(now + backoff(attempt) - 0.01) == []  # not before its backoff
            now += backoff(attempt)
            (delivery,) = hooks.claim(now)
            assert delivery["attempts"] == attempt + 1
    assert [backoff(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 64, 128]
    (logged,) = hooks.deliveries(connector.id)["deliveries"]
    assert (logged["status"], logged["attempts"], logged["last_error"], logged["next_attempt_at"]) == (
        "failed", MAX_ATTEMPTS, "refused", None)
    assert hooks.record(delivery["id"], "stale-lease", now, 200, None) is None  # a lost lease records nothing

    # A reset starts a new outbox, read from its start: new events are still delivered, old ones not again.
    workspaces.reset("ws")
    _pay(workspaces, connector.id, "k3")
    assert hooks.pump("ws", _generation(workspaces), workspaces.context("ws"), now) == 1


def test_webhooks_outbox_hands_each_wanted_event_its_own_payload_among_unwanted_ones(books):
    # Payloads are read only for events an endpoint wants: in one batch with a connector that has no
    # endpoint and events nobody subscribed to, each delivery still carries its own event's payload.
    workspaces, governance = books
    listening, _ = governance.connectors.create("ws", name="listening", connector_class="self-use", customer_id="cus_a")
    silent, _ = governance.connectors.create("ws", name="silent", connector_class="self-use", customer_id="cus_b")
    hooks = Webhooks(governance.store)
    every = hooks.register(listening.id, "http://127.0.0.1:9/all", ["*"], 1000.0)
    executed = hooks.register(listening.id, "http://127.0.0.1:9/executed", ["transfer.executed"], 1000.0)
    made = []
    for n in range(3):
        _pay(workspaces, silent.id, f"silent-{n}")
        made.append(_pay(workspaces, listening.id, f"listening-{n}"))
    assert hooks.pump("ws", _generation(workspaces), workspaces.context("ws"), 1000.0) == 9  # 3 x (2 + 1)
    claimed = hooks.claim(1000.0, limit=50)
    got = sorted((c["url"], c["type"], json.loads(c["payload"])["data"]["id"]) for c in claimed)
    assert got == sorted([(every["url"], kind, transfer["id"]) for transfer in made
                          for kind in ("transfer.created", "transfer.executed")]
                         + [(executed["url"], "transfer.executed", transfer["id"]) for transfer in made])
    assert all(json.loads(c["payload"])["type"] == c["type"] for c in claimed)


def test_webhooks_outbox_records_each_change_with_its_maker(books):
    workspaces, _ = books
    ctx = workspaces.context("ws", "cn_maker")
    people = accounts.list_accounts(ctx, limit=500)["accounts"]
    payer = next(a for a in people if a["customer_kind"] == "individual" and a["available_balance"] > 50_000)
    collector = next(a for a in people if a["customer_kind"] == "corporate" and a["bank_code"] == payer["bank_code"])
    payee = next(a for a in people if a["customer_kind"] == "individual" and a["id"] != payer["id"])
    later = transfers.create(ctx, from_account_id=payer["id"], amount=3_000, execution_date="2026-11-10",
                             to={k: payee[k] for k in ("bank_code", "branch_code", "account_type", "account_number")}
                             | {"name": payee["holder_kana"]})
    transfers.cancel(ctx, later["id"])
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    debit = debits.create_debit(ctx, mandate_id=mandate["id"], amount=1_200)
    with pytest.raises(SandboxError):
        debits.create_debit(ctx, mandate_id=mandate["id"], amount=10**9)  # refused: nothing written, no event
    debits.revoke_mandate(ctx, mandate["id"])
    written = read_after(ctx, 0)
    assert [(e["type"], e["resource_id"], e["connector_id"]) for e in written] == [
        ("transfer.created", later["id"], "cn_maker"), ("transfer.cancelled", later["id"], "cn_maker"),
        ("mandate.created", mandate["id"], "cn_maker"), ("debit.created", debit["id"], "cn_maker"),
        ("mandate.revoked", mandate["id"], "cn_maker")]
    cancelled = json.loads(written[1]["payload"])
    assert cancelled["data"]["status"] == "cancelled" and cancelled["occurred_at"] == "2026-11-05T10:00:00+09:00"
    assert len({json.loads(e["payload"])["id"] for e in written}) == len(written)


def test_webhooks_outbox_skips_changes_no_connector_made(books):
    """Bank staff and the development header make transfers no connector owns: nobody could be told."""
    workspaces, _ = books
    before = len(read_after(workspaces.context("ws"), 0))
    staff = _pay(workspaces, None, "staff-1")
    assert staff["status"] == "executed" and staff["connector_id"] is None
    assert len(read_after(workspaces.context("ws"), 0)) == before
    made = _pay(workspaces, "cn_maker", "maker-1")
    assert [(e["type"], e["resource_id"]) for e in read_after(workspaces.context("ws"), 0)[before:]] == [
        ("transfer.created", made["id"]), ("transfer.executed", made["id"])]


def test_webhooks_outbox_and_delivery_log_are_pruned_without_losing_what_comes_next(books):
    workspaces, governance = books
    connector, _ = governance.connectors.create("ws", name="books", connector_class="self-use", customer_id="cus_x")
    hooks = Webhooks(governance.store)
    hooks.register(connector.id, "http://127.0.0.1:9/h", ["transfer.created"], 1000.0)
    ctx = workspaces.context("ws", connector.id)
    fake = {"id": "trf_x", "connector_id": connector.id}
    with write(ctx.db):
        for _ in range(OUTBOX_KEEP + 5):
            events.emit(ctx, "transfer.created", fake)
    made = [hooks.pump("ws", _generation(workspaces), ctx, 1000.0) for _ in range(4)]
    assert sum(made) == OUTBOX_KEEP + 5 and made[-1] == 0  # read in batches
    # When the cursor passed OUTBOX_KEEP, the events before it left the outbox; the next ones wait their turn.
    assert [e["id"] for e in read_after(ctx, 0)] == list(range(OUTBOX_KEEP, OUTBOX_KEEP + 6))
    made = _pay(workspaces, connector.id, "after-prune")
    assert [e["id"] for e in read_after(ctx, OUTBOX_KEEP + 5)] == [OUTBOX_KEEP + 6, OUTBOX_KEEP + 7]  # ids go on
    assert hooks.pump("ws", _generation(workspaces), ctx, 2000.0) == 1
    newest = hooks.deliveries(connector.id, limit=1)["deliveries"][0]
    assert newest["payload"]["data"]["id"] == made["id"]

    # The delivery log: finished deliveries older than LOG_KEEP_S go; pending ones stay, however old.
    finished = hooks.claim(1000.0, limit=3)
    assert len(finished) == 3
    for delivery in finished:
        assert hooks.record(delivery["id"], delivery["lease"], 1000.0, 204, None) == "delivered"
    assert hooks.prune(1000.0 + LOG_KEEP_S - 1) == 0
    assert hooks.prune(1000.0 + LOG_KEEP_S + 1) == len(finished)
    left = dict(governance.store.conn.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall())
    assert left == {"pending": OUTBOX_KEEP + 5 - len(finished) + 1}
